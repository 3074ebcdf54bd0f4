"""Downloader middleware that keeps every fetched page in WARC files (``ZAMAN_WARC_DIR``).

For every response that reaches it, a ``request`` and a ``response`` record (linked by
``WARC-Concurrent-To``) are appended to the current file, gzip-compressed one member per
record, with ``WARC-Block-Digest`` and ``WARC-Payload-Digest`` (sha1, by warcio). Each file
starts with a ``warcinfo`` record naming the software, the extractor version and, for
``mirror=`` crawls, the mirror base (``zaman-mirror``) so ``python -m zamanscraper reextract``
can map mirror URLs back to site URLs.

Placement (``DOWNLOADER_MIDDLEWARES``, 585): ``process_response`` runs from high numbers to low,
so at 585 ``HttpCompressionMiddleware`` (590) has already decompressed the body, and every
attempt is kept before ``RetryMiddleware`` (550) retries it (403s, 503s, 404s are recorded too).
Redirect answers are consumed by ``RedirectMiddleware`` (600) first and are not recorded; the
page they lead to is. The stored headers describe the stored body: ``Content-Length`` is its
length, ``Transfer-Encoding`` is dropped (``Content-Encoding`` is gone already when the body was
decoded, and kept when Scrapy could not decode it).

Files are named ``{ZAMAN_WARC_PREFIX}-{UTC time}-{serial}-{pid}.warc.gz``, created with ``O_EXCL``:
a restart never overwrites one. A file is closed (and fsynced) once it reaches
``ZAMAN_WARC_MAX_SIZE`` bytes; the next record opens the next file. Each record is flushed as a
complete gzip member, so a ``kill -9`` loses at most the record being written.

Disabled (``NotConfigured``) when ``ZAMAN_WARC_DIR`` is empty. A directory that cannot be written
fails the crawl when the spider opens, before the first request (``zamanscraper.outcome``).
Stats: ``zaman/warc/records``, ``zaman/warc/bytes``, ``zaman/warc/files``.
"""

from __future__ import annotations

import http
import logging
import os
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from zamanscraper import __version__, outcome
from zamanscraper.version import extractor_version

logger = logging.getLogger(__name__)

#: headers that describe the transfer, not the stored body
TRANSFER_HEADERS = {b"transfer-encoding", b"content-length"}


def warc_name(prefix: str, when: datetime, serial: int, pid: int) -> str:
    """The name of a WARC file: sorts by creation time, unique per process and serial.

    >>> warc_name("zaman", datetime(2026, 12, 3, 9, 5, 7, 123456), 2, 4711)
    'zaman-20261203090507123456-00002-4711.warc.gz'
    """
    return f"{prefix}-{when:%Y%m%d%H%M%S%f}-{serial:05d}-{pid}.warc.gz"


