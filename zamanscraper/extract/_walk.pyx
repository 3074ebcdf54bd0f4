# cython: language_level=3, boundscheck=False, cdivision=True
"""A faster copy of ``document.linearize_python`` (the specification): the same lines and index,
computed by one C walk over libxml2's nodes through lxml's public C API.

``document.linearize`` uses this module when it is built and falls back to the Python walk
otherwise; ``tests/test_walk.py`` checks that both give identical lines (every field, elements
by identity) and identical indexes. Any change to the Python walk must be made here too (that
test fails until it is). What the walk does, step by step, is documented in the Python code;
here are only the means:

- the walk emits the start/end events of ``etree.iterwalk`` (elements, comments, entity
  references and processing instructions), with text and tail read as lxml reads them (the run
  of text and CDATA nodes after the start of an element, or after its end);
- a line's raw text is gathered as UTF-8 bytes in one buffer (decoded once per line), with the
  offset where each part starts, so that a link start indexes parts exactly as the Python
  walk's ``len(out.parts)`` does (stale indices included);
- whitespace is collapsed (``" ".join(raw.split())``) on the UTF-8 bytes, with the 29
  characters ``str.isspace`` knows;
- marks are frozensets made once per (parent marks, tag) pair and kept alive by a module dict
  (the C stack borrows them); tag flags are looked up once per interned tag name, and both
  stay in module tables from page to page;
- ``has_invisible_utf8`` and ``strip_invisible_utf8`` do ``strip_invisible``'s work on a UTF-8
  page's bytes for ``document.parse`` (no part of the walk: here as this is the compiled module);
- ``is_hidden`` is pre-filtered in C (the Python function is called only when the style holds
  "none" or "hidden"), ``_holds_page`` is done in C; an image's source is asked of
  ``document._content_image_src``.
"""
from cpython.ref cimport PyObject
from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.stdlib cimport malloc, realloc, free
from libc.string cimport strcmp, memcpy, strlen
from lxml.includes cimport tree
from lxml.includes.tree cimport xmlNode, xmlAttr
cimport lxml.includes.etreepublic as cetree

cetree.import_lxml__etree()

cdef enum:
    F_BLOCK = 1
    F_SKIP = 2
    F_MARK = 4
    F_IMAGE = 8
    F_BR = 16
    F_A = 32
    F_FORM = 64
    F_INDEX = 128

#: tag name -> F_* flags (filled by setup)
cdef dict FLAGS = {}
cdef int FORM_PAGE_PARAGRAPHS = 5
cdef object Line = None
cdef object is_hidden = None
cdef object image_src = None
#: the index key of elements with an itemprop attribute (document.ITEMPROP)
cdef object ITEMPROP = None
#: the index key of links whose rel is "tag" (document.REL_TAG)
cdef object REL_TAG = None
cdef object EMPTY = frozenset()
#: (parent marks, tag) -> marks, and tag -> tag: keeps every marks frozenset and every tag name
#: the walk holds by pointer alive (they are borrowed on its C stack and in its slot tables)
cdef dict KEEP = {}
cdef dict HAS_PRE = {EMPTY: False}


def setup(*, block, skip, mark, images, indexed, itemprop, rel_tag, line, hidden, form_page_paragraphs,
          image_src_fn):
    """Take document.py's tables and helpers (called once, when document.py is imported).

    ``image_src_fn(el)``: the source of a content image, or None."""
    global Line, is_hidden, image_src, FORM_PAGE_PARAGRAPHS, ITEMPROP, REL_TAG
    ITEMPROP, REL_TAG = itemprop, rel_tag
    _clear_slots()
    FORM_PAGE_PARAGRAPHS = form_page_paragraphs
    FLAGS.clear()
    for tags, flag in ((block, F_BLOCK), (skip, F_SKIP), (mark, F_MARK), (images, F_IMAGE),
                       (indexed, F_INDEX), (("br",), F_BR), (("a",), F_A), (("form",), F_FORM)):
        for t in tags:
            FLAGS[t] = FLAGS.get(t, 0) | flag
    Line, is_hidden, image_src = line, hidden, image_src_fn


cdef inline bint _is_elem(xmlNode* c) noexcept nogil:
    # lxml's _isElement: element, comment, entity reference, processing instruction
    return (c.type == tree.XML_ELEMENT_NODE or c.type == tree.XML_COMMENT_NODE
            or c.type == tree.XML_ENTITY_REF_NODE or c.type == tree.XML_PI_NODE)


