"""The outcomes of a cycle (what the team learned, what changed for each case pupil, what others
should try, how it was shared) and its reports: the workbook and the two-page summary, as PDF or
Word, written in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.lessonstudy import cycles as cy
from peerreview.reporting import build_report
from peerreview.sync.registry import ReportRequest
from ui.lessonstudy.context import CycleContext, FormPanel, card, label, scrolling
from ui.shell.binding import Binding, PickerBinding, TextBinding
from ui.shell.fields import GrowingTextEdit
from ui.shell.pickers import RecordPicker
from ui.shell.saving import FORMATS, SavedReport, ask_where, safe_file_name, with_ending
from ui.shell.worker import JobRunner


class OutcomesTab(QWidget):
    """What the cycle led to, and its reports."""

    def __init__(self, ctx: CycleContext, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.jobs = ctx, jobs
        self.panels: list[FormPanel] = []
        self.bindings: list[Binding[Any]] = []
        body = QWidget()
        box = QVBoxLayout(body)
        box.setContentsMargins(0, 0, 12, 12)
        box.setSpacing(12)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.addWidget(scrolling(body))
        session, cycle = ctx.session, ctx.cycle()

        frame, inner = card("Reports")
        inner.addWidget(
            label(
                "The workbook holds the whole cycle, grid by grid, for the team and its schools. "
                "The summary is two pages for sharing: the focus, what was learned, what others "
                "should try. Both name case pupils by pseudonym only and grade no one.",
                "help",
            )
        )
        row = QHBoxLayout()
        self.buttons: dict[tuple[bool, str], QPushButton] = {}
        for summary, what in ((False, "Workbook"), (True, "Summary")):
            for fmt in ("pdf", "docx"):
                button = QPushButton(f"{what} as {FORMATS[fmt][0]}…")
                button.clicked.connect(lambda _c=False, s=summary, f=fmt: self.save(f, summary=s))
                self.buttons[(summary, fmt)] = button
                row.addWidget(button)
        row.addStretch(1)
        inner.addLayout(row)
        self.saved = SavedReport(jobs, open_name="Open the saved workbook or summary")
        self.output, self.open_button = self.saved.message, self.saved.open_button
        inner.addWidget(self.output)
        inner.addWidget(self.open_button)
        box.addWidget(frame)

        for section in ctx.proforma.sections("cycle", only=(cy.OUTCOMES_SECTION,)):
            frame, inner = card(section.title)
            if section.help:
                inner.addWidget(label(section.help, "help"))
            panel = FormPanel(session, cycle, ctx.form, section.fields)
            self.panels.append(panel)
            inner.addWidget(panel)
            box.addWidget(frame)

        frame, inner = card("What changed for each case pupil")
        grid = QGridLayout()
        for n, pupil in enumerate(ctx.pupils()):
            grid.addWidget(label(cy.pupil_label(pupil), "cardTitle"), n, 0)
            edit = GrowingTextEdit(2, 6)
            edit.setAccessibleName(f"What changed for {cy.pupil_label(pupil)}")
            self.bindings.append(
                TextBinding(
                    session,
                    edit,
                    "what_changed",
                    record=pupil,
                    label=f"what changed for {cy.pupil_label(pupil)}",
                    kind="case_pupil",
                )
            )
            grid.addWidget(edit, n, 1)
        inner.addLayout(grid)
        box.addWidget(frame)

        # A link to an action in the school's plan, when this app has plans to link to.
        spec = ctx.store.registry.kind("cycle").spec("plan_action")
        target = spec.ref_kind if spec is not None else None
        if target and target in ctx.store.registry.kinds:
            frame, inner = card("In the school's plan")
            picker = RecordPicker(ctx.store, session.privacy, target)
            picker.setAccessibleName("Action in the school's plan")
            self.bindings.append(
                PickerBinding(session, picker, "plan_action", record=cycle, label="plan action")
            )
            inner.addWidget(picker)
            box.addWidget(frame)
        box.addStretch(1)

    # ------------------------------------------------------------------ reports

    def default_name(self, fmt: str, *, summary: bool) -> str:
        what = "Lesson study summary" if summary else "Lesson study workbook"
        title = self.ctx.cycle().get("title", "")
        return safe_file_name(f"{what} - {title}", "Lesson study") + f".{fmt}"

    def save(self, fmt: str, *, summary: bool = False, path: Path | None = None) -> Any:
        """Ask where (unless ``path`` is given), then write the report in the background."""
        what = "summary" if summary else "workbook"
        if path is None:
            title = f"Save the {what} as {FORMATS[fmt][0]}"
            path = ask_where(self, title, self.default_name(fmt, summary=summary), fmt)
            if path is None:
                return None
        path = with_ending(path, fmt)
        self.ctx.session.flush()
        try:
            report = build_report(
                self.ctx.store,
                "cycle",
                self.ctx.cycle_id,
                library=self.ctx.session.forms,
                request=ReportRequest(record_id=self.ctx.cycle_id, summary=summary),
            )
        except PeerReviewError as exc:
            self.output.setText(exc.message)
            return None
        return self.saved.write(f"Writing the {what}…", report, fmt, path)

    def flush(self) -> None:
        for panel in self.panels:
            panel.save()
        for b in self.bindings:
            b.save()
