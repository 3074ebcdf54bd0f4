"""Small pure text functions: Unicode cleaning and whitespace, shared by extraction and pipelines."""

from __future__ import annotations

import re
import unicodedata

#: bidi controls: LRM, RLM, ALM, embeddings/overrides, isolates
BIDI_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: C0/C1 controls except tab/newline/CR, plus zero-width space/BOM and the bidi controls
_STRIP = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff" + BIDI_MARKS + "]"
)
#: Arabic-Indic and Eastern Arabic-Indic digits -> ASCII (for parsing only; text keeps them)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER = re.compile("[A-Za-z]")


def strip_controls(text: str) -> str:
    """Remove control characters, zero-width spaces and bidi marks; keep tab/newline.

    >>> strip_controls("a\\x00b\\u200fc\\u202bd\\u202c\\tz")
    'abcd\\tz'
    """
    return _STRIP.sub("", text)


def collapse(text: str) -> str:
    """Collapse every whitespace run (NBSP and newlines included) to one space and trim.

    >>> collapse("  a\\u00a0\\u00a0b\\n c  ")
    'a b c'
    """
    return " ".join(text.split())  # str.split() splits on every Unicode space, in C


def clean(text: str | None) -> str | None:
    """NFC, no controls or bidi marks, whitespace collapsed; None for nothing left.

    Arabic is kept exactly as written: tatweel and diacritics stay.

    >>> clean("  \\u200fالســوريّ\\u00a0 \\u0661\\u0662  ")
    'الســوريّ ١٢'
    >>> clean(" \\x07 ") is None
    True
    >>> clean("Cafe\\u0301")
    'Café'
    """
    if text is None:
        return None
    text = collapse(strip_controls(unicodedata.normalize("NFC", text)))
    return text or None


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
    """
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if arabic == latin == 0:
        return None
    return "ar" if arabic > latin else "en"
