"""The article record: one JSONL line per article. These field names are the public contract.

Raw + parsed pairs (``published_raw`` / ``published_at``) keep what the page printed next to
what was made of it. Missing values are ``None`` (JSON ``null``) or an empty list, never ``""``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

#: layers a value can come from, strongest first (see ``zamanscraper/extract/__init__.py``)
LAYERS = ("selector", "metadata", "text", "fallback")


@dataclass
class Article:
    #: canonical URL, ``https://{host}/news/article/{id}`` whatever form was fetched
    url: str
    #: the site's numeric id (one sequence per edition)
    article_id: int
    #: ``"en"`` or ``"ar"``, from the host
    edition: str
    #: the headline, once
    headline: str | None = None
    #: the date exactly as printed on the page, e.g. ``"2017-07-17 02:41:43"``
    published_raw: str | None = None
    #: ISO 8601; with an offset only when the page or ``ZAMAN_TIMEZONE`` gives the zone
    published_at: str | None = None
    #: section name from the ``{category} | {date}`` line; None when empty
    category: str | None = None
    #: outlet named in the lead, e.g. ``"Zaman Al Wasl"``, ``"AFP"``
    source_tag: str | None = None
    #: writer named before the source tag or in a ``By …`` line
    byline: str | None = None
    #: article text, one entry per paragraph, in order, the source-tag prefix removed
    body_paragraphs: list[str] = field(default_factory=list)
    #: closing line such as ``"Zaman A Wasl"`` or ``"Editing by Jamal Ibrahim"``
    signoff: str | None = None
    #: the ``Keywords:`` links, in order
    keywords: list[str] = field(default_factory=list)
    #: the ``Latest News`` ticker headlines, in order
    ticker_headlines: list[str] = field(default_factory=list)
    #: N from ``Comments (N)`` / ``Total Comments (N)``
    comments_count: int | None = None
    #: absolute image URLs of the article (malformed ones repaired or dropped)
    image_urls: list[str] = field(default_factory=list)
    #: language of the text, ``"en"`` or ``"ar"``
    language: str | None = None
    #: when the page was fetched, ISO 8601 UTC
    fetched_at: str | None = None
    #: which extraction code made the record: package version + hash of the extraction code,
    #: e.g. ``"0.1.0+3f2a9c1b0d"`` (``zamanscraper.version``); set by the spider, not the extractor
    extractor_version: str | None = None
    #: field name -> layer that produced it (one of ``LAYERS``), for every field with a value
    provenance: dict[str, str] = field(default_factory=dict)


FIELD_NAMES = tuple(f.name for f in fields(Article))
