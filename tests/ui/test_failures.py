"""An unexpected error is logged and shown with "Copy details"; never a silent exit."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication

from ui.shell.crash import CrashDialog, ExceptionHook
from ui.shell.logs import setup_logging


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


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_real_slot_reaches_the_dialog_and_the_log(
    app: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Raised in a timer's callback inside the running event loop (as a bug in any slot would
    be): logged, shown with its details, and the event loop carries on."""
    from PySide6.QtCore import QTimer

    shown: list[CrashDialog] = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: shown.append(self) or 0)
    log_path = setup_logging(tmp_path / "logs", capture_qt=False)
    hook = ExceptionHook()
    hook.install()
    after: list[str] = []
    try:

        def buggy() -> None:
            raise ZeroDivisionError("the slot that went wrong")

        QTimer.singleShot(0, buggy)
        QTimer.singleShot(50, lambda: after.append("still running"))
        qtbot.waitUntil(lambda: bool(after), timeout=3000)
    finally:
        hook.uninstall()
        _remove_handler(log_path)
    assert after == ["still running"]
    assert len(shown) == 1
    assert "ZeroDivisionError: the slot that went wrong" in shown[0].text.toPlainText()
    assert "in buggy" in shown[0].text.toPlainText()  # the traceback, not just the message
    logged = log_path.read_text(encoding="utf-8")
    assert "unhandled exception" in logged and "ZeroDivisionError" in logged
    shown[0].close()


def _remove_handler(log_path: Path) -> None:
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "baseFilename", "") == str(log_path):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_logs_go_to_the_user_log_folder_and_rotate(private_folders: Path) -> None:
    import logging.handlers

    from peerreview.paths import log_dir

    log_path = setup_logging(capture_qt=False)
    try:
        assert log_path.parent == log_dir()
        assert str(log_path).startswith(str(private_folders))  # the user's folder, not the cwd
        handler = next(
            h
            for h in logging.getLogger().handlers
            if getattr(h, "baseFilename", "") == str(log_path)
        )
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        assert (handler.maxBytes, handler.backupCount) == (1_000_000, 5)
        log = logging.getLogger("peerreview.test")
        line = "x" * 1000
        for _ in range(1_200):  # about 1.2 MB: more than one file holds
            log.info("%s", line)
        handler.flush()
        assert (log_path.parent / "peerreview.log.1").exists()
        assert log_path.stat().st_size < 1_000_000
        assert (log_path.parent / "peerreview.log.1").stat().st_size <= 1_000_000
        for _ in range(6_000):  # six more files' worth: only five old files are kept
            log.info("%s", line)
        handler.flush()
        assert (log_path.parent / "peerreview.log.5").exists()
        assert not (log_path.parent / "peerreview.log.6").exists()
    finally:
        _remove_handler(log_path)
