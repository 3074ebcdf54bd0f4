#!/usr/bin/env python3
"""Where a crawl's memory grows: the Python heap per record written, by source line.

    python benchmarks/memory_bench.py --pages 20000 [--top 15] [--frames 1]

Crawls ``ids=1-N`` of the synthetic site (``synthetic_site.py``) in a subprocess, as
``crawl_bench.py`` does, but with ``tracemalloc`` on (which slows it several times and adds its
own memory, so its RSS figures are not the crawl's: use ``crawl_bench.py`` for those). The crawl
takes a heap snapshot at 10% and at 95% of the records written (on ``SIGUSR1``); printed: the
heap's growth between the two in bytes per record, beside the RSS growth per record, and the
source lines whose live memory grew most (bytes per record, blocks). A line that grows by a
constant number of bytes per record holds one entry per article for the whole crawl.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crawl_bench import REPO, LineCounter, crawl_command, rss_mb, scrapy_env, site  # noqa: E402

#: run in the crawl's process: tracemalloc, a snapshot to $ZAMAN_SNAPSHOT_DIR/N.snap on SIGUSR1
CHILD = """
import os, signal, sys, tracemalloc
tracemalloc.start(int(os.environ["ZAMAN_TRACE_FRAMES"]))
taken = []
def snapshot(signum, frame):
    taken.append(1)
    path = os.path.join(os.environ["ZAMAN_SNAPSHOT_DIR"], f"{len(taken)}.snap")
    tracemalloc.take_snapshot().dump(path + ".part")
    os.replace(path + ".part", path)
signal.signal(signal.SIGUSR1, snapshot)
from scrapy.cmdline import execute
sys.argv = ["scrapy", *sys.argv[1:]]
execute()
"""
MARKS = (0.1, 0.95)


def crawl_with_snapshots(pages: int, frames: int, tmp: Path) -> tuple[list[Path], list[tuple[int, float]]]:
    """Crawl; the snapshot files and ``(records written, RSS MB)`` at each of them."""
    out = tmp / "out.jsonl"
    env = dict(scrapy_env(), ZAMAN_SNAPSHOT_DIR=str(tmp), ZAMAN_TRACE_FRAMES=str(frames))
    snapshots, at = [], []
    with site(pages) as base, (tmp / "crawl.log").open("w") as log:
        command = [sys.executable, "-c", CHILD, *crawl_command(base, f"1-{pages}", out)[3:]]
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log)
        records = LineCounter(out)
        while process.poll() is None:
            written = records.update()
            if len(snapshots) < len(MARKS) and written >= MARKS[len(snapshots)] * pages:
                path = tmp / f"{len(snapshots) + 1}.snap"
                at.append((written, rss_mb(process.pid) or 0.0))
                process.send_signal(signal.SIGUSR1)
                while not path.exists() and process.poll() is None:
                    time.sleep(0.2)
                snapshots.append(path)
            time.sleep(0.2)
    if len(snapshots) < len(MARKS) or not all(p.exists() for p in snapshots):
        raise SystemExit(f"the crawl ended (exit {process.returncode}) before its snapshots; log: {tmp / 'crawl.log'}")
    return snapshots, at


def where(filename: str) -> str:
    """A source file's name, short: relative to the repository or to site-packages.

    >>> where("/x/lib/python3.11/site-packages/scrapy/dupefilters.py")
    'scrapy/dupefilters.py'
    """
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    return os.path.relpath(filename, REPO) if filename.startswith(str(REPO)) else filename


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=20_000)
    ap.add_argument("--top", type=int, default=15, help="source lines shown")
    ap.add_argument("--frames", type=int, default=1, help="traceback depth kept by tracemalloc")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as tmp_name:
        (first, last), ((n1, rss1), (n2, rss2)) = crawl_with_snapshots(args.pages, args.frames, Path(tmp_name))
        ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
        a = tracemalloc.Snapshot.load(str(first)).filter_traces(ignore)
        b = tracemalloc.Snapshot.load(str(last)).filter_traces(ignore)
        records = n2 - n1
        growth = sum(s.size_diff for s in b.compare_to(a, "filename"))
        print(f"{args.pages:,} pages, snapshots at {n1:,} and {n2:,} records written")
        print(f"Python heap: {growth / records:,.0f} bytes per record; RSS (tracemalloc's own memory "
              f"included): {(rss2 - rss1) * 2**20 / records:,.0f} bytes per record")
        for stat in b.compare_to(a, "lineno" if args.frames == 1 else "traceback")[:args.top]:
            frames = [f"{where(frame.filename)}:{frame.lineno}" for frame in reversed(stat.traceback)]
            print(f"{stat.size_diff / records:8.1f} B/record {stat.count_diff / records:6.2f} blocks/record  "
                  + " <- ".join(frames))
    return 0


if __name__ == "__main__":
    sys.exit(main())
