"""Strict tooling: ruff check and ruff format pass over the sources, mypy --strict on the core and
the app."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
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


def test_mypy_strict_on_the_core_and_the_app(tmp_path: Path) -> None:
    # mypy checks the packages pyproject.toml names: both, so the app is not left out by mistake.
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert {"peerreview", "ui"} <= set(settings["tool"]["mypy"]["packages"])
    # Its own cache, so a cache left by another version or checkout cannot hide an error; cold, it
    # takes about ten seconds on the core's and the app's modules (PySide6's stubs are most of it).
    assert_passed(run_tool("mypy", "--strict", "--cache-dir", str(tmp_path / "mypy")))
