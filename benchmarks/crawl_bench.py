#!/usr/bin/env python3
"""Crawl N pages of the synthetic site (``synthetic_site.py``) and print rates and memory beside
``scrapy bench`` measured in the same run; then one worker against two on Redis where the
network is the limit. Figures and ratios only, no assertion.

    python benchmarks/crawl_bench.py --pages 10000                    # one worker + scrapy bench
    python benchmarks/crawl_bench.py --pages 0 --worker-pages 1000 --delay 1   # workers only
    python benchmarks/crawl_bench.py --pages 100000 --worker-pages 0 --state   # with a seen-store

One worker: ``scrapy crawl zaman -a mirror=SITE -a ids=1-N -o out.jsonl`` in a subprocess; its
RSS is sampled from ``/proc/PID/status`` while the records it writes are counted, giving RSS at
10%, 50% and 100% of the crawl and the peak. Rates come from the crawl's own stats
(``downloader/response_count``, ``item_scraped_count``, ``elapsed_time_seconds``); ``scrapy
bench`` (Scrapy's own loopback benchmark, stock settings, no extraction) runs first.

Workers: a real ``redis-server`` (loopback, free port, password), the site answering every
request after ``--delay`` seconds, ``--worker-pages`` ids crawled by one worker and then by two
started with the identical command (distributed mode, ``ZAMAN_REDIS_URL``); pages/min of the
whole crawl (all responses over the wall time) and the ratio two/one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import redisserver  # noqa: E402

STAT = re.compile(r"'([a-z_/]+)': ([0-9.]+)")
SAMPLE_EVERY = 0.2


def stats_of(log: str) -> dict[str, float]:
    """The numeric stats of Scrapy's final stats dump in a log.

    >>> stats_of("... {'downloader/response_count': 120,\\n 'elapsed_time_seconds': 6.5}")
    {'downloader/response_count': 120.0, 'elapsed_time_seconds': 6.5}
    """
    return {k: float(v) for k, v in STAT.findall(log)}


def per_minute(count: float, seconds: float) -> float:
    return count / seconds * 60 if seconds > 0 else 0.0


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class LineCounter:
    """Lines of a file that is being appended to, counted as it grows (0 while it is missing)."""

    def __init__(self, path: Path):
        self.path = path
        self.lines = 0
        self._offset = 0

    def update(self) -> int:
        if self.path.exists():
            with self.path.open("rb") as f:
                f.seek(self._offset)
                chunk = f.read()
            self._offset += len(chunk)
            self.lines += chunk.count(b"\n")
        return self.lines


def scrapy_env() -> dict:
    return dict(os.environ, SCRAPY_SETTINGS_MODULE="zamanscraper.settings", PYTHONUTF8="1")


def scrapy_bench(seconds: int) -> float:
    """Pages/min of ``scrapy bench`` (stock settings: run outside the project)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
        done = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
                              cwd=tmp, env=env, capture_output=True, text=True, check=False)
    stats = stats_of(done.stderr)
    return per_minute(stats.get("downloader/response_count", 0), stats.get("elapsed_time_seconds", 0))


