"""Site URLs: editions, canonical article URLs, the offline mirror mapping, image repair.

Every URL rule of the site lives here (see ``shared/site/NOTES.md``, "URL forms").
All functions are pure.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

#: edition -> canonical host
HOSTS = {"en": "en.zamanalwsl.net", "ar": "www.zamanalwsl.net"}
#: every host the site answers on -> edition
HOST_EDITIONS = {
    "en.zamanalwsl.net": "en",
    "www.zamanalwsl.net": "ar",
    "zamanalwsl.net": "ar",
}
EDITIONS = ("en", "ar")

#: /news/{id}.html, /news/article/{id}, /news/article/{id}/, .../like, .../dislike
ARTICLE_PATH = re.compile(
    r"^/news/(?:(?P<old>\d+)\.html|article/(?P<new>\d+)(?:/(?P<vote>like|dislike))?)/?$"
)
#: an article URL as the site and the spider write it: http(s), a site host in lowercase, no
#: port, user, query or fragment (anything else is parsed by ``_article_key``)
PLAIN_ARTICLE_URL = re.compile(
    r"https?://(?P<host>en\.zamanalwsl\.net|www\.zamanalwsl\.net|zamanalwsl\.net)"
    r"/news/(?:(?P<old>\d+)\.html|article/(?P<new>\d+)(?:/(?:like|dislike))?)/?\Z"
)
#: /news/articles/{section}/{page}
LISTING_PATH = re.compile(r"^/news/articles/(?P<section>\d+)(?:/(?P<page>\d+))?/?$")
#: a path (and query) that joining and the rules of ``repair_image_url`` leave as it is: no
#: ``//``, no dot segment (no ``/.`` at all), no fragment, no empty query, no space or control
PLAIN_PATH = re.compile(r"(?:/(?!/|\.)[^/?#\x00-\x20\x7f]*)+(?:\?[^#\x00-\x20\x7f]+)?\Z")
#: an absolute URL those rules leave as it is: lowercase http(s), a plain host, a plain path
PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+" + PLAIN_PATH.pattern)
#: the scheme and host of a page URL as the spider writes it
PLAIN_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?=/|\Z)")
#: the host fused with the path, as seen in feed enclosures: ``https://www.zamanalwsl.netuploads//x.png``
FUSED_HOST = re.compile(
    r"^(?P<scheme>https?)://(?P<host>(?:www\.|en\.)?zamanalwsl\.net)(?P<path>[^/:?#].*)$",
    re.IGNORECASE,
)


def edition_of(url: str) -> str | None:
    """The edition a site URL belongs to, from its host; None for other hosts.

    >>> edition_of("http://zamanalwsl.net/news/article/24015/")
    'ar'
    >>> edition_of("https://en.zamanalwsl.net/news/28116.html")
    'en'
    >>> edition_of("https://example.org/news/1.html") is None, edition_of("http://[broken/news/1.html") is None
    (True, True)
    """
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # no host can be read ("Invalid IPv6 URL")
        return None
    return HOST_EDITIONS.get(host)


def article_key(url: str) -> tuple[str, int] | None:
    """``(edition, id)`` for any URL form of a site article, else None.

    >>> article_key("https://en.zamanalwsl.net/news/article/28116/like")
    ('en', 28116)
    >>> article_key("http://www.zamanalwsl.net/news/172435.html")
    ('ar', 172435)
    >>> article_key("https://en.zamanalwsl.net/news/articles/30/2") is None
    True
    >>> article_key("HTTPS://EN.zamanalwsl.net:443/news/article/5/?utm=x#top")
    ('en', 5)
    """
    plain = PLAIN_ARTICLE_URL.match(url)  # the site's own spellings: one match, no URL parsing
    if plain:
        return HOST_EDITIONS[plain["host"]], int(plain["old"] or plain["new"])
    return _article_key(url)


def _article_key(url: str) -> tuple[str, int] | None:
    """:func:`article_key` for every URL (the specification its fast path is tested against)."""
    edition = edition_of(url)
    if edition is None:
        return None
    m = ARTICLE_PATH.match(urlsplit(url).path)
    if not m:
        return None
    return edition, int(m["old"] or m["new"])


def is_vote_url(url: str) -> bool:
    """True for the ``/like`` and ``/dislike`` vote links, which must never be requested.

    >>> is_vote_url("https://en.zamanalwsl.net/news/article/28116/dislike/")
    True
    >>> is_vote_url("https://en.zamanalwsl.net/news/article/28116"), is_vote_url("http://[x/news/article/1/like")
    (False, False)
    """
    try:
        m = ARTICLE_PATH.match(urlsplit(url).path)
    except ValueError:  # not a URL that can be read at all
        return False
    return bool(m and m["vote"])


def canonical_url(edition: str, article_id: int) -> str:
    """The one URL an article is fetched as and recorded under.

    >>> canonical_url("ar", 24015)
    'https://www.zamanalwsl.net/news/article/24015'
    """
    return f"https://{HOSTS[edition]}/news/article/{article_id}"


def canonicalize(url: str) -> str | None:
    """Canonical URL for any form of an article URL, else None.

    >>> canonicalize("http://en.zamanalwsl.net/news/28116.html")
    'https://en.zamanalwsl.net/news/article/28116'
    """
    key = article_key(url)
    return canonical_url(*key) if key else None


def to_mirror(url: str, mirror: str) -> str:
    """Map a site URL onto an offline mirror laid out like ``wget -x`` output.

    >>> to_mirror("https://en.zamanalwsl.net/news/article/28116", "http://127.0.0.1:8000/")
    'http://127.0.0.1:8000/en.zamanalwsl.net/news/article/28116'
    >>> to_mirror("https://zamanalwsl.net/rss.php?x=1", "http://127.0.0.1:8000")
    'http://127.0.0.1:8000/www.zamanalwsl.net/rss.php?x=1'
    """
    parts = urlsplit(url)
    host = HOSTS[HOST_EDITIONS[(parts.hostname or "").lower()]]
    query = f"?{parts.query}" if parts.query else ""
    return f"{mirror.rstrip('/')}/{host}{parts.path or '/'}{query}"


def from_mirror(url: str, mirror: str) -> str:
    """Inverse of :func:`to_mirror`: the site URL a mirror URL stands for (https).

    >>> from_mirror("http://127.0.0.1:8000/www.zamanalwsl.net/news/article/5", "http://127.0.0.1:8000")
    'https://www.zamanalwsl.net/news/article/5'
    >>> from_mirror("https://en.zamanalwsl.net/news/article/5", "http://127.0.0.1:8000")
    'https://en.zamanalwsl.net/news/article/5'
    """
    prefix = mirror.rstrip("/") + "/"
    if not url.startswith(prefix):
        return url
    return "https://" + url[len(prefix):]


def repair_image_url(src: str | None, base: str) -> str | None:
    """An absolute image URL, with the feeds' fused-host seam repaired; None when unusable.

    >>> repair_image_url("https://www.zamanalwsl.netuploads//abcd1234.png", "https://www.zamanalwsl.net/")
    'https://www.zamanalwsl.net/uploads/abcd1234.png'
    >>> repair_image_url("/CustomImage/get/700/500/ab12.jpg", "https://en.zamanalwsl.net/news/article/1")
    'https://en.zamanalwsl.net/CustomImage/get/700/500/ab12.jpg'
    >>> repair_image_url("http://[broken/x.png", "https://en.zamanalwsl.net/") is None
    True
    >>> repair_image_url("javascript:alert(1)", "https://en.zamanalwsl.net/") is None
    True
    """
    if not src or not src.strip():
        return None
    src = src.strip()
    fused = FUSED_HOST.match(src)
    if fused:
        src = f"{fused['scheme']}://{fused['host']}/{fused['path']}"
    elif PLAIN_URL.match(src):  # already what the rules below would make of it
        return src
    elif src[:1] == "/" and PLAIN_PATH.match(src) and (origin := PLAIN_ORIGIN.match(base)):
        return origin[0] + src
    return _repaired(src, base)


def _repaired(src: str, base: str) -> str | None:
    """The rules of :func:`repair_image_url` for any stripped source (the specification its
    fast paths are tested against)."""
    try:
        # an absolute URL needs no joining (urljoin parses both URLs: the costlier half)
        absolute = src if src.startswith(("https://", "http://")) else urljoin(base, src)
        parts = urlsplit(absolute)
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    path = re.sub(r"/{2,}", "/", parts.path)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{path}{query}"


# --- discovery: feeds, listings, site checks, mirror base -------------------------------------

#: edition -> RSS feed paths, in the order they are requested
FEED_PATHS = {"en": ("/rss.php", "/news/rss/52/"), "ar": ("/news/rss/94/", "/rss.php")}
#: what ``mirror=`` must look like: ``http(s)://host:port``, nothing after but an optional ``/``
MIRROR_BASE = re.compile(r"^https?://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}/?$")


def feed_urls(edition: str) -> list[str]:
    """The RSS feed URLs of an edition.

    >>> feed_urls("ar")
    ['https://www.zamanalwsl.net/news/rss/94/', 'https://www.zamanalwsl.net/rss.php']
    """
    return [f"https://{HOSTS[edition]}{path}" for path in FEED_PATHS[edition]]


def listing_url(edition: str, section: int, page: int) -> str:
    """The URL of page ``page`` (1 = newest) of a section listing.

    >>> listing_url("en", 30, 2)
    'https://en.zamanalwsl.net/news/articles/30/2'
    """
    return f"https://{HOSTS[edition]}/news/articles/{section}/{page}"


def listing_key(url: str) -> tuple[str, int, int] | None:
    """``(edition, section, page)`` of a section listing URL (no page number = page 1), else None.

    >>> listing_key("http://en.zamanalwsl.net/news/articles/30/3/")
    ('en', 30, 3)
    >>> listing_key("https://www.zamanalwsl.net/news/articles/7")
    ('ar', 7, 1)
    >>> listing_key("https://en.zamanalwsl.net/news/article/30") is None
    True
    """
    edition = edition_of(url)
    if edition is None:
        return None
    m = LISTING_PATH.match(urlsplit(url).path)
    if not m:
        return None
    return edition, int(m["section"]), int(m["page"] or 1)


def is_site_url(url: str) -> bool:
    """True for an absolute http(s) URL on one of the site's hosts.

    >>> is_site_url("http://zamanalwsl.net/news/1.html")
    True
    >>> is_site_url("ftp://en.zamanalwsl.net/x")
    False
    >>> is_site_url("https://zamanalwsl.net.evil.example/news/1.html")
    False
    """
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        return False
    return scheme in ("http", "https") and edition_of(url) is not None


def is_mirror_base(url: str) -> bool:
    """True when ``url`` can serve as the ``mirror=`` base: ``http(s)://host:port`` only.

    >>> is_mirror_base("http://127.0.0.1:8000")
    True
    >>> is_mirror_base("http://localhost:8000/")
    True
    >>> is_mirror_base("http://127.0.0.1")
    False
    >>> is_mirror_base("127.0.0.1:8000")
    False
    >>> is_mirror_base("http://127.0.0.1:8000/site")
    False
    """
    return bool(MIRROR_BASE.match(url)) and 0 < int(url.rstrip("/").rsplit(":", 1)[1]) < 65536
