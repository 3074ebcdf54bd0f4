"""Article extraction: a pure function of page bytes and URL (no Scrapy, no network).

For each field, layers are tried in a fixed order and the first that yields a value wins; its
name goes into ``provenance[field]``:

1. ``selector``: structural selectors (``selectors.py``: microdata, ``<article>``)
2. ``metadata``: JSON-LD, OpenGraph, ``<meta>``, ``<time datetime>`` (``metadata.py``)
3. ``text``: anchors in the visible text in reading order (``anchors.py``)
4. ``fallback``: a generic main-text finder for the body (``fallback.py``)

Field by field (where the order differs from the above, the field's meaning decides):

=================  ===========================================================================
headline           selector, metadata (only if that text is visible on the page), text
published_raw      text date line, then ``<time>`` text (selector), then metadata as written
published_at       parsed from published_raw; a zone from metadata when it states the same time
category           text (the date line) only
body_paragraphs    selector container, text region, fallback
source_tag/byline  the lead and closing lines of the body (same layer as the body)
signoff            closing line of the body (same layer as the body)
keywords           selector, metadata, text
ticker_headlines   text
comments_count     selector, metadata, text
image_urls         images in the body region (body's layer), then metadata
language           script of the body (text), then ``<html lang>`` (metadata), then the edition
=================  ===========================================================================

``url``, ``article_id`` and ``edition`` come from the URL, not the page, and carry no
provenance entry.
"""

from __future__ import annotations

import logging

from . import anchors, document, fallback, metadata
from . import body as body_mod
from . import selectors as S
from .dates import parse_date
from .document import text_of
from .errors import ExtractError
from .pagekind import check as check_page_kind
from .. import urls
from ..processors import SCRIPT_SAMPLE, ascii_digits, clean_text, script_of

__all__ = ["ExtractError", "extract_article"]

logger = logging.getLogger(__name__)


def extract_article(html: bytes | str, url: str, *, timezone: str | None = None) -> dict:
    """The extracted part of one article's record: every ``Article`` field the page decides
    (``fetched_at``, ``extractor_version``, ``published_date`` and ``published_utc`` are added
    by ``zamanscraper.spiders.zaman.make_item``).

    ``url`` is any URL form of the article; the record carries the canonical one.
    ``timezone`` is an IANA zone name (the ``ZAMAN_TIMEZONE`` setting) applied to printed
    dates that carry no zone of their own. Raises :class:`ExtractError` (one line) for a page
    that is not an HTML page at all or a URL that is not an article URL.
    """
    key = urls.article_key(url)
    if key is None:
        raise ExtractError(f"not a Zaman al-Wasl article URL: {url!r}")
    edition, article_id = key
    doc = document.parse(html, fallback_encoding="windows-1256" if edition == "ar" else "windows-1252")
    canonical = urls.canonical_url(edition, article_id)
    record: dict = {
        "url": canonical,
        "article_id": article_id,
        "edition": edition,
    }
    provenance: dict[str, str] = {}
    record.update(_fields(doc, url=canonical, timezone=timezone, provenance=provenance))
    if not (provenance.get("body_paragraphs") == "text" and provenance.get("published_raw") == "text"):
        # challenge, login, error and listing pages served with 200 are not articles
        # (pagekind.NotAnArticle); a page whose body and date the site's own corroborated
        # anchors placed (date line beside the doubled headline) is one, and skips the check
        check_page_kind(doc.source, " ".join(line.text for line in doc.lines if line.text))
    if not record["language"]:
        record["language"] = edition
    record["provenance"] = provenance
    return record


