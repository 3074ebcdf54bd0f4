"""Page bytes -> a parsed tree and its visible text as lines in reading order.

The text layer works on these lines the way a reader works on the page, so it needs no class
names: block elements and ``<br>`` end lines, images become marker lines, links are kept per
line. Hostile input (empty, binary, huge, mis-declared encoding, absurd nesting) is refused
with an :class:`ExtractError` naming the problem, or repaired.
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import logging
import re
import threading
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from lxml import etree

from . import selectors as S
from .errors import ExtractError
from ..processors import collapse_whitespace, strip_invisible

_c_walk: ModuleType | None
try:  # the C copy of linearize_python, built at install time when a compiler is there
    _c_walk = importlib.import_module(f"{__package__}._walk")
except (ImportError, ValueError) as _missing:  # ValueError: built against another lxml's types
    _c_walk = None
    _c_walk_missing = f"{type(_missing).__name__}: {_missing}"

logger = logging.getLogger(__name__)

#: pages larger than this are refused (the spider's DOWNLOAD_MAXSIZE is the network-side cap)
MAX_BYTES = 16 * 1024 * 1024

#: elements that end a line
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html "
    "legend li main marquee menu nav ol p pre section summary table tbody td tfoot th thead "
    "title tr ul".split()
)
#: elements whose content is never visible text
SKIP_TAGS = frozenset(
    "head script style noscript template iframe object embed svg canvas select option "
    "textarea input button map audio video source track".split()
)
#: a form holding this many paragraphs wraps the page, it is not a comment or search box
FORM_PAGE_PARAGRAPHS = 5
#: elements that show an image (AMP pages use <amp-img>)
IMAGE_TAGS = frozenset(("img", "amp-img"))
#: elements the selector and metadata layers look up (``Document.elements``), indexed by the walk
INDEXED_TAGS = frozenset(("title", "h1", "time", "meta", "article", "script"))
#: the index's other keys (selectors.py): elements with an ``itemprop``, links with rel=tag
ITEMPROP, REL_TAG = S.ITEMPROP, S.REL_TAG
#: ancestors worth knowing for a line
MARK_TAGS = frozenset("a h1 h2 h3 h4 h5 h6 figcaption figure nav header footer aside form li pre time".split())
_BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip data",
    b"RIFF": "RIFF media",
}
_MAGICS = tuple(_BINARY_MAGIC)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_DEEP_OPEN = re.compile(r"(?:<[A-Za-z][^<>]*>\s*){48,}")
_DEEP_CLOSE = re.compile(r"(?:</[A-Za-z][^<>]*>\s*){48,}")
_HAS_TAG = re.compile(r"<[A-Za-z!/]")
_HAS_TAG_BYTES = re.compile(rb"<[A-Za-z!/]")
#: what may make _XML_DECLARATION match a page's text: an XML declaration, or a non-ASCII
#: character (Unicode whitespace) after the leading ASCII whitespace
_XML_LEAD = re.compile(rb"[\s\x1c-\x1f]*(?:<\?xml|[\x80-\xff])")
#: inline styles that hide an element from every reader
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!\s*important\s*)?(?:;|$)", re.I
)
#: source whitespace a browser shows as one space (not NBSP, which it shows as it is)
_SOURCE_SPACE = re.compile(r"[ \t\n\r\f]+")
#: an XHTML page's ``<?xml … encoding=…?>``: lxml refuses it on already-decoded text
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(slots=True)
class Line:
    """One visible line of the page: a block's text, a ``<br>`` segment, or an image."""

    text: str
    raw: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    marks: frozenset[str] = frozenset()
    #: started after a single <br> inside the same block (may continue the previous line)
    soft: bool = False
    #: image source for an image marker line (text is "")
    img: str | None = None
    element: Any = None
    #: the block element whose text this is (the nearest block ancestor of the text)
    block: Any = None

    @property
    def shown(self) -> str:
        """``raw`` as a reader sees its spacing: source line breaks and indentation are one
        space (NBSPs and, inside ``<pre>``, all whitespace are kept). Split this, never ``raw``."""
        raw = self.raw
        if "pre" in self.marks or not ("\n" in raw or "\t" in raw or "  " in raw or "\r" in raw or "\f" in raw):
            return raw
        return _SOURCE_SPACE.sub(" ", raw)

    @property
    def link_share(self) -> float:
        """Share of the line's characters that are link text (1.0: the line is one link)."""
        if not self.links:
            return 0.0
        letters = len(self.text) - self.text.count(" ")
        if not letters:
            return 0.0
        return min(1.0, sum(len(t) - t.count(" ") for t, _ in self.links) / letters)


