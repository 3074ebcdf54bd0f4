"""Extension that owns the rejects file: one JSON line per URL that did not become a record.

Line format (UTF-8, ``ensure_ascii=False``, flushed line by line)::

    {"run": "<run id>", "url": "<canonical site URL>", "stage": "fetch"|"parse"|"validate",
     "reasons": ["…"], "item": {…whatever was extracted, {} when nothing}}

``run`` tells apart the runs appending to one file (``zamanscraper.runid``: scrapyd's job id,
else start time and a random suffix).

Sources: ``item_dropped`` (every ``DropItem`` but duplicates; stage from the exception's
``stage`` attribute, ``validate`` by default) and the spider's ``page_rejected`` (stage
``parse``) and ``request_failed`` (stage ``fetch``) signals. Stats: ``zaman/rejects/{stage}``.
Disabled (``NotConfigured``) when ``ZAMAN_REJECTS_PATH`` is empty. The file is appended to; it
is opened when the spider opens, so an unwritable path ends the crawl before the first request
(``zamanscraper.outcome``, finish reason ``rejects_unwritable``), and a torn last line left by a
killed run is cut off first. A write that fails later fails the crawl too.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TextIO

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured

from zamanscraper import outcome
from zamanscraper import signals as zaman_signals
from zamanscraper.archive import repair_tail
from zamanscraper.pipelines.dedupe import DuplicateItem
from zamanscraper.runid import new_run_id, run_id

logger = logging.getLogger(__name__)


def dropped_reject(item, exception) -> tuple[str | None, str, list[str], dict] | None:
    """``(url, stage, reasons, record)`` of a dropped item, None for a duplicate (not a reject).

    >>> from zamanscraper.pipelines.validate import InvalidItem
    >>> dropped_reject({"url": "u", "headline": None}, InvalidItem(["missing headline"]))
    ('u', 'validate', ['missing headline'], {'url': 'u', 'headline': None})
    >>> dropped_reject({"url": "u"}, DuplicateItem("duplicate")) is None
    True
    """
    if isinstance(exception, DuplicateItem):
        return None
    record = ItemAdapter(item).asdict()
    reasons = getattr(exception, "reasons", None) or [str(exception)]
    return record.get("url"), getattr(exception, "stage", "validate"), list(reasons), record


class RejectsFile:
    def __init__(self, path: str | Path, stats=None, *, run_id: str | None = None, crawler=None):
        self.path = Path(path)
        self.stats = stats
        self.run_id = run_id or new_run_id()
        self.crawler = crawler
        self._file: TextIO | None = None

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("ZAMAN_REJECTS_PATH")
        if not path:
            raise NotConfigured("ZAMAN_REJECTS_PATH is empty")
        ext = cls(path, crawler.stats, crawler=crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.page_rejected, signal=zaman_signals.page_rejected)
        crawler.signals.connect(ext.request_failed, signal=zaman_signals.request_failed)
        return ext

    def spider_opened(self, spider=None):
        self.run_id = run_id(self.crawler)
        try:
            if self.path.is_file() and repair_tail(self.path):
                logger.warning("Repaired %s: cut a torn last line (an interrupted write)", self.path)
            self.open()
        except OSError as error:
            self.failed(error)
            raise CloseSpider("rejects_unwritable") from None

    def failed(self, error: OSError) -> None:
        if self.crawler is None:
            raise error
        outcome.fail(self.crawler, f"cannot write rejects file {self.path}: {error.strerror or error}")

    def spider_closed(self, spider=None, reason=None):
        self.close()

    def open(self) -> TextIO:
        """The rejects file, opened for appending on first use."""
        if self._file is None:
            if self.path.parent != Path():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8", newline="\n")
            logger.info("Writing rejects to %s", self.path)
        return self._file

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None

    def write(self, url: str | None, stage: str, reasons: list[str], item: dict | None = None):
        """Append one reject line (opening the file if needed) and count it."""
        line = {"run": self.run_id, "url": url, "stage": stage, "reasons": list(reasons),
                "item": item or {}}
        try:
            file = self.open()
            file.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
            file.flush()
        except OSError as error:
            self.failed(error)
            return
        if self.stats is not None:
            self.stats.inc_value(f"zaman/rejects/{stage}")

    # --- signal handlers -------------------------------------------------------------------

    def item_dropped(self, item, response=None, exception=None, spider=None):
        reject = dropped_reject(item, exception)
        if reject is not None:
            self.write(*reject)

    def page_rejected(self, url, reasons, item=None, spider=None, stage="parse"):
        self.write(url, stage, reasons, item)

    def request_failed(self, url, reasons, item=None, spider=None):
        self.write(url, "fetch", reasons, item)
