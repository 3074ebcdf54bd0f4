"""Per-field extraction accuracy over the fixture pages, by markup family.

    python benchmarks/accuracy.py            # table: family x field, share of pages exactly right
    python benchmarks/accuracy.py --misses   # also every wrong value, for tuning

The truth is each page's article source (tests/fixtures/articles/) with the exceptions its
builder declares; tests/test_truth.py requires 100% and this script shows where a change lands
when it does not.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from truth import CHECKED, article_pages, expected_record, source_of, url_of  # noqa: E402
from zamanscraper.extract import ExtractError, extract_article  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print every wrong value")
    args = parser.parse_args()
    right: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    pages: dict[str, int] = defaultdict(int)
    for page in article_pages():
        family = page.stem.split("-", 2)[2]
        pages[family] += 1
        want = expected_record(source_of(page), page.name)
        try:
            got = extract_article(page.read_bytes(), url_of(page))
        except ExtractError as error:
            got = {}
            if args.misses:
                print(f"{page.name}: {error}")
        for name in CHECKED:
            if got.get(name) == want[name]:
                right[family][name] += 1
            elif args.misses:
                print(f"{page.name} {name}: got {got.get(name)!r}, want {want[name]!r}")
    short = {name: name.replace("_headlines", "").replace("_paragraphs", "")[:9] for name in CHECKED}
    print(f"{'family':>11} {'pages':>5} " + " ".join(f"{short[n]:>9}" for n in CHECKED))
    for family in sorted(pages):
        cells = " ".join(f"{100 * right[family][n] / pages[family]:8.0f}%" for n in CHECKED)
        print(f"{family:>11} {pages[family]:>5} {cells}")
    total = sum(pages.values())
    cells = " ".join(f"{100 * sum(right[f][n] for f in pages) / total:8.1f}%" for n in CHECKED)
    print(f"{'all':>11} {total:>5} {cells}")


if __name__ == "__main__":
    main()
