"""The crawl, end to end over the offline mirror (``scrapy crawl`` in a subprocess), plus the
spider's feed parsing, ``since=`` paging and retry backoff in-process."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from zamanscraper import mirror as mirror_module
from zamanscraper import urls
from zamanscraper.failures import Blocked
from zamanscraper.items import Article
from zamanscraper.middlewares import backoff
from zamanscraper.spiders import zaman
from zamanscraper.spiders.zaman import ZamanSpider, feed_links

FIXTURES = Path(__file__).parent / "fixtures"
#: mirror-only pages (see tests/fixtures/build_fixtures.py, MIRROR_SPECIAL): linked from
#: listings/feeds, never valid articles
MISSING = {("en", 40404), ("ar", 150404)}  # no file: 404
HOSTILE = {("en", 41234), ("en", 41235), ("en", 41236), ("en", 41237)}  # search, empty, binary, no body: rejects
FETCHED_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
STAT = re.compile(r"'(zaman/[^']+)': ([0-9.]+)")


def article_path_key(path: str) -> tuple[str, int] | None:
    """``(edition, id)`` of a mirror request path ``/host/news/…``."""
    return urls.article_key("https:/" + path)


def truth_keys() -> set[tuple[str, int]]:
    keys = set()
    for p in (FIXTURES / "articles").glob("*.json"):
        edition, article_id = p.stem.split("-")
        keys.add((edition, int(article_id)))
    return keys


def forbidden_keys(mirror) -> set[tuple[str, int]]:
    meta = json.loads((mirror.root / "_meta.json").read_text(encoding="utf-8"))
    return {article_path_key(p) for p, s in meta.get("status", {}).items() if s == 403} - {None}


class Crawl:
    def __init__(self, result, out: Path, rejects: Path, requested: list[str]):
        self.result = result
        self.raw = out.read_bytes() if out.exists() else b""
        self.items = [json.loads(line) for line in self.raw.decode("utf-8").splitlines()]
        self.rejects = (
            [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
            if rejects.exists() else []
        )
        self.requested = requested
        self.stats = {k: float(v) for k, v in STAT.findall(result.stderr)}

    def reject_of(self, key):
        url = urls.canonical_url(*key)
        return [r for r in self.rejects if r["url"] == url]


def crawl(mirror, scrapy_cmd, tmp: Path, *args: str) -> Crawl:
    out, rejects = tmp / "out.jsonl", tmp / "rejects.jsonl"
    mark = mirror.mark()
    result = scrapy_cmd(
        "crawl", "zaman", "-a", f"mirror={mirror.base}", *args,
        "-O", str(out), "-s", f"ZAMAN_REJECTS_PATH={rejects}", "-s", "LOG_LEVEL=INFO",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return Crawl(result, out, rejects, mirror.since(mark))


@pytest.fixture(scope="module")
def full(mirror_server, scrapy_cmd, tmp_path_factory):
    return crawl(mirror_server, scrapy_cmd, tmp_path_factory.mktemp("full"), "-a", "edition=both")


# --- the full crawl: discovery over feeds and listings of both editions ----------------------

def test_output_is_real_utf8_one_line_per_article(full):
    text = full.raw.decode("utf-8")  # raises if not UTF-8
    assert "\\u0" not in text  # no \uXXXX escapes
    assert re.search("[\u0600-\u06ff]", text), "no Arabic text in the output"
    assert len(full.items) == len(text.splitlines())
    keys = [(i["edition"], i["article_id"]) for i in full.items]
    assert len(keys) == len(set(keys)), [k for k, n in Counter(keys).items() if n > 1]


def test_every_url_canonical_and_fetched_at_utc(full):
    for item in full.items:
        assert item["url"] == urls.canonical_url(item["edition"], item["article_id"])
        assert urls.edition_of(item["url"]) == item["edition"]
        assert FETCHED_AT.match(item["fetched_at"]), item["fetched_at"]


def test_no_vote_url_requested_and_each_article_once(full, mirror_server):
    article_paths = [p for p in full.requested if article_path_key(p)]
    assert article_paths, full.requested
    assert not [p for p in full.requested if urls.is_vote_url("https:/" + p)]
    retried = forbidden_keys(mirror_server)  # 403 paths are retried on purpose
    counts = Counter(article_path_key(p) for p in article_paths)
    assert {k: n for k, n in counts.items() if n > 1 and k not in retried} == {}
    for path in article_paths:  # always the canonical form
        assert "https:/" + path == urls.canonical_url(*article_path_key(path)), path


def test_every_requested_article_is_item_or_reject(full):
    requested = {article_path_key(p) for p in full.requested} - {None}
    items = {(i["edition"], i["article_id"]) for i in full.items}
    rejected = {urls.article_key(r["url"]) for r in full.rejects}
    assert requested - items - rejected == set()
    assert full.stats.get("zaman/articles/requested") == len(requested)


def test_404_and_403_are_fetch_rejects_and_stats(full, mirror_server):
    forbidden = forbidden_keys(mirror_server)
    assert forbidden and MISSING
    for keys, status in ((MISSING, 404), (forbidden, 403)):
        for key in keys:
            rejects = full.reject_of(key)
            assert [(r["stage"], r["reasons"]) for r in rejects] == [("fetch", [f"HTTP {status}"])]
        assert full.stats.get(f"zaman/requests/failed/http_{status}") == len(keys)
    assert full.stats.get("zaman/requests/failed") == len(MISSING) + len(forbidden)
    assert full.stats.get("zaman/rejects/fetch") == len(MISSING) + len(forbidden)
    assert full.stats.get("zaman/retry/backoff_count", 0) > 0


def test_hostile_pages_are_rejects(full):
    items = {(i["edition"], i["article_id"]) for i in full.items}
    for key in HOSTILE:
        assert key not in items
        assert [r["stage"] for r in full.reject_of(key)] in (["parse"], ["validate"])


def test_hostile_reject_reasons_name_the_problem(full):
    first = {key[1]: full.reject_of(key)[0] for key in HOSTILE}
    assert first[41235]["reasons"] == ["empty page: no content"]
    assert first[41236]["reasons"] == ["binary content, not HTML: looks like a PNG image"]
    assert first[41237]["stage"] == "validate" and first[41237]["reasons"] == ["empty body_paragraphs"]
    assert first[41237]["item"]["headline"] == "What Putin wants in Syria"  # kept, not lost
    assert first[41234]["stage"] == "parse"
    assert first[41234]["reasons"] == [
        "not an article: listing or search page (title 'Search | Zaman Al Wasl')"]


def test_every_fixture_article_is_an_item(full):
    items = {(i["edition"], i["article_id"]) for i in full.items}
    assert truth_keys() - items == set()


def test_both_editions_carry_their_edition_language_and_text(full):
    by_key = {(i["edition"], i["article_id"]): i for i in full.items}
    assert {edition for edition, _ in by_key} == {"en", "ar"}
    for edition, article_id in truth_keys():
        source = json.loads((FIXTURES / "articles" / f"{edition}-{article_id}.json").read_text(encoding="utf-8"))
        item = by_key[(edition, article_id)]
        assert (item["edition"], item["language"]) == (edition, edition)
        assert item["url"] == urls.canonical_url(edition, article_id)
        for name in ("headline", "published_raw", "published_at", "body_paragraphs", "source_tag"):
            assert item[name] == source[name], (edition, article_id, name)


def test_stats_dump_has_zaman_keys(full):
    for key in ("zaman/articles/requested", "zaman/feeds/parsed", "zaman/listings/pages",
                "zaman/links/vote_canonicalized", "zaman/requests/failed", "zaman/rejects/fetch"):
        assert key in full.stats, key
    assert full.stats["zaman/listings/pages"] == 7  # en 1/1-3, en 30/1-2, ar 3/1-2


# --- exact modes -------------------------------------------------------------------------

def test_ids_request_exactly_those_canonical_urls(mirror_server, scrapy_cmd, tmp_path):
    run = crawl(mirror_server, scrapy_cmd, tmp_path, "-a", "ids=28110-28120")
    assert sorted(run.requested) == sorted(
        f"/en.zamanalwsl.net/news/article/{i}" for i in range(28110, 28121)
    )
    assert [(i["edition"], i["article_id"]) for i in run.items] == [("en", 28116)]
    assert len(run.rejects) == 10 and {r["stage"] for r in run.rejects} == {"fetch"}


def test_urls_crawl_exactly_that_article(mirror_server, scrapy_cmd, tmp_path):
    run = crawl(mirror_server, scrapy_cmd, tmp_path,
                "-a", "urls=http://en.zamanalwsl.net/news/28116.html")
    assert run.requested == ["/en.zamanalwsl.net/news/article/28116"]
    assert [i["url"] for i in run.items] == ["https://en.zamanalwsl.net/news/article/28116"]
    assert run.items[0]["headline"] == "Russia to broker new reconciliation deal in Eastern Qalamoun"


# --- in-process: feeds -------------------------------------------------------------------

def test_feed_parser_refuses_entities():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
                       for i in range(8))
            + b']><rss><channel><item><link>&i;</link></item>'
              b'<item><link>https://en.zamanalwsl.net/news/5.html</link></item></channel></rss>')
    links = feed_links(bomb)  # libxml2 stops at the amplification limit: no expansion
    assert links is None or all(len(link) < 100 for link in links)
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
           b"<rss><channel><item><link>&x;</link></item></channel></rss>")
    assert feed_links(xxe) == []
    assert feed_links(b"") is None
    assert feed_links(b"\x89PNG\r\n\x1a\n\x00\x00") is None


# --- in-process: since= drives listing paging ----------------------------------------------

def listing(page: int, ids: list[int], next_page: bool) -> HtmlResponse:
    links = "".join(f'<a href="/news/article/{i}/like">x</a><a href="/news/{i}.html">y</a>' for i in ids)
    if next_page:
        links += f'<a href="/news/articles/1/{page + 1}">next</a><a href="/news/articles/2/9">other</a>'
    url = urls.listing_url("en", 1, page)
    request = Request(url, meta={"zaman_url": url, "zaman_listing": ("en", 1, page)})
    return HtmlResponse(url, body=f"<html><body>{links}</body></html>".encode(), request=request)


def answer(request: Request) -> HtmlResponse:
    return HtmlResponse(request.url, body=b"<html></html>", request=request)


def test_since_pages_on_until_a_page_is_all_older(monkeypatch):
    dates = {1: "2020-05-01T10:00:00", 2: "2019-12-31", 3: "2019-01-01", 4: None}

    def fake_extract(html, url, *, timezone=None):
        article_id = urls.article_key(url)[1]
        return {"headline": "h", "body_paragraphs": ["p"], "published_at": dates.get(article_id)}

    monkeypatch.setattr(zaman, "extract_article", fake_extract)
    crawler = get_crawler(ZamanSpider)
    spider = ZamanSpider.from_crawler(crawler, since="2020-01-01", sections="1")
    crawler.spider = spider

    out = list(spider.parse_listing(listing(1, [1, 2], next_page=True)))
    assert [r.url for r in out] == [urls.canonical_url("en", 1), urls.canonical_url("en", 2)]
    assert list(spider.parse_article(answer(out[1]))) == []  # older than since: not emitted
    emitted = list(spider.parse_article(answer(out[0])))
    assert [x.article_id for x in emitted if isinstance(x, Article)] == [1]  # a typed item
    assert [x.url for x in emitted if isinstance(x, Request)] == [urls.listing_url("en", 1, 2)]

    out = list(spider.parse_listing(listing(2, [2, 3, 4], next_page=True)))
    assert [r.url for r in out] == [urls.canonical_url("en", 3), urls.canonical_url("en", 4)]
    assert list(spider.parse_article(answer(out[0]))) == []
    last = list(spider.parse_article(answer(out[1])))  # undated: emitted, but no page 3
    assert [type(x) for x in last] == [Article]
    stats = crawler.stats
    assert stats.get_value("zaman/items/before_since") == 2
    assert stats.get_value("zaman/items/undated_since") == 1
    assert stats.get_value("zaman/listings/stopped_since") == 1
    assert stats.get_value("zaman/links/vote_canonicalized") == 5


def test_listing_without_since_follows_next_until_max_pages():
    crawler = get_crawler(ZamanSpider)
    spider = ZamanSpider.from_crawler(crawler, max_pages="2", sections="1")
    crawler.spider = spider
    first = [r.url for r in spider.parse_listing(listing(1, [7], next_page=True))]
    assert first == [urls.canonical_url("en", 7), urls.listing_url("en", 1, 2)]
    assert [r.url for r in spider.parse_listing(listing(2, [7, 8], next_page=True))] == [
        urls.canonical_url("en", 8)
    ]


# --- in-process: retry backoff -----------------------------------------------------------

def test_backoff_marks_waits_and_honours_retry_after():
    """The middleware never sleeps: it hands the retry back at once, marked with its wait."""
    crawler = get_crawler(ZamanSpider, {"ZAMAN_RETRY_BACKOFF_BASE": 1.0,
                                        "ZAMAN_RETRY_BACKOFF_MAX": 5.0, "RETRY_TIMES": 3,
                                        "RETRY_HTTP_CODES": [403, 429, 503]})
    crawler.spider = ZamanSpider.from_crawler(crawler)
    mw = backoff.BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("https://en.zamanalwsl.net/news/article/1")

    def respond(status, request, body=b"", **headers):
        return mw.process_response(request, Response(request.url, status=status, headers=headers,
                                                     body=body))

    retry1 = respond(503, request)
    retry2 = respond(429, retry1, **{"Retry-After": "3"})
    retry3 = respond(403, retry2, **{"Retry-After": "999"})
    gave_up = respond(503, retry3)
    assert [r.meta["retry_times"] for r in (retry1, retry2, retry3)] == [1, 2, 3]
    assert [r.meta[backoff.DELAY_KEY] for r in (retry1, retry2, retry3)] == [1.0, 3.0, 5.0]
    assert isinstance(gave_up, Response) and gave_up.status == 503
    assert respond(404, request).status == 404

    challenge = b"<html><head><title>Just a moment...</title></head><body>Ray ID: 1</body></html>"
    retry = request
    for n in (1, 2, 3):
        retry = respond(200, retry, challenge, **{"Content-Type": "text/html"})
        assert isinstance(retry, Request) and retry.meta["retry_times"] == n
    with pytest.raises(Blocked, match="^blocked: WAF challenge$"):
        respond(200, retry, challenge, **{"Content-Type": "text/html"})
    assert respond(200, request, b"<title>News</title><p>Story</p>").status == 200


def test_oversized_page_is_a_fetch_reject(scrapy_cmd, tmp_path):
    """A page over DOWNLOAD_MAXSIZE is cancelled by Scrapy and recorded, never lost."""
    site = tmp_path / "site"
    page = site / "en.zamanalwsl.net" / "news" / "article" / "5" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body>" + "<p>x</p>" * 20000 + "</body></html>")
    log: list[str] = []
    with mirror_module.serve(site, requests=log) as base:
        result = scrapy_cmd(
            "crawl", "zaman", "-a", f"mirror={base}", "-a", "ids=5", "-O", str(tmp_path / "out.jsonl"),
            "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}", "-s", "DOWNLOAD_MAXSIZE=50000",
            "-s", "ZAMAN_MAX_FAILURE_RATIO=1",  # its one page fails on purpose: not the monitors' case
        )
    # its only article is a reject: no record, so the crawl fails (zamanscraper.verdict)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "failed: no record: 1 article pages requested, 1 requests failed" in result.stderr
    (reject,) = [json.loads(line) for line in (tmp_path / "rejects.jsonl").read_text().splitlines()]
    assert reject["url"] == "https://en.zamanalwsl.net/news/article/5"
    assert reject["stage"] == "fetch"
    assert "larger than download max size (50000)" in reject["reasons"][0]
    assert (tmp_path / "out.jsonl").read_text() == ""
