"""Every selector and text pattern extraction uses, named by what it finds.

The site's real markup is unknown (see ``shared/site/NOTES.md``), so the XPath selectors here
are the structural ones any news template tends to share (schema.org microdata, HTML5
sectioning); the text patterns encode what the site is known to print, in reading order.
Change a site fact here, and only here.
"""

from __future__ import annotations

import re
from functools import lru_cache

# --- selector layer: tried in order, first non-empty result wins ----------------------------
# Each is a function of the Document, named by the XPath it stands for; the elements come from
# the index the line walk builds (``Document.elements``, ``Document.itemprop``), as an XPath
# over the whole tree costs as much as a third of the parse on a small page.

#: keys of the walk's element index besides tag names (``Document.elements``): the elements
#: with an ``itemprop`` attribute, and the links whose ``rel`` is ``tag`` (not every link: a
#: page has dozens, and each indexed element costs a Python object)
ITEMPROP, REL_TAG = "@itemprop", "a[rel=tag]"


def _in_article(el) -> bool:
    return next(el.iterancestors("article"), None) is not None


def _links_under(containers) -> list:
    """``<a>`` descendants of ``containers``, once each, in document order."""
    return list(dict.fromkeys(a for el in containers for a in el.iterdescendants("a")))


HEADLINE_SELECTORS = (
    lambda doc: doc.itemprop("headline"),  # //*[@itemprop='headline']
    lambda doc: [h for h in doc.elements("h1") if _in_article(h)],  # //article//h1
)
BODY_CONTAINER_SELECTORS = (lambda doc: doc.itemprop("articleBody"),)  # //*[@itemprop='articleBody']
KEYWORD_SELECTORS = (
    lambda doc: doc.elements(REL_TAG),  # //a[@rel='tag']
    lambda doc: _links_under(doc.itemprop("keywords")),  # //*[@itemprop='keywords']//a
)
COMMENT_COUNT_SELECTORS = (
    # //*[@itemprop='commentCount']/@content, then the element's text
    lambda doc: [v for el in doc.itemprop("commentCount") if (v := el.get("content")) is not None],
    lambda doc: doc.itemprop("commentCount"),
)


def times(doc) -> list:
    """``//time[@datetime]``"""
    return [el for el in doc.elements("time") if el.get("datetime") is not None]


def titles(doc) -> list:
    """``//title``: the page's own titles, evidence for a headline placed by text anchors"""
    return doc.elements("title")


def h1s(doc) -> list:
    """``//h1``"""
    return doc.elements("h1")


#: what separates a headline from the site name in a <title>
TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*[|｜]\s*")

# --- metadata layer ---------------------------------------------------------------------------


def json_ld_texts(doc) -> list[str]:
    """``//script[@type='application/ld+json']/text()``"""
    return [el.text for el in doc.elements("script") if el.get("type") == "application/ld+json" and el.text]


ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
                 "OpinionNewsArticle", "BlogPosting", "WebPage"}
#: <meta> names and properties, in lower case (metadata._meta_tags lowers the page's)
META_HEADLINE = ("og:title", "twitter:title")
META_PUBLISHED = ("article:published_time", "og:published_time", "datepublished", "pubdate")
META_IMAGE = ("og:image", "og:image:url", "twitter:image")
META_KEYWORDS = ("news_keywords",)
#: site names appended to titles: "Headline - Zaman Al Wasl", "Headline | زمان الوصل"
TITLE_SUFFIX = re.compile(
    r"\s*[-|–—:]\s*(?:Zaman\s+(?:al|Al|A)[- ]?Wasl|زمان\s+الوصل|zamanalwsl(?:\.net)?)\s*$",
    re.IGNORECASE,
)

#: a title that names only the site (no headline in it)
SITE_NAME = re.compile(
    r"^\s*(?:Zaman\s+(?:al|Al|A)[- ]?Wasl|زمان\s+الوصل|(?:en\.|www\.)?zamanalwsl(?:\.net)?)\s*$", re.I
)

