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


def _uses_pyside(module: Any) -> bool:
    """Does ``module``'s source name PySide6? Read from its file, and not kept."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False  # built in, compiled or bytecode only: as PySide6 answers for those
    try:
        with open(path, "rb") as f:
            return b"PySide6" in f.read()
    except OSError:
        return False


def _read_sources_once() -> bool:
    """PySide6 asks of every module imported after it whether its source names PySide6 (for its
    ``__feature__`` switches, which this app does not use) through ``inspect.getsource``, which
    keeps every line of every such module in ``linecache`` for the rest of the session: the store,
    sqlite-utils and the features, imported after the window first paints, cost 7 MB and 20 ms
    that way. The same question is answered from the file without keeping it."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False  # another PySide6: nothing to do
    setattr(feature, "_mod_uses_pyside", _uses_pyside)  # noqa: B010 - a module of PySide6
    return True


SOURCES_NOT_KEPT = _read_sources_once()