@dataclass
class Document:
    root: Any
    lines: list[Line]
    #: the decoded page source (``source``), or the page's UTF-8 bytes to decode when it is asked for
    _source: str | None = None
    _utf8: bytes | None = None
    #: INDEXED_TAGS, ITEMPROP and REL_TAG -> their elements in document order, hidden and skipped ones
    #: included (what an XPath over the whole tree finds): one walk serves every selector
    index: dict[str, list] = field(default_factory=dict)
    _itemprops: dict[str, list] | None = None

    @property
    def source(self) -> str:
        """The decoded page source (invisible characters stripped, CRLF made LF)."""
        if self._source is None:
            self._source = self._utf8.decode("utf-8") if self._utf8 is not None else ""
        return self._source

    def elements(self, tag: str) -> list:
        """The page's elements of one of INDEXED_TAGS (or ITEMPROP, REL_TAG), in document order."""
        return self.index.get(tag, [])

    def itemprop(self, name: str) -> list:
        """Elements whose ``itemprop`` is ``name`` (``//*[@itemprop=name]``), in document order."""
        if self._itemprops is None:
            self._itemprops = {}
            for el in self.elements(ITEMPROP):
                self._itemprops.setdefault(el.get("itemprop"), []).append(el)
        return self._itemprops.get(name, [])

    def lines_in(self, element) -> list[Line]:
        """The lines produced inside ``element`` (a block's line belongs to the block)."""
        inside = set(element.iter())
        return [line for line in self.lines if line.element in inside]


def decode(data: bytes, *, fallback: str = "windows-1252", hint: str | None = None) -> str:
    """Bytes -> text: BOM, then valid UTF-8, then the HTTP or <meta> charset, then ``fallback``.

    A declared charset is only a hint: UTF-8 bytes declared as windows-1252 (a common
    mis-declaration) are still read as UTF-8, because random single-byte text is almost never
    valid UTF-8.

    >>> decode("Qalamoun – تموز".encode(), hint="windows-1252")
    'Qalamoun – تموز'
    >>> decode("تموز".encode("windows-1256") + b' <meta charset="windows-1256">')[:4]
    'تموز'
    """
    boms = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
    for bom, name in boms:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:4096])
    declared = meta.group(1).decode("ascii") if meta else None
    for candidate in (hint, declared, fallback):
        if candidate:
            try:
                codec = codecs.lookup(candidate).name
            except LookupError:
                continue
            if codec != "utf-8":
                return data.decode(codec, errors="replace")
    return data.decode(fallback, errors="replace")


def check_bytes(data: bytes) -> None:
    """Refuse what is not an HTML page, with a one-line reason."""
    if len(data) > MAX_BYTES:
        raise ExtractError(f"page too large: {len(data):,} bytes (limit {MAX_BYTES:,})")
    head = data[:1024].lstrip()
    if not head:
        raise ExtractError("empty page: no content")
    if head.startswith(_MAGICS):  # one C call for all of them; the loop names the kind
        kind = next(kind for magic, kind in _BINARY_MAGIC.items() if head.startswith(magic))
        raise ExtractError(f"binary content, not HTML: looks like a {kind}")
    if data.find(b"\x00", 0, 4096) >= 0 and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ExtractError("binary content, not HTML: NUL bytes in the first 4 KB")


