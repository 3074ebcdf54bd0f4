"""The generic layer: the article's main text on a page whose site anchors say nothing.

Works on the document's visible lines, so it costs one pass over them (no second parse):

1. Every prose line (long enough, mostly not link text) scores its block's container and,
   decaying, the ancestors above it; a score is the line's length in hundreds of characters
   plus its commas, as readability does.
2. The best container is the one with the highest score, discounted by its link density
   (the share of its visible text that is link text).
3. Siblings join, at the container's level and up through wrappers holding no other prose:
   a sibling with at least ``SIBLING_SHARE`` of the best score, one built like the container's
   own branch (the next column, card or paragraph component), or a prose paragraph.
4. Inside the chosen containers, lines that are page furniture are left out: link lists,
   navigation, footers, share rows, the comment box, and widgets holding no prose (galleries).

A page that holds its text only where furniture usually is (an ``<aside>``, a container named
"share-zone") or only in list items gets a second, relaxed look. Measured on real pages in
``benchmarks/realworld.py`` and pinned by ``tests/test_realworld.py``.
"""

from __future__ import annotations

from . import selectors as S
from .anchors import ends_article, is_chrome
from .document import Document, Line

#: a line shorter than this is not evidence of prose
MIN_PROSE = 25
#: score kept at each step up from the line's container (readability's decay)
DECAY = (1.0, 0.5, 1 / 6, 1 / 9, 1 / 12)
#: blocks whose text scores their parent (a paragraph is evidence about its container)
PARAGRAPH_TAGS = frozenset("p pre blockquote li dd dt td th h1 h2 h3 h4 h5 h6 figcaption font span".split())
#: a sibling joins when its score is at least this share of the best
SIBLING_SHARE = 0.2
#: what a prose list item weighs beside a prose paragraph
LIST_WEIGHT = 0.5
#: a container with less than this prose score holds no article
MIN_SCORE = 3.0
#: how many levels above the best container siblings are looked for
CLIMB_STEPS = 4
#: how many levels up a block's containers are checked for furniture names
FURNITURE_LEVELS = 4
#: how many levels a line's prose is counted up
PROSE_LEVELS = 10
#: marks of lines that are furniture wherever they stand
FURNITURE = frozenset(("nav", "footer", "aside"))


def main_lines(doc: Document) -> list[Line]:
    """The article's lines. A page that holds it only where furniture usually is (an
    ``<aside>``, a container named "share-zone"), or only in list items, gets a second,
    relaxed look."""
    return _main_lines(doc, FURNITURE, LIST_WEIGHT, True) or _main_lines(doc, frozenset(), 1.0, False)


