"""A crawl that cannot do its job ends non-zero with one line saying why, not a traceback."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def failed_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("scrapy crawl zaman: failed: ")]


def crawl(scrapy_cmd, mirror, tmp_path, *args):
    return scrapy_cmd("crawl", "zaman", "-a", f"mirror={mirror}", *args,
                      "-s", "SPIDERMON_ENABLED=False")


def test_unwritable_rejects_path_fails_before_the_first_request(mirror_server, scrapy_cmd, tmp_path):
    (tmp_path / "file").write_text("x")
    mark = mirror_server.mark()
    result = crawl(scrapy_cmd, mirror_server.base, tmp_path, "-a", "ids=28116",
                   "-o", str(tmp_path / "out.jsonl"), "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'file' / 'r.jsonl'}")
    assert result.returncode == 1
    (line,) = failed_lines(result)  # mkdir of file/: "File exists"
    assert line.startswith(f"scrapy crawl zaman: failed: cannot write rejects file {tmp_path / 'file' / 'r.jsonl'}: ")
    assert "Traceback" not in result.stderr
    assert "'finish_reason': 'rejects_unwritable'" in result.stderr
    assert mirror_server.since(mark) == []


def test_unwritable_output_fails_before_the_first_request(mirror_server, scrapy_cmd, tmp_path):
    (tmp_path / "file").write_text("x")
    mark = mirror_server.mark()
    result = crawl(scrapy_cmd, mirror_server.base, tmp_path, "-a", "ids=28116",
                   "-o", str(tmp_path / "file" / "out.jsonl"),
                   "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}")
    assert result.returncode == 1
    (line,) = failed_lines(result)
    assert line.startswith(f"scrapy crawl zaman: failed: cannot write output {tmp_path / 'file' / 'out.jsonl'}: ")
    assert "Traceback" not in result.stderr
    assert mirror_server.since(mark) == []


def test_unusable_state_path_fails_before_the_first_request(mirror_server, scrapy_cmd, tmp_path):
    (tmp_path / "file").write_text("x")
    mark = mirror_server.mark()
    result = crawl(scrapy_cmd, mirror_server.base, tmp_path, "-a", "ids=28116",
                   "-o", str(tmp_path / "out.jsonl"), "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'r.jsonl'}",
                   "-s", f"ZAMAN_STATE_PATH={tmp_path / 'file' / 'state.sqlite'}")
    assert result.returncode == 1
    (line,) = failed_lines(result)
    assert line.startswith(f"scrapy crawl zaman: failed: cannot write state {tmp_path / 'file' / 'state.sqlite'}: ")
    assert "Traceback" not in result.stderr
    assert "'finish_reason': 'state_unwritable'" in result.stderr
    assert mirror_server.since(mark) == []


def test_output_write_failure_fails_the_crawl_and_the_store_does_not_claim_it(mirror_server, scrapy_cmd, tmp_path):
    state = tmp_path / "state.sqlite"
    result = crawl(scrapy_cmd, mirror_server.base, tmp_path, "-a", "ids=28116",
                   "-o", "/dev/full:jsonl", "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'r.jsonl'}",
                   "-s", f"ZAMAN_STATE_PATH={state}")
    assert result.returncode == 1
    assert failed_lines(result) == [
        "scrapy crawl zaman: failed: cannot write output /dev/full: No space left on device"
    ]
    assert "Traceback" not in result.stderr
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT count(*) FROM articles WHERE last_status = 'ok'").fetchone()[0] == 0


def test_crawl_without_any_record_fails(mirror_server, scrapy_cmd, tmp_path):
    result = crawl(scrapy_cmd, mirror_server.base, tmp_path, "-a", "ids=40404",
                   "-o", str(tmp_path / "out.jsonl"), "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'r.jsonl'}")
    assert result.returncode == 1
    assert failed_lines(result) == [
        "scrapy crawl zaman: failed: no record: 1 article pages requested, 1 requests failed"
    ]


def test_site_down_fails(scrapy_cmd, tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = crawl(scrapy_cmd, f"http://127.0.0.1:{port}", tmp_path, "-s", "RETRY_TIMES=0",
                   "-o", str(tmp_path / "out.jsonl"), "-s", f"ZAMAN_REJECTS_PATH={tmp_path / 'r.jsonl'}")
    assert result.returncode == 1
    (line,) = failed_lines(result)
    assert line.startswith("scrapy crawl zaman: failed: no record: 0 article pages requested,")


def test_every_reject_line_carries_the_run_id(mirror_server, scrapy_cmd, tmp_path):
    rejects = tmp_path / "r.jsonl"
    for _ in range(2):
        result = crawl(scrapy_cmd, mirror_server.base, tmp_path, "-a", "ids=28116-28117",
                       "-o", str(tmp_path / "out.jsonl"), "-s", f"ZAMAN_REJECTS_PATH={rejects}")
        assert result.returncode == 0, result.stderr[-2000:]
    runs = [json.loads(line)["run"] for line in rejects.read_text().splitlines()]
    assert len(runs) == 2 and len(set(runs)) == 2 and all(runs)


CRAWLER_PROCESS = textwrap.dedent("""
    import sys
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings
    from zamanscraper.spiders.zaman import ZamanSpider

    settings = get_project_settings()
    settings.set("SPIDERMON_ENABLED", False)
    settings.set("ZAMAN_REJECTS_PATH", sys.argv[2])
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ZamanSpider)
    process.crawl(crawler, ids="abc", mirror=sys.argv[1])
    process.start()
    print("FINISH", crawler.stats.get_value("finish_reason"), crawler.stats.get_value("zaman/failed"))
""")


def test_bad_argument_under_crawler_process_is_one_line_not_a_traceback(mirror_server, tmp_path):
    mark = mirror_server.mark()
    result = subprocess.run(
        [sys.executable, "-c", CRAWLER_PROCESS, mirror_server.base, str(tmp_path / "r.jsonl")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
        env={"SCRAPY_SETTINGS_MODULE": "zamanscraper.settings", "PATH": "/usr/bin:/bin"},
    )
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if " ERROR: " in line]
    assert len(errors) == 1 and "argument ids=abc: 'abc' is not an id" in errors[0], errors
    assert "FINISH bad_arguments [\"argument ids=abc:" in result.stdout.replace("'", '"'), result.stdout
    assert mirror_server.since(mark) == []
