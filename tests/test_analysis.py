"""For analysts: stats, Parquet export, and the README's pandas / DuckDB / polars loading,
on the output of the demo crawl (run once per session by the ``demo_output`` fixture)."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zamanscraper.items import FIELD_NAMES


def zamanscraper(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zamanscraper", *args], capture_output=True,
                          text=True, encoding="utf-8", check=False, timeout=120)


@pytest.fixture(scope="module")
def records(demo_output):
    return demo_output.records()


def test_pandas_one_liner_types_the_dates(demo_output, records):
    path = str(demo_output.jsonl)
    # as in the README
    df = pd.read_json(path, lines=True, dtype={
        "published_at": "str", "published_date": "datetime64[s]", "published_utc": "datetime64[s, UTC]",
        "fetched_at": "datetime64[s, UTC]", "comments_count": "Int64"})
    assert len(df) == len(records) > 30
    assert list(df.columns) == list(FIELD_NAMES)
    assert df["article_id"].dtype == "int64"
    assert df["comments_count"].dtype == "Int64"
    assert pd.api.types.is_datetime64_dtype(df["published_date"])
    assert isinstance(df["published_utc"].dtype, pd.DatetimeTZDtype)
    assert str(df["published_utc"].dtype.tz) == "UTC"
    assert pd.api.types.is_string_dtype(df["published_at"])  # mixed precision: stays text
    assert df["published_utc"].notna().sum() == sum(r["published_utc"] is not None for r in records) > 0
    assert isinstance(df["body_paragraphs"].iloc[0], list)


def test_duckdb_one_liner_types_the_dates(demo_output, records):
    path = str(demo_output.jsonl)
    # as in the README
    rel = duckdb.sql(f"SELECT * REPLACE (published_date::DATE AS published_date, "
                     f"published_utc::TIMESTAMPTZ AS published_utc) FROM read_json('{path}')")
    types = dict(zip(rel.columns, (str(t) for t in rel.types), strict=True))
    assert rel.columns == list(FIELD_NAMES)
    assert types["published_date"] == "DATE"
    assert types["published_utc"] == "TIMESTAMP WITH TIME ZONE"
    assert types["article_id"] == types["comments_count"] == "BIGINT"
    assert types["body_paragraphs"] == "VARCHAR[]"
    assert rel.count("*").fetchall() == [(len(records),)]


def test_polars_one_liner_types_the_dates(demo_output, records):
    df = pl.read_ndjson(demo_output.jsonl, schema_overrides={  # as in the README
        "published_date": pl.Date, "published_utc": pl.Datetime("us", "UTC"),
        "fetched_at": pl.Datetime("us", "UTC"), "comments_count": pl.Int64})
    assert df.height == len(records)
    assert df.schema["published_date"] == pl.Date
    assert df.schema["published_utc"] == pl.Datetime("us", "UTC")
    assert df.schema["keywords"] == pl.List(pl.String)


def test_export_parquet_with_real_types(demo_output, records, tmp_path):
    out = tmp_path / "articles.parquet"
    result = zamanscraper("export", str(demo_output.jsonl), str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {len(records)} rows to {out}"
    table = pq.read_table(out)
    assert table.num_rows == len(records)
    assert table.column_names == list(FIELD_NAMES)
    schema = table.schema
    assert schema.field("article_id").type == pa.int64()
    assert schema.field("comments_count").type == pa.int64()
    assert schema.field("published_date").type == pa.date32()
    assert schema.field("published_utc").type == pa.timestamp("ms", tz="UTC")
    assert schema.field("fetched_at").type == pa.timestamp("ms", tz="UTC")
    assert schema.field("body_paragraphs").type == pa.list_(pa.string())
    assert schema.field("provenance").type == pa.map_(pa.string(), pa.string())
    assert schema.field("published_at").type == pa.string()
    assert schema.field("headline").metadata[b"description"].startswith(b"The headline")
    first = table.slice(0, 1).to_pylist()[0]
    assert first["body_paragraphs"] == records[0]["body_paragraphs"]
    assert dict(first["provenance"]) == records[0]["provenance"]
    df = pd.read_parquet(out)
    assert isinstance(df["published_utc"].dtype, pd.DatetimeTZDtype)
    described = {row[0]: row[1] for row in duckdb.sql(f"DESCRIBE SELECT * FROM '{out}'").fetchall()}
    assert described["published_date"] == "DATE"
    assert described["published_utc"] == "TIMESTAMP WITH TIME ZONE"


def test_stats_counts_coverage_and_provenance(demo_output, records):
    result = zamanscraper("stats", str(demo_output.jsonl), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["records"] == len(records)
    assert summary["by_edition"] == {
        e: sum(r["edition"] == e for r in records) for e in ("ar", "en")}
    assert sum(summary["by_month"].values()) == sum(summary["by_category"].values()) == len(records)
    assert summary["coverage"]["headline"] == summary["coverage"]["body_paragraphs"] == 1.0
    assert summary["provenance"]["headline"] and set(summary["provenance"]["headline"]) <= {
        "selector", "metadata", "text", "fallback"}
    text = zamanscraper("stats", str(demo_output.jsonl))
    assert text.returncode == 0
    for heading in ("by month", "by edition", "by category", "by source tag",
                    "field coverage", "provenance mix"):
        assert heading in text.stdout


def test_stats_and_export_name_bad_input_in_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"edition": "en"}\nnot json\n', encoding="utf-8")
    for args in (("stats", str(bad)), ("stats", str(tmp_path / "missing.jsonl")),
                 ("export", str(bad), str(tmp_path / "x.parquet"))):
        result = zamanscraper(*args)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert f"{bad}:2: not JSON" in zamanscraper("stats", str(bad)).stderr
