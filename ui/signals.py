"""Emitting Qt signals from Python safely on every PySide6 we support.

PySide6 6.12.0 returns ``SignalInstance.emit()``'s result (``True``) without a new reference, so
each emit from Python takes one reference from ``True``; on Python 3.11, where ``True`` is not
immortal, a long session ends in "Fatal Python error: bool_dealloc". ``emit`` below gives the
reference back, only when a probe at import shows this PySide6 has the bug.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def _emit_steals_a_reference() -> bool:
    if sys.version_info >= (3, 12):
        return False  # True is immortal: nothing can go wrong
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost >= 8


_COMPENSATE = _emit_steals_a_reference()


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, with the reference PySide6 6.12 drops given back."""
    result = signal.emit(*args)
    if _COMPENSATE and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
