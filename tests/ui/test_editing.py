"""Real editing flows: create through the GUI, type, autosave, restart, undo, redo, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from peerreview.partnership.schools import school_by_urn
from ui.partnership.create import NewRecordDialog


def _fill_new_record_dialog(name: str, **extra: str) -> None:
    """Answer the New … dialog as a person would: type the name, press the Add button."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewRecordDialog)
        QTest.keyClicks(dialog.name, name)
        for attr, text in extra.items():
            QTest.keyClicks(getattr(dialog, attr), text)
        dialog.add_button.click()

    QTimer.singleShot(0, answer)


def _editor_widget(window: Any, field: str) -> Any:
    editor = window.detail.editor
    assert editor is not None
    return editor.binder_for(field).focus_widget()


def test_create_school_type_autosave_and_reopen(
    open_window: Any, reopen: Any, db_path: Any, qtbot: Any
):
    window = open_window(db_path)
    _fill_new_record_dialog("Grace Academy", urn="135335")
    window.actions["new_school"].trigger()
    store = window.session.store
    school = school_by_urn(store, 135335)
    assert school is not None and school["name"] == "Grace Academy"
    assert window.detail.record is not None and window.detail.record.id == school.id

    notes = _editor_widget(window, "notes")
    assert isinstance(notes, QPlainTextEdit)
    notes.setFocus()
    QTest.keyClicks(notes, "Strong reading culture & <b>phonics</b>")
    # Saved within a second of the last keystroke, with no Save button.
    qtbot.waitUntil(
        lambda: store.get(school.id)["notes"] == "Strong reading culture & <b>phonics</b>",
        timeout=1500,
    )

    window2 = reopen(window)
    assert window2.select_record(school.id)
    notes2 = _editor_widget(window2, "notes")
    assert notes2.toPlainText() == "Strong reading culture & <b>phonics</b>"


def test_focus_out_saves_at_once(open_window: Any, db_path: Any, qtbot: Any):
    window = open_window(db_path)
    store = window.session.store
    school = store.list("school")[0]
    window.select_record(school.id)
    town = _editor_widget(window, "town")
    town.setFocus()
    QTest.keyClicks(town, "Coventry")
    assert store.get(school.id)["town"] is None  # not yet: the pause has not passed
    window.tree.setFocus()  # leaving the field saves it
    qtbot.waitUntil(lambda: store.get(school.id)["town"] == "Coventry", timeout=300)


def test_undo_and_redo_an_edit(open_window: Any, db_path: Any, qtbot: Any):
    window = open_window(db_path)
    store = window.session.store
    school = store.list("school")[0]
    window.select_record(school.id)
    name = _editor_widget(window, "name")
    assert isinstance(name, QLineEdit)
    name.setFocus()
    name.selectAll()
    QTest.keyClicks(name, "Coundon Court School")
    # Ctrl+Z before the autosave: the typing is saved, then undone as one step.
    QTest.keyClick(name, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.get(school.id)["name"] == "Coundon Court"
    qtbot.waitUntil(lambda: name.text() == "Coundon Court", timeout=500)
    QTest.keyClick(
        name, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert store.get(school.id)["name"] == "Coundon Court School"
    qtbot.waitUntil(lambda: name.text() == "Coundon Court School", timeout=500)
    # The navigator follows the name.
    index = window.model.index_for_record(school.id)
    assert index.data() == "Coundon Court School"


def test_choice_and_date_fields_save_and_undo(open_window: Any, db_path: Any, qtbot: Any):
    window = open_window(db_path)
    store = window.session.store
    school = store.list("school")[0]
    window.select_record(school.id)
    phase = _editor_widget(window, "phase")
    phase.setCurrentIndex(phase.findData("Primary"))
    assert store.get(school.id)["phase"] == "Primary"
    window.actions["undo"].trigger()
    assert store.get(school.id)["phase"] == "Secondary"
    assert phase.currentData() == "Secondary"


def test_delete_asks_once_and_undo_restores(
    open_window: Any, db_path: Any, dialogs: Any, qtbot: Any
):
    window = open_window(db_path)
    store = window.session.store
    school = store.list("school")[0]
    person = store.create("person", {"name": "Ben Jones", "role": "SENCo", "school": school.id})
    window.session.reset()
    window.select_record(school.id)
    window.tree.setFocus()
    window.actions["delete"].trigger()
    assert len(dialogs.texts("question")) == 1
    assert "1 person" in dialogs.texts("question")[0]
    assert store.get(school.id).deleted and store.get(person).deleted
    assert not window.model.index_for_record(school.id).isValid()
    window.actions["undo"].trigger()
    assert not store.get(school.id).deleted and not store.get(person).deleted
    assert window.model.index_for_record(school.id).isValid()
    assert window.model.index_for_record(person).isValid()
    window.actions["redo"].trigger()
    assert store.get(school.id).deleted


def test_delete_cancelled_changes_nothing(open_window: Any, db_path: Any, dialogs: Any):
    from PySide6.QtWidgets import QMessageBox

    dialogs.answer = QMessageBox.StandardButton.Cancel
    window = open_window(db_path)
    school = window.session.store.list("school")[0]
    window.select_record(school.id)
    window.actions["delete"].trigger()
    assert not window.session.store.get(school.id).deleted


def test_new_person_at_the_selected_school_and_new_group_with_members(
    open_window: Any, db_path: Any
):
    window = open_window(db_path)
    store = window.session.store
    school = store.list("school")[0]
    window.select_record(school.id)
    _fill_new_record_dialog("Chloe Evans", role="Deputy headteacher")
    window.actions["new_person"].trigger()
    person = store.list("person")[0]
    assert person["school"] == school.id and person["role"] == "Deputy headteacher"
    assert window.current_node().record_id == person.id

    _fill_new_record_dialog("North trio")
    window.actions["new_group"].trigger()
    group = store.list("group")[0]
    panel = window.detail.editor.findChild(
        __import__("ui.partnership.memberships", fromlist=["x"]).MembershipPanel
    )
    panel.picker.ensure_loaded()
    panel.picker.setCurrentIndex(panel.picker.findData(school.id))
    panel.add_button.click()
    members = store.list("membership", where={"group": group.id})
    assert [m["school"] for m in members] == [school.id]
    group_index = window.model.index_for_record(group.id)
    assert window.model.rowCount(group_index) == 1
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    panel.end_button.click()
    assert store.get(members[0].id)["end"] is not None
    assert window.model.rowCount(group_index) == 0  # no longer a current member
    window.actions["undo"].trigger()
    assert window.model.rowCount(group_index) == 1

    # A working group's teachers are members too.
    panel.person_picker.ensure_loaded()
    panel.person_picker.setCurrentIndex(panel.person_picker.findData(person.id))
    panel.add_person_button.click()
    joined = [m for m in store.list("membership", where={"group": group.id}) if m["person"]]
    assert [(m["person"], m["start"]) for m in joined] == [(person.id, dt.date.today().isoformat())]
    shown = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert f"Chloe Evans ({school['name']})" in shown  # a person is shown with their school
    window.session.privacy.set_enabled(True)  # on a projector: no names
    shown = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert not any("Chloe" in t for t in shown)
    window.session.privacy.set_enabled(False)
    panel.person_picker.setCurrentIndex(panel.person_picker.findData(person.id))
    panel.add_person_button.click()  # twice: refused, not a second membership
    assert len(store.list("membership", where={"group": group.id, "person": person.id})) == 1
