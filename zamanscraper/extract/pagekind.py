"""Pages that are not articles: WAF challenges, login walls, error pages and listings served with 200.

A web application firewall, a login wall or a broken CMS answers ``200 OK`` with a page that is
not the article asked for. Extracted as if it were one, such a page becomes a fake record (the
challenge's host name as headline, its instructions as paragraphs). :func:`classify` recognises
these pages from their source alone; :func:`check` raises :class:`NotAnArticle` for them.

The rule: a sign counts only where it is **dominant**, never because a real article mentions it
(a story about firewalls, a Cloudflare script, a reCAPTCHA comment form). Signs and their rules,
all in this block:

* ``TITLE_SIGNS`` -- a whole ``<title>`` segment (the title cut at `` | ``, `` - ``, `` – ``,
  `` — ``, `` :: ``, `` · ``) equal to a sign names the page, when its visible text is under
  ``TITLE_MAX_CHARS``. "Access denied" is a title segment of a block page; "Access denied to
  aid convoys" is a headline, not a sign.
* ``CHALLENGE_TEXT`` / ``CHALLENGE_MARKUP`` -- a page whose visible text is under
  ``SHORT_CHARS`` is a challenge when its visible text holds at least one ``CHALLENGE_TEXT``
  phrase and one more sign (another phrase, or a ``CHALLENGE_MARKUP`` marker in the source).
  Markup alone never counts: real pages carry Cloudflare scripts and captcha comment forms.
* ``LOGIN_TEXT`` + ``PASSWORD_INPUT`` -- a short page with a password field and a login phrase
  (button labels included) is a login wall.
* ``ERROR_TEXT`` -- a short page whose visible text holds an error phrase ("page not found") is
  an error page served with 200.
* ``ARTICLE_LINK`` + ``PAGINATION_LINK`` -- a page linking at least ``LISTING_MIN_LINKS``
  distinct articles of the site *and* a listing page number 2 or later is a listing (or search
  results) page, whatever its length: article pages link listings' first pages only.

Visible text here is the text outside ``<head>``, scripts, styles, templates and comments, with
tags removed (regular expressions: no parse). Callers that already have the page's visible text
(the extractor) pass it in.
"""

from __future__ import annotations

import html
import re

from .errors import ExtractError

#: kinds of non-article page, as in :attr:`NotAnArticle.kind`
CHALLENGE, LOGIN, ERROR, LISTING = "challenge", "login", "error", "listing"

#: what each kind is called in a reason
KIND_NAMES = {
    CHALLENGE: "WAF challenge or block page",
    LOGIN: "login wall",
    ERROR: "error page served with status 200",
    LISTING: "listing or search page",
}

#: rule: a whole title segment equal to one of these names the page's kind (lower case, trailing
#: dots and "!" ignored), when the page's visible text is under TITLE_MAX_CHARS
TITLE_SIGNS = {
    CHALLENGE: frozenset({
        "just a moment", "attention required", "please wait", "one more step", "security check",
        "checking your browser", "access denied", "you have been blocked", "request rejected",
        "pardon our interruption", "captcha", "human verification", "ddos-guard",
        "sucuri website firewall", "access to this page has been denied", "blocked",
        "verifying you are human", "bot verification", "403 forbidden", "forbidden",
    }),
    LOGIN: frozenset({"log in", "login", "sign in", "signin", "log on", "تسجيل الدخول"}),
    ERROR: frozenset({
        "404", "404 not found", "not found", "page not found", "error 404", "404 error",
        "error", "500 internal server error", "internal server error", "service unavailable",
        "502 bad gateway", "503 service unavailable", "الصفحة غير موجودة", "خطأ 404",
        "الصفحة المطلوبة غير موجودة", "صفحة غير موجودة",
    }),
    LISTING: frozenset({"search", "search results", "نتائج البحث", "بحث"}),
}
#: rule: the title signs above count on pages with less visible text than this (a long page
#: titled "Search" is still prose; an error page with full site chrome stays well under)
TITLE_MAX_CHARS = 6000
#: rule: the text signs below count only on pages with less visible text than this
SHORT_CHARS = 2500