# --- text layer: anchors in the visible text ---------------------------------------------------
#: ticker label, top form "Latest News: ..." and bottom form "... :Latest News".
#: Rule: the items are the label's own links/pieces or the run of sibling lines after it; a
#: label alone on its line (even split over inline tags) is never itself an item.
TICKER_LABEL = re.compile(r"^(?:Latest\s+News|آخر\s+الأخبار|أخبار\s+عاجلة)\s*(?:[:：]\s*|$)", re.I)
TICKER_LABEL_END = re.compile(r"\s*[:：]\s*(?:Latest\s+News|آخر\s+الأخبار|أخبار\s+عاجلة)$", re.I)
#: how a text matching TICKER_LABEL starts and one matching TICKER_LABEL_END ends (the Latin
#: words compared casefolded: re.I lets only their cases and ``ſ`` for ``s`` match)
_TICKER_STARTS, _TICKER_ENDS = ("آخر", "أخبار"), ("الأخبار", "عاجلة")
#: first and last characters of those words (``ſ``: re.I matches it for ``s``), tested first
TICKER_FIRST, TICKER_LAST = ("L", "l", "آ", "أ"), ("s", "S", "ſ", "ر", "ة")
#: how far from the end of a collapsed line text (single spaces) TICKER_LABEL_END can start
TICKER_LABEL_END_SPAN = 16


def may_start_ticker_label(text: str) -> bool:
    """A cheap test a text passes before ``TICKER_LABEL.match`` is asked (almost none does).

    >>> may_start_ticker_label("LATEST news:"), may_start_ticker_label("Later that day")
    (True, False)
    """
    return text.startswith(TICKER_FIRST) and (text[:6].casefold() == "latest" or text.startswith(_TICKER_STARTS))


def may_end_ticker_label(text: str) -> bool:
    """The same before ``TICKER_LABEL_END.search``.

    >>> may_end_ticker_label("Headline :Latest News"), may_end_ticker_label("He reads the news.")
    (True, False)
    """
    return text.endswith(TICKER_LAST) and (text[-4:].casefold() == "news" or text.endswith(_TICKER_ENDS))


