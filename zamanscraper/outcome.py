"""One way for any component to say "this crawl failed", and the exit status that follows.

Scrapy ends a crawl with status 0 whatever happened in it, so cron and scrapyd would see
success for a crawl that wrote nothing. Any component (extension, pipeline, monitor) that
decides the crawl failed calls :func:`fail` with one line saying why; the reasons are kept in
the stats under ``zaman/failed`` (a list). Our ``crawl`` command
(``zamanscraper.commands.crawl``) prints each reason on stderr as one line after the crawl and
exits with status 1.

>>> from scrapy.utils.test import get_crawler
>>> crawler = get_crawler()
>>> failures(crawler)
[]
>>> fail(crawler, "no record written")
>>> failures(crawler)
['no record written']
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

#: stats key holding the list of one-line failure reasons
FAILED_KEY = "zaman/failed"
#: exit status of a crawl that ran but failed (2 stays "bad arguments")
EXIT_FAILED = 1


def fail(crawler, reason: str) -> None:
    """Record that the crawl failed for ``reason`` (one line); logged at ERROR."""
    reasons = list(crawler.stats.get_value(FAILED_KEY) or [])
    if reason not in reasons:
        reasons.append(reason)
        crawler.stats.set_value(FAILED_KEY, reasons)
        logger.error("Crawl failed: %s", reason)


def failures(crawler) -> list[str]:
    """The failure reasons recorded so far (empty: the crawl has not failed)."""
    return list(crawler.stats.get_value(FAILED_KEY) or [])
