"""``python -m zamanscraper export articles.jsonl out.parquet``: the records with real types.

Column types come from the record's JSON Schema (``zamanscraper.schema``): integers are
``int64``, lists ``list<string>``, ``provenance`` a ``map<string, string>``, ``format: date``
fields (``published_date``) ``date32``, ``format: date-time`` fields (``published_utc``,
``fetched_at``) ``timestamp[ms, tz=UTC]``; the rest (``published_at`` too: its precision varies)
strings. Needs pyarrow: ``pip install 'zamanscraper[analysis]'``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from zamanscraper.schema import load_schema


def arrow_type(sub: dict[str, Any]):
    """The pyarrow type of one property of the schema."""
    import pyarrow as pa

    kinds = sub["type"] if isinstance(sub["type"], list) else [sub["type"]]
    kind = next(k for k in kinds if k != "null")
    if kind == "integer":
        return pa.int64()
    if kind == "array":
        return pa.list_(pa.string())
    if kind == "object":
        return pa.map_(pa.string(), pa.string())
    if sub.get("format") == "date":
        return pa.date32()
    if sub.get("format") == "date-time":
        return pa.timestamp("ms", tz="UTC")
    return pa.string()


def arrow_schema(schema: dict[str, Any] | None = None):
    """The pyarrow schema of the records, in field order, each field's meaning as metadata."""
    import pyarrow as pa

    properties = (schema or load_schema())["properties"]
    return pa.schema([
        pa.field(name, arrow_type(sub), nullable=True,
                 metadata={"description": sub.get("description", "")})
        for name, sub in properties.items()
    ])


def to_arrow_value(value: Any, arrow_type_) -> Any:
    """A JSON value as pyarrow takes it for its column type (dates and instants parsed).

    >>> import pyarrow as pa
    >>> to_arrow_value("2017-07-17", pa.date32()), to_arrow_value(None, pa.date32())
    (datetime.date(2017, 7, 17), None)
    >>> to_arrow_value("2017-07-16T23:41:43Z", pa.timestamp("ms", tz="UTC"))
    datetime.datetime(2017, 7, 16, 23, 41, 43, tzinfo=datetime.timezone.utc)
    >>> to_arrow_value({"headline": "text"}, pa.map_(pa.string(), pa.string()))
    [('headline', 'text')]
    """
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_date32(arrow_type_):
        return date.fromisoformat(value)
    if pa.types.is_timestamp(arrow_type_):
        return datetime.fromisoformat(value)
    if pa.types.is_map(arrow_type_):
        return list(value.items())
    return value


def records_table(records: Iterable[dict[str, Any]], schema: dict[str, Any] | None = None):
    """A pyarrow Table of the records, typed by :func:`arrow_schema`; unknown keys are ignored."""
    import pyarrow as pa

    target = arrow_schema(schema)
    columns: dict[str, list] = {f.name: [] for f in target}
    for record in records:
        for f in target:
            columns[f.name].append(to_arrow_value(record.get(f.name), f.type))
    return pa.Table.from_pydict(columns, schema=target)


def write_parquet(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write the records to a Parquet file; the number of rows written."""
    import pyarrow.parquet as pq

    table = records_table(records)
    pq.write_table(table, str(path))
    return table.num_rows
