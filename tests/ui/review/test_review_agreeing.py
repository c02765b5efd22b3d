"""Agreeing is deliberate: Agree says what is missing and asks once; the header, the navigator and
printing all say "Changed after agreement"; a review is in progress once its visit starts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QMessageBox
from test_review_fixtures import NOW, plan

from peerreview.review import reviews as rv
from ui.review.judgements_tab import AreaPanel

pytest_plugins = ("test_review_fixtures",)


def _agree_first_area(ws: Any, ebi: str) -> None:
    ws.show_tab("judgements")
    ws.judgements.areas.setCurrentRow(0)
    panel = ws.judgements.panel
    assert isinstance(panel, AreaPanel)
    panel.agreed_picker._choose("effective")
    panel.agreed_fields["ebi"].setPlainText(ebi)
    panel.flush()


def test_agree_lists_what_is_missing_and_asks_once(
    open_workspace: Any, session: Any, dialogs: Any
) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    report = ws.report
    dialogs.answer = QMessageBox.StandardButton.No
    assert not report.agree()
    (question,) = dialogs.texts("question")
    assert "3 areas have no agreed judgement" in question
    assert "No area has an even better if" in question
    assert "The host school has not commented." in question
    assert session.store.get(rid)["status"] == "planned"
    assert "Not agreed" in report.agree_message.text()
    dialogs.answer = QMessageBox.StandardButton.Yes
    assert report.agree()
    assert len(dialogs.texts("question")) == 2  # asked once for each press, no more
    assert session.store.get(rid)["status"] == "agreed"


def test_nothing_missing_agrees_without_a_question(
    open_workspace: Any, session: Any, dialogs: Any
) -> None:
    rid = plan(session)
    fw = rv.framework_of(session.forms, session.store.get(rid))
    for area in fw.areas:
        rv.set_view(
            session.store, rid, area.id, rv.Stage.AGREED, judgement="effective", ebi="Next step"
        )
    session.store.update(rid, {"host_comments": "We recognise the findings."})
    session.reset()
    ws = open_workspace(rid)
    assert ws.report.agree()
    assert dialogs.texts("question") == []


def test_changed_after_agreement_in_the_header_navigator_and_printing(
    open_window: Any, session: Any, dialogs: Any, qtbot: Any, tmp_path: Any
) -> None:
    from ui.review.workspace import ReviewWorkspace

    rid = plan(session)
    store = session.store
    fw = rv.framework_of(session.forms, store.get(rid))
    rv.set_view(store, rid, fw.areas[0].id, rv.Stage.AGREED, judgement="effective", ebi="A")
    from peerreview.review.report import agree

    agree(store, session.forms, rid, agreed_by="Olu Adeyemi", on=dt.date(2026, 3, 20))
    path = store.path
    store.close()
    window = open_window(path)
    assert window.select_record(rid)
    ws = window.current_view()
    assert isinstance(ws, ReviewWorkspace)
    assert ws.status_badge.text() == "Report agreed"
    row = window.model.index_for_record(rid)
    assert "changed" not in row.data()

    _agree_first_area(ws, "Develop middle leaders")  # an edit after agreement
    qtbot.waitUntil(lambda: ws.status_badge.text() == "Changed after agreement", timeout=3000)
    assert row.data().endswith("(changed after agreement)")  # the navigator says so too
    assert ws.title.text() and window.detail.head.isHidden()  # one heading: the workspace's

    dialogs.answer = QMessageBox.StandardButton.No
    assert ws.report.print_report() is None  # not printed: asked first
    assert "Every page of it will say" in dialogs.texts("question")[-1]
    assert ws.report.save_pdf() is None


def test_a_review_is_in_progress_once_its_visit_starts(open_workspace: Any, session: Any) -> None:
    rid = plan(session)  # planned, the visit on 3 and 4 March 2026
    ws = open_workspace(rid, now=NOW - dt.timedelta(days=10))
    assert ws.status_badge.text() == "Planned"
    ws.close()
    ws = open_workspace(rid, now=NOW)  # its first day: in progress, nothing written
    assert ws.status_badge.text() == "In progress"
    assert session.store.get(rid)["status"] == "planned"
    ws.show_tab("evidence")
    ws.capture.start_new_note()
    ws.capture.note.setPlainText("Pupils read aloud in pairs.")
    ws.capture.flush()
    assert session.store.get(rid)["status"] == rv.Status.VISIT.value  # the first note moves it
