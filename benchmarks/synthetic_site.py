#!/usr/bin/env python3
"""A Zaman-like site of any size, generated on the fly over loopback, for crawl benchmarks.

    python benchmarks/synthetic_site.py [--articles 100000] [--seed 1] [--delay 0] [--port 0]

Serves the mirror layout of ``-a mirror=`` (``zamanscraper.urls.to_mirror``: ``/{host}/{path}``)
for both editions, so these crawls work against it::

    scrapy crawl zaman -a mirror=http://127.0.0.1:PORT -a ids=1-100000
    scrapy crawl zaman -a mirror=http://127.0.0.1:PORT -a edition=both -a max_pages=50

- articles ``1..N`` of each edition, at every article URL form (``/news/article/{id}``,
  ``/news/{id}.html``, ``/like`` …); ids above N answer 404;
- each article is one of the fixture sources (``tests/fixtures/articles``) with a new id, a
  numbered headline and its paragraphs rotated, rendered by one of the fixture builders' markup
  families (``build_fixtures.py``, ``build_blind.py``), all picked from ``--seed`` and the id:
  the same seed always serves the same bytes;
- section listings ``/news/articles/{section}/{page}`` (20 articles a page, newest first, the
  builders' listing template; en sections 1 and 30, ar section 3) and the RSS feeds
  (``/rss.php``, ``/news/rss/52/``, ``/news/rss/94/``: the newest 30);
- ``--delay SECONDS``: every answer waits that long first (a slow network or site); requests are
  served concurrently, one thread each.

Prints ``serving http://127.0.0.1:PORT`` (flushed) once it listens; Ctrl-C or SIGTERM stops it.
"""

from __future__ import annotations

import argparse
import copy
import functools
import random
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
sys.path.insert(0, str(FIXTURES))
sys.path.insert(0, str(FIXTURES.parents[1]))

import build_blind  # noqa: E402
import build_fixtures  # noqa: E402

from fixturekit import load_articles  # noqa: E402
from zamanscraper.urls import ARTICLE_PATH, HOST_EDITIONS, HOSTS, LISTING_PATH  # noqa: E402

#: markup family -> renderer of an article source (the fixture builders' own templates)
FAMILIES = {
    **{fam: build_fixtures.RENDER[fam] for fam in ("html5", "soup", "minimal", "plain")},
    **{fam: (lambda a, ids, render=build_blind.RENDER[fam]: render(build_blind.Ctx(a, ids)))
       for fam in ("wp", "bootstrap", "amp", "tables2")},
}
#: edition -> the sections its listings page through
SECTIONS = {"en": (1, 30), "ar": (3,)}
PER_PAGE = 20
FEED_ITEMS = 30
FEED_PATHS = {"/rss.php", "/news/rss/52", "/news/rss/94"}
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"


