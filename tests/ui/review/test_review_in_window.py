"""Peer reviews in the main window: under their school, opened in the workspace, planned from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from peerreview.forms import forms_dir, load_forms
from peerreview.review import reviews as rv
from peerreview.sync.store import Store


def _review_today(path: Path) -> str:
    store = Store.open(path)
    school = store.list("school")[0].id
    fw = rv.Framework.from_form(load_forms(forms_dir()).get("review-estimates"))
    rid = rv.plan_review(store, fw, school=school, start_date=dt.date.today(), focus="Reading")
    rv.add_member(store, rid, name="Amira Patel", role="Lead reviewer")
    store.close()
    return rid


def test_a_review_opens_in_its_workspace_under_its_school(
    db_path: Path, open_window: Any, qtbot: Any
) -> None:
    from ui.review.workspace import ReviewWorkspace

    rid = _review_today(db_path)
    window = open_window(db_path)
    assert window.select_record(rid)
    qtbot.waitUntil(lambda: isinstance(window.detail.workspace, ReviewWorkspace), timeout=3000)
    index = window.tree.currentIndex()
    assert "Peer review" in index.data()
    assert index.parent().data().startswith("Reviews")  # the school's Reviews folder
    # Typing in the workspace does not rebuild it (each autosave is a record change).
    workspace = window.detail.workspace
    window.session.set_field(rid, "focus", "Reading for pleasure")
    assert window.detail.workspace is workspace
    assert window.session.store.get(rid)["focus"] == "Reading for pleasure"


def test_todays_visit_opens_at_a_new_note(db_path: Path, open_window: Any, qtbot: Any) -> None:
    rid = _review_today(db_path)
    window = open_window(db_path)
    window.actions["todays_visit"].trigger()
    qtbot.waitUntil(lambda: window.detail.workspace is not None, timeout=3000)
    assert window.detail.record.id == rid
    workspace = window.detail.workspace
    assert (
        workspace.tabs.tabText(workspace.tabs.currentIndex())
        .replace("&", "")
        .startswith("Evidence")
    )


def test_plan_a_review_from_the_selected_school(
    db_path: Path, open_window: Any, qtbot: Any, monkeypatch: Any
) -> None:
    from ui.review.new_review import NewReviewDialog

    window = open_window(db_path)
    school = window.session.store.list("school")[0].id
    window.select_record(school)
    made: list[str] = []

    def plan(session: Any, school_id: str, parent: Any) -> str:
        fw = rv.Framework.from_form(session.forms.get("review-enquiry"))
        rid = rv.plan_review(session.store, fw, school=school_id, start_date=dt.date(2026, 6, 1))
        made.append(rid)
        return rid

    monkeypatch.setattr(NewReviewDialog, "plan", staticmethod(plan))
    window.actions["plan_review"].trigger()
    assert made and window.detail.record.id == made[0]


def test_start_screen_offers_todays_visit(db_path: Path, open_window: Any, qtbot: Any) -> None:
    from PySide6.QtWidgets import QPushButton

    rid = _review_today(db_path)
    window = open_window(db_path)
    window.select_index(window.model.index(0, 0))  # the partnership: the start page
    qtbot.waitUntil(
        lambda: window.detail.findChild(QPushButton, "todaysVisit") is not None, timeout=3000
    )
    button = window.detail.findChild(QPushButton, "todaysVisit")
    assert "Today: review of Coundon Court, day 1 of 1" in button.text()
    button.click()
    qtbot.waitUntil(lambda: window.detail.workspace is not None, timeout=3000)
    assert window.detail.record.id == rid


def test_todays_visits_reads_only_visits_that_include_today(tmp_path: Path) -> None:
    from peerreview.review.reviews import todays_visits

    store = Store.init(tmp_path / "p.db", device_name="Test laptop", partnership_name="P")
    school = store.create("school", {"name": "Coundon Court"})
    for title, start, end in (
        ("past", "2026-03-02", "2026-03-03"),
        ("today, two days", "2026-12-01", "2026-12-02"),
        ("today, one day", "2026-12-02", None),
        ("later", "2026-12-03", "2026-12-04"),
    ):
        store.create(
            "review", {"title": title, "school": school, "start_date": start, "end_date": end}
        )
    found = [(r["title"], n, of) for r, n, of in todays_visits(store, dt.date(2026, 12, 2))]
    assert found == [("today, two days", 2, 2), ("today, one day", 1, 1)]
    assert todays_visits(store, dt.date(2026, 12, 5)) == []
    store.close()
