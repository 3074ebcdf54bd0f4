"""Extension that fails a finished crawl that produced no record, or whose requests failed too
often (``zamanscraper.outcome``).

A crawl "produced" an article when it wrote its record, or found it already held by the output
or the seen-store (``zaman/articles/skipped_*``), or unchanged (``zaman/items/unchanged``): a
rerun over an unchanged site writes nothing and is fine. A crawl that finished with none of
these (site down, every page a 404 or a reject, a discovery that found nothing) fails with one
line, e.g. ``no record: 0 article pages requested, 5 requests failed``. A worker of a
distributed crawl is judged so only when it had the crawl to itself: when other workers took part
of it, its share alone may hold no record (a rerun with little left to do: last time's
failures); the failure ratio still judges it. An interrupted crawl
(finish reason ``shutdown``) is not judged; a refused one has already failed.

Failed requests (after retries; 404 and 410, "no such article", aside) over
``ZAMAN_MAX_FAILURE_RATIO`` of the article pages requested fail the crawl too, e.g.
``failed requests are 33.3% of articles requested (5 of 15; ceiling 20%)``: the site is down or
blocking. Judged on at least ``ZAMAN_MONITOR_MIN_PAGES`` requests, with or without Spidermon.
"""

from __future__ import annotations

from scrapy import signals

from zamanscraper import outcome
from zamanscraper.figures import share_problem

#: statuses that say "no such article" (common in id ranges), not that the crawl is failing
GONE = (404, 410)


def produced(stats: dict) -> int:
    """Articles the crawl wrote, or found already held or unchanged.

    >>> produced({"item_scraped_count": 2, "zaman/articles/skipped_written": 3, "zaman/items/unchanged": 1})
    6
    >>> produced({"zaman/requests/failed": 5})
    0
    """
    held = sum(v for k, v in stats.items() if k.startswith("zaman/articles/skipped_"))
    return stats.get("item_scraped_count", 0) + held + stats.get("zaman/items/unchanged", 0)


def shared(stats: dict) -> bool:
    """A worker of a distributed crawl whose other workers took part of it (requests they had
    queued already were filtered here).

    >>> shared({"zaman/distributed/seen_elsewhere": 12}), shared({})
    (True, False)
    """
    return bool(stats.get("zaman/distributed/seen_elsewhere"))


class Verdict:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider=None, reason=None):
        if reason != "finished":
            return
        stats = self.crawler.stats.get_stats()
        if not produced(stats) and not shared(stats):
            requested = stats.get("zaman/articles/requested", 0)
            failed = stats.get("zaman/requests/failed", 0)
            outcome.fail(self.crawler, f"no record: {requested} article pages requested, "
                                       f"{failed} requests failed")
        settings = self.crawler.settings
        problem = failure_problem(stats, settings.getfloat("ZAMAN_MAX_FAILURE_RATIO"),
                                  settings.getint("ZAMAN_MONITOR_MIN_PAGES"))
        if problem:
            outcome.fail(self.crawler, problem)


def failure_problem(stats: dict, ratio: float, least: int) -> str | None:
    """The line for too many failed requests, or None.

    >>> stats = {"zaman/requests/failed": 7, "zaman/requests/failed/http_404": 2, "zaman/articles/requested": 15}
    >>> failure_problem(stats, 0.2, 0)
    'failed requests are 33.3% of articles requested (5 of 15; ceiling 20%)'
    >>> failure_problem(stats, 0.2, 20) is None  # too few requests to judge
    True
    """
    requested = stats.get("zaman/articles/requested", 0)
    if requested < least:
        return None
    failed = stats.get("zaman/requests/failed", 0) - sum(stats.get(f"zaman/requests/failed/http_{c}", 0) for c in GONE)
    return share_problem("failed requests", failed, requested, "articles requested", ratio * 100)
