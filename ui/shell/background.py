"""Reading on a worker thread, with a connection of its own, while the window stays responsive.

A figure over thousands of records (the partnership view's coverage, a year's themes) can take
longer than a frame. :class:`BackgroundReads` runs such a read, ``fn(store)``, on the thread pool
with another connection to the same database (opened and closed on that thread: a SQLite connection
belongs to one thread), and hands the plain values it returns to the GUI thread. Reads never write,
so they do not make the session busy and need no progress dialog; a read whose answer is no longer
wanted (the view was refreshed or closed) is dropped when it arrives.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from peerreview.errors import PeerReviewError
from peerreview.sync.registry import Registry
from peerreview.sync.store import Store
from ui.shell.signals import emit

log = logging.getLogger(__name__)

#: Called with the value a read returned, in the GUI thread.
Done = Callable[[Any], None]


class _Relay(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _Read(QRunnable):
    def __init__(
        self,
        path: Path,
        registry: Registry,
        fn: Callable[[Store], Any],
        number: int,
        relay: _Relay,
    ) -> None:
        super().__init__()
        self.path, self.registry, self.fn, self.number, self.relay = (
            path,
            registry,
            fn,
            number,
            relay,
        )

    def run(self) -> None:
        try:
            with Store.open(self.path, registry=self.registry) as store:
                value = self.fn(store)
        except PeerReviewError as exc:
            self._send(self.relay.failed, exc.message)
            return
        except Exception as exc:  # noqa: BLE001 - a bug in a read is logged, never a crash
            log.exception("background read failed")
            self._send(self.relay.failed, f"This figure could not be read ({exc}).")
            return
        self._send(self.relay.done, value)

    def _send(self, signal: Any, value: Any) -> None:
        try:
            emit(signal, self.number, value)
        except RuntimeError:
            pass  # the view that asked was closed meanwhile


class BackgroundReads(QObject):
    """Runs reads of one database for a view; only each name's latest answer is delivered."""

    #: every read asked for has answered (tests and benchmarks wait for it)
    settled = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.registry = store.path, store.registry
        self._relay = _Relay(self)
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._next = 0
        self._wanted: dict[int, tuple[str, Done, Callable[[str], None] | None]] = {}
        self._latest: dict[str, int] = {}

    @property
    def pending(self) -> int:
        return len(self._wanted)

    def read(
        self,
        name: str,
        fn: Callable[[Store], Any],
        done: Done,
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``fn(store)`` on a worker thread; ``done(value)`` in the GUI thread with its answer
        (unless ``name`` was asked again meanwhile: then only the newer answer counts)."""
        self._next += 1
        number = self._next
        self._wanted[number] = (name, done, failed)
        self._latest[name] = number
        QThreadPool.globalInstance().start(_Read(self.path, self.registry, fn, number, self._relay))

    def _take(self, number: int) -> tuple[str, Done, Callable[[str], None] | None] | None:
        found = self._wanted.pop(number, None)
        if found is not None and self._latest.get(found[0]) != number:
            found = None  # a newer read of the same figure is on its way
        return found

    def _done(self, number: int, value: object) -> None:
        found = self._take(number)
        if found is not None:
            found[1](value)
        if not self._wanted:
            self.settled.emit()

    def _failed(self, number: int, message: str) -> None:
        found = self._take(number)
        if found is not None and found[2] is not None:
            found[2](message)
        if not self._wanted:
            self.settled.emit()
