"""Small inline SVG charts for the crawl report: no JavaScript, no external files.

Each function returns one ``<svg>`` element as text (labels escaped), sized in CSS pixels.
"""

from __future__ import annotations

import math
from html import escape

FONT = 'font-family="sans-serif" font-size="12"'
BAR = "#4e79a7"
MARK = "#d62728"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def hbar_chart(rows: list[tuple[str, float, float | None]], title: str, width: int = 640) -> str:
    """One horizontal bar per ``(label, share 0..1, marker share or None)``; the marker (a
    threshold) is a red tick, and a bar short of its marker is drawn red.

    >>> svg = hbar_chart([("headline", 1.0, 1.0), ("keywords", 0.25, 0.1)], "Coverage")
    >>> svg.startswith("<svg") and svg.count("<rect") == 4 and "25%" in svg
    True
    """
    label_w, value_w, row_h = 140, 50, 22
    bar_w = width - label_w - value_w
    body = []
    for i, (label, share, marker) in enumerate(rows):
        y = i * row_h + 4
        share = min(max(share, 0.0), 1.0)
        short = marker is not None and share + 1e-9 < marker
        body.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" {FONT}>{escape(label)}</text>')
        body.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="16" fill="#eeeeee"/>')
        body.append(f'<rect x="{label_w}" y="{y}" width="{share * bar_w:.1f}" height="16" '
                    f'fill="{MARK if short else BAR}"/>')
        if marker is not None:
            x = label_w + min(max(marker, 0.0), 1.0) * bar_w
            body.append(f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + 18}" '
                        f'stroke="{MARK}" stroke-width="2"/>')
        body.append(f'<text x="{label_w + bar_w + 6}" y="{y + 13}" {FONT}>{share * 100:.0f}%</text>')
    return _svg(width, len(rows) * row_h + 8, body, title)


def stacked_chart(rows: list[tuple[str, dict[str, int]]], colors: dict[str, str], title: str,
                  width: int = 640) -> str:
    """One 100% bar per ``(label, {part: count})``, parts in the order and colours of
    ``colors``, with a legend.

    >>> svg = stacked_chart([("body", {"text": 3, "fallback": 1})], {"text": "#f80", "fallback": "#e00"}, "Mix")
    >>> svg.count('fill="#f80"') >= 2 and "75%" in svg
    True
    """
    label_w, row_h = 140, 22
    bar_w = width - label_w - 10
    body = []
    for i, (label, parts) in enumerate(rows):
        y = i * row_h + 4
        total = sum(parts.values())
        body.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" {FONT}>{escape(label)}</text>')
        x = float(label_w)
        for part, color in colors.items():
            count = parts.get(part, 0)
            if not total or not count:
                continue
            w = count / total * bar_w
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="16" fill="{color}">'
                        f"<title>{escape(part)}: {count}</title></rect>")
            if w >= 34:
                body.append(f'<text x="{x + 4:.1f}" y="{y + 13}" fill="#ffffff" {FONT}>'
                            f"{count / total * 100:.0f}%</text>")
            x += w
    y = len(rows) * row_h + 10
    x = label_w
    for part, color in colors.items():
        body.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{color}"/>')
        body.append(f'<text x="{x + 16}" y="{y + 11}" {FONT}>{escape(part)}</text>')
        x += 16 + 8 * len(part) + 18
    return _svg(width, y + 20, body, title)


def column_chart(points: list[tuple[str, int]], title: str, width: int = 720, height: int = 220) -> str:
    """One column per ``(label, count)`` in order, a y axis with three gridlines; with many
    columns, only every n-th label is printed.

    >>> svg = column_chart([("2017-06", 2), ("2017-07", 5)], "Articles per month")
    >>> svg.count("<rect") == 2 and "2017-07" in svg
    True
    """
    left, bottom, top = 40, 30, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max((count for _, count in points), default=0) or 1
    body = []
    for k in range(4):
        value = peak * k / 3
        y = top + plot_h - plot_h * k / 3
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dddddd"/>')
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" {FONT}>{value:.0f}</text>')
    step = plot_w / max(len(points), 1)
    every = max(1, math.ceil(56 / step))  # a label needs about 56 px
    for i, (label, count) in enumerate(points):
        h = plot_h * count / peak
        x = left + i * step
        body.append(f'<rect x="{x + step * 0.1:.1f}" y="{top + plot_h - h:.1f}" width="{max(step * 0.8, 1):.1f}" '
                    f'height="{h:.1f}" fill="{BAR}"><title>{escape(label)}: {count}</title></rect>')
        if i % every == 0:
            body.append(f'<text x="{x + step / 2:.1f}" y="{height - 12}" text-anchor="middle" {FONT}>'
                        f"{escape(label)}</text>")
    return _svg(width, height, body, title)
