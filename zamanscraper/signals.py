"""Custom signals of zamanscraper.

``page_rejected`` and ``request_failed`` (the rejects extension, ``zamanscraper.rejects``, and
the seen-store listen) are sent with ``crawler.signals.send_catch_log(signal, url=…, reasons=[…], item={…},
spider=…)``; ``url`` is always the canonical site URL, never a mirror URL.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

#: a fetched page could not be made into a record (``ExtractError``, unreadable feed)
#: kwargs: url, reasons (list[str]), item (dict), spider
page_rejected = object()

#: a request failed for good (HTTP error after retries, DNS, timeout, size limit)
#: kwargs: url, reasons (list[str]), item (dict), spider
request_failed = object()

#: the spider asks, before requesting an article, whether a store already has it.
#: kwargs: key ((edition, article_id)), spider. A receiver returns None (no opinion),
#: :data:`FETCH` (fetch it again: recently published, or failed before) or a :class:`Known`
#: (skip it). Any FETCH wins over every Known.
article_known = object()

#: sent before the seen-store commits: output writers make what they wrote durable (fsync),
#: so the store never claims a record the output lacks. kwargs: none
output_sync = object()

#: the backoff middleware holds a retry back until its delay is over, outside the scheduler
#: (``zamanscraper.middlewares.backoff``); when the delay is over the retry goes to the scheduler
#: like any request. A distributed crawl keeps the retry on file in Redis meanwhile.
#: kwargs: request, spider
retry_waiting = object()

#: the answer "fetch this article again" to :data:`article_known`
FETCH = "fetch"


class Known(NamedTuple):
    """The answer "already have it" to :data:`article_known`."""

    #: who has it: ``written`` (the output file), ``stored`` (the seen-store)
    reason: str
    #: its publication date when known (``since=`` paging uses it)
    published: date | None = None
