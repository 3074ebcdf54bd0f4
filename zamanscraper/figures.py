"""Figures of a crawl read from its stats, shared by the monitors, the tally and the report."""

from __future__ import annotations

from collections import Counter

#: Spidermon's per-field counters: ``spidermon_item_scraped_count/{item type}[/{field}]``
SCRAPED_PREFIX = "spidermon_item_scraped_count/"


def provenance_key(field: str, layer: str) -> str:
    """The stats key counting records whose ``field`` came from ``layer``.

    >>> provenance_key("body_paragraphs", "fallback")
    'zaman/provenance/body_paragraphs/fallback'
    """
    return f"zaman/provenance/{field}/{layer}"


def percent(share: float) -> str:
    """A share as a percentage, to one decimal only when it is not a whole number.

    >>> percent(0.12), percent(1.0), percent(0.997), percent(0.0)
    ('12%', '100%', '99.7%', '0%')
    """
    value = share * 100
    if abs(value - round(value)) < 0.05:
        return f"{round(value)}%"
    return f"{value:.1f}%"


def field_coverage(stats: dict) -> dict[str, float]:
    """Field -> share of scraped records that have a value, from Spidermon's counters
    (whatever the item type: dict or ``Article``).

    >>> field_coverage({"spidermon_item_scraped_count": 4, "spidermon_item_scraped_count/dict": 4,
    ...                 "spidermon_item_scraped_count/dict/headline": 4,
    ...                 "spidermon_item_scraped_count/dict/keywords": 1})
    {'headline': 1.0, 'keywords': 0.25}
    >>> field_coverage({})
    {}
    """
    total, counts = 0, Counter[str]()
    for key, value in stats.items():
        if not key.startswith(SCRAPED_PREFIX):
            continue
        parts = key[len(SCRAPED_PREFIX):].split("/")
        if len(parts) == 1:
            total += value
        elif len(parts) == 2:
            counts[parts[1]] += value
    return {field: n / total for field, n in counts.items()} if total else {}


def share_problem(what: str, count: int, total: int, of: str, ceiling: float) -> str | None:
    """The line for ``count`` of ``total`` passing ``ceiling`` percent, or None.

    >>> share_problem("rejects", 5, 20, "article pages", 20)
    'rejects are 25% of article pages (5 of 20; ceiling 20%)'
    >>> share_problem("rejects", 4, 20, "article pages", 20) is None
    True
    >>> share_problem("failed requests", 3, 0, "articles requested", 20)
    'failed requests are 3 with no articles requested (ceiling 20%)'
    """
    ceiling_text = percent(ceiling / 100)
    if total <= 0:
        return f"{what} are {count} with no {of} (ceiling {ceiling_text})" if count else None
    share = count / total
    if share * 100 <= ceiling + 1e-9:
        return None
    return f"{what} are {percent(share)} of {of} ({count} of {total}; ceiling {ceiling_text})"
