"""The review workspace through its widgets: plan, self-evaluation, judgements, privacy, undo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from test_review_fixtures import (
    NAMES,
    all_texts,
    host_school,
    plan,
    unnamed_controls,
)

from peerreview.review import reviews as rv
from ui.review.judgements_tab import EXCELLENCE, AreaPanel
from ui.review.new_review import NewReviewDialog
from ui.shell.privacy import HIDDEN

pytest_plugins = ("test_review_fixtures",)  # the review fixtures


def test_plan_a_review_with_the_dialog(app: Any, qtbot: Any, session: Any) -> None:
    school = host_school(session.store)
    dialog = NewReviewDialog(session, school, today=dt.date(2026, 2, 1))
    qtbot.addWidget(dialog)
    assert [b.text() for b in dialog.framework_buttons.values()] == [
        f.title for f in rv.frameworks(session.forms)
    ]
    dialog.framework_buttons["review-enquiry"].click()
    assert not dialog.question.isHidden()  # an enquiry asks its question
    dialog.start.setDate(QDate(2026, 3, 3))
    dialog.end.setDate(QDate(2026, 3, 4))
    QTest.keyClicks(dialog.focus, "Reading across the curriculum")
    QTest.keyClicks(dialog.question, "To what extent do pupils read widely?")
    dialog.sharing.setCurrentIndex(dialog.sharing.findData(rv.Sharing.HOST.value))
    dialog.plan_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    review = session.store.get(dialog.review_id)
    assert review["school"] == school and review["framework_id"] == "review-enquiry"
    assert (review["start_date"], review["end_date"]) == ("2026-03-03", "2026-03-04")
    assert review["focus"] == "Reading across the curriculum"
    assert review["enquiry_question"] == "To what extent do pupils read widely?"
    assert review["sharing"] == "host" and review["status"] == "planned"
    [lead] = rv.team(session.store, review.id)
    assert (lead["name"], lead["role"]) == ("Amira Patel", "Lead reviewer")
    session.undo_stack.undo()  # one step undoes the plan and its lead reviewer
    assert session.store.get(review.id).deleted
    assert rv.team(session.store, review.id) == []


def test_the_dialog_shows_last_reviews_next_steps(app: Any, qtbot: Any, session: Any) -> None:
    first = plan(session)
    area = rv.framework_of(session.forms, session.store.get(first)).areas[0]
    rv.set_view(session.store, first, area.id, rv.Stage.AGREED, ebi="Develop middle leaders")
    dialog = NewReviewDialog(session, host_school(session.store), today=dt.date(2027, 1, 10))
    qtbot.addWidget(dialog)
    assert dialog.continuity_items == ["Develop middle leaders"]
    assert not dialog.continuity.isHidden()
    assert dialog.framework_buttons["review-estimates"].isChecked()  # the same as last time
    dialog.plan_button.click()
    assert (
        rv.carried_forward(session.store, session.forms, dialog.review_id)[0].text
        == "Develop middle leaders"
    )


def test_plan_tab_fields_autosave_and_undo(open_workspace: Any, session: Any, qtbot: Any) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    ws.show_tab("plan")
    focus = ws.plan.focus
    focus.setFocus()
    focus.moveCursor(focus.textCursor().MoveOperation.End)
    QTest.keyClicks(focus, " & writing <across> subjects")
    assert session.store.get(rid)["focus"] == "Reading"  # not yet: the pause has not passed
    qtbot.waitUntil(
        lambda: session.store.get(rid)["focus"] == "Reading & writing <across> subjects",
        timeout=2000,
    )
    ws.plan.sharing.setCurrentIndex(ws.plan.sharing.findData(rv.Sharing.PARTNERSHIP.value))
    assert session.store.get(rid)["sharing"] == "partnership"
    assert ws.sharing_badge.text() == "Sharing: Whole partnership"  # on every tab
    session.undo_stack.undo()
    assert ws.sharing_badge.text() == "Sharing: Host school and partnership coordinator"
    session.undo_stack.undo()
    assert session.store.get(rid)["focus"] == "Reading"
    assert focus.toPlainText() == "Reading"
    # Dates are British in the fields and saved as ISO.
    assert ws.plan.start.displayFormat() == "dd/MM/yyyy"
    ws.plan.end.setDate(QDate(2026, 3, 5))
    ws.plan.end.clearFocus()
    qtbot.waitUntil(lambda: session.store.get(rid)["end_date"] == "2026-03-05", timeout=2000)
    assert "5 March 2026" in ws.subtitle.text()


def test_team_and_schedule_tables(open_workspace: Any, session: Any) -> None:
    rid = plan(session, team=False)
    ws = open_workspace(rid)
    tab = ws.plan
    member = tab.add_member()
    model = tab.team_model
    row = model.row_of(member)
    assert model.setData(model.index(row, 0), "Dafydd Evans (Grace Academy)")
    record = session.store.get(member)
    assert record["name"] == "Dafydd Evans" and record["person"] is not None
    assert session.store.title(record["school"]) == "Grace Academy"
    assert model.data(model.index(row, 1)) == "Grace Academy"
    assert model.setData(model.index(row, 2), "Lead reviewer")
    assert session.store.get(member)["role"] == "Lead reviewer"
    activity = tab.add_activity()
    sched = tab.schedule_model
    r = sched.row_of(activity)
    assert sched.data(sched.index(r, 0)) == "03/03/2026"
    assert sched.data(sched.index(r, 1)) == "09:00" and sched.data(sched.index(r, 2)) == "09:45"
    tab.team_table.setCurrentIndex(model.index(row, 0))
    session.delete(member)
    assert model.rowCount() == 0
    session.undo_stack.undo()
    assert model.rowCount() == 1


def test_framework_is_fixed_once_evidence_exists(open_workspace: Any, session: Any) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    combo = ws.plan.framework
    assert combo.isEnabled()
    combo.setCurrentIndex(combo.findData("review-ofsted"))
    combo.activated.emit(combo.currentIndex())
    assert session.store.get(rid)["framework_id"] == "review-ofsted"
    assert ws.ctx.framework().id == "review-ofsted"  # the tabs were rebuilt for its areas
    assert len(ws.self_evaluation.pickers) == len(ws.ctx.areas())
    rv.add_evidence(session.store, rid, activity="Lesson visit", note="x")
    ws.ctx.notify(rid, "review")
    ws.ctx.notify(rid, "evidence")
    assert not ws.plan.framework.isEnabled()
    assert "Fixed" in ws.plan.framework_note.text()


def test_self_evaluation_and_agreed_judgement(
    open_workspace: Any, session: Any, qtbot: Any
) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    area = ws.ctx.areas()[0]
    ws.show_tab("self_evaluation")
    picker = ws.self_evaluation.pickers[area.id]
    picker.setFocus()
    QTest.keyClick(picker, Qt.Key.Key_2)  # the second level: Effective
    summary = ws.self_evaluation.summaries[area.id]
    summary.setFocus()
    QTest.keyClicks(summary, "Our monitoring shows <consistent> practice")
    ws.show_tab("judgements")  # leaving saves at once
    own = rv.get_view(session.store, rid, area.id, rv.Stage.SELF)
    assert own is not None and own["judgement"] == "effective"
    assert own["evidence_summary"] == "Our monitoring shows <consistent> practice"

    panel = ws.judgements.panel
    assert isinstance(panel, AreaPanel) and panel.area.id == area.id
    assert panel.self_judgement.text() == "Effective"
    assert "<consistent>" in panel.self_summary.text()
    lead = rv.team(session.store, rid)[0]
    choice, note = panel.provisional[str(lead["person"])]
    assert choice is not None
    choice.setCurrentIndex(choice.findData("leading"))
    view = rv.get_view(session.store, rid, area.id, rv.Stage.PROVISIONAL, str(lead["person"]))
    assert view is not None and view["judgement"] == "leading"
    assert view["reviewer_name"] == "Amira Patel"

    panel.agreed_picker.setFocus()
    QTest.keyClick(panel.agreed_picker, Qt.Key.Key_2)
    for field, text in (
        ("rationale", "Leaders at every level share one vision"),
        ("www", "Clear vision & values"),
        ("ebi", "Develop middle leaders"),
    ):
        edit = panel.agreed_fields[field]
        edit.setFocus()
        QTest.keyClicks(edit, text)
    panel.agreed_picker.setFocus()
    agreed = rv.get_view(session.store, rid, area.id, rv.Stage.AGREED)
    assert agreed is not None
    assert (agreed["judgement"], agreed["rationale"], agreed["www"], agreed["ebi"]) == (
        "effective",
        "Leaders at every level share one vision",
        "Clear vision & values",
        "Develop middle leaders",
    )
    item = ws.judgements.areas.item(0)
    assert "Agreed: Effective" in item.text()
    # Undo takes the agreed view away again, step by step, back to no record at all.
    while rv.get_view(session.store, rid, area.id, rv.Stage.AGREED) is not None:
        session.undo_stack.undo()
    assert panel.agreed_fields["ebi"].toPlainText() == ""


def test_areas_of_excellence(open_workspace: Any, session: Any) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    ws.show_tab("judgements")
    ws.judgements.show_area(EXCELLENCE)
    panel = ws.judgements.panel
    new = panel.add()
    assert new is not None
    title = panel.titles[new]
    title.setFocus()
    QTest.keyClicks(title, "Early reading")
    panel.descriptions[new].setFocus()
    QTest.keyClicks(panel.descriptions[new], "Phonics taught with remarkable consistency")
    title.setFocus()
    [item] = rv.excellence(session.store, rid)
    assert (item["title"], item["description"]) == (
        "Early reading",
        "Phonics taught with remarkable consistency",
    )
    assert "1 recorded" in ws.judgements.areas.item(ws.judgements.areas.count() - 1).text()
    session.delete(new)
    assert rv.excellence(session.store, rid) == []


def test_enquiry_reviews_have_lines_not_grades(open_workspace: Any, session: Any) -> None:
    rid = plan(session, "review-enquiry")
    ws = open_workspace(rid)
    assert ws.self_evaluation.pickers == {}
    assert ws.plan.lines_table is not None
    line = ws.plan.add_line()
    model = ws.plan.lines_table.model()
    model.setData(model.index(model.row_of(line), 0), "How often do pupils read in science?")
    assert [a.title for a in ws.ctx.areas()] == ["How often do pupils read in science?"]
    ws.show_tab("judgements")
    ws.judgements.show_area(line)
    panel = ws.judgements.panel
    assert isinstance(panel, AreaPanel) and panel.agreed_picker is None
    names = [e.accessibleName() for e in panel.agreed_fields.values()]
    assert any(n.startswith("Strengths") for n in names)
    assert any(n.startswith("Areas for development") for n in names)
    panel.agreed_fields["ebi"].setPlainText("More non-fiction in science")
    panel.flush()
    assert (
        rv.get_view(session.store, rid, line, rv.Stage.AGREED)["ebi"]
        == "More non-fiction in science"
    )


def test_privacy_mode_hides_names(open_workspace: Any, session: Any) -> None:
    rid = plan(session)
    rv.add_evidence(
        session.store,
        rid,
        activity="Lesson visit",
        note="Calm and purposeful",
        present="Ben Jones, Amira Patel",
    )
    ws = open_workspace(rid)
    for tab in ("plan", "evidence", "judgements", "report"):
        ws.show_tab(tab)
    session.privacy.set_enabled(True)  # projecting at 15:30
    for tab in ("plan", "self_evaluation", "evidence", "judgements", "report"):
        ws.show_tab(tab)
        text = all_texts(ws)
        for name in NAMES:
            assert name not in text, (tab, name)
    model = ws.plan.team_model
    assert model.data(model.index(0, 0)) == HIDDEN
    assert not ws.plan.team_table.model().flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert ws.capture.present.placeholderText() == HIDDEN and not ws.capture.present.isEnabled()
    panel = ws.judgements.panel
    assert isinstance(panel, AreaPanel)
    assert "LEAD REVIEWER" in all_texts(panel) and "REVIEWER" in all_texts(panel)
    # A note written in privacy mode still records who was present (without showing it).
    ws.show_tab("evidence")
    ws.capture.note.setPlainText("Pupils read aloud")
    ws.capture.flush()
    note = session.store.get(ws.capture.note_id)
    assert note["present"] == "Ben Jones (host link leader), Amira Patel (lead reviewer)"
    session.privacy.set_enabled(False)
    model = ws.plan.team_model
    assert model.data(model.index(0, 0)) == "Amira Patel"
    assert ws.capture.present.isEnabled()


def test_every_control_is_named_on_every_tab(open_workspace: Any, session: Any, qtbot: Any) -> None:
    rid = plan(session)
    rv.add_evidence(session.store, rid, activity="Lesson visit", note="Calm")
    ws = open_workspace(rid)
    for tab in ("plan", "self_evaluation", "evidence", "judgements", "report"):
        ws.show_tab(tab)
        assert unnamed_controls(ws) == [], tab
    ws.judgements.show_area(EXCELLENCE)
    ws.judgements.panel.add()
    assert unnamed_controls(ws) == []
    dialog = NewReviewDialog(session, host_school(session.store))
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    # Shortcuts are in the tooltips, where people look for them.
    assert "Ctrl+E" in ws.capture.new_button.toolTip()
    assert "F11" in ws.capture.visit_button.toolTip()
    assert "Alt+1" in ws.capture.chips.chips[0].toolTip()
    assert "1 to 8" in ws.capture.activity.toolTip()


def test_areas_the_school_has_no_provision_for_can_be_left_out(
    open_workspace: Any, session: Any
) -> None:
    rid = plan(session, "review-ofsted")
    ws = open_workspace(rid)
    before = len(ws.ctx.areas())
    ws.plan.area_checks["sixth_form"].setChecked(False)
    assert session.store.get(rid)["areas_excluded"] == ["sixth_form"]
    assert len(ws.ctx.areas()) == before - 1
    assert len(ws.capture.chips.chips) == before - 1  # every tab follows
    assert "sixth_form" not in ws.self_evaluation.pickers
    assert not ws.plan.area_checks["sixth_form"].isChecked()
    session.undo_stack.undo()
    assert len(ws.capture.chips.chips) == before
    rv.add_evidence(session.store, rid, activity="Lesson visit", areas=["early_years"])
    ws.ctx.notify(rid, "evidence")
    assert not ws.plan.area_checks["early_years"].isEnabled()  # its evidence is in the report
