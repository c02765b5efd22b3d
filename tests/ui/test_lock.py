"""One app instance per database: a second one is refused with a clear message, not allowed in."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ui.shell.app import Launcher
from ui.shell.lock import DatabaseLock


def test_second_launcher_is_refused(
    app: Any, db_path: Path, settings: Any, dialogs: Any, qtbot: Any
):
    first = Launcher(settings)
    assert first.start(db_path)
    second = Launcher(settings)
    assert second.start(db_path) is False  # run() then exits with 1
    assert second.window is None
    assert "already open in another PeerReview window" in dialogs.texts("warning")[-1]
    first.shutdown()
    # Once the first has closed, the database opens normally.
    third = Launcher(settings)
    assert third.start(db_path)
    third.shutdown()


def test_lock_held_by_another_process(
    app: Any, db_path: Path, settings: Any, dialogs: Any, tmp_path: Path
):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from PySide6.QtCore import QLockFile\n"
            f"lock = QLockFile({str(db_path) + '.lock'!r}); assert lock.tryLock(0)\n"
            "print('locked', flush=True); time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        launcher = Launcher(settings)
        assert launcher.start(db_path) is False
        assert f"process {holder.pid}" in dialogs.texts("warning")[-1]
    finally:
        holder.kill()
        holder.wait()
    # A lock left behind by a killed process is taken over.
    time.sleep(0.1)
    lock = DatabaseLock(db_path)
    assert lock.acquire()
    lock.release()
