"""The record's JSON Schema (2020-12), generated from ``zamanscraper.items.Article``.

The checked-in copy ``zamanscraper/schemas/article.schema.json`` ships with the package (the
validate pipeline loads it); ``tests/test_schema.py`` fails when it differs from what
:func:`article_schema` generates. Regenerate it deliberately, then review the diff::

    python -m zamanscraper schema --update
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import fields
from importlib import resources
from typing import Any

from zamanscraper.items import Article

#: where the schema lives inside the package
SCHEMA_RESOURCE = ("zamanscraper", "schemas/article.schema.json")
DIALECT = "https://json-schema.org/draft/2020-12/schema"

_JSON_TYPES = {str: "string", int: "integer", bool: "boolean", float: "number", dict: "object",
               list: "array", type(None): "null"}


def type_schema(hint: Any) -> dict[str, Any]:
    """The JSON Schema of a type hint of ``items.py``; strings are never empty.

    >>> type_schema(int)
    {'type': 'integer'}
    >>> type_schema(str | None)
    {'type': ['string', 'null'], 'minLength': 1}
    >>> type_schema(list[str])
    {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}
    >>> type_schema(dict[str, str])
    {'type': 'object', 'additionalProperties': {'type': 'string', 'minLength': 1}}
    """
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        parts = [type_schema(h) for h in typing.get_args(hint)]
        merged: dict[str, Any] = {"type": [p["type"] for p in parts]}
        for part in parts:
            merged.update((k, v) for k, v in part.items() if k != "type")
        return merged
    origin = typing.get_origin(hint)
    if origin is list:
        (inner,) = typing.get_args(hint)
        return {"type": "array", "items": type_schema(inner)}
    if origin is dict:
        _, value = typing.get_args(hint)
        return {"type": "object", "additionalProperties": type_schema(value)}
    schema: dict[str, Any] = {"type": _JSON_TYPES[hint]}
    if hint is str:
        schema["minLength"] = 1
    return schema


def field_schema(hint: Any, metadata: typing.Mapping[str, Any]) -> dict[str, Any]:
    """One property: description, the hint's schema (no null when required), extra keywords."""
    schema = {"description": metadata["description"], **type_schema(hint)}
    if metadata.get("required"):
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        kinds = [kind for kind in kinds if kind != "null"]
        schema["type"] = kinds[0] if len(kinds) == 1 else kinds
        if schema["type"] == "array":
            schema["minItems"] = 1
    schema.update(metadata.get("schema", {}))
    return schema


def article_schema() -> dict[str, Any]:
    """The JSON Schema of one record, properties in field order."""
    hints = typing.get_type_hints(Article)
    properties = {f.name: field_schema(hints[f.name], f.metadata) for f in fields(Article)}
    return {
        "$schema": DIALECT,
        "title": "Zaman al-Wasl article record (zamanscraper)",
        "description": (Article.__doc__ or "").strip()
        + " One JSON line per article; missing values are null or [], never ''.",
        "type": "object",
        "properties": properties,
        "required": [f.name for f in fields(Article) if f.metadata.get("required")],
        "additionalProperties": False,
    }


def render(schema: dict[str, Any]) -> str:
    """The schema as the checked-in file holds it (UTF-8 JSON, 2-space indent, final newline)."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def load_schema() -> dict[str, Any]:
    """The checked-in schema shipped with the package."""
    package, name = SCHEMA_RESOURCE
    return json.loads(resources.files(package).joinpath(name).read_text(encoding="utf-8"))
