"""A big import runs in a process of its own: progress, the summary, a refused bundle's sentence,
Cancel (the database unchanged), the window caught up after, and a thread when no process starts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from peerreview.errors import Cancelled
from peerreview.sync.bundle import export_bundle, import_bundles
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from ui.shell import transfer, worker


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every import counts as big (the tests' bundles are a few kilobytes)."""
    monkeypatch.setattr(transfer, "PROCESS_IMPORT_BYTES", 0)


def _colleague(db_path: Path, tmp_path: Path, schools: int = 3) -> Path:
    """An enrolled laptop's bundle bringing ``schools`` new schools."""
    with Store.open(db_path) as ours:
        other = Store.init(
            tmp_path / "other.db",
            device_name="Mr Okafor's laptop",
            partnership_id=ours.partnership_id,
        )
        enrol(ours, other)
    for n in range(schools):
        other.create("school", {"name": f"Grace Academy {n + 1}", "urn": 135330 + n})
    path = tmp_path / "other.prbundle"
    export_bundle(other, path, full=True, plain=True)
    other.close()
    return path


def _summary_text(window: Any) -> str:
    return " ".join(label.text() for label in window._last_summary.findChildren(QLabel))


def test_a_big_import_runs_in_its_own_process_and_the_window_catches_up(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any, in_process: None
) -> None:
    bundle = _colleague(db_path, tmp_path)
    assert transfer.import_in_process([bundle])
    window = open_window(db_path)
    seen: list[tuple[int, int]] = []
    with qtbot.waitSignal(window.jobs.ended, timeout=60_000):
        window.import_bundles([bundle])
        job = window.jobs.job
        assert job is not None and job.in_process and window.session.busy
        job.signals.progress.connect(lambda done, total: seen.append((done, total)))
        assert window.jobs.dialog is not None
        assert window.jobs.dialog.labelText() == "Importing 1 bundle…"
    assert job.ran_in_process
    # Progress came through the pipe and reached the dialog's bar (to the end).
    assert seen and seen[-1][0] == seen[-1][1] > 0
    text = _summary_text(window)
    assert "1 bundle imported" in text and "new change" in text
    window._last_summary.reject()
    assert not window.session.busy and window.actions["import_bundles"].isEnabled()
    # The window caught up with what the child process wrote.
    qtbot.waitUntil(lambda: not window.session.steps.pending(), timeout=20_000)
    titles = [n.title for n in window.model.folder("school").children]
    assert {"Grace Academy 1", "Grace Academy 2", "Grace Academy 3"} <= set(titles)
    school = next(r for r in window.session.store.list("school") if r.title == "Grace Academy 2")
    assert window.select_record(school.id)
    assert window.session.set_field(school.id, "town", "Coventry")  # edits go through again


def test_a_refused_bundle_is_one_sentence_from_the_process(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any, in_process: None
) -> None:
    good = _colleague(db_path, tmp_path, schools=1)
    junk = tmp_path / "junk.prbundle"
    junk.write_bytes(b"this is not a bundle at all" * 10)
    window = open_window(db_path)
    before = {r.id for r in window.session.store.list("school")}
    with qtbot.waitSignal(window.jobs.ended, timeout=60_000):
        window.import_bundles([junk, good])
    assert window.jobs.job is None
    refused = [
        label.text()
        for label in window._last_summary.findChildren(QLabel)
        if label.text().startswith("Refused: ")
    ]
    assert len(refused) == 1
    sentence = refused[0].removeprefix("Refused: ")
    assert sentence.endswith(".") and "\n" not in sentence and "Traceback" not in sentence
    assert "junk.prbundle" in sentence
    assert "1 bundle imported" in _summary_text(window) and "1 bundle refused" in _summary_text(
        window
    )
    window._last_summary.reject()
    # The other bundle of the batch was still applied.
    after = {r.id for r in window.session.store.list("school")}
    assert len(after - before) == 1


