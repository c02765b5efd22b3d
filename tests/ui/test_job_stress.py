"""The job runner under stress: many jobs ending every way in a row, a flood of progress, and the
window closed (and deleted) while a job, on a thread or in a process, is still running."""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QWidget

from peerreview.errors import BundleError, Cancelled
from peerreview.sync.store import Store
from ui.shell import worker
from ui.shell.worker import JobRunner, JobSignals


def _quick(n: int, *, progress: Any, cancelled: Any, end: str = "done") -> int:
    for i in range(n):
        if cancelled():
            raise Cancelled()
        progress(i, n)
    if end == "refused":
        raise BundleError("This bundle is damaged. Nothing was changed.")
    if end == "bug":
        raise ValueError("a bug")
    return n


def _until_cancelled(*_stores: Any, progress: Any, cancelled: Any) -> None:
    """Reports as fast as it can until it is cancelled (a minute at most)."""
    end = time.monotonic() + 60
    n = 0
    while not cancelled() and time.monotonic() < end:
        n += 1
        progress(n, 0)
        time.sleep(0.001)
    raise Cancelled()


def _deferred_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_two_hundred_jobs_in_a_row_each_end_once_and_leave_nothing_behind(
    app: Any, qtbot: Any
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = JobRunner(parent)
    runner.show_errors = False
    thresholds = gc.get_threshold()
    ends = ["done", "refused", "bug", "cancel"]
    seen: list[tuple[str, Any]] = []
    runner.succeeded.connect(lambda result: seen.append(("succeeded", result)))
    ended: list[int] = []
    runner.ended.connect(lambda: ended.append(1))
    for n in range(200):
        end = ends[n % 4]
        failures: list[BaseException] = []

        def failed(error: BaseException, failures: list[BaseException] = failures) -> bool:
            failures.append(error)
            return True

        with qtbot.waitSignal(runner.ended, timeout=10_000):
            if end == "cancel":
                job = runner.start("Working…", _until_cancelled, on_failed=failed)
                assert job is not None
                job.signals.progress.connect(lambda *_: runner._cancel())
            else:
                job = runner.start("Working…", _quick, 50, end=end, on_failed=failed)
            assert job is not None and runner.running
            assert runner.start("Another", _quick, 1) is None  # one at a time
        assert not runner.running and runner.dialog is None
        if end == "done":
            assert seen[-1] == ("succeeded", 50) and not failures
        else:
            assert len(failures) == 1
            kind = {"refused": BundleError, "bug": ValueError, "cancel": Cancelled}[end]
            assert isinstance(failures[0], kind)
            assert failures[0].__traceback__ is None  # no worker frames kept alive
    assert len(ended) == 200 and len(seen) == 50
    _deferred_deletes()
    assert runner.findChildren(JobSignals) == []  # each job's signals deleted once delivered
    assert runner.pool.activeThreadCount() == 0
    assert gc.get_threshold() == thresholds  # the collector as it was


def test_a_flood_of_progress_reaches_the_window_paced(app: Any, qtbot: Any) -> None:
    """A job reporting a million times: the window hears of it at most every 50 ms."""
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = JobRunner(parent)
    heard: list[int] = []
    started = time.monotonic()
    with qtbot.waitSignal(runner.succeeded, timeout=60_000) as blocker:
        job = runner.start("Working…", _quick, 1_000_000)
        assert job is not None
        job.signals.progress.connect(lambda done, _total: heard.append(done))
    seconds = time.monotonic() - started
    assert blocker.args == [1_000_000]
    assert 1 <= len(heard) <= seconds / worker.child.PROGRESS_INTERVAL_S + 2
    assert heard == sorted(heard)


def _dispose(window: Any) -> None:
    """What the app does when a window closes (``App._dispose``): close, then close the store,
    then delete the window and its session."""
    session = window.session
    window.close()
    window.deleteLater()
    session.flush()
    session.read_workers.stop()
    session.store.close()
    session.deleteLater()


@pytest.mark.parametrize("in_process", [False, True], ids=["thread", "process"])
def test_closing_the_window_while_a_job_runs_cancels_it_and_nothing_fires_after(
    app: Any,
    qtbot: Any,
    settings: Any,
    db_path: Path,
    dialogs: Any,
    in_process: bool,
) -> None:
    from ui.shell.main_window import MainWindow
    from ui.shell.session import Session

    window = MainWindow(Session(Store.open(db_path)), settings)  # (deleted below, as the app does)
    window.show()
    runner: JobRunner = window.jobs
    late: list[str] = []
    runner.ended.connect(lambda: late.append("ended") if window_closed else None)
    window_closed = False
    thresholds = gc.get_threshold()
    job = runner.start("Working…", _until_cancelled, window.session.store, in_process=in_process)
    assert job is not None
    reported: list[int] = []
    job.signals.progress.connect(lambda done, _total: reported.append(done))
    qtbot.waitUntil(lambda: bool(reported), timeout=30_000)  # under way (the process started)
    _dispose(window)  # "A job is still running. Cancel it and close?": Yes
    window_closed = True
    assert dialogs.texts("question") == ["A job is still running. Cancel it and close?"]
    assert job.done.is_set()  # the job's thread had ended before the window went on closing
    assert job.ran_in_process is in_process
    assert gc.get_threshold() == thresholds  # the collector as it was before the job
    # The job's end, queued before the window was deleted, is dropped with the window: no slot
    # runs on a closed session (a reset of its views, a message) and nothing raises.
    qtbot.wait(200)
    _deferred_deletes()
    qtbot.wait(50)
    assert late == []


def test_the_runner_waits_for_its_job_before_its_signals_are_deleted(app: Any, qtbot: Any) -> None:
    """Deleting the runner's parent mid-job (no close, no cancel first): the pool, the runner's
    first child, waits for the job's thread before the job's signals (later children) go."""
    thresholds = gc.get_threshold()
    parent = QWidget()
    runner = JobRunner(parent)
    children = runner.children()
    assert isinstance(children[0], type(runner.pool))
    try:
        job = runner.start("Working…", _quick, 200_000)
        assert job is not None
        assert worker.JobSignals in [type(c) for c in runner.children()[1:]]
        parent.deleteLater()
        _deferred_deletes()
        assert job.done.is_set()
    finally:
        gc.set_threshold(*thresholds)  # (no end reaches a deleted runner to put them back)


def test_a_failure_s_dialog_is_dropped_when_its_window_is_deleted_first(
    app: Any, qtbot: Any, dialogs: Any
) -> None:
    """The error dialog comes a turn after the job's end; a window deleted in between (closed as
    the job failed) gets none, rather than a dialog parented to a deleted window."""
    import shiboken6

    parent = QWidget()
    runner = JobRunner(parent)
    # Deleted in a turn queued before the dialog's (the window closed as the job failed).
    runner.ended.connect(lambda: QTimer.singleShot(0, lambda: shiboken6.delete(parent)))
    with qtbot.waitSignal(runner.ended, timeout=10_000):
        runner.start("Working…", _quick, 5, end="refused")
    qtbot.wait(50)
    assert dialogs.texts("warning") == []
    # A window that stays gets the sentence.
    kept = QWidget()
    qtbot.addWidget(kept)
    runner = JobRunner(kept)
    with qtbot.waitSignal(runner.ended, timeout=10_000):
        runner.start("Working…", _quick, 5, end="refused")
    qtbot.waitUntil(lambda: bool(dialogs.texts("warning")), timeout=2000)
    assert dialogs.texts("warning") == ["This bundle is damaged. Nothing was changed."]
