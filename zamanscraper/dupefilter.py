"""Duplicate filter that forgets everything between runs (``DUPEFILTER_CLASS``), one bit an article.

Scrapy's ``RFPDupeFilter`` keeps the fingerprints of a ``JOBDIR`` crawl in ``requests.seen``.
After a ``kill -9`` that file may hold requests that were scheduled but never done, while the
disk queue that held them is lost: a resumed crawl would filter them out when it rediscovers
them, and their articles would be lost. This filter keeps fingerprints in memory for one run
only; what is already done is known from the output and the seen-store instead
(``zamanscraper.output``, ``zamanscraper.seen``), which are written before anything counts as
done.

A fingerprint costs about 90 bytes in memory (9 MB per 100,000 requests, growing all crawl
long). Most requests of an archive crawl fetch an article's canonical URL (or its mirror form),
so those are kept as one bit per ``(edition, article_id)``
(:class:`zamanscraper.articleset.ArticleSet`) and only the others (feeds, listings, redirect
targets) as fingerprints. The result is the same as Scrapy's: a request counts as an article
request exactly when its canonical URL (``w3lib.url.canonicalize_url``, what the fingerprint
hashes) is the one an article is fetched as, and it is a GET without a body, so two requests
are duplicates here exactly when their fingerprints are equal.
"""

from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.request import RequestFingerprinter
from w3lib.url import canonicalize_url

from zamanscraper import urls
from zamanscraper.articleset import ArticleSet


def article_of(url: str, mirror: str | None) -> tuple[tuple[str, int], str] | None:
    """``(key, fetch URL)`` of the article ``url`` is most likely a request of, or None.

    >>> article_of("http://127.0.0.1:8/en.zamanalwsl.net/news/article/5", "http://127.0.0.1:8")
    (('en', 5), 'http://127.0.0.1:8/en.zamanalwsl.net/news/article/5')
    >>> article_of("https://www.zamanalwsl.net/news/5.html", None)
    (('ar', 5), 'https://www.zamanalwsl.net/news/article/5')
    >>> article_of("https://en.zamanalwsl.net/rss.php", None) is None
    True
    """
    try:
        key = urls.article_key(urls.from_mirror(url, mirror) if mirror else url)
    except ValueError:
        return None
    if key is None:
        return None
    canonical = urls.canonical_url(*key)
    return key, urls.to_mirror(canonical, mirror) if mirror else canonical


class RunDupeFilter(RFPDupeFilter):
    def __init__(self, path=None, debug: bool = False, *, fingerprinter=None, crawler=None):
        super().__init__(None, debug, fingerprinter=fingerprinter)
        self.crawler = crawler
        self.articles = ArticleSet()
        self._mirror: str | None = None
        self._fast = False  # canonical fetch URLs are their own canonicalize_url
        self._bits = False  # article requests kept as bits (set by open)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"),
                   fingerprinter=crawler.request_fingerprinter, crawler=crawler)

    def open(self):
        spider = getattr(self.crawler, "spider", None)
        self._mirror = getattr(getattr(spider, "args", None), "mirror", None)
        samples = [urls.canonical_url(edition, 1) for edition in ("en", "ar")]
        if self._mirror:
            samples = [urls.to_mirror(url, self._mirror) for url in samples]
        self._fast = all(canonicalize_url(url) == url for url in samples)
        # another fingerprinter may hash more than the URL: then every request is fingerprinted
        self._bits = type(self.fingerprinter) is RequestFingerprinter
        return super().open()

    def article_key(self, request) -> tuple[str, int] | None:
        """The article ``request`` fetches by its canonical URL (GET, no body), else None."""
        if not self._bits or request.method != "GET" or request.body:
            return None
        found = article_of(request.url, self._mirror)
        if found is not None and self._fast and request.url == found[1]:
            return found[0]
        canonical = canonicalize_url(request.url)
        found = article_of(canonical, self._mirror)
        if found is not None and canonicalize_url(found[1]) == canonical:
            return found[0]
        return None

    def request_seen(self, request) -> bool:
        key = self.article_key(request)
        if key is None:
            return super().request_seen(request)
        if key in self.articles:
            return True
        self.articles.add(key)
        return False