def parse(html: bytes | str, *, fallback_encoding: str = "windows-1252") -> Document:
    """Parse a page into a :class:`Document`; raise :class:`ExtractError` for non-pages."""
    utf8 = None  # the page's own bytes, when they are UTF-8 and parsing them gives the same tree
    invisible = False  # the compiled module found characters strip_invisible removes in them
    if isinstance(html, bytes):
        check_bytes(html)
        if _c_walk is not None and not html.startswith(_BOMS):
            invisible = _c_walk.has_invisible_utf8(html)
            if not invisible and (plain := _parse_plain_utf8(html)) is not None:
                return plain
        decoded = None
        if not html.startswith(_BOMS):  # what decode() does first: valid UTF-8 is read as UTF-8
            with contextlib.suppress(UnicodeDecodeError):
                decoded, utf8 = html.decode("utf-8"), html
        if decoded is None:
            decoded = decode(html, fallback=fallback_encoding)
    else:
        check_bytes(html[:MAX_BYTES + 1].encode("utf-8", errors="replace"))
        decoded = html
    if utf8 is not None and _c_walk is not None:  # the bytes were asked (and are stripped): faster
        if invisible:
            utf8 = _c_walk.strip_invisible_utf8(utf8)
            decoded = utf8.decode("utf-8")
        visible = decoded
    else:
        visible = strip_invisible(decoded)
    text = _XML_DECLARATION.sub("", visible, count=1)
    if "\r" in text:  # str.replace copies the page even when there is nothing to replace
        text = text.replace("\r\n", "\n")
    if not text or text.isspace():  # (text.strip() would copy the page)
        raise ExtractError("empty page: only whitespace or control characters")
    if not _HAS_TAG.search(text, 0, 65536):
        # a bare text copy: keep its line structure
        text = "<html><body><pre>" + text.replace("&", "&amp;").replace("<", "&lt;") + "</pre></body></html>"
    # libxml2 reads UTF-8 bytes faster than a str (which it converts from UTF-16 or Latin-1
    # first): the bytes are parsed when nothing above changed the text decoded from them
    root = _parse_tree(utf8 if utf8 is not None and text is decoded else text)
    index: dict[str, list] = {}
    return Document(root=root, lines=linearize(root, index), _source=text, index=index)


def _parse_plain_utf8(data: bytes) -> Document | None:
    """The page parsed straight from its bytes (no byte order mark, no invisible character:
    ``parse`` has asked), when they are UTF-8 that ``parse`` would not change (no CR, no XML
    declaration, nor a non-ASCII character before the first tag, and a tag in the first 64 KB);
    else None.

    Nothing is decoded: libxml2 checks the UTF-8 as it parses (a page it finds invalid is
    parsed again the long way, which decodes it by its declared or the edition's charset), and
    the source text is decoded only if asked for."""
    if data.find(b"\r") >= 0 or _XML_LEAD.match(data) or _HAS_TAG_BYTES.search(data, 0, 65536) is None:
        return None
    parser = _parser(bytes)
    root = etree.fromstring(data, parser)
    if root is None or any(_needs_long_way(e) for e in parser.error_log):
        return None
    index: dict[str, list] = {}
    return Document(root=root, lines=linearize(root, index), _utf8=data, index=index)


def _needs_long_way(error) -> bool:
    """A parse error after which the page goes through ``parse``'s long way: bytes that are
    not UTF-8, which libxml2 reports as ERR_INVALID_ENCODING, or (libxml2 2.12, lxml 5.0) as
    ERR_INVALID_CHAR for a surrogate or a code point beyond U+10FFFF (that also catches control
    characters that are valid UTF-8: the long way gives them the same tree, only slower); and
    absurd nesting (which ``_parse_tree`` repairs)."""
    return (error.type_name in ("ERR_INVALID_ENCODING", "ERR_INVALID_CHAR") or error.domain_name == "ENCODING"
            or "UTF-8" in error.message or _too_deep(error))


def _too_deep(error) -> bool:
    """libxml2 gave up on a page's nesting (thousands of wrappers)."""
    return "Excessive depth" in error.message


def _parser(kind: type):
    """This thread's HTML parser for ``str`` or UTF-8 ``bytes`` input, made once: a parser
    costs several microseconds to make and can parse any number of pages in turn."""
    parser = getattr(_PARSERS, kind.__name__, None)
    if parser is None:
        # collect_ids=False: no table of id attributes (nothing here looks elements up by id)
        parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True,
                                  collect_ids=False, encoding="utf-8" if kind is bytes else None)
        setattr(_PARSERS, kind.__name__, parser)
    return parser


_PARSERS = threading.local()


