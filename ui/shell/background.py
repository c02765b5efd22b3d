"""Reading on a worker thread, with a connection of its own, while the window stays responsive.

A figure over thousands of records (the partnership view's coverage, a year's themes) can take
longer than a frame. :class:`BackgroundReads` runs such reads, ``fn(store)``, one after another
on a worker thread (its own, at a lower priority) with another connection to the same database
(opened and closed on that thread: a SQLite connection belongs to one thread), and hands the plain
values they return to the GUI thread as each is ready. One thread, not one per read: reads are
Python work, and several at once would only take the interpreter from each other and from the
window. Reads never write, so they do not make the session busy and need no progress dialog; a
read whose answer is no longer wanted (the same figure was asked for again, or the view closed) is
dropped when it arrives.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from peerreview.errors import PeerReviewError
from peerreview.sync.registry import Registry
from peerreview.sync.store import Store
from ui.shell.signals import emit
from ui.shell.worker import JOB_GC_THRESHOLDS

log = logging.getLogger(__name__)

#: Called with the value a read returned, in the GUI thread.
Done = Callable[[Any], None]


class _Relay(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


def _lower_priority() -> None:
    """Give this thread a higher nice value, so the window's thread is scheduled first when the
    laptop is busy (on two cores, a read competing with the window for the processor was felt as
    a stall of 50-90 ms). A thread of its own, because a thread's niceness cannot be undone."""
    if hasattr(os, "setpriority"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except OSError:
            pass


class _Queue:
    """Reads waiting for the worker, shared by the GUI thread and the worker."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: deque[tuple[int, Callable[[Store], Any]]] = deque()
        self.running = False


class _Worker:
    """Works through the queue on a thread of its own, at a lower priority than the window's."""

    def __init__(self, path: Path, registry: Registry, queue: _Queue, relay: _Relay) -> None:
        self.path, self.registry, self.queue, self.relay = path, registry, queue, relay

    def start(self) -> None:
        threading.Thread(target=self.run, name="background reads", daemon=True).start()

    def run(self) -> None:
        _lower_priority()
        # A read makes thousands of short-lived rows; Python's collector, run for them as often
        # as it runs by default, stopped the window for 40-80 ms at a time. Collect less often
        # while reads run, as long jobs do (ui.shell.worker), and put it back after.
        before = gc.get_threshold()
        gc.set_threshold(*JOB_GC_THRESHOLDS)
        store: Store | None = None
        try:
            while True:
                with self.queue.lock:
                    if not self.queue.items:
                        self.queue.running = False
                        return
                    number, fn = self.queue.items.popleft()
                try:
                    if store is None:
                        store = Store.open(self.path, registry=self.registry)
                    value = fn(store)
                except PeerReviewError as exc:
                    self._send(self.relay.failed, number, exc.message)
                    continue
                except Exception as exc:  # noqa: BLE001 - a bug in a read is logged, never a crash
                    log.exception("background read failed")
                    self._send(self.relay.failed, number, f"This figure could not be read ({exc}).")
                    continue
                self._send(self.relay.done, number, value)
        finally:
            if store is not None:
                store.close()
            if gc.get_threshold() == JOB_GC_THRESHOLDS:
                gc.set_threshold(*before)

    def _send(self, signal: Any, number: int, value: Any) -> None:
        try:
            emit(signal, number, value)
        except RuntimeError:
            pass  # the view that asked was closed meanwhile


class BackgroundReads(QObject):
    """Runs reads of one database for a view, in order; only each name's latest answer counts."""

    #: every read asked for has answered (tests and benchmarks wait for it)
    settled = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.registry = store.path, store.registry
        self._relay = _Relay(self)
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._queue = _Queue()
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
        """Run ``fn(store)`` on the worker after the reads asked for before it; ``done(value)`` in
        the GUI thread with its answer (unless ``name`` was asked again meanwhile: then only the
        newer answer counts)."""
        self._next += 1
        number = self._next
        self._wanted[number] = (name, done, failed)
        self._latest[name] = number
        with self._queue.lock:
            self._queue.items.append((number, fn))
            start = not self._queue.running
            self._queue.running = True
        if start:
            _Worker(self.path, self.registry, self._queue, self._relay).start()

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
