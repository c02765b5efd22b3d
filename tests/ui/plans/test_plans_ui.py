"""The improvement workshop, a progress update and the plan workspace, through their widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from peerreview.forms import forms_dir, load_forms
from peerreview.plans import plans as pl
from peerreview.plans import workshop as ws
from peerreview.plans import workshop as ws_core
from peerreview.plans.plans import Rag
from peerreview.review import reviews as rv
from peerreview.review.report import agree
from peerreview.sync.store import Store
from ui.shell.privacy import PrivacyMode
from ui.shell.session import Session

D = dt.date
TODAY = D(2026, 3, 3)
EBIS = {
    "leadership": "Middle leaders checked the impact of their subject plans on pupils' work.",
    "quality": "Feedback routines were applied consistently in every class.",
    "disadvantaged": "Disadvantaged pupils' attendance was tracked weekly.",
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.init(
        tmp_path / "plans.db", device_name="Laptop", author="Amira Patel", partnership_name="P"
    )
    yield s
    s.close()


@pytest.fixture
def review(store: Store) -> str:
    library = load_forms(forms_dir())
    school = store.create("school", {"name": "Coundon Court", "urn": 103712})
    store.create("person", {"name": "Ben Jones", "school": school, "role": "Deputy headteacher"})
    fw = rv.Framework.from_form(library.get("review-estimates"))
    rid = rv.plan_review(store, fw, school=school, start_date=D(2025, 10, 6))
    for area in fw.areas:
        rv.set_view(store, rid, area.id, rv.Stage.AGREED, www="Good.", ebi=EBIS[area.id])
    agree(store, library, rid, agreed_by="The head", on=D(2025, 10, 20))
    return rid


@pytest.fixture
def session(app: QApplication, store: Store) -> Session:
    return Session(store, privacy=PrivacyMode())


def test_the_workshop_gives_every_ebi_a_response(qtbot: Any, session: Session, review: str) -> None:
    from ui.plans.workshop import WorkshopDialog

    dialog = WorkshopDialog(session, review, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    plan = ws.plan_for(session.store, review)
    assert plan is not None and dialog.plan_id == plan.id
    assert dialog.progress.text() == "0 of 3 EBIs have a response; 3 to go."
    first, second, third = dialog.cards
    assert "No response yet" in first.state.text()
    # A new priority, named by the person.
    first.choose("new_priority")
    qtbot.keyClicks(first.words, "Leaders check impact")
    qtbot.keyClick(first.words, Qt.Key.Key_Return)
    assert dialog.progress.text() == "1 of 3 EBIs have a response; 2 to go."
    assert "Priority: Leaders check impact" in first.state.text()
    # A new action under that priority.
    second.choose("new_action")
    assert second.target.isVisible() and second.target.currentText() == "Leaders check impact"
    qtbot.keyClicks(second.words, "Train every teacher in the feedback routine")
    second.record.click()
    # No reason: refused with one sentence, nothing recorded.
    third.choose("no_action")
    messages: list[str] = []
    session.message.connect(messages.append)
    third.record.click()
    assert messages and "reason is recorded for every one" in messages[-1]
    assert dialog.progress.text() == "2 of 3 EBIs have a response; 1 to go."
    qtbot.keyClicks(third.words, "Covered by the trust's attendance plan.")
    third.record.click()
    assert dialog.progress.text() == "Every EBI has a response."
    assert ws.unanswered(session.store, session.forms, review) == []
    action = ws.response_of(session.store, review, "quality")
    assert action is not None and action["response"] == "action"
    # Each answer is one undo step: Ctrl+Z takes the last back, and only it.
    session.undo_stack.undo()
    assert [e.area for e in ws.unanswered(session.store, session.forms, review)] == [
        "disadvantaged"
    ]
    session.undo_stack.undo()
    assert {e.area for e in ws.unanswered(session.store, session.forms, review)} == {
        "disadvantaged",
        "quality",
    }
    assert not session.store.list("action")  # the action made with the answer went with it
    session.undo_stack.redo()
    assert [e.area for e in ws.unanswered(session.store, session.forms, review)] == [
        "disadvantaged"
    ]
    dialog.close()


def _plan_with_action(session: Session, review: str) -> tuple[str, str]:
    store = session.store
    priority = ws.respond_with_new_priority(
        store, session.forms, review, "leadership", title="Leaders check impact"
    )
    person = store.list("person")[0].id
    action = pl.add_action(
        store,
        priority,
        "Book looks each half term",
        owner=person,
        start=D(2025, 11, 3),
        due=D(2026, 2, 27),
    )
    pl.add_update(store, action, on=D(2025, 12, 12), text="Started.", rag=Rag.GREEN)
    plan = ws.plan_for(store, review)
    assert plan is not None
    return plan.id, action


def test_a_progress_update_from_the_action_panel(
    qtbot: Any, session: Session, review: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ui.plans import update_dialog
    from ui.plans.workspace import PlanWorkspace

    plan, action = _plan_with_action(session, review)
    workspace = PlanWorkspace(session, plan, today=TODAY)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 700)
    workspace.show()
    workspace.select(action)
    panel = workspace.panel
    assert panel is not None and panel.objectName() == "actionPanel"
    assert "⚠" in workspace.tree.currentItem().text(1)  # overdue on 3 March 2026

    photo = tmp_path / "book-look.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)

    def fill(dialog: Any) -> int:
        qtbot.keyClicks(dialog.text, "Two absences: behind, and the lead is off until Easter.")
        dialog.rag.setCurrentIndex(dialog.rag.findData("red"))
        dialog.add_files([photo])
        dialog.record()
        return 1

    monkeypatch.setattr(update_dialog.ProgressUpdateDialog, "exec", fill)
    made = panel.open_update()  # type: ignore[attr-defined]
    assert made is not None
    assert session.store.get(action)["rag"] == "red"
    assert [p.rag for p in pl.rag_history(session.store, action)] == [Rag.GREEN, Rag.RED]
    attached = session.store.list("attachment", where={"owner": made})
    assert [a["filename"] for a in attached] == ["book-look.png"]  # evidence kept with it
    panel = workspace.panel
    assert "worsened" in panel.drift.text()  # type: ignore[union-attr]
    assert "Red" in workspace.tree.currentItem().text(2)
    # One step: undo takes the update and the rating back together.
    session.undo_stack.undo()
    assert session.store.get(action)["rag"] == "green"
    assert len(pl.updates(session.store, action)) == 1
    assert not session.store.list("attachment", where={"owner": made})
    # Supporters ticked and milestones typed are saved as the person works.
    panel = workspace.panel
    assert panel is not None
    item = panel.supporters.item(0)  # type: ignore[attr-defined]
    person = item.data(Qt.ItemDataRole.UserRole)
    item.setCheckState(Qt.CheckState.Checked)
    assert session.store.get(action)["supporters"] == [person]
    assert panel.supporters.item(0).checkState() == Qt.CheckState.Checked  # type: ignore[attr-defined]
    panel.milestones.set_value([{"milestone": "Panel meets", "date": "2026-01-12", "done": True}])  # type: ignore[attr-defined]
    panel.milestones.changed.emit()  # type: ignore[attr-defined]
    panel.flush()  # type: ignore[attr-defined]
    assert session.store.get(action)["milestones"] == [
        {"milestone": "Panel meets", "date": "2026-01-12", "done": True}
    ]
    workspace.close()


def test_the_plan_refuses_agreement_while_an_action_has_no_owner(
    qtbot: Any, session: Session, review: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from ui.plans.workspace import PlanWorkspace

    plan, action = _plan_with_action(session, review)
    pl.add_action(session.store, session.store.get(action)["priority"], "Letters home")
    workspace = PlanWorkspace(session, plan, today=TODAY)
    qtbot.addWidget(workspace)
    messages: list[str] = []
    session.message.connect(messages.append)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("The head", True)))
    workspace.agree_button.click()
    assert messages and "has no owner (“Letters home”)" in messages[-1]
    assert not pl.is_agreed(session.store, plan)
    loose = next(a.id for a in pl.actions(session.store, plan=plan) if a["title"] == "Letters home")
    workspace.select(loose)
    workspace.panel.owner.ensure_loaded()  # type: ignore[union-attr]
    workspace.panel.owner.setCurrentIndex(1)  # type: ignore[union-attr]
    assert session.store.get(loose)["owner_role"] == "Deputy headteacher"
    workspace.agree_button.click()
    assert pl.is_agreed(session.store, plan)
    assert workspace.status.text() == "✓ Agreed"
    workspace.close()


def test_the_governors_tab_shows_the_reports_chart(
    qtbot: Any, session: Session, review: str
) -> None:
    from ui.plans.workspace import PlanWorkspace

    plan, _action = _plan_with_action(session, review)
    workspace = PlanWorkspace(session, plan, today=TODAY)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 700)
    workspace.show()
    workspace.tabs.setCurrentIndex(1)
    with qtbot.waitSignal(workspace.chart.drawn, timeout=20000):
        workspace.chart.set_chart(workspace.chart.chart)
    assert not workspace.chart.pixmap().isNull()
    assert (
        "1 actions, 0 complete" in workspace.glance.text() or "1 action" in workspace.glance.text()
    )
    workspace.close()


def test_the_review_shows_its_ebis_without_a_response(
    qtbot: Any, session: Session, review: str
) -> None:
    """The review asks the registry what was done about each EBI; it names no feature."""
    from ui.review.workspace import ReviewWorkspace

    ws = ReviewWorkspace(session, review)
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    ws.show_tab("judgements")
    areas = ws.judgements.areas

    def flagged() -> list[bool]:
        return ["EBI not yet answered" in areas.item(i).text() for i in range(areas.count() - 1)]

    assert flagged() == [True, True, True]
    store = session.store
    session.create_with(
        lambda: ws_core.respond_with_new_priority(store, session.forms, review, "leadership"),
        "priority",
        "priority",
    )
    assert flagged() == [False, True, True]
    ws.close()
