"""The run id: one short string per crawl, on every reject line and in the stats (``zaman/run_id``).

A rejects file is appended to by every run; the run id tells the runs apart. Under scrapyd it
is the job id (the spider's ``_job`` argument); otherwise the start time (UTC) and a random
suffix, e.g. ``20261203T094500Z-3f9a07``.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

STATS_KEY = "zaman/run_id"


def new_run_id(now: datetime | None = None) -> str:
    """
    >>> new_run_id(datetime(2026, 12, 3, 9, 45, tzinfo=UTC))[:17]
    '20261203T094500Z-'
    """
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def run_id(crawler) -> str:
    """The crawl's run id, made on first use and kept in the stats."""
    value = crawler.stats.get_value(STATS_KEY)
    if not value:
        spider = getattr(crawler, "spider", None)
        value = str(getattr(spider, "_job", None) or new_run_id())
        crawler.stats.set_value(STATS_KEY, value)
    return value
