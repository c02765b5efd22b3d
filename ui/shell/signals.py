"""Calling Qt from Python safely on every PySide6 we support.

PySide6 6.12.0 returns ``SignalInstance.emit()``'s result (``True``) without a new reference, so
each emit from Python takes one reference from ``True``; on Python 3.11, where ``True`` is not
immortal, a long session ends in "Fatal Python error: bool_dealloc". ``emit`` below gives the
reference back, only when a probe at import shows this PySide6 has the bug.

The same PySide6 returns ``None`` from every void method (``setText``, ``QTimer.start``, ...)
without a new reference. There is no one place to give those back: each such call takes one of
``None``'s references (about 11,000 after start-up), so a session of a few thousand keystrokes
(each restarts the autosave timer) ends in "Fatal Python error: none_dealloc". When a probe at
import shows the bug, ``None`` is given a reference count no session can use up, which is what
Python 3.12 does for ``None`` anyway (immortal objects).
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


def _void_calls_steal_none() -> bool:
    if sys.version_info >= (3, 12):
        return False  # None is immortal
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 8


#: references given to None when void calls take them: 2**40 calls is centuries of typing
NONE_RESERVE = 1 << 40

NONE_PROTECTED = _void_calls_steal_none()
if NONE_PROTECTED:
    ctypes.c_ssize_t.from_address(id(None)).value += NONE_RESERVE


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, with the reference PySide6 6.12 drops given back."""
    result = signal.emit(*args)
    if _COMPENSATE and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
