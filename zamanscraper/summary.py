"""``python -m zamanscraper stats articles.jsonl``: what a dataset holds, at a glance (stdlib).

Counts by month (of ``published_at``), edition, category and source tag; field coverage (the
share of records where a field has a value: not null, not ``[]``); and, per field, the mix of
extraction layers that produced it (``provenance``), where a rising share of ``fallback`` or
``metadata`` says the site's template changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from zamanscraper.items import FIELD_NAMES, LAYERS

#: label of records without a value, in the count tables
NONE = "(none)"
#: how many rows a count table prints (the rest are summed in one line)
TOP = 20


def month_of(published_at: Any) -> str:
    """``YYYY-MM`` of a ``published_at``; ``YYYY-??`` when only the year is known.

    >>> month_of("2017-07-17T02:41:43+03:00"), month_of("2017-03"), month_of("2017"), month_of(None)
    ('2017-07', '2017-03', '2017-??', '(none)')
    """
    if not isinstance(published_at, str) or len(published_at) < 4:
        return NONE
    if len(published_at) >= 7 and published_at[4] == "-":
        return published_at[:7]
    return published_at[:4] + "-??"


def has_value(value: Any) -> bool:
    """A field "has a value" unless it is null or empty.

    >>> has_value(0), has_value([]), has_value(None), has_value({"a": "text"})
    (True, False, False, True)
    """
    return value is not None and value != [] and value != {} and value != ""


def summarize(records: Iterable[dict]) -> dict[str, Any]:
    """Counts, coverage and provenance mix of ``records`` (JSON-ready).

    >>> s = summarize([{"edition": "en", "published_at": "2017-07-17", "keywords": ["a"],
    ...                 "provenance": {"keywords": "text"}}, {"edition": "ar", "keywords": []}])
    >>> s["records"], s["by_edition"], s["by_month"], s["coverage"]["keywords"]
    (2, {'ar': 1, 'en': 1}, {'(none)': 1, '2017-07': 1}, 0.5)
    >>> s["provenance"]["keywords"]
    {'text': 1}
    """
    total = 0
    counts: dict[str, Counter] = {key: Counter() for key in ("month", "edition", "category", "source_tag")}
    filled: Counter = Counter()
    layers: dict[str, Counter] = {}
    for record in records:
        total += 1
        counts["month"][month_of(record.get("published_at"))] += 1
        for key in ("edition", "category", "source_tag"):
            value = record.get(key)
            counts[key][value if has_value(value) else NONE] += 1
        for name in FIELD_NAMES:
            if has_value(record.get(name)):
                filled[name] += 1
        provenance = record.get("provenance")
        if isinstance(provenance, dict):
            for name, layer in provenance.items():
                layers.setdefault(name, Counter())[layer] += 1
    order = {layer: i for i, layer in enumerate(LAYERS)}
    return {
        "records": total,
        "by_month": dict(sorted(counts["month"].items())),
        "by_edition": dict(sorted(counts["edition"].items())),
        "by_category": dict(counts["category"].most_common()),
        "by_source_tag": dict(counts["source_tag"].most_common()),
        "coverage": {name: round(filled[name] / total, 4) if total else 0.0 for name in FIELD_NAMES},
        "provenance": {
            name: dict(sorted(mix.items(), key=lambda kv: order.get(kv[0], len(order))))
            for name, mix in sorted(layers.items(), key=lambda kv: _field_rank(kv[0]))
        },
    }


def _field_rank(name: str) -> int:
    return FIELD_NAMES.index(name) if name in FIELD_NAMES else len(FIELD_NAMES)


def _table(title: str, counts: dict[str, int], total: int, top: int = TOP) -> list[str]:
    lines = [f"{title}:"]
    items = list(counts.items())
    width = max([len(str(k)) for k, _ in items[:top]] + [8])
    for key, n in items[:top]:
        lines.append(f"  {str(key):<{width}}  {n:>6}  {n / total:6.1%}")
    rest = items[top:]
    if rest:
        n = sum(v for _, v in rest)
        lines.append(f"  {f'({len(rest)} more)':<{width}}  {n:>6}  {n / total:6.1%}")
    return lines


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as the plain-text report ``stats`` prints."""
    total = summary["records"]
    lines = [f"records: {total}"]
    if not total:
        return lines[0]
    for title, key in (("by edition", "by_edition"), ("by month (published_at)", "by_month"),
                       ("by category", "by_category"), ("by source tag", "by_source_tag")):
        lines += [""] + _table(title, summary[key], total, top=len(summary[key]) if key == "by_month" else TOP)
    lines += ["", "field coverage (has a value: not null, not []):"]
    width = max(len(name) for name in summary["coverage"])
    for name, share in summary["coverage"].items():
        lines.append(f"  {name:<{width}}  {share:7.1%}")
    lines += ["", "provenance mix (layer that produced the value, share of records with the field):"]
    for name, mix in summary["provenance"].items():
        n = sum(mix.values())
        mix_text = "  ".join(f"{layer} {count / n:.0%}" for layer, count in mix.items())
        lines.append(f"  {name:<{width}}  {mix_text}")
    return "\n".join(lines)
