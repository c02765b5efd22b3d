"""What the screenshot scripts share: a private temporary home for the app's settings and data,
letting a widget settle before it is grabbed, and saving the grab."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def private_home(prefix: str) -> Path:
    """A temporary folder for the app's settings, data and logs (never the user's own), offscreen
    unless a display was asked for; the repository importable. Call before the app is made."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        os.environ[var] = str(work / var.lower())
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return work


def settle(app: QApplication, widget: QWidget, rounds: int = 3, wait_ms: int = 40) -> None:
    """Let layouts, deferred fills and style changes happen, then paint."""
    from PySide6.QtTest import QTest

    for _ in range(rounds):
        QTest.qWait(wait_ms)
        app.processEvents()
    widget.repaint()
    app.processEvents()


def save(app: QApplication, widget: QWidget, path: Path, **settling: int) -> None:
    """Grab ``widget`` (once settled) into ``path``."""
    settle(app, widget, **settling)
    widget.grab().save(str(path))
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"wrote {shown}")