def _parse_tree(page: str | bytes):
    parser = _parser(type(page))
    root = etree.fromstring(page, parser)
    if any(_too_deep(e) for e in parser.error_log):
        # absurd nesting (thousands of wrappers): collapse runs of bare tags, parse again
        text = page.decode("utf-8") if isinstance(page, bytes) else page
        text = _DEEP_CLOSE.sub("</div>", _DEEP_OPEN.sub("<div>", text))
        parser = _parser(str)
        root = etree.fromstring(text, parser)
    if root is None:
        raise ExtractError("not HTML: the parser found no document")
    return root


def is_hidden(element) -> bool:
    """The element is never shown: a ``hidden`` attribute or an inline ``display:none`` /
    ``visibility:hidden`` (a class-based rule in a stylesheet is not seen here).

    >>> from lxml import etree
    >>> pages = ('<p hidden="">x</p>', '<p style="color:red; DISPLAY: none !important">x</p>',
    ...          '<p style="Visibility:Hidden">x</p>', '<p style="display:block">x</p>')
    >>> [is_hidden(etree.fromstring(x)) for x in pages]
    [True, True, True, False]
    """
    attrib = element.attrib
    if "hidden" in attrib:
        return True
    style = attrib.get("style")
    if not style:
        return False
    style = style.lower()
    return ("none" in style or "hidden" in style) and bool(_HIDDEN_STYLE.search(style))


def text_of(element) -> str:
    """The text a reader sees inside an element: no script, style, template or comment
    text, nothing hidden.

    >>> from lxml import etree
    >>> text_of(etree.fromstring('<a>Sy<script>var x;</script>ria<!-- c --><b hidden="">X</b></a>'))
    'Syria'
    """
    if not len(element):
        return element.text or ""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag not in SKIP_TAGS and not is_hidden(child):
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Builder:
    """Accumulates inline text into lines while the tree is walked."""

    def __init__(self):
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.brs = 0  # <br>s seen since the last line was ended by a block boundary

    def end_line(self, marks: frozenset[str], element, block, *, by_br: bool = False) -> None:
        emitted = False
        if self.parts:
            raw = "".join(self.parts)
            text = collapse_whitespace(raw)
            if text:
                self.lines.append(Line(text, raw, self.links, marks, self.brs == 1, None, element, block))
                emitted = True
            self.parts, self.links = [], []
        if by_br:
            self.brs = 1 if emitted else self.brs + 1
        else:
            self.brs = 0


def linearize(root, index: dict[str, list] | None = None) -> list[Line]:
    """Visible lines in document order; ``index`` receives the elements of INDEXED_TAGS (see
    ``Document.index``). The compiled copy of :func:`linearize_python` does it when it is built
    (about 4x faster), the Python walk otherwise: both give the same lines and index.

    >>> from lxml import etree
    >>> index = {}
    >>> root = etree.fromstring("<html><head><title>T</title></head><body><p>One<br>two</p></body></html>",
    ...                         etree.HTMLParser())
    >>> [line.text for line in linearize(root, index)], [el.text for el in index["title"]]
    (['One', 'two'], ['T'])
    """
    if index is None:
        index = {}
    if _c_walk is not None:
        return _c_walk.linearize(root, index)
    return linearize_python(root, index)


