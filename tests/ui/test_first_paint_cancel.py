"""Work waiting for a window's first paint is dropped when the window closes before it comes."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.shell.steps import after_first_paint, cancel_first_paint_work


def test_closing_drops_work_waiting_for_the_first_paint(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    child = QWidget(window)
    calls: list[str] = []
    after_first_paint(child, lambda: calls.append("ran"), fallback_ms=50)
    cancel_first_paint_work(window)  # as the main window does when it closes
    qtbot.wait(200)  # past the fallback timer
    assert calls == []

    after_first_paint(child, lambda: calls.append("ran"), fallback_ms=50)
    qtbot.waitUntil(lambda: calls == ["ran"], timeout=2000)
