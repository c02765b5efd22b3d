"""Strict tooling: ruff check and ruff format pass over the sources, mypy --strict on the core."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Everything with Python in it (docs/ holds the scripts that make the samples and screenshots).
SOURCES = ("peerreview", "ui", "tests", "bench", "docs", "scripts")


def run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m module args`` from the project root, with this interpreter (the project venv)."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(
            f"{module} is not installed (it is in the test extra: pip install -e '.[test]')"
        )
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_passed(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, (
        f"{' '.join(result.args[1:])} failed:\n{result.stdout}{result.stderr}"
    )


def test_ruff_check() -> None:
    assert_passed(run_tool("ruff", "check", "--no-cache", "--output-format", "concise", *SOURCES))


def test_ruff_format() -> None:
    assert_passed(run_tool("ruff", "format", "--check", "--no-cache", *SOURCES))


def test_mypy_strict_on_the_core(tmp_path: Path) -> None:
    # Its own cache, so a cache left by another version or checkout cannot hide an error; cold, it
    # takes a few seconds on the core's modules.
    assert_passed(run_tool("mypy", "--strict", "--cache-dir", str(tmp_path / "mypy")))
