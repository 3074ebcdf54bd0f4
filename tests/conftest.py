"""Shared fixtures: the offline mirror server and a helper that runs ``scrapy crawl``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from zamanscraper import mirror

REPO_ROOT = Path(__file__).resolve().parent.parent
#: the demo mirror, package data (built by tests/fixtures/build_fixtures.py)
SITE = mirror.DEFAULT_ROOT


@dataclass
class Mirror:
    base: str
    root: Path
    #: every path requested so far, in arrival order (shared by all tests of the session)
    requests: list = field(default_factory=list)

    def mark(self) -> int:
        """A position in the request log; ``since(mark)`` lists what came after it."""
        return len(self.requests)

    def since(self, mark: int) -> list[str]:
        return self.requests[mark:]


@pytest.fixture(scope="session")
def mirror_server():
    """``zamanscraper.mirror`` on 127.0.0.1, OS-picked port, over ``zamanscraper/demo_site``."""
    if not SITE.is_dir():
        pytest.skip(f"{SITE} is missing")
    log: list[str] = []
    with mirror.serve(SITE, requests=log) as base:
        yield Mirror(base, SITE, log)


def run_scrapy(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m scrapy ARGS`` in the repository root, output captured as text."""
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="zamanscraper.settings", PYTHONUTF8="1")
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, encoding="utf-8",
        timeout=timeout, check=False,
    )


@pytest.fixture(scope="session")
def scrapy_cmd():
    return run_scrapy


def start_scrapy(*args: str, log_path: Path) -> subprocess.Popen:
    """``python -m scrapy ARGS`` in the background, its output in ``log_path`` (a pipe nobody
    reads would block the crawl once full)."""
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="zamanscraper.settings", PYTHONUTF8="1")
    with open(log_path, "w", encoding="utf-8") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "scrapy", *args],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )


@pytest.fixture(scope="session")
def scrapy_popen():
    return start_scrapy


DEMO_TIMEZONE = "Europe/Istanbul"


@dataclass
class DemoOutput:
    """The outputs of one demo crawl (``edition=both`` over the whole mirror)."""

    jsonl: Path
    csv: Path
    rejects: Path

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.jsonl.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def demo_output(mirror_server, tmp_path_factory) -> DemoOutput:
    """The demo crawl, run once per session, written both as JSONL and as CSV."""
    out = tmp_path_factory.mktemp("demo")
    demo = DemoOutput(out / "articles.jsonl", out / "articles.csv", out / "rejects.jsonl")
    result = run_scrapy(
        "crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "edition=both",
        "-O", str(demo.jsonl), "-O", str(demo.csv), "-s", f"ZAMAN_REJECTS_PATH={demo.rejects}",
        # a zone for dates printed without one: published_utc is filled where a time is printed
        "-s", f"ZAMAN_TIMEZONE={DEMO_TIMEZONE}",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return demo


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/fixtures/expected/ from the current extractor (review the diff!)",
    )
    parser.addoption(
        "--update-realworld",
        action="store_true",
        help="rewrite tests/fixtures/realworld.json, the pinned scores on the real AEB pages",
    )
