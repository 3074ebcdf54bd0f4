"""The goldens' content equals the hand-written article sources, field by field, page by page.

This is the accuracy pin: every rendering of every article (html5, soup, minimal, plain, and
the hostile variants that carry an article) must come out exactly as its source says.
"""

from __future__ import annotations

import json

import pytest
from test_golden import EXPECTED, HOSTILE

from truth import ARTICLES, article_pages, differences, expected_record, source_of

CASES = [(p.name, source_of(p)) for p in article_pages()] + [
    (name, json.loads((ARTICLES / f"{info['article']}.json").read_text(encoding="utf-8")))
    for name, info in HOSTILE.items()
    if info["expect"] == "item" and info.get("article")
]


@pytest.mark.parametrize(("name", "source"), CASES, ids=[c[0] for c in CASES])
def test_golden_matches_source(name, source):
    golden = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    want = expected_record(source, name)
    assert differences(golden, want) == []
