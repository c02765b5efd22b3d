"""A lesson-study cycle through its widgets: the prediction grid filled with the keyboard and by
pasting from Excel, observation mode, a colleague's notes merged in, the discussion, privacy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from test_lessonstudy_fixtures import NOW, focus, make_cycle

from peerreview.lessonstudy import cycles as cy
from peerreview.lessonstudy import grid as lg
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR
from ui.lessonstudy.new_cycle import NewCycleDialog
from ui.lessonstudy.workspace import CycleWorkspace
from ui.shell.grid_cell import CellEditor
from ui.shell.privacy import HIDDEN, PrivacyMode
from ui.shell.session import Session

pytest_plugins = ("test_lessonstudy_fixtures",)


def type_text(text: str) -> None:
    for ch in text:
        QTest.keyClick(focus(), ch)


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focus(), key, modifier)


def predictions(session: Session, cycle: str) -> dict[tuple[str, str], str]:
    lesson = cy.lessons(session.store, cycle)[-1]
    return lg.texts(session.store, lesson, lg.PREDICTIONS)


def go(ws: CycleWorkspace, row: int, column: int) -> None:
    assert ws.plan_tab.grid is not None
    editor = ws.plan_tab.grid.editor
    editor.view.setFocus()
    editor.view.selectionModel().setCurrentIndex(
        editor.model.index(row, column), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def test_fill_the_prediction_grid_with_the_keyboard_only(
    workspace: CycleWorkspace, session: Session, cycle: str
) -> None:
    ws = workspace
    ws.show_tab("plan")
    assert ws.plan_tab.grid is not None
    model = ws.plan_tab.grid.editor.model
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(5)][:2] == [
        "1. Hook",
        "2. Modelling",
    ]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Pupil A",
        "Pupil B",
        "Pupil C",
    ]
    stages = [s.id for s in cy.stages(session.store, cy.lessons(session.store, cycle)[0].id)]
    pupils = [p.id for p in cy.pupils(session.store, cycle)]
    go(ws, 0, 0)
    type_text("Says 6 at once")  # typing on a cell opens it, replacing its text
    assert isinstance(focus(), CellEditor)
    press(Qt.Key.Key_Tab)  # saved; Tab moves across
    type_text("Counts on fingers")
    press(Qt.Key.Key_Tab)
    type_text("Waits for a partner")
    press(Qt.Key.Key_Return)  # saved; Enter moves down
    press(Qt.Key.Key_Left)
    press(Qt.Key.Key_F2)  # F2 edits in place
    type_text("Copies the bar")
    press(Qt.Key.Key_Return)
    assert predictions(session, cycle) == {
        (stages[0], pupils[0]): "Says 6 at once",
        (stages[0], pupils[1]): "Counts on fingers",
        (stages[0], pupils[2]): "Waits for a partner",
        (stages[1], pupils[1]): "Copies the bar",
    }
    # The stage of the current row is planned beside the grid.
    assert ws.plan_tab.current_stage() == stages[2]
    session.undo_stack.undo()
    assert (stages[1], pupils[1]) not in predictions(session, cycle)


def test_paste_a_block_from_excel_and_an_oversized_one_is_refused(
    workspace: CycleWorkspace, session: Session, cycle: str, qtbot: Any
) -> None:
    ws = workspace
    ws.show_tab("plan")
    assert ws.plan_tab.grid is not None
    view = ws.plan_tab.grid.editor.view
    # Five stages by three pupils, as Excel copies them (a quoted cell with a line break).
    block = "".join(f'"Stage {r + 1}\nline two"\tB{r + 1}\tC{r + 1}\r\n' for r in range(5))
    go(ws, 0, 0)
    assert view.paste(block)
    shown = predictions(session, cycle)
    assert len(shown) == 15
    assert sorted(shown.values())[0] == "B1"
    assert (
        session.undo_stack.undoText() == "paste 15 cells into Predicted response of each case pupil"
    )
    # A block of 3 rows by 5 columns does not fit 3 pupils: refused in one sentence.
    changes = session.store.change_count()
    go(ws, 2, 0)
    with qtbot.waitSignal(session.message, timeout=1000) as said:
        assert not view.paste("a\tb\tc\td\te\n" * 3)
    assert said.args[0].startswith("The copied block is 3 rows by 5 columns")
    assert said.args[0].endswith("nothing was pasted.")
    assert session.store.change_count() == changes


def test_a_row_of_the_grid_opens_its_stage_to_plan(
    workspace: CycleWorkspace, session: Session, cycle: str, qtbot: Any
) -> None:
    ws = workspace
    ws.show_tab("plan")
    go(ws, 3, 1)
    panel = ws.plan_tab.stage_panel
    assert panel is not None
    activity = panel.bindings["activity"].widget
    activity.setFocus()
    QTest.keyClicks(activity, "Sam had 40 stickers and gave away 3/8.")
    panel.save()
    stage = cy.stages(session.store, cy.lessons(session.store, cycle)[0].id)[3]
    assert stage["activity"] == "Sam had 40 stickers and gave away 3/8."
    # Stages added, moved and removed are one undoable step each.
    ws.plan_tab.add_stage_button.click()
    assert len(ws.ctx.stages()) == 6
    ws.plan_tab.up_button.click()  # moves the current stage (4) above stage 3
    assert ws.ctx.stages()[2].id == stage.id
    session.undo_stack.undo()
    assert ws.ctx.stages()[3].id == stage.id


def test_record_observations_in_observation_mode(
    workspace: CycleWorkspace, session: Session, cycle: str, qtbot: Any
) -> None:
    ws = workspace
    ws.show_tab("observe")
    tab = ws.observe_tab
    assert tab.observer.currentText() == "Asha Patel"  # this laptop's user is in the team
    tab.grid.setFocus()
    press(Qt.Key.Key_F11)
    assert tab.observation_mode and not ws.tabs.tabBar().isVisible()
    mode = tab.mode
    assert mode.stage_title.text() == "Stage 1 of 5: Hook"
    assert [c.entry.accessibleName() for c in mode.columns] == [
        "Note on Pupil A",
        "Note on Pupil B",
        "Note on Pupil C",
    ]
    press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert focus() is mode.columns[1].entry
    type_text("Counted in quarters on her fingers")
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    press(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert mode.stage_title.text() == "Stage 2 of 5: Modelling"
    press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    type_text("Why equal parts?")
    press(
        Qt.Key.Key_Return,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    lesson = cy.lessons(session.store, cycle)[0].id
    notes = cy.observations(session.store, lesson)
    assert [(n["note"], n["note_type"], n["observer_name"]) for n in notes] == [
        ("Counted in quarters on her fingers", "note", "Asha Patel"),
        ("Why equal parts?", "quote", "Asha Patel"),
    ]
    assert all(n["time"] == NOW.isoformat(timespec="seconds") for n in notes)
    assert "Why equal parts?" in mode.columns[0].notes.text()
    press(Qt.Key.Key_F11)  # back to the grid, where the notes are in their cells
    assert not tab.observation_mode
    cell = tab.model.index(1, 0).data()
    assert "09:40 Asha Patel (quote): “Why equal parts?”" in cell
    session.undo_stack.undo()
    assert len(cy.observations(session.store, lesson)) == 1


def test_a_colleagues_notes_merge_into_the_cells(
    workspace: CycleWorkspace, session: Session, cycle: str, tmp_path: Path
) -> None:
    store = session.store
    lesson = cy.lessons(store, cycle)[0].id
    stage, pupil = cy.stages(store, lesson)[0].id, cy.pupils(store, cycle)[1].id
    cy.set_prediction(store, lesson, stage, pupil, "Will count on her fingers.")
    # Ben, on his own laptop, joined from this one's bundle and observed the same pupil.
    plan = tmp_path / "plan.prbundle"
    export_bundle(store, plan, full=True, plain=True)
    ben = Store.init(
        tmp_path / "ben.db",
        device_name="Ben's laptop",
        author="Ben Jones",
        partnership_id=store.partnership_id,
    )
    enrol(store, ben, role=COORDINATOR)
    import_bundle(ben, plan)
    member = cy.observer_for(ben, cycle, "Ben Jones")
    assert member is not None
    cy.add_note(
        ben,
        lesson,
        stage,
        pupil,
        "Drew a bar unprompted.",
        observer=member.id,
        at=dt.datetime(2026, 3, 10, 9, 12),
    )
    back = tmp_path / "ben.prbundle"
    export_bundle(ben, back, full=True, plain=True)
    ben.close()
    ws = workspace
    ws.show_tab("observe")
    ws.observe_tab.grid.setCurrentIndex(ws.observe_tab.model.index(0, 1))
    ws.observe_tab.note.setPlainText("Looked at her partner's board first.")
    ws.observe_tab.add_note()  # 09:40
    report = import_bundle(store, back)
    assert report.conflicts == 0
    session.reset()  # what the window does after an import
    cell = ws.observe_tab.model.index(0, 1).data()
    assert cell.splitlines() == [
        "Predicted: Will count on her fingers.",
        "09:12 Ben Jones: Drew a bar unprompted.",
        "09:40 Asha Patel: Looked at her partner's board first.",
    ]


def test_run_the_discussion_view(
    workspace: CycleWorkspace, session: Session, cycle: str, qtbot: Any
) -> None:
    store = session.store
    lesson = cy.lessons(store, cycle)[0].id
    stage, pupil = cy.stages(store, lesson)[0].id, cy.pupils(store, cycle)[0].id
    cy.set_prediction(store, lesson, stage, pupil, "Will say 6.")
    cy.add_note(store, lesson, stage, pupil, "Said 6, then drew it.", at=NOW)
    ws = workspace
    ws.show_tab("discussion")
    tab = ws.discussion_tab
    tab.refresh_evidence()
    assert tab.step_titles() == [
        "1. Thanks, and the teacher's remarks",
        "2. The research question",
        "3. Evidence on Pupil A",
        "4. Evidence on Pupil B",
        "5. Evidence on Pupil C",
        "6. The teaching",
        "7. The knowledgeable other's final comments",
        "8. What we learned, and what we will change for research lesson 2",
    ]
    tab.steps.setFocus()
    press(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    press(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert tab.steps.currentRow() == 2
    shown = tab.evidence_text(pupil)
    assert "Will say 6." in shown and "Said 6, then drew it." in shown
    evidence = tab.bindings[0].widget
    evidence.setFocus()
    QTest.keyClicks(evidence, "Better than predicted: she drew the bar unprompted.")
    tab.go(7)
    next_changes = next(p for p in tab.panels if "next_changes" in p.bindings)
    box = next_changes.bindings["next_changes"].widget
    box.setFocus()
    QTest.keyClicks(box, "Squared paper for everyone.")
    ws.flush()
    texts = lg.texts(store, store.get(lesson), lg.EVIDENCE)
    assert texts[(lg.EVIDENCE_ROW, pupil)] == "Better than predicted: she drew the bar unprompted."
    # The next lesson starts from this one, with what will change beside its grid.
    rl2 = ws.start_next_lesson()
    assert rl2 is not None and ws.tabs.currentIndex() == 1
    assert ws.plan_tab.change_before.text() == "Squared paper for everyone."
    assert [s.get("title") for s in cy.stages(store, rl2)][:2] == ["Hook", "Modelling"]
    assert ws.lesson_box.currentText().startswith("Research lesson 2")


def test_a_photo_that_is_not_an_image_is_refused(
    workspace: CycleWorkspace, session: Session, cycle: str, tmp_path: Path, qtbot: Any
) -> None:
    fake = tmp_path / "work.jpg"
    fake.write_bytes(b"%PDF-1.4 this is not a photo")
    changes = session.store.change_count()
    tab = workspace.observe_tab
    with qtbot.waitSignal(session.message, timeout=1000) as said:
        assert tab.add_photo_to(tab.model.stages[0].id, tab.model.pupils[0].id, fake) is None
    assert said.args[0].startswith("work.jpg is not a photo")
    assert session.store.change_count() == changes and session.undo_stack.count() == 0


def test_the_real_name_shows_here_and_privacy_mode_hides_it(
    app: Any, qtbot: Any, session: Session, cycle: str
) -> None:
    store = session.store
    pupil = cy.pupils(store, cycle)[0].id
    lesson = cy.lessons(store, cycle)[0].id
    cy.add_note(store, lesson, cy.stages(store, lesson)[0].id, pupil, "Drew a bar.", at=NOW)
    ws = CycleWorkspace(session, cycle, clock=lambda: NOW)
    qtbot.addWidget(ws)
    name = ws.cycle_tab.pupils.names[pupil]
    name.setFocus()
    QTest.keyClicks(name, "Zo")
    name.insert("ë Kowalczyk")  # as typed (keyClicks cannot send ë offscreen)
    name.clearFocus()
    ws.flush()
    assert cy.real_names(store, [pupil]) == {pupil: "Zoë Kowalczyk"}
    ws.observe_tab.reload()
    header = ws.observe_tab.model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "Pupil A (Zoë Kowalczyk)"
    private = Session(store, privacy=PrivacyMode(True))
    hidden = CycleWorkspace(private, cycle, clock=lambda: NOW)
    qtbot.addWidget(hidden)
    field = hidden.cycle_tab.pupils.names[pupil]
    assert field.text() == "" and field.placeholderText() == HIDDEN and not field.isEnabled()
    assert hidden.observe_tab.model.headerData(0, Qt.Orientation.Horizontal) == "Pupil A"
    assert "Observer 1: Drew a bar." in hidden.observe_tab.model.index(0, 0).data()
    assert "Asha Patel" not in hidden.observe_tab.model.index(0, 0).data()


def test_start_a_cycle_with_the_dialog(app: Any, qtbot: Any, session: Session) -> None:
    school = session.store.create("school", {"name": "Stoneleigh Junior School"})
    dialog = NewCycleDialog(session, school, today=dt.date(2026, 3, 2))
    qtbot.addWidget(dialog)
    dialog.ok_button.click()  # no title yet: refused, in one sentence
    assert dialog.cycle_id is None and "title" in dialog.problem.text()
    QTest.keyClicks(dialog.title, "Inference in guided reading, Year 4")
    dialog.proforma.setCurrentIndex(dialog.proforma.findData("lesson-study-research-plan"))
    QTest.keyClicks(dialog.subject, "English")
    QTest.keyClicks(dialog.year_group, "Year 4")
    dialog.ok_button.click()
    assert dialog.cycle_id is not None
    cycle = session.store.get(dialog.cycle_id)
    assert cycle["form_id"] == "lesson-study-research-plan" and cycle["subject"] == "English"
    assert len(cy.pupils(session.store, cycle.id)) == 3
    session.undo_stack.undo()  # one step undoes the new cycle
    assert session.store.get(cycle.id).deleted


def test_a_second_cycle_fixture_is_independent(session: Session) -> None:
    other = make_cycle(session.store, session.forms)
    assert len(cy.lessons(session.store, other)) == 1


def test_a_lesson_dated_before_its_cycle_is_refused_in_one_sentence(
    workspace: CycleWorkspace, session: Session, cycle: str, qtbot: Any
) -> None:
    from PySide6.QtCore import QDate

    ws = workspace
    ws.show_tab("plan")
    panel = ws.plan_tab.lesson_panel
    assert panel is not None
    date = panel.bindings["date"]
    changes = session.store.change_count()
    with qtbot.waitSignal(session.message, timeout=3000) as said:
        date.widget.date_edit.setDate(QDate(2026, 2, 27))
        date.save()
    assert said.args[0] == (
        "Research lesson 1 cannot be on 27 February 2026: the cycle starts on 2 March 2026. "
        "Check the date, or move the cycle's start. Nothing was changed."
    )
    assert session.store.change_count() == changes
    assert cy.lessons(session.store, cycle)[0]["date"] == "2026-03-10"


def test_a_note_typed_but_not_added_is_kept(
    app: Any, qtbot: Any, session: Session, cycle: str
) -> None:
    """A teacher called away mid-note: the draft is there when the cycle is opened again."""
    first = CycleWorkspace(session, cycle, clock=lambda: NOW)
    qtbot.addWidget(first)
    tab = first.observe_tab
    tab.grid.setCurrentIndex(tab.model.index(2, 1))
    tab.note.setPlainText("Drew the bar, then")
    tab.mode_button.toggle()
    tab.mode.show_stage(3)
    tab.mode.columns[2].entry.setPlainText("Waited for the TA")
    session.flush()  # as before a job, undo or closing the window
    again = CycleWorkspace(session, cycle, clock=lambda: NOW)
    qtbot.addWidget(again)
    other = again.observe_tab
    other.grid.setCurrentIndex(other.model.index(2, 1))
    assert other.note.toPlainText() == "Drew the bar, then"
    other.mode_button.toggle()
    other.mode.show_stage(3)
    assert other.mode.columns[2].entry.toPlainText() == "Waited for the TA"
    other.mode.columns[2].entry.setFocus()
    other.mode.add_from(other.mode.columns[2], False)
    assert cy.observations(session.store, cy.lessons(session.store, cycle)[0].id)[0]["note"] == (
        "Waited for the TA"
    )
    assert other.drafts.get(other.mode.stages[3].id, other.mode.columns[2].pupil.id) == ""


def test_save_the_workbook_under_the_name_it_suggests(
    workspace: CycleWorkspace, qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """Outcomes, Save: the dialog suggests a name any laptop can save (ui/shell/saving.py), and
    the workbook is written where the person chose, with its ending added."""
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []
    target = tmp_path / "workbook"

    def answer(_parent: Any, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(Path(suggested).name)
        return str(target), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    workspace.show_tab("outcomes")
    with qtbot.waitSignal(workspace.jobs.ended, timeout=30_000):
        assert workspace.outcomes_tab.save("pdf") is not None
    assert asked == ["Lesson study workbook - Reasoning about fractions, Year 5.pdf"]
    assert target.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
