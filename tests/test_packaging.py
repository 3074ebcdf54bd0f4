"""``pip install .`` (not editable) then ``zamanscraper demo`` from an empty directory.

The wheel is built from a copy of the project's files (no stale ``build/``), without build
isolation or dependencies (no network: this venv already has setuptools and the runtime
dependencies), into a ``--target`` directory that is the only place ``zamanscraper`` can be
imported from: the checkout is not on the path of the demo. The build compiles the C line walk
(``setup.py``; Cython is in the test extra) wherever the checkout's own install has it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zamanscraper.extract import document
from zamanscraper.items import FIELD_NAMES

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A non-editable install of the project: the ``--target`` directory."""
    work = tmp_path_factory.mktemp("install")
    src = work / "src"
    shutil.copytree(
        REPO_ROOT / "zamanscraper", src / "zamanscraper",
        ignore=shutil.ignore_patterns("__pycache__", "*.so"),  # the build compiles its own
    )
    for name in PROJECT_FILES:
        if (REPO_ROOT / name).is_file():
            shutil.copy(REPO_ROOT / name, src / name)
    target = work / "target"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(src)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return target


def run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SCRAPY_SETTINGS_MODULE", "PYTHONPATH")}
    env.update(PYTHONPATH=str(target), PYTHONUTF8="1")
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True,
        encoding="utf-8", timeout=300, check=False,
    )


def test_installed_package_holds_its_data(installed):
    package = installed / "zamanscraper"
    assert (package / "demo_site" / "_meta.json").is_file()
    assert (package / "demo_site" / "en.zamanalwsl.net" / "rss.php").is_file()
    assert (package / "schemas" / "article.schema.json").is_file()
    assert (installed / "bin" / "zamanscraper").is_file()


def test_demo_from_an_empty_directory(installed, tmp_path):
    where = run_installed(installed, tmp_path, "-c", "import zamanscraper; print(zamanscraper.__file__)")
    assert where.stdout.strip() == str(installed / "zamanscraper" / "__init__.py")
    result = run_installed(installed, tmp_path, str(installed / "bin" / "zamanscraper"), "demo")
    assert result.returncode == 0, result.stderr
    articles = tmp_path / "demo-output" / "articles.jsonl"
    records = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 30, result.stdout
    assert f"items:   {len(records)}" in result.stdout
    assert {r["edition"] for r in records} == {"en", "ar"}
    assert all(list(r) == list(FIELD_NAMES) for r in records)  # the schema loaded: validated
    assert "All monitors passed" in (tmp_path / "demo-output" / "report.html").read_text(encoding="utf-8")


def test_installed_package_runs_the_c_walk(installed, tmp_path):
    if document._c_walk is None:
        pytest.skip("the C line walk is not built here (no Cython or compiler): the wheel runs the Python walk")
    result = run_installed(installed, tmp_path, "-c",
                           "from zamanscraper.extract import document; print(document._c_walk.__file__)")
    assert result.stdout.startswith(str(installed / "zamanscraper" / "extract" / "_walk.")), result.stderr
