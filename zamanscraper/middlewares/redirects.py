"""Redirects are followed only within the site (or, in mirror mode, within the mirror).

Scrapy follows any redirect: the spider sets no ``allowed_domains``, so a ``Location:
http://elsewhere.example/x`` would be fetched and recorded under the Zaman URL, and a mirror
crawl would leave the mirror. This middleware sits before ``RedirectMiddleware`` (600) and
``MetaRefreshMiddleware`` (580) on the way in, and refuses:

* a 3xx whose target is off-site: :class:`~zamanscraper.failures.OffsiteRedirect`
  (``redirect off-site to http://elsewhere.example/x``);
* a 3xx back to a URL already visited on the way (A -> B -> A):
  :class:`~zamanscraper.failures.RedirectLoop`, which the duplicate filter would otherwise drop
  silently;
* any redirected request (meta refresh included) that is about to leave the site.

Both are ``IgnoreRequest``: the request's errback records a fetch reject naming the target.
Allowed: the site's hosts (``zamanscraper.urls.HOST_EDITIONS``); with ``mirror=``, only the
mirror's ``host:port`` and, inside it, only the site's hosts' folders. Disabled with
``REDIRECT_ENABLED = False`` (nothing is followed then).
"""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin

from scrapy.exceptions import NotConfigured
from w3lib.url import safe_url_string

from zamanscraper import urls
from zamanscraper.failures import OffsiteRedirect, RedirectLoop

#: statuses RedirectMiddleware follows
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def redirect_allowed(url: str, mirror: str | None = None) -> bool:
    """True when a redirect may lead to ``url``: a site URL, or a site folder of the mirror.

    >>> redirect_allowed("http://zamanalwsl.net/news/article/5"), redirect_allowed("http://elsewhere.example/x")
    (True, False)
    >>> m = "http://127.0.0.1:8000"
    >>> redirect_allowed(m + "/en.zamanalwsl.net/news/article/5", m), redirect_allowed(m + "/elsewhere.example/x", m)
    (True, False)
    >>> redirect_allowed("https://en.zamanalwsl.net/news/article/5", m)  # the live site: leaves the mirror
    False
    >>> redirect_allowed("http://127.0.0.1:8001/en.zamanalwsl.net/", m)  # another port
    False
    """
    if mirror:
        prefix = mirror.rstrip("/") + "/"
        return url.startswith(prefix) and urls.is_site_url(urls.from_mirror(url, mirror))
    return urls.is_site_url(url)


def loop_chain(chain: list[str], target: str) -> list[str] | None:
    """``chain + [target]`` when ``target`` was already visited on the way (fragments ignored).

    >>> loop_chain(["http://a/1", "http://a/2"], "http://a/1#top")
    ['http://a/1', 'http://a/2', 'http://a/1#top']
    >>> loop_chain(["http://a/1"], "http://a/2") is None
    True
    """
    seen = {urldefrag(url)[0] for url in chain}
    return [*chain, target] if urldefrag(target)[0] in seen else None


class SiteRedirectMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("REDIRECT_ENABLED"):
            raise NotConfigured("REDIRECT_ENABLED is off: no redirect is followed")
        return cls(crawler)

    @property
    def mirror(self) -> str | None:
        args = getattr(self.crawler.spider, "args", None)
        return getattr(args, "mirror", None)

    def process_request(self, request):
        """A redirected request (3xx or meta refresh) never leaves the site."""
        if request.meta.get("redirect_urls") and not redirect_allowed(request.url, self.mirror):
            self.crawler.stats.inc_value("zaman/redirects/offsite")
            raise OffsiteRedirect(f"redirect off-site to {request.url}")
        return None

    def process_response(self, request, response):
        if (response.status not in REDIRECT_STATUSES or b"Location" not in response.headers
                or request.meta.get("dont_redirect")
                or request.meta.get("handle_httpstatus_all")
                or response.status in request.meta.get("handle_httpstatus_list", ())):
            return response
        location = safe_url_string(response.headers[b"Location"].decode("latin-1"))
        target = urljoin(request.url, location)
        if not redirect_allowed(target, self.mirror):
            self.crawler.stats.inc_value("zaman/redirects/offsite")
            raise OffsiteRedirect(f"redirect off-site to {target}")
        loop = loop_chain([*request.meta.get("redirect_urls", ()), request.url], target)
        if loop is not None:
            self.crawler.stats.inc_value("zaman/redirects/loop")
            raise RedirectLoop("redirect loop: " + " -> ".join(loop))
        return response
