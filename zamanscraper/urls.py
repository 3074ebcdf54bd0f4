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
#: /news/articles/{section}/{page}
LISTING_PATH = re.compile(r"^/news/articles/(?P<section>\d+)(?:/(?P<page>\d+))?/?$")
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
    >>> edition_of("https://example.org/news/1.html") is None
    True
    """
    host = (urlsplit(url).hostname or "").lower()
    return HOST_EDITIONS.get(host)


def article_key(url: str) -> tuple[str, int] | None:
    """``(edition, id)`` for any URL form of a site article, else None.

    >>> article_key("https://en.zamanalwsl.net/news/article/28116/like")
    ('en', 28116)
    >>> article_key("http://www.zamanalwsl.net/news/172435.html")
    ('ar', 172435)
    >>> article_key("https://en.zamanalwsl.net/news/articles/30/2") is None
    True
    """
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
    >>> is_vote_url("https://en.zamanalwsl.net/news/article/28116")
    False
    """
    m = ARTICLE_PATH.match(urlsplit(url).path)
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
    try:
        absolute = urljoin(base, src)
        parts = urlsplit(absolute)
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    path = re.sub(r"/{2,}", "/", parts.path)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{path}{query}"
