"""The one editing layer: bindings (save, merge, privacy, busy, conflicts) and the undo commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from peerreview.sync.bundle import export_bundle, import_bundles
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR
from ui.shell.binding import CONFLICT_MARK, CONFLICT_TIP, LineBinding, TextBinding
from ui.shell.commands import EditStep, SetFieldsCommand
from ui.shell.editors import RecordEditor
from ui.shell.privacy import HIDDEN, PrivacyMode
from ui.shell.session import Session


@pytest.fixture
def session(app: Any, db_path: Path) -> Any:
    s = Session(Store.open(db_path), privacy=PrivacyMode())
    yield s
    s.store.close()


def _school(session: Session) -> str:
    return session.store.list("school")[0].id


def _editor(session: Session, qtbot: Any, record_id: str) -> RecordEditor:
    editor = RecordEditor(session, session.store.get(record_id))
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_typing_its_autosaves_and_leaving_are_one_undo_step(session: Session, qtbot: Any) -> None:
    school = _school(session)
    editor = _editor(session, qtbot, school)
    town = editor.binder_for("town")
    assert isinstance(town, LineBinding)
    box = town.focus_widget()
    assert isinstance(box, QLineEdit)
    box.setFocus()
    QTest.keyClicks(box, "Cov")
    qtbot.waitUntil(lambda: session.store.get(school)["town"] == "Cov", timeout=2000)  # a pause
    QTest.keyClicks(box, "entry")
    assert session.store.get(school)["town"] == "Cov"
    box.clearFocus()  # leaving the field saves at once
    assert session.store.get(school)["town"] == "Coventry"
    assert session.undo_stack.count() == 1
    assert isinstance(session.undo_stack.command(0), SetFieldsCommand)
    assert session.undo_stack.undoText() == "edit Town"
    session.undo_stack.undo()
    assert session.store.get(school)["town"] is None
    assert box.text() == ""
    session.undo_stack.redo()
    assert session.store.get(school)["town"] == "Coventry" and box.text() == "Coventry"


def test_saves_of_different_fields_stay_separate_steps(session: Session, qtbot: Any) -> None:
    school = _school(session)
    editor = _editor(session, qtbot, school)
    for name, text in (("town", "Coventry"), ("postcode", "CV6 1AB")):
        box = editor.binder_for(name).focus_widget()
        assert isinstance(box, QLineEdit)
        box.setText(text)
        box.textEdited.emit(text)
    editor.save_pending()
    assert session.undo_stack.count() == 2
    session.undo_stack.undo()
    assert session.store.get(school)["postcode"] is None
    assert session.store.get(school)["town"] == "Coventry"


def test_a_record_made_on_the_first_edit_undoes_with_all_its_typing(
    session: Session, qtbot: Any
) -> None:
    """A binding with no record yet makes it on the first real edit: that edit, and the typing
    that follows in the same field, are one undo step that takes the record away again."""
    made: list[str] = []

    def record() -> str | None:
        return made[0] if made else None

    def ensure() -> str | None:
        rid = session.create("person", {"name": "Ben Jones", "school": _school(session)})
        if rid is not None:
            made.append(rid)
        return rid

    box = QPlainTextEdit()
    qtbot.addWidget(box)
    notes = TextBinding(session, box, "notes", record=record, ensure=ensure, label="notes")
    box.setPlainText("")  # nothing typed yet: nothing is made
    notes.save()
    assert made == []
    box.setPlainText("Leads")
    notes.save()
    assert len(made) == 1 and session.store.get(made[0])["notes"] == "Leads"
    box.setPlainText("Leads reading")
    notes.save()
    assert session.store.get(made[0])["notes"] == "Leads reading"
    assert session.undo_stack.count() == 1
    assert isinstance(session.undo_stack.command(0), EditStep)
    session.undo_stack.undo()
    assert session.store.get(made[0]).deleted
    session.undo_stack.redo()  # the step's parts run again, in order
    person = session.store.get(made[0])
    assert not person.deleted and person["notes"] == "Leads reading"


def test_read_only_while_a_job_runs(session: Session, qtbot: Any) -> None:
    editor = _editor(session, qtbot, _school(session))
    town = editor.binder_for("town").focus_widget()
    assert town.isEnabled()
    session.set_busy(True)
    assert not town.isEnabled()
    assert not session.set_field(_school(session), "town", "Coventry")  # and the core says no
    session.set_busy(False)
    assert town.isEnabled()


def test_a_hidden_field_never_receives_its_value(app: Any, db_path: Path, qtbot: Any) -> None:
    store = Store.open(db_path)
    person = store.create("person", {"name": "Amira Patel", "email": "amira@example.org"})
    session = Session(store, privacy=PrivacyMode(True))
    editor = _editor(session, qtbot, person)
    name = editor.binder_for("name")
    box = name.focus_widget()
    assert isinstance(box, QLineEdit)
    assert name.hidden and box.text() == "" and box.placeholderText() == HIDDEN
    assert not box.isEnabled()
    name.show("Amira Patel")  # asked to show it: it still never reaches the widget
    store.update(person, {"name": "Amira Patel-Jones"})
    session.notify(person, "person")
    session.set_busy(True)
    session.set_busy(False)
    assert box.text() == "" and not box.isEnabled()
    store.close()


def test_an_undo_that_cannot_be_done_says_why(session: Session, qtbot: Any) -> None:
    said: list[str] = []
    session.message.connect(said.append)
    school = _school(session)
    assert session.set_field(school, "town", "Coventry")
    session.store.delete(school)  # deleted meanwhile (by an import, say)
    session.undo_stack.undo()
    assert said == ["This school has been deleted; restore it before editing."]


def _conflict(store: Store, tmp_path: Path, record_id: str, *fields: str) -> None:
    """Another laptop and this one both change ``fields`` without seeing each other's change."""
    export_bundle(store, tmp_path / "mine.prbundle", full=True, plain=True)
    other = Store.init(
        tmp_path / "other.db",
        device_name="Mr Okafor's laptop",
        author="Chidi Okafor",
        partnership_id=store.partnership_id,
    )
    enrol(store, other, role=COORDINATOR)
    import_bundles(other, [tmp_path / "mine.prbundle"])
    other.update(record_id, dict.fromkeys(fields, "Theirs"))
    export_bundle(other, tmp_path / "theirs.prbundle", full=True, plain=True)
    other.close()
    store.update(record_id, dict.fromkeys(fields, "Mine"))
    import_bundles(store, [tmp_path / "theirs.prbundle"])
    assert store.get(record_id).conflicts == set(fields)


