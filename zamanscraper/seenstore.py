"""What earlier runs saw, per article: a small SQLite store (``ZAMAN_STATE_PATH``).

One row per ``(edition, article_id)``: the canonical URL, the content hash of the last record
written (:func:`zamanscraper.archive.content_hash`: everything but ``fetched_at``), first and
last seen (UTC), the last status (``ok``, or why it failed: ``HTTP 404``, ``rejected: parse``)
and the publication date (``YYYY-MM-DD`` or null).

Writes are gathered in memory (reads see them) and written in one short transaction per batch
(every ``batch`` changes or ``interval`` seconds, and at close); the database runs in WAL mode
with ``synchronous=NORMAL``: no fsync per article. A crash loses at most the last batch, which
only means those articles are fetched again on the next run. No lock is held between batches,
so several processes (the workers of a distributed crawl on one machine) can share one store:
each reads what the others committed. Not on a network filesystem (SQLite's locks need a local
one).
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

OK = "ok"

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    edition TEXT NOT NULL,
    article_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_status TEXT NOT NULL,
    published TEXT,
    PRIMARY KEY (edition, article_id)
) WITHOUT ROWID
"""


class Seen(NamedTuple):
    url: str
    content_hash: str | None
    first_seen: str
    last_seen: str
    last_status: str
    published: str | None

    @property
    def published_day(self) -> date | None:
        return date.fromisoformat(self.published) if self.published else None


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def needs_refresh(seen: Seen, refresh_days: int, today: date) -> bool:
    """Whether a stored article is fetched again: it failed last time, or it was published
    within the last ``refresh_days`` days (comment counts and edits change).

    >>> row = Seen("u", "h", "t", "t", "ok", "2020-01-10")
    >>> needs_refresh(row, 7, date(2020, 1, 16)), needs_refresh(row, 7, date(2020, 1, 18))
    (True, False)
    >>> needs_refresh(row._replace(last_status="HTTP 503"), 0, date(2030, 1, 1))
    True
    >>> needs_refresh(row._replace(published=None), 7, date(2020, 1, 11))
    False
    """
    if seen.last_status != OK:
        return True
    day = seen.published_day
    return bool(refresh_days) and day is not None and day >= today - timedelta(days=refresh_days)


#: one article's change, in the order of the table's columns after the key
UPSERT = ("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (edition, article_id) DO UPDATE SET url = excluded.url, "
          "content_hash = coalesce(excluded.content_hash, content_hash), "
          "last_seen = excluded.last_seen, last_status = excluded.last_status, "
          "published = coalesce(excluded.published, published)")


def updated(seen: Seen | None, change: Seen) -> Seen:
    """``seen`` after ``change`` (what :data:`UPSERT` does to a row): hash and publication date
    kept when the change has none, first seen kept.

    >>> old = Seen("u", "h1", "t1", "t1", "ok", "2017-07-17")
    >>> updated(old, Seen("u", None, "t2", "t2", "HTTP 503", None))
    Seen(url='u', content_hash='h1', first_seen='t1', last_seen='t2', last_status='HTTP 503', published='2017-07-17')
    >>> updated(None, old) == old
    True
    """
    if seen is None:
        return change
    return change._replace(content_hash=change.content_hash or seen.content_hash,
                           first_seen=seen.first_seen, published=change.published or seen.published)


#: seconds a worker waits for another process's lock on a shared store before it gives up
LOCK_TIMEOUT = 60


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch the store to WAL (readers and one writer at once). The switch takes a lock that
    SQLite's busy timeout does not wait for: two workers creating one store at the same moment
    made one fail with "database is locked", so the wait is here."""
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class SeenStore:
    def __init__(self, path: str | Path, *, batch: int = 500, interval: float = 5.0):
        self.path = Path(path)
        self.batch = batch
        self.interval = interval
        self.pending = 0
        self._last_commit = time.monotonic()
        if self.path.parent != Path():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        #: changes not yet written: key -> the row as it will be (over the stored one)
        self.changes: dict[tuple[str, int], Seen] = {}
        # another process's batch holds the write lock for milliseconds: wait for it
        self.db = sqlite3.connect(self.path, isolation_level="DEFERRED", timeout=LOCK_TIMEOUT)
        _use_wal(self.db)
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(SCHEMA)
        self.db.commit()

    def _stored(self, key: tuple[str, int]) -> Seen | None:
        row = self.db.execute(
            "SELECT url, content_hash, first_seen, last_seen, last_status, published "
            "FROM articles WHERE edition = ? AND article_id = ?", key).fetchone()
        return Seen(*row) if row else None

    def get(self, key: tuple[str, int]) -> Seen | None:
        change = self.changes.get(key)
        return updated(self._stored(key), change) if change is not None else self._stored(key)

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def _upsert(self, key, url, status, digest=None, published=None, now=None) -> None:
        now = now or utc_now()
        key = (key[0], key[1])
        self.changes[key] = updated(self.changes.get(key), Seen(url, digest, now, now, status, published))
        self.pending += 1

    def stored(self, key, url: str, digest: str, published: str | None) -> None:
        """A record of the article was written (or found unchanged)."""
        self._upsert(key, url, OK, digest, published)

    def failed(self, key, url: str, status: str) -> None:
        """The article's page failed or was rejected; it is tried again next run."""
        self._upsert(key, url, status)

    def due(self) -> bool:
        """Whether the batch is due for a commit."""
        return self.pending >= self.batch or (
            self.pending > 0 and time.monotonic() - self._last_commit >= self.interval)

    def commit(self) -> None:
        """Write the gathered changes in one transaction (the write lock is held only here)."""
        if self.changes:
            with self.db:
                self.db.executemany(UPSERT, [(*key, *seen) for key, seen in self.changes.items()])
            self.changes.clear()
        self.pending = 0
        self._last_commit = time.monotonic()

    def close(self) -> None:
        self.commit()
        self.db.close()
