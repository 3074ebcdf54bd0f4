#!/usr/bin/env python3
"""Body extraction on real news pages nobody here wrote: zamanscraper beside trafilatura.

Reads the Article Extraction Benchmark (Zyte, MIT): ``html/{id}.html.gz`` and
``ground-truth.json`` under ``--aeb-dir`` (default ``../shared/data/aeb`` next to the
repository; point it at a clone of scrapinghub/article-extraction-benchmark to use that).
Every page is extracted as if it were a Zaman article URL (the site anchors get their chance
and must not fire wrongly), and ``body_paragraphs`` joined by newlines is scored against the
truth's ``articleBody`` with the benchmark's metric: per page, the 4-word shingles of the ``\\w+``
tokens; true/false positives and negatives normalised by their sum; precision and recall
averaged over the pages where they are defined; F1 the harmonic mean of the two averages.

    python benchmarks/realworld.py [--aeb-dir DIR] [--worst 15] [--no-trafilatura]
    python benchmarks/realworld.py --check-metric   # scores the stored trafilatura 2.0.0 output

Prints precision, recall, F1 and accuracy for both extractors, zamanscraper by provenance
layer of the body, the worst pages, and the time per page as a ratio to trafilatura's in the
same run. Needs ``pip install -e '.[bench]'`` for trafilatura.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_AEB = REPO.parent / "shared" / "data" / "aeb"
#: the URL every page is extracted as (an English article URL of the site)
AS_URL = "https://en.zamanalwsl.net/news/article/1"

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str | None, n: int = 4) -> Counter:
    """Multiset of the n-word shingles of ``text`` (a shorter text is one shingle).

    >>> sorted(shingles("a b c d e").items())
    [(('a', 'b', 'c', 'd'), 1), (('b', 'c', 'd', 'e'), 1)]
    >>> shingles("a b"), shingles("")
    (Counter({('a', 'b'): 1}), Counter())
    """
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_score(truth: str | None, predicted: str | None) -> tuple[float, float, float]:
    """``(tp, fp, fn)`` over shingles, normalised so that each page weighs the same.

    >>> page_score("one two three four five", "one two three four")
    (0.5, 0.0, 0.5)
    """
    want, got = shingles(truth), shingles(predicted)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def summary(scores: list[tuple[float, float, float]]) -> dict:
    """Mean precision and recall over the pages where each is defined; F1 of the two means."""
    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    ps = [precision(*s) for s in scores if s[0] + s[1] > 0]
    rs = [recall(*s) for s in scores if s[0] + s[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "pages": len(scores)}


def page_f1(score) -> float:
    tp, fp, fn = score
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def tokens_equal(a: str | None, b: str | None) -> bool:
    return _TOKEN.findall(a or "") == _TOKEN.findall(b or "")


def load(aeb: Path) -> tuple[dict, dict[str, bytes]]:
    truth_path = aeb / "ground-truth.json"
    if not truth_path.is_file():
        sys.exit(f"realworld.py: error: {truth_path} not found (give --aeb-dir)")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = {}
    for key in truth:
        path = aeb / "html" / f"{key}.html.gz"
        pages[key] = gzip.decompress(path.read_bytes())
    return truth, pages


def run_ours(pages: dict[str, bytes]) -> tuple[dict, dict, float]:
    from zamanscraper.extract import ExtractError, extract_article

    bodies, layers = {}, {}
    start = time.perf_counter()
    for key, html in pages.items():
        try:
            record = extract_article(html, AS_URL)
        except ExtractError as error:
            bodies[key], layers[key] = "", f"refused ({error})"[:40]
            continue
        bodies[key] = "\n".join(record["body_paragraphs"])
        layers[key] = record["provenance"].get("body_paragraphs", "none")
    return bodies, layers, time.perf_counter() - start


def run_trafilatura(pages: dict[str, bytes]) -> tuple[dict, float]:
    import trafilatura

    bodies = {}
    start = time.perf_counter()
    for key, html in pages.items():
        bodies[key] = trafilatura.extract(html) or ""
    return bodies, time.perf_counter() - start


def row(name: str, s: dict, accuracy: float | None = None) -> str:
    acc = f"  accuracy {accuracy:.3f}" if accuracy is not None else ""
    return (f"{name:<28} precision {s['precision']:.3f}  recall {s['recall']:.3f}  "
            f"F1 {s['f1']:.3f}  ({s['pages']} pages){acc}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeb-dir", type=Path, default=DEFAULT_AEB)
    parser.add_argument("--worst", type=int, default=15, help="how many worst pages to list")
    parser.add_argument("--no-trafilatura", action="store_true")
    parser.add_argument("--check-metric", action="store_true",
                        help="score the benchmark's stored output/trafilatura.json and exit")
    args = parser.parse_args(argv)
    truth, pages = load(args.aeb_dir)
    want = {k: v.get("articleBody", "") for k, v in truth.items()}

    if args.check_metric:
        stored = json.loads((args.aeb_dir / "output" / "trafilatura.json").read_text(encoding="utf-8"))["output"]
        scores = [page_score(want[k], stored[k].get("articleBody", "")) for k in want]
        acc = statistics.mean(tokens_equal(want[k], stored[k].get("articleBody")) for k in want)
        print(row("stored trafilatura 2.0.0", summary(scores), acc))
        print("published:                   precision 0.938  recall 0.978  F1 0.958  accuracy 0.293")
        return 0

    ours, layers, ours_time = run_ours(pages)
    our_scores = {k: page_score(want[k], ours[k]) for k in want}
    acc = statistics.mean(tokens_equal(want[k], ours[k]) for k in want)
    print(row("zamanscraper", summary(list(our_scores.values())), acc))
    theirs = {}
    if not args.no_trafilatura:
        import trafilatura

        theirs, their_time = run_trafilatura(pages)
        their_scores = {k: page_score(want[k], theirs[k]) for k in want}
        acc = statistics.mean(tokens_equal(want[k], theirs[k]) for k in want)
        print(row(f"trafilatura {trafilatura.__version__}", summary(list(their_scores.values())), acc))
    print()
    by_layer = defaultdict(list)
    for key, layer in layers.items():
        by_layer[layer].append(our_scores[key])
    print("zamanscraper by provenance of body_paragraphs:")
    for layer, scores in sorted(by_layer.items(), key=lambda kv: -len(kv[1])):
        print("  " + row(layer, summary(scores)))
    zero = [k for k, s in our_scores.items() if page_f1(s) == 0]
    print(f"\npages with nothing right: {len(zero)}", end="")
    if theirs:
        bad = [k for k in zero if page_f1(their_scores[k]) > 0.5]
        print(f" ({len(bad)} of them where trafilatura's page F1 > 0.5)", end="")
    print()
    print(f"\nworst {args.worst} pages (page F1 ours / trafilatura, layer):")
    for key in sorted(our_scores, key=lambda k: page_f1(our_scores[k]))[:args.worst]:
        other = f"{page_f1(their_scores[key]):.2f}" if theirs else "-"
        print(f"  {key[:16]}  {page_f1(our_scores[key]):.2f} / {other}  {layers[key]}")
    n = len(pages)
    print(f"\ntime per page: zamanscraper {1000 * ours_time / n:.2f} ms", end="")
    if theirs:
        print(f", trafilatura {1000 * their_time / n:.2f} ms "
              f"(ours = {ours_time / their_time:.2f}x trafilatura's)", end="")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