def _fields(doc, *, url: str, timezone: str | None, provenance: dict) -> dict:
    sel = _selector_layer(doc)
    cache: list = []

    def generic() -> list:
        """The generic layer's lines, computed once and only if asked for."""
        if not cache:
            cache.append(fallback.main_lines(doc))
        return cache[0]

    meta = metadata.extract(doc)

    def pick(name, *candidates):
        for layer, value in candidates:
            if value not in (None, "", []):
                provenance[name] = layer
                return value
        return [] if name in LIST_FIELDS else None

    found = anchors.find(doc, headline_hints=[sel.get("headline"), meta.get("headline")],
                         page_titles=lambda: _page_titles(doc), h1s=lambda: _h1s(doc),
                         prose_lines=generic)
    # a stronger layer's headline must agree with one the page prints twice, and metadata's
    # must at least be visible: site names, decoy <h1>s and rewritten og:titles are noted, not used
    sel_headline, meta_headline = sel.get("headline"), meta.get("headline")
    if found.headline_strong:
        sel_headline = sel_headline if sel_headline == found.headline else None
        meta_headline = meta_headline if meta_headline == found.headline else None
    elif meta_headline and not any(line.text == meta_headline for line in doc.lines):
        meta_headline = None
    for layer, value in (("selector", sel.get("headline")), ("metadata", meta.get("headline"))):
        if value and value != found.headline and found.headline:
            logger.debug("%s headline %r disagrees with the page's %r", layer, value, found.headline)
    headline = pick("headline", ("selector", sel_headline), ("metadata", meta_headline),
                    ("text", found.headline), ("metadata", meta.get("headline")))

    body, body_layer = _body(doc, sel, found, headline, generic)
    published_raw = pick("published_raw", ("text", found.published_raw), ("selector", sel.get("time_text")),
                         ("metadata", meta.get("published")))
    published_at, at_layer = _published_at(published_raw, meta.get("published"), timezone)
    if published_at:
        provenance["published_at"] = at_layer or provenance["published_raw"]

    image_urls = list(dict.fromkeys(u for src in body.images if (u := urls.repair_image_url(src, url))))
    meta_images = [] if image_urls else list(dict.fromkeys(
        u for src in meta.get("image_urls", []) if (u := urls.repair_image_url(src, url))))
    return {
        "headline": headline,
        "published_raw": published_raw,
        "published_at": published_at,
        "category": pick("category", ("text", found.category)),
        "source_tag": pick("source_tag", (body_layer, body.source_tag)),
        "byline": pick("byline", (body_layer, body.byline)),
        "body_paragraphs": pick("body_paragraphs", (body_layer, body.paragraphs)),
        "signoff": pick("signoff", (body_layer, body.signoff)),
        "keywords": pick("keywords", ("selector", sel.get("keywords")), ("metadata", meta.get("keywords")),
                         ("text", found.keywords)),
        "ticker_headlines": pick("ticker_headlines", ("text", found.ticker)),
        "comments_count": pick("comments_count", ("selector", sel.get("comments_count")),
                               ("metadata", meta.get("comments_count")), ("text", found.comments_count)),
        "image_urls": pick("image_urls", (body_layer, image_urls), ("metadata", meta_images)),
        "language": pick("language", ("text", _script_of_body(body.paragraphs)),
                         ("metadata", meta.get("language") if meta.get("language") in ("en", "ar") else None)),
    }


LIST_FIELDS = {"body_paragraphs", "keywords", "ticker_headlines", "image_urls"}


def _script_of_body(paragraphs: list[str]) -> str | None:
    """``script_of`` the body text (it reads the first SCRIPT_SAMPLE characters: only as many
    paragraphs are joined)."""
    taken, size = [], 0
    for p in paragraphs:
        taken.append(p)
        size += len(p) + 1
        if size > SCRIPT_SAMPLE:  # the join so far is at least SCRIPT_SAMPLE long
            break
    return script_of(" ".join(taken)) if taken else None


def _selector_layer(doc) -> dict:
    """Structural selectors; the microdata ones run only on a page with ``itemprop`` elements."""
    out: dict = {}
    microdata = bool(doc.elements(document.ITEMPROP))
    for select in S.HEADLINE_SELECTORS if microdata or doc.elements("article") else ():
        for el in select(doc):
            text = clean_text(text_of(el))
            if text and len(text) <= anchors.MAX_HEADLINE:
                out["headline"] = text
                break
        if "headline" in out:
            break
    for select in S.KEYWORD_SELECTORS:
        words = [w for el in select(doc) if (w := clean_text(text_of(el)))]
        if words:
            out["keywords"] = words
            break
    for select in S.COMMENT_COUNT_SELECTORS if microdata else ():
        values = select(doc)
        if values:
            value = values[0] if isinstance(values[0], str) else text_of(values[0])
            digits = ascii_digits(value).strip()
            if digits.isdigit():
                out["comments_count"] = int(digits)
                break
    for select in S.BODY_CONTAINER_SELECTORS if microdata else ():
        found = select(doc)
        if found:
            out["body_container"] = found[0]
            break
    times = S.times(doc)
    if times:
        out["time_text"] = clean_text(text_of(times[0]))
    return out


