"""Compact in-memory sets and maps keyed on ``(edition, article_id)``, flat across long crawls.

A crawl keeps one entry per article in several places (the output's index of what it holds,
the dedupe pipeline, the duplicate filter). As Python objects, a ``(str, int)`` tuple in a set
costs about 110 bytes and a tuple mapped to a hex digest about 200: 10-20 MB per 100,000
articles each, growing all crawl long. Article ids are dense small numbers, so here they are
blocks of bits (:class:`ArticleSet`, 1 bit an id) or of 8-byte digests (:class:`ArticleDigests`,
8 bytes an id), allocated per edition and block of ``BLOCK`` ids as ids arrive.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable

#: ids per block (a block costs BLOCK / 8 bytes in an ArticleSet, BLOCK * 8 in ArticleDigests)
BLOCK = 4096
_MASK = (1 << 64) - 1


def article_slot(key: Hashable) -> tuple[tuple[str, int], int] | None:
    """``((edition, block), index)`` of an article key; None when it is not ``(str, int)``.

    >>> article_slot(("en", 4097)), article_slot(("ar", 5)), article_slot(("en", "5"))
    ((('en', 1), 1), (('ar', 0), 5), None)
    """
    if not isinstance(key, tuple) or len(key) != 2:
        return None
    edition, article_id = key
    if not isinstance(edition, str) or not isinstance(article_id, int) or isinstance(article_id, bool):
        return None
    block, index = divmod(article_id, BLOCK)
    return (edition, block), index


def digest64(hexdigest: str) -> int:
    """A hex digest as a non-zero 64-bit number (its first 16 hex digits; 0 means "none").

    >>> digest64("00000000000000000abc"), digest64("ffffffffffffffff12")
    (1, 18446744073709551615)
    """
    return int(hexdigest[:16], 16) & _MASK or 1


class ArticleSet:
    """A set of article keys: 1 bit an id in blocks; any other key in a plain set.

    >>> s = ArticleSet()
    >>> s.add(("en", 5)); s.add(("en", 5)); s.add(("ar", 10**9)); s.add((None, None))
    >>> ("en", 5) in s, ("ar", 5) in s, (None, None) in s, len(s)
    (True, False, True, 3)
    """

    def __init__(self) -> None:
        self._blocks: dict[tuple[str, int], bytearray] = {}
        self._other: set = set()
        self._len = 0

    def __contains__(self, key: Hashable) -> bool:
        slot = article_slot(key)
        if slot is None:
            return key in self._other
        bits = self._blocks.get(slot[0])
        return bits is not None and bool(bits[slot[1] >> 3] & (1 << (slot[1] & 7)))

    def add(self, key: Hashable) -> None:
        slot = article_slot(key)
        if slot is None:
            if key not in self._other:
                self._other.add(key)
                self._len += 1
            return
        bits = self._blocks.get(slot[0])
        if bits is None:
            bits = self._blocks[slot[0]] = bytearray(BLOCK // 8)
        byte, bit = slot[1] >> 3, 1 << (slot[1] & 7)
        if not bits[byte] & bit:
            bits[byte] |= bit
            self._len += 1

    def __len__(self) -> int:
        return self._len


class ArticleDigests:
    """Article key -> content digest (:func:`digest64` of a hex digest): 8 bytes an id in
    blocks; keys that are not ``(str, int)`` in a plain dict.

    >>> d = ArticleDigests()
    >>> d[("en", 5)] = "ab12cd34ef56ab12cd34ef56"; d[("x", 1)] = "ff"
    >>> d.holds(("en", 5)), d.holds(("en", 5), "ab12cd34ef56ab12cd34ef56"), d.holds(("en", 5), "00")
    (True, True, False)
    >>> d.holds(("en", 6)), d.holds(("x", 1), "ff"), len(d)
    (False, True, 2)
    """

    def __init__(self) -> None:
        self._blocks: dict[tuple[str, int], array] = {}
        self._other: dict = {}
        self._len = 0

    def _get(self, key: Hashable) -> int:
        slot = article_slot(key)
        if slot is None:
            return self._other.get(key, 0)
        block = self._blocks.get(slot[0])
        return block[slot[1]] if block is not None else 0

    def holds(self, key: Hashable, hexdigest: str | None = None) -> bool:
        """Whether ``key`` is held (with that digest when one is given)."""
        held = self._get(key)
        return held != 0 and (hexdigest is None or held == digest64(hexdigest))

    def __setitem__(self, key: Hashable, hexdigest: str) -> None:
        value = digest64(hexdigest)
        slot = article_slot(key)
        if slot is None:
            self._len += key not in self._other
            self._other[key] = value
            return
        block = self._blocks.get(slot[0])
        if block is None:
            block = self._blocks[slot[0]] = array("Q", bytes(BLOCK * 8))
        self._len += block[slot[1]] == 0
        block[slot[1]] = value

    def __len__(self) -> int:
        return self._len
