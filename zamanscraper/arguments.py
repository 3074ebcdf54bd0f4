"""The ``zaman`` spider's ``-a`` arguments: parsing and checking, pure (no Scrapy).

Each bad value raises :class:`SpiderArgumentError`, whose message is one line naming the
argument and what was wrong. ``zamanscraper.commands.crawl`` checks the arguments before Scrapy
starts, so ``scrapy crawl zaman -a ids=abc`` prints that line and exits 2, not a traceback.
"""

from __future__ import annotations

import bisect
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime

from zamanscraper import urls

#: ``edition=`` value -> editions crawled
EDITION_CHOICES = {"en": ("en",), "ar": ("ar",), "both": ("en", "ar")}
#: edition -> sections whose listings are paged in discovery mode when ``sections=`` is not
#: given. English: 1 (News) and 30 (Opinion). Arabic: 3, the one section the offline mirror
#: has (the live Arabic section numbers are not known yet). ``sections=`` applies to all editions.
DEFAULT_SECTIONS = {"en": (1, 30), "ar": (3,)}
#: listing pages per section when neither ``max_pages=`` nor ``since=`` is given
DEFAULT_MAX_PAGES = 3
#: the largest id range ``ids=`` accepts in one crawl
MAX_IDS = 1_000_000
#: every argument the spider takes; names starting with ``_`` (e.g. scrapyd's ``_job``) pass
KNOWN = frozenset({"edition", "urls", "ids", "sections", "max_pages", "since", "mirror", "mode"})
#: ``mode=`` values: how far listings are paged (see :func:`parse_mode`)
MODES = ("update", "archive")

