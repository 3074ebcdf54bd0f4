"""clean → validate → dedupe on hand-made records, and the rejects file they feed."""

from __future__ import annotations

import json

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from zamanscraper.pipelines.clean import CleanPipeline
from zamanscraper.pipelines.dedupe import DedupePipeline, DuplicateItem
from zamanscraper.pipelines.validate import InvalidItem, ValidatePipeline
from zamanscraper.rejects import RejectsFile


def record(**overrides) -> dict:
    base = {
        "url": "https://www.zamanalwsl.net/news/article/24015",
        "article_id": 24015,
        "edition": "ar",
        "headline": "قصف على ريف حمص الشمالي",
        "published_raw": "2013-07-17 02:41:43",
        "published_at": "2013-07-17T02:41:43",
        "category": "محلي",
        "source_tag": "زمان الوصل",
        "byline": None,
        "body_paragraphs": ["تعرضت مدينة تلبيسة في ريف حمص الشمالي لقصف مدفعي عنيف صباح اليوم."],
        "signoff": "زمان الوصل",
        "keywords": ["حمص", "تلبيسة"],
        "ticker_headlines": [],
        "comments_count": 0,
        "image_urls": [],
        "language": "ar",
        "fetched_at": "2025-01-01T00:00:00Z",
        "provenance": {"headline": "selector", "body_paragraphs": "text"},
    }
    base.update(overrides)
    return base


@pytest.fixture
def crawler(tmp_path):
    return get_crawler(settings_dict={"ZAMAN_REJECTS_PATH": str(tmp_path / "rejects.jsonl")})


# --- clean --------------------------------------------------------------------------------

def test_clean_normalizes_every_text_field(crawler):
    item = record(
        headline="\u200f قصف  على\u00a0ريف\nحمص ",
        byline="",
        category="\u202b\u202c",
        body_paragraphs=["  first\tparagraph\x00 ", "", "\u200e", "second"],
        keywords=["e\u0301te\u0301", None, " حمص "],
    )
    out = CleanPipeline.from_crawler(crawler).process_item(item)
    assert out["headline"] == "قصف على ريف حمص"
    assert out["byline"] is None
    assert out["category"] is None
    assert out["body_paragraphs"] == ["first paragraph", "second"]
    assert out["keywords"] == ["été", "حمص"]
    assert out["provenance"] == {"headline": "selector", "body_paragraphs": "text"}
    assert out["comments_count"] == 0


def test_clean_keeps_arabic_exactly(crawler):
    text = "الحَرْبُ في سوريـــا"  # harakat and tatweel stay
    out = CleanPipeline.from_crawler(crawler).process_item(record(headline=text))
    assert out["headline"] == text


# --- validate -----------------------------------------------------------------------------

def test_validate_passes_a_good_record(crawler):
    item = record()
    assert ValidatePipeline.from_crawler(crawler).process_item(item) is item


def test_validate_joins_every_reason(crawler):
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(InvalidItem) as info:
        pipeline.process_item(record(headline=None, body_paragraphs=[], comments_count="3"))
    error = info.value
    assert isinstance(error, DropItem)
    assert error.reasons == [
        "missing headline", "empty body_paragraphs",
        "comments_count: expected int | None, got str",
    ]
    assert "missing headline; empty body_paragraphs" in str(error)
    assert crawler.stats.get_value("zaman/items/rejected") == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"url": None}, "missing url"),
        ({"article_id": None}, "missing article_id"),
        ({"article_id": True}, "article_id: expected int, got bool"),
        ({"url": "https://www.zamanalwsl.net/news/24015.html"}, "url: not the canonical URL"),
        ({"edition": "fr"}, "edition: 'fr' is not one of en, ar"),
        ({"keywords": ["a", 3]}, "keywords: expected list[str], got list"),
        ({"provenance": {"headline": "guess"}}, "provenance: unknown layer in headline=guess"),
        ({"colour": "red"}, "unknown field colour"),
    ],
)
def test_validate_reasons(crawler, overrides, reason):
    with pytest.raises(InvalidItem) as info:
        ValidatePipeline.from_crawler(crawler).process_item(record(**overrides))
    assert any(r.startswith(reason) for r in info.value.reasons), info.value.reasons


# --- dedupe -------------------------------------------------------------------------------

def test_dedupe_on_edition_and_id(crawler):
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.process_item(record())
    pipeline.process_item(record(edition="en", url="https://en.zamanalwsl.net/news/article/24015"))
    with pytest.raises(DuplicateItem):
        pipeline.process_item(record(headline="another copy"))
    assert crawler.stats.get_value("zaman/items/duplicate") == 1


# --- rejects file -------------------------------------------------------------------------

def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_rejects_file_lines(crawler, tmp_path):
    path = tmp_path / "rejects.jsonl"
    rejects = RejectsFile.from_crawler(crawler)
    bad = record(headline=None)
    rejects.item_dropped(bad, exception=InvalidItem(["missing headline"]))
    rejects.item_dropped(record(), exception=DuplicateItem("duplicate"))  # not a reject
    rejects.page_rejected(url="https://en.zamanalwsl.net/news/article/1", reasons=["empty page"])
    rejects.request_failed(url="https://en.zamanalwsl.net/news/article/2", reasons=["HTTP 404"])
    # flushed per line: readable before the file is closed
    got = lines(path)
    rejects.close()
    assert [(g["url"], g["stage"], g["reasons"]) for g in got] == [
        ("https://www.zamanalwsl.net/news/article/24015", "validate", ["missing headline"]),
        ("https://en.zamanalwsl.net/news/article/1", "parse", ["empty page"]),
        ("https://en.zamanalwsl.net/news/article/2", "fetch", ["HTTP 404"]),
    ]
    assert got[0]["item"]["category"] == "محلي"
    assert "محلي" in path.read_text(encoding="utf-8")  # real UTF-8, no \u escapes
    assert got[1]["item"] == {}
    stats = crawler.stats
    assert [stats.get_value(f"zaman/rejects/{s}") for s in ("validate", "parse", "fetch")] == [1, 1, 1]


def test_rejects_file_appends(crawler, tmp_path):
    path = tmp_path / "rejects.jsonl"
    path.write_text('{"old": 1}\n', encoding="utf-8")
    rejects = RejectsFile.from_crawler(crawler)
    rejects.request_failed(url="u", reasons=["r"])
    rejects.close()
    assert len(lines(path)) == 2


def test_rejects_disabled_without_path():
    with pytest.raises(NotConfigured):
        RejectsFile.from_crawler(get_crawler(settings_dict={"ZAMAN_REJECTS_PATH": ""}))


def test_pipeline_order_in_settings():
    from zamanscraper import settings

    order = sorted(settings.ITEM_PIPELINES, key=settings.ITEM_PIPELINES.get)
    assert [o.rsplit(".", 1)[1] for o in order] == ["CleanPipeline", "ValidatePipeline",
                                                    "PlausiblePipeline", "DedupePipeline",
                                                    "UnchangedPipeline"]  # last: compares the final record