def test_a_field_in_conflict_is_marked_on_its_label(
    session: Session, qtbot: Any, tmp_path: Path
) -> None:
    school = _school(session)
    _conflict(session.store, tmp_path, school, "town", "notes")
    editor = _editor(session, qtbot, school)
    label = editor.labels["town"]
    assert label.text() == CONFLICT_MARK + "Town"
    assert label.property("conflict") is True and label.toolTip() == CONFLICT_TIP
    assert editor.binder_for("town").conflicted
    assert not editor.labels["postcode"].text().startswith(CONFLICT_MARK)
    # The notes' label is hidden (the section's heading says it): the box itself is marked.
    notes = editor.binder_for("notes").focus_widget()
    assert isinstance(notes, QPlainTextEdit)
    assert notes.property("conflict") is True and notes.toolTip() == CONFLICT_TIP
    session.resolve(school, "town", "Coventry")
    assert label.text() == "Town" and label.property("conflict") is False
    assert label.toolTip() == ""
    assert editor.binder_for("town").focus_widget().text() == "Coventry"
    session.resolve(school, "notes", "Both")
    assert notes.property("conflict") is False
    assert notes.toolTip().endswith("not recorded elsewhere.")  # the form's help is back
    assert notes.toPlainText() == "Both"


def test_the_fields_of_an_editor_share_one_read_of_a_change(
    session: Session, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = _school(session)
    reads: list[str] = []
    get = session.store.get

    def counting_get(record_id: str) -> Any:
        reads.append(record_id)
        return get(record_id)

    monkeypatch.setattr(session.store, "get", counting_get)
    session.set_field(school, "town", "Coventry")
    alone = len(reads)
    editor = _editor(session, qtbot, school)
    assert len(editor.binders) > 10
    reads.clear()
    session.set_field(school, "town", "Cov")
    assert len(reads) == alone + 1  # thirteen fields heard of it, and read it once between them
    assert editor.binder_for("town").focus_widget().text() == "Cov"