def _import_waiting_for_cancel(
    store: Store, paths: list[Path], *, progress: Any, cancelled: Any
) -> Any:
    """The import, holding still at its first progress past the start (rows already written in
    its transaction) until the window's Cancel reaches the child process."""

    def held(done: int, total: int) -> None:
        progress(done, total)
        if done > 0:
            deadline = time.monotonic() + 30
            while not cancelled() and time.monotonic() < deadline:
                time.sleep(0.01)

    return import_bundles(store, paths, progress=held, cancelled=cancelled)


def test_cancel_stops_the_process_and_leaves_the_database_unchanged(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any
) -> None:
    bundle = _colleague(db_path, tmp_path, schools=40)
    window = open_window(db_path)
    before = dump_bytes(window.session.store)
    messages: list[str] = []
    window.session.message.connect(messages.append)
    failures: list[BaseException] = []

    def failed(error: BaseException) -> bool:
        failures.append(error)
        return False

    with qtbot.waitSignal(window.jobs.ended, timeout=60_000):
        job = window.jobs.start(
            "Importing 1 bundle…",
            _import_waiting_for_cancel,
            window.session.store,
            [bundle],
            in_process=True,
            on_failed=failed,
        )
        assert job is not None
        dialog = window.jobs.dialog
        assert dialog is not None
        # Cancel as soon as the child reports (it holds still once it has written rows).
        button = dialog.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        job.signals.progress.connect(lambda _done, _total: button.click())
    assert job.ran_in_process
    assert len(failures) == 1 and isinstance(failures[0], Cancelled)
    assert messages[-1] == "Cancelled. Nothing was changed."
    assert dump_bytes(window.session.store) == before
    assert not window.session.busy


def test_a_job_runs_on_a_thread_when_no_process_can_start(
    open_window: Any,
    db_path: Path,
    tmp_path: Path,
    qtbot: Any,
    in_process: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing.context

    def refuse(self: Any) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refuse)
    bundle = _colleague(db_path, tmp_path, schools=1)
    window = open_window(db_path)
    with qtbot.waitSignal(window.jobs.ended, timeout=60_000):
        window.import_bundles([bundle])
        job = window.jobs.job
        assert job is not None and job.in_process
    assert not job.ran_in_process
    assert "1 bundle imported" in _summary_text(window)
    window._last_summary.reject()
    assert "Grace Academy 1" in [r.title for r in window.session.store.list("school")]


def test_small_imports_stay_on_a_thread(tmp_path: Path) -> None:
    """Starting a process costs about half a second: a laptop's weekly bundle is not worth it."""
    small, big = tmp_path / "small.prbundle", tmp_path / "big.prbundle"
    small.write_bytes(b"x" * 20_000)
    big.write_bytes(b"x" * transfer.PROCESS_IMPORT_BYTES)
    assert not transfer.import_in_process([small])
    assert transfer.import_in_process([big])
    assert transfer.import_in_process([small] * (transfer.PROCESS_IMPORT_BYTES // 20_000))
    assert not transfer.import_in_process([tmp_path / "missing.prbundle"])


def test_a_store_with_other_features_is_not_sent_to_a_process(
    db_path: Path, tmp_path: Path
) -> None:
    from peerreview.partnership.feature import FEATURE as partnership
    from peerreview.sync.registry import Registry

    with Store.open(db_path) as store:
        (sent,) = worker.process_arguments((store,)) or ()
        assert sent == worker.child.StoreAt(str(store.path))
    narrow = Registry((partnership,))
    with Store.init(tmp_path / "narrow.db", device_name="Laptop", registry=narrow) as store:
        assert worker.process_arguments((store, 3)) is None


def test_sync_now_with_a_big_shared_folder_runs_in_a_process(
    open_window: Any, db_path: Path, shared_folder: Path, qtbot: Any, in_process: None
) -> None:
    from ui.shell.laptops import choose_sync_folder

    folder = shared_folder
    window = open_window(db_path)
    choose_sync_folder(window, folder)
    with qtbot.waitSignal(window.jobs.ended, timeout=60_000):
        assert window.sync_now()
        job = window.jobs.job
        assert job is not None and job.in_process
    assert job.ran_in_process
    assert "Shared through the folder" in [s.title for s in window.session.store.list("school")]
    assert "new change" in window.statusBar().currentMessage()
    assert any(p.name.startswith(window.session.store.device.id) for p in folder.iterdir())
