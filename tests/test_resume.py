"""Crash-safe output: a crawl killed with SIGKILL and rerun with the identical command ends with
every article exactly once in ``out.jsonl``, no torn line, nothing overwritten."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

#: liveness bound for a crawl to reach a kill point (normally a second or two)
REACH_WITHIN = 120
#: the monitors judge the share of rejects and field coverage of one run; a resumed run (or a
#: two-article one) sees a skewed sample: these tests are about the output, not coverage
NO_MONITORS = ("-s", "SPIDERMON_ENABLED=False")


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True) if path.exists() else []


def keys_of(path: Path) -> list[tuple[str, int]]:
    """(edition, article_id) of every line; fails on a torn or unreadable line."""
    keys = []
    for line in lines_of(path):
        assert line.endswith(b"\n"), f"torn line in {path}: {line[:80]!r}"
        record = json.loads(line)
        keys.append((record["edition"], record["article_id"]))
    return keys


def wait_until(condition, process, within=REACH_WITHIN) -> bool:
    """True once ``condition()`` holds; False if the crawl ended first."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError("the crawl did not reach the kill point")


@pytest.fixture(scope="module")
def reference(mirror_server, scrapy_cmd, tmp_path_factory):
    """The articles an uninterrupted crawl writes."""
    out = tmp_path_factory.mktemp("reference") / "out.jsonl"
    result = scrapy_cmd("crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "edition=both",
                        "-o", str(out), "-s", f"ZAMAN_REJECTS_PATH={out.parent / 'rejects.jsonl'}")
    assert result.returncode == 0, result.stderr[-3000:]
    keys = keys_of(out)
    assert len(keys) >= 30 and len(keys) == len(set(keys))
    return set(keys)


@pytest.mark.parametrize("state", [False, True], ids=["output-only", "with-seen-store"])
def test_kill_9_at_several_points_then_rerun(mirror_server, scrapy_popen, reference, tmp_path, state):
    out, job = tmp_path / "out.jsonl", tmp_path / "job"
    command = (
        "crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "edition=both",
        "-o", str(out), "-s", f"JOBDIR={job}", "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}",
        # slow enough (about 5 s in all) to be killed in the middle
        "-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", *NO_MONITORS,
        *(("-s", f"ZAMAN_STATE_PATH={tmp_path / 'state.sqlite'}") if state else ()),
    )
    kill_points = [
        ("early", lambda: job.is_dir()),  # before or around the first request
        ("mid-crawl", lambda: len(lines_of(out)) >= 12),
        ("burst of writes", lambda: len(lines_of(out)) >= 25),
    ]
    seen_before: list[bytes] = []
    for n, (name, condition) in enumerate(kill_points):
        crawl = scrapy_popen(*command, log_path=tmp_path / f"run{n}.log")
        try:
            reached = wait_until(condition, crawl)
        finally:
            crawl.send_signal(signal.SIGKILL)
            crawl.wait()
        assert reached, f"crawl ended before the {name} kill point"
        now = lines_of(out)
        assert now[: len(seen_before)] == seen_before, f"{name}: earlier lines were changed"
        seen_before = [line for line in now if line.endswith(b"\n")]
    final = scrapy_popen(*command, log_path=tmp_path / "final.log")
    assert final.wait(timeout=300) == 0, (tmp_path / "final.log").read_text()[-3000:]
    keys = keys_of(out)
    duplicated = [k for k, c in Counter(keys).items() if c > 1]
    assert duplicated == [], duplicated
    assert reference - set(keys) == set(), "lost"
    assert set(keys) - reference == set()
    assert lines_of(out)[: len(seen_before)] == seen_before  # nothing overwritten
    log = (tmp_path / "final.log").read_text()
    assert "'zaman/articles/skipped_written':" in log or "'zaman/articles/skipped_stored':" in log


def test_torn_last_line_is_repaired_and_its_article_fetched_again(mirror_server, scrapy_cmd, tmp_path):
    out = tmp_path / "out.jsonl"
    args = ("crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "ids=28116,778",
            "-o", str(out), "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}", *NO_MONITORS)
    assert scrapy_cmd(*args).returncode == 0
    whole = lines_of(out)
    assert len(whole) == 2
    out.write_bytes(whole[0] + whole[1][: len(whole[1]) // 2])  # as if killed inside a write
    rerun = scrapy_cmd(*args)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "Repaired" in rerun.stderr and "torn last line" in rerun.stderr
    assert "'zaman/output/torn_repaired': 1" in rerun.stderr
    assert sorted(keys_of(out)) == sorted([("en", 28116), ("en", 778)])
    assert lines_of(out)[0] == whole[0]


def test_second_run_with_o_adds_nothing(mirror_server, scrapy_cmd, tmp_path):
    out = tmp_path / "out.jsonl"
    args = ("crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "ids=28110-28120",
            "-o", str(out), "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}", *NO_MONITORS)
    assert scrapy_cmd(*args).returncode == 0
    first = out.read_bytes()
    mark = mirror_server.mark()
    again = scrapy_cmd(*args)
    assert again.returncode == 0, again.stderr[-3000:]
    assert out.read_bytes() == first
    assert "/en.zamanalwsl.net/news/article/28116" not in mirror_server.since(mark)


def test_partitioned_output_by_edition_and_month(mirror_server, scrapy_cmd, tmp_path):
    template = tmp_path / "archive" / "{edition}" / "{month}.jsonl"
    result = scrapy_cmd("crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "ids=28116,24015",
                        "-a", "edition=both", "-o", f"{template}:jsonl",
                        "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}", *NO_MONITORS)
    assert result.returncode == 0, result.stderr[-3000:]
    files = sorted(p.relative_to(tmp_path / "archive").as_posix()
                   for p in (tmp_path / "archive").rglob("*.jsonl"))
    assert files and all(f.split("/")[0] in ("en", "ar") for f in files), files
    for path in (tmp_path / "archive").rglob("*.jsonl"):
        for line in lines_of(path):
            record = json.loads(line)
            assert path.parent.name == record["edition"]
            assert path.stem == (record["published_at"] or "undated")[:7] or path.stem == "undated"