#: how headlines of a text-only ticker are separated: runs of spaces or NBSP, tabs
TICKER_SPLIT = re.compile(r"\s{2,}|[\u00a0\u2007\u202f]+\s*|\t+")
#: weaker separators, each tried alone and in this order, only when no run of spaces
#: separates anything (a headline may itself hold "|", so " / " is tried before bars)
TICKER_SPLIT_WEAK = (
    re.compile(r"\s+/\s+"),
    re.compile(r"\s*[•·◄►▪■◆♦»«]+\s*"),
    re.compile(r"\s*\|+\s*"),
)
#: what is left between two separators that is no headline
TICKER_NOISE = re.compile(r"^[|•·◄►▪■◆♦»«/\-–—:]*$")
#: what stands beside a date but is no category: a byline ("by Catherine", "BY: Beachbody",
BYLINE_CATEGORY = re.compile(
    r"^(?:by|posted\s+by|written\s+by|von|par|por|di|door|av|af)\b|^\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?$", re.I
)  # a byline in several languages, or a time of day ("July 25, 2019 | 11:15 PM")
#: lines only this site prints above an article: its tagline, its search box's placeholder
#: (reading-order evidence for a doubled headline without a date line)
SITE_MASTHEAD = re.compile(
    r"Fathi Ibrahim Bayoud|فتحي إبراهيم بيوض|^Search For Keyword\.?$|^أدخل كلمات البحث واضغط على إدخال\.?$"
)
#: "{category} | {date}": the date part is checked by dates.looks_like_date.
#: Rule (anchors.find): a date line counts only beside the headline printed twice around it,
#: or one the page's <title>/og:title/<h1> agree with; never a date range, never "date | by X".
DATE_LINE = re.compile(r"^(?P<category>[^|¦]{0,60}?)\s*[|¦]\s*(?P<date>[^|¦]{1,60})$")
#: Rule: keywords and the comments count are read only after the body region's end.
KEYWORDS_LABEL = re.compile(
    r"^(?:Keywords|Key\s*words|Tags|الكلمات\s+المفتاحية|كلمات\s+مفتاحية|الكلمات\s+الدلالية|كلمات\s+دلالية|الوسوم)\s*[:：]\s*",
    re.I,
)
#: the characters a text matching KEYWORDS_LABEL can start with (re.I: U+212A is a K)
KEYWORDS_FIRST = ("K", "k", "\u212a", "T", "t", "ا", "ك")
#: what separates keywords printed as text (links are preferred)
KEYWORD_SPLIT = re.compile(r"\s*[,،;؛|]\s*|\s{2,}|[\u00a0]+")
COMMENTS_COUNT = re.compile(
    r"^(?:Total\s+)?Comments\s*[(\[]\s*(?P<n>[\d٠-٩]+)\s*[)\]](?!\S)"
    r"|^(?:مجموع\s+)?(?:التعليقات|تعليقات)\s*[(\[]\s*(?P<n_ar>[\d٠-٩]+)\s*[)\]](?!\S)",
    re.I,
)
#: the site's tagline: a line holding it anywhere is chrome (searched apart from CHROME_LINES:
#: a leading ``.*`` in an alternation makes every anchored match scan the whole line)
SITE_TAGLINE = re.compile(r"Fathi Ibrahim Bayoud|فتحي إبراهيم بيوض", re.I)
#: what a line holding SITE_TAGLINE must hold: searched first, as a case-insensitive search
#: tries every position of the line and this one skips to a "b" (only b and B match b under
#: re.I, and so on for a, y, o, u, d; a test checks it)
SITE_TAGLINE_HINT = re.compile(r"[Bb][Aa][Yy][Oo][Uu][Dd]|بيوض")
#: site chrome that is never article text (with SITE_TAGLINE: ``anchors.is_chrome``)
CHROME_LINES = re.compile(
    r"^(?:(?:(?:Print|Email|E-mail|Send to (?:a )?friend|Share|Tweet|طباعة|أرسل لصديق|إرسال لصديق|مشاركة)\s*){2,}"
    r"|Search For Keyword\.?|أدخل كلمات البحث واضغط على إدخال\.?"
    r"|Share|Print|Email|Tweet|Facebook|Twitter|WhatsApp|طباعة|مشاركة"
    r"|(?:Read also|Read more|Related(?: articles| news)?|See also"
    r"|اقرأ أيضا[ًا]?|مواضيع ذات صلة|أخبار ذات صلة|ذات صلة)\s*:?"
    r"|(?:(?:URL|Link|Permalink|Short link|الرابط|رابط المقال|الرابط المختصر)\s*[:：]\s*)?https?://\S+"
    r"|Close(?: this)? window|إغلاق النافذة)$",
    re.I,
)
#: lines that close the article: the comment box and its form (and FOOTER below).
#: Rule: they end the text layer's region and are dropped by the generic layer.
END_LINES = re.compile(
    r"^(?:Post Your Comments?|Comments About This Article|fill all fields below|Please fill the fields below\.?"
    r"|This confirmation code will prevent auto submit|Will now be shown|Add (?:a|your) comment"
    r"|تعليقات حول الموضوع|أضف تعليق(?:ك|اً)?"
    r"|Most (?:Read|Popular|Viewed|Commented)|الأكثر (?:قراءة|مشاهدة|تعليقا[ًا]?))\s*:?$",
    re.I,
)
#: the footer: a rights line or a dated copyright ("© 2005-2025"), in a line of at most
#: FOOTER_MAX characters; a bare "© Reuters" is a photo credit inside the article, not its end.
#: Searched only in lines holding one of FOOTER_SIGNS (a cheap pre-check).
FOOTER = re.compile(r"All rights reserved|جميع الحقوق محفوظة|(?:©|\(c\)|Copyright)\s*\d{4}|\d{4}\s*©", re.I)
FOOTER_SIGNS = re.compile(r"©|ights|IGHTS|حقوق|\(c\)|\(C\)|opyright|OPYRIGHT")
FOOTER_MAX = 160
#: the lead: "(Outlet)- ", optionally after a writer ("Writing by X ", "BY X, Y ") or a wire
#: dateline ("Sanliurfa (Turkey) ", "BEIRUT "), e.g. "Sanliurfa (Turkey) (AFP) – "
SOURCE_TAG = re.compile(
    r"^\s*(?P<lead>"
    r"(?P<writer_kw>(?i:(?:Writing|Written|Reporting)\s+by|By)|كتب\s*:|بقلم\s*:?)\s+(?P<writer>[^()\n]{2,80}?)\s*"
    r"|[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}\s*\([^()\n]{1,30}\)\s*"
    r"|[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+){0,2}\s+"
    r")?\(\s*(?P<tag>[^()\n]{2,40}?)\s*\)\s*[-–—]+\s*"
)
#: a lead tag alone on its line
SOURCE_TAG_ALONE = re.compile(r"^\(\s*(?P<tag>[^()\n]{2,40}?)\s*\)\s*[-–—]*$")
#: a separate byline line: "By Editor-In-Chief"
BYLINE_LINE = re.compile(
    r"^(?:(?:By|BY)\s+(?P<name>(?:[A-Z]|(?:al|el|bin|ibn|abu|de|van|von)\b)[\w'’.-]*"
    r"(?:(?:\s+|,\s*|\s+and\s+)(?:[A-Z]|(?:al|el|bin|ibn|abu|de|van|von)\b)[\w'’.-]*){0,5})"
    r"|(?:بقلم\s*:?|كتب\s*:)\s*(?P<name_ar>[^.!?؟،,:]{2,40}))$"
)
#: a paragraph that opens like a sentence, not like a headline (headlines drop articles/pronouns)
SENTENCE_START = re.compile(
    r"^(?:The|A|An|He|She|It|They|We|I|You|This|That|These|Those|His|Her|Their|Its|Our|My|But|And|Or|So"
    r"|However|Meanwhile|According|There)\b"
)
#: a paragraph that is one quotation
QUOTATION = re.compile(r"^[“\"«‘'].*[”\"»’']$")
#: sign-offs: the outlet as its own last paragraph, or an editing credit
SIGNOFF = re.compile(
    r"^(?P<outlet>Zaman\s+(?:Al|al|A)[- ]?Wasl|زمان الوصل(?:\s*-\s*خاص)?"
    r"|(?P<project>[^\s\"“”«»]{2,20})\s*-\s*أحد مشاريع\s*[\"“«]?زمان الوصل[\"”»]?)$"
    r"|^(?:Editing|Edited|Reporting|Writing|Translated|Translation|Translating)\s+by\s+[^.!?]{2,60}$",
)
#: outlets a sign-off names -> the source tag it stands for
SIGNOFF_OUTLET = re.compile(r"^(?P<outlet>زمان الوصل)\s*-\s*خاص$")
#: empty image markdown left in text copies: ![]() and ![alt](src)
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
#: Arabic captions end like this
CAPTION_END = re.compile(r"\s-\s*زمان الوصل$")
#: a line that ends a sentence (paragraph end); used to decide whether a <br> splits a paragraph
SENTENCE_END = re.compile(r"[.!?؟…:;؛。！？]['\"”’»)\]」』]*$")
_SENTENCE_ENDERS, _SENTENCE_CLOSERS = ".!?؟…:;؛。！？", "'\"”’»)]」』"


