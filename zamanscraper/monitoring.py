"""Spidermon's extension with a quiet log: a failed monitor is one ERROR line with its message.

Stock Spidermon (1.27) logs each failed monitor as an ``AssertionError`` traceback through the
deprecated ``Spider.log``. This subclass runs the same suites (``SPIDERMON_*`` settings) with a
result that logs through the ``zamanscraper.monitoring`` logger, one line per problem (and the
actions' banners at DEBUG)::

    [Spidermon] FAIL Field coverage: coverage of published_at is 0% (threshold 80%)

Enable it in place of ``spidermon.contrib.scrapy.extensions.Spidermon`` (settings.py does).
"""

from __future__ import annotations

import logging

from spidermon import settings
from spidermon.contrib.scrapy.extensions import Spidermon
from spidermon.contrib.scrapy.runners import SpiderMonitorResult, SpiderMonitorRunner

logger = logging.getLogger(__name__)


class QuietResult(SpiderMonitorResult):
    def log(self, msg, level=logging.DEBUG):
        if level < logging.WARNING and getattr(self._current_step, "name", None) != settings.STEPS.MONITORS:
            level = logging.DEBUG  # the action steps' banners: detail, not news
        logger.log(level, "[Spidermon] %s", msg)

    def write_errors(self):
        for status in self.step.error_statuses:
            for result in self.step.items_for_status(status):
                monitor = getattr(result.item, "monitor_name", result.item.name)
                if result.reason:  # FailCrawl logs each line again, at ERROR, as the crawl's failure
                    for line in result.reason.splitlines():
                        self.log(f"{result.status} {monitor}: {line}", level=logging.WARNING)
                else:  # the monitor or action itself raised: its last traceback line
                    lines = (result.error or "").strip().splitlines() or ["unknown error"]
                    self.log_error(f"{result.status} {result.item.name}: {lines[-1]}")


class QuietRunner(SpiderMonitorRunner):
    def create_result(self):
        return QuietResult(self.spider)


class Monitoring(Spidermon):
    def _run_suites(self, spider, suites):
        data = self._generate_data_for_spider(spider)
        for suite in suites:
            QuietRunner(spider=spider).run(suite, **data)
