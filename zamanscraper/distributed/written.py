"""Extension of a distributed crawl: what every worker has written, shared in Redis, so that a
rerun does not fetch again what another worker wrote.

A worker's output and seen-store know only its own share of the crawl, yet every worker's
``start()`` feeds the whole crawl into the shared queue: without this, the rerun of a finished
distributed crawl would fetch again every article the other workers wrote. Each record a worker
writes (its JSONL output holds it; never one whose write failed) is noted in the crawl's Redis
hash ``zaman:{crawl}:written`` (field ``edition:id``, value its publication day or empty). The
hash is kept across reruns of the crawl (the same spider arguments, or ``ZAMAN_REDIS_CRAWL``:
the crawl's dataset, as the output file is a one-process crawl's), and the worker answers the
spider's ``article_known`` signal from it: ``Known("written")`` (stat
``zaman/articles/skipped_written``). A worker's own seen-store still asks for what it stored
itself to be fetched again (failed, or published within ``ZAMAN_REFRESH_DAYS``), and that wins.
Without ``ZAMAN_REDIS_URL`` it is disabled.
"""

from __future__ import annotations

import logging
from datetime import date

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from zamanscraper import signals as zaman_signals
from zamanscraper.archive import record_key
from zamanscraper.distributed import crawl_prefix
from zamanscraper.output import OutputFiles
from zamanscraper.published import published_day

logger = logging.getLogger(__name__)

def field(key: tuple[str, int]) -> str:
    """The hash field of an article.

    >>> field(("ar", 104227))
    'ar:104227'
    """
    return f"{key[0]}:{key[1]}"


def known(value: bytes | None) -> zaman_signals.Known | None:
    """The ``article_known`` answer for a hash value (None: no worker wrote it).

    >>> known(b"2017-07-17"), known(b""), known(None)
    (Known(reason='written', published=datetime.date(2017, 7, 17)), Known(reason='written', published=None), None)
    """
    if value is None:
        return None
    return zaman_signals.Known("written", date.fromisoformat(value.decode()) if value else None)


class SharedWritten:
    def __init__(self, crawler, server):
        self.crawler = crawler
        self.server = server
        #: Redis hash of every article written by any worker: ``edition:id`` -> publication day or ""
        self.key = ""

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("ZAMAN_REDIS_URL"):
            raise NotConfigured("no ZAMAN_REDIS_URL: a one-process crawl")
        from zamanscraper.distributed.scheduler import server_of  # redis only when used

        ext = cls(crawler, server_of(crawler.settings, cls.__name__))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.article_known, signal=zaman_signals.article_known)
        return ext

    def spider_opened(self, spider):
        self.key = f"{crawl_prefix(self.crawler.settings, spider.args)}:written"

    def item_scraped(self, item, response=None, spider=None):
        record = ItemAdapter(item).asdict()
        key = record_key(record)
        output = self.crawler.get_extension(OutputFiles)
        if key is None or (output is not None and output.holds(record) is False):
            return  # no identity, or its write failed
        day = published_day(record.get("published_at"))
        self.server.hset(self.key, field(key), day.isoformat() if day else "")
        self.crawler.stats.inc_value("zaman/distributed/written_shared")

    def article_known(self, key, spider=None):
        return known(self.server.hget(self.key, field(key)))
