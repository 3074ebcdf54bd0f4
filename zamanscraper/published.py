"""``published_date`` and ``published_utc``: what loads as a date and an instant, derived from
``published_at`` without inventing anything.

``published_at`` keeps the precision the page printed: a year (``2017``), a month (``2017-03``),
a date (``2017-07-17``) or a date and time (``2017-07-17T02:41:43``), with an offset only when
the zone is known (``…+03:00``, ``…Z``). Mixed like that it loads as text. So:

- ``published_date``: the calendar date as printed (no zone shift), ``YYYY-MM-DD``; null when
  only the month or the year is known;
- ``published_utc``: the instant in UTC, ``YYYY-MM-DDTHH:MM:SSZ``; only when ``published_at``
  has a time and an offset, else null (a naive time is not an instant).
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def published_day(published_at: str | None) -> date | None:
    """The calendar date of ``published_at`` as printed; None without a full date.

    >>> published_day("2017-07-17T02:41:43+03:00"), published_day("2017-07-17")
    (datetime.date(2017, 7, 17), datetime.date(2017, 7, 17))
    >>> published_day("2017-03"), published_day("2017"), published_day("2017-03+03:00")
    (None, None, None)
    >>> published_day(None), published_day("17 July"), published_day("2017-02-30")
    (None, None, None)
    """
    if not isinstance(published_at, str) or len(published_at) < 10:
        return None
    head, rest = published_at[:10], published_at[10:]
    if rest and rest[0] not in "T+-Z":
        return None
    try:
        return date.fromisoformat(head)
    except ValueError:
        return None


def published_date(published_at: str | None) -> str | None:
    """``published_day`` as ``YYYY-MM-DD`` text (the record's ``published_date``).

    >>> published_date("2017-07-17T23:30:00-05:00"), published_date("2017-03")
    ('2017-07-17', None)
    """
    day = published_day(published_at)
    return day.isoformat() if day is not None else None


def published_utc(published_at: str | None) -> str | None:
    """The instant in UTC (``…Z``) of a ``published_at`` with a time and an offset; else None.

    >>> published_utc("2017-07-17T02:41:43+03:00"), published_utc("2017-07-17T23:30-05:00")
    ('2017-07-16T23:41:43Z', '2017-07-18T04:30:00Z')
    >>> published_utc("2017-07-17T02:41:43Z"), published_utc("2017-07-17T02:41:43.5+00:00")
    ('2017-07-17T02:41:43Z', '2017-07-17T02:41:43Z')
    >>> published_utc("2017-07-17T02:41:43"), published_utc("2017-07-17")  # zone unknown / no time
    (None, None)
    >>> published_utc("2017-03+03:00"), published_utc("2017"), published_utc(None)
    (None, None, None)
    """
    if not isinstance(published_at, str) or "T" not in published_at:
        return None
    try:
        moment = datetime.fromisoformat(published_at)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def with_published(record: dict) -> dict:
    """``record`` with ``published_date`` and ``published_utc`` set from its ``published_at``.

    >>> with_published({"published_at": "2017-07-17T02:41:43+03:00"})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'published_at': '2017-07-17T02:41:43+03:00', 'published_date': '2017-07-17',
     'published_utc': '2017-07-16T23:41:43Z'}
    """
    published_at = record.get("published_at")
    record["published_date"] = published_date(published_at)
    record["published_utc"] = published_utc(published_at)
    return record
