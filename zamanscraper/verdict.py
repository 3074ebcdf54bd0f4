"""Extension that fails a finished crawl that produced no record (``zamanscraper.outcome``).

A crawl "produced" an article when it wrote its record, or found it already held by the output
or the seen-store (``zaman/articles/skipped_*``), or unchanged (``zaman/items/unchanged``): a
rerun over an unchanged site writes nothing and is fine. A crawl that finished with none of
these (site down, every page a 404 or a reject, a discovery that found nothing) fails with one
line, e.g. ``no record: 0 article pages requested, 5 requests failed``. An interrupted crawl
(finish reason ``shutdown``) is not judged; a refused one has already failed. The share of failed
requests is judged by the monitors (``ZAMAN_MAX_FAILED_PERCENT``, ``zamanscraper.monitors``).
"""

from __future__ import annotations

from scrapy import signals

from zamanscraper import outcome


def produced(stats: dict) -> int:
    """Articles the crawl wrote, or found already held or unchanged.

    >>> produced({"item_scraped_count": 2, "zaman/articles/skipped_written": 3, "zaman/items/unchanged": 1})
    6
    >>> produced({"zaman/requests/failed": 5})
    0
    """
    held = sum(v for k, v in stats.items() if k.startswith("zaman/articles/skipped_"))
    return stats.get("item_scraped_count", 0) + held + stats.get("zaman/items/unchanged", 0)


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
        if not produced(stats):
            requested = stats.get("zaman/articles/requested", 0)
            failed = stats.get("zaman/requests/failed", 0)
            outcome.fail(self.crawler, f"no record: {requested} article pages requested, "
                                       f"{failed} requests failed")