#: rule: phrases of challenge and block pages (Cloudflare, Sucuri, Imperva/Incapsula, Akamai,
#: F5, DDoS-Guard), matched in the lower-cased visible text of a short page; words a story or
#: a comment form may print alone ("captcha", "access denied", "enable cookies") are left out
CHALLENGE_TEXT = (
    "just a moment", "checking your browser", "checking if the site connection is secure",
    "verify you are human", "verifying you are human", "review the security of your connection",
    "enable javascript and cookies to continue", "you have been blocked", "why have i been blocked",
    "attention required", "ray id",
    "performance & security by cloudflare", "ddos protection by",
    "you don't have permission to access", "request unsuccessful", "incapsula incident id",
    "sucuri website firewall", "pardon our interruption", "the requested url was rejected",
    "complete the security check",
)
#: rule: markers in the page source that add to a challenge phrase (never enough alone)
CHALLENGE_MARKUP = (
    "/cdn-cgi/challenge-platform", "_cf_chl_opt", "cf-turnstile", "challenges.cloudflare.com",
    "cf-browser-verification", "h-captcha", "hcaptcha.com", "g-recaptcha", "recaptcha/api",
    "_incapsula_resource", "sucuri", "errors.edgesuite.net", "ddos-guard",
)
#: rule: phrases of a login wall (with a password field, on a short page)
LOGIN_TEXT = ("log in", "login", "sign in", "password", "تسجيل الدخول", "كلمة المرور")
PASSWORD_INPUT = re.compile(r"<input\b[^>]*\btype\s*=\s*[\"']?password", re.IGNORECASE)
#: rule: phrases of an error page (on a short page)
ERROR_TEXT = (
    "page not found", "404 not found", "error 404", "404 error", "could not be found",
    "page you requested does not exist", "page you are looking for", "internal server error",
    "الصفحة غير موجودة", "الصفحة المطلوبة غير موجودة", "صفحة غير موجودة",
)
#: rule: links to distinct site articles and to a listing page >= 2 (pagination) make a listing
ARTICLE_LINK = re.compile(r"""/news/(?:article/(\d+)|(\d+)\.html)""")
PAGINATION_LINK = re.compile(r"""/news/(?:articles/\d+|search/[^/"'<>\s]+)/0*(?:[2-9]|\d\d+)/?["'>\s]""")
LISTING_MIN_LINKS = 8

_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_TITLE_SPLIT = re.compile(r"\s+(?:\||-|–|—|::|·)\s+")
_INVISIBLE_BLOCKS = re.compile(
    r"<!--.*?-->|<(head|script|style|noscript|template|svg)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]*>")


class NotAnArticle(ExtractError):
    """The page is a challenge, login wall, error page or listing, not the article asked for.

    ``kind`` is one of ``challenge``, ``login``, ``error``, ``listing``; ``str(error)`` is one line.

    >>> str(NotAnArticle("error", "title '404 Not Found'"))
    "not an article: error page served with status 200 (title '404 Not Found')"
    """

    def __init__(self, kind: str, reason: str):
        self.kind = kind
        self.reason = reason
        super().__init__(f"not an article: {KIND_NAMES[kind]} ({reason})")


def title_of(source: str) -> str | None:
    """The first ``<title>``'s text, entities decoded and whitespace collapsed; None if absent.

    >>> title_of("<html><head><title>\\n Just a moment&hellip; </title></head></html>")
    'Just a moment…'
    >>> title_of("<p>no title</p>") is None
    True
    """
    m = _TITLE.search(source, 0, 200_000)
    if not m:
        return None
    return " ".join(html.unescape(_TAG.sub(" ", m.group(1))).split()) or None


def title_sign(title: str | None) -> tuple[str, str] | None:
    """``(kind, segment)`` when a whole segment of the title is a sign, else None.

    >>> title_sign("Attention Required! | Cloudflare")
    ('challenge', 'Attention Required!')
    >>> title_sign("Page not found – Zaman Al Wasl")
    ('error', 'Page not found')
    >>> title_sign("Search | Zaman Al Wasl")
    ('listing', 'Search')
    >>> title_sign("Access denied to aid convoys in Daraa - Zaman Al Wasl") is None
    True
    """
    if not title:
        return None
    for segment in _TITLE_SPLIT.split(title):
        key = segment.strip().rstrip(".!…").strip().lower()
        for kind, signs in TITLE_SIGNS.items():
            if key in signs:
                return kind, segment.strip()
    return None


def visible_text(source: str) -> str:
    """The page's text outside ``<head>``, scripts, styles, templates, SVG and comments.

    >>> visible_text("<html><head><title>T</title></head><body><script>x()</script><p>Ray&nbsp;ID:</p> 7f</body>")
    'Ray ID: 7f'
    """
    text = _TAG.sub(" ", _INVISIBLE_BLOCKS.sub(" ", source))
    return " ".join(html.unescape(text).split())


