"""Body region lines -> paragraphs, with the lead's source tag, sign-off and byline split off.

Used on whatever region a layer found (a selector's container, the text anchors' region, the
fallback's densest block), so every layer cleans the body the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import selectors as S
from .anchors import is_chrome
from .document import Line
from ..processors import clean_text

#: paragraphs of at least this length that repeat are dropped (content rendered twice)
MIN_REPEAT = 60
#: lines under these are site furniture in a region the text anchors placed (not in a <figure>)
FURNITURE_MARKS = frozenset(("nav", "form", "footer", "aside", "header"))
#: a line without sentence punctuation and at most this many words is a title, not a paragraph
MAX_TITLE_WORDS = 16


@dataclass(slots=True)
class Body:
    paragraphs: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    source_tag: str | None = None
    byline: str | None = None
    signoff: str | None = None


def build(lines: list[Line], *, headline: str | None = None, generic: bool = False) -> Body:
    """``generic``: the lines come from the generic layer, which already left out what is not
    text; short lines there are subheads and list items of the article, kept."""
    body = Body()
    pieces = _paragraphs(lines, headline, body.images, generic)
    joined = [" ".join(p) for p in pieces] if generic else _drop_titles(pieces)
    paragraphs = _drop_repeats(joined)
    _split_lead(paragraphs, body)
    _split_tail(paragraphs, body)
    if body.source_tag is None and body.signoff:
        body.source_tag = _outlet_of(body.signoff)
    body.paragraphs = paragraphs
    return body


def _paragraphs(lines: list[Line], headline: str | None, images: list[str],
                generic: bool = False) -> list[list[str]]:
    """Paragraphs as the lines they were joined from (a paragraph's hard line breaks)."""
    out: list[list[str]] = []
    last_kept = None  # the Line that produced out[-1]
    after_image: Line | None = None
    for line in lines:
        if line.img is not None:
            images.append(line.img)
            after_image = line
            continue
        previous_image, after_image = after_image, None
        text = clean_text(S.MARKDOWN_IMAGE.sub(" ", line.text) if "![" in line.text else line.text)
        if not text or text == headline or _is_chrome(line, text, by_marks=not generic):
            continue
        if _is_caption(line, text, previous_image):
            continue
        if not out and "\n" in line.raw.strip():
            # a byline printed on its own source line at the top of the first paragraph
            first, _, rest = line.raw.strip().partition("\n")
            byline, rest_text = clean_text(first), clean_text(rest)
            if byline and rest_text and S.BYLINE_LINE.match(byline):
                out.append([byline])
                text = rest_text
        if (line.soft and last_kept is not None and out and not S.ends_sentence(out[-1][-1])
                and not S.BYLINE_LINE.match(out[-1][-1])):
            out[-1].append(text)  # a hard line break inside a sentence
        else:
            out.append([text])
        last_kept = line
    return out


def _is_chrome(line: Line, text: str, *, by_marks: bool = True) -> bool:
    """Site chrome and link lists (related articles, share buttons) inside the body area;
    ``by_marks``: also every line under nav/form/footer/aside/header (the generic layer has
    already judged its lines' containers)."""
    if is_chrome(text):
        return True
    if line.links and line.link_share >= 0.9:
        return True
    return by_marks and bool(line.marks & FURNITURE_MARKS) and "figure" not in line.marks


def _is_caption(line: Line, text: str, image: Line | None) -> bool:
    if "figcaption" in line.marks or (text.endswith("الوصل") and S.CAPTION_END.search(text)):
        return True
    if image is None:
        return False
    return not S.ends_sentence(text)


def _drop_titles(paragraphs: list[list[str]]) -> list[str]:
    """Join each paragraph's lines, dropping titles: lines of a few words that end no
    sentence (related articles printed as text). The last paragraph and closing lines are
    left to _split_tail.

    >>> _drop_titles([["He said so."], ["Returnees to Homs find homes looted"], ["He added:"],
    ...               ["Two titles", "in a row"], ["It broke", "mid-sentence."], ["Zaman A Wasl"]])
    ['He said so.', 'He added:', 'It broke mid-sentence.', 'Zaman A Wasl']
    """
    keep = []
    for i, pieces in enumerate(paragraphs):
        p = " ".join(pieces)
        last = i == len(paragraphs) - 1
        if (last or S.ends_sentence(p) or S.SENTENCE_START.match(p) or S.QUOTATION.match(p)  # prose
                or (i >= len(paragraphs) - 2 and (S.SIGNOFF.match(p) or S.BYLINE_LINE.match(p)))  # closing
                or (i == 0 and (S.SOURCE_TAG_ALONE.match(p) or S.BYLINE_LINE.match(p)))  # opening
                or not all(len(piece.split()) <= MAX_TITLE_WORDS for piece in pieces)):  # not titles
            keep.append(p)
    return keep


def _drop_repeats(paragraphs: list[str]) -> list[str]:
    """A content block rendered twice: keep the first copy of every long paragraph."""
    seen: set[str] = set()
    out = []
    for p in paragraphs:
        if len(p) >= MIN_REPEAT and p in seen:
            continue
        seen.add(p)
        out.append(p)
    return out


def _split_lead(paragraphs: list[str], body: Body) -> None:
    """Take the source tag (and a writer named before it) off the first paragraph."""
    if not paragraphs:
        return
    alone = S.SOURCE_TAG_ALONE.match(paragraphs[0])
    if alone and len(paragraphs) > 1:
        body.source_tag = clean_text(alone["tag"])
        del paragraphs[0]
        return
    m = S.SOURCE_TAG.match(paragraphs[0])
    if m and len(m["tag"].split()) <= 6:
        rest = clean_text(paragraphs[0][m.end():])
        if rest:
            body.source_tag = clean_text(m["tag"])
            body.byline = clean_text(m["writer"]) if m["writer"] else None
            paragraphs[0] = rest
    if body.byline is None and paragraphs:
        by = S.BYLINE_LINE.match(paragraphs[0])
        if by and len(paragraphs) > 1:
            body.byline = clean_text(by["name"] or by["name_ar"])
            del paragraphs[0]


def _split_tail(paragraphs: list[str], body: Body) -> None:
    """Sign-off and ``By …`` lines at the end of the body, in either order."""
    for _ in range(3):
        if len(paragraphs) < 2:
            return
        last = paragraphs[-1]
        if body.signoff is None and S.SIGNOFF.match(last):
            body.signoff = last
        elif body.byline is None and (by := S.BYLINE_LINE.match(last)):
            body.byline = clean_text(by["name"] or by["name_ar"])
        else:
            return
        paragraphs.pop()


def _outlet_of(signoff: str) -> str | None:
    """The outlet a sign-off names (``Zaman A Wasl``, ``زمان الوصل - خاص`` → ``زمان الوصل``,
    ``اقتصاد - أحد مشاريع "زمان الوصل"`` → ``اقتصاد``); None for editing credits.

    >>> _outlet_of("زمان الوصل - خاص"), _outlet_of('اقتصاد - أحد مشاريع "زمان الوصل"')
    ('زمان الوصل', 'اقتصاد')
    >>> _outlet_of("Zaman A Wasl"), _outlet_of("Editing by Jamal Ibrahim")
    ('Zaman A Wasl', None)
    """
    m = S.SIGNOFF.match(signoff)
    if not m or not (m["outlet"] or m["project"]):
        return None
    if m["project"]:
        return m["project"]
    special = S.SIGNOFF_OUTLET.match(signoff)
    return special["outlet"] if special else signoff
