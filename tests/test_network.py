"""Hostile network cases, crawled for real (``scrapy crawl`` subprocess) against a loopback server.

Challenge pages served with 200, off-site redirects, redirect loops, slow retries, and how
failures are logged. Nothing leaves 127.0.0.1: refused redirects are refused before a request.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO_ROOT
from netserver import serve

PAGE = (Path(__file__).parent / "fixtures" / "pages" / "en-28116-html5.html").read_bytes()
HEADLINE = "Russia to broker new reconciliation deal in Eastern Qalamoun"
CHALLENGE = b"""<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>
<h1>en.zamanalwsl.net</h1><h2>Checking your browser before accessing en.zamanalwsl.net</h2>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
<p>Please allow up to 5 seconds...</p><p>DDoS protection by Cloudflare</p>
<p>Ray ID: 7f3a9b2c1d0e4f56</p></body></html>"""
STAT = re.compile(r"'(zaman/[^']+|retry/[^']+|dupefilter/[^']+)': ([0-9.]+)")


def art(article_id) -> str:
    return f"/en.zamanalwsl.net/news/article/{article_id}"


def site(article_id) -> str:
    return f"https://en.zamanalwsl.net/news/article/{article_id}"


def ok(body=PAGE):
    return 200, {}, body


def redirect(location, status=302):
    return status, {"Location": location}, b""


def refresh(location):
    return ok(f'<html><head><meta http-equiv="refresh" content="0;url={location}"></head>'
              f"<body></body></html>".encode())


class Run:
    def __init__(self, tmp: Path, stderr: str, returncode: int):
        self.stderr, self.returncode = stderr, returncode
        out, rejects = tmp / "out.jsonl", tmp / "rejects.jsonl"
        self.items = [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []
        self.rejects = ([json.loads(x) for x in rejects.read_text(encoding="utf-8").splitlines()]
                        if rejects.exists() else [])
        self.stats = {k: float(v) for k, v in STAT.findall(stderr)}

    def rejects_of(self, article_id):
        return [(r["stage"], r["reasons"]) for r in self.rejects if r["url"] == site(article_id)]


def command(base: str, tmp: Path, *args: str, output: str = "-O") -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "zaman", "-a", f"mirror={base}",
            output, str(tmp / "out.jsonl"), "-s", f"ZAMAN_REJECTS_PATH={tmp / 'rejects.jsonl'}",
            "-s", "LOG_LEVEL=INFO", "-s", "ZAMAN_RETRY_BACKOFF_BASE=0.05",
            # these crawls fail most of their requests on purpose: no failure ceiling
            "-s", "ZAMAN_MAX_FAILURE_RATIO=1", "-s", "ZAMAN_MAX_REJECT_PERCENT=100", *args]


ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="zamanscraper.settings", PYTHONUTF8="1")


def crawl(base: str, tmp: Path, *args: str) -> Run:
    result = subprocess.run(command(base, tmp, *args), cwd=REPO_ROOT, env=ENV, capture_output=True,
                            text=True, encoding="utf-8", timeout=120, check=False)
    return Run(tmp, result.stderr, result.returncode)


# --- challenge pages served with 200 ---------------------------------------------------------

def test_challenge_page_is_retried_then_a_blocked_fetch_failure(tmp_path):
    routes = {art(5): ok(CHALLENGE),  # always a challenge
              art(6): lambda hit: ok(CHALLENGE if hit == 1 else PAGE)}  # clears on the retry
    with serve(routes) as server:
        run = crawl(server.base, tmp_path, "-a", "ids=5-6", "-s", "RETRY_TIMES=2")
        assert server.hits(art(5)) == 3 and server.hits(art(6)) == 2
    assert run.returncode == 0, run.stderr[-3000:]
    assert [(i["article_id"], i["headline"]) for i in run.items] == [(6, HEADLINE)]
    assert run.rejects_of(5) == [("fetch", ["blocked: WAF challenge"])]
    assert run.stats["zaman/requests/failed/blocked"] == 1
    assert run.stats["zaman/retry/challenge_pages"] == 4
    assert "en.zamanalwsl.net" not in [i["headline"] for i in run.items]


def test_challenge_page_without_retries_is_still_blocked_not_a_record(tmp_path):
    with serve({art(5): ok(CHALLENGE)}) as server:
        run = crawl(server.base, tmp_path, "-a", "ids=5", "-s", "RETRY_ENABLED=False")
    assert run.items == []
    assert run.rejects_of(5) == [("fetch", ["blocked: WAF challenge"])]


# --- redirects ---------------------------------------------------------------------------------

def test_redirects_stay_on_the_site_and_loops_end_as_rejects(tmp_path):
    with serve({"/elsewhere/x": ok()}) as elsewhere:
        foreign = f"{elsewhere.base}/elsewhere/x"
        routes = {
            art(1): redirect(foreign),  # another host:port: refused before any request
            art(2): redirect("/elsewhere.example/x"),  # the mirror's folder of a foreign host
            art(3): redirect(art(3) + "/", 301), art(3) + "/": ok(),  # within the site: followed
            art(4): redirect("/en.zamanalwsl.net/news/x4"),  # 3xx loop: A -> B -> A
            "/en.zamanalwsl.net/news/x4": redirect(art(4)),
            art(7): refresh("/en.zamanalwsl.net/news/x7"),  # meta refresh loop: dropped by Scrapy
            "/en.zamanalwsl.net/news/x7": refresh(art(7)),
            art(8): refresh(foreign),  # meta refresh off-site
        }
        with serve(routes) as server:
            run = crawl(server.base, tmp_path, "-a", "ids=1-4,7-8")
        assert elsewhere.log == []
    assert run.returncode == 0, run.stderr[-3000:]
    assert [(i["article_id"], i["headline"]) for i in run.items] == [(3, HEADLINE)]
    assert run.rejects_of(1) == [("fetch", [f"redirect off-site to {foreign}"])]
    assert run.rejects_of(2) == [("fetch", [f"redirect off-site to {server.base}/elsewhere.example/x"])]
    a4, b4 = server.base + art(4), server.base + "/en.zamanalwsl.net/news/x4"
    assert run.rejects_of(4) == [("fetch", [f"redirect loop: {a4} -> {b4} -> {a4}"])]
    a7, b7 = server.base + art(7), server.base + "/en.zamanalwsl.net/news/x7"
    assert run.rejects_of(7) == [("fetch", [f"redirect loop: {a7} -> {b7} -> {a7}"])]
    assert run.rejects_of(8) == [("fetch", [f"redirect off-site to {foreign}"])]
    assert run.stats["zaman/requests/dropped"] == 1
    assert run.stats["zaman/requests/failed"] == 5


# --- retries never hold a download slot; failures are logged once -----------------------------

def test_waiting_retries_do_not_hold_up_healthy_pages(tmp_path):
    """Two pages answer 403 with a retry wait far longer than the test; with two download slots,
    every healthy page is still fetched while both retries wait. Then Ctrl-C stops the crawl and
    the waiting retries are counted."""
    healthy = range(3, 15)
    routes = {art(1): (403, {"Retry-After": "600"}, b""), art(2): (403, {}, b""),
              **{art(i): ok() for i in healthy}}
    with serve(routes) as server:
        proc = subprocess.Popen(
            command(server.base, tmp_path, "-a", "ids=1-14", "-s", "CONCURRENT_REQUESTS=2",
                    "-s", "ZAMAN_RETRY_BACKOFF_BASE=600", "-s", "ZAMAN_RETRY_BACKOFF_MAX=600"),
            cwd=REPO_ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, encoding="utf-8")
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and not all(server.hits(art(i)) for i in healthy):
                time.sleep(0.2)
            time.sleep(0.5)  # let the last healthy pages be written
            fetched = {i for i in healthy if server.hits(art(i))}
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert fetched == set(healthy), stderr[-3000:]
        assert server.hits(art(1)) == 1 and server.hits(art(2)) == 1  # retries still waiting
    run = Run(tmp_path, stderr, proc.returncode)
    assert {i["article_id"] for i in run.items} == set(healthy)
    assert run.stats["zaman/retry/abandoned"] == 2
    assert run.stats["zaman/retry/backoff_count"] == 2


def test_retry_waiting_when_a_jobdir_crawl_stops_is_fetched_by_the_rerun(tmp_path):
    """Ctrl-C stops a JOBDIR crawl while article 1's retry waits out its backoff. The retry is
    not in the job dir, but the article is in neither the output nor the seen-store: the rerun of
    the same command requests it again, and nothing else."""
    routes = {art(1): lambda hit: (503, {}, b"") if hit == 1 else ok(), art(2): ok(), art(3): ok()}
    with serve(routes) as server:
        cmd = command(server.base, tmp_path, "-a", "ids=1-3", "-s", f"JOBDIR={tmp_path / 'job'}",
                      "-s", f"ZAMAN_STATE_PATH={tmp_path / 'state.sqlite'}",
                      "-s", "ZAMAN_RETRY_BACKOFF_BASE=600", output="-o")
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=ENV, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8")
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and not (
                    server.hits(art(1)) and len(Run(tmp_path, "", 0).items) == 2):
                time.sleep(0.1)
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert Run(tmp_path, stderr, proc.returncode).stats["zaman/retry/abandoned"] == 1, stderr[-3000:]
        rerun = subprocess.run(cmd, cwd=REPO_ROOT, env=ENV, capture_output=True, text=True,
                               encoding="utf-8", timeout=120, check=False)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        assert [server.hits(art(i)) for i in (1, 2, 3)] == [2, 1, 1]
    assert sorted(i["article_id"] for i in Run(tmp_path, "", 0).items) == [1, 2, 3]


def test_each_failure_logged_once_and_404s_of_a_range_summarised(tmp_path):
    routes = {art(1): (403, {}, b""), art(2): ok()}  # 3..30: 404
    with serve(routes) as server:
        run = crawl(server.base, tmp_path, "-a", "ids=1-30", "-s", "RETRY_TIMES=1")
    lines = run.stderr.splitlines()
    assert len([x for x in lines if art(1).split("/", 2)[2] in x and re.search(r"\] (WARNING|ERROR)", x)]) == 1
    # "404" as a status, not inside a port number, an id or a path (the telnet line's random port
    # can hold it, and so can pytest's tmp_path: /tmp/pytest-of-root/pytest-404/...)
    about_404 = [x for x in lines
                 if re.search(r"(?<![\w.:/-])404(?!\d)", x) and re.search(r"\] (INFO|WARNING|ERROR)", x)]
    assert len(about_404) == 2, about_404  # the first one, and the summary
    assert "28 of 30 requested ids answered 404" in about_404[-1]
    assert run.stats["zaman/requests/failed/http_404"] == 28
    assert len(run.rejects) == 29
