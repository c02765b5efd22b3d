"""Action plans and the partnership view from the main window's menus and page buttons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from peerreview.plans import plans as pl
from peerreview.sync.store import Store


def test_plans_and_the_partnership_view_from_the_window(
    open_window: Any, db_path: Path, qtbot: Any
) -> None:
    window = open_window(db_path)
    store: Store = window.session.store
    school = store.list("school")[0].id
    assert window.select_record(school)
    window.actions["new_plan"].trigger()
    plans = pl.plans_of(store, school)
    assert len(plans) == 1
    from ui.plans.workspace import PlanWorkspace

    assert isinstance(window.current_view(), PlanWorkspace)  # the new plan is opened
    window.actions["new_impact_review"].trigger()
    assert len(pl.impact_reviews(store, plans[0].id)) == 1
    assert window.select_record(school)
    window.actions["new_support"].trigger()
    support = pl.support_for(store, school)
    assert len(support) == 1 and support[0]["status"] == "proposed"
    window.undo()
    assert not pl.support_for(store, school)
    window.actions["partnership_view"].trigger()
    board = window.findChild(QWidget, "partnershipWindow")
    assert board is not None and board.isVisible()
    view = board.findChild(QWidget, "partnershipView")
    qtbot.waitUntil(lambda: len(view.shown) >= 6, timeout=20000)  # type: ignore[union-attr]
    board.close()


def test_a_plans_report_from_the_menu_is_saved_as_the_person_chose(
    open_window: Any, db_path: Path, qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """The plan report and the governors' summary (menu commands): the name suggested is the
    plan's title made safe to save, in the Documents folder; Word when the person picks it in the
    dialog without typing an ending, PDF when they type .pdf."""
    from PySide6.QtWidgets import QFileDialog

    window = open_window(db_path)
    store: Store = window.session.store
    school = store.list("school")[0].id
    assert window.select_record(school)
    window.actions["new_plan"].trigger()
    plan = pl.plans_of(store, school)[0].id
    window.session.set_field(plan, "title", "Reading / phonics: 2026-27")
    asked: list[tuple[str, str]] = []
    answers = iter(
        [(str(tmp_path / "plan"), "Word document (*.docx)"), (str(tmp_path / "gov.pdf"), "")]
    )

    def answer(_parent: Any, _title: str, suggested: str, filters: str) -> tuple[str, str]:
        asked.append((suggested, filters))
        return next(answers)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    assert window.select_record(plan)
    with qtbot.waitSignal(window.jobs.ended, timeout=30_000):
        window.actions["plan_report"].trigger()
    assert Path(asked[0][0]).name == "Reading - phonics- 2026-27.pdf"
    assert asked[0][1] == "PDF document (*.pdf);;Word document (*.docx)"
    assert (tmp_path / "plan.docx").read_bytes()[:2] == b"PK"  # Word: a zip
    assert window.select_record(school)
    with qtbot.waitSignal(window.jobs.ended, timeout=30_000):
        window.actions["governors_report"].trigger()
    assert Path(asked[1][0]).name == "Governors' summary.pdf"
    assert (tmp_path / "gov.pdf").read_bytes()[:5] == b"%PDF-"
    assert "Wrote" in window.statusBar().currentMessage()
