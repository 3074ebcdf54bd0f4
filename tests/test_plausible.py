"""The last net (``pipelines/plausible.py``): fake records are rejected, real ones never."""

from __future__ import annotations

import json

import pytest
from scrapy.utils.test import get_crawler
from test_golden import EXPECTED

from zamanscraper.pipelines.plausible import ImplausibleItem, PlausiblePipeline, problems
from zamanscraper.rejects import RejectsFile
from zamanscraper.spiders.zaman import ZamanSpider

CHALLENGE_RECORD = {
    "url": "https://en.zamanalwsl.net/news/article/28116", "article_id": 28116, "edition": "en",
    "headline": "en.zamanalwsl.net",
    "body_paragraphs": [
        "Checking your browser before accessing en.zamanalwsl.net.",
        "This process is automatic. Your browser will redirect to your requested content shortly.",
        "Please allow up to 5 seconds...", "DDoS protection by Cloudflare",
        "Ray ID: 7f3a9b2c1d0e4f56"],
}


def golden_records():
    for path in sorted(EXPECTED.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if "error" not in record and record.get("body_paragraphs"):
            yield path.name, record


def test_no_golden_record_is_implausible():
    records = list(golden_records())
    assert len(records) > 700
    assert [(name, problems(r)) for name, r in records if problems(r)] == []


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"headline": "https://en.zamanalwsl.net/news/article/1"}, "headline is a host name"),
    ({"headline": "Just a moment..."}, "headline is a page title, not an article's"),
    ({"body_paragraphs": ["Home", "News", "Opinion"]}, "body has 3 words (fewer than 8)"),
    ({"body_paragraphs": ["Home News Opinion Archive Videos Reports Interview Local"]}, "body has no sentence"),
])
def test_reasons(overrides, reason):
    record = {"headline": "Local council in Azaz opens new water station",
              "body_paragraphs": ["The council opened a new water station in Azaz on Sunday."],
              **overrides}
    assert any(r.startswith(reason) for r in problems(record)), problems(record)


def test_challenge_record_is_a_validate_reject(tmp_path):
    crawler = get_crawler(ZamanSpider, {"ZAMAN_REJECTS_PATH": str(tmp_path / "rejects.jsonl")})
    pipeline = PlausiblePipeline.from_crawler(crawler)
    with pytest.raises(ImplausibleItem) as info:
        pipeline.process_item(dict(CHALLENGE_RECORD))
    rejects = RejectsFile.from_crawler(crawler)
    rejects.item_dropped(CHALLENGE_RECORD, exception=info.value)
    rejects.close()
    (line,) = [json.loads(x) for x in (tmp_path / "rejects.jsonl").read_text().splitlines()]
    assert (line["url"], line["stage"]) == (CHALLENGE_RECORD["url"], "validate")
    assert line["reasons"] == [
        "headline is a host name: 'en.zamanalwsl.net'",
        "body is WAF challenge text ('checking your browser', 'ray id', 'ddos protection by')"]
    assert crawler.stats.get_value("zaman/items/implausible") == 1


def test_min_words_is_a_setting():
    crawler = get_crawler(ZamanSpider, {"ZAMAN_MIN_BODY_WORDS": 50})
    with pytest.raises(ImplausibleItem, match="fewer than 50"):
        PlausiblePipeline.from_crawler(crawler).process_item(
            {"headline": "H", "body_paragraphs": ["The council opened a new water station today."]})
