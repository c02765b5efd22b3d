"""Long work off the UI thread: any core function ``fn(*args, progress=, cancelled=)``.

``Job`` runs the function on a QThreadPool and reports through signals (``progress``, ``finished``,
``failed``); it never touches a widget, nor the GUI's SQLite connection: a store among its arguments
is opened again for the job's thread, and closed there when the function returns. A job started
with ``in_process=True`` runs the function in a child process instead (``ui.shell.child``; the
thread only relays its progress and end), so its Python work never holds the lock the window's
thread needs (docs/ui.md, "Long work in a process of its own"). ``JobRunner`` is the GUI side: it
refuses edits while the job runs (the views may still read), shows a progress dialog with
Cancel, and turns errors into readable dialogs.
"""

from __future__ import annotations

import functools
import gc
import logging
import multiprocessing
import os
import pickle
import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from peerreview.errors import Cancelled, PeerReviewError
from peerreview.sync.store import Store
from ui.shell import child
from ui.shell.signals import emit

if TYPE_CHECKING:
    from ui.shell.session import Session

log = logging.getLogger(__name__)

#: what a job's function returns, handed to its ``on_done``
T = TypeVar("T")

#: Python's garbage collector stops every thread while it runs, and a bulk import creates millions
#: of short-lived objects. While a job runs, collect far less often (its objects are not cycles).
JOB_GC_THRESHOLDS = child.GC_THRESHOLDS  # (a job in a child process collects as rarely)


def leave_out_of_collections() -> None:
    """Collect, then leave everything alive now out of every later collection (``gc.freeze``):
    a window calls it once it has started, and ``collect_all_again`` when it closes.

    What is alive then (modules, classes, the window's widgets) lives as long as the window, yet
    each of Python's full collections walked it again: 6-9 ms for a window's 54,000 objects,
    13.4 ms in a stall of 26.6 ms as an import started (issue 13 (d)); meanwhile they walk only
    what came since. A cycle among the frozen objects that becomes garbage waits for the window
    to close (objects freed by their last reference, nearly all, are freed as before).
    """
    gc.collect()
    gc.freeze()


def collect_all_again() -> None:
    """Put what ``leave_out_of_collections`` left out back in the collections (its window has
    closed: the next window, in the same process, must not keep the last one's garbage)."""
    gc.unfreeze()


#: How long a child process may take to exit once it has sent its end (it has closed its database
#: by then) before it is stopped.
CHILD_EXIT_S = 10.0


class ChildProcessFailed(RuntimeError):
    """A job's child process failed with a bug (``details``: its traceback) or ended unasked."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details or message


@functools.cache
def _default_features() -> tuple[str, ...]:
    from peerreview.features import default_registry

    return tuple(f.name for f in default_registry().features)


def process_arguments(values: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """``values`` with each Store replaced by a :class:`child.StoreAt` the child opens itself;
    None when a store has features other than the app's (the child could not open it alike)."""
    out = []
    for value in values:
        if isinstance(value, Store):
            if tuple(f.name for f in value.registry.features) != _default_features():
                return None
            value = child.StoreAt(str(value.path))
        out.append(value)
    return tuple(out)


