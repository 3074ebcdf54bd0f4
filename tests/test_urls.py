"""The fast paths of ``zamanscraper.urls`` against the rules they stand for: ``article_key``
and ``repair_image_url`` answer the site's usual spellings with one regex match, and must answer
every URL exactly as ``_article_key`` and ``_repaired`` (which parse it) do."""

from __future__ import annotations

import gzip
import itertools
import random
from pathlib import Path

from lxml import etree

from truth import FIXTURES
from zamanscraper import urls

AEB_HTML = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "aeb" / "html"
BASES = ("https://en.zamanalwsl.net/news/article/28116", "https://www.zamanalwsl.net/news/article/5",
         "http://127.0.0.1:8000/en.zamanalwsl.net/news/article/1", "HTTPS://Example.org/a/b?q#f",
         "https://user@example.org:8080/x/", "https://example.org")
#: pieces that awkward URLs are made of
SCHEMES = ("https://", "http://", "HTTP://", "ftp://", "//", "", "javascript:", "data:image/png;base64,")
HOSTS = ("en.zamanalwsl.net", "www.zamanalwsl.net", "zamanalwsl.net", "EN.zamanalwsl.net", "example.org",
         "en.zamanalwsl.net:443", "en.zamanalwsl.net:x", "u:p@example.org", "[::1]", "[broken", "a..b", "-",
         "www.zamanalwsl.netuploads", "en.zamanalwsl.net.evil.com", "")
PATHS = ("/news/article/28116", "/news/article/28116/", "/news/28116.html", "/news/article/5/like",
         "/news/article/5/dislike/", "/news/articles/30/2", "/news/article/٥", "/news/article/5\n",
         "/uploads//x.png", "/CustomImage/get/700/500/ab12.jpg", "/a/./b.png", "/a/../b.png", "/.x",
         "/a b.png", "/a\tb.png", "/ü/ö.png", "/x.png?", "/x.png?w=1", "/x.png?w=1#f", "/x.png#f", "",
         "/", "x.png", "../x.png", "/a\\b.png", "/x.png?a//b", "//x.png", "/%2F/x.png")


def awkward_urls() -> list[str]:
    made = ["".join(p) for p in itertools.product(SCHEMES, HOSTS, PATHS)]
    rng = random.Random(11)
    made += ["".join(rng.choice(pool) for pool in (SCHEMES, HOSTS, PATHS, PATHS)) for _ in range(3000)]
    made += [f" {u}\n" for u in made[:500]] + ["\x00" + u for u in made[:100]]
    return made


def page_image_sources() -> list[str]:
    """Every <img> src and data-src on the fixture pages and the AEB pages (where they are: not
    in a clone outside the workspace, as CI's)."""
    pages = [p.read_bytes() for p in sorted(FIXTURES.rglob("*.html"))]
    pages += [gzip.decompress(p.read_bytes()) for p in sorted(AEB_HTML.glob("*.html.gz"))]
    found = []
    for data in pages:
        root = etree.fromstring(data, etree.HTMLParser()) if data.strip() else None
        if root is not None:
            found += [v for img in root.iter("img") for v in (img.get("src"), img.get("data-src")) if v]
    return found


def test_article_key_fast_path_answers_as_the_rules_do():
    for url in awkward_urls():
        assert urls.article_key(url) == urls._article_key(url), repr(url)


def test_repair_image_url_fast_paths_answer_as_the_rules_do():
    found = page_image_sources()
    assert len(found) > 1_000  # the fixture pages' alone (with the AEB pages where they are, more)
    sources = awkward_urls() + found
    for src, base in itertools.product(sources, BASES):
        if urls.FUSED_HOST.match(src.strip()):
            continue  # the fused-host seam is repaired before the rules run: not a fast path
        want = urls._repaired(src.strip(), base) if src.strip() else None
        assert urls.repair_image_url(src, base) == want, (src, base)
