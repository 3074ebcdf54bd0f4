"""``scrapy crawl`` that checks the spider's arguments before Scrapy starts.

Scrapy builds the spider inside the running event loop, where an exception from its
``__init__`` becomes a traceback wall. A spider class with a ``check_arguments(spargs,
settings)`` classmethod gets it called here first: a ``SpiderArgumentError`` prints one line on
stderr and exits with status 2 before any log output. So does a ``ZAMAN_REDIS_URL`` whose Redis
cannot be reached or refuses the password (distributed mode).

After the crawl, the reasons recorded with ``zamanscraper.outcome.fail`` (no record, too many
failures, unwritable output, a failing monitor, ...) are printed on stderr, one line each, and
the command exits with status 1.
"""

from __future__ import annotations

import os
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
        redis_url = self.settings.get("ZAMAN_REDIS_URL") or os.environ.get("ZAMAN_REDIS_URL")
        if redis_url:  # distributed mode: an unusable Redis is one line, before the crawl starts
            from scrapy.exceptions import NotConfigured

            from zamanscraper.distributed.scheduler import connect
            try:
                connect(redis_url).close()
            except NotConfigured as error:
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
