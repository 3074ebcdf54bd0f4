"""Feed storage for local files (``FEED_STORAGES`` ``""`` and ``file``) that writes JSONL feeds
through the crawl's :class:`zamanscraper.archive.JsonlArchive` (``zamanscraper.output``).

Scrapy's JSON-lines exporter writes one whole line per item; :class:`ArchiveFile` hands each to
the archive, which appends it with one ``write(2)`` (no buffer to lose on ``kill -9``) unless the
output already holds the same record (``zaman/output/skipped_written``). Feeds the extension does
not manage (CSV, JSON, ``%(time)s`` names) are plain files, as with Scrapy's ``FileFeedStorage``.
"""

from __future__ import annotations

import io
import json

from scrapy.extensions.feedexport import FileFeedStorage

from zamanscraper.archive import JsonlArchive
from zamanscraper.output import OutputFiles


class ArchiveFile:
    """The file object the exporter writes to: each line goes to the archive."""

    def __init__(self, archive: JsonlArchive, stats=None, on_error=None):
        self.archive = archive
        self.stats = stats
        self.on_error = on_error  # called with the OSError of a failed write (disk full, ...)

    def write(self, data: bytes) -> int:
        for line in data.splitlines(keepends=True):
            if not line.strip():
                continue
            try:
                written = self.archive.add(json.loads(line), line if line.endswith(b"\n") else line + b"\n")
            except OSError as error:
                if self.on_error is None:
                    raise
                self.on_error(error)
                continue
            if not written and self.stats is not None:
                self.stats.inc_value("zaman/output/skipped_written")
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""

    def close(self) -> None:
        """The archive is closed by the ``OutputFiles`` extension when the spider closes."""


class ArchiveFeedStorage(FileFeedStorage):
    def __init__(self, uri: str, *, feed_options: dict | None = None, crawler=None):
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler, uri: str, *, feed_options: dict | None = None):
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider):
        output = self.crawler.get_extension(OutputFiles) if self.crawler is not None else None
        if output is None or not output.manages(self.path):
            return super().open(spider)
        archive = output.archive(self.path)
        if archive is None:  # it could not be opened: the crawl has already failed, loudly
            return io.BytesIO()
        return ArchiveFile(archive, self.crawler.stats,
                           on_error=lambda error: output.write_failed(self.path, error))

    def store(self, file):
        file.close()
