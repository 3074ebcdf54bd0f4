"""The crawl report: one self-contained HTML page (inline CSS and SVG, no script, no external
file) made from the crawl's stats and what ``zamanscraper.tally`` counted.

Sections: verdict (the ``zamanscraper.outcome`` failures, monitors included), counts, field
coverage (table and chart, with the ``ZAMAN_MIN_COVERAGE`` thresholds), provenance mix per
field (table and chart), articles per month (chart), top reject reasons with example URLs.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from html import escape

from zamanscraper import charts
from zamanscraper.figures import field_coverage, percent, provenance_key
from zamanscraper.items import FIELD_NAMES, LAYERS

#: fields that come from the URL or the crawl, not the page: always there, not worth a row
NOT_EXTRACTED = ("url", "article_id", "edition", "fetched_at", "extractor_version", "provenance")
#: a colour per provenance layer (``items.LAYERS``, strongest first); layers added later get grey
PALETTE = ("#4e79a7", "#59a14f", "#f28e2b", "#e15759", "#76b7b2", "#b07aa1", "#9c755f")
LAYER_COLORS = {layer: PALETTE[i] if i < len(PALETTE) else "#999999" for i, layer in enumerate(LAYERS)}
MONTH = re.compile(r"\d{4}-\d{2}")
#: reject reasons listed
TOP_REASONS = 15

STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 60em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { padding: 0.2em 0.7em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { padding: 0.6em 1em; border-radius: 4px; font-weight: bold; }
.ok { background: #e3f4e1; color: #1d5e1a; } .failed { background: #fbe3e3; color: #8a1111; }
.unknown { background: #fdf3d7; color: #6b4e00; }
.low { color: #b00000; font-weight: bold; } .muted { color: #777; } ul.urls { margin: 0; padding-left: 1.2em; }
"""


def months_series(months: Counter) -> list[tuple[str, int]]:
    """``YYYY-MM`` -> count as a gapless series from the first month to the last (records
    without a known month left out).

    >>> months_series(Counter({"2017-11": 2, "2018-01": 1, "(none)": 4, "2016-??": 1}))
    [('2017-11', 2), ('2017-12', 0), ('2018-01', 1)]
    >>> months_series(Counter())
    []
    """
    dated = sorted(m for m in months if MONTH.fullmatch(m))
    if not dated:
        return []
    year, month = map(int, dated[0].split("-"))
    series = []
    while True:
        key = f"{year:04d}-{month:02d}"
        series.append((key, months.get(key, 0)))
        if key >= dated[-1]:
            return series
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _table(head: list[str], rows: list[list[str]], numeric: frozenset[int] | set[int] = frozenset()) -> str:
    """An HTML table; cells are HTML already (escape before)."""
    def cells(tag, values):
        return "".join(f'<{tag}{" class=n" if i in numeric else ""}>{v}</{tag}>' for i, v in enumerate(values))
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return f"<table><thead><tr>{cells('th', head)}</tr></thead><tbody>{body}</tbody></table>"


def _n(stats: dict, key: str) -> int:
    return int(stats.get(key, 0) or 0)


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if isinstance(value, datetime) else "?"


def verdict(failures: list[str], stats: dict) -> str:
    """The report's first box: the failure reasons, or how many monitor checks passed.

    >>> verdict([], {"zaman/monitors/passed": 5})
    '<p class="verdict ok">All monitors passed (5 checks): the crawl looks healthy.</p>'
    >>> "did not run" in verdict([], {}), "&lt;b&gt;" in verdict(["<b>"], {})
    (True, True)
    """
    if failures:
        items = "".join(f"<li>{escape(f)}</li>" for f in failures)
        return f'<div class="verdict failed">The crawl failed:<ul>{items}</ul></div>'
    if "zaman/monitors/passed" not in stats:
        return ('<p class="verdict unknown">No failure was recorded, but the monitors did not run '
                "(is Spidermon disabled?).</p>")
    checks = _n(stats, "zaman/monitors/passed")
    return f'<p class="verdict ok">All monitors passed ({checks} checks): the crawl looks healthy.</p>'


def counts_section(stats: dict, stages: Counter) -> str:
    rows = [
        ("articles requested", _n(stats, "zaman/articles/requested")),
        ("pages received (all kinds)", _n(stats, "response_received_count")),
        ("records written", _n(stats, "item_scraped_count")),
        ("duplicates dropped", _n(stats, "zaman/items/duplicate")),
        ("rejects: fetch", stages.get("fetch", 0)),
        ("rejects: parse (pages that are not articles)", stages.get("parse", 0)),
        ("rejects: validate", stages.get("validate", 0)),
        ("schema errors", _n(stats, "zaman/items/rejected")),
        ("implausible records", _n(stats, "zaman/items/implausible")),
        ("failed requests", _n(stats, "zaman/requests/failed")),
        ("retries", _n(stats, "zaman/retry/backoff_count")),
    ]
    rows += sorted((f"failed: {key.rsplit('/', 1)[1]}", _n(stats, key))
                   for key in stats if key.startswith("zaman/requests/failed/"))
    return "<h2>Counts</h2>" + _table(["", "count"], [[escape(k), f"{v:,}"] for k, v in rows], {1})


