"""One review from start to finish in the GUI: plan it, capture evidence, agree, save the PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from test_review_fixtures import focused, host_school

from peerreview.review import reviews as rv
from ui.review.judgements_tab import AreaPanel
from ui.review.new_review import NewReviewDialog

pytest_plugins = ("test_review_fixtures",)  # the review fixtures

NOTES = (
    "Year 4 pupils explained fractions to a partner & used the stems < on the board.",
    "Books show feedback acted on within a day; the reading corner is well used.",
)


def test_plan_capture_agree_and_save_the_pdf(
    qtbot: Any,
    session: Any,
    open_workspace: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # Plan: the dialog, as the lead reviewer fills it in.
    dialog = NewReviewDialog(session, host_school(session.store), today=dt.date(2026, 2, 1))
    qtbot.addWidget(dialog)
    dialog.framework_buttons["review-estimates"].click()
    dialog.start.setDate(QDate(2026, 3, 3))
    dialog.end.setDate(QDate(2026, 3, 4))
    QTest.keyClicks(dialog.focus, "Reading across the curriculum")
    dialog.plan_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    rid = dialog.review_id
    assert rid is not None

    # Evidence: two notes with the keyboard alone, at 10:40 on the first day.
    ws = open_workspace(rid)
    ws.show_tab("evidence")
    capture = ws.capture
    ws.tabs.tabBar().setFocus()
    for activity_key, text in ((Qt.Key.Key_2, NOTES[0]), (Qt.Key.Key_3, NOTES[1])):
        QTest.keyClick(focused(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        assert focused() is capture.activity
        QTest.keyClick(focused(), activity_key)  # a number chooses the activity and moves on
        QTest.keyClicks(focused(), "4")
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        QTest.keyClicks(focused(), "Maths")
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        QTest.keyClick(focused(), Qt.Key.Key_Tab)  # who was present: filled in already
        assert focused() is capture.note
        QTest.keyClicks(focused(), text)
        QTest.keyClick(focused(), Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # area 1
        QTest.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    notes = rv.evidence(session.store, rid)
    assert [n["note"] for n in notes] == list(NOTES)
    first_area = ws.ctx.areas()[0]
    assert all(n["areas"] == [first_area.id] for n in notes)

    # Judgements: the agreed outcome of the first area, typed with the keyboard.
    ws.show_tab("judgements")
    ws.judgements.areas.setCurrentRow(0)
    panel = ws.judgements.panel
    assert isinstance(panel, AreaPanel) and panel.area.id == first_area.id
    panel.agreed_picker.setFocus()
    QTest.keyClick(panel.agreed_picker, Qt.Key.Key_2)  # the second level: Effective
    for field, text in (
        ("rationale", "Leaders at every level share one vision for reading"),
        ("ebi", "Develop middle leaders' checks on pupils' books"),
    ):
        panel.agreed_fields[field].setFocus()
        QTest.keyClicks(panel.agreed_fields[field], text)
    panel.agreed_picker.setFocus()  # leaving the field saves it
    agreed = rv.get_view(session.store, rid, first_area.id, rv.Stage.AGREED)
    assert agreed is not None and agreed["judgement"] == "effective"

    # Report: save as PDF, then read it back.
    ws.show_tab("report")
    target = tmp_path / "review.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_args: (str(target), "PDF (*.pdf)"))
    )
    with qtbot.waitSignal(ws.jobs.ended, timeout=20_000):
        assert ws.report.save_pdf() is not None
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    for note in NOTES:
        assert note in text
    assert "Agreed: Effective" in text
    assert "Leaders at every level share one vision for reading" in text
    assert "Develop middle leaders' checks on pupils' books" in text
    assert "Coundon Court" in text and "Tuesday 3 March 2026" in text
