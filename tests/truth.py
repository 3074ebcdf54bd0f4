"""The truth of a fixture page: what its article source says the record must hold."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"
PAGES = FIXTURES / "pages"
#: record fields the article sources pin, in record order
CHECKED = ("headline", "published_raw", "published_at", "category", "source_tag", "byline",
           "body_paragraphs", "signoff", "keywords", "ticker_headlines", "comments_count",
           "image_urls", "language")


def article_pages() -> list[Path]:
    """Every rendered article page (hostile pages are not renderings of one article)."""
    return sorted(p for p in PAGES.glob("*.html") if not p.name.startswith("hostile-"))


def source_of(page: Path) -> dict:
    edition, article_id, _family = page.stem.split("-", 2)
    return json.loads((ARTICLES / f"{edition}-{article_id}.json").read_text(encoding="utf-8"))


def url_of(page: Path) -> str:
    edition, article_id, _family = page.stem.split("-", 2)
    host = "en.zamanalwsl.net" if edition == "en" else "www.zamanalwsl.net"
    return f"https://{host}/news/article/{article_id}"


def overrides() -> dict[str, dict]:
    """Per-page exceptions to the source's truth, each written next to the page's builder:
    what a page cannot carry (a plain text copy has no images; a truncated page has no
    keywords)."""
    out: dict[str, dict] = {}
    for page, info in json.loads((FIXTURES / "hostile.json").read_text(encoding="utf-8")).items():
        out[page] = info.get("record", {})
    for path in sorted(FIXTURES.glob("*exceptions.json")):  # one file per page builder
        for page, fields in json.loads(path.read_text(encoding="utf-8")).items():
            out.setdefault(page, {}).update(fields)
    return out


def expected_record(source: dict, page_name: str | None = None) -> dict:
    """The article source's truth in record terms, for one page."""
    record = _from_source(source)
    if page_name and page_name.endswith("-plain.html"):
        record["image_urls"] = []  # the plain family is a text copy: no <img> at all
    if page_name:
        record.update(overrides().get(page_name, {}))
    return record


def _from_source(source: dict) -> dict:
    return {
        "headline": source["headline"],
        "published_raw": source["published_raw"],
        "published_at": source["published_at"],
        "category": source["category"],
        "source_tag": source["source_tag"],
        "byline": source["byline"],
        "body_paragraphs": source["body_paragraphs"],
        "signoff": source["signoff"],
        "keywords": source["keywords"],
        "ticker_headlines": source["ticker"]["headlines"] if source["ticker"]["position"] != "none" else [],
        "comments_count": source["comments"]["count"] if source["comments"] else None,
        "image_urls": source["image_urls"],
        "language": source["edition"],
    }


def differences(record: dict, expected: dict) -> list[str]:
    return [
        f"{name}: got {record.get(name)!r}, want {expected[name]!r}"
        for name in CHECKED
        if record.get(name) != expected[name]
    ]
