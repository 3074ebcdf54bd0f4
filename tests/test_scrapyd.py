"""Deployment to a real scrapyd (1.6): started here on 127.0.0.1 with an OS-picked port and HTTP
auth, the project egg built and uploaded with ``scrapyd-deploy``, ``zaman`` scheduled against the
loopback mirror, and the job's JSON-lines items checked. Everything lives in ``tmp_path``."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from zamanscraper import __version__, urls
from zamanscraper.version import HASH_CHARS

pytest.importorskip("scrapyd")
pytest.importorskip("scrapyd_client")

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("pyproject.toml", "setup.py", "README.md", "LICENSE")
USER, PASSWORD = "archivist", "s3cret-for-tests"
PROJECT = "zamanscraper"
#: package version written into the deployed copy: the job's records show the egg's code ran
EGG_VERSION = "9.9.9"
#: bounds of every wait (seconds): generous for a loaded CI machine, never a timing assert
START_TIMEOUT, JOB_TIMEOUT = 60, 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, endpoint: str, data: list[tuple[str, str]] | None = None,
         auth: bool = True) -> dict:
    """GET (``data`` None) or POST a scrapyd endpoint; the JSON answer."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(f"{base}/{endpoint}", data=body)
    if auth:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path):
    """A scrapyd process with its config, eggs, logs, items and dbs in ``tmp_path``."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    dirs = {name: home / name for name in ("eggs", "logs", "items", "dbs")}
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"username = {USER}\npassword = {PASSWORD}\n"
        + "".join(f"{name}_dir = {path}\n" for name, path in dirs.items())
        + "poll_interval = 0.5\nmax_proc = 1\n",
        encoding="utf-8",
    )
    env = dict(os.environ, HOME=str(home))  # no ~/.scrapyd.conf of the machine's user
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    log = (home / "scrapyd.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=home, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, (home / "scrapyd.log").read_text()
            try:
                call(base, "daemonstatus.json")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "scrapyd did not answer"
                time.sleep(0.2)
        yield base, dirs
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def deploy(base: str, work: Path) -> subprocess.CompletedProcess:
    """``scrapyd-deploy`` from a copy of the project (its build files stay out of the checkout)."""
    src = work / "project"
    shutil.copytree(REPO_ROOT / "zamanscraper", src / "zamanscraper",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in PROJECT_FILES:
        shutil.copy(REPO_ROOT / name, src / name)
    init = src / "zamanscraper" / "__init__.py"  # marks the records made by the egg's code
    init.write_text(init.read_text(encoding="utf-8").replace(
        f'__version__ = "{__version__}"', f'__version__ = "{EGG_VERSION}"'), encoding="utf-8")
    (src / "scrapy.cfg").write_text(
        "[settings]\ndefault = zamanscraper.settings\n\n"
        f"[deploy:archive]\nurl = {base}/\nproject = {PROJECT}\n"
        f"username = {USER}\npassword = {PASSWORD}\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", "archive", "-v", "1"], cwd=src,
        capture_output=True, text=True, timeout=300, check=False,
    )


def wait_for(base: str, job: str) -> dict:
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        jobs = call(base, f"listjobs.json?project={PROJECT}")
        for finished in jobs["finished"]:
            if finished["id"] == job:
                return finished
        time.sleep(0.5)
    raise AssertionError(f"job {job} did not finish within {JOB_TIMEOUT} s: {jobs}")


def test_deploy_schedule_and_items_with_auth(scrapyd, mirror_server, tmp_path):
    base, dirs = scrapyd
    schedule = [("project", PROJECT), ("spider", "zaman"), ("mirror", mirror_server.base),
                ("edition", "both"),
                ("setting", f"ZAMAN_REJECTS_PATH={tmp_path / 'rejects.jsonl'}")]
    with pytest.raises(urllib.error.HTTPError) as refused:
        call(base, "schedule.json", schedule, auth=False)
    assert refused.value.code == 401

    deployed = deploy(base, tmp_path)
    assert deployed.returncode == 0, deployed.stderr
    assert json.loads(deployed.stdout)["status"] == "ok", deployed.stdout
    assert call(base, f"listspiders.json?project={PROJECT}")["spiders"] == ["zaman"]

    job = call(base, "schedule.json", schedule)["jobid"]
    wait_for(base, job)
    items_file = dirs["items"] / PROJECT / "zaman" / f"{job}.jl"
    log = (dirs["logs"] / PROJECT / "zaman" / f"{job}.log").read_text(encoding="utf-8")
    assert items_file.is_file(), log[-3000:]
    items = [json.loads(line) for line in items_file.read_text(encoding="utf-8").splitlines()]
    truth = {tuple(p.stem.split("-")) for p in (REPO_ROOT / "tests/fixtures/articles").glob("*.json")}
    assert {(i["edition"], str(i["article_id"])) for i in items} == truth
    for item in items:
        assert item["url"] == urls.canonical_url(item["edition"], item["article_id"])
        assert item["extractor_version"].startswith(f"{EGG_VERSION}+")
        assert len(item["extractor_version"]) == len(EGG_VERSION) + 1 + HASH_CHARS
    assert "Traceback" not in log, log[-3000:]
