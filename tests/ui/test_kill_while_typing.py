"""The real app, killed with SIGKILL mid-typing, loses at most the last second of what was typed.

The app runs in a subprocess (offscreen) with PEERREVIEW_TEST_SCRIPT: it opens a school, focuses
its notes and types a character every 50 ms with real key events, logging each with its time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peerreview.sync.check import check
from peerreview.sync.store import Store

# ASCII only: QTest can type nothing else (non-ASCII keys assert inside QtTest).
TEXT = (
    "Pupils in Year 4 explained their reasoning clearly; the teacher's questioning pushed them "
    'to justify answers. Next: more practice of written methods & <fractions>; "why?" '
) * 3
INTERVAL_MS = 50


def _read_log(path: Path) -> list[tuple[float, int]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        when, _, count = line.partition("\t")
        if when != "ready" and count.isdigit():
            entries.append((float(when), int(count)))
    return entries


def _start_app(
    db_path: Path, tmp_path: Path, **script: object
) -> tuple[subprocess.Popen[bytes], str, Path]:
    """``peerreview --db FILE`` in a subprocess, typing into a school's notes."""
    with Store.open(db_path) as store:
        school = store.list("school")[0].id
    log = tmp_path / "typed.log"
    path = tmp_path / "script.json"
    path.write_text(
        json.dumps(
            {
                "record": school,
                "field": "notes",
                "text": TEXT,
                "interval_ms": INTERVAL_MS,
                "log": str(log),
                **script,
            }
        )
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PEERREVIEW_TEST_SCRIPT=str(path))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[var] = str(tmp_path / "child" / var.lower())
    child = subprocess.Popen(
        [sys.executable, "-m", "ui.shell.launcher", "--db", str(db_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return child, school, log


def test_quit_saves_everything_and_exits_cleanly(db_path: Path, tmp_path: Path) -> None:
    child, school, log = _start_app(db_path, tmp_path, quit_after_ms=1500)
    _out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err.decode()
    typed = _read_log(log)
    with Store.open(db_path) as store:
        assert store.get(school)["notes"] == TEXT[: typed[-1][1]]  # every character, even the last
    assert not Path(str(db_path) + ".lock").exists()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_typing_loses_at_most_the_last_second(db_path: Path, tmp_path: Path) -> None:
    child, school, log = _start_app(db_path, tmp_path)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if log.exists() and len(_read_log(log)) >= 60:  # three seconds of typing
                break
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
            time.sleep(0.02)
        else:
            pytest.fail("the app did not start typing")
        killed_at = time.time()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL

    typed = _read_log(log)
    typed_by_kill = max(n for t, n in typed if t <= killed_at)
    typed_a_second_before = max((n for t, n in typed if t <= killed_at - 1.0), default=0)
    with Store.open(db_path) as store:
        saved = store.get(school)["notes"] or ""
        assert check(store) == []
    assert TEXT.startswith(saved), "what was saved is exactly what was typed"
    assert typed_a_second_before <= len(saved) <= typed_by_kill, (
        f"saved {len(saved)} characters; {typed_a_second_before} had been typed a second before "
        f"the kill and {typed_by_kill} by the kill"
    )
