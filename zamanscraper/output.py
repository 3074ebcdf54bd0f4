"""Extension that owns the crawl's JSONL output files (``-o out.jsonl``): safe across kills and reruns.

For every local JSONL feed of ``FEEDS`` (``-o``/``-O`` with ``.jsonl``, ``.jsonlines``, ``.jl``)
it opens a :class:`zamanscraper.archive.JsonlArchive` when the spider opens, before the first
request: a torn last line left by a killed run is cut off (``zaman/output/torn_repaired``), the
records already there are read (``zaman/output/held``), and an output that cannot be written
ends the crawl at once (``zamanscraper.outcome``, finish reason ``output_unwritable``).

Then it answers the spider's ``article_known`` signal with ``Known("written")`` for articles the
output holds, so a rerun of the same command, after a clean stop, a ``kill -9`` or a finished
crawl, requests and writes only what is missing. Scrapy's feed exporter writes through
``zamanscraper.feedstorage.ArchiveFeedStorage``, which hands each line to the archive.

An output path may hold ``{edition}`` and ``{month}`` (``-o 'archive/{edition}/{month}.jsonl'``):
one file per edition and publication month, appended to by every run. A URI with ``%(time)s`` or
``%(batch_id)d`` names a new file each run (and can overwrite one after a restart, Scrapy issue
5153): it is left to Scrapy, not crash safe, with a warning.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlparse

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from w3lib.url import file_uri_to_path

from zamanscraper import outcome
from zamanscraper import signals as zaman_signals
from zamanscraper.archive import JsonlArchive, content_hash, record_key

logger = logging.getLogger(__name__)

JSONL_FORMATS = frozenset({"jsonl", "jsonlines", "jl"})


def local_path(uri: str) -> Path | None:
    """The local file of a feed URI, absolute; None for other storages (s3://, stdout:, …).

    >>> local_path("file:///tmp/a.jsonl"), local_path("s3://bucket/a.jsonl")
    (PosixPath('/tmp/a.jsonl'), None)
    """
    scheme = urlparse(uri).scheme
    if scheme == "file":
        return Path(file_uri_to_path(uri)).absolute()
    if scheme == "":
        return Path(uri).absolute()
    return None


def jsonl_feeds(feeds: dict) -> dict[Path, dict]:
    """Local JSONL feeds of a ``FEEDS`` setting: absolute path -> feed options.

    >>> jsonl_feeds({"/o/a.jsonl": {"format": "jsonl"}, "/o/b.csv": {"format": "csv"},
    ...              "/o/c.jl": {}, "s3://b/d.jsonl": {"format": "jsonl"}})
    {PosixPath('/o/a.jsonl'): {'format': 'jsonl'}, PosixPath('/o/c.jl'): {}}
    """
    found = {}
    for uri, options in feeds.items():
        options = dict(options or {})
        path = local_path(str(uri))
        if path is None:
            continue
        if (options.get("format") or path.suffix.lstrip(".")) in JSONL_FORMATS:
            found[path] = options
    return found


class OutputFiles:
    def __init__(self, crawler, feeds: dict[Path, dict], fsync_interval: float):
        self.crawler = crawler
        self.feeds = feeds
        self.fsync_interval = fsync_interval
        self.archives: dict[Path, JsonlArchive] = {}
        self._closing = False

    @classmethod
    def from_crawler(cls, crawler):
        feeds = jsonl_feeds(crawler.settings.getdict("FEEDS"))
        if not feeds:
            raise NotConfigured("no local JSONL feed")
        ext = cls(crawler, feeds, crawler.settings.getfloat("ZAMAN_FSYNC_INTERVAL"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.article_known, signal=zaman_signals.article_known)
        crawler.signals.connect(ext.output_sync, signal=zaman_signals.output_sync)
        return ext

    def archive(self, path: str | Path) -> JsonlArchive | None:
        """The archive of a feed path (None: not one of ours)."""
        return self.archives.get(Path(path).absolute())

    def manages(self, path: str | Path) -> bool:
        """Whether a feed path is one of ours (opened, or failed to open)."""
        path = Path(path).absolute()
        return path in self.feeds and "%(" not in str(path)

    def spider_opened(self, spider=None):
        stats = self.crawler.stats
        for path, options in self.feeds.items():
            if "%(" in str(path):
                logger.warning("Output %s: a name with %%(…)s changes each run (and can overwrite "
                               "a file after a restart, Scrapy issue 5153); not crash safe, not "
                               "deduplicated across runs. Use a fixed name or {edition}/{month}.",
                               path)
                continue
            archive = JsonlArchive(path, overwrite=bool(options.get("overwrite")),
                                   fsync_interval=self.fsync_interval)
            try:
                archive.open()
            except (OSError, ValueError) as error:
                reason = getattr(error, "strerror", None) or str(error)
                outcome.fail(self.crawler, f"cannot write output {path}: {reason}")
                raise CloseSpider("output_unwritable") from None
            self.archives[path] = archive
            stats.inc_value("zaman/output/held", len(archive.written))
            if archive.repaired:
                stats.inc_value("zaman/output/torn_repaired", len(archive.repaired))
            if archive.unreadable:
                stats.inc_value("zaman/output/unreadable_lines", archive.unreadable)

    def write_failed(self, path, error: OSError) -> None:
        """A record could not be written (disk full, ...): fail the crawl and stop it. A part
        of the line may be on disk: the next run cuts it off and fetches the article again."""
        outcome.fail(self.crawler, f"cannot write output {path}: {error.strerror or error}")
        self.crawler.stats.inc_value("zaman/output/write_errors")
        if not self._closing:
            self._closing = True
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="output_unwritable"))

    def holds(self, record: dict) -> bool | None:
        """Whether the output holds this very record; None when no output is managed here."""
        if not self.archives:
            return None
        key = record_key(record)
        if key is None:  # no identity: no archive holds it
            return False
        digest = content_hash(record)
        return any(archive.holds(key, digest) for archive in self.archives.values())

    def spider_closed(self, spider=None, reason=None):
        for path, archive in self.archives.items():
            try:
                archive.close()
            except OSError as error:
                outcome.fail(self.crawler, f"cannot write output {path}: {error.strerror or error}")
            self.crawler.stats.inc_value("zaman/output/written", archive.count)

    def article_known(self, key, spider=None):
        if any(archive.holds(key) for archive in self.archives.values()):
            return zaman_signals.Known("written")
        return None

    def output_sync(self):
        for archive in self.archives.values():
            archive.sync()