def found(phrases, text: str) -> list[str]:
    """The phrases that occur in ``text`` (already lower case), in the order given.

    >>> found(("ray id", "captcha", "sucuri"), "cloudflare ray id: 1 · solve the captcha")
    ['ray id', 'captcha']
    """
    return [p for p in phrases if p in text]


def listing_links(source: str) -> tuple[int, bool]:
    """``(distinct article ids linked, links a listing page >= 2)``; ids are counted only then.

    >>> listing_links('<a href="/news/article/5">a</a><a href="/news/5.html">b</a>'
    ...               '<a href="/news/articles/1/2">next</a>')
    (1, True)
    >>> listing_links('<a href="/news/article/5">a</a><a href="/news/articles/30/1">Opinion</a>')
    (0, False)
    """
    if PAGINATION_LINK.search(source) is None:
        return 0, False
    return len({a or b for a, b in ARTICLE_LINK.findall(source)}), True


def classify(source: str, visible: str | None = None) -> tuple[str, str] | None:
    """``(kind, reason)`` for a page that is not an article, None for a page that may be one.

    ``source`` is the decoded page; ``visible`` its visible text when the caller has it.

    >>> classify("<title>Just a moment...</title><p>Checking your browser before accessing en.zamanalwsl.net</p>")
    ('challenge', "title 'Just a moment...'")
    >>> cf_block = ('<div class="cf-error"><h1>Sorry, you have been blocked</h1>'
    ...             '<p>Cloudflare Ray ID: 7f3a</p></div>')
    >>> classify(cf_block)
    ('challenge', "signs 'you have been blocked', 'ray id'")
    >>> classify('<form><input type="password"><button>Sign in</button></form>')
    ('login', "password field and 'sign in'")
    >>> classify("<h1>Oops! Page not found</h1><a href='/'>Home</a>")
    ('error', "'page not found'")
    >>> story = "<title>Firewalls in Syria</title><p>" + "An access denied page. " * 200 + "</p>"
    >>> classify(story + '<div class="g-recaptcha"></div>') is None
    True
    """
    title = title_of(source)
    sign = title_sign(title)
    if visible is None:
        visible = visible_text(source)
    if sign is not None and len(visible) < TITLE_MAX_CHARS:
        return sign[0], f"title {title!r}"
    count, paginated = listing_links(source)
    if paginated and count >= LISTING_MIN_LINKS:
        return LISTING, f"links {count} articles and a listing page"
    if len(visible) >= SHORT_CHARS:
        return None
    text = visible.lower()
    phrases = found(CHALLENGE_TEXT, text)
    if phrases:
        markers = found(CHALLENGE_MARKUP, source.lower())
        if len(phrases) + len(markers) >= 2:
            return CHALLENGE, "signs " + ", ".join(repr(s) for s in (phrases + markers)[:3])
    if PASSWORD_INPUT.search(source):  # button labels count here: read the source's own text
        login = found(LOGIN_TEXT, visible_text(source).lower())
        if login:
            return LOGIN, f"password field and {login[0]!r}"
    errors = found(ERROR_TEXT, text)
    if errors:
        return ERROR, repr(errors[0])
    return None


def check(source: str, visible: str | None = None) -> None:
    """Raise :class:`NotAnArticle` for a page :func:`classify` recognises.

    >>> try:
    ...     check("<title>404 Not Found</title>")
    ... except NotAnArticle as error:
    ...     print(error.kind, "|", error.reason)
    error | title '404 Not Found'
    >>> check("<title>Russia to broker new deal</title><p>Story.</p>")
    """
    kind = classify(source, visible)
    if kind is not None:
        raise NotAnArticle(*kind)


def is_challenge(body: bytes) -> bool:
    """True when raw response bytes are a WAF challenge or block page (for the retry middleware).

    Cheap on ordinary pages: the full check runs only when the title is a sign or the source
    holds a challenge phrase.

    >>> is_challenge(b"<title>Just a moment...</title>"), is_challenge(b"<title>News</title><p>x</p>")
    (True, False)
    """
    source = body.decode("utf-8", errors="replace")
    if title_sign(title_of(source)) is None and not found(CHALLENGE_TEXT, source.lower()):
        return False
    kind = classify(source)
    return kind is not None and kind[0] == CHALLENGE
