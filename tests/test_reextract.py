"""``python -m zamanscraper reextract``: a crawl with ``ZAMAN_WARC_DIR`` set, re-extracted from
its WARC files without the network, gives the crawl's records (all but ``fetched_at``) and
rejects; bad input is one line and exit 2; the progress display."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from zamanscraper.__main__ import main
from zamanscraper.middlewares.warc import WarcWriterMiddleware
from zamanscraper.reextract import Progress, reextract

REPO_ROOT = Path(__file__).resolve().parent.parent


def reextract_cmd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zamanscraper", "reextract", *args], cwd=REPO_ROOT,
        env=dict(os.environ, PYTHONUTF8="1"), capture_output=True, text=True, timeout=300,
        check=False,
    )


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def crawled(mirror_server, scrapy_cmd, tmp_path_factory):
    """A crawl of the whole mirror (both editions) that keeps its pages in several WARC files."""
    tmp = tmp_path_factory.mktemp("warc-crawl")
    result = scrapy_cmd(
        "crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "edition=both",
        "-O", str(tmp / "out.jsonl"), "-s", f"ZAMAN_REJECTS_PATH={tmp / 'rejects.jsonl'}",
        "-s", f"ZAMAN_WARC_DIR={tmp / 'warc'}", "-s", "ZAMAN_WARC_MAX_SIZE=60000",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp


def test_reextract_gives_the_crawls_records(crawled, tmp_path):
    warcs = sorted(str(p) for p in (crawled / "warc").glob("*.warc.gz"))
    assert len(warcs) > 1  # rolled over by size
    result = reextract_cmd(*warcs, "-o", str(tmp_path / "re.jsonl"))
    assert result.returncode == 0, result.stderr
    crawl, again = jsonl(crawled / "out.jsonl"), jsonl(tmp_path / "re.jsonl")
    assert len(crawl) == len(again) > 30
    key = lambda item: (item["edition"], item["article_id"])  # noqa: E731
    by_key = {key(item): item for item in again}
    assert sorted(by_key) == sorted(map(key, crawl))
    for item in crawl:
        other = by_key[key(item)]
        assert list(other) == list(item)  # same fields, same order
        assert {**other, "fetched_at": None} == {**item, "fetched_at": None}
    rejects = lambda path: sorted((r["url"], r["stage"], r["reasons"]) for r in jsonl(path))  # noqa: E731
    assert rejects(tmp_path / "re.rejects.jsonl") == rejects(crawled / "rejects.jsonl")
    assert f"items:     {len(crawl)}" in result.stdout


@pytest.mark.parametrize("content, problem", [
    (None, "no such file"),
    (b"", "not a WARC file (no record)"),
    (b'{"url": "https://en.zamanalwsl.net/news/article/5"}\n', "not a WARC file"),
    (b"<html><body>page</body></html>", "not a WARC file"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, content, problem):
    path = tmp_path / "archive.warc.gz"
    if content is not None:
        path.write_bytes(content)
    assert main(["reextract", str(path), "-o", str(tmp_path / "out.jsonl")]) == 2
    stderr = capsys.readouterr().err
    assert stderr.startswith(f"zamanscraper reextract: error: {path}: {problem}")
    assert len(stderr.splitlines()) == 1, stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_progress_on_a_terminal_and_in_a_log(tmp_path, caplog):
    warc = tmp_path / "a.warc.gz"
    warc.write_bytes(b"x" * 1000)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    progress = Progress([warc], stream=screen)
    progress.interval = 0
    progress.advance(warc, 500)
    progress.page()
    progress.finish()
    text = screen.getvalue()
    assert text.startswith("\r1 records, ") and "/s, 50% of 0.0 MB, ETA 0:00:0" in text
    progress = Progress([warc], stream=io.StringIO(), interval=0)
    with caplog.at_level(logging.INFO, logger="zamanscraper.reextract"):
        progress.page()
    assert [r.getMessage().split(",")[0] for r in caplog.records] == ["1 records"]


def test_mirror_option_maps_urls_and_error_answers_are_fetch_rejects(tmp_path):
    """A WARC whose warcinfo names no mirror (another tool's): ``--mirror`` maps the URLs back."""
    mirror = "http://127.0.0.1:9"
    page = (REPO_ROOT / "tests/fixtures/pages/en-28116-html5.html").read_bytes()
    mw = WarcWriterMiddleware(tmp_path / "warc", max_size=10**9)
    for path, status, body in [("/en.zamanalwsl.net/rss.php", 200, b"<rss/>"),
                               ("/en.zamanalwsl.net/news/article/41000", 403, b"no"),
                               ("/en.zamanalwsl.net/news/article/41000", 403, b"no"),
                               ("/en.zamanalwsl.net/news/article/28116", 200, page),
                               ("/en.zamanalwsl.net/news/article/28116", 200, page)]:
        url = mirror + path
        mw.process_response(Request(url), HtmlResponse(url, status=status, body=body))
    mw.close()
    warcs = sorted((tmp_path / "warc").glob("*.warc.gz"))
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"

    result = reextract(warcs, out, rejects)
    assert result.items == 0 and result.stats["zaman/warc/skipped_not_article"] == 5

    result = reextract(warcs, out, rejects, mirror=mirror)
    (item,) = jsonl(out)
    assert item["url"] == "https://en.zamanalwsl.net/news/article/28116"
    assert item["headline"] and result.stats["zaman/items/duplicate"] == 1  # the first one wins
    assert [(r["url"], r["stage"], r["reasons"]) for r in jsonl(rejects)] == [
        ("https://en.zamanalwsl.net/news/article/41000", "fetch", ["HTTP 403"])]
    assert not list(tmp_path.glob("*.part"))


def test_reextract_runs_the_projects_item_pipelines_in_order():
    """Built from ``ITEM_PIPELINES``; those that raise ``NotConfigured`` are left out."""
    from scrapy.utils.conf import build_component_list

    from zamanscraper import settings
    from zamanscraper.reextract import OfflineCrawler, Stats, project_settings, record_pipelines

    built = record_pipelines(OfflineCrawler(project_settings(), Stats()))
    names = [f"{type(p).__module__}.{type(p).__name__}" for p in built]
    configured = build_component_list(settings.ITEM_PIPELINES)
    assert names == [name for name in configured if name in names]  # the crawl's order
    for kind in ("clean", "validate", "dedupe"):
        assert f"zamanscraper.pipelines.{kind}" in {name.rsplit(".", 1)[0] for name in names}
