"""CSV that round-trips: list and dict fields as JSON in their cells."""

from __future__ import annotations

import csv
import io

from zamanscraper import settings
from zamanscraper.exporters import JSON_COLUMNS, JsonCellCsvItemExporter, read_csv
from zamanscraper.items import FIELD_NAMES, Article


def test_hard_values_round_trip(tmp_path):
    item = Article(
        url="https://en.zamanalwsl.net/news/article/5", article_id=5, edition="en",
        headline='He said "no", then left', comments_count=0,
        body_paragraphs=["First, with commas, and \"quotes\".", "Second\nline", "ثالث، فقرة"],
        keywords=["a,b", "c"], provenance={"headline": "text"},
    )
    path = tmp_path / "out.csv"
    with path.open("wb") as f:
        exporter = JsonCellCsvItemExporter(f, fields_to_export=list(FIELD_NAMES))
        exporter.start_exporting()
        exporter.export_item(item)
        exporter.finish_exporting()
    (back,) = read_csv(path)
    assert back == {f: getattr(item, f) for f in FIELD_NAMES}
    row = next(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert row["keywords"] == '["a,b", "c"]' and row["byline"] == "" and row["image_urls"] == "[]"


def test_feed_exporter_is_registered():
    assert settings.FEED_EXPORTERS["csv"] == "zamanscraper.exporters.JsonCellCsvItemExporter"
    assert set(JSON_COLUMNS) == {"body_paragraphs", "keywords", "ticker_headlines",
                                 "image_urls", "provenance"}


def test_demo_crawl_csv_equals_its_jsonl(demo_output):
    jsonl = demo_output.records()
    from_csv = list(read_csv(demo_output.csv))
    assert len(from_csv) == len(jsonl) > 30
    assert from_csv == jsonl
    header = demo_output.csv.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(FIELD_NAMES)