class JobSignals(QObject):
    """What a job reports; delivered to the GUI thread by queued connections."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)  # the exception (PeerReviewError, Cancelled, or a bug)


class Job(QRunnable):
    """Runs ``fn(*args, progress=..., cancelled=..., **kwargs)`` on a worker thread.

    Each ``Store`` among the arguments is replaced by another connection to the same database,
    opened in the worker thread and closed there before the job reports its end: a SQLite
    connection belongs to one thread, and the window keeps reading through its own meanwhile.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        owner: QObject | None = None,
        in_process: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps it until its signals have been delivered
        self.fn, self.args, self.kwargs = fn, args, kwargs
        #: run ``fn`` in a child process (on this job's thread if that cannot be done)
        self.in_process = in_process
        #: it did run in a child process (set once the child has started)
        self.ran_in_process = False
        self.signals = JobSignals(owner)  # lives in the GUI thread; the runner deletes it
        self._cancel = threading.Event()
        self._progress = child.Pace(functools.partial(emit, self.signals.progress))
        self.done = threading.Event()

    def _call(self) -> Any:
        opened: dict[int, Store] = {}

        def own(value: Any) -> Any:
            if not isinstance(value, Store):
                return value
            if id(value) not in opened:
                opened[id(value)] = value.open_again()
            return opened[id(value)]

        try:
            args = [own(a) for a in self.args]
            kwargs = {name: own(v) for name, v in self.kwargs.items()}
            return self.fn(*args, progress=self._progress, cancelled=self.cancelled, **kwargs)
        finally:
            for store in opened.values():
                store.close()

    def _call_in_process(self) -> Any:
        """Run ``fn`` in a child process; on this thread instead if it cannot start there."""
        args = process_arguments(self.args)
        values = process_arguments(tuple(self.kwargs.values()))
        if args is None or values is None:
            return self._call()
        kwargs = dict(zip(self.kwargs, values, strict=True))
        context = multiprocessing.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        cancel = context.Event()
        process = context.Process(
            target=child.main,
            args=(send, cancel, os.getpid(), self.fn, args, kwargs),
            name="peerreview-job",
            daemon=True,  # never outlives the app (one transaction: a stopped job changes nothing)
        )
        try:
            process.start()
        except (OSError, ValueError, TypeError, AttributeError, pickle.PicklingError) as exc:
            receive.close()
            send.close()
            log.warning("the job's process could not start (%s); running it on a thread", exc)
            return self._call()
        send.close()  # the child's end: EOF here once the child has gone
        self.ran_in_process = True
        try:
            return self._relay(process, receive, cancel)
        finally:
            receive.close()
            process.join(CHILD_EXIT_S)
            if process.is_alive():
                process.terminate()
                process.join(CHILD_EXIT_S)

    def _relay(self, process: Any, receive: Any, cancel: Any) -> Any:
        """Pass the child's progress on until it sends its end (its database is closed by then)."""
        while True:
            if self.cancelled() and not cancel.is_set():
                cancel.set()
            if not receive.poll(0.05):
                if process.is_alive() or receive.poll(0):
                    continue
                break
            try:
                message = receive.recv()
            except EOFError:
                break
            if message[0] == "progress":  # (paced by the child)
                emit(self.signals.progress, message[1], message[2])
            elif message[0] == "done":
                return message[1]
            elif message[0] == "failed":
                raise message[1]
            else:
                raise ChildProcessFailed("The job failed in its process.", message[1])
        process.join(CHILD_EXIT_S)
        raise ChildProcessFailed(
            f"The job's process ended before it finished (exit code {process.exitcode})."
        )

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._call_in_process() if self.in_process else self._call()
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI
            if not isinstance(exc, PeerReviewError):
                details = getattr(exc, "details", "") or "".join(traceback.format_exception(exc))
                log.error("job %s failed:\n%s", getattr(self.fn, "__name__", self.fn), details)
                exc.details = details  # type: ignore[attr-defined]
            exc.__traceback__ = None  # no frames of this thread travel to the GUI thread
            emit(self.signals.failed, exc)
        else:
            emit(self.signals.finished, result)
        finally:
            self.done.set()


