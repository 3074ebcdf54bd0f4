"""Extraction speed as ratios to baselines measured in the same process.

    python benchmarks/extract_bench.py            # extraction vs lxml and trafilatura
    python benchmarks/extract_bench.py --crawl    # also demo-crawl pages/min vs `scrapy bench`

Machines here are noisy (2 shared cores), so absolute milliseconds mean little: read the
ratios. Each figure is the median of several rounds over all fixture article pages. English
and Arabic pages are reported separately (Arabic dates may need dateparser's slow path). The
``walk`` column says which line walk ran: the compiled one (C) when it is built, then the
Python one (its specification) for comparison in the same process.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from truth import article_pages, url_of  # noqa: E402
from zamanscraper.extract import document, extract_article  # noqa: E402


def per_page_ms(func, pages) -> float:
    """Mean milliseconds per page of one pass over ``pages``."""
    start = time.perf_counter()
    for data, url in pages:
        func(data, url)
    return (time.perf_counter() - start) * 1000 / len(pages)


def ratio(func, baseline, pages, rounds: int) -> tuple[float, float, float]:
    """Median per-page ms of ``func`` and ``baseline``, and the median of their per-round ratio.

    The two run back to back in every round, so load that comes and goes on a shared machine
    hits both sides of each ratio alike.
    """
    ours, base, ratios = [], [], []
    for _ in range(rounds):
        a, b = per_page_ms(func, pages), per_page_ms(baseline, pages)
        ours.append(a)
        base.append(b)
        ratios.append(a / b)
    return statistics.median(ours), statistics.median(base), statistics.median(ratios)


def walks():
    """(name, context that makes it run): the compiled line walk if it is built, the Python one."""
    if document._c_walk is not None:
        yield "C", contextlib.nullcontext()
    else:
        print(f"the C line walk is not available ({document._c_walk_missing}): only the Python walk is measured")
    yield "Python", mock.patch.object(document, "_c_walk", None)


def walk_ratio(pages, rounds: int) -> float:
    """Median per-round ratio of extraction times: with the C walk / with the Python walk."""
    ratios = []
    for _ in range(rounds):
        times = []
        for _, running in walks():
            with running:
                times.append(per_page_ms(extract_article, pages))
        ratios.append(times[0] / times[1])
    return statistics.median(ratios)


def extraction(rounds: int) -> None:
    pages = [(p.read_bytes(), url_of(p)) for p in article_pages()]
    groups = {
        "en": [pg for pg in pages if "://en." in pg[1]],
        "ar": [pg for pg in pages if "://www." in pg[1]],
    }
    extract_article(*pages[0])  # warm imports and caches once, outside the timing
    try:
        import trafilatura
    except ImportError:
        trafilatura = None
        print("trafilatura not installed (pip install -e '.[bench]'): its column is skipped")
    print(f"{'walk':>6} {'pages':>6} {'n':>4} {'extract ms':>11} {'lxml ms':>8} {'x lxml':>7} "
          f"{'trafilatura ms':>15} {'x ours':>7}")
    for first, (walk, running) in enumerate(walks()):
        with running:
            for name, group in (("all", pages), *groups.items()):
                ours, floor, x_floor = ratio(lambda d, u: extract_article(d, u),
                                             lambda d, u: lxml.html.fromstring(d), group, rounds)
                line = f"{walk:>6} {name:>6} {len(group):>4} {ours:11.3f} {floor:8.3f} {x_floor:6.2f}x"
                if trafilatura and not first:
                    traf, _, x_traf = ratio(lambda d, u: trafilatura.extract(d, url=u),
                                            lambda d, u: extract_article(d, u), group, max(1, rounds // 2))
                    line += f" {traf:15.3f} {x_traf:6.2f}x"
                print(line)
    if document._c_walk is not None:
        print(f"whole extraction with the C walk / with the Python walk: {walk_ratio(pages, rounds):.2f}")
    print("x lxml: our time / lxml.html.fromstring on the same pages (issue 11: at most 3, aim 2); "
          "x ours: trafilatura.extract time / ours. Medians of per-round ratios.")


def crawl_rate() -> None:
    """Demo crawl pages/min next to `scrapy bench` pages/min on this machine, same run."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "zamanscraper", "demo", "--out", tmp],
                       cwd=ROOT, capture_output=True, text=True, check=False)
        log = (Path(tmp) / "crawl.log").read_text(encoding="utf-8", errors="replace")
    responses = _stat(log, "downloader/response_count")
    elapsed = _stat(log, "elapsed_time_seconds", float)
    bench = subprocess.run(
        ["scrapy", "bench", "-s", "CLOSESPIDER_TIMEOUT=10", "-s", "LOGSTATS_INTERVAL=1"],
        cwd=tempfile.gettempdir(), capture_output=True, text=True, check=False,
    )
    rates = [int(m) for m in re.findall(r"at (\d+) pages/min", bench.stderr)]
    bench_rate = max(rates) if rates else None
    demo_rate = responses * 60 / elapsed if responses and elapsed else None
    print(f"demo crawl: {responses} responses in {elapsed} s of crawl = {demo_rate or 0:.0f} pages/min")
    print(f"scrapy bench: {bench_rate} pages/min (peak of its 1 s log lines)")
    if demo_rate and bench_rate:
        print(f"demo / bench: {demo_rate / bench_rate:.2f} (the demo crawl is short, so engine start and "
              "the last slow responses weigh in; scrapy bench runs 10 s on trivial pages)")


def _stat(log: str, key: str, kind=int):
    m = re.search(rf"'{re.escape(key)}': ([0-9.]+)", log)
    return kind(m.group(1)) if m else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--crawl", action="store_true", help="also time the demo crawl against scrapy bench")
    args = parser.parse_args()
    extraction(args.rounds)
    if args.crawl:
        crawl_rate()


if __name__ == "__main__":
    main()
