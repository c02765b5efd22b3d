"""The child-process side of a job run in a process of its own (no Qt: the child never loads it).

A job that runs ``fn(*args, progress=, cancelled=)`` for minutes holds Python's lock for most of
that time, and the window's thread needs the same lock for every slot, paint and timer: on a
thread, a bulk import stalled the window for 50-150 ms at a time. In a child process the two
never share a lock. ``ui.shell.worker.Job`` starts :func:`main` in a child ("spawn": a fresh
interpreter, as the chart drawing process) and relays what it sends: ``("progress", done,
total)`` at most every ``PROGRESS_INTERVAL_S``, then one ``("done", result)``, ``("failed",
error)`` (a :class:`PeerReviewError`: the core's sentence) or ``("bug", text)`` (a traceback).
"""

from __future__ import annotations

import gc
import os
import pickle
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Protocol

from peerreview.errors import Cancelled, PeerReviewError

#: Progress goes to the window at most this often, so a chatty job cannot flood its event loop
#: (a job on a thread's too: ``Pace``).
PROGRESS_INTERVAL_S = 0.05

#: How much lower the child's claim on the processor is than the window's (see ``os.nice``).
CHILD_NICENESS = 5

#: The child makes millions of short-lived objects and no cycles worth collecting meanwhile (the
#: window collects as rarely while a job runs: ``ui.shell.worker.JOB_GC_THRESHOLDS``).
GC_THRESHOLDS = (50_000, 20, 100)


class _Event(Protocol):
    def is_set(self) -> bool: ...


class Pace:
    """Passes a job's progress on at most every ``PROGRESS_INTERVAL_S``, and always its last step
    (to the window from a job's thread, through the pipe from a child)."""

    def __init__(self, send: Callable[[int, int], None]) -> None:
        self.send = send
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_INTERVAL_S or (total and done >= total):
            self.last = now
            self.send(int(done), int(total))


@dataclass(frozen=True)
class StoreAt:
    """Stands for a ``Store`` among a job's arguments: the child opens the same file itself.

    The child's store uses the app's default registry (a job is only sent to a process when the
    window's store was opened with the same features: see ``worker.process_arguments``).
    """

    path: str


def main(
    conn: Connection,
    cancel: _Event,
    parent_pid: int,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """Run ``fn`` here and send its progress and its end through ``conn``."""
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        # Behind the window (and the rest of the laptop) for the processor: the person waits
        # for the import either way, but a window that stutters looks broken.
        os.nice(CHILD_NICENESS)
    except OSError:
        pass
    progress = Pace(lambda done, total: conn.send(("progress", done, total)))

    def cancelled() -> bool:
        # The window gone (its process ended: this one was handed to init) counts as Cancel.
        return cancel.is_set() or os.getppid() != parent_pid

    try:
        message = ("done", _run(fn, args, kwargs, progress, cancelled))
    except PeerReviewError as exc:
        message = ("failed", _sendable_error(exc))
    except BaseException:  # noqa: BLE001 - a bug is reported to the window, not lost here
        message = ("bug", traceback.format_exc())
    try:
        conn.send(message)
    except (pickle.PicklingError, TypeError, AttributeError):
        # A result that cannot travel is a bug of the job, shown as one.
        conn.send(("bug", traceback.format_exc()))
    finally:
        conn.close()


def _run(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
) -> Any:
    from peerreview.sync.store import Store

    opened: dict[str, Store] = {}

    def own(value: Any) -> Any:
        if not isinstance(value, StoreAt):
            return value
        if value.path not in opened:
            opened[value.path] = Store.open(value.path)
        return opened[value.path]

    try:
        if cancelled():
            raise Cancelled()
        real_args = [own(a) for a in args]
        real_kwargs = {name: own(v) for name, v in kwargs.items()}
        return _sendable(fn(*real_args, progress=progress, cancelled=cancelled, **real_kwargs))
    finally:
        for store in opened.values():
            store.close()


def _sendable_error(exc: PeerReviewError) -> PeerReviewError:
    """The error itself when it can be pickled, else a plain one with the same sentence."""
    exc.__traceback__ = None
    exc.__context__ = exc.__cause__ = None
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any failure to travel means: send the sentence only
        return PeerReviewError(exc.message)


def _sendable(result: Any) -> Any:
    """A list of results may hold errors (a refused bundle): each made fit to travel."""
    if isinstance(result, list):
        return [_sendable_error(r) if isinstance(r, PeerReviewError) else r for r in result]
    return result
