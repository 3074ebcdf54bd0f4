"""Re-extraction of WARC files without the network: ``python -m zamanscraper reextract``.

Each ``response`` record of an article URL is run through ``extract_article`` and built into an
item exactly as the spider does (``zamanscraper.spiders.zaman.make_item``, ``items.to_item``),
then through the crawl's record pipelines (the project's ``ITEM_PIPELINES``, built from its
settings) and written with Scrapy's
JSON-lines exporter under the project's ``FEED_EXPORT_ENCODING`` and ``FEED_EXPORT_FIELDS``, as
``-O`` does. So a crawl with ``ZAMAN_WARC_DIR`` set and a re-extraction of its WARC files give
the same records; only ``fetched_at`` can differ: here it is the record's ``WARC-Date`` (when
the page was fetched, to the second).

Target URIs of a ``mirror=`` crawl are mapped back to site URLs with
``zamanscraper.urls.from_mirror``, using the mirror base the WARC's ``warcinfo`` record names
(``zaman-mirror``) or ``--mirror``. Records of other URLs (feeds, listings, robots.txt) are
counted as skipped. Rejects go to the rejects file with the crawl's stages: ``parse`` (not an
article page), ``validate`` (the validate pipeline's reasons) and ``fetch`` (an article whose
every response in the WARC was an HTTP error, reason ``HTTP {status}`` of the last one).

What differs from a crawl: spider arguments such as ``since=`` do not apply (every article in
the WARC is re-extracted), and when the WARC files hold several responses for one article (two
crawls) the first one in file order wins, as in a crawl's dedupe pipeline.
"""

from __future__ import annotations

import logging
import sys
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.exporters import JsonLinesItemExporter
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import build_from_crawler, load_object
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from zamanscraper import urls
from zamanscraper.articleset import ArticleSet
from zamanscraper.extract import ExtractError, extract_article
from zamanscraper.items import to_item
from zamanscraper.rejects import RejectsFile
from zamanscraper.spiders.zaman import make_item

logger = logging.getLogger(__name__)



class WarcError(Exception):
    """A WARC file that cannot be read: one line naming the file and the problem."""