@contextlib.contextmanager
def site(articles: int, delay: float = 0.0):
    """``synthetic_site.py`` in a subprocess; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, str(REPO / "benchmarks" / "synthetic_site.py"), "--articles", str(articles),
         "--delay", str(delay)], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        if not match:
            raise SystemExit(f"synthetic site did not start: {line!r}")
        yield match.group(0)
    finally:
        process.terminate()
        process.wait()


def crawl_command(base: str, ids: str, out: Path, *settings: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "zaman", "-a", f"mirror={base}", "-a", f"ids={ids}",
            "-o", str(out), "-s", f"ZAMAN_REJECTS_PATH={out.with_suffix('.rejects.jsonl')}",
            "-s", "ZAMAN_PROGRESS_INTERVAL=0", *settings]


def one_worker(base: str, pages: int, tmp: Path, *settings: str) -> dict:
    """Crawl ids 1..pages; RSS sampled against the share of records written."""
    out = tmp / f"single-{pages}.jsonl"
    log = tmp / f"single-{pages}.log"
    with log.open("w") as err:
        process = subprocess.Popen(crawl_command(base, f"1-{pages}", out, *settings), cwd=REPO, env=scrapy_env(),
                                   stdout=subprocess.DEVNULL, stderr=err)
    marks = {0.1: None, 0.5: None}
    peak, last, records = 0.0, None, LineCounter(out)
    while process.poll() is None:
        rss = rss_mb(process.pid)
        if rss is not None:
            peak, last = max(peak, rss), rss
        written = records.update()
        for share in marks:
            if marks[share] is None and written >= share * pages and rss is not None:
                marks[share] = rss
        time.sleep(SAMPLE_EVERY)
    stats = stats_of(log.read_text())
    seconds = stats.get("elapsed_time_seconds", 0)
    return {"pages_min": per_minute(stats.get("downloader/response_count", 0), seconds),
            "items_min": per_minute(stats.get("item_scraped_count", 0), seconds),
            "items": int(stats.get("item_scraped_count", 0)), "seconds": seconds, "exit": process.returncode,
            "rss10": marks[0.1], "rss50": marks[0.5], "rss100": last, "peak": peak}


def workers_run(base: str, pages: int, count: int, redis_url: str, tmp: Path) -> dict:
    """``count`` workers with the identical command over ids 1..pages; pages/min of the whole."""
    crawl = f"bench-{count}-{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    processes = []
    for n in range(count):
        out = tmp / f"{crawl}-w{n}.jsonl"
        log = (tmp / f"{crawl}-w{n}.log").open("w")
        command = crawl_command(base, f"1-{pages}", out, "-s", f"ZAMAN_REDIS_URL={redis_url}",
                                "-s", f"ZAMAN_REDIS_CRAWL={crawl}")
        processes.append((subprocess.Popen(command, cwd=REPO, env=scrapy_env(), stdout=subprocess.DEVNULL,
                                           stderr=log), log))
    for process, log in processes:
        process.wait()
        log.close()
    wall = time.monotonic() - started
    responses = sum(stats_of((tmp / f"{crawl}-w{n}.log").read_text()).get("downloader/response_count", 0)
                    for n in range(count))
    items = sum(1 for n in range(count) for _ in (tmp / f"{crawl}-w{n}.jsonl").open())
    return {"pages_min": per_minute(responses, wall), "wall": wall, "items": items,
            "exits": [p.returncode for p, _ in processes]}


def fmt(value: float | None, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:,.0f}{unit}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, action="append", help="one-worker crawl size (repeatable; 0: skip)")
    ap.add_argument("--bench-seconds", type=int, default=20, help="how long scrapy bench runs")
    ap.add_argument("--worker-pages", type=int, default=1000, help="pages of the one/two worker runs (0: skip)")
    ap.add_argument("--delay", type=float, default=1.0, help="seconds each answer waits in the worker runs")
    ap.add_argument("--keep", type=Path, help="keep the crawls' outputs and logs in this directory")
    ap.add_argument("--state", action="store_true", help="one worker keeps a seen-store (ZAMAN_STATE_PATH)")
    args = ap.parse_args(argv)
    sizes = [n for n in (args.pages or [10_000]) if n > 0]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with contextlib.ExitStack() as stack:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        tmp = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="crawl-bench-")))
        if sizes:
            bench = scrapy_bench(args.bench_seconds)
            print(f"scrapy bench: {bench:,.0f} pages/min (stock settings, no extraction)")
            for pages in sizes:
                with site(pages) as base:
                    state = ("-s", f"ZAMAN_STATE_PATH={tmp / f'state-{pages}.sqlite'}") if args.state else ()
                    r = one_worker(base, pages, tmp, *state)
                ratio = r["pages_min"] / bench if bench else 0
                kind = "one worker with a seen-store" if args.state else "one worker"
                print(f"{kind}, {pages:,} pages: {r['pages_min']:,.0f} pages/min ({ratio:.2f}x scrapy bench), "
                      f"{r['items_min']:,.0f} items/min, {r['items']:,} items in {r['seconds']:,.0f} s, "
                      f"exit {r['exit']}")
                print(f"  RSS MB at 10% {fmt(r['rss10'])}, 50% {fmt(r['rss50'])}, 100% {fmt(r['rss100'])}, "
                      f"peak {fmt(r['peak'])}; 100%/10% = "
                      + (f"{r['rss100'] / r['rss10']:.2f}" if r["rss10"] and r["rss100"] else "n/a"))
        if args.worker_pages > 0:
            if redisserver.binary() is None:
                print("workers: skipped (no redis-server; Debian package redis-server)")
                return 0
            with redisserver.serve(tmp) as redis, site(args.worker_pages, args.delay) as base:
                one = workers_run(base, args.worker_pages, 1, redis.url, tmp)
                two = workers_run(base, args.worker_pages, 2, redis.url, tmp)
            print(f"Redis, {args.worker_pages:,} pages, each answer after {args.delay} s:")
            print(f"  one worker:  {one['pages_min']:,.0f} pages/min ({one['wall']:.0f} s, {one['items']} records, "
                  f"exit {one['exits']})")
            print(f"  two workers: {two['pages_min']:,.0f} pages/min ({two['wall']:.0f} s, {two['items']} records, "
                  f"exits {two['exits']}); two/one = {two['pages_min'] / one['pages_min']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
