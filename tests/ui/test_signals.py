"""Emitting signals from Python must not eat references to True (PySide6 6.12.0 does)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from ui.signals import emit


class _Sender(QObject):
    said = Signal(str)


def test_emit_keeps_true_alive() -> None:
    sender = _Sender()
    before = sys.getrefcount(True)
    for _ in range(5000):
        emit(sender.said, "x")
    assert abs(sys.getrefcount(True) - before) < 50
