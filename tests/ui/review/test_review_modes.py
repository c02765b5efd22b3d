"""Keys and modes: privacy mode keeps the tab and the place; a past review opens its evidence on
its own days, not on an empty "Today"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from test_review_fixtures import NOW, VISIT_DAY, all_texts, plan

from peerreview.review import reviews as rv

pytest_plugins = ("test_review_fixtures",)


def test_privacy_mode_keeps_the_tab_the_area_and_the_selection(
    open_window: Any, session: Any
) -> None:
    from ui.review.workspace import ReviewWorkspace

    rid = plan(session)
    path = session.store.path
    session.store.close()
    window = open_window(path)
    assert window.select_record(rid)
    ws = window.current_view()
    assert isinstance(ws, ReviewWorkspace)
    ws.show_tab("judgements")
    ws.judgements.areas.setCurrentRow(2)
    area = ws.judgements.current_key()
    window.set_privacy(True)
    assert window.current_node().record_id == rid  # the navigator's selection stays
    ws = window.current_view()
    assert isinstance(ws, ReviewWorkspace)
    assert ws.current_tab() == "judgements" and ws.judgements.current_key() == area
    assert "Amira Patel" not in all_texts(ws)  # names hidden, in place
    window.set_privacy(False)
    ws = window.current_view()
    assert ws.current_tab() == "judgements" and ws.judgements.current_key() == area


def test_a_past_review_opens_its_evidence_on_its_own_days(
    open_workspace: Any, session: Any
) -> None:
    rid = plan(session)
    for day, hour in ((0, 9), (1, 11)):
        rv.add_evidence(
            session.store,
            rid,
            activity="Lesson visit",
            note=f"Day {day + 1} note",
            time=dt.datetime.combine(VISIT_DAY + dt.timedelta(days=day), dt.time(hour)),
        )
    later = NOW + dt.timedelta(days=90)
    ws = open_workspace(rid, now=later)
    capture = ws.capture
    assert capture.day.currentData() == ""  # all of its days
    assert capture.model.rowCount() == 2
    assert capture.list_title.text() == "All notes · 2"
    days = [capture.day.itemText(i) for i in range(capture.day.count())]
    assert not any(t.startswith("Today") for t in days)
    assert days[0].startswith("Day 1 of 2") and days[1].startswith("Day 2 of 2")


def test_during_the_visit_it_opens_on_today(open_workspace: Any, session: Any) -> None:
    rid = plan(session)
    ws = open_workspace(rid, now=NOW)
    assert ws.capture.day.currentData() == NOW.date().isoformat()
    assert ws.capture.list_title.text().startswith("Today's notes")
