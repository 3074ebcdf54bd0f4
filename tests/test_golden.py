"""Golden files: every field of extract_article on every fixture page, provenance included.

A change in extraction output fails here until the goldens are refreshed on purpose:

    python -m pytest tests/test_golden.py --update-goldens

which rewrites tests/fixtures/expected/ from the current extractor; review the diff before
committing it. tests/test_truth.py separately pins the goldens' content to the article sources,
so a refresh cannot quietly bless a wrong value.
"""

from __future__ import annotations

import json

import pytest

from truth import FIXTURES, PAGES, url_of
from zamanscraper.extract import ExtractError, extract_article

EXPECTED = FIXTURES / "expected"
HOSTILE = json.loads((FIXTURES / "hostile.json").read_text(encoding="utf-8"))
ALL_PAGES = sorted(p for p in PAGES.iterdir() if p.suffix in (".html", ".bin"))


def page_url(page) -> str:
    if page.name.startswith("hostile-"):
        article = HOSTILE.get(page.name, {}).get("article") or "en-1"
        edition, article_id = article.split("-")
        host = "en.zamanalwsl.net" if edition == "en" else "www.zamanalwsl.net"
        return f"https://{host}/news/article/{article_id}"
    return url_of(page)


def output(page) -> dict:
    try:
        return extract_article(page.read_bytes(), page_url(page))
    except ExtractError as exc:
        return {"error": str(exc)}


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: p.name)
def test_golden(page, request):
    golden = EXPECTED / f"{page.name}.json"
    got = output(page)
    if request.config.getoption("--update-goldens"):
        EXPECTED.mkdir(exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    assert golden.exists(), f"no golden for {page.name}: run with --update-goldens and review it"
    want = json.loads(golden.read_text(encoding="utf-8"))
    diffs = [f"{k}: got {got.get(k)!r}, golden {want.get(k)!r}" for k in sorted(set(got) | set(want))
             if got.get(k) != want.get(k)]
    assert not diffs, "\n".join(diffs)


def test_every_golden_has_a_page():
    pages = {p.name for p in ALL_PAGES}
    stale = [g.name for g in EXPECTED.glob("*.json") if g.name[: -len(".json")] not in pages]
    assert not stale, f"goldens without a page: {stale}"
