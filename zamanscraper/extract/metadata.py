"""The metadata layer: JSON-LD, OpenGraph and ``<meta>`` tags, ``<time datetime>``.

Returns only what the page's metadata states; values are cleaned but never completed.
"""

from __future__ import annotations

import json
import logging

from . import selectors as S
from ..processors import clean_text

logger = logging.getLogger(__name__)

#: JSON-LD blocks larger than this are skipped (hostile pages)
MAX_JSON_LD = 512 * 1024


def extract(doc) -> dict:
    """``{field: value}`` from the page's metadata: headline, published, keywords, images,
    comments_count, language."""
    root = doc.root
    out: dict = {}
    ld = _json_ld_article(doc)
    meta = _meta_tags(doc)
    headline = clean_text(_text(ld.get("headline"))) or _first(meta, S.META_HEADLINE)
    if headline:
        out["headline"] = clean_text(S.TITLE_SUFFIX.sub("", headline))
    published = _text(ld.get("datePublished")) or _first(meta, S.META_PUBLISHED)
    if not published:
        times = S.times(doc)
        published = times[0].get("datetime") if times else None
    if clean_text(published):
        out["published"] = clean_text(published)
    keywords = _keywords(ld.get("keywords")) or _keywords(_first(meta, S.META_KEYWORDS))
    if keywords:
        out["keywords"] = keywords
    images = _images(ld.get("image")) or [v for k in S.META_IMAGE if (v := meta.get(k))][:1]
    if images:
        out["image_urls"] = images
    count = ld.get("commentCount")
    if isinstance(count, int) or (isinstance(count, str) and count.strip().isdigit()):
        out["comments_count"] = int(count)
    lang = clean_text(root.get("lang") or meta.get("og:locale") or _text(ld.get("inLanguage")))
    if lang:
        out["language"] = lang.split("-")[0].split("_")[0].lower()
    return out


def _json_ld_article(doc) -> dict:
    """The first JSON-LD object of an article type (``@graph`` and lists searched)."""
    for raw in S.json_ld_texts(doc):
        if len(raw) > MAX_JSON_LD:
            logger.debug("JSON-LD block of %d chars skipped", len(raw))
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            logger.debug("unreadable JSON-LD block skipped")
            continue
        stack = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                types = node.get("@type")
                types = types if isinstance(types, list) else [types]
                if any(t in S.ARTICLE_TYPES for t in types if isinstance(t, str)) and node.get("headline"):
                    return node
                if "@graph" in node:
                    stack.extend(node["@graph"] if isinstance(node["@graph"], list) else [node["@graph"]])
    return {}


def _meta_tags(doc) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in doc.elements("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and key not in out:
            out[key] = content
    return out


def _first(meta: dict, keys) -> str | None:
    """The first of ``keys`` (lower case, as ``_meta_tags`` keeps them) with a value."""
    for key in keys:
        value = meta.get(key)
        if value and (value := clean_text(value)):
            return value
    return None


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url")
    return value if isinstance(value, str) else None


def _keywords(value) -> list[str]:
    """JSON-LD/meta keywords: a list, or one string separated by commas.

    >>> _keywords("Syria, Qalamoun,"), _keywords(["Eastern Ghouta", " "])
    (['Syria', 'Qalamoun'], ['Eastern Ghouta'])
    """
    if isinstance(value, str):
        value = S.KEYWORD_SPLIT.split(value)
    if not isinstance(value, list):
        return []
    return [k for v in value if isinstance(v, str) and (k := clean_text(v))]


def _images(value) -> list[str]:
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        return []
    return [u for v in value if (u := _text(v))]