cdef inline bint _is_text(xmlNode* c) noexcept nogil:
    return c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE


cdef inline xmlNode* _first_elem(xmlNode* c) noexcept nogil:
    while c is not NULL and not _is_elem(c):
        c = c.next
    return c


cdef inline bint _has_word(const unsigned char* s, const char* w) noexcept nogil:
    """ASCII case-insensitive: does lowercase word w occur in s?"""
    cdef Py_ssize_t i = 0, j
    while s[i]:
        j = 0
        while w[j] and s[i + j] and (s[i + j] | 0x20) == <unsigned char>w[j]:
            j += 1
        if not w[j]:
            return True
        i += 1
    return False


cdef int _hidden(_Walk w, xmlNode* c) except -1:
    """document.is_hidden(el), calling it only where a hiding style is possible."""
    cdef xmlAttr* a = c.properties
    cdef xmlAttr* style = NULL
    while a is not NULL:
        if a.ns is NULL:
            if strcmp(<const char*>a.name, "hidden") == 0:
                return True
            if strcmp(<const char*>a.name, "style") == 0:
                style = a
        a = a.next
    if style is NULL or style.children is NULL:
        return False
    if style.children.next is NULL and style.children.type == tree.XML_TEXT_NODE:
        # style.lower() holds "none" or "hidden" only if the ASCII letters do
        if not (_has_word(style.children.content, "none") or _has_word(style.children.content, "hidden")):
            return False
    return bool(is_hidden(w.el(c)))


cdef inline xmlNode* _next_below(xmlNode* c, xmlNode* top) noexcept nogil:
    """The node after c in document order inside top's subtree (descending into elements only,
    as lxml's iterators do), NULL after the last one."""
    if c.type == tree.XML_ELEMENT_NODE and c.children is not NULL:
        return c.children
    while c.next is NULL:
        c = c.parent
        if c == top:
            return NULL
    return c.next


cdef bint _holds_page(xmlNode* form, int need) noexcept nogil:
    """len(form.findall(".//p")) >= need"""
    cdef xmlNode* c = form.children
    cdef int found = 0
    while c is not NULL:
        if c.type == tree.XML_ELEMENT_NODE and c.ns is NULL and strcmp(<const char*>c.name, "p") == 0:
            found += 1
            if found >= need:
                return True
        c = _next_below(c, form)
    return False


cdef inline xmlAttr* _attr(xmlNode* c, const char* name) noexcept nogil:
    """c's attribute ``name`` (no namespace), NULL when it has none."""
    cdef xmlAttr* a = c.properties
    while a is not NULL:
        if a.ns is NULL and strcmp(<const char*>a.name, name) == 0:
            return a
        a = a.next
    return NULL


cdef inline const char* _value(xmlAttr* a) noexcept nogil:
    """An attribute's value read in place ("" for none), NULL when it is more than one text node
    (only lxml can assemble that: libxml2's xmlFree is not exported by lxml)."""
    if a.children is NULL:
        return ""
    if a.children.next is NULL and a.children.type == tree.XML_TEXT_NODE:
        return <const char*>a.children.content
    return NULL


cdef bint _rel_is_tag(_Walk w, xmlNode* c) except -1:
    """el.get("rel") == "tag" """
    cdef xmlAttr* a = _attr(c, "rel")
    cdef const char* value
    if a is NULL:
        return False
    value = _value(a)
    if value is NULL:
        return w.el(c).get("rel") == "tag"
    return strcmp(value, "tag") == 0


