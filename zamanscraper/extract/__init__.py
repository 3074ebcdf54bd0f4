"""Article extraction: a pure function of page bytes and URL (no Scrapy, no network).

STUB: the layered implementation is being written; the interface below is fixed.
"""

from __future__ import annotations


class ExtractError(ValueError):
    """The page cannot be parsed as an article at all (empty, binary, not HTML, too large).

    ``str(error)`` is one line naming what was wrong.
    """


def extract_article(html: bytes | str, url: str, *, timezone: str | None = None) -> dict:
    """The record for one article page (every ``Article`` field but ``fetched_at``).

    ``timezone`` is an IANA zone name (the ``ZAMAN_TIMEZONE`` setting) applied to printed
    dates that carry no zone of their own.
    """
    raise ExtractError("extraction not implemented yet")