_ID_ITEM = re.compile(r"^(\d{1,9})(?:-(\d{1,9}))?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SpiderArgumentError(ValueError):
    """A bad ``-a`` argument; ``str(error)`` is one line: ``name=value: what was wrong``."""

    def __init__(self, name: str, value: object, problem: str, *, kind: str = "argument"):
        super().__init__(f"{kind} {name}={value!s}: {problem}")
        self.name, self.value, self.problem = name, value, problem


@dataclass(frozen=True)
class CrawlArguments:
    editions: tuple[str, ...] = ("en",)
    #: canonical URLs of ``urls=``, in the order given, duplicates removed
    urls: tuple[str, ...] = ()
    #: ``ids=`` as inclusive ``(first, last)`` ranges, in the order given
    ids: tuple[tuple[int, int], ...] = ()
    #: ``sections=`` for every edition; None = :data:`DEFAULT_SECTIONS`
    sections: tuple[int, ...] | None = None
    #: listing pages per section; None = no limit (only with ``since=``)
    max_pages: int | None = DEFAULT_MAX_PAGES
    since: date | None = None
    #: ``http://host:port`` without a trailing slash, or None for the live site
    mirror: str | None = None
    #: ``mode=``: ``update`` (stop paging a section at the first listing page whose articles are
    #: all stored), ``archive`` (page every section to its oldest page), None (``max_pages``)
    walk: str | None = None
    extra: dict = field(default_factory=dict)

    def sections_for(self, edition: str) -> tuple[int, ...]:
        """The sections paged for an edition.

        >>> CrawlArguments().sections_for("ar"), CrawlArguments(sections=(7,)).sections_for("ar")
        ((3,), (7,))
        """
        return self.sections if self.sections is not None else DEFAULT_SECTIONS[edition]

    @property
    def mode(self) -> str:
        """``"urls"``, ``"ids"`` or ``"discover"`` (feeds and listings)."""
        return "urls" if self.urls else "ids" if self.ids else "discover"


def parse_edition(value: str) -> tuple[str, ...]:
    """
    >>> parse_edition("both")
    ('en', 'ar')
    >>> parse_edition("fr")
    Traceback (most recent call last):
    ...
    zamanscraper.arguments.SpiderArgumentError: argument edition=fr: must be en, ar or both
    """
    try:
        return EDITION_CHOICES[value.strip().lower()]
    except KeyError:
        raise SpiderArgumentError("edition", value, "must be en, ar or both") from None


def parse_ids(value: str) -> tuple[tuple[int, int], ...]:
    """``"28000-28200"`` or ``"5,7,9-12"`` as inclusive ranges.

    >>> parse_ids("5,7,9-12")
    ((5, 5), (7, 7), (9, 12))
    >>> parse_ids("10-5")
    Traceback (most recent call last):
    ...
    zamanscraper.arguments.SpiderArgumentError: argument ids=10-5: range 10-5 ends before it starts
    >>> parse_ids("abc")
    Traceback (most recent call last):
    ...
    zamanscraper.arguments.SpiderArgumentError: argument ids=abc: 'abc' is not an id or a range like 28000-28200
    """
    ranges = []
    for part in value.split(","):
        part = part.strip()
        m = _ID_ITEM.match(part)
        if not m:
            raise SpiderArgumentError(
                "ids", value, f"{part!r} is not an id or a range like 28000-28200"
            )
        first = int(m[1])
        last = int(m[2]) if m[2] else first
        if first < 1:
            raise SpiderArgumentError("ids", value, "ids start at 1")
        if last < first:
            raise SpiderArgumentError("ids", value, f"range {part} ends before it starts")
        ranges.append((first, last))
    if sum(last - first + 1 for first, last in ranges) > MAX_IDS:
        raise SpiderArgumentError("ids", value, f"more than {MAX_IDS} ids in one crawl")
    return tuple(ranges)


def iter_ids(ranges: tuple[tuple[int, int], ...]):
    """Every id of the ranges once, in the order given (an id of two ranges comes once).

    Lazy, and its memory grows with the number of ranges, not with the ids they hold.

    >>> list(iter_ids(((5, 5), (9, 11))))
    [5, 9, 10, 11]
    >>> list(iter_ids(((9, 11), (5, 10), (10, 12))))
    [9, 10, 11, 5, 6, 7, 8, 12]
    """
    covered: list[list[int]] = []  # sorted, disjoint [first, last] already yielded
    for first, last in ranges:
        for start, end in uncovered(first, last, covered):
            yield from range(start, end + 1)
        cover(first, last, covered)


def uncovered(first: int, last: int, covered: list[list[int]]) -> list[tuple[int, int]]:
    """The parts of ``first..last`` outside the sorted disjoint ``covered`` ranges.

    >>> uncovered(1, 10, [[3, 4], [8, 20]])
    [(1, 2), (5, 7)]
    """
    parts, start = [], first
    i = max(0, bisect.bisect_left(covered, [first]) - 1)
    while i < len(covered) and covered[i][0] <= last:
        a, b = covered[i]
        if b >= start:
            if a > start:
                parts.append((start, a - 1))
            start = b + 1
        i += 1
    if start <= last:
        parts.append((start, last))
    return parts


def cover(first: int, last: int, covered: list[list[int]]) -> None:
    """Add ``first..last`` to the sorted disjoint ``covered`` ranges, joining neighbours.

    >>> covered = [[1, 3], [8, 9]]
    >>> cover(4, 8, covered); covered
    [[1, 9]]
    """
    i = bisect.bisect_left(covered, [first])
    if i and covered[i - 1][1] >= first - 1:
        i -= 1
        first = covered[i][0]
    j = i
    while j < len(covered) and covered[j][0] <= last + 1:
        last = max(last, covered[j][1])
        j += 1
    covered[i:j] = [[first, last]]


def parse_urls(value: str) -> tuple[str, ...]:
    """Comma-separated article URLs of the site, canonicalized (vote links included).

    >>> parse_urls("http://en.zamanalwsl.net/news/28116.html, https://en.zamanalwsl.net/news/article/28116/like")
    ('https://en.zamanalwsl.net/news/article/28116',)
    >>> try:
    ...     parse_urls("https://example.org/news/1.html")
    ... except SpiderArgumentError as error:
    ...     print(error)
    argument urls=https://example.org/news/1.html: 'https://example.org/news/1.html' is not a zamanalwsl.net URL
    """
    found: dict[str, None] = {}
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        if not urls.is_site_url(part):
            raise SpiderArgumentError("urls", value, f"{part!r} is not a zamanalwsl.net URL")
        canonical = urls.canonicalize(part)
        if canonical is None:
            raise SpiderArgumentError("urls", value, f"{part!r} is not an article URL")
        found[canonical] = None
    if not found:
        raise SpiderArgumentError("urls", value, "no URL given")
    return tuple(found)


def parse_sections(value: str) -> tuple[int, ...]:
    """
    >>> parse_sections("1, 30")
    (1, 30)
    """
    try:
        sections = tuple(dict.fromkeys(int(p) for p in value.split(",") if p.strip()))
    except ValueError:
        raise SpiderArgumentError("sections", value, "must be section numbers like 1,30") from None
    if not sections or min(sections) < 1:
        raise SpiderArgumentError("sections", value, "must be section numbers like 1,30")
    return sections


def parse_max_pages(value: str) -> int:
    """
    >>> parse_max_pages("2")
    2
    >>> parse_max_pages("0")
    Traceback (most recent call last):
    ...
    zamanscraper.arguments.SpiderArgumentError: argument max_pages=0: must be a whole number of at least 1
    """
    value = str(value)
    if not value.strip().isdigit() or int(value) < 1:
        raise SpiderArgumentError("max_pages", value, "must be a whole number of at least 1")
    return int(value)


def parse_since(value: str) -> date:
    """
    >>> parse_since("2017-07-01")
    datetime.date(2017, 7, 1)
    >>> parse_since("yesterday")
    Traceback (most recent call last):
    ...
    zamanscraper.arguments.SpiderArgumentError: argument since=yesterday: must be a date YYYY-MM-DD
    """
    value = str(value)
    if not _DATE.match(value.strip()):
        raise SpiderArgumentError("since", value, "must be a date YYYY-MM-DD")
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise SpiderArgumentError("since", value, "is not a real calendar date") from None


def parse_mirror(value: str) -> str:
    """
    >>> parse_mirror("http://127.0.0.1:8000/")
    'http://127.0.0.1:8000'
    >>> parse_mirror("localhost:8000")
    Traceback (most recent call last):
    ...
    zamanscraper.arguments.SpiderArgumentError: argument mirror=localhost:8000: must be http(s)://HOST:PORT
    """
    value = str(value).strip()
    if not urls.is_mirror_base(value):
        raise SpiderArgumentError("mirror", value, "must be http(s)://HOST:PORT")
    return value.rstrip("/")


def parse_mode(value: str) -> str:
    """
    >>> parse_mode("Update")
    'update'
    >>> parse_mode("all")
    Traceback (most recent call last):
    ...
    zamanscraper.arguments.SpiderArgumentError: argument mode=all: must be update or archive
    """
    mode = str(value).strip().lower()
    if mode not in MODES:
        raise SpiderArgumentError("mode", value, "must be " + " or ".join(MODES))
    return mode


def check_timezone(value: str | None) -> str | None:
    """The ``ZAMAN_TIMEZONE`` setting: an IANA zone name, or None/empty for none.

    >>> check_timezone("Europe/Istanbul")
    'Europe/Istanbul'
    >>> check_timezone("Mars/Olympus")
    Traceback (most recent call last):
    ...
    zamanscraper.arguments.SpiderArgumentError: setting ZAMAN_TIMEZONE=Mars/Olympus: not an IANA time zone name
    """
    if not value:
        return None
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SpiderArgumentError(
            "ZAMAN_TIMEZONE", value, "not an IANA time zone name", kind="setting"
        ) from None
    return value


def check_number(settings, name: str, *, integer: bool = False) -> float:
    """A ``ZAMAN_*`` number setting that must be at least 0 (0 when not set at all).

    >>> check_number({"ZAMAN_REFRESH_DAYS": "7"}, "ZAMAN_REFRESH_DAYS", integer=True)
    7
    >>> check_number({"ZAMAN_REFRESH_DAYS": "-1"}, "ZAMAN_REFRESH_DAYS", integer=True)
    Traceback (most recent call last):
    ...
    zamanscraper.arguments.SpiderArgumentError: setting ZAMAN_REFRESH_DAYS=-1: must be a whole number of at least 0
    """
    value = settings.get(name)
    if value is None:  # not set: the component's default
        return 0
    kind = "a whole number" if integer else "a number"
    try:
        number = int(value) if integer else float(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise SpiderArgumentError(name, value, f"must be {kind} of at least 0", kind="setting")
    return number


def check_settings(settings) -> None:
    """Every ``ZAMAN_*`` setting the crawl components read; the first bad one raises."""
    check_timezone(settings.get("ZAMAN_TIMEZONE"))
    check_number(settings, "ZAMAN_REFRESH_DAYS", integer=True)
    check_number(settings, "ZAMAN_FSYNC_INTERVAL")


def parse(**kwargs) -> CrawlArguments:
    """All spider arguments at once; raises :class:`SpiderArgumentError` on the first bad one.

    >>> parse(ids="5-6", edition="both").mode
    'ids'
    >>> parse(since="2020-01-01").max_pages is None
    True
    >>> parse(mode="archive").max_pages is None, parse(mode="update", max_pages="5").max_pages
    (True, 5)
    >>> try:
    ...     parse(idz="5")
    ... except SpiderArgumentError as error:
    ...     print(error)
    argument idz=5: unknown argument (known: edition, ids, max_pages, mirror, mode, sections, since, urls)
    """
    for name, value in kwargs.items():
        if name not in KNOWN and not name.startswith("_"):
            known = ", ".join(sorted(KNOWN))
            raise SpiderArgumentError(name, value, f"unknown argument (known: {known})")
    extra = {k: v for k, v in kwargs.items() if k not in KNOWN}
    editions = parse_edition(kwargs.get("edition", "en"))
    url_list = parse_urls(kwargs["urls"]) if kwargs.get("urls") is not None else ()
    ids = parse_ids(kwargs["ids"]) if kwargs.get("ids") is not None else ()
    if url_list and ids:
        raise SpiderArgumentError("ids", kwargs["ids"], "cannot be combined with urls=")
    for name in ("sections", "max_pages"):
        if (url_list or ids) and kwargs.get(name) is not None:
            raise SpiderArgumentError(
                name, kwargs[name], "only applies to feed/listing discovery, not urls= or ids="
            )
    sections = parse_sections(kwargs["sections"]) if kwargs.get("sections") is not None else None
    since = parse_since(kwargs["since"]) if kwargs.get("since") is not None else None
    walk = parse_mode(kwargs["mode"]) if kwargs.get("mode") is not None else None
    if walk and url_list:
        raise SpiderArgumentError("mode", kwargs["mode"], "does not apply to urls=")
    max_pages: int | None
    if kwargs.get("max_pages") is not None:
        max_pages = parse_max_pages(kwargs["max_pages"])
    else:
        max_pages = None if since or walk else DEFAULT_MAX_PAGES
    mirror = parse_mirror(kwargs["mirror"]) if kwargs.get("mirror") is not None else None
    return CrawlArguments(
        editions=editions, urls=url_list, ids=ids, sections=sections, max_pages=max_pages,
        since=since, mirror=mirror, walk=walk, extra=extra,
    )