cdef inline Py_ssize_t _ws(const unsigned char* s, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """Byte length of the whitespace character (str.isspace) at s[i], 0 if it is none."""
    cdef unsigned char b = s[i], b1, b2
    if b < 0x80:
        return 1 if (b == 0x20 or (0x09 <= b <= 0x0d) or (0x1c <= b <= 0x1f)) else 0
    if b == 0xC2:
        return 2 if i + 1 < n and (s[i + 1] == 0x85 or s[i + 1] == 0xA0) else 0
    if i + 2 >= n:
        return 0
    b1 = s[i + 1]
    b2 = s[i + 2]
    if b == 0xE1:
        return 3 if b1 == 0x9A and b2 == 0x80 else 0
    if b == 0xE2:
        if b1 == 0x80 and ((0x80 <= b2 <= 0x8A) or b2 == 0xA8 or b2 == 0xA9 or b2 == 0xAF):
            return 3
        return 3 if b1 == 0x81 and b2 == 0x9F else 0
    if b == 0xE3:
        return 3 if b1 == 0x80 and b2 == 0x80 else 0
    return 0


cdef unsigned char CLS[256]
for _b in range(256):
    CLS[_b] = 0
CLS[0x20] = 1
for _b in list(range(0x09, 0x0e)) + list(range(0x1c, 0x20)):
    CLS[_b] = 2
for _b in (0xC2, 0xE1, 0xE2, 0xE3):
    CLS[_b] = 3


cdef struct TagSlot:
    const unsigned char* name  # libxml2's interned name (lxml shares one dictionary per thread)
    const char* copy  # the name's text, kept by NAMES: a hit is checked against it
    int flags
    PyObject* tag


cdef struct UnionSlot:
    PyObject* parent
    PyObject* tag
    PyObject* result


#: tag name -> flags, and (parent marks, tag) -> marks: kept from page to page (every pointer in
#: them is kept alive by KEEP or NAMES; setup clears them)
cdef TagSlot SLOTS[128]
cdef UnionSlot USLOTS[64]
#: the name texts the tag slots point to
cdef dict NAMES = {}


cdef void _clear_slots() noexcept:
    cdef int i
    for i in range(128):
        SLOTS[i].name = NULL
        SLOTS[i].copy = NULL
        SLOTS[i].flags = 0
        SLOTS[i].tag = NULL
    for i in range(64):
        USLOTS[i].parent = NULL
        USLOTS[i].tag = NULL
        USLOTS[i].result = NULL


cdef class _Walk:
    cdef cetree._Document doc
    cdef list lines, links
    cdef dict index
    cdef int brs
    # the current line's raw text, UTF-8, and where each of its parts starts
    cdef char* buf
    cdef Py_ssize_t blen, bcap
    cdef Py_ssize_t* poff
    cdef Py_ssize_t nparts, pcap
    cdef xmlNode** blocks
    cdef Py_ssize_t nblocks, cap
    cdef char* out
    cdef Py_ssize_t ocap

    cdef str collapsed(self, Py_ssize_t start, str raw):
        """" ".join(text.split()) of buf[start:blen] (raw: that text decoded, or None)."""
        cdef const unsigned char* s = <const unsigned char*>self.buf + start
        cdef Py_ssize_t n = self.blen - start, i = 0, k, o = 0
        # lead: whitespace characters before the text, run: in the last run of whitespace
        cdef Py_ssize_t lead = 0, run = 0
        cdef bint changed = False, pending = False, run_changed = False, inner = False
        cdef unsigned char c
        if n > self.ocap:
            while n > self.ocap:
                self.ocap *= 2
            self.out = <char*>realloc(self.out, self.ocap)
            if self.out is NULL:
                raise MemoryError()
        while i < n:
            c = CLS[s[i]]
            if c == 0 or (c == 3 and _ws(s, i, n) == 0):
                if pending:
                    inner = inner or run_changed  # a run inside the text was not one space
                    self.out[o] = 0x20
                    o += 1
                    pending = False
                self.out[o] = s[i]
                o += 1
                i += 1
                continue
            k = 1 if c != 3 else _ws(s, i, n)
            if not (c == 1 and o and not pending):
                changed = True
            if o == 0:
                lead += 1
            elif pending:
                run += 1
                run_changed = True
            else:
                run = 1
                run_changed = c != 1
            pending = o > 0
            i += k
        if pending:
            changed = True  # trailing whitespace
        if not changed:
            return raw if raw is not None else PyUnicode_DecodeUTF8(<const char*>s, n, NULL)
        if raw is not None and not inner:  # only trimmed: a slice of raw, no second decoding
            return raw[lead:len(raw) - (run if pending else 0)]
        return PyUnicode_DecodeUTF8(self.out, o, NULL)

    cdef object union(self, PyObject* parent, PyObject* tag):
        """parent | {tag}, one frozenset per pair (kept alive by KEEP)."""
        cdef size_t h = ((<size_t>parent >> 4) ^ (<size_t>tag >> 3)) & 63
        cdef UnionSlot* u = NULL
        cdef int probe
        for probe in range(64):
            u = &USLOTS[h]
            if u.parent == parent and u.tag == tag:
                return <object>u.result
            if u.parent is NULL:
                break
            h = (h + 1) & 63
        else:
            u = NULL  # table full: no caching
        key = (<object>parent, <object>tag)
        marks = KEEP.get(key)
        if marks is None:
            marks = KEEP[key] = (<object>parent) | {<object>tag}
            HAS_PRE[marks] = "pre" in marks
        if u is not NULL:
            u.parent, u.tag, u.result = parent, tag, <PyObject*>marks
        return marks

    cdef inline object el(self, xmlNode* c):
        return cetree.elementFactory(self.doc, c)

    cdef int flags_of(self, xmlNode* c, PyObject** tag) except -1:
        cdef size_t h
        cdef TagSlot* s = NULL
        cdef int probe
        if c.ns is not NULL:
            tag[0] = NULL
            return 0
        h = (<size_t>c.name >> 4) & 127
        for probe in range(128):
            s = &SLOTS[h]
            if s.name == c.name:
                if strcmp(s.copy, <const char*>c.name) == 0:
                    tag[0] = s.tag
                    return s.flags
                break  # the address now holds another name: take the slot over
            if s.name is NULL:
                break
            h = (h + 1) & 127
        else:
            s = NULL  # table full: no caching
        raw = <bytes>(<char*>c.name)
        raw = NAMES.setdefault(raw, raw)
        name = raw.decode("utf-8")
        f = FLAGS.get(name, 0)
        if f & (F_MARK | F_INDEX):
            name = KEEP.setdefault(name, name)
            tag[0] = <PyObject*>name
        else:
            tag[0] = NULL
        if s is not NULL:
            s.name = c.name
            s.copy = <const char*>raw
            s.flags = f
            s.tag = tag[0]
        return f

    cdef int add_index(self, xmlNode* c, PyObject* tag) except -1:
        """index.setdefault(tag, []).append(el)"""
        found = self.index.get(<object>tag)
        if found is None:
            found = self.index[<object>tag] = []
        found.append(self.el(c))
        return 0

    cdef int index_element(self, xmlNode* c, int f, PyObject* tag) except -1:
        """document._index: by tag (INDEXED_TAGS), itemprop attribute (ITEMPROP), rel=tag (REL_TAG)."""
        if f & F_INDEX:
            self.add_index(c, tag)
        if c.properties is not NULL and _attr(c, "itemprop") is not NULL:
            self.add_index(c, <PyObject*>ITEMPROP)
        if f & F_A and c.properties is not NULL and _rel_is_tag(self, c):
            self.add_index(c, <PyObject*>REL_TAG)
        return 0

    cdef int index_below(self, xmlNode* top) except -1:
        """Index the descendants of a subtree the walk skips."""
        cdef xmlNode* c = top.children
        cdef PyObject* tag
        cdef int f
        while c is not NULL:
            if c.type == tree.XML_ELEMENT_NODE:
                f = self.flags_of(c, &tag)
                self.index_element(c, f, tag)
            c = _next_below(c, top)
        return 0

    cdef int push_block(self, xmlNode* c) except -1:
        if self.nblocks == self.cap:
            self.cap *= 2
            self.blocks = <xmlNode**>realloc(self.blocks, self.cap * sizeof(xmlNode*))
            if self.blocks is NULL:
                raise MemoryError()
        self.blocks[self.nblocks] = c
        self.nblocks += 1
        return 0

    cdef int new_part(self) except -1:
        if self.nparts == self.pcap:
            self.pcap *= 2
            self.poff = <Py_ssize_t*>realloc(self.poff, self.pcap * sizeof(Py_ssize_t))
            if self.poff is NULL:
                raise MemoryError()
        self.poff[self.nparts] = self.blen
        self.nparts += 1
        return 0

    cdef int put(self, const char* data, Py_ssize_t n) except -1:
        if self.blen + n > self.bcap:
            while self.blen + n > self.bcap:
                self.bcap *= 2
            self.buf = <char*>realloc(self.buf, self.bcap)
            if self.buf is NULL:
                raise MemoryError()
        memcpy(self.buf + self.blen, data, n)
        self.blen += n
        return 0

    cdef int end_line(self, marks, xmlNode* element, xmlNode* block, bint by_br) except -1:
        cdef bint emitted = False
        cdef str raw, text
        if self.nparts:
            raw = PyUnicode_DecodeUTF8(self.buf, self.blen, NULL)
            text = self.collapsed(0, raw)
            if text:
                self.lines.append(Line(text, raw, self.links, marks, self.brs == 1, None,
                                       self.el(element), self.el(block)))
                emitted = True
            self.nparts = 0
            self.blen = 0
            self.links = []
        if by_br:
            self.brs = 1 if emitted else self.brs + 1
        else:
            self.brs = 0
        return 0

    cdef int add_run(self, xmlNode* t, bint pre, marks, xmlNode* c) except -1:
        """The run of text nodes from t (an element's text or tail), as one part; in <pre>
        every newline ends a line like a <br> (document._add_pre)."""
        cdef xmlNode* n = t
        cdef Py_ssize_t start = self.blen, total = 0, i, j
        cdef bint has_nl = False
        cdef const char* s
        cdef Py_ssize_t k
        while n is not NULL and _is_text(n):
            k = strlen(<const char*>n.content)
            if k:
                if total == 0:
                    self.new_part()
                total += k
                self.put(<const char*>n.content, k)
            n = n.next
        if total == 0:
            return 0
        if not pre:
            return 0
        for i in range(start, self.blen):
            if self.buf[i] == b'\n':
                has_nl = True
                break
        if not has_nl:
            return 0
        text = PyUnicode_DecodeUTF8(self.buf + start, self.blen - start, NULL)
        self.blen = start
        self.nparts -= 1
        first, *rest = text.split("\n")
        b = first.encode("utf-8")
        self.new_part()
        self.put(b, len(b))
        for piece in rest:
            self.end_line(marks, c, self.blocks[self.nblocks - 1], True)
            b = piece.encode("utf-8")
            self.new_part()
            self.put(b, len(b))
        return 0


cdef object _href(_Walk w, xmlNode* c):
    """el.get("href"), or the empty string."""
    cdef xmlAttr* a = _attr(c, "href")
    cdef const char* value
    if a is NULL:
        return ""
    value = _value(a)
    if value is NULL:
        return w.el(c).get("href") or ""
    return value.decode("utf-8")


cdef unsigned char INV[256]
for _b in range(256):
    INV[_b] = 0
for _b in list(range(0x00, 0x09)) + list(range(0x0e, 0x1c)) + [0x7f]:
    INV[_b] = 1  # a character processors.strip_invisible removes, alone
for _b in (0xC2, 0xD8, 0xE2, 0xEF):
    INV[_b] = 2  # the lead byte of some it removes


def has_invisible_utf8(bytes data not None):
    """Would processors.strip_invisible change the text of these (valid) UTF-8 bytes? One
    pass over the bytes, several times faster than the regex over the text it spares
    document.parse; a lead byte never occurs inside another character's bytes."""
    cdef const unsigned char* s = data
    cdef Py_ssize_t n = len(data), i
    for i in range(n):
        if INV[s[i]] and _invisible_at(s, i, n):
            return True
    return False


cdef Py_ssize_t _invisible_at(const unsigned char* s, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """The byte length of the character at s[i] if strip_invisible removes it, else 0
    (s is valid UTF-8)."""
    cdef unsigned char b = s[i], b1, b2
    if INV[b] == 0:
        return 0
    if INV[b] == 1:
        return 1
    b1 = s[i + 1] if i + 1 < n else 0
    b2 = s[i + 2] if i + 2 < n else 0
    if b == 0xC2:
        return 2 if (0x80 <= b1 <= 0x84) or (0x86 <= b1 <= 0x9F) else 0
    if b == 0xD8:
        return 2 if b1 == 0x9C else 0
    if b == 0xE2:
        if b1 == 0x80 and (b2 == 0x8B or b2 == 0x8E or b2 == 0x8F or 0xAA <= b2 <= 0xAE):
            return 3
        return 3 if b1 == 0x81 and 0xA6 <= b2 <= 0xA9 else 0
    return 3 if b1 == 0xBB and b2 == 0xBF else 0  # 0xEF: U+FEFF


def strip_invisible_utf8(bytes data not None):
    """processors.strip_invisible on valid UTF-8 bytes, giving bytes: the page stays bytes
    for the parser (faster than a str) and the regex over the text is spared."""
    cdef const unsigned char* s = data
    cdef Py_ssize_t n = len(data), i = 0, o = 0, k
    cdef char* out = <char*>malloc(n + 1)
    if out is NULL:
        raise MemoryError()
    try:
        while i < n:
            k = _invisible_at(s, i, n)
            if k:
                i += k
            else:
                out[o] = s[i]
                o += 1
                i += 1
        return out[:o]
    finally:
        free(out)


def linearize(root, dict index not None):
    """document.linearize_python(root, index), in C."""
    cdef cetree._Element r = root
    cdef _Walk w = _Walk()
    cdef xmlNode* top = r._c_node
    cdef xmlNode* c = top
    cdef xmlNode* nxt
    cdef PyObject* tagp
    cdef PyObject** mstack
    cdef int* fstack
    cdef Py_ssize_t depth = 0, scap = 64, start
    cdef int f
    cdef bint descend, finished = False
    cdef list link_starts = []
    w.doc = r._doc
    w.index = index
    w.lines, w.links = [], []
    w.brs = 0
    w.cap = w.pcap = 64
    w.bcap = 4096
    w.blocks = <xmlNode**>malloc(w.cap * sizeof(xmlNode*))
    w.poff = <Py_ssize_t*>malloc(w.pcap * sizeof(Py_ssize_t))
    w.buf = <char*>malloc(w.bcap)
    w.ocap = 4096
    w.out = <char*>malloc(w.ocap)
    w.blen = w.nparts = w.nblocks = 0
    # marks per open element, index depth + 1 (index 0: the empty marks above the root)
    mstack = <PyObject**>malloc((scap + 1) * sizeof(PyObject*))
    fstack = <int*>malloc((scap + 1) * sizeof(int))
    try:
        if w.blocks is NULL or w.poff is NULL or w.buf is NULL or w.out is NULL or mstack is NULL or fstack is NULL:
            raise MemoryError()
        mstack[0] = <PyObject*>EMPTY
        w.push_block(top)
        while True:
            # ---- start event for c (at depth; its marks go to mstack[depth + 1])
            if depth + 2 >= scap:
                scap *= 2
                mstack = <PyObject**>realloc(mstack, (scap + 1) * sizeof(PyObject*))
                fstack = <int*>realloc(fstack, (scap + 1) * sizeof(int))
                if mstack is NULL or fstack is NULL:
                    raise MemoryError()
            descend = False
            parent_marks = <object>mstack[depth]
            if c.type != tree.XML_ELEMENT_NODE:
                f = 0
                mstack[depth + 1] = mstack[depth]
            else:
                f = w.flags_of(c, &tagp)
                w.index_element(c, f, tagp)
                if f & F_SKIP or (c.properties is not NULL and _hidden(w, c)):
                    if c.children is not NULL:
                        w.index_below(c)
                    mstack[depth + 1] = mstack[depth]
                else:
                    descend = True
                    if f & F_MARK and not (f & F_FORM and _holds_page(c, FORM_PAGE_PARAGRAPHS)):
                        marks = w.union(mstack[depth], tagp)
                    else:
                        marks = parent_marks
                    mstack[depth + 1] = <PyObject*>marks
                    if f & F_BLOCK:
                        if w.nparts:
                            w.end_line(parent_marks, c, w.blocks[w.nblocks - 1], False)
                        else:
                            w.brs = 0
                        w.push_block(c)
                    elif f & F_BR:
                        w.end_line(marks, c, w.blocks[w.nblocks - 1], True)
                    elif f & F_IMAGE:
                        w.end_line(marks, c, w.blocks[w.nblocks - 1], False)
                        src = image_src(w.el(c))
                        if src:
                            w.lines.append(Line("", "", [], marks, False, src, w.el(c),
                                                w.el(w.blocks[w.nblocks - 1])))
                    elif f & F_A:
                        link_starts.append(w.nparts)
                    if c.children is not NULL and _is_text(c.children):
                        w.add_run(c.children, HAS_PRE[marks], marks, c)
            fstack[depth] = f
            if descend:
                nxt = _first_elem(c.children)
                if nxt is not NULL:
                    c = nxt
                    depth += 1
                    continue
            # ---- end events, climbing
            while True:
                f = fstack[depth]
                marks = <object>mstack[depth + 1]
                if f & F_A:
                    if link_starts:
                        start = link_starts.pop()
                        if start < w.nparts:
                            link_text = w.collapsed(w.poff[start], None)
                            if link_text:
                                w.links.append((link_text, _href(w, c)))
                elif f & F_BLOCK:
                    if w.nparts:
                        w.end_line(marks, c, c, False)
                    else:
                        w.brs = 0
                    if w.blocks[w.nblocks - 1] == c:
                        w.nblocks -= 1
                if c.next is not NULL and _is_text(c.next):
                    pm = <object>mstack[depth]
                    w.add_run(c.next, HAS_PRE[pm], pm, c)
                if c == top:
                    finished = True
                    break
                nxt = _first_elem(c.next)
                if nxt is not NULL:
                    c = nxt
                    break
                c = c.parent
                depth -= 1
            if finished:
                break
        w.end_line(EMPTY, top, top, False)
        return w.lines
    finally:
        free(mstack)
        free(fstack)
        free(w.blocks)
        free(w.poff)
        free(w.buf)
        free(w.out)
