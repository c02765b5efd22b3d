"""Long work on its own SQLite connection: the window reads while a job writes, a job's connection
is closed in its thread when it ends, and erasing for good runs as long work with progress and
plain sentences for a full disk."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from peerreview.errors import BundleError
from peerreview.sync.bundle import export_bundle
from peerreview.sync.dump import dump_bytes
from peerreview.sync.store import ImportBatch, Store

WAIT = "Please wait until the current job finishes; the edit was not saved."


def _person(db_path: Path, name: str = "Farah Khan") -> tuple[str, str]:
    with Store.open(db_path) as store:
        school = store.list("school")[0].id
        person = store.create(
            "person", {"name": name, "school": school, "notes": "Leads the phonics programme."}
        )
    return school, person


def test_the_window_reads_while_an_import_is_writing(
    app: Any,
    qtbot: Any,
    open_window: Any,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    school, person = _person(db_path)
    with Store.open(db_path) as ours:
        other = Store.init(
            tmp_path / "other.db", device_name="Other laptop", partnership_id=ours.partnership_id
        )
    grace = other.create("school", {"name": "Grace Academy", "urn": 135335})
    export_bundle(other, tmp_path / "other.prbundle")
    other.close()

    # The import stops half-way, its rows written but not committed, until the window has read.
    written, go_on = threading.Event(), threading.Event()
    finish = ImportBatch.finish

    def held(self: ImportBatch, *args: Any, **kwargs: Any) -> Any:
        written.set()
        assert go_on.wait(20)
        return finish(self, *args, **kwargs)

    monkeypatch.setattr(ImportBatch, "finish", held)
    window = open_window(db_path)
    messages: list[str] = []
    window.session.message.connect(messages.append)
    try:
        window.import_bundles([tmp_path / "other.prbundle"])
        qtbot.waitUntil(written.is_set, timeout=10_000)
        assert window.session.busy and window.jobs.running

        # The navigator opens a folder and the detail pane shows what is chosen.
        assert window.select_record(school)
        assert window.detail.record is not None and window.detail.record.id == school
        people = window.model.node_at(window.model.child_folder_index(school, "person"))
        assert people is not None and not people.loaded
        assert window.select_record(person)  # opens the school's people folder
        assert people.loaded and [n.record_id for n in people.children] == [person]
        assert window.detail.record is not None and window.detail.record.id == person
        dialog = window.show_search()
        dialog.box.setText("phonics")
        dialog.run_search()
        assert dialog.model.rowCount() == 1
        dialog.close()
        # It reads the database as it was before the import; edits still wait for the job.
        assert [r.title for r in window.session.store.list("school")] == ["Coundon Court"]
        assert not window.session.set_field(person, "role", "SENCo")
        assert messages[-1] == WAIT
    finally:
        go_on.set()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=20_000)
    qtbot.waitUntil(lambda: not window.session.steps.pending(), timeout=10_000)
    # Afterwards the window sees what the job wrote, and edits go through again.
    assert grace in {r.id for r in window.session.store.list("school")}
    assert "Grace Academy" in [n.title for n in window.model.folder("school").children]
    assert window.session.set_field(person, "role", "SENCo")
    imported = window.session.store.history(grace)[0].hlc
    assert window.session.store.history(person, "role")[-1].hlc > imported
    window._last_summary.reject()


def test_a_job_has_its_own_connection_closed_in_its_thread(
    app: Any, qtbot: Any, open_window: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(db_path)
    gui = window.session.store
    closed: list[tuple[Store, int]] = []
    close = Store.close

    def watched_close(self: Store) -> None:
        closed.append((self, threading.get_ident()))
        close(self)

    monkeypatch.setattr(Store, "close", watched_close)

    def reading(store: Store, *, progress: Any, cancelled: Any, fail: bool = False) -> Any:
        try:
            gui.list("school")
            refused = ""
        except sqlite3.ProgrammingError as exc:  # the window's connection is the window's
            refused = str(exc)
        titles = [r.title for r in store.list("school")]
        if fail:
            raise BundleError("That bundle is damaged. Nothing was changed.")
        return store, threading.get_ident(), titles, refused

    closed_when_done: list[list[tuple[Store, int]]] = []
    window.jobs.succeeded.connect(lambda _result: closed_when_done.append(list(closed)))
    with qtbot.waitSignal(window.jobs.succeeded, timeout=5000) as blocker:
        window.jobs.start("Reading…", reading, gui, changes_records=False)
    store, thread, titles, refused = blocker.args[0]
    assert store is not gui and thread != threading.get_ident()
    assert titles == ["Coundon Court"]
    assert "thread" in refused
    assert closed_when_done == [[(store, thread)]]  # closed in its thread before it reported
    assert [r.title for r in gui.list("school")] == ["Coundon Court"]  # the window's is open

    # A job that fails closes its connection too.
    closed.clear()
    with qtbot.waitSignal(window.jobs.ended, timeout=5000):
        window.jobs.start("Reading…", reading, gui, fail=True, changes_records=False)
    assert len(closed) == 1 and closed[0][0] is not gui and closed[0][1] != threading.get_ident()


def test_erasing_for_good_is_long_work_with_progress(
    app: Any, qtbot: Any, open_window: Any, db_path: Path
) -> None:
    _school, person = _person(db_path, "Xanthippe Quorn")
    window = open_window(db_path)
    assert window.select_record(person)
    seen: list[tuple[int, int]] = []
    with qtbot.waitSignal(window.jobs.ended, timeout=20_000):
        assert window.purge_selected()
        job = window.jobs.job
        assert job is not None and window.session.busy
        job.signals.progress.connect(lambda done, total: seen.append((done, total)))
        assert window.jobs.dialog is not None
        assert window.jobs.dialog.labelText() == "Erasing the person for good…"
        assert not window.actions["purge"].isEnabled()
        assert not window.purge_selected()  # one job at a time
    assert seen and seen[-1] == (100, 100)
    assert window.actions["purge"].isEnabled()
    assert "Erased." in window.statusBar().currentMessage()
    record = window.session.store.get(person)
    assert record.deleted and "name" not in record.values


def test_a_full_disk_while_erasing_is_one_sentence_and_changes_nothing(
    app: Any,
    qtbot: Any,
    open_window: Any,
    db_path: Path,
    dialogs: Any,
    full_disk: None,
) -> None:
    _school, person = _person(db_path, "Xanthippe Quorn")
    window = open_window(db_path)
    before = dump_bytes(window.session.store)
    assert window.select_record(person)
    with qtbot.waitSignal(window.jobs.ended, timeout=20_000):
        assert window.purge_selected()
    qtbot.waitUntil(lambda: bool(dialogs.texts("warning")), timeout=5000)
    [sentence] = dialogs.texts("warning")
    assert sentence.startswith("The person was not erased, because the disk is full")
    assert sentence.endswith("Nothing was changed.") and "Traceback" not in sentence
    assert dump_bytes(window.session.store) == before
    assert window.session.store.get(person)["name"] == "Xanthippe Quorn"
    assert window.session.set_field(person, "role", "Teacher")  # and it is usable


def test_an_editor_opened_while_a_job_runs_is_read_only_until_it_ends(
    app: Any, qtbot: Any, open_window: Any, db_path: Path
) -> None:
    """Now that the window may be browsed during a job, what it opens must not take typing that
    the job's end would throw away (edits are refused until then)."""
    import datetime as dt

    from peerreview.forms import forms_dir, load_forms
    from peerreview.review import reviews as rv
    from ui.review.workspace import ReviewWorkspace
    from ui.shell.binding import Binding

    with Store.open(db_path) as store:
        school = store.list("school")[0].id
        fw = rv.Framework.from_form(load_forms(forms_dir()).get("review-estimates"))
        review = rv.plan_review(store, fw, school=school, start_date=dt.date.today())
    window = open_window(db_path)
    go_on = threading.Event()

    def waiting(*, progress: Any, cancelled: Any) -> None:
        assert go_on.wait(20)

    with qtbot.waitSignal(window.jobs.ended, timeout=30_000):
        window.jobs.start("Working…", waiting, changes_records=False)
        try:
            assert window.select_record(school)
            assert window.detail.editor is not None
            school_fields = [b.widget for b in window.detail.editor.binders.values()]
            assert school_fields and not any(w.isEnabled() for w in school_fields)
            assert window.select_record(review)
            qtbot.waitUntil(
                lambda: isinstance(window.detail.workspace, ReviewWorkspace), timeout=5000
            )
            bindings = window.detail.workspace.findChildren(Binding)
            assert bindings and not any(b.widget.isEnabled() for b in bindings)
        finally:
            go_on.set()
    focus = next(b for b in bindings if b.field == "focus")
    assert focus.widget.isEnabled()
