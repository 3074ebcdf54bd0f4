"""The article record: one JSONL line per article. These field names are the public contract.

This dataclass is the one definition of the record: the spider yields it (Scrapy handles it
through ``itemadapter``), the feed's column order is its field order (``FEED_EXPORT_FIELDS``),
and ``zamanscraper/schemas/article.schema.json`` (JSON Schema 2020-12, checked by the validate
pipeline) is generated from its type hints and field metadata (``zamanscraper.schema``).

Raw + parsed pairs (``published_raw`` / ``published_at``) keep what the page printed next to
what was made of it; ``published_date`` / ``published_utc`` are derived from ``published_at``
for loading (``zamanscraper.published``). Missing values are ``None`` (JSON ``null``) or an
empty list, never ``""``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from zamanscraper.urls import EDITIONS

#: layers a value can come from, strongest first (see ``zamanscraper/extract/__init__.py``);
#: ``setting``: the offset of ``published_at`` came from ``ZAMAN_TIMEZONE``, not the page
LAYERS = ("selector", "metadata", "text", "fallback", "setting")

#: ISO 8601 forms ``published_at`` takes: a year, a month, a date, or a date and time, each
#: with an offset only when the zone is known
PUBLISHED_AT = (
    r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?)?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?$"
)
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
UTC_INSTANT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"


def meaning(description: str, *, required: bool = False, **schema: Any) -> dict[str, Any]:
    """Field metadata: what the field means, whether a valid record must have a value, and
    JSON Schema keywords added to the ones its type hint gives (``zamanscraper.schema``)."""
    return {"description": description, "required": required, "schema": schema}


@dataclass
class Article:
    """One article of Zaman al-Wasl (English or Arabic edition) as one JSONL record."""

    url: str = field(metadata=meaning(
        "Canonical URL https://{host}/news/article/{id}, whatever URL form was fetched.",
        required=True, pattern=r"^https://(en|www)\.zamanalwsl\.net/news/article/[0-9]+$",
    ))
    article_id: int = field(metadata=meaning(
        "The site's numeric article id (one sequence per edition).", required=True, minimum=0,
    ))
    edition: str = field(metadata=meaning(
        "Site edition, from the host: en (en.zamanalwsl.net) or ar (www.zamanalwsl.net).",
        required=True, enum=list(EDITIONS),
    ))
    headline: str | None = field(default=None, metadata=meaning(
        "The headline, once (not doubled).", required=True,
    ))
    published_raw: str | None = field(default=None, metadata=meaning(
        "The publication date exactly as printed on the page, e.g. '2017-07-17 02:41:43' or "
        "'17 تموز 2017'.",
    ))
    published_at: str | None = field(default=None, metadata=meaning(
        "The printed date as ISO 8601: a year, a month, a date, or a date and time as precise as "
        "printed; with an offset only when the page prints the zone or ZAMAN_TIMEZONE is set.",
        pattern=PUBLISHED_AT,
    ))
    published_date: str | None = field(default=None, metadata=meaning(
        "The calendar date of published_at as printed (YYYY-MM-DD, no zone shift); null when "
        "only the month or year is known.",
        format="date", pattern=DATE,
    ))
    published_utc: str | None = field(default=None, metadata=meaning(
        "The publication instant in UTC (YYYY-MM-DDTHH:MM:SSZ); only when published_at has a "
        "time and an offset, else null.",
        format="date-time", pattern=UTC_INSTANT,
    ))
    category: str | None = field(default=None, metadata=meaning(
        "Section name from the '{category} | {date}' line; null when that line has none.",
    ))
    source_tag: str | None = field(default=None, metadata=meaning(
        "Outlet named in the lead (e.g. 'Zaman Al Wasl', 'AFP') or, failing that, by an outlet "
        "sign-off.",
    ))
    byline: str | None = field(default=None, metadata=meaning(
        "Writer named before the source tag ('Writing by …') or in a 'By …' line.",
    ))
    body_paragraphs: list[str] = field(default_factory=list, metadata=meaning(
        "The article text, one entry per paragraph, in order; the first without the source-tag "
        "prefix; no ticker, chrome, captions, related links, sign-off, keywords or comments.",
        required=True,
    ))
    signoff: str | None = field(default=None, metadata=meaning(
        "Closing line such as 'Zaman A Wasl', 'Editing by Jamal Ibrahim', 'زمان الوصل - خاص'.",
    ))
    keywords: list[str] = field(default_factory=list, metadata=meaning(
        "The 'Keywords:' links, in order.",
    ))
    ticker_headlines: list[str] = field(default_factory=list, metadata=meaning(
        "The 'Latest News' ticker headlines printed on the page, in order.",
    ))
    comments_count: int | None = field(default=None, metadata=meaning(
        "N from 'Comments (N)' / 'Total Comments (N)' / 'تعليقات (N)'.", minimum=0,
    ))
    image_urls: list[str] = field(default_factory=list, metadata=meaning(
        "Absolute URLs of the article's images; malformed ones repaired or dropped.",
    ))
    language: str | None = field(default=None, metadata=meaning(
        "Language of the text, from the script of the body: en or ar.",
        enum=[*EDITIONS, None],
    ))
    fetched_at: str | None = field(default=None, metadata=meaning(
        "When the page was fetched: ISO 8601 UTC to the second, with Z.",
        format="date-time", pattern=UTC_INSTANT,
    ))
    extractor_version: str | None = field(default=None, metadata=meaning(
        "Which extraction code made the record: package version + hash of the extraction code, "
        "e.g. '0.1.0+3f2a9c1b0d' (zamanscraper.version); set by the spider, not the extractor.",
    ))
    provenance: dict[str, str] = field(default_factory=dict, metadata=meaning(
        "Field name -> the extraction layer that produced its value (selector, metadata, text, "
        "fallback), for every extracted field with a value.",
        additionalProperties={"enum": list(LAYERS)},
    ))


FIELD_NAMES = tuple(f.name for f in fields(Article))
#: the fields an ``Article`` cannot be made without
IDENTITY = {"url", "article_id", "edition"}


def to_item(record: dict) -> Article | dict:
    """The record as an :class:`Article`; a record with a field ``Article`` lacks stays a dict,
    so that the validate pipeline rejects it naming the field (nothing is lost).

    >>> to_item({"url": "u", "article_id": 5, "edition": "en"}).article_id
    5
    >>> to_item({"url": "u", "article_id": 5, "edition": "en", "colour": "red"})["colour"]
    'red'
    """
    if IDENTITY <= set(record) <= set(FIELD_NAMES):
        return Article(**record)
    return record