def coverage_section(stats: dict, thresholds: dict[str, float]) -> str:
    coverage = field_coverage(stats)
    records = _n(stats, "item_scraped_count")
    fields = [f for f in FIELD_NAMES if f not in NOT_EXTRACTED]
    rows, bars = [], []
    for field in fields:
        share = coverage.get(field, 0.0)
        threshold = thresholds.get(field)
        low = threshold is not None and share * 100 + 1e-9 < threshold
        cls = ' class="low"' if low else ""
        rows.append([escape(field), f"{round(share * records):,}", f"<span{cls}>{percent(share)}</span>",
                     percent(threshold / 100) if threshold is not None else '<span class="muted">-</span>'])
        bars.append((field, share, threshold / 100 if threshold is not None else None))
    return (
        "<h2>Field coverage</h2>"
        f"<p>Share of the {records:,} records with a value (null and [] count as none); the red mark is "
        "the <code>ZAMAN_MIN_COVERAGE</code> threshold.</p>"
        + charts.hbar_chart(bars, "Coverage per field")
        + _table(["field", "records", "coverage", "threshold"], rows, {1, 2, 3})
    )


def provenance_section(stats: dict) -> str:
    mix = {}
    for field in FIELD_NAMES:
        parts = {layer: _n(stats, provenance_key(field, layer)) for layer in LAYERS}
        if any(parts.values()):
            mix[field] = parts
    if not mix:
        return "<h2>Provenance mix</h2><p>No record.</p>"
    rows = []
    for field, parts in mix.items():
        total = sum(parts.values())
        rows.append([escape(field)] + [f"{parts[layer]:,} ({percent(parts[layer] / total)})" if parts[layer] else
                                       '<span class="muted">0</span>' for layer in LAYERS])
    return (
        "<h2>Provenance mix</h2>"
        "<p>Which extraction layer produced each field's value. A growing <b>fallback</b> share for the "
        "headline or body means the site's template changed.</p>"
        + charts.stacked_chart(list(mix.items()), LAYER_COLORS, "Provenance mix per field")
        + _table(["field", *LAYERS], rows, set(range(1, len(LAYERS) + 1)))
    )


def months_section(months: Counter) -> str:
    series = months_series(months)
    undated = sum(n for m, n in months.items() if not MONTH.fullmatch(m))
    have = "record has" if undated == 1 else "records have"
    note = f"<p>{undated:,} {have} no month in <code>published_at</code> and are not shown.</p>" if undated else ""
    if not series:
        return "<h2>Articles per month</h2><p>No dated record.</p>" + note
    return ("<h2>Articles per month</h2><p>Records by the month of <code>published_at</code>.</p>"
            + charts.column_chart(series, "Articles per month") + note)


def rejects_section(reasons: Counter, examples: dict) -> str:
    if not reasons:
        return "<h2>Top reject reasons</h2><p>No reject.</p>"
    rows = []
    for (stage, reason), count in reasons.most_common(TOP_REASONS):
        urls = "".join(f"<li>{escape(u)}</li>" for u in examples.get((stage, reason), []))
        rows.append([escape(stage), escape(reason), f"{count:,}", f'<ul class="urls">{urls}</ul>'])
    more = len(reasons) - TOP_REASONS
    tail = f"<p class=muted>{more:,} more reasons in the rejects file.</p>" if more > 0 else ""
    return "<h2>Top reject reasons</h2>" + _table(["stage", "reason", "count", "examples"], rows, {2}) + tail


def render(stats: dict, *, months: Counter, stages: Counter, reasons: Counter, examples: dict, failures: list[str],
           settings) -> str:
    """The report page as HTML text."""
    thresholds = {k: float(v) for k, v in settings.getwithbase("ZAMAN_MIN_COVERAGE").items()}
    start, finish = stats.get("start_time"), stats.get("finish_time")
    took = ""
    if isinstance(start, datetime) and isinstance(finish, datetime):
        took = f" ({(finish - start).total_seconds():,.0f} s)"
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        "<title>zamanscraper crawl report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>zamanscraper crawl report</h1>",
        f'<p class="muted">{_when(start)} to {_when(finish)}{took}; finish reason: '
        f'{escape(str(stats.get("finish_reason", "?")))}</p>',
        verdict(failures, stats),
        counts_section(stats, stages),
        coverage_section(stats, thresholds),
        provenance_section(stats),
        months_section(months),
        rejects_section(reasons, examples),
        "</body></html>\n",
    ])