def linearize_python(root, index: dict[str, list]) -> list[Line]:
    """The line walk in Python: the specification of ``_walk.linearize`` (its faster copy in C,
    which ``tests/test_walk.py`` holds to the same lines and index). An iterative walk: no
    recursion limit."""
    out = _Builder()
    marks_stack: list[frozenset[str]] = [frozenset()]
    push, pop = marks_stack.append, marks_stack.pop
    link_starts: list[int] = []
    skip, block, mark, images, hidden = SKIP_TAGS, BLOCK_TAGS, MARK_TAGS, IMAGE_TAGS, is_hidden
    blocks = [root]  # the open block elements, innermost last
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            _index(index, el)
            if tag in skip or not isinstance(tag, str) or (
                    (el.get("style") is not None or el.get("hidden") is not None) and hidden(el)):
                if len(el):  # <head>, a hidden block: what it holds is indexed all the same
                    for sub in el.iterdescendants():
                        _index(index, sub)
                walker.skip_subtree()
                push(marks_stack[-1])
                continue
            parent_marks = marks_stack[-1]
            marks = parent_marks | {tag} if tag in mark and not (tag == "form" and _holds_page(el)) else parent_marks
            push(marks)
            if tag in block:
                if out.parts:
                    out.end_line(parent_marks, el, blocks[-1])
                else:
                    out.brs = 0  # what end_line does when there is no text
                blocks.append(el)
            elif tag == "br":
                out.end_line(marks, el, blocks[-1], by_br=True)
            elif tag in images:
                out.end_line(marks, el, blocks[-1])
                src = _content_image_src(el)
                if src:
                    out.lines.append(Line("", "", [], marks, False, src, el, blocks[-1]))
            elif tag == "a":
                link_starts.append(len(out.parts))
            text = el.text
            if text:
                if "pre" in marks and "\n" in text:
                    _add_pre(out, text, marks, el, blocks[-1])
                else:
                    out.parts.append(text)
        else:  # end
            marks = pop()
            if tag == "a":
                if link_starts:
                    link_text = collapse_whitespace("".join(out.parts[link_starts.pop():]))
                    if link_text:
                        out.links.append((link_text, el.get("href") or ""))
            elif tag in block:
                if out.parts:
                    out.end_line(marks, el, el)
                else:
                    out.brs = 0
                if blocks[-1] is el:
                    blocks.pop()
            tail = el.tail
            if tail:
                if "pre" in marks_stack[-1] and "\n" in tail:
                    _add_pre(out, tail, marks_stack[-1], el, blocks[-1])
                else:
                    out.parts.append(tail)
    out.end_line(frozenset(), root, root)
    return out.lines


def _index(index: dict[str, list], el) -> None:
    """Put an element in the walk's index under its tag (INDEXED_TAGS), ITEMPROP, REL_TAG."""
    tag = el.tag
    if not isinstance(tag, str):
        return
    if tag in INDEXED_TAGS:
        index.setdefault(tag, []).append(el)
    if el.get("itemprop") is not None:
        index.setdefault(ITEMPROP, []).append(el)
    if tag == "a" and el.get("rel") == "tag":
        index.setdefault(REL_TAG, []).append(el)


def _holds_page(form) -> bool:
    """A form that wraps the page's text (ASP.NET wraps every page in one) is no furniture."""
    return len(form.findall(".//p")) >= FORM_PAGE_PARAGRAPHS


def _add_pre(out: _Builder, text: str, marks, el, block) -> None:
    """Preformatted text: every newline ends a line, like a <br>."""
    first, *rest = text.split("\n")
    out.parts.append(first)
    for piece in rest:
        out.end_line(marks, el, block, by_br=True)
        out.parts.append(piece)


def _content_image_src(img) -> str | None:
    """The source of an image worth a marker line, None for no source or an icon, a spacer, a
    thumbnail."""
    src = img.get("src") or img.get("data-src")
    if src and not S.not_content_image(src) and _big_enough(img, src):
        return src
    return None


def _big_enough(img, src: str) -> bool:
    """False for icons, spacers and related-article thumbnails: a declared or URL-encoded size
    under ``MIN_IMAGE_WIDTH`` x ``MIN_IMAGE_HEIGHT``."""
    in_url = S.SITE_IMAGE_SIZE.search(src)
    if in_url:
        width, height = in_url["width"], in_url["height"]
    else:
        width = (img.get("width") or "").strip().removesuffix("px")
        height = (img.get("height") or "").strip().removesuffix("px")
    if width.isdigit() and int(width) < S.MIN_IMAGE_WIDTH:
        return False
    return not (height.isdigit() and int(height) < S.MIN_IMAGE_HEIGHT)


if _c_walk is not None:
    _c_walk.setup(block=BLOCK_TAGS, skip=SKIP_TAGS, mark=MARK_TAGS, images=IMAGE_TAGS, indexed=INDEXED_TAGS,
                  itemprop=ITEMPROP, rel_tag=REL_TAG, line=Line, hidden=is_hidden,
                  form_page_paragraphs=FORM_PAGE_PARAGRAPHS, image_src_fn=_content_image_src)
    logger.debug("line walk: compiled (%s)", _c_walk.__file__)
else:
    logger.debug("line walk: Python (no compiled one: %s)", _c_walk_missing)
