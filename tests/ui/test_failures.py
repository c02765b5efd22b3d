"""An unexpected error is logged and shown with "Copy details"; never a silent exit."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication

from ui.crash import CrashDialog, ExceptionHook
from ui.logs import setup_logging


def test_exception_hook_logs_and_shows_details(
    app: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    shown: list[CrashDialog] = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: shown.append(self) or 0)
    log_path = setup_logging(tmp_path / "logs", capture_qt=False)
    hook = ExceptionHook()
    try:
        raise ValueError("the thing that went wrong")
    except ValueError:
        hook(*sys.exc_info())  # what Qt's event loop does with an exception in a slot
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "baseFilename", "") == str(log_path):
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert len(shown) == 1
    dialog = shown[0]
    assert "the thing that went wrong" in dialog.text.toPlainText()
    dialog.copy_button.click()
    assert "ValueError: the thing that went wrong" in QGuiApplication.clipboard().text()
    assert dialog.copy_button.text() == "Copied"
    assert "ValueError: the thing that went wrong" in log_path.read_text(encoding="utf-8")
    dialog.close()


def test_hook_installs_and_uninstalls() -> None:
    before = sys.excepthook
    hook = ExceptionHook()
    hook.install()
    assert sys.excepthook is hook
    hook.uninstall()
    assert sys.excepthook is before
