"""After a long job the window catches up in parts small enough not to stall it: the
partnership's page is completed where it stands (start widgets, then its editor), and the due
actions are read on a worker thread."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest

from peerreview.plans import plans as pl
from peerreview.sync.store import Store


def _nothing(*, progress: Any, cancelled: Any) -> int:
    return 1


def test_the_partnership_page_is_completed_in_parts_after_a_job(
    open_window: Any, db_path: Path, qtbot: Any
) -> None:
    from ui.plans.due import DueActions

    window = open_window(db_path)
    detail = window.detail
    qtbot.waitUntil(lambda: detail.editor is not None, timeout=10_000)  # after the first paint
    qtbot.waitUntil(lambda: not window.session.steps.pending(), timeout=10_000)
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.jobs.start("Working…", _nothing)
    steps = window.session.steps
    states = []
    while steps.pending():
        steps.step()
        page = detail._content
        due = page.findChildren(DueActions) if page is not None else []
        states.append((page, len(due), detail.editor is not None))
    # Shown light first (no start widgets, no editor), then its start widgets on the same page,
    # then its editor on that page still.
    light = max(i for i, (_p, due, editor) in enumerate(states) if not due and not editor)
    widgets = next(
        i for i, (_p, due, editor) in enumerate(states) if i > light and due and not editor
    )
    full = next(i for i, (_p, due, editor) in enumerate(states) if i > widgets and due and editor)
    assert states[light][0] is states[widgets][0]
    assert states[widgets][0] is states[full][0]
    assert detail.record is not None and detail.record.id == window.session.store.partnership_id
    assert detail.editor is not None and detail.editor.isVisibleTo(window)
    assert len(detail._content.findChildren(DueActions)) == 1


def test_the_page_shows_something_else_chosen_while_it_was_being_completed(
    open_window: Any, db_path: Path, qtbot: Any
) -> None:
    window = open_window(db_path)
    qtbot.waitUntil(lambda: window.detail.editor is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not window.session.steps.pending(), timeout=10_000)
    school = window.session.store.list("school")[0].id
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.jobs.start("Working…", _nothing)
    window.session.steps.step()  # the light page
    window.session.steps.step()  # the forms
    window.session.steps.step()  # the start widgets
    assert window.select_record(school)
    window.session.steps.run_all()
    assert window.detail.record is not None and window.detail.record.id == school
    assert window.detail.editor is not None
    assert window.detail.editor.record.id == school


def test_the_due_actions_of_a_big_partnership_are_read_off_the_windows_thread(
    open_window: Any, db_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.plans.due as due_ui

    with Store.open(db_path) as store:
        school = store.list("school")[0].id
        plan = pl.create_plan(store, school, school_year=pl.SchoolYear(2025))
        priority = pl.add_priority(store, plan, "Reading for pleasure")
        pl.add_action(
            store,
            priority,
            "Book club for Year 7",
            owner_role="English lead",
            due=dt.date.today() - dt.timedelta(days=3),
        )
    threads: list[int] = []
    read = due_ui.due_and_overdue

    def watched(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return read(*args, **kwargs)

    monkeypatch.setattr(due_ui, "due_and_overdue", watched)
    monkeypatch.setattr(due_ui, "READ_HERE_UP_TO", 0)  # as with a regional partnership's
    window = open_window(db_path)
    qtbot.waitUntil(lambda: window.detail.editor is not None, timeout=10_000)
    (due,) = window.detail._content.findChildren(due_ui.DueActions)
    qtbot.waitUntil(lambda: due.overdue.count() == 1 and bool(threads), timeout=10_000)
    assert threading.get_ident() not in threads
    assert due.overdue_title.text() == "OVERDUE (1)"
    assert due.overdue.item(0).text().startswith("Coundon Court · Book club for Year 7 · ")
    assert "3 days late" in due.overdue.item(0).text()
    assert due.soon.item(0).text() == "Nothing due"
