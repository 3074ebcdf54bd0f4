"""Records you can trust on HTML nobody here wrote (issue 8): corroborated anchors, what a
reader sees, dates never invented. Each test is one trap found on real or varied markup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zamanscraper.extract import extract_article

SEED = Path(__file__).resolve().parents[2] / "shared" / "site" / "seed-page-en-28116.txt"
URL = "https://en.zamanalwsl.net/news/article/28116"
TRUTH = json.loads((Path(__file__).parent / "fixtures" / "articles" / "en-28116.json").read_text(encoding="utf-8"))
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="shared/site/seed-page-en-28116.txt not beside the repo")

PROSE = (
    "<p>The committee assigned to negotiate reached a tentative agreement with the regime forces, "
    "a local source said on Monday, after weeks of talks in the region.</p>"
    "<p>Speaking to reporters, the source confirmed that the meeting was preceded by several "
    "sessions over the past weeks, and that the terms were published on Facebook.</p>"
    "<p>According to the source, the factions agreed to negotiate to preserve civilian lives, and "
    "they still reject the deployment of troops within the cities.</p>"
)


def html(body: str, head: str = "<title>Talks reach a tentative agreement in the east - News</title>") -> str:
    """A page: ``body`` in a page wrapper, the prose (when given as PROSE) in a story block."""
    body = body.replace(PROSE, f"<div class='story'>{PROSE}</div>")
    return f"<html><head>{head}</head><body><div class='page'>{body}</div><footer>About us</footer></body></html>"


# --- dates: never invented -------------------------------------------------------------------


@needs_seed
@pytest.mark.parametrize(
    ("printed", "published_at"),
    [
        ("March 2017", "2017-03"),
        ("2017", "2017"),
        ("3 hours ago", None),
        ("2017-07-17 14:02 GMT+3", "2017-07-17T14:02:00+03:00"),
    ],
)
def test_unfamiliar_date_lines_keep_the_body_and_invent_nothing(printed, published_at):
    text = SEED.read_text(encoding="utf-8").replace("| 2017-07-17 02:41:43", f"| {printed}")
    record = extract_article(text, URL)
    assert record["body_paragraphs"] == TRUTH["body_paragraphs"]
    assert record["headline"] == TRUTH["headline"]
    assert record["published_at"] == published_at
    if published_at is not None:
        assert record["published_raw"] == printed


def test_time_datetime_is_read_and_a_relative_phrase_never_becomes_a_date():
    page = html(
        '<h1>Talks reach a tentative agreement in the east</h1>'
        '<time datetime="2017-07-17T02:41:43+03:00">3 hours ago</time>' + PROSE
    )
    record = extract_article(page, URL)
    assert record["published_raw"] == "3 hours ago"  # as printed
    assert record["published_at"] == "2017-07-17T02:41:43+03:00"
    assert record["provenance"]["published_at"] == "metadata"


def test_relative_phrase_alone_gives_no_date():
    page = html('<h1>Talks reach a tentative agreement in the east</h1><time>3 hours ago</time>' + PROSE)
    record = extract_article(page, URL)
    assert record["published_at"] is None
    assert "published_at" not in record["provenance"]


@needs_seed
def test_zone_from_the_setting_says_setting():
    record = extract_article(SEED.read_bytes(), URL, timezone="Europe/Istanbul")
    assert record["published_at"] == "2017-07-17T02:41:43+03:00"
    assert record["provenance"]["published_at"] == "setting"
    assert record["provenance"]["published_raw"] == "text"


# --- anchors are corroborated, never trusted alone ------------------------------------------


def test_two_identical_lines_are_not_the_doubled_headline():
    page = html("<div>Advertisement</div><div>Advertisement</div>"
                "<h1>Talks reach a tentative agreement in the east</h1>" + PROSE)
    record = extract_article(page, URL)
    assert record["headline"] == "Talks reach a tentative agreement in the east"
    assert len(record["body_paragraphs"]) == 3
    assert record["provenance"]["body_paragraphs"] == "fallback"


def test_a_date_range_is_not_the_date_line():
    page = html("<h1>Exhibition opens</h1><div>29 November 2018 | 20 January 2019</div>"
                "<div>Exhibition opens</div>" + PROSE, head="<title>Exhibition opens</title>")
    record = extract_article(page, URL)
    assert record["published_raw"] is None and record["category"] is None
    assert len(record["body_paragraphs"]) == 3


def test_a_photo_credit_with_copyright_sign_does_not_end_the_body():
    body = PROSE.replace("</p><p>According", "</p><p>© Reuters</p><p>According")
    record = extract_article(html("<h1>Talks reach a tentative agreement in the east</h1>" + body), URL)
    assert record["body_paragraphs"][-1].startswith("According to the source")


def test_a_form_wrapping_the_whole_page_is_not_furniture():
    body = ("<form action='/page.aspx' method='post'><h1>Talks reach a tentative agreement in the east</h1>"
            "<div class='text'>" + PROSE + "<p>A fourth paragraph, with more words in it, ends here.</p>"
            "<p>And a fifth one.</p></div></form>")
    record = extract_article(html(body), URL)
    assert len(record["body_paragraphs"]) >= 4


def test_story_split_over_sibling_containers_is_read_whole():
    columns = "".join(f"<div class='col'><div>{p}</div></div>" for p in PROSE.split("</p>") if p)
    record = extract_article(html("<h1>Talks reach a tentative agreement in the east</h1>" + columns), URL)
    assert len(record["body_paragraphs"]) == 3


def test_japanese_sentences_are_prose():
    text = "これは記事の本文です。政府は月曜日に新しい方針を発表しました。専門家は慎重な見方を示しています。"
    page = html(f"<h1>見出し</h1><div><p>{text}</p><p>{text}</p></div>", head="<title>見出し</title>")
    assert extract_article(page, URL)["body_paragraphs"] == [text, text]


# --- what a reader sees is what is extracted ------------------------------------------------


def test_hidden_and_scripted_text_is_never_read():
    page = page_with_ticker(
        '<div style="DISPLAY: none">Local | 2001-01-01 00:00:00</div>'
        '<div hidden>Comments (99)</div>'
    )
    record = extract_article(page, URL)
    assert record["published_raw"] == "2017-07-17 02:41:43"
    assert record["comments_count"] == 2
    assert record["ticker_headlines"] == ["First headline", "Second headline"]
    assert record["keywords"] == ["Syria", "Qalamoun"]


def page_with_ticker(decoys: str) -> str:
    return html(
        "<div><strong>Latest</strong> <span>News:<script>var t = 1;</script></span></div>"
        "<ul><li><a href='/news/article/1'>First\n        headline</a></li>"
        "<li><a href='/news/article/2'>Second headline<script>{\"x\": 1}</script></a></li></ul>"
        + decoys +
        "<div>Talks reach a tentative agreement in the east</div><div>Local | 2017-07-17 02:41:43</div>"
        "<div>Talks reach a tentative agreement in the east</div>" + PROSE +
        "<div>Keywords: <a href='/k/1'>Syria<script>x()</script></a> <a href='/k/2'>\n   Qalamoun\n  </a></div>"
        "<div>Comm<span>ents</span> (<b>2</b>)</div>"
    )
