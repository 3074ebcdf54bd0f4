"""``ids=`` of any allowed size streams: the first request goes out at once, one SIGINT stops."""

from __future__ import annotations

import signal
import time

#: liveness bounds (the crawl normally needs about a second): not timing assertions
FIRST_REQUEST_WITHIN = 60
STOP_WITHIN = 60


def wait_for(condition, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_million_id_range_streams_and_stops_on_sigint(mirror_server, scrapy_popen, tmp_path):
    mark = mirror_server.mark()
    log_path = tmp_path / "crawl.log"
    crawl = scrapy_popen(
        "crawl", "zaman", "-a", f"mirror={mirror_server.base}", "-a", "ids=1-1000000",
        "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}", "-s", "LOG_LEVEL=INFO",
        log_path=log_path,
    )
    try:
        articles = lambda: [p for p in mirror_server.since(mark) if "/news/article/" in p]  # noqa: E731
        assert wait_for(lambda: len(articles()) >= 20, FIRST_REQUEST_WITHIN), log_path.read_text()
        first = set(articles()[:20])  # concurrent: the arrival order varies a little
        assert {f"/en.zamanalwsl.net/news/article/{i}" for i in (1, 2, 3)} <= first
        crawl.send_signal(signal.SIGINT)
        returncode = crawl.wait(timeout=STOP_WITHIN)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()
    log = log_path.read_text(encoding="utf-8")
    assert "'finish_reason': 'shutdown'" in log, log[-3000:]
    assert "Traceback" not in log
    assert returncode == 0, log[-3000:]
    requested = len([p for p in mirror_server.since(mark) if "/news/article/" in p])
    assert requested < 1_000_000
