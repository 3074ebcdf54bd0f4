"""``scrapy crawl`` that checks the spider's arguments before Scrapy starts.

Scrapy builds the spider inside the running event loop, where an exception from its
``__init__`` becomes a traceback wall. A spider class with a ``check_arguments(spargs,
settings)`` classmethod gets it called here first: a ``SpiderArgumentError`` prints one line on
stderr and exits with status 2 before any log output.

After the crawl, the reasons recorded with ``zamanscraper.outcome.fail`` (no record, too many
failures, unwritable output, a failing monitor, ...) are printed on stderr, one line each, and
the command exits with status 1.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import get_spider_loader

from zamanscraper import outcome
from zamanscraper.arguments import SpiderArgumentError


class Command(ScrapyCrawlCommand):
    def process_options(self, args, opts):
        super().process_options(args, opts)
        if len(args) != 1:
            return
        try:
            spidercls = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            return  # Scrapy's own "Spider not found" error follows
        check = getattr(spidercls, "check_arguments", None)
        if check is None:
            return
        try:
            check(opts.spargs, self.settings)
        except SpiderArgumentError as error:
            print(f"scrapy crawl {args[0]}: error: {error}", file=sys.stderr)
            sys.exit(2)

    def _create_crawler(self, spidercls):
        self._crawler = super()._create_crawler(spidercls)
        return self._crawler

    def run(self, args, opts):
        super().run(args, opts)
        crawler = getattr(self, "_crawler", None)
        reasons = outcome.failures(crawler) if crawler is not None and crawler.stats else []
        for reason in reasons:
            print(f"scrapy crawl {args[0]}: failed: {reason}", file=sys.stderr)
        if reasons:
            self.exitcode = outcome.EXIT_FAILED
