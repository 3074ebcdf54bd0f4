"""The fallback layer: a generic main-text finder for pages where no anchor was found.

Scores every element by the prose it directly holds (lines that end a sentence, are not links
and are long enough) and returns the lines of the best one. Used only when neither the date
line nor a headline could be placed: a page that has them but no body has no body.
"""

from __future__ import annotations

from . import selectors as S
from .document import Document, Line

#: a line shorter than this is not evidence of prose
MIN_PROSE = 40


def main_lines(doc: Document) -> list[Line]:
    scores: dict = {}
    for line in doc.lines:
        if _is_prose(line) and line.element is not None:
            parent = line.element.getparent() if line.element.tag in ("p", "br", "font", "span") else line.element
            if parent is not None:
                scores[parent] = scores.get(parent, 0) + len(line.text)
    if not scores:
        return []
    best = max(scores, key=scores.get)
    if scores[best] < 2 * MIN_PROSE:
        return []
    return [line for line in doc.lines_in(best) if line.img is not None or _is_prose(line) or line.soft]


def _is_prose(line: Line) -> bool:
    return (
        len(line.text) >= MIN_PROSE
        and line.link_share < 0.5
        and bool(S.SENTENCE_END.search(line.text))
        and not S.END_LINES.match(line.text)
    )
