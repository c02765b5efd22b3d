"""Long work off the UI thread: progress, Cancel, readable errors; export, GIAS, drop to import."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QPushButton

from peerreview.errors import BundleError, Cancelled
from peerreview.sync.bundle import import_bundles
from peerreview.sync.store import Store
from ui.partnership.gias import start_gias
from ui.shell.transfer import ExportDialog, default_bundle_name
from ui.shell.worker import JobRunner

GIAS_SAMPLE = Path(__file__).parents[1] / "data" / "gias_sample_coventry.csv"


def _slow(n: int, *, progress: Any, cancelled: Any, fail: bool = False) -> str:
    for i in range(n):
        if cancelled():
            raise Cancelled()
        progress(i, n)
        time.sleep(0.01)
    if fail:
        raise BundleError(
            "This bundle was made by a newer version of PeerReview. Nothing was changed."
        )
    return threading.current_thread().name


def test_job_runs_off_the_gui_thread_and_reports(
    app: Any, qtbot: Any, open_window: Any, db_path: Path
):
    window = open_window(db_path)
    runner: JobRunner = window.jobs
    seen: list[int] = []
    with qtbot.waitSignal(runner.succeeded, timeout=5000) as blocker:
        job = runner.start("Working…", _slow, 30)
        assert job is not None
        job.signals.progress.connect(lambda done, total: seen.append(done))
        assert window.session.busy and not window.actions["import_bundles"].isEnabled()
        assert runner.start("Another", _slow, 1) is None  # one at a time
    assert blocker.args[0] != threading.current_thread().name
    assert not window.session.busy and window.actions["import_bundles"].isEnabled()


def test_job_error_is_a_readable_dialog(
    app: Any, qtbot: Any, open_window: Any, db_path: Path, dialogs: Any
):
    window = open_window(db_path)
    with qtbot.waitSignal(window.jobs.ended, timeout=5000):
        window.jobs.start("Importing…", _slow, 3, fail=True)
    qtbot.waitUntil(lambda: bool(dialogs.texts("warning")))
    assert dialogs.texts("warning") == [
        "This bundle was made by a newer version of PeerReview. Nothing was changed."
    ]


def test_cancel(app: Any, qtbot: Any, open_window: Any, db_path: Path, dialogs: Any):
    window = open_window(db_path)
    messages: list[str] = []
    window.session.message.connect(messages.append)
    with qtbot.waitSignal(window.jobs.ended, timeout=5000):
        window.jobs.start("Working…", _slow, 500)
        qtbot.wait(50)
        window.jobs.dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    assert messages[-1] == "Cancelled. Nothing was changed."
    assert not dialogs.texts("warning")


def test_export_chosen_schools_then_import_by_dropping(
    app: Any, qtbot: Any, open_window: Any, db_path: Path, tmp_path: Path
):
    window = open_window(db_path)
    store = window.session.store
    store.create("school", {"name": "Second School", "urn": 100001})
    store.create("school", {"name": "No URN School"})
    dialog = ExportDialog(store, window)
    assert dialog.path.text().endswith(default_bundle_name(store))
    dialog.some.setChecked(True)
    items = {
        dialog.schools.item(i).text(): dialog.schools.item(i) for i in range(dialog.schools.count())
    }
    assert not items["No URN School (no URN)"].flags() & Qt.ItemFlag.ItemIsEnabled
    items["Coundon Court (URN 103712)"].setCheckState(Qt.CheckState.Checked)
    assert dialog.chosen_urns() == [103712]
    target = tmp_path / "out" / "coundon.prbundle"
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.start_export(target, dialog.chosen_urns(), plain=True)
    assert target.exists()
    assert "coundon.prbundle" in window.statusBar().currentMessage()

    other = Store.init(
        tmp_path / "other.db",
        device_name="Coordinator's laptop",
        partnership_id=store.partnership_id,
    )
    other.close()
    window.close()
    second = open_window(tmp_path / "other.db")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(target))])
    drop = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(second.jobs.ended, timeout=10_000):
        second.dropEvent(drop)
    qtbot.waitUntil(lambda: not second.session.steps.pending())  # the tree catches up in steps
    names = [r.title for r in second.session.store.list("school")]
    assert names == ["Coundon Court"]
    assert [n.title for n in second.model.folder("school").children] == ["Coundon Court"]
    second._last_summary.reject()


def test_gias_import_in_the_background(
    app: Any, qtbot: Any, open_window: Any, db_path: Path, dialogs: Any
):
    window = open_window(db_path)
    with qtbot.waitSignal(window.jobs.ended, timeout=20_000):
        start_gias(window, GIAS_SAMPLE, None)  # the partnership feature's, moved out of the shell
    qtbot.waitUntil(lambda: bool(dialogs.texts("information")))
    assert "schools added" in dialogs.texts("information")[0]
    qtbot.waitUntil(lambda: not window.session.steps.pending())
    assert len(window.model.folder("school").children) == 7  # ours and the sample's six


def test_import_results_of_a_bad_bundle_are_reported(tmp_path: Path, db_path: Path):
    (tmp_path / "junk.prbundle").write_bytes(b"junk")
    with Store.open(db_path) as store:
        results = import_bundles(store, [tmp_path / "junk.prbundle"])
    assert isinstance(results[0], BundleError)
