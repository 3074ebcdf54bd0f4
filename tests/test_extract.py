"""extract_article and the `extract` command on hand-made and hostile inputs.

The fixture families are covered by test_golden/test_truth; these are the edge cases a page
family does not show: bare text copies, limits, encodings, zones, the CLI's one-line errors.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from zamanscraper.extract import ExtractError, document, extract_article

SEED = Path(__file__).resolve().parents[2] / "shared" / "site" / "seed-page-en-28116.txt"
URL = "https://en.zamanalwsl.net/news/28116.html"
ARTICLES = Path(__file__).parent / "fixtures" / "articles"
PAGE = """<html><head>{head}</head><body>
<div>Established by Fathi Ibrahim Bayoud 2005 - Homs</div>
<div>{headline}</div><div>{dateline}</div><div>{headline}</div>
{body}
<div>Keywords: <a href="/news/search/Syria/1">Syria</a></div><div>Comments (2)</div>
</body></html>"""


def page(headline="A headline", dateline="Local | 2017-07-17 02:41:43", head="",
         body="<div>(Zaman Al Wasl)- First paragraph.</div><div>Second one.</div>") -> str:
    return PAGE.format(headline=headline, dateline=dateline, head=head, body=body)


@pytest.mark.skipif(not SEED.exists(), reason="shared/site/seed-page-en-28116.txt not beside the repo")
def test_seed_text_copy_without_any_markup():
    record = extract_article(SEED.read_bytes(), URL)
    truth = json.loads((ARTICLES / "en-28116.json").read_text(encoding="utf-8"))
    assert record["url"] == "https://en.zamanalwsl.net/news/article/28116"
    for name in ("headline", "published_raw", "published_at", "category", "source_tag",
                 "body_paragraphs", "keywords", "signoff", "byline"):
        assert record[name] == truth[name], name
    assert record["ticker_headlines"] == truth["ticker"]["headlines"]
    assert record["comments_count"] == 0


def test_minimal_page_fields_and_provenance():
    record = extract_article(page(), URL)
    assert record["headline"] == "A headline"
    assert (record["category"], record["published_raw"]) == ("Local", "2017-07-17 02:41:43")
    assert record["source_tag"] == "Zaman Al Wasl"
    assert record["body_paragraphs"] == ["First paragraph.", "Second one."]
    assert (record["keywords"], record["comments_count"]) == (["Syria"], 2)
    assert set(record["provenance"].values()) == {"text"}
    assert "ticker_headlines" not in record["provenance"]  # no value, no provenance


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty page: no content"),
        (b"   \n\t ", "empty page: no content"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary content, not HTML: looks like a PNG image"),
        (b"%PDF-1.4 ...", "binary content, not HTML: looks like a PDF document"),
        (b"<html>\x00\x01\x02</html>", "binary content, not HTML: NUL bytes in the first 4 KB"),
        (b"\x07\x08\x1b", "empty page: only whitespace or control characters"),
    ],
)
def test_unparsable_pages_raise_one_line(data, message):
    with pytest.raises(ExtractError) as error:
        extract_article(data, URL)
    assert str(error.value) == message


def test_huge_page_is_refused_not_parsed():
    huge = b"<html><body>" + b"<p>x</p>" * (document.MAX_BYTES // 8 + 1) + b"</body></html>"
    with pytest.raises(ExtractError, match=r"^page too large: [\d,]+ bytes \(limit [\d,]+\)$"):
        extract_article(huge, URL)


@pytest.mark.parametrize("url", ["https://en.zamanalwsl.net/news/articles/30/2", "http://[broken/news/article/1"])
def test_not_an_article_url(url):
    """A listing URL, and a URL whose host cannot be read at all: one line, no traceback."""
    with pytest.raises(ExtractError, match="not a Zaman al-Wasl article URL"):
        extract_article(page(), url)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_byte_order_marks(encoding):
    record = extract_article(page(headline="Qalamoun – “deal”").encode(encoding), URL)
    assert record["headline"] == "Qalamoun – “deal”"


def test_str_input_and_control_characters_inside_text():
    record = extract_article(page(body="<div>One\x0b two\x07 three.</div><div>Four.</div>"), URL)
    assert record["body_paragraphs"] == ["One two three.", "Four."]


def test_timezone_setting_gives_an_offset_only_when_set():
    assert extract_article(page(), URL)["published_at"] == "2017-07-17T02:41:43"
    zoned = extract_article(page(), URL, timezone="Europe/Istanbul")
    assert zoned["published_at"] == "2017-07-17T02:41:43+03:00"
    assert zoned["published_raw"] == "2017-07-17 02:41:43"


def test_offset_from_metadata_that_states_the_same_time():
    head = '<meta property="article:published_time" content="2017-07-17T02:41:43+03:00">'
    record = extract_article(page(head=head), URL)
    assert record["published_raw"] == "2017-07-17 02:41:43"
    assert record["published_at"] == "2017-07-17T02:41:43+03:00"
    assert record["provenance"]["published_at"] == "metadata"
    other = '<meta property="article:published_time" content="2017-07-16T23:41:43+00:00">'
    assert extract_article(page(head=other), URL)["published_at"] == "2017-07-17T02:41:43"


def test_date_only_stays_a_date_and_arabic_stays_as_written():
    body = "<div>(زمان الوصل)- قال المصدر\u200f إن الســوريّين<br>عادوا ٣ مرات.</div><div>زمان الوصل - خاص</div>"
    record = extract_article(
        page(headline="عنوان الخبر", dateline="محلي | 17 تموز 2017", body=body),
        "https://www.zamanalwsl.net/news/article/79344",
    )
    assert (record["published_raw"], record["published_at"]) == ("17 تموز 2017", "2017-07-17")
    assert record["body_paragraphs"] == ["قال المصدر إن الســوريّين عادوا ٣ مرات."]
    assert (record["signoff"], record["source_tag"]) == ("زمان الوصل - خاص", "زمان الوصل")
    assert (record["language"], record["edition"]) == ("ar", "ar")


def test_no_date_no_headline_is_not_guessed():
    record = extract_article("<html><body><p>Search For Keyword.</p></body></html>", URL)
    assert record["headline"] is None and record["body_paragraphs"] == []
    assert record["published_at"] is None and record["keywords"] == []


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "zamanscraper", *args],
                          capture_output=True, text=True, encoding="utf-8", check=False)


def test_cli_extract_prints_the_record(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_text(page(), encoding="utf-8")
    result = run_cli("extract", str(saved), "--url", URL)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["headline"] == "A headline"


@pytest.mark.parametrize(
    ("content", "url", "expected"),
    [
        (b"", URL, "page.html: empty page: no content"),
        (b"<p>x</p>", "https://example.org/1", "--url https://example.org/1: not an article URL of zamanalwsl.net"),
        (b"<p>x</p>", "http://[broken/news/article/1",
         "--url http://[broken/news/article/1: not an article URL of zamanalwsl.net"),
    ],
)
def test_cli_extract_errors_are_one_line(tmp_path, content, url, expected):
    saved = tmp_path / "page.html"
    saved.write_bytes(content)
    result = run_cli("extract", str(saved), "--url", url)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.strip().endswith(expected)


def test_every_fixture_date_takes_the_fast_path():
    """dateparser (1-2 s cold for Arabic, ~1 ms warm) must stay out of the per-item cost:
    every date form the site prints is parsed by the explicit formats."""
    from zamanscraper.extract import dates
    from zamanscraper.processors import ascii_digits, collapse_whitespace

    for path in sorted(ARTICLES.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))["published_raw"]
        if raw:
            assert dates._fast(collapse_whitespace(ascii_digits(raw))) is not None, (path.name, raw)


def test_right_to_left_date_line_read_either_way():
    html = page(headline="عنوان الخبر", dateline="2017-07-17 02:41:43 | محلي",
                body="<p>(زمان الوصل)- نص الخبر الأول.</p><p>نص ثان.</p>")
    record = extract_article(html, "https://www.zamanalwsl.net/news/article/5")
    assert (record["category"], record["published_raw"]) == ("محلي", "2017-07-17 02:41:43")
    assert record["body_paragraphs"] == ["نص الخبر الأول.", "نص ثان."]


def test_xhtml_with_xml_declaration_is_parsed_not_crashed():
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page(headline="Qalamoun &#8211; deal")
    for data in (html, html.encode("utf-8")):
        assert extract_article(data, URL)["headline"] == "Qalamoun – deal"


def test_ticker_label_precheck_admits_every_label_character():
    """``anchors.ticker`` tests a line's first or last word before the label patterns: every
    character the patterns accept at any place of those words (case-insensitively) must pass
    the pre-check."""
    from zamanscraper.extract import selectors as S

    chars = list(map(chr, range(0x10000)))
    for word, rest in (("Latest", " News: x"), ("آخر", " الأخبار"), ("أخبار", " عاجلة")):
        for k in range(len(word)):
            for c in chars:
                text = word[:k] + c + word[k + 1:] + rest
                if S.TICKER_LABEL.match(text):
                    assert S.may_start_ticker_label(text), (k, hex(ord(c)))
    for head, word in (("x : Latest ", "News"), ("x: آخر ", "الأخبار"), ("x: أخبار ", "عاجلة")):
        for k in range(len(word)):
            for c in chars:
                text = head + word[:k] + c + word[k + 1:]
                if S.TICKER_LABEL_END.search(text):
                    assert S.may_end_ticker_label(text), (k, hex(ord(c)))
    for rest in ("eywords:", "ey words:", "ags:", "لكلمات المفتاحية:", "لمات مفتاحية:", "لوسوم:"):
        for c in chars:
            if S.KEYWORDS_LABEL.match(c + rest):
                assert (c + rest).startswith(S.KEYWORDS_FIRST), hex(ord(c))


def utf8_pages():
    """(name, bytes) of every fixture page and every AEB page (where they are) that is UTF-8."""
    import gzip

    from truth import FIXTURES

    aeb = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "aeb" / "html"
    pages = [(p.name, p.read_bytes()) for p in sorted(FIXTURES.rglob("*.html"))]
    pages += [(p.name, gzip.decompress(p.read_bytes())) for p in sorted(aeb.glob("*.html.gz"))]
    out = []
    for name, data in pages:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        out.append((name, data))
    return out


def tree_or_error(page: bytes | str) -> str:
    from lxml import etree

    try:
        return etree.tostring(document._parse_tree(page), encoding="unicode")
    except ExtractError as e:
        return str(e)


def test_utf8_bytes_parse_to_the_tree_of_their_text():
    """``document.parse`` hands libxml2 a UTF-8 page's own bytes (it reads them faster than a
    str) where decoding changed nothing else: the tree must be the one the text gives, whatever
    charset the page declares."""
    pages = utf8_pages()
    assert len(pages) > 300
    declared = (b'<html><head><meta charset="windows-1256"></head><body><p>' + "زمان – “x”".encode()
                + b"</p></body></html>")
    for name, data in [*pages, ("declares windows-1256", declared)]:
        if document._XML_DECLARATION.match(data.decode("utf-8")):
            continue  # lxml takes no str with one; parse strips it and reads the str
        assert tree_or_error(data) == tree_or_error(data.decode("utf-8")), name
    assert document.parse(declared).lines[0].text == "زمان – “x”"


def test_cheap_checks_before_case_insensitive_patterns_miss_nothing():
    """``SITE_TAGLINE_HINT`` is searched before ``SITE_TAGLINE`` and ``TICKER_LABEL_END`` only
    near the end of a line text: neither may miss what the full patterns find."""
    import re

    from zamanscraper.extract import anchors
    from zamanscraper.extract import selectors as S
    from zamanscraper.processors import collapse_whitespace

    for letter in "bayoud":  # what re.I lets match each letter of the hint's [Bb][Aa]…
        assert {c for c in map(chr, range(0x10000)) if re.fullmatch(letter, c, re.I)} == {letter, letter.upper()}
    assert S.SITE_TAGLINE_HINT.search("The tagline of FATHI IBRAHIM BAYOUD's site")
    assert S.SITE_TAGLINE_HINT.search("موقع فتحي إبراهيم بيوض")
    labels = ["Latest News", "LATEST\u00a0 news", "آخر الأخبار", "أخبار \t عاجلة"]
    for label, colon, a, b in itertools.product(labels, ":：", ("", " ", "\u2003 \n"), ("", "  ", "\u00a0")):
        for head in ("", "Headline one", "عنوان طويل جدا " * 8):
            text = collapse_whitespace(f"{head}{a}{colon}{b}{label}")
            assert bool(anchors._label_at_end(text)) == bool(S.TICKER_LABEL_END.search(text)), text
            assert anchors._label_at_end(text), text
            assert not anchors._label_at_end(text + " more"), text


def test_ends_sentence_is_the_sentence_end_pattern():
    from truth import article_pages
    from zamanscraper.extract import selectors as S

    texts = [line.text for page in article_pages() for line in document.parse(page.read_bytes()).lines]
    enders, closers = ".!?؟…:;؛。！？", "'\"”’»)]」』"
    texts += [f"{a}{b}{c}{d}" for a in ("", "word", "x.") for b in ("", *enders, "-") for c in ("", *closers, "»)", " ")
              for d in ("", "\n", "\n\n", " ", "a")]
    assert len(texts) > 10_000
    for text in texts:
        assert S.ends_sentence(text) == bool(S.SENTENCE_END.search(text)), repr(text)


def test_the_site_date_form_parses_as_the_general_patterns_do():
    """``parse_date`` answers ``YYYY-MM-DD HH:MM:SS`` without the general patterns: the same
    answer (a leading space sends the text through them), impossible dates included."""
    from zamanscraper.extract import dates

    stamps = [f"{y}-{mo}-{d} {h}:{mi}:{s}" for y in ("2017", "2016", "0001", "9999") for mo in ("01", "02", "12")
              for d in ("01", "28", "29", "31") for h in ("00", "23") for mi in ("00", "59") for s in ("00", "59")]
    stamps += ["2017-13-01 00:00:00", "2017-00-10 10:10:10", "2017-01-01 24:00:00", "2017-01-01 23:60:00",
               "2017-01-01 23:59:60", "0000-01-01 00:00:00", "2017-04-31 12:00:00"]
    for stamp in stamps:
        assert dates.parse_date(stamp) == dates.parse_date(" " + stamp), stamp
    assert dates.parse_date("2017-07-17 02:41:43") == "2017-07-17T02:41:43"


def test_a_utf8_page_parses_as_its_text_does():
    """``document.parse`` reads a UTF-8 page's bytes (invisible characters stripped there, the
    tree parsed from bytes): lines and source must be those of the same page given as text,
    which goes through ``strip_invisible`` and a str parse."""
    def lines(doc):
        return [(x.text, x.raw, x.links, x.marks, x.soft, x.img) for x in doc.lines]

    marked = [("bidi marks", ("<p>\u200fزمان\u200e الوصل\ufeff</p><p>a\u202bb\x07c</p>" * 3).encode())]
    for name, data in [*utf8_pages(), *marked]:
        try:
            doc = document.parse(data)
        except ExtractError as e:
            with pytest.raises(ExtractError, match=re.escape(str(e))):
                document.parse(data.decode("utf-8"))
            continue
        as_text = document.parse(data.decode("utf-8"))
        assert lines(doc) == lines(as_text), name
        assert doc.source == as_text.source, name


def test_a_page_that_is_not_utf8_is_read_by_its_charset():
    """``document.parse`` hands libxml2 a page's bytes as UTF-8 before decoding anything, and
    takes the long way (decoding by the declared or the edition's charset) when libxml2 reports
    bytes that are not UTF-8: every malformed sequence (stray continuation bytes, truncated,
    overlong, surrogates, beyond U+10FFFF) must give what the long way gives."""
    def lines(doc):
        return [(x.text, x.raw, x.links, x.marks, x.soft, x.img) for x in doc.lines]

    seconds = (0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF)
    samples = [bytes([lead, second]) + tail for lead in range(0x80, 0x100) for second in seconds
               for tail in (b"", b"\x80\x80")]
    samples += ["زمان".encode("windows-1256"), "café – “x”".encode("windows-1252")]
    for sample in samples:
        try:
            sample.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        data = b"<html><body><p>Syria " + sample + b" news</p><p>" + "زمان الوصل".encode() + b"</p></body></html>"
        doc, long_way = document.parse(data), document.parse(document.decode(data))
        assert lines(doc) == lines(long_way), sample
        assert doc.source == long_way.source, sample
