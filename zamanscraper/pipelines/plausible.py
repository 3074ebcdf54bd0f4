"""The last net before a record is written: a record must look like an article, not like a page
that only pretends to be one.

``pagekind`` stops challenge, login, error and listing pages before extraction; this pipeline
catches what still gets through, with a reason each:

* a headline that is a host name or URL (``en.zamanalwsl.net``: the title of a challenge page)
  or a page-kind title sign ("Just a moment...", "Page not found");
* a body that is challenge text (two or more of ``pagekind.CHALLENGE_TEXT``'s phrases);
* a body that is not prose: fewer than ``ZAMAN_MIN_BODY_WORDS`` words in all, or no sentence
  (a paragraph of at least ``SENTENCE_WORDS`` words ending in sentence punctuation, or of at
  least ``LONG_PARAGRAPH_WORDS`` words). Text written without spaces counts a word per
  ``CHARS_PER_WORD`` characters.

Runs after ``ValidatePipeline`` (the schema holds, so the fields have their types) and before
``DedupePipeline``. Drops raise :class:`ImplausibleItem` (stage ``validate``, ``reasons``), which
the rejects extension writes; stat ``zaman/items/implausible``.
"""

from __future__ import annotations

import re

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from zamanscraper.extract.pagekind import CHALLENGE_TEXT, found, title_sign

#: default of ZAMAN_MIN_BODY_WORDS: a body with fewer words in all is not an article
MIN_BODY_WORDS = 8
#: a sentence: a paragraph of at least this many words ending in . ! ? … ؟ (quotes may follow)
SENTENCE_WORDS = 6
#: a paragraph this long counts as prose even without sentence punctuation
LONG_PARAGRAPH_WORDS = 20
HOST_NAME = re.compile(r"^(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:/\S*)?$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…؟][\"'”’»)\]]*(?:\s|$)|[。！？]")
#: characters per word, for scripts written without spaces (Chinese, Japanese)
CHARS_PER_WORD = 6


def word_count(text: str) -> int:
    """Words of ``text``; for text written without spaces, its length over ``CHARS_PER_WORD``.

    >>> word_count("Home News Opinion")
    3
    >>> word_count("先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで逮捕。")
    6
    """
    return max(len(text.split()), len(text) // CHARS_PER_WORD)


class ImplausibleItem(DropItem):
    """A record that does not look like an article; ``reasons`` says why."""

    stage = "validate"

    def __init__(self, reasons: list[str]):
        super().__init__("implausible record: " + "; ".join(reasons))
        self.reasons = list(reasons)


def is_prose(paragraphs: list[str]) -> bool:
    """True when some paragraph is a sentence or long.

    >>> is_prose(["The council opened a new water station in Azaz on Sunday."])
    True
    >>> is_prose(["Home", "News", "Opinion", "Archive"])
    False
    >>> is_prose(["افتتح المجلس المحلي في اعزاز محطة مياه جديدة يوم الأحد."])
    True
    """
    for text in paragraphs:
        words = word_count(text)
        if words >= LONG_PARAGRAPH_WORDS or (words >= SENTENCE_WORDS and SENTENCE_END.search(text)):
            return True
    return False


def problems(record: dict, min_words: int = MIN_BODY_WORDS) -> list[str]:
    """Why ``record`` is not plausibly an article ([] when it is).

    >>> problems({"headline": "en.zamanalwsl.net", "body_paragraphs": [
    ...     "Checking your browser before accessing en.zamanalwsl.net.",
    ...     "This process is automatic. Your browser will redirect to your requested content shortly.",
    ...     "DDoS protection by Cloudflare", "Ray ID: 7f3a9b2c1d0e4f56"]})
    ... # doctest: +NORMALIZE_WHITESPACE
    ["headline is a host name: 'en.zamanalwsl.net'",
     "body is WAF challenge text ('checking your browser', 'ray id', 'ddos protection by')"]
    >>> problems({"headline": "Page not found", "body_paragraphs": ["Home", "Search"]})
    ... # doctest: +NORMALIZE_WHITESPACE
    ["headline is a page title, not an article's: 'Page not found' (error)",
     'body has 2 words (fewer than 8)', 'body has no sentence']
    >>> problems({"headline": "Local council in Azaz opens new water station", "body_paragraphs": [
    ...     "The local council in Azaz opened a new water station on Sunday, officials said."]})
    []
    """
    reasons = []
    headline = record.get("headline")
    if isinstance(headline, str):
        sign = title_sign(headline)
        if HOST_NAME.match(headline.strip()):
            reasons.append(f"headline is a host name: {headline!r}")
        elif sign is not None:
            reasons.append(f"headline is a page title, not an article's: {headline!r} ({sign[0]})")
    body = [p for p in record.get("body_paragraphs") or () if isinstance(p, str)]
    if not body:
        return reasons  # an empty body is the schema's to report
    challenge = found(CHALLENGE_TEXT, " ".join(body).lower())
    if len(challenge) >= 2:
        reasons.append("body is WAF challenge text (" + ", ".join(repr(c) for c in challenge[:3]) + ")")
        return reasons
    words = sum(word_count(p) for p in body)
    if words < min_words:
        reasons.append(f"body has {words} words (fewer than {min_words})")
    if not is_prose(body):
        reasons.append("body has no sentence")
    return reasons


class PlausiblePipeline:
    def __init__(self, stats=None, min_words: int = MIN_BODY_WORDS):
        self.stats = stats
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.getint("ZAMAN_MIN_BODY_WORDS", MIN_BODY_WORDS))

    def process_item(self, item):
        reasons = problems(ItemAdapter(item).asdict(), self.min_words)
        if reasons:
            if self.stats is not None:
                self.stats.inc_value("zaman/items/implausible")
            raise ImplausibleItem(reasons)
        return item
