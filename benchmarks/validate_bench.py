#!/usr/bin/env python3
"""Per-record cost of checking the record schema, as ratios to extracting the same pages.

Extracts every canonical article page of the demo mirror (the baseline, in this process), then
times on those records: the validate pipeline's check (``fastjsonschema``, compiled once),
``jsonschema``'s ``Draft202012Validator`` on the same schema (when installed), and the
explanation of an invalid record (field by field). Prints microseconds and ratios.

    .venv/bin/python benchmarks/validate_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zamanscraper import mirror, urls  # noqa: E402
from zamanscraper.extract import ExtractError, extract_article  # noqa: E402
from zamanscraper.pipelines.validate import default_schema  # noqa: E402
from zamanscraper.schema import load_schema  # noqa: E402
from zamanscraper.spiders.zaman import make_item  # noqa: E402


def article_pages() -> list[tuple[bytes, str, tuple[str, int]]]:
    pages = []
    for path in sorted(mirror.DEFAULT_ROOT.glob("*/news/article/*/index.html")):
        site_url = "https://" + str(path.parent.relative_to(mirror.DEFAULT_ROOT))
        key = urls.article_key(site_url)
        if key is not None:
            pages.append((path.read_bytes(), urls.canonical_url(*key), key))
    return pages


def per_call(function, items, rounds: int) -> float:
    """Seconds per item of ``function(item)``, best of ``rounds`` passes."""
    times = timeit.repeat(lambda: [function(x) for x in items], number=1, repeat=rounds)
    return min(times) / len(items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pages = article_pages()
    records, articles = [], []
    for page in pages:
        body, url, key = page
        try:
            record = extract_article(body, url)
        except ExtractError:  # the mirror's hostile and 403 pages: not records
            continue
        articles.append(page)
        records.append(make_item(record, key, url, fetched_at="2026-01-01T00:00:00Z"))
    pages = articles
    schema = default_schema()
    extract = per_call(lambda page: extract_article(page[0], page[1]), pages, max(1, args.rounds // 2))
    fast = per_call(schema.problems, records, args.rounds)
    invalid = [dict(r, headline=None, comments_count="3") for r in records]
    explain = per_call(schema.problems, invalid, args.rounds)
    print(f"{len(records)} records of {len(pages)} pages")
    print(f"extraction (baseline)     {extract * 1e6:9.0f} us/page   1.000")
    print(f"validate: fastjsonschema  {fast * 1e6:9.1f} us/record {fast / extract:7.4f}")
    print(f"validate: invalid record  {explain * 1e6:9.1f} us/record {explain / extract:7.4f}")
    try:
        import jsonschema
    except ImportError:
        print("jsonschema not installed: skipped")
        return 0
    validator = jsonschema.Draft202012Validator(load_schema())
    slow = per_call(lambda r: list(validator.iter_errors(r)), records, args.rounds)
    print(f"jsonschema iter_errors    {slow * 1e6:9.1f} us/record {slow / extract:7.4f}"
          f"  ({slow / fast:.0f}x fastjsonschema)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
