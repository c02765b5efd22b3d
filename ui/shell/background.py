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

Every worker of a session's views is one of its :class:`ReadWorkers`, which closing stops before
the database is closed and the start note stamped with the file as it is then
(ui/shell/start_cache.py): a worker's connection closed after that changed the file under the
note, so the next start ignored it.
"""

from __future__ import annotations

import gc
import itertools
import logging
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from peerreview.errors import PeerReviewError
from peerreview.sync.registry import Registry
from peerreview.sync.store import Store
from ui.shell.signals import emit
from ui.shell.worker import JOB_GC_THRESHOLDS

if TYPE_CHECKING:
    from ui.shell.session import Session

log = logging.getLogger(__name__)

#: Called with the value a read returned, in the GUI thread.
Done = Callable[[Any], None]

#: How long closing waits for workers told to stop: a statement stops within a millisecond of
#: being told; this is for a read's Python work between statements.
STOP_WITHIN = 1.0


class _Relay(QObject):
    """The one object workers emit on, living as long as the application: never deleted.

    A relay owned by the view was deleted with it while a worker emitted on it: a crash in
    libpyside6 (tests/ui/shell/test_background_close_race.py reproduced it in 1 run in 2). This
    one lives in the GUI thread; its slots run there, and hand each answer to the reads that asked
    if they still exist (looked up by key, so a deleted view's answers are dropped).
    """

    done = Signal(int, int, object)
    failed = Signal(int, int, str)

    def __init__(self) -> None:
        super().__init__()
        self.targets: dict[int, weakref.ref[BackgroundReads]] = {}
        self._keys = itertools.count(1)  # never reused, unlike id(): a late answer finds no one
        self.done.connect(self._done)
        self.failed.connect(self._failed)

    def add(self, reads: BackgroundReads) -> int:
        key = next(self._keys)
        targets = self.targets
        self.targets[key] = weakref.ref(reads, lambda _ref: targets.pop(key, None))
        return key

    def _target(self, key: int) -> BackgroundReads | None:
        ref = self.targets.get(key)
        reads = ref() if ref is not None else None
        if reads is None or not shiboken6.isValid(reads):
            return None  # the view that asked was closed meanwhile
        return reads

    def _done(self, key: int, number: int, value: object) -> None:
        reads = self._target(key)
        if reads is not None:
            reads._done(number, value)

    def _failed(self, key: int, number: int, message: str) -> None:
        reads = self._target(key)
        if reads is not None:
            reads._failed(number, message)


_RELAY: _Relay | None = None


def _relay() -> _Relay:
    """The application's relay, made on first use (in the GUI thread, by a view's reads)."""
    global _RELAY
    if _RELAY is None:
        _RELAY = _Relay()
    return _RELAY


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


class ReadWorkers:
    """The worker threads reading a session's database beside the window, and their stop.

    Stopped, a worker drops the reads it has not begun and its statements end at once
    ("interrupted"); reads asked for after the stop are dropped without starting a worker.
    """

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def stop_event(self) -> threading.Event:
        """Set when the workers are told to stop (they look at it between reads and statements)."""
        return self._stop

    def start(self, worker: _Worker) -> None:
        """Start ``worker`` on a thread of its own (none once stopped: its reads are not run)."""
        with self._lock:
            if self._stop.is_set():
                return
            self._threads = [t for t in self._threads if t.is_alive()]
            thread = threading.Thread(target=worker.run, name="background reads", daemon=True)
            self._threads.append(thread)
            thread.start()

    def stop(self, within: float | None = None) -> bool:
        """Tell every worker to stop, and wait up to ``within`` seconds in all (``STOP_WITHIN``)
        for them to end (each closes its connection as it ends); True when none still runs."""
        with self._lock:
            self._stop.set()
            threads = list(self._threads)
        end = time.monotonic() + (STOP_WITHIN if within is None else within)
        for thread in threads:
            thread.join(max(0.0, end - time.monotonic()))
        return not any(t.is_alive() for t in threads)


class _Worker:
    """Works through the queue on a thread of its own, at a lower priority than the window's."""

    def __init__(
        self, path: Path, registry: Registry, queue: _Queue, key: int, stop: threading.Event
    ) -> None:
        self.path, self.registry, self.queue, self.key = path, registry, queue, key
        self.relay = _relay()
        self.stop = stop

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
                    if self.stop.is_set():
                        self.queue.items.clear()  # not wanted: the window is closing
                    if not self.queue.items:
                        self.queue.running = False
                        return
                    number, fn = self.queue.items.popleft()
                try:
                    if store is None:
                        store = Store.open(self.path, registry=self.registry)
                        store.stop_statements_when(self.stop.is_set)
                    value = fn(store)
                except Exception as exc:  # noqa: BLE001 - a bug in a read is logged, never a crash
                    if not self.stop.is_set():  # (stopped half-way: no one waits for it)
                        self._failed(number, exc)
                    continue
                self._send(self.relay.done, number, value)
        finally:
            if store is not None:
                store.close()
            if gc.get_threshold() == JOB_GC_THRESHOLDS:
                gc.set_threshold(*before)

    def _failed(self, number: int, exc: Exception) -> None:
        if isinstance(exc, PeerReviewError):
            self._send(self.relay.failed, number, exc.message)
            return
        log.error("background read failed", exc_info=exc)
        self._send(self.relay.failed, number, f"This figure could not be read ({exc}).")

    def _send(self, signal: Any, number: int, value: Any) -> None:
        emit(signal, self.key, number, value)


class BackgroundReads(QObject):
    """Runs reads of one database for a view, in order; only each name's latest answer counts."""

    #: every read asked for has answered (tests and benchmarks wait for it)
    settled = Signal()

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.registry = session.store.path, session.store.registry
        self._workers = session.read_workers
        self._key = _relay().add(self)
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
        newer answer counts). Once the session's workers are stopped (closing), nothing runs."""
        if self._workers.stopped:
            return
        self._next += 1
        number = self._next
        self._wanted[number] = (name, done, failed)
        self._latest[name] = number
        with self._queue.lock:
            self._queue.items.append((number, fn))
            start = not self._queue.running
            self._queue.running = True
        if start:
            stop = self._workers.stop_event
            self._workers.start(_Worker(self.path, self.registry, self._queue, self._key, stop))

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
