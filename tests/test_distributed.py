"""Distributed crawl on a real redis-server (127.0.0.1, OS-picked port, password, no persistence):
several workers with the identical command share one crawl; a SIGKILLed worker restarted with
the same command loses nothing; the outputs merge into one dataset, each article once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redisserver
from netserver import serve

from zamanscraper import urls
from zamanscraper.distributed.merge import merge

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).parent / "fixtures" / "articles"
PAGE = (Path(__file__).parent / "fixtures" / "pages" / "en-28116-html5.html").read_bytes()
#: liveness bound, not a timing assertion
WITHIN = 240

pytestmark = pytest.mark.skipif(redisserver.binary() is None,
                                reason="redis-server is not installed (Debian package redis-server)")


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    with redisserver.serve(tmp_path_factory.mktemp("redis")) as server:
        yield server


def article_keys() -> set[tuple[str, int]]:
    """Every article of the mirror that ends as a record (the truth's sources)."""
    return {(p.stem.split("-")[0], int(p.stem.split("-")[1])) for p in ARTICLES.glob("*.json")}


class Worker:
    """``scrapy crawl zaman`` of one worker, in the background, output ``{name}.jsonl``."""

    def __init__(self, name: str, directory: Path, args: list[str]):
        self.out = directory / f"{name}.jsonl"
        self.rejects = directory / f"{name}.rejects.jsonl"
        self.log = directory / f"{name}.log"
        self.args = args
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        env = dict(os.environ, SCRAPY_SETTINGS_MODULE="zamanscraper.settings", PYTHONUTF8="1")
        with self.log.open("a", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "scrapy", "crawl", "zaman", *self.args, "-o", str(self.out),
                 "-s", f"ZAMAN_REJECTS_PATH={self.rejects}"],
                cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
            )
        return self

    def wait(self) -> int:
        return self.process.wait(WITHIN)

    def records(self) -> list[dict]:
        return merge_input(self.out)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, nothing handed back to Redis."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def kill_mid_crawl(self, records: int = 3) -> None:
        """SIGKILL once the worker has written ``records`` records (it must still be running)."""
        deadline = time.monotonic() + WITHIN
        while len(self.records()) < records and self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.process.poll() is None, f"worker {self.out.stem} ended before it could be killed"
        self.kill()


def merge_input(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.endswith("}")]


def forbidden_keys(mirror) -> set[tuple[str, int]]:
    meta = json.loads((mirror.root / "_meta.json").read_text(encoding="utf-8"))
    return {urls.article_key("https:/" + p) for p, s in meta.get("status", {}).items() if s == 403}


def common_args(mirror_server, redis_server, crawl: str, *extra: str) -> list[str]:
    return ["-a", f"mirror={mirror_server.base}", "-a", "edition=both",
            "-s", f"ZAMAN_REDIS_URL={redis_server.url}", "-s", f"ZAMAN_REDIS_CRAWL={crawl}",
            # a worker may get a handful of the mirror's 38 pages, its 403s and hostile pages
            # among them: its shares of failures and rejects are not the crawl's
            "-s", "ZAMAN_MAX_FAILURE_RATIO=1", "-s", "ZAMAN_MAX_INVALID_PERCENT=100",
            "-s", "ZAMAN_MAX_REJECT_PERCENT=100", *extra]


def fetched_articles(requests: list[str]) -> Counter:
    return Counter(k for k in (urls.article_key("https:/" + p) for p in requests) if k is not None)


def check_outputs(workers: list[Worker], redis_server) -> None:
    keys = Counter((r["edition"], r["article_id"]) for w in workers for r in w.records())
    assert set(keys) == article_keys()
    assert [k for k, n in keys.items() if n > 1] == []
    for w in workers:
        assert redis_server.password not in w.log.read_text(encoding="utf-8")
    merged, counts = merge([w.out for w in workers])
    assert len(merged) == len(article_keys()) and counts["duplicates"] == 0


def test_two_workers_share_one_crawl(mirror_server, redis_server, tmp_path):
    mark = mirror_server.mark()
    args = common_args(mirror_server, redis_server, f"two-{uuid.uuid4().hex[:8]}")
    workers = [Worker(name, tmp_path, args).start() for name in ("a", "b")]
    assert [w.wait() for w in workers] == [0, 0], [w.log.read_text()[-2000:] for w in workers]
    check_outputs(workers, redis_server)
    fetched = fetched_articles(mirror_server.since(mark))
    # every article page fetched once in all (the mirror's 403 pages are retried)
    assert [k for k, n in fetched.items() if n > 1 and k not in forbidden_keys(mirror_server)] == []
    logs = "".join(w.log.read_text(encoding="utf-8") for w in workers)
    assert "Distributed crawl" in logs and "redis://***@127.0.0.1" in logs
    assert "dropped by the scheduler" not in "".join(w.rejects.read_text() for w in workers if w.rejects.exists())


