"""Pages with content: the Schools page lists the schools with their last and next review and
their open actions; a
school's reviews page lists its reviews with dates, framework and status and offers to plan one;
long area names are shown whole (wrapped, or on hover)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QToolButton


def _buttons(window: Any) -> list[str]:
    QApplication.processEvents()
    return [b.text() for b in window.detail.findChildren(QToolButton) if b.isVisible()]


def test_the_schools_page_lists_each_school_with_its_reviews(
    open_window: Any, demo_copy: Path
) -> None:
    window = open_window(demo_copy)
    window.select_index(window.model.index_of(window.model.folder("school")))
    table = window.detail.record_list
    assert table is not None and table.isVisible()
    headers = table.list_model.headers
    assert headers == ["School", "Phase", "Town", "Last review", "Next review", "Open actions"]
    rows = table.rows()
    store = window.session.store
    assert len(rows) == store.count("school")
    assert all(row[3] for row in rows)  # a date, or "None yet"
    assert any(row[4] != "Not planned" for row in rows)
    # Open actions: those of the school's plans not yet complete or stopped.
    from peerreview.plans.plans import ActionStatus

    names = [str(s.get("name")) for s in store.list("school")]
    open_counts = {
        str(s.get("name")): sum(
            1
            for a in store.list("action", where={"school": s.id})
            if ActionStatus.of(a.get("status")).open
        )
        for s in store.list("school")
    }
    assert any(open_counts.values())
    shown = {row[0]: row[5] for row in rows}
    assert set(shown) == set(names)
    assert all(shown[name] == str(count) for name, count in open_counts.items())
    # Enter (or a double-click) on a row opens that school
    index = table.model().index(0, 0)
    table.activated.emit(index)
    assert window.detail.record is not None and window.detail.record.kind == "school"


def test_a_schools_reviews_page_lists_them_and_offers_to_plan_one(
    open_window: Any, demo_copy: Path
) -> None:
    window = open_window(demo_copy)
    store = window.session.store
    school = next(
        s for s in store.list("school") if len(store.list("review", where={"school": s.id})) >= 2
    )
    folder = window.model.child_folder_index(school.id, "review")
    window.select_index(folder)
    table = window.detail.record_list
    assert table is not None
    assert table.list_model.headers == ["Peer review", "Dates", "Framework", "Status"]
    rows = table.rows()
    assert len(rows) == len(store.list("review", where={"school": school.id}))
    assert all(r[1] and r[2] and r[3] for r in rows)
    assert "Plan a peer review" in _buttons(window)
    assert window.detail.title.text() == f"Reviews at {school['name']}"


def test_long_area_names_are_whole(open_window: Any, demo_copy: Path) -> None:
    from ui.review.workspace import ReviewWorkspace

    window = open_window(demo_copy)
    store = window.session.store
    review = next(r for r in store.list("review") if r.get("framework_id") == "review-ofsted")
    window.select_record(review.id)
    ws = window.current_view()
    assert isinstance(ws, ReviewWorkspace)
    ws.show_tab("judgements")
    areas = ws.judgements.areas
    assert areas.wordWrap()
    long = max((areas.item(i) for i in range(areas.count())), key=lambda it: len(it.text()))
    assert long.toolTip() in long.text()  # the whole name, wrapped in the list and on hover
    ws.show_tab("evidence")
    for chip in ws.capture.chips.chips + list(ws.capture.coverage.pills.values()):
        assert chip.title in chip.toolTip()  # cut short on the chip, whole on hover
