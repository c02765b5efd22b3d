"""The Report tab: agreement, changed after agreement, PDF and Word read back, print and preview."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from test_review_fixtures import HOSTILE, plan

from peerreview.review import reviews as rv
from ui.review.judgements_tab import AreaPanel

pytest_plugins = ("test_review_fixtures",)  # the review fixtures


def _agree_an_area(ws: Any, text: str) -> None:
    """Type the agreed outcome of the first area through the Judgements tab."""
    ws.show_tab("judgements")
    ws.judgements.areas.setCurrentRow(0)
    panel = ws.judgements.panel
    assert isinstance(panel, AreaPanel)
    panel.agreed_picker._choose("effective")
    panel.agreed_fields["ebi"].setPlainText(text)
    panel.flush()


def test_agree_then_edit_shows_changed_after_agreement(
    open_workspace: Any, session: Any, qtbot: Any
) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    _agree_an_area(ws, "Develop middle leaders")
    ws.show_tab("report")
    report = ws.report
    assert report.agreed_state.text() == "Not yet agreed with the host school."
    assert report.agreed_by.text() == "Olu Adeyemi"  # the host's headteacher, suggested
    checks = dict((t, done) for done, t in report.readiness())
    assert checks["The lead reviewer is named."]
    report.status.setCurrentIndex(report.status.findData(rv.Status.HOST_COMMENTS.value))
    assert session.store.get(rid)["status"] == "host_comments"
    assert ws.status_badge.text() == "With the host school for comments"
    report.comments.setFocus()
    QTest.keyClicks(report.comments, "We recognise the findings.")
    report.agreed_by.setFocus()
    report.agreed_by.selectAll()
    QTest.keyClicks(report.agreed_by, "Mrs Olu Adeyemi, headteacher")
    report.agreed_on.setDate(QDate(2026, 3, 20))
    report.agree_button.click()
    review = session.store.get(rid)
    assert review["status"] == "agreed" and review["agreed_on"] == "2026-03-20"
    assert review["agreed_by"] == "Mrs Olu Adeyemi, headteacher"
    assert review["host_comments"] == "We recognise the findings."
    assert report.agreed_state.text() == "Agreed by Mrs Olu Adeyemi, headteacher on 20 March 2026."
    assert ws.status_badge.text() == "Report agreed"
    assert not report.changed_after_agreement_shown()

    _agree_an_area(ws, "Develop middle leaders and governors")  # an edit after agreement
    ws.show_tab("report")
    qtbot.waitUntil(report.changed_after_agreement_shown, timeout=2000)
    assert "Changed after agreement" in report.warning_text.text()
    assert "20 March 2026" in report.warning_text.text()
    session.undo_stack.undo()  # the edit undone: the report is as agreed again
    qtbot.waitUntil(lambda: not report.changed_after_agreement_shown(), timeout=2000)
    session.undo_stack.undo()  # and the agreement itself can be undone
    assert session.store.get(rid)["status"] == "host_comments"


def test_agreeing_needs_a_name(open_workspace: Any, session: Any) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    ws.report.agreed_by.clear()
    assert not ws.report.agree()
    assert "Say who agreed the report" in ws.report.agree_message.text()
    assert session.store.get(rid)["status"] == "planned"


def _save(ws: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, target: Path, fmt: str) -> Path:
    asked: list[str] = []

    def answer(_parent: Any, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    with qtbot.waitSignal(ws.jobs.ended, timeout=20_000):
        job = ws.report.save_pdf() if fmt == "pdf" else ws.report.save_word()
        assert job is not None
    assert asked and asked[0].endswith(f"Peer review - Coundon Court - 3 and 4 March 2026.{fmt}")
    return target


def test_save_as_pdf_and_word_read_back(
    open_workspace: Any, session: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rid = plan(session)
    rv.add_evidence(
        session.store,
        rid,
        activity="Lesson visit",
        note=f"Evidence: {HOSTILE}",
        time=dt.datetime(2026, 3, 3, 10, 40),
    )
    ws = open_workspace(rid)
    _agree_an_area(ws, f"Even better: {HOSTILE}")
    ws.show_tab("report")
    pdf = _save(ws, qtbot, monkeypatch, tmp_path / "report", "pdf")  # the suffix is added
    pdf = pdf.with_suffix(".pdf")
    assert pdf.is_file()
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Coundon Court" in text and "Even better:" in text
    assert '<b>Ysgol & "Zoë" Ní Bhriain</b>' in text
    assert "Host school and partnership coordinator" in text or "coordinator" in text
    assert ws.report.last_saved == pdf and not ws.report.open_button.isHidden()

    word = _save(ws, qtbot, monkeypatch, tmp_path / "report.docx", "docx")
    document = docx.Document(str(word))
    body = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert f"Even better: {HOSTILE}" in body
    assert "Evidence: " in body  # the evidence log appendix
    ws.report.include_evidence.setChecked(False)
    word2 = _save(ws, qtbot, monkeypatch, tmp_path / "short.docx", "docx")
    short = docx.Document(str(word2))
    cells = "\n".join(c.text for t in short.tables for row in t.rows for c in row.cells)
    assert "Evidence: " not in cells


def test_print_and_preview(open_workspace: Any, session: Any, qtbot: Any, tmp_path: Path) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    _agree_an_area(ws, "Develop middle leaders")
    ws.show_tab("report")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    if shutil.which("pdftoppm"):
        with qtbot.waitSignal(ws.jobs.ended, timeout=20_000):
            ws.report.print_report(printer)
    else:
        ws.report.print_report(printer)
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    assert "printer" in ws.report.output_message.text()
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is not installed: the preview opens the PDF viewer instead")
    with qtbot.waitSignal(ws.jobs.ended, timeout=20_000):
        ws.report.preview()
    preview = ws.report.preview_window
    assert preview is not None and preview.isVisible()
    assert len(preview.page_labels) >= 2 and not preview.page_labels[0].pixmap().isNull()
    preview.close()