def _main_lines(doc: Document, furniture_marks: frozenset, list_weight: float, by_names: bool) -> list[Line]:
    lines = doc.lines
    scores: dict = {}
    chars: dict = {}
    link_chars: dict = {}
    prose_chars: dict = {}
    furniture: dict = {}  # element -> whether its class/id names page furniture
    per_block: dict = {}
    for line in lines:
        if line.text and line.block is not None:
            per_block[line.block] = per_block.get(line.block, 0) + 1
    prose_ids = _prose_lines(lines, furniture_marks)
    chains: dict = {}  # block -> the containers its lines count for, innermost first
    for line in lines:
        text = line.text
        block = line.block
        if not text or block is None:
            continue
        n = len(text)
        linked = n * line.link_share
        chain = chains.get(block)
        if chain is None:
            # a paragraph (or a block holding one line, such as <div class="paragraph">) is
            # evidence about its container
            node = block.getparent() if block.tag in PARAGRAPH_TAGS or per_block[block] == 1 else block
            chain = []
            while node is not None and len(chain) < PROSE_LEVELS:
                chain.append(node)
                node = node.getparent()
            chains[block] = chain
        prose = id(line) in prose_ids
        # list items are weaker evidence: news boxes and link lists are lists too
        score = 0.0 if not prose else (list_weight if "li" in line.marks else 1.0) * (
            1 + text.count(",") + text.count("،") + text.count("、") + min(_weight(text) / 100, 3))
        if score and by_names and _in_furniture(block, furniture):
            prose, score = False, 0.0
        for level, node in enumerate(chain):
            chars[node] = chars.get(node, 0) + n
            link_chars[node] = link_chars.get(node, 0) + linked
            if score:
                prose_chars[node] = prose_chars.get(node, 0) + n
                if level < len(DECAY):
                    scores[node] = scores.get(node, 0.0) + score * DECAY[level]
    if not scores:
        return []

    def same_shape(sibling, node) -> bool:
        """A sibling built like the container's own branch (the next column, card or paragraph
        component of a story split into repeated blocks) that holds prose, few links."""
        return (sibling.tag == node.tag and sibling.get("class") == node.get("class")
                and prose_chars.get(sibling, 0) > 0 and link_chars[sibling] <= 0.5 * chars[sibling])

    def final(node) -> float:
        return scores[node] * (1 - link_chars[node] / chars[node]) if chars.get(node) else 0.0

    best = max(scores, key=final)
    prose_blocks = {line.block for line in lines if id(line) in prose_ids}
    top = final(best)
    if top < MIN_SCORE:
        return []
    # siblings holding prose join, at the container's level and above it through wrappers
    # that hold no other prose (a story split over columns, cards or paragraph groups)
    chosen = {best}
    node = best
    for _ in range(CLIMB_STEPS):
        parent = node.getparent()
        if parent is None or parent.tag == "html":
            break
        for sibling in parent:
            if sibling is not node and (sibling in prose_blocks or (
                    sibling in scores and (final(sibling) >= SIBLING_SHARE * top or same_shape(sibling, node)))):
                chosen.add(sibling)  # a container holding enough prose, or a prose paragraph
        if parent.tag == "body" or prose_chars.get(parent, 0) > prose_chars.get(node, 0):
            break
        node = parent

    def near_prose(line) -> bool:
        """Prose, or a short line (subhead, list item, dateline) standing among prose: its
        block or its block's parent holds prose. Widgets inside the container (galleries,
        share boxes) hold none."""
        block = line.block
        if id(line) in prose_ids or block in prose_chars:
            return True
        parent = block.getparent()
        return parent in prose_chars or (parent is not None and parent.getparent() in prose_chars)

    inside: set = set()
    for node in chosen:
        inside.update(node.iter())
    return [line for line in lines
            if (line.block if line.block is not None else line.element) in inside
            and kept(line, furniture_marks) and (line.img is not None or near_prose(line))]


def _in_furniture(block, cache: dict) -> bool:
    """The block sits in a container whose class or id names furniture (cookie notices,
    newsletter boxes, related links, share rows, comments)."""
    seen = []
    node = block
    result = False
    for _ in range(FURNITURE_LEVELS):
        if node is None or node.tag == "body":
            break
        known = cache.get(node)
        if known is not None:
            result = known
            break
        seen.append(node)
        names = (node.get("class") or "") + " " + (node.get("id") or "")
        if names != " " and S.FURNITURE_NAMES.search(names):
            result = True
            break
        node = node.getparent()
    for node in seen:
        cache[node] = result
    return result


def _weight(text: str) -> int:
    """Length in Latin-letter terms: a CJK character carries about a word, so counts three."""
    n = len(text)
    if text[0] >= "\u3000" or text[-1] >= "\u3000":
        n += 2 * len(S.CJK.findall(text))
    return n


def _prose_lines(lines: list[Line], furniture_marks: frozenset = FURNITURE) -> set[int]:
    """``id()`` of every line that is evidence of prose. A paragraph hard-wrapped with
    ``<br>`` is judged whole: its lines are joined (soft lines of the same block) first."""
    out: set[int] = set()
    run: list[Line] = []

    def judge():
        if run:
            text = " ".join(line.text for line in run)
            linked = sum(len(line.text) * line.link_share for line in run)
            if _is_prose(text, linked / len(text), run[0].marks & furniture_marks):
                out.update(id(line) for line in run)

    for line in lines:
        if not line.text:
            continue
        if line.soft and run and run[-1].block is line.block:
            run.append(line)
            continue
        judge()
        run = [line]
    judge()
    return out


def _is_prose(text: str, link_share: float, marks) -> bool:
    """Evidence of article text: long enough, mostly not links, not furniture, and either a
    sentence (it ends like one or holds two) or long."""
    n = len(text)
    if n < MIN_PROSE or link_share >= 0.5 or marks & FURNITURE:
        return False
    return n >= 160 or S.ends_sentence(text) or len(S.SENTENCE_STOP.findall(text)) >= 2


def kept(line: Line, furniture_marks: frozenset = FURNITURE) -> bool:
    """A line of the chosen containers that is text of the article, not furniture."""
    if line.img is not None:
        return True
    text = line.text
    if line.marks & furniture_marks:
        return False
    if line.link_share >= 0.5 and not S.ends_sentence(text):
        return False
    return not (is_chrome(text) or ends_article(text))
