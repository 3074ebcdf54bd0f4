"""Pages that are not articles (``zamanscraper.extract.pagekind``): recognised, and never on real articles.

The false-positive side is measured on real pages nobody here wrote: the 181 news pages of the
Zyte article extraction benchmark (``../shared/data/aeb``, or ``ZAMAN_AEB_DIR``) are articles,
and not one may be flagged. The fixture article pages are covered by the goldens (a flagged
page would be an error there).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from zamanscraper.extract import extract_article
from zamanscraper.extract.document import parse
from zamanscraper.extract.pagekind import NotAnArticle, classify, is_challenge

AEB = Path(os.environ.get("ZAMAN_AEB_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "aeb"))
URL = "https://en.zamanalwsl.net/news/article/28116"

CF_CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"><script>window._cf_chl_opt={cvId:'3',cZone:'en.zamanalwsl.net'}</script>
</head><body><div class="main-wrapper"><div class="main-content"><h1 class="zone-name-title h1">en.zamanalwsl.net</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<div id="challenge-stage"></div><div id="challenge-body-text" class="core-msg spacer">
en.zamanalwsl.net needs to review the security of your connection before proceeding.</div>
<noscript>Enable JavaScript and cookies to continue</noscript></div></div>
<div class="footer"><div>Ray ID: <code>7f3a9b2c1d0e4f56</code></div>
<div>Performance &amp; security by <a href="https://www.cloudflare.com">Cloudflare</a></div></div>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=7f3a9b2c1d0e4f56"></script></body></html>"""

PAGES = {
    "cloudflare challenge": (CF_CHALLENGE, "challenge"),
    "cloudflare old challenge": ("""<html><head><title>Please Wait... | Cloudflare</title></head><body>
        <h1>Checking your browser before accessing en.zamanalwsl.net.</h1>
        <p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
        <p>Please allow up to 5 seconds&hellip;</p><p>DDoS protection by Cloudflare</p>
        <p>Ray ID: 4a5b6c7d8e9f0a1b</p></body></html>""", "challenge"),
    "cloudflare block": ("""<html><head><title>Attention Required! | Cloudflare</title></head><body>
        <div class="cf-wrapper"><h1>Sorry, you have been blocked</h1>
        <h2>You are unable to access zamanalwsl.net</h2><h2>Why have I been blocked?</h2>
        <p>This website is using a security service to protect itself from online attacks.</p>
        <p>Cloudflare Ray ID: <strong>7f3a9b2c1d0e4f56</strong> &bull; Your IP: 192.0.2.1</p>
        </div></body></html>""", "challenge"),
    "block without title": ("""<html><body><h1>Sorry, you have been blocked</h1>
        <p>Cloudflare Ray ID: 7f3a9b2c1d0e4f56</p></body></html>""", "challenge"),
    "turnstile form": ("""<html><head><title>en.zamanalwsl.net</title></head><body>
        <p>Verify you are human by completing the action below.</p>
        <form><div class="cf-turnstile" data-sitekey="0x4AAA"></div></form>
        <script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script></body></html>""", "challenge"),
    "hcaptcha": ("""<html><head><title>zamanalwsl.net</title></head><body>
        <h1>One more step</h1><p>Please complete the security check to access zamanalwsl.net</p>
        <form><div class="h-captcha" data-sitekey="x"></div></form></body></html>""", "challenge"),
    "sucuri": ("""<html><head><title>Sucuri WebSite Firewall - Access Denied</title></head><body>
        <h2>Access Denied - Sucuri Website Firewall</h2><p>Block reason: an attempted attack.</p>
        </body></html>""", "challenge"),
    "imperva": ("""<html><head><META NAME="robots" CONTENT="noindex,nofollow"></head><body>
        <iframe src="/_Incapsula_Resource?CWUDNSAI=9"></iframe>
        Request unsuccessful. Incapsula incident ID: 1234-5678</body></html>""", "challenge"),
    "akamai": ("""<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>
        You don't have permission to access "http&#58;&#47;&#47;en&#46;zamanalwsl&#46;net&#47;" on this server.
        <P>Reference&#32;&#35;18&#46;1234</BODY></HTML>""", "challenge"),
    "login wall": ("""<html><head><title>Zaman Al Wasl</title></head><body><h1>Members only</h1>
        <form method="post"><input name="user"><input type="password" name="pw">
        <button>Sign in</button></form></body></html>""", "login"),
    "login title": ("<html><head><title>Log in | Zaman Al Wasl</title></head><body>x</body></html>", "login"),
    "404 with 200": ("""<html><head><title>Zaman Al Wasl</title></head><body>
        <nav><a href="/">Home</a></nav><h1>Oops! That page can't be found.</h1>
        <p>404 Not Found</p></body></html>""", "error"),
    "page not found title": ("<html><head><title>Page not found – Zaman Al Wasl</title></head>"
                             "<body><p>Sorry.</p></body></html>", "error"),
    "arabic 404": ("<html dir='rtl'><head><title>زمان الوصل</title></head>"
                   "<body><h1>الصفحة غير موجودة</h1></body></html>", "error"),
    "search page": ("<html><head><title>Search results | Zaman Al Wasl</title></head>"
                    "<body><p>No results.</p></body></html>", "listing"),
    "listing at article url": ("<html><head><title>Zaman Al Wasl - 1/1</title></head><body>"
                               + "".join(f'<a href="/news/article/{i}">Story {i}</a><p>Summary {i}</p>'
                                         for i in range(10))
                               + '<a href="/news/articles/1/2">Next</a></body></html>', "listing"),
}

