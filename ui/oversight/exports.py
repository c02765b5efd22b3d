"""Saving reports and CSVs from the window: a file dialog, then the core writes (reports as a job
with a progress dialog)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from peerreview.sync.registry import ReportRequest
from ui.shell.registry import Shell


def save_report(
    shell: Shell,
    kind: str,
    *,
    record_id: str | None = None,
    school: str | None = None,
    year: str | None = None,
    name: str = "report.pdf",
) -> None:
    """Ask where to save a report (PDF or Word, by the name's ending) and write it as a job."""
    path, _ = QFileDialog.getSaveFileName(
        shell.dialog_parent(), "Save the report", name, "PDF (*.pdf);;Word (*.docx)"
    )
    if not path:
        return
    target = Path(path)
    fmt = "docx" if target.suffix.lower() == ".docx" else "pdf"
    if target.suffix.lower() not in (".pdf", ".docx"):
        target = target.with_suffix(".pdf")
    from peerreview.reporting import write_report

    request = ReportRequest(record_id=record_id, school=school, year=year, today=dt.date.today())
    shell.jobs.start(
        "Writing the report…",
        write_report,
        shell.session.store,
        kind,
        record_id,
        fmt,
        target,
        request=request,
        changes_records=False,
        on_done=lambda written: shell.show_message(f"Wrote {written}."),
    )
