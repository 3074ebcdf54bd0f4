"""WARC capture (``zamanscraper.middlewares.warc``) and ``extractor_version``: in-process units,
plus one real crawl over the loopback mirror with ``ZAMAN_WARC_DIR`` set."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from zamanscraper import items, urls
from zamanscraper.middlewares.warc import WarcWriterMiddleware
from zamanscraper.reextract import reextract
from zamanscraper.settings import DOWNLOADER_MIDDLEWARES
from zamanscraper.version import extractor_version

REPO_ROOT = Path(__file__).resolve().parent.parent
PAGE = ("<html><body><h1>Headline</h1><p>" + "Text of the article. " * 200 + "</p></body></html>").encode()


def records(directory):
    """Every WARC record in ``directory`` (files in name order) as (type, uri, headers, body)."""
    out = []
    for path in sorted(directory.glob("*.warc.gz")):
        with path.open("rb") as f:
            for rec in ArchiveIterator(f):
                headers = rec.http_headers
                out.append((rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"),
                            rec.rec_headers, headers, rec.content_stream().read()))
    return out


def middleware(tmp_path, **settings):
    crawler = get_crawler(settings_dict={"ZAMAN_WARC_DIR": str(tmp_path), **settings})
    return WarcWriterMiddleware.from_crawler(crawler)


def gzip_response(url: str) -> HtmlResponse:
    return HtmlResponse(url, body=gzip.compress(PAGE), headers={
        "Content-Encoding": "gzip", "Content-Type": "text/html; charset=utf-8",
        "Content-Length": str(len(gzip.compress(PAGE))),
    })


def test_disabled_without_directory():
    with pytest.raises(NotConfigured):
        WarcWriterMiddleware.from_crawler(get_crawler(settings_dict={"ZAMAN_WARC_DIR": None}))


def test_placed_after_decompression_before_retries():
    order = DOWNLOADER_MIDDLEWARES["zamanscraper.middlewares.warc.WarcWriterMiddleware"]
    # process_response runs from high to low numbers
    assert 550 < order < 590  # RetryMiddleware slot 550, HttpCompressionMiddleware 590


def test_decoded_body_consistent_headers_and_digests(tmp_path):
    mw = middleware(tmp_path)
    request = Request("https://en.zamanalwsl.net/news/article/5")
    compression = HttpCompressionMiddleware.from_crawler(get_crawler())
    response = compression.process_response(request, gzip_response(request.url))
    assert response.body == PAGE
    mw.process_response(request, response)
    mw.spider_closed()
    found = records(tmp_path)
    assert [r[0] for r in found] == ["warcinfo", "response", "request"]
    _, uri, rec_headers, http_headers, body = found[1]
    assert uri == request.url and body == PAGE
    assert http_headers.get_header("Content-Encoding") is None
    assert http_headers.get_header("Content-Length") == str(len(PAGE))
    sha1 = base64.b32encode(hashlib.sha1(PAGE).digest()).decode()
    assert rec_headers.get_header("WARC-Payload-Digest") == f"sha1:{sha1}"
    assert rec_headers.get_header("WARC-Block-Digest")
    request_record = found[2]
    assert request_record[3].protocol == "GET" and request_record[3].get_header("Host")
    assert request_record[2].get_header("WARC-Concurrent-To") == rec_headers.get_header("WARC-Record-ID")


def test_rollover_by_size_and_no_overwrite_across_restarts(tmp_path):
    for _run in range(2):  # a second process start in the same directory
        mw = middleware(tmp_path, ZAMAN_WARC_MAX_SIZE=1000)
        for n in range(3):
            url = f"https://en.zamanalwsl.net/news/article/{n}"
            mw.process_response(Request(url), HtmlResponse(url, body=PAGE))
        mw.spider_closed()
    names = sorted(p.name for p in tmp_path.glob("*.warc.gz"))
    assert len(names) == 6 and all(re.fullmatch(r"zaman-\d{20}-\d{5}-\d+\.warc\.gz", n) for n in names)
    found = records(tmp_path)
    assert [r[0] for r in found].count("response") == 6
    assert [r[0] for r in found].count("warcinfo") == 6


def test_records_already_written_survive_a_torn_last_record(tmp_path):
    mw = middleware(tmp_path)
    for n in range(3):
        url = f"https://en.zamanalwsl.net/news/article/{n}"
        mw.process_response(Request(url), HtmlResponse(url, body=PAGE))
    (path,) = tmp_path.glob("*.warc.gz")
    data = path.read_bytes()  # read while the file is still open: what a kill -9 leaves
    path.write_bytes(data[:-40])
    with path.open("rb") as f:  # the torn last member (a request record) is skipped
        responses = [rec.content_stream().read() for rec in ArchiveIterator(f)
                     if rec.rec_type == "response"]
    assert responses == [PAGE, PAGE, PAGE]


def test_extractor_version_is_a_documented_field():
    assert "extractor_version" in items.FIELD_NAMES
    version = extractor_version()
    assert version == extractor_version() and re.fullmatch(r"\d+\.\d+\.\d+\+[0-9a-f]{10}", version)


def test_crawl_keeps_every_fetched_page(mirror_server, scrapy_cmd, tmp_path):
    warc_dir = tmp_path / "warc"
    out = tmp_path / "out.jsonl"
    mark = mirror_server.mark()
    result = scrapy_cmd(
        "crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "ids=28115-28116",
        "-O", str(out), "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}",
        "-s", f"ZAMAN_WARC_DIR={warc_dir}",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    requested = mirror_server.since(mark)
    found = records(warc_dir)
    responses = {uri: headers.get_statuscode() for kind, uri, _, headers, _ in found if kind == "response"}
    assert sorted(responses) == sorted(mirror_server.base + p for p in requested)
    article = mirror_server.base + "/en.zamanalwsl.net/news/article/28116"
    assert responses[article] == "200"
    info = next(body for kind, *_, body in found if kind == "warcinfo").decode()
    assert f"zaman-mirror: {mirror_server.base}" in info
    (item,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert item["url"] == urls.canonical_url("en", 28116)
    assert item["extractor_version"] == extractor_version()


def test_kill_9_keeps_every_record_written(mirror_server, tmp_path):
    """SIGKILL a real crawl while it writes WARC records: every record before the kill reads
    back whole, and ``reextract`` takes the file as it is."""
    warc_dir = tmp_path / "warc"
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="zamanscraper.settings", PYTHONUTF8="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "zaman", "-a", f"mirror={mirror_server.base}",
         "-a", "ids=28100-1000000", "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}",
         "-s", f"ZAMAN_WARC_DIR={warc_dir}", "-s", "LOG_LEVEL=ERROR"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while sum(p.stat().st_size for p in warc_dir.glob("*.warc.gz")) < 100_000:
            assert process.poll() is None, "the crawl ended before the kill"
            assert time.monotonic() < deadline, "no WARC records within 120 s"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    found = records(warc_dir)
    kinds = [kind for kind, *_ in found]
    assert kinds.count("response") > 50
    assert kinds.count("request") >= kinds.count("response") - 1  # at most the last pair torn
    article = urls.canonical_url("en", 28116)
    out = tmp_path / "re.jsonl"
    result = reextract(sorted(warc_dir.glob("*.warc.gz")), out, tmp_path / "re-rejects.jsonl")
    assert result.stats["zaman/warc/responses"] == kinds.count("response")
    assert article in [json.loads(line)["url"] for line in out.read_text(encoding="utf-8").splitlines()]


def test_unwritable_directory_fails_before_the_first_request(mirror_server, scrapy_cmd, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    mark = mirror_server.mark()
    result = scrapy_cmd(
        "crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "ids=28116",
        "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}",
        "-s", f"ZAMAN_WARC_DIR={blocker / 'warc'}",
    )
    assert result.returncode == 1, result.stderr[-3000:]
    assert f"ZAMAN_WARC_DIR {blocker / 'warc'}: Not a directory" in result.stderr
    assert "Traceback" not in result.stderr
    assert mirror_server.since(mark) == []