STORY = " ".join(
    f"Sentence {i} of a long report on how the regime's firewall answered 'Access denied' to "
    f"activists and how a Cloudflare Ray ID appears on a block page." for i in range(30)
)
NOT_FLAGGED = {
    "story about firewalls with captcha comments and the cloudflare script": (
        "<html><head><title>Access denied to aid convoys in Daraa - Zaman Al Wasl</title>"
        "<script src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script></head><body>"
        f"<h1>Access denied to aid convoys in Daraa</h1><p>{STORY}</p>"
        "<form id='comment'><div class='g-recaptcha'></div><input type='password'>Log in to comment</form>"
        "</body></html>"
    ),
    "short brief that says page not found in a quote only once with a long body": (
        "<html><head><title>Ministry site down</title></head><body>"
        f"<p>{STORY}</p><p>Visitors saw a 'page not found' notice.</p></body></html>"
    ),
    "related links to page 1 of listings": (
        "<html><head><title>Story - Zaman Al Wasl</title></head><body><p>A short story.</p>"
        + "".join(f'<a href="/news/article/{i}">Story {i}</a>' for i in range(12))
        + '<a href="/news/articles/1/1">News</a></body></html>'
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_non_article_pages_are_recognised(name):
    page, kind = PAGES[name]
    assert classify(page) is not None and classify(page)[0] == kind
    with pytest.raises(NotAnArticle) as raised:
        extract_article(page.encode(), URL)
    assert raised.value.kind == kind
    assert str(raised.value).startswith("not an article: ") and "\n" not in str(raised.value)
    assert is_challenge(page.encode()) == (kind == "challenge")


@pytest.mark.parametrize("name", NOT_FLAGGED)
def test_signs_that_are_not_dominant_do_not_count(name):
    page = NOT_FLAGGED[name]
    assert classify(page) is None
    assert not is_challenge(page.encode())


def test_no_real_benchmark_article_is_flagged():
    pages = sorted((AEB / "html").glob("*.html.gz"))
    if not pages:
        pytest.skip(f"no benchmark pages in {AEB}/html (set ZAMAN_AEB_DIR)")
    flagged = []
    for path in pages:
        data = gzip.decompress(path.read_bytes())
        doc = parse(data)
        for verdict in (classify(doc.source, " ".join(line.text for line in doc.lines if line.text)),
                        classify(doc.source)):
            if verdict is not None:
                flagged.append((path.name, verdict))
    assert len(pages) == 181
    assert flagged == []
