"""Second pipeline: reject records that miss required fields or break the types of ``items.py``."""

from __future__ import annotations

import types
import typing

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from zamanscraper.items import LAYERS, Article
from zamanscraper.urls import EDITIONS, canonical_url

#: field name -> the type ``items.Article`` declares for it
FIELD_TYPES = typing.get_type_hints(Article)


class InvalidItem(DropItem):
    """A record that breaks the contract; ``reasons`` lists every problem found.

    The rejects extension writes it to the rejects file with stage ``validate``.
    """

    stage = "validate"

    def __init__(self, reasons: list[str]):
        super().__init__("invalid record: " + "; ".join(reasons))
        self.reasons = list(reasons)


def conforms(value, hint) -> bool:
    """Whether ``value`` matches a type hint of ``items.py`` (str, int, None, unions, list, dict).

    >>> conforms(["a", "b"], list[str]), conforms(["a", 1], list[str]), conforms(None, int | None)
    (True, False, True)
    >>> conforms(True, int)  # a bool is not an id or a count
    False
    """
    if hint is None or hint is type(None):
        return value is None
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return any(conforms(value, h) for h in typing.get_args(hint))
    origin = typing.get_origin(hint)
    if origin is list:
        (inner,) = typing.get_args(hint)
        return isinstance(value, list) and all(conforms(v, inner) for v in value)
    if origin is dict:
        key_t, value_t = typing.get_args(hint)
        return isinstance(value, dict) and all(
            conforms(k, key_t) and conforms(v, value_t) for k, v in value.items()
        )
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def problems(record: dict) -> list[str]:
    """Every reason ``record`` is not a valid article record (empty list: valid).

    >>> problems({"url": "https://en.zamanalwsl.net/news/article/5", "article_id": 5,
    ...           "edition": "en", "headline": "H", "body_paragraphs": ["p"]})
    []
    >>> problems({"url": "http://x/5", "article_id": "5", "edition": "en", "headline": None,
    ...           "body_paragraphs": [], "colour": "red"})  # doctest: +NORMALIZE_WHITESPACE
    ['missing headline', 'empty body_paragraphs', 'article_id: expected int, got str',
     'unknown field colour']
    >>> problems({"url": "http://en.zamanalwsl.net/news/5.html", "article_id": 5,
    ...           "edition": "en", "headline": "H", "body_paragraphs": ["p"]})
    ['url: not the canonical URL of en article 5']
    """
    reasons = []
    for name in ("url", "article_id", "edition", "headline"):
        if record.get(name) in (None, ""):
            reasons.append(f"missing {name}")
    if not record.get("body_paragraphs"):
        reasons.append("empty body_paragraphs")
    for name, value in record.items():
        hint = FIELD_TYPES.get(name)
        if hint is None:
            reasons.append(f"unknown field {name}")
        elif value is not None and not conforms(value, hint):
            reasons.append(f"{name}: expected {_hint_name(hint)}, got {type(value).__name__}")
    edition, article_id, url = record.get("edition"), record.get("article_id"), record.get("url")
    if edition is not None and edition not in EDITIONS:
        reasons.append(f"edition: {edition!r} is not one of {', '.join(EDITIONS)}")
    elif edition and isinstance(url, str) and conforms(article_id, int):
        if url != canonical_url(edition, article_id):
            reasons.append(f"url: not the canonical URL of {edition} article {article_id}")
    provenance = record.get("provenance")
    if isinstance(provenance, dict):
        bad = sorted(f"{k}={v}" for k, v in provenance.items() if v not in LAYERS)
        if bad:
            reasons.append(f"provenance: unknown layer in {', '.join(bad)}")
    return reasons


def _hint_name(hint) -> str:
    return getattr(hint, "__name__", None) if not typing.get_args(hint) else str(hint)


class ValidatePipeline:
    """Required: url (canonical), article_id, edition, headline, non-empty body_paragraphs;
    every field of the type ``items.Article`` gives it. Invalid records are dropped with
    :class:`InvalidItem` (all reasons joined) and counted in ``zaman/items/rejected``."""

    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        reasons = problems(ItemAdapter(item).asdict())
        if reasons:
            if self.stats is not None:
                self.stats.inc_value("zaman/items/rejected")
            raise InvalidItem(reasons)
        return item
