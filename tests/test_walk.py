"""The compiled line walk (``zamanscraper/extract/_walk.pyx``) against its specification, the
Python walk ``document.linearize_python``: the same lines (every field; elements and blocks by
identity) and the same index, on every fixture page, the hostile pages and generated awkward
pages. In CI (``CI`` set, as ``.ci/run`` does) the compiled walk must be built: a missing
compiler or Cython must not silently cost the extraction its speed."""

from __future__ import annotations

import os
import random

import pytest
from lxml import etree

from truth import FIXTURES, article_pages
from zamanscraper.extract import document
from zamanscraper.extract.errors import ExtractError

needs_c_walk = pytest.mark.skipif(document._c_walk is None, reason="the C line walk is not built")


def test_c_walk_is_built_in_ci():
    if not os.environ.get("CI"):
        pytest.skip("CI is not set: the Python walk is an allowed fallback")
    assert document._c_walk is not None, (
        f"the C line walk is not available ({document._c_walk_missing}): "
        "reinstall with Cython and a C compiler (pip install -e '.[test]')")


def same_walk(root) -> None:
    """Both walks over ``root``: identical lines and index (the first difference is shown)."""
    index: dict[str, list] = {}
    lines = document._c_walk.linearize(root, index)
    ref_index: dict[str, list] = {}
    ref = document.linearize_python(root, ref_index)
    for i, (got, want) in enumerate(zip(lines, ref, strict=False)):
        assert got == want, f"line {i}"
    assert len(lines) == len(ref)
    assert list(index.items()) == list(ref_index.items())  # same tags, first seen in the same order


def parsed(page: bytes | str):
    """The tree ``document.parse`` makes of a page, None for a page it refuses."""
    try:
        return document.parse(page).root
    except ExtractError:
        return None


@needs_c_walk
def test_fixture_and_hostile_pages():
    pages = article_pages() + sorted((FIXTURES / "pages").glob("hostile-*.html"))
    roots = [(page.name, parsed(page.read_bytes())) for page in pages]
    assert sum(root is not None for _, root in roots) >= len(article_pages())
    for name, root in roots:
        if root is not None:
            try:
                same_walk(root)
            except AssertionError as e:
                raise AssertionError(f"{name}: {e}") from None


AWKWARD = {
    "deep": "<html><body>" + "<div><span><a href='x'>" * 3000 + "deep text" + "</a></span></div>" * 3000,
    "pre": "<pre>l1\n<a href=u>l2\nl3</a>\n\nl5<b>x\ny</b></pre><p>after</p>",
    "nested links": "<p><a href=1>one <a href=2>two</a> three<br>four</a> five</p>",
    "cdata": "<p>a<![CDATA[b]]>c</p><svg><![CDATA[x]]><title>s</title></svg>",
    "prefixed tags": "<html xmlns:o='urn:o'><body><p>a<o:p>b</o:p>c</p><v:shape>sh</v:shape>",
    "text only": "just some text\nsecond line\n",
    "tail after the root": "<html><body><p>x</p></body></html>trailing text",
    "frameset": "<html><frameset><frame src=a></frameset></html>",
    "hidden blocks": "before<div hidden>h<a href=h>x</a><h1>t</h1></div>after<p style='display:none'>q</p>end",
    "whitespace entities": "<p>&nbsp;&#8232;x&#12288;y &#x85; z\x1c.</p><a href='a&quot;b'>q</a>",
    "indexed in head": "<head><title>a</title><meta name=x><script>s</script></head><body><time>t</time>",
    "microdata": "<head><meta itemprop=datePublished content=d></head><body><div itemprop=articleBody>"
                 "<h1 itemprop=headline>h</h1><script itemprop=x><b itemprop=y></b></script><p itemprop>a</p>"
                 "<div hidden><span itemprop=keywords><a itemprop=k>k</a></span></div></div>",
    "tag links": "<p><a rel=tag href=1>one</a> <a rel='t&#97;g'>two</a> <a rel=TAG>3</a> <a rel>4</a> <b rel=tag>5</b>"
                 "</p><div style='display:none'><a rel=tag>hidden</a></div><script><a rel=tag>s</a></script>",
    "page-wrapping form": "<form>" + "<p>p</p>" * 6 + "<a href=f>in form</a></form><form><p>q</p></form>",
    "images": "<img src='/CustomImage/get/100/50/a.jpg'><img src='/p.jpg' width='800'><amp-img data-src='/q.jpg'>"
              "<img width='50px' src='/a.jpg'><img src='/logo.png'><img>",
}


@needs_c_walk
@pytest.mark.parametrize("name", sorted(AWKWARD))
def test_awkward_pages(name):
    same_walk(parsed(AWKWARD[name]))


PIECES = ["text", " two  words ", "\n  indented\n", "\u00a0nbsp\u00a0", "x\u2028y", "a\u3000b", "\x1cfs", "&amp;",
          "&#160;", "ع ربي", " ", "\t", "&lt;b&gt;", "e\u0301"]