def ends_sentence(text: str) -> bool:
    """``SENTENCE_END.search(text)``, without a search that tries every position of a paragraph.

    >>> ends_sentence("He said so.”"), ends_sentence("Returnees find homes looted"), ends_sentence("")
    (True, False, False)
    """
    if "\n" in text:  # $ also matches before a last newline: leave that to the pattern
        return SENTENCE_END.search(text) is not None
    tail = text.rstrip(_SENTENCE_CLOSERS)
    return bool(tail) and tail[-1] in _SENTENCE_ENDERS


#: class or id words of containers that never hold the article (generic layer only)
FURNITURE_NAMES = re.compile(
    r"(?:^|\s)(?:[a-z]{1,2}-)?(?:cookies?|consent|privacy|gdpr|newsletter|related|share|sharing|social|promo|subscribe"
    r"|subscription|comments?|disqus)(?:[-_]\w*)*(?:$|\s)",
    re.I,
)
#: Chinese, Japanese and Korean characters (dense scripts: a character is about a word)
CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
#: a sentence stop inside a line (any script): generic-layer evidence of prose
SENTENCE_STOP = re.compile(r"[.!?؟。！？](?:\s|$)|[。！？]")
#: images that are never article images (lowercase: searched case-insensitively)
NOT_CONTENT_IMAGE = re.compile(
    r"(?:^data:|logo|icon|sprite|spacer|pixel|avatar|captcha|/(?:print|email|mail|share|rss|facebook|twitter|whatsapp)\b"
    r"|\.(?:svg|gif)(?:$|\?))",
    re.I,
)
_NOT_CONTENT_IMAGE_LOWER = re.compile(NOT_CONTENT_IMAGE.pattern)


@lru_cache(maxsize=1024)
def not_content_image(src: str) -> bool:
    """``NOT_CONTENT_IMAGE`` is in the source: an ASCII one (almost all) is lowercased and
    searched case-sensitively, three times faster than a case-insensitive search. Remembered:
    the logos, icons and buttons of a site are the same on every page.

    >>> not_content_image("/images/Site-LOGO.png"), not_content_image("/uploads/a1.JPG")
    (True, False)
    """
    if src.isascii():
        return _NOT_CONTENT_IMAGE_LOWER.search(src.lower()) is not None
    return NOT_CONTENT_IMAGE.search(src) is not None


#: the site's resized images carry their size: /CustomImage/get/{width}/{height}/…
SITE_IMAGE_SIZE = re.compile(r"/CustomImage/get/(?P<width>\d+)/(?P<height>\d+)/", re.I)
#: images smaller than this (declared or in the URL) are icons or related-article thumbnails
MIN_IMAGE_WIDTH, MIN_IMAGE_HEIGHT = 200, 120
