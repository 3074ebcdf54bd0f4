"""Extension that counts, in one place, what the monitors and the crawl report need beyond
Scrapy's and Spidermon's own stats; at the end it writes the HTML crawl report.

Always on. Per scraped record: one ``zaman/provenance/{field}/{layer}`` stat per provenance
entry (Spidermon's field coverage sees that a field has a value, not which layer produced it)
and, in memory, the month of ``published_at``. Per reject (the signals ``zamanscraper.rejects``
listens to): its stage and reasons, with a few example URLs per reason, in memory.

When ``ZAMAN_REPORT_PATH`` is set, the report (``zamanscraper.report``) is written there at
``engine_stopped``, after the monitors have run, so it shows their verdict. A report that
cannot be written fails the crawl (``zamanscraper.outcome``).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy import signals

from zamanscraper import outcome, report
from zamanscraper import signals as zaman_signals
from zamanscraper.figures import provenance_key
from zamanscraper.rejects import dropped_reject
from zamanscraper.summary import month_of

logger = logging.getLogger(__name__)

#: example URLs kept per reject reason
EXAMPLES = 3
#: distinct reject reasons kept; later new ones are counted together as OTHER_REASONS
MAX_REASONS = 1000
OTHER_REASONS = "(other reasons)"


class Tally:
    def __init__(self, crawler, report_path: str | None = None):
        self.crawler = crawler
        self.stats = crawler.stats
        self.report_path = Path(report_path) if report_path else None
        #: records per ``YYYY-MM`` of ``published_at`` (``summary.month_of``: or ``YYYY-??``, ``(none)``)
        self.months: Counter = Counter()
        #: stage -> number of rejects
        self.stages: Counter = Counter()
        #: ``(stage, reason)`` -> number of rejects (a reject with two reasons counts for both)
        self.reasons: Counter = Counter()
        #: ``(stage, reason)`` -> the first few URLs rejected for it
        self.examples: dict[tuple[str, str], list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.get("ZAMAN_REPORT_PATH"))
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.page_rejected, signal=zaman_signals.page_rejected)
        crawler.signals.connect(ext.request_failed, signal=zaman_signals.request_failed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    # --- counting --------------------------------------------------------------------------

    def item_scraped(self, item, response=None, spider=None):
        adapter = ItemAdapter(item)
        for field, layer in (adapter.get("provenance") or {}).items():
            self.stats.inc_value(provenance_key(field, layer))
        self.months[month_of(adapter.get("published_at"))] += 1

    def rejected(self, url: str | None, stage: str, reasons: list[str]) -> None:
        self.stages[stage] += 1
        for reason in reasons or ["(no reason given)"]:
            key = (stage, reason)
            if key not in self.reasons and len(self.reasons) >= MAX_REASONS:
                key = (stage, OTHER_REASONS)  # reasons that carry page text can be endless
            self.reasons[key] += 1
            examples = self.examples.setdefault(key, [])
            if url and len(examples) < EXAMPLES and url not in examples:
                examples.append(url)

    def item_dropped(self, item, response=None, exception=None, spider=None):
        reject = dropped_reject(item, exception)
        if reject is not None:
            url, stage, reasons, _ = reject
            self.rejected(url, stage, reasons)

    def page_rejected(self, url, reasons, item=None, spider=None, stage="parse"):
        self.rejected(url, stage, reasons)

    def request_failed(self, url, reasons, item=None, spider=None):
        self.rejected(url, "fetch", reasons)

    # --- the report ------------------------------------------------------------------------

    def engine_stopped(self):
        if self.report_path is None:
            return
        html = report.render(
            self.stats.get_stats(),
            months=self.months,
            stages=self.stages,
            reasons=self.reasons,
            examples=self.examples,
            failures=outcome.failures(self.crawler),
            settings=self.crawler.settings,
        )
        try:
            write_atomically(self.report_path, html)
        except OSError as error:
            outcome.fail(self.crawler, f"cannot write the report {self.report_path}: {error.strerror or error}")
            return
        logger.info("Crawl report written to %s", self.report_path)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