TAGS = ["div", "p", "span", "b", "a", "a", "li", "ul", "h1", "h2", "pre", "br", "img", "amp-img", "script", "style",
        "form", "figure", "figcaption", "time", "nav", "td", "table", "tr", "font", "i", "svg", "o:p", "template",
        "noscript", "section", "label", "header", "blockquote", "textarea", "select", "option", "iframe", "em",
        "title", "meta", "article"]
ATTRS = ["", "", "", " hidden", ' style="display:none"', ' style="DISPLAY: None !important"', ' style="color:red"',
         ' style="visibility : hidden;"', ' href="/x?a=1&amp;b=2"', " href", ' href=""',
         ' src="/CustomImage/get/100/50/a.jpg"', ' src="/img/photo.jpg" width="800"', ' data-src="/p.jpg"',
         ' src="/logo.png"', ' width="50px" src="/a.jpg"', ' style="none"', ' class="hidden"', ' hidden="false"',
         ' style="display:block"', ' itemprop="headline"', ' itemprop=""', ' itemprop="articleBody" hidden',
         ' content="3" itemprop="commentCount"', ' ITEMPROP="keywords"', ' rel="tag"', ' rel="Tag"',
         ' rel="tag nofollow"', ' rel="t&#97;g" href="/k"']


def random_body(rng: random.Random, depth: int = 0) -> str:
    """Random nesting of the tags, attributes and texts the walk treats specially."""
    out = []
    for _ in range(rng.randint(0, 5)):
        if rng.random() < 0.4 or depth > 12:
            out.append(rng.choice(PIECES))
            continue
        tag, attrs = rng.choice(TAGS), rng.choice(ATTRS)
        if tag in ("br", "img", "amp-img", "meta"):
            out.append(f"<{tag}{attrs}>")
        elif tag == "form" and rng.random() < 0.5:
            paragraphs = "".join(f"<p>p{i}</p>" for i in range(rng.randint(3, 6)))
            out.append(f"<form>{paragraphs}{random_body(rng, depth + 1)}</form>")
        else:
            close = "" if rng.random() < 0.1 else f"</{tag}>"
            out.append(f"<{tag}{attrs}>{random_body(rng, depth + 1)}{close}")
    return "".join(out)


@needs_c_walk
def test_generated_pages():
    rng = random.Random(11)
    for _ in range(400):
        page = f"<html><head><title>t</title></head><body>{random_body(rng)}</body></html>"
        root = parsed(page)
        if root is not None:
            try:
                same_walk(root)
            except AssertionError as e:
                raise AssertionError(f"{page!r}: {e}") from None


@needs_c_walk
def test_built_trees():
    """Trees no parser makes: 20,000 levels deep, and 600 distinct tag names."""
    root = etree.Element("html")
    element = etree.SubElement(root, "body")
    for i in range(20000):
        element = etree.SubElement(element, ("div", "span", "a", "li", "pre", "meta")[i % 6])
        element.text = f"t{i}\n" if i % 7 else None
        element.tail = "x" if i % 3 else None
    same_walk(root)
    same_walk(etree.fromstring("<html><body>" + "".join(f"<x{i} class=a>w{i}<br></x{i}>" for i in range(600)),
                               etree.HTMLParser()))


@pytest.mark.parametrize("name", ["microdata", "hidden blocks", "indexed in head", "tag links"])
def test_attribute_indexes_are_what_their_xpaths_find(name):
    doc = document.parse(AWKWARD[name])
    assert doc.elements(document.ITEMPROP) == doc.root.xpath("//*[@itemprop]")
    assert doc.itemprop("keywords") == doc.root.xpath("//*[@itemprop='keywords']")
    assert doc.elements(document.REL_TAG) == doc.root.xpath("//a[@rel='tag']")


@needs_c_walk
def test_invisible_characters_are_found_and_stripped_in_utf8_bytes_as_in_text():
    """``document.parse`` asks a UTF-8 page's bytes (compiled ``has_invisible_utf8``) whether
    ``strip_invisible`` would change its text, and strips them there (``strip_invisible_utf8``):
    both must agree with the text regex on every character (in every UTF-8 length, beside
    Arabic letters, at the very end, next to a removed mark) and on every fixture page."""
    from zamanscraper.processors import strip_invisible

    check, strip = document._c_walk.has_invisible_utf8, document._c_walk.strip_invisible_utf8
    texts = []
    for code in [*range(0x10000), *range(0x10000, 0x110000, 0x111)]:
        if not 0xD800 <= code < 0xE000:  # surrogates have no UTF-8
            texts += [f"ب{chr(code)}ص", f"ab{chr(code)}", chr(code), f"{chr(code)}\u200f{chr(code)}x"]
    for page in sorted(FIXTURES.rglob("*.html")):
        try:
            texts.append(page.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            continue
    for text in texts:
        data = text.encode()
        assert check(data) == (strip_invisible(text) != text), repr(text[:40])
        assert strip(data).decode() == strip_invisible(text), repr(text[:40])
