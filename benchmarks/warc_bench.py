"""WARC capture size and re-extraction speed, as ratios to baselines in the same process.

    python benchmarks/warc_bench.py [--repeat N]
    python benchmarks/warc_bench.py --records 100000     # a WARC of N synthetic articles

Writes every fixture article page (all markup families) through ``WarcWriterMiddleware`` into a
temporary directory, then prints:

- WARC bytes per page (request + response records, gzip) next to the page's own size;
- the middleware's write time per page as a ratio to ``lxml.html.fromstring`` of that page;
- ``reextract`` pages/s over those files (``--repeat`` passes over them) next to the floor:
  reading the same WARC records and ``lxml.html.fromstring`` on each page, and nothing else.

With ``--records N``: N distinct articles of the synthetic site (``synthetic_site.py``: ids 1..N,
both editions in turn, all markup families) are written as one crawl's WARC files, then the floor
and ``reextract`` each make one pass over them (pages/s, and the growth of this process's peak RSS
during the ``reextract`` pass).

Machines here are noisy (2 shared cores): read the ratios, not the milliseconds.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import lxml.html
from scrapy import Request
from scrapy.http import HtmlResponse
from warcio.archiveiterator import ArchiveIterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from truth import article_pages, url_of  # noqa: E402
from zamanscraper import urls  # noqa: E402
from zamanscraper.middlewares.warc import WarcWriterMiddleware  # noqa: E402
from zamanscraper.reextract import reextract  # noqa: E402


def write_warcs(pages: list[tuple[bytes, str]], directory: Path) -> float:
    """Write the pages as WARC records; seconds spent in the middleware."""
    mw = WarcWriterMiddleware(directory, max_size=1_000_000_000)
    responses = [(Request(url), HtmlResponse(url, body=body, headers={
        "Content-Type": "text/html; charset=utf-8"})) for body, url in pages]
    start = time.perf_counter()
    for request, response in responses:
        mw.process_response(request, response)
    mw.close()
    return time.perf_counter() - start


def write_synthetic(records: int, directory: Path) -> None:
    """Write ``records`` distinct synthetic articles (ids 1.., editions alternating) as WARC
    files, one page at a time (nothing is held in memory)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic_site import Site

    site = Site((records + 1) // 2)
    mw = WarcWriterMiddleware(directory, max_size=1_000_000_000)
    for n in range(records):
        edition, article_id = ("en", "ar")[n % 2], n // 2 + 1
        url = urls.canonical_url(edition, article_id)
        body = site.article_page(edition, article_id)
        mw.process_response(Request(url), HtmlResponse(url, body=body, headers={
            "Content-Type": "text/html; charset=utf-8"}))
    mw.close()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def at_scale(records: int) -> None:
    """One pass of the floor and of ``reextract`` over a WARC of ``records`` articles."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        write_synthetic(records, tmp / "warc")
        warcs = sorted((tmp / "warc").glob("*.warc.gz"))
        size = sum(p.stat().st_size for p in warcs)
        print(f"WARC: {records:,} response records in {len(warcs)} files, {size / 1e6:,.0f} MB "
              f"(written in {time.perf_counter() - start:,.0f} s)")
        count, seconds = floor(warcs)
        print(f"floor (read WARC + lxml parse): {count / seconds:,.0f} pages/s ({count:,} pages, {seconds:,.0f} s)")
        before = peak_rss_mb()
        result = reextract(warcs, tmp / "out.jsonl", tmp / "rejects.jsonl")
        pages = result.stats["zaman/warc/responses"]
        rate = pages / result.elapsed
        print(f"reextract: {rate:,.0f} pages/s ({pages:,} pages, {result.items:,} records, "
              f"{result.elapsed:,.0f} s) = {count / seconds / rate:.1f}x the floor's time per page; "
              f"peak RSS {before:,.0f} MB before, {peak_rss_mb():,.0f} MB after")


def parse_all(pages: list[tuple[bytes, str]]) -> float:
    start = time.perf_counter()
    for body, _url in pages:
        lxml.html.fromstring(body)
    return time.perf_counter() - start


def floor(paths: list[Path]) -> tuple[int, float]:
    """Read every response record and parse its body with lxml: pages, seconds."""
    count, start = 0, time.perf_counter()
    for path in paths:
        with path.open("rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type == "response":
                    lxml.html.fromstring(record.content_stream().read())
                    count += 1
    return count, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="passes over the WARC files")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--records", type=int, default=0,
                        help="instead: one pass over a WARC of this many synthetic articles")
    args = parser.parse_args()
    if args.records > 0:
        at_scale(args.records)
        return
    pages = [(p.read_bytes(), url_of(p)) for p in article_pages()]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_s = statistics.median(write_warcs(pages, tmp / f"w{r}") for r in range(args.rounds))
        parse_s = statistics.median(parse_all(pages) for _ in range(args.rounds))
        warcs = sorted((tmp / "w0").glob("*.warc.gz"))
        warc_bytes = sum(p.stat().st_size for p in warcs)
        page_bytes = sum(len(body) for body, _ in pages)
        n = len(pages)
        print(f"pages: {n}, mean page {page_bytes / n / 1000:.1f} KB")
        print(f"WARC per page (request + response, gzip): {warc_bytes / n / 1000:.2f} KB "
              f"({warc_bytes / page_bytes:.0%} of the page)")
        print(f"WARC write per page: {write_s / n * 1000:.2f} ms = "
              f"{write_s / parse_s:.1f}x lxml.html.fromstring")

        inputs = warcs * args.repeat
        fl = [floor(inputs) for _ in range(args.rounds)]
        floor_rate = statistics.median(c / s for c, s in fl)
        rates = []
        for r in range(args.rounds):
            result = reextract(inputs, tmp / f"out{r}.jsonl", tmp / f"rej{r}.jsonl")
            rates.append(result.stats["zaman/warc/responses"] / result.elapsed)
        rate = statistics.median(rates)
        print(f"reextract: {rate:.0f} pages/s; floor (read WARC + lxml parse): {floor_rate:.0f} "
              f"pages/s; reextract = {floor_rate / rate:.1f}x the floor's time per page")


if __name__ == "__main__":
    main()
