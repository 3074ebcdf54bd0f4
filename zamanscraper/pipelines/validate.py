"""Second pipeline: reject records that break the record's JSON Schema (``zamanscraper.schema``).

The checked-in schema is compiled once with ``fastjsonschema`` (about 10 µs a record, against
~150x that for ``jsonschema``: ``benchmarks/validate_bench.py``). A record that fails is checked
again field by field, so that the reject lists every reason, one per field; the canonical URL
(a check across fields) is tested in code.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Any

import fastjsonschema
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from zamanscraper.items import Article
from zamanscraper.schema import DIALECT, load_schema
from zamanscraper.urls import canonical_url

#: field name -> the type ``items.Article`` declares for it (named in reasons)
FIELD_TYPES = typing.get_type_hints(Article)
#: what one entry of a dict field is called in a reason
ENTRY_NOUNS = {"provenance": "layer"}


class InvalidItem(DropItem):
    """A record that breaks the contract; ``reasons`` lists every problem found.

    The rejects extension writes it to the rejects file with stage ``validate``.
    """

    stage = "validate"

    def __init__(self, reasons: list[str]):
        super().__init__("invalid record: " + "; ".join(reasons))
        self.reasons = list(reasons)


def _compile(schema: dict[str, Any]) -> Callable[[Any], Any]:
    return fastjsonschema.compile({"$schema": DIALECT, **schema})


def _passes(check: Callable[[Any], Any], value: Any) -> bool:
    try:
        check(value)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def _hint_name(hint) -> str:
    return str(hint) if typing.get_args(hint) else getattr(hint, "__name__", str(hint))


class RecordSchema:
    """The record schema, compiled: whole records, and each field alone for the reasons."""

    def __init__(self, schema: dict[str, Any]):
        self.check = _compile(schema)
        self.properties: dict[str, dict] = schema["properties"]
        self.required = set(schema.get("required", ()))
        self.fields = {name: _compile(sub) for name, sub in self.properties.items()}
        self.entries = {
            name: _compile(sub["additionalProperties"])
            for name, sub in self.properties.items()
            if isinstance(sub.get("additionalProperties"), dict)
        }

    def problems(self, record: dict) -> list[str]:
        """Every reason ``record`` is not a valid article record (empty list: valid)."""
        try:
            self.check(record)
            reasons = []
        except fastjsonschema.JsonSchemaValueException as error:
            reasons = self.explain(record) or [error.message]
        edition, article_id, url = record.get("edition"), record.get("article_id"), record.get("url")
        if (edition in ("en", "ar") and isinstance(url, str) and type(article_id) is int
                and url != canonical_url(edition, article_id)):
            reasons.append(f"url: not the canonical URL of {edition} article {article_id}")
        return reasons

    def explain(self, record: dict) -> list[str]:
        """One reason per field that breaks its schema, in field order; then unknown fields."""
        reasons = []
        for name, check in self.fields.items():
            value = record.get(name)
            if name in self.required and (value is None or value in ("", [])):
                reasons.append(f"empty {name}" if self.properties[name]["type"] == "array"
                               else f"missing {name}")
            elif name in record and value is not None or name in self.required:
                try:
                    check(value)
                except fastjsonschema.JsonSchemaValueException as error:
                    reasons.append(self.reason(name, value, error))
        reasons.extend(f"unknown field {name}" for name in record if name not in self.properties)
        return reasons

    def reason(self, name: str, value: Any, error: fastjsonschema.JsonSchemaValueException) -> str:
        """A one-line reason for a field whose value breaks its schema."""
        if error.rule == "type":
            return f"{name}: expected {_hint_name(FIELD_TYPES[name])}, got {type(value).__name__}"
        if error.rule == "enum" and error.path == ["data"]:
            allowed = ", ".join(str(v) for v in self.properties[name]["enum"] if v is not None)
            return f"{name}: {value!r} is not one of {allowed}"
        if name in self.entries:  # an entry of a dict field
            bad = sorted(f"{k}={v}" for k, v in value.items() if not _passes(self.entries[name], v))
            return f"{name}: unknown {ENTRY_NOUNS.get(name, 'value')} in {', '.join(bad)}"
        path = error.name or ""  # typed str | None in fastjsonschema 2.22 (mypy)
        where = path.removeprefix("data")  # "[1]": an entry of a list field
        return f"{name}{where}: {error.value!r} {error.message.removeprefix(path).strip()}"


@functools.cache
def default_schema() -> RecordSchema:
    """The package's checked-in schema, compiled once (on first use, not at import)."""
    return RecordSchema(load_schema())


def problems(record: dict) -> list[str]:
    """Every reason ``record`` is not a valid article record (empty list: valid).

    >>> problems({"url": "https://en.zamanalwsl.net/news/article/5", "article_id": 5,
    ...           "edition": "en", "headline": "H", "body_paragraphs": ["p"]})
    []
    >>> problems({"url": "http://x/5", "article_id": "5", "edition": "en", "headline": None,
    ...           "body_paragraphs": [], "colour": "red"})  # doctest: +NORMALIZE_WHITESPACE
    ["url: 'http://x/5' must match pattern ^https://(en|www)\\\\.zamanalwsl\\\\.net/news/article/[0-9]+$",
     'article_id: expected int, got str', 'missing headline', 'empty body_paragraphs',
     'unknown field colour']
    >>> problems({"url": "http://en.zamanalwsl.net/news/5.html", "article_id": 5,
    ...           "edition": "en", "headline": "H", "body_paragraphs": ["p"]})[-1]
    'url: not the canonical URL of en article 5'
    >>> problems({"url": "https://en.zamanalwsl.net/news/article/5", "article_id": 5,
    ...           "edition": "en", "headline": "H", "body_paragraphs": ["p"],
    ...           "published_at": "17/07/2017"})  # doctest: +ELLIPSIS
    ["published_at: '17/07/2017' must match pattern ^[0-9]{4}..."]
    """
    return default_schema().problems(record)


class ValidatePipeline:
    """Every record is checked against ``zamanscraper/schemas/article.schema.json``: required
    url (canonical), article_id, edition, headline, non-empty body_paragraphs; every field of
    the type and form the schema gives it; no unknown field. Invalid records are dropped with
    :class:`InvalidItem` (all reasons) and counted in ``zaman/items/rejected``."""

    def __init__(self, stats=None, schema: RecordSchema | None = None):
        self.stats = stats
        self.schema = schema or default_schema()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        reasons = self.schema.problems(ItemAdapter(item).asdict())
        if reasons:
            if self.stats is not None:
                self.stats.inc_value("zaman/items/rejected")
            raise InvalidItem(reasons)
        return item
