"""ruff and mypy, as configured in pyproject.toml, report nothing: run in the suite so that every
change sees its findings (fix them, or configure a rule away in pyproject.toml with a reason)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False,
                          timeout=600)


def test_ruff_check_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    result = run(ruff, "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    result = run(sys.executable, "-m", "mypy", "zamanscraper")
    assert result.returncode == 0, result.stdout + result.stderr
