"""Retries with exponential backoff and ``Retry-After`` that hold no download slot while waiting.

Replaces ``scrapy.downloadermiddlewares.retry.RetryMiddleware`` (same slot, same ``RETRY_*``
settings, same ``retry/*`` stats). The n-th retry of a request waits
``ZAMAN_RETRY_BACKOFF_BASE * 2 ** (n - 1)`` seconds, or the server's ``Retry-After`` when that is
longer, never more than ``ZAMAN_RETRY_BACKOFF_MAX``.

How a retry waits without blocking anything: the middleware hands the retry request back to
the engine at once, marked with its delay (``meta["zaman_retry_delay"]``), so the failed
request leaves the downloader and frees its place under ``CONCURRENT_REQUESTS``. Our
``request_scheduled`` handler then takes the marked request out of the way before the scheduler
(raising ``IgnoreRequest`` there drops it silently, by design of that signal) and gives it to
``engine.crawl`` when the delay is over; it is then downloaded like any request, under the
usual slot delays and concurrency. Healthy requests go on meanwhile. While retries wait, a
``spider_idle`` handler keeps the crawl open. Each held retry is announced
(``zamanscraper.signals.retry_waiting``): a distributed crawl keeps it on file in Redis, so a
worker killed during the wait loses nothing. Retries still waiting when the crawl stops early
(Ctrl-C, ``CloseSpider``) are counted (``zaman/retry/abandoned``) and logged once; they are not
saved in a ``JOBDIR``, but their articles are in neither the output nor the seen-store, so a
rerun of the same command requests them again.

A WAF challenge or block page served with 2xx (``zamanscraper.extract.pagekind``) is retried
like a 403; when the retries are used up the request fails with
:class:`~zamanscraper.failures.Blocked` (``blocked: WAF challenge``), which the spider records as
a fetch failure. Giving up on a status is left to the spider's errback, which logs the failure
once (``RETRY_GIVE_UP_LOG_LEVEL`` is DEBUG in our settings).
"""

from __future__ import annotations

import email.utils
import logging
import time

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.utils.asyncio import call_later
from scrapy.utils.response import response_status_message

from zamanscraper import signals as zaman_signals
from zamanscraper.extract.pagekind import is_challenge
from zamanscraper.failures import WAF_CHALLENGE, Blocked

logger = logging.getLogger(__name__)

#: request meta key: seconds the retry must wait before it is scheduled (set and consumed here)
DELAY_KEY = "zaman_retry_delay"


def backoff_delay(retry_number: int, base: float, maximum: float) -> float:
    """Seconds to wait before the ``retry_number``-th retry (1 = first).

    >>> [backoff_delay(n, 2.0, 30.0) for n in (1, 2, 3, 4, 5)]
    [2.0, 4.0, 8.0, 16.0, 30.0]
    >>> backoff_delay(3, 0.0, 30.0)
    0.0
    """
    if base <= 0 or retry_number < 1:
        return 0.0
    return min(maximum, base * 2 ** min(retry_number - 1, 32))


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or HTTP-date); None if unusable.

    >>> parse_retry_after(b"120")
    120.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    >>> parse_retry_after(b"soon") is None, parse_retry_after(b"-5") is None
    (True, True)
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def looks_like_html(response) -> bool:
    """A 2xx response whose body may be an HTML page (challenge pages are HTML).

    >>> from scrapy.http import Response
    >>> looks_like_html(Response("http://x/", status=200, headers={"Content-Type": "text/html"}, body=b"<p>"))
    True
    >>> looks_like_html(Response("http://x/", status=200, headers={"Content-Type": "image/png"}, body=b"x"))
    False
    """
    if not 200 <= response.status < 300 or not response.body:
        return False
    ctype = (response.headers.get(b"Content-Type") or b"").lower()
    return not ctype or b"html" in ctype or ctype.startswith(b"text/")


class BackoffRetryMiddleware(RetryMiddleware):
    """``RetryMiddleware`` whose retries wait outside the downloader; challenge pages are retried."""

    def __init__(self, settings):
        super().__init__(settings)
        #: seconds before the first retry; doubles each retry; 0 disables waiting
        self.base = settings.getfloat("ZAMAN_RETRY_BACKOFF_BASE", 2.0)
        #: longest single wait, also the cap on ``Retry-After``
        self.maximum = settings.getfloat("ZAMAN_RETRY_BACKOFF_MAX", 60.0)
        #: id(request) -> (request, timer) for retries waiting to be scheduled
        self.waiting: dict[int, tuple] = {}

    @classmethod
    def from_crawler(cls, crawler):
        mw = super().from_crawler(crawler)
        crawler.signals.connect(mw.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(mw.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    # --- deciding ----------------------------------------------------------------------------

    def process_response(self, request, response):
        if request.meta.get("dont_retry", False):
            return response
        if response.status in self.retry_http_codes:
            retry = self._retry(request, response_status_message(response.status))
            if retry is None:
                return response
            return self._delayed(retry, parse_retry_after(response.headers.get(b"Retry-After")))
        if looks_like_html(response) and is_challenge(response.body):
            self.crawler.stats.inc_value("zaman/retry/challenge_pages")
            retry = self._retry(request, WAF_CHALLENGE)
            if retry is None:
                raise Blocked(WAF_CHALLENGE)
            return self._delayed(retry, None)
        return response

    def process_exception(self, request, exception):
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.exceptions_to_retry
        ):
            return None
        retry = self._retry(request, exception)
        return self._delayed(retry, None) if retry is not None else None

    def _delayed(self, retry, asked: float | None):
        """Mark ``retry`` with its wait; it goes back to the engine at once."""
        delay = backoff_delay(retry.meta.get("retry_times", 1), self.base, self.maximum)
        if asked is not None:
            delay = max(delay, min(asked, self.maximum))
        if delay > 0:
            retry.meta[DELAY_KEY] = delay
        return retry

    # --- waiting -----------------------------------------------------------------------------

    def request_scheduled(self, request, spider=None):
        """Hold a marked retry back until its delay is over (IgnoreRequest: not scheduled now)."""
        delay = request.meta.pop(DELAY_KEY, None)
        if not delay:
            return
        stats = self.crawler.stats
        stats.inc_value("zaman/retry/backoff_count")
        # seconds, a float: inc_value is typed for counts
        waited = stats.get_value("zaman/retry/backoff_seconds", 0)
        stats.set_value("zaman/retry/backoff_seconds", round(waited + delay, 3))
        logger.debug("Retrying %s in %.1f s", request, delay)
        self.waiting[id(request)] = (request, call_later(delay, self._release, request))
        self.crawler.signals.send_catch_log(zaman_signals.retry_waiting, request=request,
                                            spider=spider)
        raise IgnoreRequest(f"retry waits {delay:.1f} s")

    def _release(self, request) -> None:
        if self.waiting.pop(id(request), None) is not None:
            self.crawler.engine.crawl(request)

    def spider_idle(self, spider=None):
        if self.waiting:
            raise DontCloseSpider

    def spider_closed(self, spider=None, reason=None):
        if not self.waiting:
            return
        for _request, timer in self.waiting.values():
            timer.cancel()
        self.crawler.stats.set_value("zaman/retry/abandoned", len(self.waiting))
        logger.warning("Crawl closed (%s) with %d retries still waiting: not fetched (a rerun "
                       "requests them again)",
                       reason, len(self.waiting))
        self.waiting.clear()
