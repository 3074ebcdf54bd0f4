"""CSV that round-trips: list and dict fields are written as JSON in their cells.

Scrapy's own CSV exporter joins a list with commas (paragraphs cannot be split back) and
writes a dict as its Python repr. :class:`JsonCellCsvItemExporter` (``FEED_EXPORTERS["csv"]``)
writes ``body_paragraphs``, ``keywords``, ``ticker_headlines``, ``image_urls`` and
``provenance`` as UTF-8 JSON (``["first", "second"]``, ``{"headline": "text"}``); ``null`` is
an empty cell (no field is ever ``""``, so an empty cell always means null). Read it back with
:func:`read_csv` or, in pandas::

    pd.read_csv("articles.csv", dtype={"comments_count": "Int64"},
                converters={c: json.loads for c in JSON_COLUMNS})
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scrapy.exporters import CsvItemExporter

from zamanscraper.schema import load_schema


def json_cell(value: Any) -> Any:
    """A list or dict as compact UTF-8 JSON; anything else unchanged.

    >>> json_cell(["a, b", "c"]), json_cell({"headline": "text"}), json_cell(5), json_cell([])
    ('["a, b", "c"]', '{"headline": "text"}', 5, '[]')
    """
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


class JsonCellCsvItemExporter(CsvItemExporter):
    """Scrapy's CSV exporter with list and dict values written as JSON (see the module doc)."""

    def serialize_field(self, field, name, value):
        serializer = field.get("serializer", json_cell)
        return serializer(value)


def column_kinds(schema: dict | None = None) -> dict[str, str]:
    """Field name -> JSON type of its values (``string``, ``integer``, ``array``, ``object``).

    >>> column_kinds()["body_paragraphs"], column_kinds()["comments_count"], column_kinds()["url"]
    ('array', 'integer', 'string')
    """
    properties = (schema or load_schema())["properties"]
    kinds = {}
    for name, sub in properties.items():
        types = sub["type"] if isinstance(sub["type"], list) else [sub["type"]]
        kinds[name] = next(t for t in types if t != "null")
    return kinds


#: columns holding JSON (lists and dicts)
JSON_COLUMNS = tuple(name for name, kind in column_kinds().items() if kind in ("array", "object"))


def csv_record(row: dict[str, str], kinds: dict[str, str]) -> dict[str, Any]:
    """One CSV row as the record it was written from: JSON cells parsed, integers as ``int``,
    empty cells as None.

    >>> csv_record({"article_id": "5", "keywords": '["a, b"]', "byline": ""},
    ...            {"article_id": "integer", "keywords": "array", "byline": "string"})
    {'article_id': 5, 'keywords': ['a, b'], 'byline': None}
    """
    record: dict[str, Any] = {}
    for name, cell in row.items():
        kind = kinds.get(name, "string")
        if cell == "":
            record[name] = None
        elif kind in ("array", "object"):
            record[name] = json.loads(cell)
        elif kind == "integer":
            record[name] = int(cell)
        else:
            record[name] = cell
    return record


def read_csv(path: str | Path) -> Iterator[dict[str, Any]]:
    """The records of a CSV written by :class:`JsonCellCsvItemExporter`, as the JSONL has them."""
    kinds = column_kinds()
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield csv_record(row, kinds)
