"""Extension: a request Scrapy drops on its own (``request_dropped``) still reaches its errback.

The scheduler drops a request its duplicate filter has seen, and no errback runs: a redirect
back to an already requested URL (A -> B -> A through a meta refresh, or to an article fetched
under another form) would vanish, neither record nor reject. Here every dropped request is
counted (``zaman/requests/dropped``) and, when it has an errback (every spider request does), handed
to it as a :class:`~zamanscraper.failures.RedirectLoop` or :class:`~zamanscraper.failures.Dropped`
failure, so it ends as a fetch reject; requests the errback yields are crawled.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.http import Request
from scrapy.utils.spider import iterate_spider_output
from twisted.python.failure import Failure

from zamanscraper.distributed import SEEN_ELSEWHERE
from zamanscraper.failures import Dropped, FetchRefused, RedirectLoop

logger = logging.getLogger(__name__)


def drop_reason(request) -> FetchRefused:
    """Why the scheduler dropped ``request`` (its duplicate filter had seen the URL).

    >>> drop_reason(Request("http://a/1", meta={"redirect_urls": ["http://a/1", "http://a/2"]})).reason
    'redirect loop: http://a/1 -> http://a/2 -> http://a/1'
    >>> drop_reason(Request("http://a/3", meta={"redirect_urls": ["http://a/1"]})).reason
    'redirected to an already requested URL: http://a/1 -> http://a/3'
    >>> drop_reason(Request("http://a/1")).reason
    'dropped by the scheduler: duplicate request'
    """
    chain = list(request.meta.get("redirect_urls") or ())
    if chain and request.url in chain:
        return RedirectLoop("redirect loop: " + " -> ".join([*chain, request.url]))
    if chain:
        return Dropped("redirected to an already requested URL: " + " -> ".join([*chain, request.url]))
    return Dropped("dropped by the scheduler: duplicate request")


class DroppedRequests:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.request_dropped, signal=signals.request_dropped)
        return ext

    def request_dropped(self, request, spider=None):
        if request.meta.get(SEEN_ELSEWHERE):  # a distributed crawl: another worker queued it
            return
        self.crawler.stats.inc_value("zaman/requests/dropped")
        if request.errback is None:
            logger.warning("Scrapy dropped %s (a duplicate); it has no errback to record it", request)
            return
        failure = Failure(drop_reason(request))
        failure.request = request
        for output in iterate_spider_output(request.errback(failure)) or ():
            if isinstance(output, Request):
                self.crawler.engine.crawl(output)
