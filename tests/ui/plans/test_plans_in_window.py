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
