"""The review workspace edits through the same bindings and undo commands as the form editors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPlainTextEdit
from test_review_fixtures import host_school, plan

from peerreview.review import reviews as rv
from peerreview.sync.bundle import export_bundle, import_bundles
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR
from ui.review.judgements_tab import AreaPanel
from ui.shell.binding import CONFLICT_MARK, CONFLICT_TIP, DEBOUNCE_MS, TextBinding
from ui.shell.commands import EditStep, SetFieldsCommand
from ui.shell.editors import RecordEditor

pytest_plugins = ("test_review_fixtures",)  # the review fixtures


def test_a_form_editor_and_a_review_tab_share_one_binding(
    open_workspace: Any, session: Any, qtbot: Any
) -> None:
    rid = plan(session)
    school = host_school(session.store)
    editor = RecordEditor(session, session.store.get(school))
    qtbot.addWidget(editor)
    ws = open_workspace(rid)
    notes = editor.binder_for("notes")
    focus = next(b for b in ws.plan.bindings if b.field == "focus")
    assert type(notes) is type(focus) is TextBinding
    assert notes.debounced and focus.debounced
    for binding, text in ((notes, "Strong reading culture"), (focus, " and writing")):
        box = binding.focus_widget()
        assert isinstance(box, QPlainTextEdit)
        box.setFocus()
        box.moveCursor(QTextCursor.MoveOperation.End)
        QTest.keyClicks(box, text)
        assert binding.pending
    qtbot.waitUntil(lambda: not notes.pending and not focus.pending, timeout=3 * DEBOUNCE_MS)
    assert session.store.get(school)["notes"] == "Strong reading culture"
    assert session.store.get(rid)["focus"] == "Reading and writing"
    commands = [session.undo_stack.command(i) for i in range(session.undo_stack.count())]
    assert [type(c) for c in commands] == [SetFieldsCommand, SetFieldsCommand]
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.store.get(school)["notes"] is None
    assert ws.plan.focus.toPlainText() == "Reading"


def test_an_agreed_view_and_the_typing_that_made_it_undo_in_one_step(
    open_workspace: Any, session: Any, qtbot: Any
) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    area = ws.ctx.areas()[0]
    ws.show_tab("judgements")
    panel = ws.judgements.panel
    assert isinstance(panel, AreaPanel)
    ebi = panel.agreed_fields["ebi"]
    ebi.setFocus()
    QTest.keyClicks(ebi, "Develop")
    qtbot.waitUntil(lambda: rv.get_view(session.store, rid, area.id, rv.Stage.AGREED) is not None)
    QTest.keyClicks(ebi, " middle leaders")
    panel.agreed_picker.setFocus()  # leaving the field saves it
    view = rv.get_view(session.store, rid, area.id, rv.Stage.AGREED)
    assert view is not None and view["ebi"] == "Develop middle leaders"
    assert session.undo_stack.count() == 1
    assert isinstance(session.undo_stack.command(0), EditStep)
    session.undo_stack.undo()
    assert rv.get_view(session.store, rid, area.id, rv.Stage.AGREED) is None
    assert ebi.toPlainText() == ""
    ebi.setFocus()
    QTest.keyClicks(ebi, "Again")  # edited again: the view is brought back, as one step
    panel.agreed_picker.setFocus()
    view = rv.get_view(session.store, rid, area.id, rv.Stage.AGREED)
    assert view is not None and view["ebi"] == "Again"
    session.undo_stack.undo()
    assert rv.get_view(session.store, rid, area.id, rv.Stage.AGREED) is None


def test_a_review_field_in_conflict_is_marked_as_in_the_form_editors(
    open_workspace: Any, session: Any, qtbot: Any, tmp_path: Path
) -> None:
    rid = plan(session)
    store = session.store
    export_bundle(store, tmp_path / "mine.prbundle", full=True, plain=True)
    other = Store.init(
        tmp_path / "other.db",
        device_name="Mr Okafor's laptop",
        author="Chidi Okafor",
        partnership_id=store.partnership_id,
    )
    enrol(store, other, role=COORDINATOR)
    import_bundles(other, [tmp_path / "mine.prbundle"])
    other.update(rid, {"focus": "Maths"})
    export_bundle(other, tmp_path / "theirs.prbundle", full=True, plain=True)
    other.close()
    store.update(rid, {"focus": "Reading for pleasure"})
    import_bundles(store, [tmp_path / "theirs.prbundle"])
    ws = open_workspace(rid)
    focus = next(b for b in ws.plan.bindings if b.field == "focus")
    caption = next(lb for lb in ws.plan.findChildren(QLabel) if lb.buddy() is ws.plan.focus)
    assert focus.conflicted
    assert caption.text() == CONFLICT_MARK + "F&ocus" and caption.toolTip() == CONFLICT_TIP
    title = next(b for b in ws.plan.bindings if b.field == "title")
    assert not title.conflicted
    session.resolve(rid, "focus", "Reading and maths")
    assert caption.text() == "F&ocus" and not focus.conflicted
    assert ws.plan.focus.toPlainText() == "Reading and maths"
