"""On a machine with no display, the app says how to run it in one sentence and exits (the README's
first command still leaves the demo database ready), instead of Qt's abort and core dump."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.shell.launcher import display_problem

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("env", "platform", "shown"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen:configfile=x.json"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "linux", False),
        ({}, "win32", True),
        ({}, "darwin", True),
        ({}, "freebsd14", False),
    ],
)
def test_a_display_is_needed_where_qt_needs_one(
    env: dict[str, str], platform: str, shown: bool
) -> None:
    assert (display_problem(env, platform) == "") is shown


def _without_display() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_the_readmes_first_command_leaves_the_demo_ready(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    done = subprocess.run(
        [sys.executable, "-m", "ui.shell.launcher", "demo", "--db", str(db)],
        env=_without_display() | {"XDG_DATA_HOME": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 1  # not a signal: no abort, no core dump
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("peerreview: There is no display") and "peerreview --help" in line
    assert "Demo partnership (small)" in done.stdout
    check = subprocess.run(
        [sys.executable, "-m", "ui.shell.launcher", "check", "--db", str(db)],
        env=_without_display(),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_opening_the_app_without_a_display_says_so(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ui.shell.launcher"],
        env=_without_display() | {"XDG_DATA_HOME": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "no display" in done.stderr
