"""JSONL files that survive ``kill -9``: append-only, repaired on open, and aware of what they hold.

A :class:`JsonlArchive` is one output (one file, or one file per edition and month when the
path holds ``{edition}`` / ``{month}``, e.g. ``archive/{edition}/{month}.jsonl`` ->
``archive/en/2017-07.jsonl``; ``{month}`` is ``undated`` for a record without a full date).

Durability policy:

- every record is handed to the OS with one ``write(2)`` on a file opened ``O_APPEND`` (no
  user-space buffer) before it counts as written: a killed crawl (SIGKILL included) never loses
  a written record and leaves at most one torn last line;
- ``fsync`` runs at most every ``fsync_interval`` seconds while writing, whenever :meth:`sync`
  is called (the seen-store calls it before each commit, so it never claims a record the disk
  lacks) and at :meth:`close`;
- on open, a torn last line (no final newline) is cut off and reported; every complete line is
  read to learn which ``(edition, article_id)`` the files already hold and with which content
  (:func:`content_hash`), so a rerun neither requests nor writes them again. Nothing written
  before is ever overwritten.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import time
from pathlib import Path

from zamanscraper.articleset import ArticleDigests

logger = logging.getLogger(__name__)

PLACEHOLDERS = ("{edition}", "{month}")
_MONTH = re.compile(r"^\d{4}-\d{2}")


def content_hash(record: dict) -> str:
    """A digest of everything in ``record`` but ``fetched_at``: equal for an unchanged article.

    >>> a = content_hash({"headline": "H", "fetched_at": "2020-01-01T00:00:00Z"})
    >>> a == content_hash({"fetched_at": "2026-01-01T00:00:00Z", "headline": "H"})
    True
    >>> a == content_hash({"headline": "H2"})
    False
    """
    content = {k: v for k, v in record.items() if k != "fetched_at"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=12).hexdigest()


def record_key(record: dict) -> tuple[str, int] | None:
    """``(edition, article_id)`` of a record; None when it has no usable identity.

    >>> record_key({"edition": "en", "article_id": 5}), record_key({"edition": "en"})
    (('en', 5), None)
    """
    edition, article_id = record.get("edition"), record.get("article_id")
    if isinstance(edition, str) and isinstance(article_id, int) and not isinstance(article_id, bool):
        return edition, article_id
    return None


def month_of(record: dict) -> str:
    """``YYYY-MM`` of the record's publication, ``undated`` without one.

    >>> month_of({"published_at": "2017-07-17T02:41:43"}), month_of({"published_at": "2017"})
    ('2017-07', 'undated')
    """
    published = record.get("published_at")
    if isinstance(published, str) and _MONTH.match(published):
        return published[:7]
    return "undated"


def repair_tail(path: Path) -> int:
    """Cut a torn last line (bytes after the last newline) off ``path``; the bytes dropped.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "x.jsonl"
    >>> _ = p.write_bytes(b'{"a": 1}\\n{"a": 2')
    >>> repair_tail(p), p.read_bytes()
    (7, b'{"a": 1}\\n')
    >>> repair_tail(p)
    0
    """
    with path.open("rb+") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return 0
        end, block = size, 65536
        while end > 0:  # search backwards for the last newline
            start = max(0, end - block)
            f.seek(start)
            chunk = f.read(end - start)
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                keep = start + cut + 1
                break
            end = start
        else:
            keep = 0
        f.truncate(keep)
        f.flush()
        os.fsync(f.fileno())
        return size - keep


def write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is written (a regular file rarely takes less)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class JsonlArchive:
    def __init__(self, template: str | Path, *, overwrite: bool = False, fsync_interval: float = 30.0):
        self.template = str(template)
        self.partitioned = any(p in self.template for p in PLACEHOLDERS)
        if overwrite and self.partitioned:
            raise ValueError(f"{self.template}: a partitioned output is appended to (use -o, not -O)")
        self.overwrite = overwrite
        self.fsync_interval = fsync_interval
        #: (edition, article_id) -> content hash of the last record written for it (8 bytes an article)
        self.written = ArticleDigests()
        self.repaired: dict[str, int] = {}  # path -> bytes cut from a torn last line
        self.unreadable = 0  # complete lines that are not a JSON record (reported, kept)
        self.count = 0  # records written by this run
        self._fds: dict[Path, int] = {}
        self._last_sync = time.monotonic()

    # --- opening -----------------------------------------------------------------------------

    def files(self) -> list[Path]:
        """The files of this output that exist now."""
        if not self.partitioned:
            path = Path(self.template)
            return [path] if path.is_file() else []
        pattern = self.template
        for placeholder in PLACEHOLDERS:
            pattern = pattern.replace(placeholder, "*")
        anchor = Path(pattern)
        root = Path(anchor.anchor) if anchor.is_absolute() else Path()
        relative = anchor.relative_to(root) if anchor.is_absolute() else anchor
        return sorted(p for p in root.glob(str(relative)) if p.is_file())

    def open(self) -> None:
        """Repair and read the existing files (or empty the file with ``overwrite``); check
        that the output can be written. Raises ``OSError`` when it cannot."""
        if self.overwrite:
            path = Path(self.template)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.open("wb").close()
        for path in self.files():
            dropped = repair_tail(path)
            if dropped:
                self.repaired[str(path)] = dropped
                logger.warning("Repaired %s: cut a torn last line of %d bytes (an interrupted "
                               "write; its article is fetched again)", path, dropped)
            self._read(path)
        if self.unreadable:
            logger.warning("%s: %d complete lines are not JSON records (kept as they are)",
                           self.template, self.unreadable)
        if not self.partitioned:
            self._fd(Path(self.template))
        else:
            probe = Path(self.template.split("{", 1)[0] or ".")
            directory = probe if str(probe).endswith(os.sep) or probe.is_dir() else probe.parent
            directory.mkdir(parents=True, exist_ok=True)
            if not os.access(directory, os.W_OK):
                raise PermissionError(13, "Permission denied", str(directory))
        logger.info("Output %s holds %d records", self.template, len(self.written))

    def _read(self, path: Path) -> None:
        with path.open("rb") as f:
            for line in f:
                try:
                    record = json.loads(line)
                except ValueError:
                    self.unreadable += 1
                    continue
                key = record_key(record) if isinstance(record, dict) else None
                if key is None:
                    self.unreadable += 1
                    continue
                self.written[key] = content_hash(record)

    # --- writing -----------------------------------------------------------------------------

    def path_for(self, record: dict) -> Path:
        """The file a record goes to.

        >>> JsonlArchive("a/{edition}/{month}.jsonl").path_for({"edition": "ar", "published_at": "2019-02-03"})
        PosixPath('a/ar/2019-02.jsonl')
        """
        if not self.partitioned:
            return Path(self.template)
        name = self.template.replace("{edition}", str(record.get("edition") or "unknown"))
        return Path(name.replace("{month}", month_of(record)))

    def _fd(self, path: Path) -> int:
        fd = self._fds.get(path)
        if fd is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            self._fds[path] = fd
        return fd

    def holds(self, key: tuple[str, int], digest: str | None = None) -> bool:
        """Whether the output holds a record of ``key`` (with content ``digest`` when given)."""
        return self.written.holds(key, digest)

    def add(self, record: dict, line: bytes) -> bool:
        """Append ``line`` (the JSON of ``record`` with its newline) unless the output already
        holds the same content for the article; True when written."""
        key = record_key(record)
        digest = content_hash(record)
        if key is not None and self.written.holds(key, digest):
            return False
        write_all(self._fd(self.path_for(record)), line)
        if key is not None:
            self.written[key] = digest
        self.count += 1
        if time.monotonic() - self._last_sync >= self.fsync_interval:
            self.sync()
        return True

    def sync(self) -> None:
        """``fsync`` every open file: what was written is on disk."""
        for fd in self._fds.values():
            try:
                os.fsync(fd)
            except OSError as error:
                if error.errno != errno.EINVAL:  # EINVAL: a device or pipe, nothing to sync
                    raise
        self._last_sync = time.monotonic()

    def close(self) -> None:
        self.sync()
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()
