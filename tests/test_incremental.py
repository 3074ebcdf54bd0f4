"""Incremental reruns with the seen-store (``ZAMAN_STATE_PATH``): a rerun over an unchanged
mirror fetches no article page that succeeded before and writes no record; after one article is
added, it fetches and writes only that one."""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
import sqlite3

from zamanscraper import mirror, urls
from zamanscraper.seenstore import SeenStore

STAT = re.compile(r"'(zaman/[^']+|item_scraped_count)': ([0-9.]+)")
NEW_ID = 99001


def article_keys(paths: list[str]) -> list[tuple[str, int]]:
    keys = [urls.article_key("https:/" + p) for p in paths]
    return [k for k in keys if k is not None]


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def run(scrapy_cmd, base: str, tmp_path, name: str, *args: str):
    out = tmp_path / f"{name}.jsonl"
    result = scrapy_cmd(
        "crawl", "zaman", "-a", f"mirror={base}", "-a", "edition=both", *args,
        "-o", str(out), "-s", f"ZAMAN_STATE_PATH={tmp_path / 'state.sqlite'}",
        "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}",
    )
    # monitors on: a healthy rerun that fetches a handful of pages must exit 0 (a scheduled job
    # reads its status); shares are not judged on fewer than ZAMAN_MONITOR_MIN_PAGES pages
    assert result.returncode == 0, result.stderr[-3000:]
    return lines(out), {k: float(v) for k, v in STAT.findall(result.stderr)}


def add_article(site) -> None:
    """A new English article (a copy of another page under a new id), linked from the feed."""
    source = site / "en.zamanalwsl.net" / "news" / "article" / "28116" / "index.html"
    target = site / "en.zamanalwsl.net" / "news" / "article" / str(NEW_ID) / "index.html"
    target.parent.mkdir(parents=True)
    shutil.copy(source, target)
    feed = site / "en.zamanalwsl.net" / "rss.php"
    item = f"<item><link>https://en.zamanalwsl.net/news/article/{NEW_ID}</link></item>\n"
    feed.write_text(feed.read_text(encoding="utf-8").replace("<item>", item + "<item>", 1), encoding="utf-8")


def test_rerun_fetches_and_writes_only_what_is_new(mirror_server, scrapy_cmd, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(mirror_server.root, site)
    log: list[str] = []
    with mirror.serve(site, requests=log) as base:
        first, stats1 = run(scrapy_cmd, base, tmp_path, "first")
        fetched_first = set(article_keys(log))
        written = {(r["edition"], r["article_id"]) for r in first}
        assert len(written) >= 30

        mark = len(log)
        second, stats2 = run(scrapy_cmd, base, tmp_path, "second")
        fetched_again = set(article_keys(log[mark:]))
        assert second == []  # nothing written
        assert fetched_again & written == set()  # no article page that gave a record
        assert fetched_again == fetched_first - written  # only those that failed: tried again
        assert stats2["zaman/articles/skipped_stored"] == len(written)

        add_article(site)
        mark = len(log)
        third, stats3 = run(scrapy_cmd, base, tmp_path, "third")
        assert [(r["edition"], r["article_id"]) for r in third] == [("en", NEW_ID)]
        assert set(article_keys(log[mark:])) == (fetched_first - written) | {("en", NEW_ID)}

    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        ok = db.execute("SELECT count(*) FROM articles WHERE last_status = 'ok'").fetchone()[0]
        failed = dict(db.execute("SELECT article_id, last_status FROM articles WHERE last_status != 'ok'"))
    assert ok == len(written) + 1
    assert failed[40404] == "HTTP 404"
    print(f"requests saved on rerun: {len(fetched_first)} article pages in run 1, "
          f"{len(fetched_again)} in run 2 ({len(written)} saved)")


def test_mode_update_stops_paging_at_a_stored_page(mirror_server, scrapy_cmd, tmp_path):
    _, first = run(scrapy_cmd, mirror_server.base, tmp_path, "first", "-a", "sections=30")
    _, update = run(scrapy_cmd, mirror_server.base, tmp_path, "update", "-a", "sections=30", "-a", "mode=update")
    assert first["zaman/listings/pages"] == 2  # en section 30 has two pages (ar has none)
    assert update["zaman/listings/stopped_update"] == 1
    assert update["zaman/listings/pages"] == 1  # page 1 holds only stored articles: stop there


def test_mode_archive_pages_every_listing_to_the_oldest(mirror_server, scrapy_cmd, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(mirror_server.root, site)
    listings = site / "en.zamanalwsl.net" / "news" / "articles" / "1"
    page3 = listings / "3" / "index.html"  # the last page so far: give it a page 4
    page3.write_text(page3.read_text(encoding="utf-8").replace(
        "</body>", '<a href="/news/articles/1/4">4</a></body>'), encoding="utf-8")
    (listings / "4").mkdir()
    (listings / "4" / "index.html").write_text(
        '<html><body><a href="/news/article/28116">old</a></body></html>', encoding="utf-8")
    with mirror.serve(site) as base:
        _, default = run(scrapy_cmd, base, tmp_path, "default", "-a", "sections=1")
        (tmp_path / "second").mkdir()  # its own seen-store: pages are walked whatever is stored
        _, archive = run(scrapy_cmd, base, tmp_path / "second", "archive", "-a", "sections=1", "-a", "mode=archive")
    assert default["zaman/listings/pages"] == 3  # max_pages default
    assert archive["zaman/listings/pages"] == 4  # to the oldest page


def test_two_processes_share_one_store_without_locking_each_other_out(tmp_path):
    """Two connections to one path act as two workers sharing a seen-store: a batch not yet
    committed by one holds no lock on the other, and each reads what the other committed."""
    path = tmp_path / "state.sqlite"
    a, b = SeenStore(path), SeenStore(path)
    a.stored(("en", 1), "https://en.zamanalwsl.net/news/article/1", "h1", "2017-07-17")
    assert a.get(("en", 1)).content_hash == "h1"  # its own pending batch
    b.failed(("en", 2), "https://en.zamanalwsl.net/news/article/2", "HTTP 503")
    b.commit()  # a's open batch must not make this wait and fail with "database is locked"
    a.stored(("en", 1), "https://en.zamanalwsl.net/news/article/1", "h2", None)
    a.commit()
    assert a.get(("en", 2)).last_status == "HTTP 503"
    seen = b.get(("en", 1))
    assert (seen.content_hash, seen.published, seen.last_status) == ("h2", "2017-07-17", "ok")
    a.close(), b.close()


def _open_and_close(path) -> None:
    SeenStore(path).close()


def test_two_processes_create_one_store_at_the_same_moment(tmp_path):
    """Two workers started together on one new store path: switching the new file to WAL took a
    lock SQLite's busy timeout did not wait for, and one of them failed with "database is
    locked" (about one start in 40). Both must open it, every time."""
    context = multiprocessing.get_context("fork")
    for n in range(40):
        path = tmp_path / f"state-{n}.sqlite"
        processes = [context.Process(target=_open_and_close, args=(path,)) for _ in range(2)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(30)
        assert [process.exitcode for process in processes] == [0, 0], f"round {n}"
