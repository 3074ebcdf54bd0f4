"""Printed dates -> ISO 8601, never inventing a zone.

A fast path of explicit formats covers every form the site is known to print (see NOTES.md);
dateparser is only the last resort, because its default path costs ~1 ms a call and its first
Arabic call 1-2 s. A zone is attached only when the text prints one or ``timezone`` (the
``ZAMAN_TIMEZONE`` setting) is given; a printed date without a time stays a date.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta
from datetime import timezone as dt_timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..processors import ascii_digits, collapse_whitespace

logger = logging.getLogger(__name__)

#: printed dates whose reading is kept (a day's worth of articles many times over)
DATE_CACHE = 1024

_ALEF = str.maketrans("أإآ", "ااا")


def _norm(word: str) -> str:
    return word.translate(_ALEF).replace("ـ", "").lower()


#: month names -> number: English, Levantine Arabic, Egyptian/Gulf Arabic (alef forms folded)
MONTHS = {
    _norm(name): number
    for number, names in enumerate(
        [
            ("january", "jan", "كانون الثاني", "يناير"),
            ("february", "feb", "شباط", "فبراير"),
            ("march", "mar", "آذار", "مارس"),
            ("april", "apr", "نيسان", "أبريل", "إبريل"),
            ("may", "أيار", "مايو"),
            ("june", "jun", "حزيران", "يونيو", "يونيه"),
            ("july", "jul", "تموز", "يوليو", "يوليه"),
            ("august", "aug", "آب", "أغسطس", "اغسطس"),
            ("september", "sep", "sept", "أيلول", "سبتمبر"),
            ("october", "oct", "تشرين الأول", "أكتوبر"),
            ("november", "nov", "تشرين الثاني", "نوفمبر"),
            ("december", "dec", "كانون الأول", "ديسمبر"),
        ],
        start=1,
    )
    for name in names
}
#: weekday names that may precede a date (alef forms folded, lower case)
WEEKDAYS = {
    _norm(name)
    for name in "monday tuesday wednesday thursday friday saturday sunday "
    "mon tue wed thu fri sat sun الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split()
}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

#: ``2017-07-17 02:41:43`` exactly, in ASCII digits: the form the site prints (``parse_date``
#: returns it with a ``T`` when it is a real time, without the general patterns)
SITE_STAMP = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")
#: ``2017-07-17 02:41:43``, ``2017-07-17T02:41``, optional fraction and zone
ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"\s*(?:(?:GMT|UTC)\s*)?(?P<z>Z|[+-]\d{1,2}(?::?\d{2})?)?)?"
)
#: syndicated copies: ``12/4/2025 3:47:22 PM - GMT (+2 )`` (month first, as .NET prints it)
US_CLOCK = re.compile(
    r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"\s*(?P<ampm>[AaPp][Mm])?(?:\s*-?\s*GMT\s*\(?\s*(?P<off>[+-]\s*\d{1,2}(?::?\d{2})?)\s*\)?)?"
)
#: ``17 تموز 2017``, ``الأحد 12 آذار 2023``, ``17 July 2017, 14:02``
DAY_MONTH_YEAR = re.compile(
    rf"(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH_ALT})\s*[,،]?\s*(?P<y>\d{{4}})"
    r"(?:\s*[,،-]?\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?",
    re.IGNORECASE,
)
#: ``July 17, 2017``
MONTH_DAY_YEAR = re.compile(
    rf"(?P<mon>{_MONTH_ALT})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})"
    r"(?:\s*,?\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?",
    re.IGNORECASE,
)
#: ``March 2017``, ``آذار 2017``: a month without a day stays a month (``2017-03``)
MONTH_YEAR = re.compile(rf"(?P<mon>{_MONTH_ALT})\s*[,،]?\s*(?P<y>\d{{4}})", re.IGNORECASE)
#: ``2017``: a year alone stays a year
YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})")
#: relative phrases: never turned into a date (the fetch day is not the publication day)
RELATIVE = re.compile(
    r"(?:\d+|an?|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago"
    r"|just\s+now|today|yesterday|منذ\s+.{1,20}|(?:اليوم|أمس|الأمس)",
    re.IGNORECASE,
)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
#: a day number: one or two digits that are not part of a time
_HAS_DAY = re.compile(r"(?<![\d:])\d{1,2}(?![\d:])")


@lru_cache(maxsize=DATE_CACHE)
def parse_date(raw: str | None, *, timezone: str | None = None) -> str | None:
    """ISO 8601 for a printed date, or None when it is not a date. Remembered: the articles of
    a day print the same date (and the general patterns cost microseconds a call).

    >>> parse_date("2017-07-17 02:41:43")
    '2017-07-17T02:41:43'
    >>> parse_date("2017-07-17 02:41:43", timezone="Europe/Istanbul")
    '2017-07-17T02:41:43+03:00'
    >>> parse_date("٢٠١٨-٠٣-٠٥ ١٤:٠٢:٥٩")
    '2018-03-05T14:02:59'
    >>> parse_date("17 تموز 2017"), parse_date("3 يوليو 2019"), parse_date("الأحد 12 آذار 2023")
    ('2017-07-17', '2019-07-03', '2023-03-12')
    >>> parse_date("٥ كانون الثاني ٢٠٢٠")
    '2020-01-05'
    >>> parse_date("12/4/2025 3:47:22 PM - GMT (+2 )")
    '2025-12-04T15:47:22+02:00'
    >>> parse_date("2017-07-17T02:41:43+03:00", timezone="UTC")
    '2017-07-17T02:41:43+03:00'
    >>> parse_date("July 17, 2017"), parse_date("not a date") is None
    ('2017-07-17', True)

    Never invented: a month or a year alone stays so, a printed offset is kept, a relative
    phrase is no date.

    >>> parse_date("March 2017"), parse_date("2017"), parse_date("آذار 2017")
    ('2017-03', '2017', '2017-03')
    >>> parse_date("2017-07-17 14:02 GMT+3"), parse_date("2017-07-17T02:41:43+03:00")
    ('2017-07-17T14:02:00+03:00', '2017-07-17T02:41:43+03:00')
    >>> parse_date("3 hours ago") is None, parse_date("منذ 3 ساعات") is None, parse_date("Yesterday") is None
    (True, True, True)
    """
    if not raw:
        return None
    if timezone is None and (stamp := SITE_STAMP.fullmatch(raw)) and _valid(*map(int, stamp.groups())):
        return raw.replace(" ", "T")  # the site's own form, a real time: what the patterns give
    text = collapse_whitespace(ascii_digits(raw))
    if RELATIVE.fullmatch(text):
        return None
    value = _fast(text)
    if value is None:
        value = _slow(raw)
    if value is None:
        return None
    if isinstance(value, str):  # a month or a year: no day, no time, no zone
        return value
    if isinstance(value, datetime) and value.tzinfo is None and timezone:
        value = value.replace(tzinfo=zone(timezone))
    return value.isoformat()


def _valid(year: int, month: int, day: int, hour: int, minute: int, second: int) -> bool:
    try:
        datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return True


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ValueError with a one-line message when unknown.

    >>> zone("Asia/Damascus").key
    'Asia/Damascus'
    >>> zone("Mars/Olympus")
    Traceback (most recent call last):
    ...
    ValueError: unknown time zone 'Mars/Olympus' (expected an IANA name such as 'Europe/Istanbul')
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (expected an IANA name such as 'Europe/Istanbul')"
        ) from None


def looks_like_date(text: str) -> bool:
    """True when ``text`` is one date and nothing else (used to find the date line).

    >>> looks_like_date("2017-07-17 02:41:43"), looks_like_date("17 تموز 2017")
    (True, True)
    >>> looks_like_date("said on 2017-07-17 that"), looks_like_date("March 2017"), looks_like_date("3 hours ago")
    (False, True, True)
    """
    text = collapse_whitespace(ascii_digits(text))
    return any(p.fullmatch(text) for p in (ISO, US_CLOCK, RELATIVE, YEAR)) or bool(
        _day_month(_norm(text)) or MONTH_YEAR.fullmatch(_norm(text))
    )


def _fast(text: str) -> date | datetime | str | None:
    """A date, a date and time, or (as an ISO string) a month or a year alone."""
    m = ISO.fullmatch(text)
    if m:
        return _build(m, zone_text=m["z"])
    m = US_CLOCK.fullmatch(text)
    if m:
        hour = int(m["H"])
        if m["ampm"]:
            hour = hour % 12 + (12 if m["ampm"].lower() == "pm" else 0)
        return _build(m, hour=hour, zone_text=m["off"])
    m = _day_month(_norm(text))
    if m:
        return _build(m, month=MONTHS[_norm(m["mon"])])
    m = MONTH_YEAR.fullmatch(_norm(text))
    if m:
        return f"{int(m['y']):04d}-{MONTHS[_norm(m['mon'])]:02d}"
    m = YEAR.fullmatch(text)
    if m:
        return m["y"]
    return None


def _day_month(text: str) -> re.Match | None:
    """Day-month-year or month-day-year, possibly after a weekday name (``text`` is _norm'ed)."""
    candidates = [text]
    first, _, rest = text.partition(" ")
    if rest and first.rstrip(",،") in WEEKDAYS:
        candidates.append(rest)
    for body in candidates:
        for pattern in (DAY_MONTH_YEAR, MONTH_DAY_YEAR):
            m = pattern.fullmatch(body)
            if m:
                return m
    return None


def _build(m: re.Match, *, month: int | None = None, hour: int | None = None, zone_text=None):
    try:
        day = date(int(m["y"]), month or int(m["m"]), int(m["d"]))
        if m["H"] is None:
            return day
        tz = _offset(zone_text) if zone_text else None
        return datetime(
            day.year, day.month, day.day,
            int(m["H"]) if hour is None else hour, int(m["M"]), int(m["S"] or 0), tzinfo=tz,
        )
    except ValueError:
        return None


def _offset(text: str) -> dt_timezone:
    text = text.replace(" ", "")
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-").replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return dt_timezone(sign * timedelta(hours=hours, minutes=minutes))


@lru_cache(maxsize=1)
def _dateparser():
    import dateparser  # imported lazily: it costs ~0.3 s and most pages never need it

    return dateparser


def _slow(raw: str) -> date | datetime | None:
    """dateparser for forms the fast path does not know (logged, so they can be added)."""
    text = collapse_whitespace(raw)
    digits = ascii_digits(text)
    # dateparser fills a missing day with the 1st (or today's): a text with no day is refused
    if len(text) > 80 or RELATIVE.search(text) or not _HAS_DAY.search(re.sub(r"\d{4}", " ", digits)):
        return None
    parsed = _dateparser().parse(
        text,
        locales=["ar-SY", "en"],
        settings={"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"},
    )
    if parsed is None:
        return None
    logger.debug("date %r needed dateparser: add its form to the fast path", raw)
    return parsed if _HAS_TIME.search(ascii_digits(text)) else parsed.date()