class JobRunner(QObject):
    """Runs one job at a time for a window: progress dialog, Cancel, readable errors.

    While a job runs, the session is busy: editors are read-only and edits are refused (the job
    writes through its own connection, and a second writer would wait for it). Views still read
    the store; they see the database as it was until the job's work is committed, then catch up.
    """

    #: a job finished successfully: (its result)
    succeeded = Signal(object)
    #: a job ended, however it ended
    ended = Signal()

    def __init__(self, parent_widget: QWidget, session: Session | None = None) -> None:
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.session = session
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.job: Job | None = None
        self.dialog: QProgressDialog | None = None
        self._on_done: Callable[[Any], None] | None = None
        self._on_failed: Callable[[BaseException], bool] | None = None
        self.show_errors = True
        self._changes_records = True
        self._gc_thresholds = gc.get_threshold()
        self._under_way = False

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(
        self,
        title: str,
        fn: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], None] | None = None,
        on_failed: Callable[[BaseException], bool] | None = None,
        changes_records: bool = True,
        in_process: bool = False,
        **kwargs: Any,
    ) -> Job | None:
        """Start ``fn`` with a progress dialog titled ``title``.

        Args:
            on_done: called with the result, in the GUI thread.
            on_failed: called with the error first; return True when it has been dealt with.
            changes_records: the job may change records, so views reload and undo history ends.
            in_process: run ``fn`` in a child process (``fn``, its arguments and its result must
                pickle; each Store is opened again there by its path), falling back to a thread
                when it cannot start. For long Python-heavy work only: starting one takes about
                half a second.
        Returns:
            The job, or None when another job is still running.
        """
        if self.job is not None:
            return None
        if self.session is not None:
            self.session.flush()
            self.session.set_busy(True)
        if gc.get_threshold() != JOB_GC_THRESHOLDS:  # (not restored yet after the last job)
            self._gc_thresholds = gc.get_threshold()
        gc.set_threshold(*JOB_GC_THRESHOLDS)
        job = Job(fn, *args, owner=self, in_process=in_process, **kwargs)
        self.job = job
        self._on_done, self._on_failed = on_done, on_failed
        self._changes_records = changes_records
        self._under_way = False  # it has reported progress (``Session.job_under_way``)
        dialog = QProgressDialog(title, "Cancel", 0, 0, self.parent_widget)
        dialog.setWindowTitle("PeerReview")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setAccessibleName(title)
        dialog.canceled.connect(self._cancel)
        self.dialog = dialog
        job.signals.progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        job.signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.pool.start(job)
        return job

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            if self.dialog is not None:
                self.dialog.setLabelText("Cancelling…")

    def _progress(self, done: int, total: int) -> None:
        if self.dialog is None:
            return
        if not self._under_way:
            self._under_way = True
            if self.session is not None:
                self.session.job_under_way()
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        else:
            self.dialog.setMaximum(0)

    def _let_go(self) -> None:
        """Close the dialog and let go of the job, whose thread has sent its end (its signals are
        deleted once it has set ``done``, its last step, just after that)."""
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self._cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        job, self.job = self.job, None
        if job is not None:
            job.done.wait()
            job.signals.deleteLater()

    def _end(self) -> None:
        self._let_go()
        if self.session is None:
            self.collect_as_usual()
            return
        self.session.set_busy(False)
        if self._changes_records:
            self.session.reset(gradual=True)
        else:
            emit(self.session.counters_changed)
        # Collect as usual again once the views have caught up: the first full collection after
        # a big job takes 15 to 25 ms, and should not land in the same turn as a catch-up step.
        self.session.steps.add(self, self.collect_as_usual)

    def collect_as_usual(self) -> None:
        """Put Python's collector back as it was before the last job (once the views have caught
        up, or when the window closes with that catch-up still queued)."""
        if self.job is None and gc.get_threshold() == JOB_GC_THRESHOLDS:
            gc.set_threshold(*self._gc_thresholds)

    def _finished(self, result: Any) -> None:
        if self.job is None:  # the end of a job given up as its window closed (``wait``)
            return
        on_done = self._on_done
        self._end()
        emit(self.ended)
        emit(self.succeeded, result)
        if on_done is not None:
            on_done(result)

    def _failed(self, error: BaseException) -> None:
        if self.job is None:  # (as in ``_finished``)
            return
        on_failed = self._on_failed
        self._end()
        emit(self.ended)
        if on_failed is not None and on_failed(error):
            return
        if isinstance(error, Cancelled):
            if self.session is not None:
                emit(self.session.message, error.message)
            return
        if self.show_errors:
            # (dropped if the window is deleted first: no dialog for a window that has gone)
            QTimer.singleShot(0, self.parent_widget, lambda: show_error(self.parent_widget, error))

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Cancel a running job and wait for its thread to finish: its window is closing.

        The job's end, already queued for this thread, is then never reported: the session it
        would report to (views to reset, a message to show) is closing with its database.
        Returns False when the job's thread is still running after ``timeout_ms``.
        """
        job = self.job
        if job is None:
            return True
        job.cancel()
        if not self.pool.waitForDone(timeout_ms):
            return False
        self._let_go()
        self._on_done = self._on_failed = None
        self.collect_as_usual()
        return True


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """A readable dialog for a failure: the core's sentence, or a bug report for anything else."""
    if isinstance(error, PeerReviewError):
        QMessageBox.warning(parent, "PeerReview", error.message)
        return
    from ui.shell.crash import CrashDialog

    details = getattr(error, "details", "") or "".join(traceback.format_exception(error))
    CrashDialog(details, parent).exec()