class Site:
    """The generated site: ``n`` articles per edition, deterministic from ``seed``."""

    def __init__(self, n: int, seed: int = 1):
        self.n = n
        self.seed = seed
        sources = load_articles()
        self.templates = {ed: [a for a in sources if a["edition"] == ed] for ed in HOSTS}

    # --- articles ------------------------------------------------------------------------

    def source(self, ed: str, aid: int) -> dict:
        """The article source of ``(ed, aid)``: a fixture source given this id.

        >>> site = Site(10, seed=3)
        >>> a = site.source("en", 7)
        >>> a["article_id"], a["headline"].endswith("(7)"), a == site.source("en", 7)
        (7, True, True)
        """
        rng = random.Random(f"{self.seed}:{ed}:{aid}")
        a = copy.deepcopy(rng.choice(self.templates[ed]))
        a["article_id"] = aid
        a["headline"] = f"{a['headline']} ({aid})"
        paragraphs = a["body_paragraphs"]
        if len(paragraphs) > 2:  # the first keeps its lead prefix, the rest change order
            k = rng.randrange(1, len(paragraphs))
            a["body_paragraphs"] = [paragraphs[0], *paragraphs[k:], *paragraphs[1:k]]
        return a

    def family(self, ed: str, aid: int) -> str:
        return random.Random(f"{self.seed}:{ed}:{aid}:family").choice(sorted(FAMILIES))

    def neighbours(self, ed: str, aid: int) -> list[dict]:
        """A few other articles of the edition, for the ticker, related and prev/next links."""
        ids = sorted({max(1, min(self.n, aid + d)) for d in (-3, -2, -1, 1, 2, 3)} | {aid})
        return [self.stub(ed, i) for i in ids]

    @functools.lru_cache(maxsize=4096)  # noqa: B019 -- one Site per process
    def stub(self, ed: str, aid: int) -> dict:
        a = self.source(ed, aid)
        return {"article_id": aid, "headline": a["headline"], "keywords": a.get("keywords") or []}

    def article_page(self, ed: str, aid: int) -> bytes | None:
        if not 1 <= aid <= self.n:
            return None
        a = self.source(ed, aid)
        family = self.family(ed, aid)
        if family in build_fixtures.FAMILIES:
            page = FAMILIES[family](a, [x["article_id"] for x in self.neighbours(ed, aid)])
        else:
            page = FAMILIES[family](a, [a if x["article_id"] == aid else x for x in self.neighbours(ed, aid)])
        return page.encode("utf-8")

    # --- discovery -----------------------------------------------------------------------

    def section_ids(self, ed: str, section: int, page: int) -> tuple[list[int], bool]:
        """The ids listed on ``page`` of ``section`` (newest first) and whether it is the last."""
        sections = SECTIONS[ed]
        slot = sections.index(section)
        step = len(sections)
        newest = self.n - ((self.n - slot) % step)  # the ids of a section: aid % step == slot
        start = newest - (page - 1) * PER_PAGE * step
        ids = [i for i in range(start, start - PER_PAGE * step, -step) if i >= 1]
        return ids, not ids or ids[-1] - step < 1

    def listing_page(self, ed: str, section: int, page: int) -> bytes | None:
        if section not in SECTIONS[ed] or page < 1:
            return None
        ids, last = self.section_ids(ed, section, page)
        if not ids:
            return None
        entries = []
        for k, aid in enumerate(ids):
            a = self.source(ed, aid)
            entries.append({"href": build_fixtures.url_form(ed, aid, k, relative=True),
                            "title": a["headline"], "teaser": build_fixtures.teaser(a)})
        return build_fixtures.listing_page(ed, section, page, entries, last).encode("utf-8")

    def feed(self, ed: str, path: str) -> bytes:
        items = []
        for k, aid in enumerate(range(self.n, max(0, self.n - FEED_ITEMS), -1)):
            a = self.source(ed, aid)
            items.append({"title": a["headline"], "link": build_fixtures.url_form(ed, aid, k, relative=False),
                          "description": build_fixtures.teaser(a),
                          "pubDate": build_fixtures.rss_date(a.get("published_at"))})
        title = build_fixtures.LABELS[ed]["site"]
        return build_fixtures.rss(ed, title, f"https://{HOSTS[ed]}{path}", items).encode("utf-8")

    def answer(self, path: str) -> tuple[int, str, bytes]:
        """``(status, content type, body)`` for a request path of the mirror (``/{host}/…``).

        >>> site = Site(40)
        >>> site.answer("/en.zamanalwsl.net/news/article/40")[0], site.answer("/en.zamanalwsl.net/news/41.html")[0]
        (200, 404)
        >>> status, kind, body = site.answer("/www.zamanalwsl.net/news/articles/3/2")
        >>> status, kind, b"/news/articles/3/1" in body
        (200, 'text/html; charset=utf-8', True)
        >>> site.answer("/en.zamanalwsl.net/rss.php")[1]
        'application/rss+xml; charset=utf-8'
        """
        path = path.split("?", 1)[0]
        host, _, rest = path.lstrip("/").partition("/")
        ed = HOST_EDITIONS.get(host.lower())
        rest = "/" + rest
        body = None
        kind = HTML
        if ed is not None:
            if (m := ARTICLE_PATH.match(rest)) is not None:
                body = self.article_page(ed, int(m["old"] or m["new"]))
            elif (m := LISTING_PATH.match(rest)) is not None:
                body = self.listing_page(ed, int(m["section"]), int(m["page"] or 1))
            elif rest.rstrip("/") in FEED_PATHS:
                body, kind = self.feed(ed, rest), RSS
        if body is None:
            return 404, HTML, b"<html><body><h1>Not Found</h1></body></html>"
        return 200, kind, body


def handler_class(site: Site, delay: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 -- http.server's name
            if delay:
                time.sleep(delay)
            status, kind, body = site.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002 -- quiet: one line per request is too much
            pass

    return Handler


def make_server(n: int, *, seed: int = 1, delay: float = 0.0, port: int = 0) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_class(Site(n, seed), delay))
    server.daemon_threads = True
    server.request_queue_size = 256
    return server


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000, help="articles per edition (ids 1..N)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--delay", type=float, default=0.0, help="seconds every answer waits first")
    ap.add_argument("--port", type=int, default=0, help="default: a free port picked by the OS")
    args = ap.parse_args(argv)
    if args.articles < 1 or args.delay < 0 or not 0 <= args.port < 65536:
        ap.error("--articles must be >= 1, --delay >= 0, --port 0..65535")
    server = make_server(args.articles, seed=args.seed, delay=args.delay, port=args.port)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"serving http://127.0.0.1:{server.server_address[1]} ({args.articles} articles per edition, "
          f"seed {args.seed}, delay {args.delay}s)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
