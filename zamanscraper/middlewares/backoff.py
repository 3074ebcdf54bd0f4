"""Retries with exponential backoff and ``Retry-After``: Scrapy's ``RetryMiddleware`` has neither.

Replaces ``scrapy.downloadermiddlewares.retry.RetryMiddleware`` (same slot, same ``RETRY_*``
settings, same ``retry/*`` stats). Before a retry request is handed back, it waits
``ZAMAN_RETRY_BACKOFF_BASE * 2 ** (n - 1)`` seconds for the n-th retry, or the server's
``Retry-After`` when that is longer, never more than ``ZAMAN_RETRY_BACKOFF_MAX``. The wait is an
``async`` sleep on the event loop: the reactor keeps serving other requests meanwhile.
"""

from __future__ import annotations

import email.utils
import logging
import time

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)


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


class BackoffRetryMiddleware(RetryMiddleware):
    """``RetryMiddleware`` whose retries wait (exponential backoff, ``Retry-After`` honoured)."""

    def __init__(self, settings):
        super().__init__(settings)
        #: seconds before the first retry; doubles each retry; 0 disables waiting
        self.base = settings.getfloat("ZAMAN_RETRY_BACKOFF_BASE", 2.0)
        #: longest single wait, also the cap on ``Retry-After``
        self.maximum = settings.getfloat("ZAMAN_RETRY_BACKOFF_MAX", 60.0)

    async def process_response(self, request, response):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        asked = parse_retry_after(response.headers.get(b"Retry-After"))
        await self._wait(retry, asked)
        return retry

    async def process_exception(self, request, exception):
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.exceptions_to_retry
        ):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._wait(retry, None)
        return retry

    async def _wait(self, retry, asked: float | None) -> None:
        delay = backoff_delay(retry.meta.get("retry_times", 1), self.base, self.maximum)
        if asked is not None:
            delay = max(delay, min(asked, self.maximum))
        if delay <= 0:
            return
        stats = self.crawler.stats
        stats.inc_value("zaman/retry/backoff_count")
        # seconds, a float: inc_value is typed for counts
        waited = stats.get_value("zaman/retry/backoff_seconds", 0)
        stats.set_value("zaman/retry/backoff_seconds", round(waited + delay, 3))
        logger.debug("Backing off %.1f s before retrying %s", delay, retry)
        await sleep(delay)
