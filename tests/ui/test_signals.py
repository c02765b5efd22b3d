"""Calling Qt from Python must not eat references to True or None (PySide6 6.12.0 does)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ui.shell.signals import emit


class _Sender(QObject):
    said = Signal(str)


def test_emit_keeps_true_alive() -> None:
    sender = _Sender()
    before = sys.getrefcount(True)
    for _ in range(5000):
        emit(sender.said, "x")
    assert abs(sys.getrefcount(True) - before) < 50


def test_a_long_session_of_void_calls_does_not_run_out_of_none() -> None:
    """Tens of thousands of void calls (each keystroke restarts a timer): no none_dealloc."""
    code = (
        "import ui.shell.signals, sys\n"
        "from PySide6.QtCore import QTimer, QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "timer = QTimer()\n"
        "for _ in range(60_000):\n"
        "    timer.start(700)\n"
        "    timer.stop()\n"
        "print('alive', ui.shell.signals.NONE_PROTECTED)\n"
    )
    root = Path(__file__).parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("alive")


def test_modules_imported_after_pyside_do_not_keep_their_source() -> None:
    """PySide6 reads the source of each module imported after it; none of it is kept."""
    code = (
        "import PySide6.QtWidgets, linecache\n"
        "import ui.shell.signals as s\n"
        "import peerreview.sync.store, ui.features\n"
        "kept = [f for f in linecache.cache if '/peerreview/' in f or 'sqlite_utils' in f]\n"
        "print(s.SOURCES_NOT_KEPT, len(kept))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "0"]
