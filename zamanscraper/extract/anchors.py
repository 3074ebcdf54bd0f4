"""The text layer: fields found from anchors in the visible text, in the site's reading order.

ticker (``Latest News:``) → tagline → headline → ``{category} | {date}`` → headline again →
body → sign-off/byline → ``Keywords:`` → ``Comments (N)`` → comment form. Nothing here looks at
class names or ids: only line texts, links, and which lines are headings, captions or images.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from . import selectors as S
from .dates import looks_like_date
from .document import SKIP_TAGS, Document, Line, is_hidden, text_of
from ..processors import ascii_digits, clean_text

#: how far (in text lines) the doubled headline may sit from the date line
HEADLINE_WINDOW = 4
#: a headline is at most this long
MAX_HEADLINE = 300
#: the ``{category} | {date}`` line is at most this long
MAX_DATE_LINE = 90
HEADINGS = frozenset(("h1", "h2", "h3"))
#: a doubled line the page's titles do not confirm needs this many words to be a headline
MIN_HEADLINE_WORDS = 4
#: a line of article prose after a doubled headline is at least this long
MIN_PROSE_LINE = 25
#: line texts whose verdicts (chrome, article end, date line) are remembered: several passes
#: ask about the same line, and site chrome repeats from page to page (bounded: flat memory)
TEXT_CACHE = 2048


@dataclass(slots=True)
class Anchors:
    """Where the known landmarks of an article page are, as line indexes."""

    date_index: int | None = None
    category: str | None = None
    published_raw: str | None = None
    headline: str | None = None
    #: the headline was printed twice (around the date line, or in a row): the page's own word
    headline_strong: bool = False
    #: first line of the body region and the line that ends it
    body_start: int | None = None
    body_end: int | None = None
    ticker: list[str] = field(default_factory=list)
    ticker_lines: set[int] = field(default_factory=set)
    keywords: list[str] = field(default_factory=list)
    comments_count: int | None = None
    #: the body region was placed by corroborated site anchors (else the generic layer decides)
    site_region: bool = False


def find(doc: Document, *, headline_hints: Sequence[str | None] = (), page_titles=tuple,
         h1s=tuple, prose_lines=None) -> Anchors:
    """Place the site's anchors; each one only with independent evidence for it.

    ``page_titles`` and ``h1s`` are callables (the witnesses are read only when a rule needs
    them); ``prose_lines`` gives the generic layer's lines.

    Rules (a site anchor is never trusted alone):

    - date line (``{category} | {date}``): used only next to a headline that the page prints
      twice around it, or one that agrees with the page's titles (``<title>``, og:title,
      JSON-LD or selector headline) or an ``<h1>``. An uncorroborated date line places nothing.
    - doubled headline without a date line (two identical lines in a row): used only when it
      agrees with the page's titles (not merely an ``<h1>``), or when the generic layer's
      article text (``prose_lines()``) starts right after it ("Advertisement", "Search",
      "Next Post", an author's name repeated are not headlines).
    - body region after the headline: ``site_region`` is True only when the headline was
      placed by the date line, or by a doubled headline followed by article prose or by more
      of the site's reading order (ticker, ``Keywords:``, ``Comments (N)``); otherwise the
      generic layer decides the body.
    """
    lines = doc.lines
    found = Anchors()
    hints = [t for t in headline_hints if t]
    found.ticker, found.ticker_lines = ticker(doc)
    dates = [i for i, line in enumerate(lines)  # (date_line's cheap tests first: length, then a bar)
             if len(line.text) <= MAX_DATE_LINE and ("|" in line.text or "¦" in line.text)
             and i not in found.ticker_lines and date_line(line)]
    date_index = _best_date_line(lines, dates)
    if date_index is not None:
        headline, body_start, strong = _headline_around(lines, date_index, found.ticker_lines)
        if headline and (strong or agrees(headline, [*hints, *page_titles(), *h1s()])):
            found.date_index = date_index
            category, printed = date_line(lines[date_index]) or (None, "")
            found.category = clean_text(category)
            found.published_raw = clean_text(printed)
            found.headline, found.body_start, found.headline_strong = headline, body_start, strong
            found.site_region = True
        else:
            date_index = None
    doubled = False
    if found.headline is None:
        doubled_line, doubled_start = _doubled_headline(lines, found.ticker_lines)
        # a page whose title names more than the site must agree with it; with no such
        # title, the generic layer's prose must follow (it runs only when asked)
        titled = [t for t in (*hints, *page_titles()) if not S.SITE_NAME.match(t)]
        if doubled_line is not None and doubled_start is not None and (agrees(doubled_line, titled) or (
                not titled and _prose_follows(lines, doubled_line, doubled_start, prose_lines))):
            found.headline, found.body_start, found.headline_strong = doubled_line, doubled_start, True
            doubled = True
    if found.headline is None:
        found.headline, found.body_start = _headline_from_hints(lines, headline_hints, date_index)
    if found.body_start is not None:
        found.body_end = body_end(lines, found.body_start, found.headline)
        tail = range(found.body_end, len(lines))
        found.keywords = keywords(lines, tail)
        found.comments_count = comments_count(lines, tail)
    if doubled:
        # without a date line, the region after a doubled headline is the site's body only
        # when more of the site's reading order is there (ticker, masthead, Keywords:, Comments)
        found.site_region = bool(found.ticker or found.keywords or found.comments_count is not None
                                 or _masthead_before(lines, found.body_start or 0))
    return found


def _prose_follows(lines: list[Line], headline: str, start: int, prose_lines) -> bool:
    """Article prose of the generic layer (``prose_lines()``) follows line ``start`` within a
    few lines (a lead tag or an image may stand between). A short repeated line
    ("Advertisement", "Next Post", a name) is no headline, whatever follows it."""
    if prose_lines is None or len(headline.split()) < MIN_HEADLINE_WORDS:
        return False
    generic = {id(line) for line in prose_lines()}
    end = min(start + HEADLINE_WINDOW + 2, len(lines))
    return any(id(lines[j]) in generic and len(lines[j].text) >= MIN_PROSE_LINE for j in range(start, end))


def _masthead_before(lines: list[Line], start: int) -> bool:
    """The site's tagline or search placeholder stands above the headline."""
    return any(S.SITE_MASTHEAD.search(lines[j].text) for j in range(start))


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def agrees(headline: str, titles) -> bool:
    """The headline is one of the page's titles, or a long enough part of one
    (``<title>`` adds the site name).

    >>> agrees("Russia to broker new deal", ["Russia to broker new deal - Zaman Al Wasl"])
    True
    >>> agrees("Advertisement", ["Russia to broker new deal"]), agrees("Search", ["Search results"])
    (False, False)
    """
    want = headline.casefold()
    for title in titles:
        have = " ".join(title.split()).casefold()
        if have == want or (len(want) >= 20 and want in have):
            return True
    return False


# --- date line and headline ----------------------------------------------------------------


def date_line(line: Line) -> tuple[str | None, str] | None:
    """``(category, date)`` when the line is the ``{category} | {date}`` line, else None.

    Also read the other way round (``{date} | {category}``), as a right-to-left template may
    put it in the source.
    """
    text = line.text
    if len(text) > MAX_DATE_LINE or ("|" not in text and "¦" not in text):
        return None
    return _date_parts(text)


@lru_cache(maxsize=TEXT_CACHE)
def _date_parts(text: str) -> tuple[str | None, str] | None:
    m = S.DATE_LINE.match(text)
    if not m:
        return None
    left, right = (m["category"] or "").strip(), m["date"].strip()
    for category, date in ((left, right), (right, left)):
        if (date and looks_like_date(date) and not S.SENTENCE_END.search(category) and len(category) <= 60
                and not (category and (S.BYLINE_CATEGORY.match(category)
                                       or (_has_digit(category) and looks_like_date(category))))):
            # "29 Nov 2018 | 20 Jan 2019" is a range; "November 12, 2018 | BY: Beachbody" a byline
            return (category.strip(" -–—:") or None), date
    return None


def _best_date_line(lines: list[Line], candidates: list[int]) -> int | None:
    """The date line with the doubled headline around it, else the first one."""
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    for i in candidates:
        before = _texts(lines, i, -1)
        after = _texts(lines, i, +1)
        if set(t for _, t in before) & set(t for _, t in after):
            return i
    return candidates[0] if candidates else None


def _texts(lines: list[Line], i: int, step: int) -> list[tuple[int, str]]:
    """Up to HEADLINE_WINDOW headline-like (index, text) pairs next to line i."""
    out: list[tuple[int, str]] = []
    j = i + step
    while 0 <= j < len(lines) and len(out) < HEADLINE_WINDOW:
        line = lines[j]
        j += step
        if line.img is not None or "figcaption" in line.marks or is_chrome(line.text):
            continue
        if len(line.text) <= MAX_DATE_LINE and date_line(line):
            break
        if len(line.text) <= MAX_HEADLINE:
            out.append((j - step, line.text))
    return out


def _headline_around(lines, date_index, skip) -> tuple[str | None, int, bool]:
    """Headline, body start, and whether the headline was doubled, from around the date line.

    The site prints the headline above and below the date line; the body starts after the
    second copy. With only one copy, a heading element wins, then the nearest plain line above.
    """
    before = [(i, t) for i, t in _texts(lines, date_index, -1) if i not in skip]
    after = _texts(lines, date_index, +1)
    after_texts = {t: i for i, t in reversed(after)}
    for _, text in before:
        if text in after_texts:
            return text, after_texts[text] + 1, True
    for i, text in after[:1]:
        if lines[i].marks & HEADINGS:
            return text, i + 1, False
    candidates = [(i, t) for i, t in before if not _ticker_label(t)]
    for i, text in candidates:
        if lines[i].marks & HEADINGS:
            return text, date_index + 1, False
    for i, text in candidates:
        if lines[i].link_share < 0.9:
            return text, date_index + 1, False
    return None, date_index + 1, False


def _doubled_headline(lines: list[Line], skip) -> tuple[str | None, int | None]:
    """No date line: the site still prints the headline twice in a row."""
    texts = [(i, line.text) for i, line in enumerate(lines) if line.text and i not in skip]
    for (_, text), (j, following) in zip(texts, texts[1:], strict=False):
        if text == following and len(text) <= MAX_HEADLINE and not is_chrome(text):
            return text, j + 1
    return None, None


def _headline_from_hints(lines, hints, date_index) -> tuple[str | None, int | None]:
    """Without a usable date line: the first visible line equal to a hinted headline
    (selector or metadata), or the first <h1>."""
    wanted = [h for h in hints if h]
    after_date = date_index + 1 if date_index is not None else 0
    for i, line in enumerate(lines):
        if line.text in wanted:
            last = i
            while last + 1 < len(lines) and lines[last + 1].text in (line.text, ""):
                last += 1
            return line.text, max(last + 1, after_date)
    for i, line in enumerate(lines):
        if "h1" in line.marks and line.text and len(line.text) <= MAX_HEADLINE and not is_chrome(line.text):
            return line.text, max(i + 1, after_date)
    return None, (after_date if date_index is not None else None)


def body_end(lines: list[Line], start: int, headline: str | None) -> int:
    for j in range(start, len(lines)):
        text = lines[j].text
        if not text:
            continue
        if (  # (each pattern behind the cheap test it implies)
            ((":" in text or "：" in text or len(text) <= 12)
             and (_keywords_label(text) or _ticker_label(text)))
            or (("(" in text or "[" in text) and S.COMMENTS_COUNT.match(text))
            or ends_article(text)
            or (len(text) <= MAX_DATE_LINE and date_line(lines[j]))
            or (text == headline and j > start)
        ):
            return j
    return len(lines)


@lru_cache(maxsize=TEXT_CACHE)
def is_chrome(text: str) -> bool:
    """Site chrome that is never article text: share and print links, the search box, the
    tagline, "Read also:", a bare URL.

    >>> is_chrome("Share"), is_chrome("The tagline of Fathi Ibrahim Bayoud's site"), is_chrome("Shares fell")
    (True, True, False)
    """
    return S.CHROME_LINES.match(text) is not None or (
        S.SITE_TAGLINE_HINT.search(text) is not None and S.SITE_TAGLINE.search(text) is not None)


@lru_cache(maxsize=TEXT_CACHE)
def ends_article(text: str) -> bool:
    """The comment box, a "Most read" box or the page footer: the article is over.

    >>> ends_article("Zaman Al Wasl © 2005-2025. All rights reserved."), ends_article("© Reuters")
    (True, False)
    """
    if S.END_LINES.match(text):
        return True
    return (len(text) <= S.FOOTER_MAX and S.FOOTER_SIGNS.search(text) is not None
            and S.FOOTER.search(text) is not None)


# --- ticker --------------------------------------------------------------------------------


def ticker(doc: Document) -> tuple[list[str], set[int]]:
    """The ``Latest News`` headlines in order, top or bottom layout, and the lines they use."""
    lines = doc.lines
    first, last = S.TICKER_FIRST, S.TICKER_LAST
    for i, line in enumerate(lines):
        text = line.text
        # a label starts the line (top form) or ends it (bottom form): cheap tests of its first
        # or last character, then word, go before the patterns, as almost no line is a label
        if not (text.startswith(first) or text.endswith(last)):
            continue
        top = _top_label(text)
        bottom = None if top else _bottom_label(text)
        if not (top or bottom):
            continue
        raw = line.shown.strip()
        if top:
            rest = S.TICKER_LABEL.sub("", raw.lstrip(), count=1)
            following = range(i + 1, min(i + 40, len(lines)))
        else:
            rest = S.TICKER_LABEL_END.sub("", raw.rstrip(), count=1)
            following = range(i - 1, max(i - 40, -1), -1)
        # a label alone on its line (even split over inline tags) leaves nothing to split
        alone = clean_text(rest)
        items = _split_items(line, rest, weak=True) if alone else []
        if not items and alone:
            items = [alone]
        used = {i}
        if not items:
            items, more = _ticker_lines(lines, following)
            used |= more
        if items:
            return items, used
    return [], set()


def _ticker_label(text: str) -> bool:
    """The line text is a ticker label, top or bottom form (with headlines after it or not)."""
    return bool(_top_label(text) or _bottom_label(text))


def _top_label(text: str):
    """``TICKER_LABEL.match``, asked only of a text that passes its cheap test."""
    return S.may_start_ticker_label(text) and S.TICKER_LABEL.match(text)


def _bottom_label(text: str):
    """``TICKER_LABEL_END.search`` on a line text, behind its cheap test."""
    return S.may_end_ticker_label(text) and _label_at_end(text)


def _keywords_label(text: str):
    """``KEYWORDS_LABEL.match``, asked only of a text that starts like the label."""
    return text.startswith(S.KEYWORDS_FIRST) and S.KEYWORDS_LABEL.match(text)


def _label_at_end(text: str):
    """``TICKER_LABEL_END.search`` on a line text, whose spaces are single: the label can only
    start in its last few characters (a search from the start tries every position)."""
    return S.TICKER_LABEL_END.search(text, max(0, len(text) - S.TICKER_LABEL_END_SPAN))


def _split_items(line: Line, rest: str, *, weak: bool) -> list[str]:
    """Several headlines inside one line: its links, else its text split on runs of spaces
    (then, if ``weak``, on bars, bullets and " / "), else its child elements; [] for one."""
    if len(line.links) >= 2:
        links = [c for t, _ in line.links if (c := clean_text(t)) and not _top_label(t + ":")]
        if len(links) >= 2:
            return links
    for pattern in (S.TICKER_SPLIT, *S.TICKER_SPLIT_WEAK) if weak else (S.TICKER_SPLIT,):
        if (pattern is S.TICKER_SPLIT and rest == line.text) or not pattern.search(rest):
            # one piece (most lines; a line's own text has single spaces only): nothing to split
            continue
        pieces = [p for piece in pattern.split(rest) if (p := clean_text(piece)) and not S.TICKER_NOISE.match(p)]
        if len(pieces) >= 2:
            return pieces
    element = line.element
    if element is not None and len(element) >= 2:
        texts = [clean_text(text_of(c)) for c in element
                 if isinstance(c.tag, str) and c.tag not in SKIP_TAGS and not is_hidden(c)]
        children = [c for c in texts if c and not _ticker_label(c)]
        if len(children) >= 2:
            return children
    return []


def _ticker_lines(lines: list[Line], indexes: range) -> tuple[list[str], set[int]]:
    """A label alone on its line: the headlines are the next (or, for the bottom layout, the
    previous) lines. Items of one ticker are siblings (``<li>``s, ``<div>``s of a carousel), so
    the run stops where the parent element changes, at chrome, the date line or the doubled
    headline. One line of the run holding several headlines is the whole ticker."""
    run: list[int] = []
    parent = None
    for j in indexes:
        line = lines[j]
        if line.img is not None:
            continue
        text = line.text
        if is_chrome(text) or date_line(line) or ends_article(text) or _printed_again(lines, j):
            break
        here = line.element.getparent() if line.element is not None else None
        if run and here is not parent:
            break
        inner = _split_items(line, line.shown, weak=False)
        if len(inner) >= 2:
            return (inner, {j}) if not run else (_texts_of(lines, run, indexes), set(run))
        if len(text) > MAX_HEADLINE:
            break
        run.append(j)
        parent = here
    if len(run) == 1:
        inner = _split_items(lines[run[0]], lines[run[0]].shown, weak=True)
        if len(inner) >= 2:
            return inner, set(run)
    return _texts_of(lines, run, indexes), set(run)


def _texts_of(lines: list[Line], run: list[int], indexes: range) -> list[str]:
    ordered = reversed(run) if indexes.step < 0 else run  # a bottom ticker was walked backwards
    return [lines[j].text for j in ordered]


def _printed_again(lines: list[Line], j: int) -> bool:
    """The line is printed again within the next few lines: the doubled headline."""
    return lines[j].text in [line.text for line in lines[j + 1:j + 2 + HEADLINE_WINDOW]]


# --- keywords and comments -----------------------------------------------------------------


def keywords(lines: list[Line], indexes) -> list[str]:
    """Keywords after the ``Keywords:`` label: its links, else its text split, else the
    link lines that follow it."""
    for i in indexes:
        line = lines[i]
        if not _keywords_label(line.text):
            continue
        links = [c for t, _ in line.links if (c := clean_text(t)) and not _keywords_label(t + ":")]
        if links:
            return links
        rest = S.KEYWORDS_LABEL.sub("", line.shown.strip(), count=1)
        pieces = [p for piece in S.KEYWORD_SPLIT.split(rest) if (p := clean_text(piece))]
        if len(pieces) == 1 and " " in pieces[0]:
            pieces = pieces[0].split(" ")  # "Syria Qalamoun": separate links flattened to text
        if pieces:
            return pieces
        out: list[str] = []
        for j in range(i + 1, min(i + 30, len(lines))):
            nxt = lines[j]
            if nxt.img is not None:
                continue
            if nxt.link_share < 0.9:
                break
            out.extend(c for t, _ in nxt.links if (c := clean_text(t)))
        return out
    return []


def comments_count(lines: list[Line], indexes) -> int | None:
    for i in indexes:
        text = lines[i].text
        m = ("(" in text or "[" in text) and S.COMMENTS_COUNT.match(text)
        if m:
            return int(ascii_digits(m["n"] or m["n_ar"]))
    return None