def _body(doc, sel, found, headline, generic):
    """The body and the layer that delimited it: the page's articleBody container, the region
    placed by corroborated site anchors, else the generic layer."""
    container = sel.get("body_container")
    if container is not None:
        lines = doc.lines_in(container)
        dates = [i for i, line in enumerate(lines) if anchors.date_line(line)]
        start = dates[0] + 1 if dates else 0
        region = [line for line in lines[start:anchors.body_end(lines, start, headline)] if fallback.kept(line)]
        region = _with_generic(doc, region, generic())
        built = body_mod.build(region, headline=headline, generic=True)
        if built.paragraphs:
            return built, "selector"
    if found.body_start is not None and found.site_region:
        built = body_mod.build(doc.lines[found.body_start:found.body_end], headline=headline)
        if built.paragraphs or found.date_index is not None:
            return built, "text"
    return body_mod.build(generic(), headline=headline, generic=True), "fallback"


def _with_generic(doc, region: list, generic: list) -> list:
    """A page's ``articleBody`` container can hold only part of the story (the rest in a
    sibling block): when the generic layer's text overlaps the container's, read both."""
    mine = {id(line) for line in region if line.text}
    theirs = {id(line) for line in generic if line.text}
    if not mine or len(mine & theirs) * 2 < len(mine) or theirs <= mine:
        return region
    keep = mine | theirs | {id(line) for line in region if line.img is not None}
    return [line for line in doc.lines if id(line) in keep]


def _page_titles(doc) -> list[str]:
    """``<title>`` (whole, and its parts around a site-name separator); the ``<h1>``s are
    added by the caller where a weaker witness will do."""
    out = []
    for el in S.titles(doc)[:1]:
        title = clean_text(text_of(el))
        if title:
            out.append(title)
            parts = [p for part in S.TITLE_SEPARATOR.split(title) if (p := clean_text(part))]
            if len(parts) > 1:
                out.append(max(parts, key=len))  # the headline, not the site name
    return out


def _h1s(doc) -> list[str]:
    return [t for el in S.h1s(doc) if (t := clean_text(text_of(el)))]


def _published_at(raw: str | None, machine: str | None, timezone: str | None) -> tuple[str | None, str | None]:
    """``published_at`` and the layer it comes from (None: the layer of ``published_raw``).

    - the printed date, parsed without inventing anything (a month stays a month, a relative
      phrase is no date);
    - a machine-readable date (JSON-LD ``datePublished``, ``<time datetime>``, meta) wins when
      it states the same or a fuller time (same date, plus a time or an offset), or when the
      printed text is no date at all ("3 hours ago"): layer ``metadata``;
    - a printed time without a zone gets ``ZAMAN_TIMEZONE``'s offset: layer ``setting``.

    >>> _published_at("2017-07-17 02:41:43", "2017-07-17T02:41:43+03:00", None)
    ('2017-07-17T02:41:43+03:00', 'metadata')
    >>> _published_at("3 hours ago", "2017-07-17T02:41:43+03:00", None)
    ('2017-07-17T02:41:43+03:00', 'metadata')
    >>> _published_at("3 hours ago", None, "Europe/Istanbul")
    (None, None)
    >>> _published_at("2017-07-17 02:41:43", "2019-01-01", "Europe/Istanbul")
    ('2017-07-17T02:41:43+03:00', 'setting')
    >>> _published_at("March 2017", None, "Europe/Istanbul")
    ('2017-03', None)
    """
    printed = parse_date(raw) if raw else None
    stated = parse_date(machine) if machine and machine != raw else None
    if stated and (printed is None or (len(stated) > len(printed) and stated.startswith(printed[:10])
                                       and stated[:len(printed)] == printed)):
        return stated, "metadata"
    if printed is None:
        return None, None
    if timezone and "T" in printed and len(printed) == 19:
        return parse_date(raw, timezone=timezone), "setting"
    return printed, None
