"""Extension that keeps the seen-store (``ZAMAN_STATE_PATH``, :mod:`zamanscraper.seenstore`) for
incremental reruns.

When the spider opens, the store is opened (an unusable path ends the crawl before the first
request, finish reason ``state_unwritable``). It answers the spider's ``article_known`` signal:

- not stored: no opinion (fetched);
- failed or rejected last time, or published within ``ZAMAN_REFRESH_DAYS`` days: ``FETCH``
  (``zaman/state/refetch``);
- otherwise ``Known("stored")`` with its publication date (skipped: ``zaman/articles/skipped_stored``).

It records every written record (``item_scraped``: content hash, publication date, status
``ok``; never one the JSONL output failed to write), every failed request and every reject of
an article. Before each batched commit it sends ``output_sync``, so the output files are on
disk before the store says "stored".
Records equal to the stored one are dropped before the output by
``zamanscraper.pipelines.seen.UnchangedPipeline``.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, date, datetime

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured

from zamanscraper import outcome, urls
from zamanscraper import signals as zaman_signals
from zamanscraper.archive import content_hash, record_key
from zamanscraper.output import OutputFiles
from zamanscraper.pipelines.dedupe import DuplicateItem
from zamanscraper.published import published_day
from zamanscraper.seenstore import SeenStore, needs_refresh

logger = logging.getLogger(__name__)


class SeenState:
    def __init__(self, crawler, path: str, refresh_days: int):
        self.crawler = crawler
        self.path = path
        self.refresh_days = refresh_days
        self.store: SeenStore | None = None
        self.today = datetime.now(UTC).date()

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("ZAMAN_STATE_PATH")
        if not path:
            raise NotConfigured("ZAMAN_STATE_PATH is not set")
        try:
            refresh_days = max(0, crawler.settings.getint("ZAMAN_REFRESH_DAYS"))
        except ValueError:
            raise NotConfigured("bad ZAMAN_REFRESH_DAYS (the spider refuses the crawl)") from None
        ext = cls(crawler, path, refresh_days)
        for handler, signal in (
            (ext.spider_opened, signals.spider_opened), (ext.spider_closed, signals.spider_closed),
            (ext.item_scraped, signals.item_scraped), (ext.item_dropped, signals.item_dropped),
            (ext.request_failed, zaman_signals.request_failed),
            (ext.page_rejected, zaman_signals.page_rejected),
            (ext.article_known, zaman_signals.article_known),
        ):
            crawler.signals.connect(handler, signal=signal)
        return ext

    # --- opening and closing -------------------------------------------------------------------

    def spider_opened(self, spider=None):
        try:
            self.store = SeenStore(self.path)
        except (OSError, sqlite3.Error) as error:
            outcome.fail(self.crawler, f"cannot write state {self.path}: {error}")
            raise CloseSpider("state_unwritable") from None
        count = len(self.store)
        self.crawler.stats.set_value("zaman/state/held", count)
        logger.info("Seen-store %s holds %d articles (refresh: published within %d days)",
                    self.path, count, self.refresh_days)

    def spider_closed(self, spider=None, reason=None):
        if self.store is None:
            return
        try:
            self.crawler.signals.send_catch_log(zaman_signals.output_sync)
            self.store.close()
        except sqlite3.Error as error:
            outcome.fail(self.crawler, f"cannot write state {self.path}: {error}")
        self.store = None

    def maybe_commit(self) -> None:
        if self.store is not None and self.store.due():
            self.crawler.signals.send_catch_log(zaman_signals.output_sync)
            try:
                self.store.commit()
            except sqlite3.Error as error:
                outcome.fail(self.crawler, f"cannot write state {self.path}: {error}")

    # --- questions -----------------------------------------------------------------------------

    def article_known(self, key, spider=None):
        seen = self.store.get(key) if self.store is not None else None
        if seen is None:
            return None
        if needs_refresh(seen, self.refresh_days, self.today):
            self.crawler.stats.inc_value("zaman/state/refetch")
            return zaman_signals.FETCH
        return zaman_signals.Known("stored", seen.published_day)

    def unchanged(self, record: dict) -> bool:
        """Whether ``record`` equals the one stored for its article (then it is marked seen)."""
        key = record_key(record)
        seen = self.store.get(key) if self.store is not None and key else None
        if seen is None or seen.content_hash != content_hash(record):
            return False
        self.stored(record)
        return True

    # --- what happened -------------------------------------------------------------------------

    def stored(self, record: dict) -> None:
        key = record_key(record)
        if self.store is None or key is None:
            return
        day: date | None = published_day(record.get("published_at"))
        self.store.stored(key, record.get("url") or urls.canonical_url(*key), content_hash(record),
                          day.isoformat() if day else None)
        self.maybe_commit()

    def item_scraped(self, item, response=None, spider=None):
        record = ItemAdapter(item).asdict()
        output = self.crawler.get_extension(OutputFiles)
        if output is not None and output.holds(record) is False:  # its write failed
            self.crawler.stats.inc_value("zaman/state/not_written")
            return
        self.stored(record)

    def _failed(self, url, status: str) -> None:
        key = urls.article_key(url) if url else None
        if self.store is None or key is None:
            return
        self.store.failed(key, url, status)
        self.maybe_commit()

    def item_dropped(self, item, response=None, exception=None, spider=None):
        if not isinstance(exception, DuplicateItem):
            self._failed(ItemAdapter(item).get("url"), f"rejected: {getattr(exception, 'stage', 'validate')}")

    def request_failed(self, url, reasons, item=None, spider=None):
        self._failed(url, "; ".join(reasons))

    def page_rejected(self, url, reasons, item=None, spider=None, stage="parse"):
        self._failed(url, f"rejected: {stage}")