class Stats(Counter):
    """Just enough of Scrapy's stats collector for the pipelines (``inc_value``)."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] += count


@dataclass
class Page:
    """One ``response`` record of a WARC file."""

    uri: str
    status: int | None
    date: str
    body: bytes


def fetched_at(warc_date: str) -> str:
    """A ``WARC-Date`` in the ``fetched_at`` format (UTC, to the second, ``Z``).

    >>> fetched_at("2026-12-03T09:15:53.124507Z"), fetched_at("2017-07-17T02:41:43Z")
    ('2026-12-03T09:15:53Z', '2017-07-17T02:41:43Z')
    """
    when = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def warcinfo_fields(payload: bytes) -> dict[str, str]:
    """The ``name: value`` lines of a ``warcinfo`` record.

    >>> warcinfo_fields(b"software: z\\r\\nzaman-mirror: http://127.0.0.1:8000\\r\\n")
    {'software': 'z', 'zaman-mirror': 'http://127.0.0.1:8000'}
    """
    fields = {}
    for line in payload.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def check_warc(path: Path) -> None:
    """Raise :class:`WarcError` unless ``path`` is a readable file starting with a WARC record."""
    try:
        with path.open("rb") as f:
            first = next(iter(ArchiveIterator(f)), None)
    except OSError as error:
        raise WarcError(f"{path}: {error.strerror or error}") from None
    except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as error:
        raise WarcError(f"{path}: not a WARC file ({str(error).strip() or type(error).__name__})") from None
    if first is None:
        raise WarcError(f"{path}: not a WARC file (no record)")
    if first.format != "warc":  # warcio also reads ARC files, and takes much for an ARC header
        raise WarcError(f"{path}: not a WARC file (no WARC/1.x header)")


def pages(path: Path, mirror: str | None, progress: Progress | None = None) -> Iterator[Page]:
    """The response records of one WARC file, target URIs mapped back from the mirror."""
    try:
        with path.open("rb") as f:
            for record in ArchiveIterator(f):
                if progress is not None:
                    progress.advance(path, f.tell())
                if record.rec_type == "warcinfo" and mirror is None:
                    mirror = warcinfo_fields(record.content_stream().read()).get("zaman-mirror")
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                if mirror:
                    uri = urls.from_mirror(uri, mirror)
                status = record.http_headers.get_statuscode() if record.http_headers else None
                yield Page(uri, int(status) if status and status.isdigit() else None,
                           record.rec_headers.get_header("WARC-Date"), record.content_stream().read())
    except (ArchiveLoadFailed, zlib.error, EOFError) as error:
        raise WarcError(f"{path}: unreadable WARC record ({str(error).strip() or type(error).__name__})") from None


class Progress:
    """Records, rate and ETA (by bytes read) on stderr: redrawn in place on a terminal, else a
    plain log line every ``interval`` seconds."""

    def __init__(self, paths: list[Path], stream=None, interval: float = 10.0):
        self.sizes = {p: p.stat().st_size for p in paths}
        self.total = sum(self.sizes.values()) or 1
        self.done_files = 0
        self.current: Path | None = None
        self.position = 0
        self.records = 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.interval = 0.2 if self.tty else interval
        self.start = self.last = time.monotonic()

    def advance(self, path: Path, position: int) -> None:
        if path != self.current:
            if self.current is not None:
                self.done_files += self.sizes[self.current]
            self.current = path
        self.position = position

    def page(self) -> None:
        self.records += 1
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self.show(now)

    def line(self, now: float) -> str:
        """``"120 records, 45.0/s, 30% of 2.1 MB, ETA 0:00:05"``."""
        elapsed = max(now - self.start, 1e-6)
        done = min(self.done_files + self.position, self.total)
        eta = (self.total - done) * elapsed / done if done else 0.0
        return (f"{self.records} records, {self.records / elapsed:.1f}/s, "
                f"{100 * done / self.total:.0f}% of {self.total / 1e6:.1f} MB, "
                f"ETA {int(eta) // 3600}:{int(eta) // 60 % 60:02d}:{int(eta) % 60:02d}")

    def show(self, now: float) -> None:
        if self.tty:
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()
        else:
            logger.info("%s", self.line(now))

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


@dataclass
class Result:
    items: int
    stats: Stats
    elapsed: float


def project_settings() -> Settings:
    settings = Settings()
    settings.setmodule("zamanscraper.settings", priority="project")
    return settings


class OfflineCrawler:
    """What the record pipelines read of a crawler (``settings``, ``stats``, ``signals``) when
    there is no crawl: no engine, no spider, no signal is ever sent."""

    def __init__(self, settings: Settings, stats: Stats):
        self.settings = settings
        self.stats = stats
        self.signals = SignalManager(self)


def record_pipelines(crawler: OfflineCrawler) -> list:
    """The project's ``ITEM_PIPELINES`` in their order, built as Scrapy builds them (one that
    raises ``NotConfigured`` is left out). Only their ``process_item`` is called."""
    pipelines = []
    for path in build_component_list(crawler.settings.getwithbase("ITEM_PIPELINES")):
        try:
            # duck-typed: OfflineCrawler has what the pipelines' from_crawler read
            pipelines.append(build_from_crawler(load_object(path), cast(Crawler, crawler)))
        except NotConfigured:
            continue
    return pipelines


def feed_exporter(file) -> JsonLinesItemExporter:
    """Scrapy's JSON-lines exporter with the project's feed settings (encoding, field order)."""
    settings = project_settings()
    return JsonLinesItemExporter(
        file, encoding=settings.get("FEED_EXPORT_ENCODING") or "utf-8",
        fields_to_export=settings.getlist("FEED_EXPORT_FIELDS") or None,
    )


def reextract(paths: list[Path], output: Path, rejects_path: Path, *, mirror: str | None = None,
              timezone: str | None = None, progress: Progress | None = None) -> Result:
    """Re-extract every article response of ``paths`` into ``output`` (JSON lines) and
    ``rejects_path``; both are written as ``*.part`` files and replace the old ones only when the
    run succeeds. Raises :class:`WarcError` (nothing is replaced then)."""
    for path in paths:
        check_warc(path)
    partial, partial_rejects = (p.with_name(p.name + ".part") for p in (output, rejects_path))
    partial_rejects.unlink(missing_ok=True)
    run = Reextraction(RejectsFile(partial_rejects), timezone)
    start = time.monotonic()
    try:
        with partial.open("wb") as out:
            run.write(paths, out, mirror, progress)
    except BaseException:
        for part in (partial, partial_rejects):
            part.unlink(missing_ok=True)
        raise
    partial.replace(output)
    partial_rejects.replace(rejects_path)
    return Result(run.stats["zaman/items/written"], run.stats, time.monotonic() - start)


class Reextraction:
    """One run: the pipelines, the rejects file, and which articles only failed so far."""

    def __init__(self, rejects: RejectsFile, timezone: str | None):
        self.stats = Stats()
        rejects.stats = self.stats
        self.rejects = rejects
        self.timezone = timezone
        self.pipelines = record_pipelines(OfflineCrawler(project_settings(), self.stats))
        #: article -> last HTTP status of an error answer, until a 2xx answer is seen
        self.failed: dict[tuple[str, int], int | None] = {}
        self.done = ArticleSet()  # one bit an article: flat over a WARC of any size

    def write(self, paths: list[Path], out, mirror: str | None, progress: Progress | None) -> None:
        exporter = feed_exporter(out)
        exporter.start_exporting()
        try:
            for path in paths:
                for page in pages(path, mirror, progress):
                    if progress is not None:
                        progress.page()
                    item = self.item(page)
                    if item is not None:
                        self.export(item, exporter)
            for key, status in self.failed.items():
                if key not in self.done:
                    reason = f"HTTP {status}" if status else "no HTTP status"
                    self.rejects.write(urls.canonical_url(*key), "fetch", [reason], {})
            self.rejects.open()  # an empty rejects file says "no rejects"
        finally:
            self.rejects.close()
            if progress is not None:
                progress.finish()
        exporter.finish_exporting()

    def export(self, item, exporter) -> None:
        try:
            for pipeline in self.pipelines:
                item = pipeline.process_item(item)
        except DropItem as drop:
            self.rejects.item_dropped(item, exception=drop)
            return
        exporter.export_item(item)
        self.stats.inc_value("zaman/items/written")

    def item(self, page: Page):
        """The item of one response record, or None (skipped, HTTP error, parse reject)."""
        self.stats.inc_value("zaman/warc/responses")
        key = urls.article_key(page.uri) if urls.is_site_url(page.uri) else None
        if key is None:
            self.stats.inc_value("zaman/warc/skipped_not_article")
            return None
        if page.status is None or not 200 <= page.status < 300:
            self.failed[key] = page.status
            self.stats.inc_value("zaman/warc/http_errors")
            return None
        self.done.add(key)
        url = urls.canonical_url(*key)
        try:
            record = extract_article(page.body, url, timezone=self.timezone)
        except ExtractError as error:
            self.rejects.page_rejected(url, [str(error)], {})
            return None
        except Exception as error:  # an extractor bug must not lose the page: record it, loudly
            logger.exception("Extractor crashed on %s", url)
            self.rejects.page_rejected(url, [f"extractor crashed: {type(error).__name__}: {error}"], {})
            return None
        self.stats.inc_value("zaman/items/extracted")
        return to_item(make_item(record, key, url, fetched_at=fetched_at(page.date)))