def header_pairs(headers) -> list[tuple[str, str]]:
    """Scrapy ``Headers`` as ``(name, value)`` text pairs (latin-1, as on the wire)."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def response_headers(response) -> StatusAndHeaders:
    """Status line and headers of ``response``, made to describe its (decoded) body.

    >>> from scrapy.http import Response
    >>> r = Response("http://h/", status=200, body=b"abc",
    ...              headers={"Content-Length": "99", "Transfer-Encoding": "chunked", "X": "1"})
    >>> h = response_headers(r)
    >>> h.statusline, h.headers
    ('200 OK', [('X', '1'), ('Content-Length', '3')])
    """
    pairs = [
        (name, value) for name, value in header_pairs(response.headers)
        if name.lower().encode("latin-1") not in TRANSFER_HEADERS
    ]
    pairs.append(("Content-Length", str(len(response.body))))
    try:
        phrase = http.HTTPStatus(response.status).phrase
    except ValueError:
        phrase = ""
    statusline = f"{response.status} {phrase}".strip()
    return StatusAndHeaders(statusline, pairs, protocol=getattr(response, "protocol", None) or "HTTP/1.1")


def request_headers(request) -> StatusAndHeaders:
    """Request line and headers of ``request`` (``Host`` added when Scrapy leaves it implicit).

    >>> from scrapy import Request
    >>> h = request_headers(Request("http://127.0.0.1:8000/a/b?q=1", headers={"Accept": "x"}))
    >>> h.to_str().splitlines()
    ['GET /a/b?q=1 HTTP/1.1', 'Accept: x', 'Host: 127.0.0.1:8000']
    """
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = header_pairs(request.headers)
    if not any(name.lower() == "host" for name, _ in pairs):
        pairs.append(("Host", parts.netloc))
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", pairs, is_http_request=True)


class WarcWriterMiddleware:
    def __init__(self, directory: str | Path, max_size: int, prefix: str = "zaman",
                 crawler=None):
        self.directory = Path(directory)
        self.max_size = max_size
        self.prefix = prefix
        self.crawler = crawler
        self.mirror: str | None = None
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._serial = 0
        self._failed = False

    @classmethod
    def from_crawler(cls, crawler):
        directory = crawler.settings.get("ZAMAN_WARC_DIR")
        if not directory:
            raise NotConfigured("ZAMAN_WARC_DIR is not set")
        max_size = crawler.settings.getint("ZAMAN_WARC_MAX_SIZE", 1_000_000_000)
        prefix = crawler.settings.get("ZAMAN_WARC_PREFIX") or "zaman"
        mw = cls(directory, max_size, prefix, crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    # --- signals ---------------------------------------------------------------------------

    def spider_opened(self, spider=None):
        args = getattr(spider, "args", None)
        self.mirror = getattr(args, "mirror", None)
        try:
            self.open_next()
        except OSError as error:
            self.failed(error)

    def spider_closed(self, spider=None, reason=None):
        self.close()

    # --- downloader middleware -------------------------------------------------------------

    def process_response(self, request, response, spider=None):
        if not self._failed:
            try:
                self.write(request, response)
            except OSError as error:
                self.failed(error)
        return response

    # --- files -----------------------------------------------------------------------------

    def open_next(self) -> Path:
        """Create the next WARC file (never an existing one) and write its ``warcinfo``."""
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            self._serial += 1
            name = warc_name(self.prefix, datetime.now(UTC), self._serial, os.getpid())
            path = self.directory / name
            try:
                self._file = path.open("xb")
                break
            except FileExistsError:
                continue
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        info = {
            "software": f"zamanscraper/{__version__} (Scrapy, warcio)",
            "format": "WARC File Format 1.1",
            "zaman-extractor-version": extractor_version(),
            "zaman-mirror": self.mirror,
        }
        self._writer.write_record(self._writer.create_warcinfo_record(name, info))
        self._inc("zaman/warc/files")
        logger.info("Writing WARC records to %s", path)
        return path

    def close(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None
            self._writer = None

    def write(self, request, response) -> None:
        """Append the request/response pair; roll over to a new file past ``max_size``."""
        if self._file is None or self._writer is None:
            self.open_next()
        file, writer = self._file, self._writer
        assert file is not None and writer is not None  # open_next opened both
        date = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        resp_headers = {"WARC-Date": date}
        ip = getattr(response, "ip_address", None)
        if ip is not None:
            resp_headers["WARC-IP-Address"] = str(ip)
        resp = writer.create_warc_record(
            response.url, "response", payload=BytesIO(response.body), length=len(response.body),
            http_headers=response_headers(response), warc_headers_dict=resp_headers,
        )
        body = request.body or b""
        req = writer.create_warc_record(
            response.url, "request", payload=BytesIO(body), length=len(body),
            http_headers=request_headers(request),
        )
        start = file.tell()
        writer.write_request_response_pair(req, resp)
        self._inc("zaman/warc/records", 2)
        self._inc("zaman/warc/bytes", file.tell() - start)
        if file.tell() >= self.max_size:
            self.close()

    def failed(self, error: OSError) -> None:
        """Stop writing and fail the crawl: raw pages that were asked for must not be lost."""
        self._failed = True
        self._file = self._writer = None  # a failed file is not flushed again
        if self.crawler is None:
            raise error
        outcome.fail(self.crawler, f"ZAMAN_WARC_DIR {self.directory}: {error.strerror or error}")
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="warc_failed"))

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value(key, count)
