"""The record contract: ``items.Article`` -> the checked-in JSON Schema -> the validate pipeline."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

from itemadapter import ItemAdapter

from zamanscraper import schema
from zamanscraper.items import FIELD_NAMES, Article
from zamanscraper.pipelines.validate import problems
from zamanscraper.published import with_published
from zamanscraper.settings import FEED_EXPORT_FIELDS
from zamanscraper.spiders.zaman import make_item


def test_checked_in_schema_is_the_generated_one():
    generated = schema.render(schema.article_schema())
    checked_in = schema.render(schema.load_schema())
    assert checked_in == generated, (
        "zamanscraper/schemas/article.schema.json differs from items.Article: regenerate it "
        "with `python -m zamanscraper schema --update` and review the diff"
    )


def test_schema_check_command():
    result = subprocess.run(
        [sys.executable, "-m", "zamanscraper", "schema", "--check"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_field_has_a_meaning_and_the_columns_follow_the_fields():
    loaded = schema.load_schema()
    assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(loaded["properties"]) == list(FIELD_NAMES) == FEED_EXPORT_FIELDS
    for name, sub in loaded["properties"].items():
        assert len(sub["description"]) > 20, name
    assert loaded["required"] == ["url", "article_id", "edition", "headline", "body_paragraphs"]
    assert loaded["additionalProperties"] is False


def test_a_typed_item_with_derived_dates_is_valid():
    record = with_published({
        "url": "https://en.zamanalwsl.net/news/article/28116", "article_id": 28116,
        "edition": "en", "headline": "H", "body_paragraphs": ["p"],
        "published_raw": "2017-07-17 02:41:43", "published_at": "2017-07-17T02:41:43+03:00",
        "comments_count": 0, "provenance": {"headline": "text"},
    })
    item = Article(**record)
    as_dict = ItemAdapter(item).asdict()
    assert problems(as_dict) == []
    assert (item.published_date, item.published_utc) == ("2017-07-17", "2017-07-16T23:41:43Z")
    assert list(as_dict) == [f.name for f in dataclasses.fields(Article)]


def test_month_and_year_dates_are_valid_without_a_calendar_date():
    base = {"url": "https://www.zamanalwsl.net/news/article/5", "article_id": 5, "edition": "ar",
            "headline": "H", "body_paragraphs": ["p"]}
    for published_at in ("2017-03", "2017", "2017-03+03:00", "2017-07-17T02:41"):
        record = with_published(dict(base, published_at=published_at))
        assert problems(record) == [], published_at
        assert record["published_utc"] is None
    bad = dict(base, published_date="2017-03", published_utc="2017-07-17T02:41:43+03:00")
    assert [r.split(":")[0] for r in problems(bad)] == ["published_date", "published_utc"]


def test_every_golden_record_fits_the_schema():
    """What the extractor makes of every fixture page, built into an item as the spider does,
    breaks no type or form of the schema (a page may still lack a headline or body: a reject)."""
    expected = Path(__file__).parent / "fixtures" / "expected"
    legitimate = {"missing headline", "empty body_paragraphs"}
    checked = 0
    for path in sorted(expected.glob("*.json")):
        golden = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(golden, dict) or "url" not in golden or "error" in golden:
            continue
        key = (golden["edition"], golden["article_id"])
        item = make_item(golden, key, golden["url"], fetched_at="2026-01-01T00:00:00Z")
        assert set(problems(item)) <= legitimate, (path.name, problems(item))
        checked += 1
    assert checked > 700