def test_killed_worker_restarted_loses_nothing(mirror_server, redis_server, tmp_path):
    # slow enough to be killed mid-crawl: one request at a time, 0.25 s apart, for every worker
    args = common_args(mirror_server, redis_server, f"kill-{uuid.uuid4().hex[:8]}",
                       "-s", "DOWNLOAD_DELAY=0.25", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
    a, b = Worker("a", tmp_path, args).start(), Worker("b", tmp_path, args).start()
    a.kill_mid_crawl()
    written_before = len(a.records())
    a.start()  # the identical command: the same worker, its unfinished requests first
    assert [a.wait(), b.wait()] == [0, 0], [w.log.read_text()[-2000:] for w in (a, b)]
    assert len(a.records()) >= written_before
    check_outputs([a, b], redis_server)
    assert "unfinished of an earlier run" in a.log.read_text(encoding="utf-8")


def test_unusable_redis_is_one_line_without_the_password(mirror_server, redis_server, scrapy_cmd):
    wrong = redis_server.url.replace(redis_server.password, "not-the-password")
    result = scrapy_cmd("crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "ids=1-2",
                        "-s", f"ZAMAN_REDIS_URL={wrong}")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scrapy crawl zaman: error: ZAMAN_REDIS_URL redis://***@127.0.0.1:")
    assert "not-the-password" not in result.stderr


def test_dead_worker_requests_are_taken_over(mirror_server, redis_server, tmp_path):
    # worker a is killed and never comes back: b takes over its unfinished requests once a has
    # missed its heartbeats (2 s here), so nothing is lost; the merged dataset has each article once
    args = common_args(mirror_server, redis_server, f"dead-{uuid.uuid4().hex[:8]}",
                       "-s", "DOWNLOAD_DELAY=0.25", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
                       "-s", "ZAMAN_REDIS_WORKER_TIMEOUT=2")
    a, b = Worker("a", tmp_path, args).start(), Worker("b", tmp_path, args).start()
    a.kill_mid_crawl()
    assert b.wait() == 0, b.log.read_text()[-2000:]
    keys = {(r["edition"], r["article_id"]) for w in (a, b) for r in w.records()}
    assert keys == article_keys()
    merged, _ = merge([a.out, b.out])
    assert len(merged) == len(article_keys())
    assert "stopped sending heartbeats" in b.log.read_text(encoding="utf-8")


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WITHIN
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


@pytest.mark.parametrize("recovery", ["restart", "takeover"])
def test_retry_waiting_out_its_backoff_survives_sigkill(redis_server, tmp_path, recovery):
    """Article 1 answers 503 once; its retry waits 60 s (outside the scheduler, no download
    slot held) and the worker is SIGKILLed meanwhile. Restarted with the same command, or taken
    over by another worker once its heartbeats stop, the retry is fetched: every article once."""
    art = "/en.zamanalwsl.net/news/article/{}".format
    routes = {art(1): lambda hit: (503, {}, b"busy") if hit == 1 else (200, {}, PAGE),
              **{art(i): (200, {}, PAGE) for i in (2, 3, 4)}}
    with serve(routes) as server:
        args = ["-a", f"mirror={server.base}", "-a", "ids=1-4",
                "-s", f"ZAMAN_REDIS_URL={redis_server.url}",
                "-s", f"ZAMAN_REDIS_CRAWL=retry-{uuid.uuid4().hex[:8]}",
                "-s", "ZAMAN_RETRY_BACKOFF_BASE=60", "-s", "ZAMAN_REDIS_WORKER_TIMEOUT=2"]
        a = Worker("a", tmp_path, args).start()
        wait_for(lambda: server.hits(art(1)) == 1 and len(a.records()) == 3 or a.process.poll() is not None,
                 "worker a to write articles 2-4 while the retry of 1 waits")
        assert a.process.poll() is None, a.log.read_text()[-2000:]
        time.sleep(0.5)  # the 503 fully handled: only the waiting retry is left of article 1
        a.kill()
        rest = a.start() if recovery == "restart" else Worker("b", tmp_path, args).start()
        assert rest.wait() == 0, rest.log.read_text()[-2000:]
        assert server.hits(art(1)) == 2
    keys = Counter(r["article_id"] for w in {a, rest} for r in w.records())
    assert keys == {1: 1, 2: 1, 3: 1, 4: 1}
    if recovery == "takeover":
        assert "stopped sending heartbeats" in rest.log.read_text(encoding="utf-8")


@pytest.mark.parametrize("stores", ["own", "shared"])
def test_rerun_skips_what_any_worker_wrote(mirror_server, redis_server, tmp_path, stores):
    """The rerun of a finished distributed crawl (the same command, once the finished crawl's
    duplicate filter has expired) fetches again only what no worker wrote: each worker's output
    (and its own seen-store) hold only its share, the crawl's ``written`` hash in Redis holds
    them all. Workers on one machine may also share one seen-store."""
    args = common_args(mirror_server, redis_server, f"rerun-{uuid.uuid4().hex[:8]}",
                       "-s", "ZAMAN_REDIS_KEEP=1", "-s", "DOWNLOAD_DELAY=0.1")  # both get a share
    workers = [Worker(name, tmp_path, [*args, "-s", "ZAMAN_STATE_PATH={}.sqlite".format(
        tmp_path / (name if stores == "own" else "shared"))]) for name in ("a", "b")]
    for w in workers:
        w.start()
    assert [w.wait() for w in workers] == [0, 0], [w.log.read_text()[-2000:] for w in workers]
    written = {(r["edition"], r["article_id"]) for w in workers for r in w.records()}
    assert all(w.records() for w in workers), "one worker took the whole crawl: nothing to share"
    time.sleep(1.5)  # ZAMAN_REDIS_KEEP: the finished crawl is forgotten, its written hash kept
    mark = mirror_server.mark()
    for w in workers:
        w.start()
    assert [w.wait() for w in workers] == [0, 0], [w.log.read_text()[-2000:] for w in workers]
    again = set(fetched_articles(mirror_server.since(mark)))
    assert again and not again & written  # the failures and rejects only
    check_outputs(workers, redis_server)
    assert not [line for w in workers for line in w.log.read_text(encoding="utf-8").splitlines()
                if "sqlite" in line.lower() and "ERROR" in line]
