"""Extension that logs one progress line every ``ZAMAN_PROGRESS_INTERVAL`` seconds, and a last
one when the spider closes. It replaces Scrapy's ``LogStats`` (same timer, same final
``responses_per_minute``/``items_per_minute`` stats) with a line an archivist can watch::

    Progress: 118 pages/min, 1,204 items, 31 rejects, 5 failures, 356 queued

pages/min over the last interval; items scraped, rejects (all stages), failed requests and
requests waiting in the scheduler, so far. ``ZAMAN_PROGRESS_INTERVAL = 0`` disables it.
"""

from __future__ import annotations

import logging
from collections.abc import Sized

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.logstats import LogStats

logger = logging.getLogger(__name__)

REJECT_STAGES = ("fetch", "parse", "validate")


def progress_line(pages_per_minute: float, items: int, rejects: int, failures: int, queued: int | None) -> str:
    """The progress line (``queued`` None: the scheduler cannot tell).

    >>> progress_line(118.4, 1204, 31, 5, 356)
    'Progress: 118 pages/min, 1,204 items, 31 rejects, 5 failures, 356 queued'
    >>> progress_line(0, 1, 0, 1, None)
    'Progress: 0 pages/min, 1 items, 0 rejects, 1 failures, ? queued'
    """
    queue = "?" if queued is None else f"{queued:,}"
    return (f"Progress: {pages_per_minute:,.0f} pages/min, {items:,} items, {rejects:,} rejects, "
            f"{failures:,} failures, {queue} queued")


class Progress(LogStats):
    def __init__(self, crawler, interval: float):
        super().__init__(crawler.stats, interval)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("ZAMAN_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("ZAMAN_PROGRESS_INTERVAL is 0")
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def queued(self) -> int | None:
        """Requests waiting in the scheduler, None when it cannot say."""
        engine = self.crawler.engine
        scheduler = getattr(engine, "scheduler", None) if engine is not None else None
        if scheduler is None and engine is not None:  # Scrapy 2.18 has no engine.scheduler
            scheduler = getattr(getattr(engine, "_slot", None), "scheduler", None)
        return len(scheduler) if isinstance(scheduler, Sized) else None

    def line(self) -> str:
        stats = self.stats
        rejects = sum(stats.get_value(f"zaman/rejects/{stage}", 0) for stage in REJECT_STAGES)
        return progress_line(self.prate, self.items, rejects,
                             stats.get_value("zaman/requests/failed", 0), self.queued())

    def log(self, spider=None) -> None:
        self.calculate_stats()
        logger.info(self.line())

    def spider_closed(self, spider, reason) -> None:
        super().spider_closed(spider, reason)  # stops the timer, sets responses_per_minute
        self.calculate_stats()
        self.prate = self.stats.get_value("responses_per_minute") or 0  # the whole crawl's rate
        logger.info("%s (crawl %s)", self.line(), reason)
