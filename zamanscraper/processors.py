"""Small pure text functions: Unicode normalization, invisible marks, whitespace, digits.

Used by the extractor on every value it reads and by the clean pipeline on every text field.
All are pure and fast (one compiled regex or ``str.split``), and keep Arabic text exactly as
printed: no transliteration, no removal of harakat or tatweel.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: bidi control marks: LRM, RLM, ALM, LRE..RLO (U+202A-U+202E), LRI..PDI (U+2066-U+2069)
BIDI_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: what strip_invisible removes: bidi marks, zero-width space, BOM, and the C0/C1 control
#: characters that are not whitespace (whitespace is collapsed, not removed)
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x7f\x80-\x84\x86-\x9f\u200b\ufeff" + BIDI_MARKS + "]")
#: Arabic-Indic and Eastern Arabic-Indic digits -> ASCII (for parsing only; text keeps them)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
#: runs of letters (counted by their lengths: one match a word, not one a letter)
_ARABIC_LETTERS = re.compile("[\u0621-\u064a\u0671-\u06d3]+")
#: how many characters of a text script_of reads
SCRIPT_SAMPLE = 400
_LATIN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ARABIC_LEAD_BYTES = b"\xd8\xd9\xda\xdb"


def strip_invisible(text: str) -> str:
    """Remove bidi marks, zero-width spaces, BOMs and non-whitespace control characters.

    >>> strip_invisible("\\u200fزمان\\u200e الوصل\\x00")
    'زمان الوصل'
    >>> strip_invisible("a\\u202bb\\u2067c\\u2069\\x07d\\te")
    'abcd\\te'
    >>> strip_invisible("keep\\u200cZWNJ and tatweel ـ")
    'keep\\u200cZWNJ and tatweel ـ'
    """
    return _INVISIBLE.sub("", text)


def collapse_whitespace(text: str) -> str:
    """Every run of whitespace (Unicode: NBSP, tabs, line breaks…) becomes one space; ends trimmed.

    >>> collapse_whitespace("  Russia\\u00a0to\\n\\tbroker   deal ")
    'Russia to broker deal'
    """
    return " ".join(text.split())


def clean_text(text: str | None) -> str | None:
    """NFC, invisible marks removed, whitespace collapsed; ``None`` when nothing is left.

    >>> clean_text("  \\u200f(Zaman Al Wasl)-\\r\\n The committee ")
    '(Zaman Al Wasl)- The committee'
    >>> clean_text("e\\u0301te\\u0301")  # NFC composes
    'été'
    >>> clean_text("  \\u200fالســوريّ\\u00a0 \\u0661\\u0662  ")  # tatweel, shadda, digits kept
    'الســوريّ ١٢'
    >>> clean_text(" \\u200e ") is None, clean_text(None) is None
    (True, True)
    """
    if text is None:
        return None
    printable = text.isprintable()  # no control or format character (all of _INVISIBLE is one)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not printable:
        text = _INVISIBLE.sub("", text)
    elif "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text or None  # printable: its only whitespace is the space, here already single
    return " ".join(text.split()) or None  # collapse_whitespace


def clean_list(values: Iterable[str | None]) -> list[str]:
    """:func:`clean_text` on each entry; empty entries dropped, order kept.

    >>> clean_list([" Syria ", "", None, "\\u200f", "Qalamoun"])
    ['Syria', 'Qalamoun']
    """
    return [c for c in (clean_text(v) for v in values) if c is not None]


def ascii_digits(text: str) -> str:
    """Arabic-Indic digits as ASCII digits (for parsing numbers and dates only).

    >>> ascii_digits("٢٠١٧-٠٧-١٧ ۰۲")
    '2017-07-17 02'
    """
    return text.translate(_DIGITS)


def script_of(text: str) -> str | None:
    """``"ar"`` when Arabic letters outnumber Latin ones, ``"en"`` for the reverse, else None.

    >>> script_of("قال المصدر ISIS"), script_of("The source said"), script_of("2017")
    ('ar', 'en', None)
    >>> script_of("قال المصدر"), script_of("٢٠١٧، ١٢")  # Arabic digits and comma are no letters
    ('ar', None)
    """
    text = text[:SCRIPT_SAMPLE]  # a few sentences tell the script; bounded on long bodies
    data = text.encode()  # counted on UTF-8 bytes with bytes.translate: no regex scan
    latin = len(data) - len(data.translate(None, _LATIN_BYTES))
    # every Arabic letter's UTF-8 starts with one of these bytes: a bound, exact when it decides
    bound = len(data) - len(data.translate(None, _ARABIC_LEAD_BYTES))
    if bound <= latin:
        return "en" if latin else None
    if not latin:  # one Arabic letter decides: no need to count them
        return "ar" if _ARABIC_LETTERS.search(text) else None
    arabic = sum(map(len, _ARABIC_LETTERS.findall(text)))
    if arabic == latin == 0:
        return None
    return "ar" if arabic > latin else "en"
