"""The Report tab: where the report is (draft, with the host, agreed), the host's comments,
agreement and the report itself: preview, save as PDF or Word, print.

Writing the report runs in the window's one worker (``JobRunner``) with progress and Cancel; the
report model is built here first (reading the store is quick), so the worker only lays it out.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.reports.model import Report
from peerreview.review import report as rr
from peerreview.review import reviews as rv
from peerreview.review.report import build_review_report, visit_dates
from ui.review.context import ReviewContext
from ui.review.report_output import ReportPreview, page_images, pdftoppm, print_pages, print_text
from ui.review.widgets import banner, card, label, status_combo
from ui.shell.binding import Binding, ComboBinding, TextBinding
from ui.shell.dates import DateEdit
from ui.shell.fields import GrowingTextEdit
from ui.shell.flip import Flip
from ui.shell.formatting import prose_date
from ui.shell.saving import FORMATS, SavedReport, ask_where, safe_file_name
from ui.shell.worker import Job, JobRunner


class ReportTab(QWidget):
    """Status, agreement and the report's outputs."""

    def __init__(self, ctx: ReviewContext, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.jobs = ctx, jobs
        self.bindings: list[Binding[Any]] = []
        self.preview_window: ReportPreview | None = None
        self._printer: QPrinter | None = None
        self._temp = Path(tempfile.mkdtemp(prefix="peerreview-report-"))
        weakref.finalize(self, shutil.rmtree, self._temp, True)  # previews are not kept
        self._check = QTimer(self, singleShot=True, interval=250)
        self._check.timeout.connect(self.refresh)

        self.flip, left, right = Flip.columns(self, 860, (3, 2))

        self.warning, self.warning_text = banner("", "warning")
        self.warning.setAccessibleName("Changed after agreement")
        left.addWidget(self.warning)

        frame, box = card("Where the report is")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.status = status_combo()
        self.status.setToolTip("Draft, then with the host school for comments; agree it below")
        self.bindings.append(
            ComboBinding(ctx.session, self.status, "status", record=ctx.review_id, label="status")
        )
        status_label = QLabel("Stat&us")
        status_label.setBuddy(self.status)
        form.addRow(status_label, self.status)
        box.addLayout(form)
        self.agreed_state = label("", "big")
        self.agreed_state.setAccessibleName("Agreement")
        box.addWidget(self.agreed_state)
        agree_row = QHBoxLayout()
        self.agreed_by = QLineEdit()
        self.agreed_by.setAccessibleName("Who agreed the report")
        self.agreed_by.setPlaceholderText("Who agreed it, e.g. the headteacher")
        self.agreed_on = DateEdit()
        self.agreed_on.setDisplayFormat("dd/MM/yyyy")
        self.agreed_on.setCalendarPopup(True)
        self.agreed_on.setAccessibleName("Date agreed")
        today = ctx.today()
        self.agreed_on.setDate(QDate(today.year, today.month, today.day))
        self.agree_button = QPushButton("Agree report")
        self.agree_button.setAccessibleName("Agree report")
        self.agree_button.setToolTip(
            "Record who agreed the report, when, and exactly what it said "
            "(a later edit shows as changed after agreement)"
        )
        self.agree_button.clicked.connect(lambda: self.agree())
        by_label = QLabel("A&greed by")
        by_label.setBuddy(self.agreed_by)
        agree_row.addWidget(by_label)
        agree_row.addWidget(self.agreed_by, 1)
        agree_row.addWidget(QLabel("on"))
        agree_row.addWidget(self.agreed_on)
        agree_row.addWidget(self.agree_button)
        box.addLayout(agree_row)
        self.agree_message = label("", "muted")
        box.addWidget(self.agree_message)
        left.addWidget(frame)

        frame, box = card("The host school's comments")
        box.addWidget(label("The school's response to the report, printed in it.", "muted"))
        self.comments = GrowingTextEdit(4, 16)
        self.comments.setAccessibleName("The host school's comments")
        self.comments.setPlaceholderText(
            "e.g. We recognise the findings and will use the EBIs in our improvement plan."
        )
        self.bindings.append(
            TextBinding(
                ctx.session,
                self.comments,
                "host_comments",
                record=ctx.review_id,
                label="host school's comments",
            )
        )
        box.addWidget(self.comments)
        left.addWidget(frame)

        left.addStretch(1)

        frame, box = card("The report")
        self.summary = label("", "muted")
        box.addWidget(self.summary)
        self.include_evidence = QCheckBox("Include the evidence log as an appendix")
        self.include_evidence.setChecked(True)
        self.include_evidence.setToolTip("Every evidence note, in time order, after the sign-off")
        box.addWidget(self.include_evidence)
        buttons = (
            ("Preview", "Show the pages as they will print", self.preview),
            ("Save as PDF…", "Save the report as a PDF to send or keep", self.save_pdf),
            ("Save as Word…", "Save a Word document the lead reviewer can polish", self.save_word),
            ("Print…", "Print the report", lambda: self.print_report()),
        )
        self.buttons: dict[str, QPushButton] = {}
        for text, tip, slot in buttons:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.setAccessibleName(text.rstrip("…"))
            b.setMinimumHeight(34)
            b.setProperty("opensWindow", text == "Preview")  # a window of its own
            b.clicked.connect(lambda _c=False, s=slot: s())
            box.addWidget(b)
            self.buttons[text] = b
        self.saved = SavedReport(jobs)
        self.output_message, self.open_button = self.saved.message, self.saved.open_button
        box.addWidget(self.output_message)
        box.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(frame)

        frame, box = card("Before agreeing")
        self.checklist = label("")
        self.checklist.setTextFormat(Qt.TextFormat.RichText)
        self.checklist.setAccessibleName("Before agreeing")
        box.addWidget(self.checklist)
        right.addWidget(frame)
        right.addStretch(1)

        ctx.record_changed.connect(self._record_changed)
        ctx.session.busy_changed.connect(self._busy)
        self.refresh()

    # ------------------------------------------------------------------ state

    def refresh(self) -> None:
        review = self.ctx.review()
        status = rv.Status(review.get("status", rv.Status.PLANNED.value))
        hidden = self.ctx.privacy.enabled
        who = "" if hidden else review.get("agreed_by", "")
        if status is rv.Status.AGREED or review.get("agreed_hash"):
            when = prose_date(review.get("agreed_on"))
            self.agreed_state.setText(
                f"Agreed{' by ' + who if who else ''}{' on ' + when if when else ''}."
            )
            self.agree_button.setText("Agree again")
        else:
            self.agreed_state.setText("Not yet agreed with the host school.")
            self.agree_button.setText("Agree report")
        if not self.agreed_by.text() and not hidden:
            self.agreed_by.setText(self._suggest_agreed_by())
        changed = rr.changed_after_agreement(
            self.ctx.store, self.ctx.session.forms, self.ctx.review_id
        )
        if changed:
            when = prose_date(review.get("agreed_on"))
            self.warning_text.setText(
                f"⚠ Changed after agreement: this report has been edited since it was agreed"
                f"{' on ' + when if when else ''}. Agree it again before sharing it."
            )
        self.warning.setVisible(changed)
        fw = self.ctx.framework()
        sharing = rv.Sharing(review.get("sharing", rv.Sharing.HOST.value))
        self.summary.setText(
            f"{fw.title}, {visit_dates(review)}. Cover, context and focus, each area's "
            f"self-evaluation, evidence and agreed outcome, areas of excellence and sign-off. "
            f"Every page says: {sharing.label.lower()}."
        )

        self.checklist.setText(self._checklist())

    def readiness(self) -> list[tuple[bool, str]]:
        """What a strong review has before it is agreed: (done, sentence)."""
        return [
            (c.done, c.text)
            for c in rr.readiness(self.ctx.store, self.ctx.session.forms, self.ctx.review_id)
        ]

    def _checklist(self) -> str:
        rows = []
        for done, text in self.readiness():
            mark = (
                "<span style='color:#2e7d32'>✓</span>"
                if done
                else "<span style='color:#b9770e'>●</span>"
            )
            rows.append(
                f"<tr><td style='padding:2px 8px 2px 0'>{mark}</td>"
                f"<td style='padding:2px 0'>{html.escape(text)}</td></tr>"
            )
        return "<table>" + "".join(rows) + "</table>"

    def _record_changed(self, _record_id: str, _kind: str) -> None:
        self._check.start()

    def _suggest_agreed_by(self) -> str:
        school = self.ctx.review().get("school")
        if school and self.ctx.store.exists(school):
            head = self.ctx.store.get(school).get("headteacher_name", "")
            if head:
                return str(head)
        host = next((m for m in self.ctx.team() if m.get("role") == "Host link leader"), None)
        return str(host.get("name", "")) if host is not None else ""

    def _busy(self, busy: bool) -> None:
        for b in self.buttons.values():
            b.setEnabled(not busy)
        self.agree_button.setEnabled(not busy)

    def changed_after_agreement_shown(self) -> bool:
        return not self.warning.isHidden()

    # ------------------------------------------------------------------ agreement

    def agree(self, who: str | None = None, on: dt.date | None = None) -> bool:
        """Record that the report is agreed, by whom and when (undoable)."""
        for b in self.bindings:
            b.save()
        self.ctx.session.flush()
        who = self.agreed_by.text() if who is None else who
        if on is None:
            q = self.agreed_on.date()
            on = dt.date(q.year(), q.month(), q.day())
        if not who.strip():
            self.agree_message.setText(
                "Say who agreed the report (for example the headteacher "
                "of the host school), then press Agree report."
            )
            self.agreed_by.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        if not self._agree_anyway():
            self.agree_message.setText("Not agreed: nothing was changed.")
            return False
        ok = self.ctx.write_with(
            lambda: rr.agree(
                self.ctx.store, self.ctx.session.forms, self.ctx.review_id, agreed_by=who, on=on
            ),
            ("status", "agreed_by", "agreed_on", "agreed_hash"),
            "agree the report",
        )
        self.agree_message.setText("Agreed. A PDF for the school can now be saved." if ok else "")
        self.refresh()
        return ok

    def _agree_anyway(self) -> bool:
        """When something is missing, say what, once, and ask: agreeing is deliberate."""
        checks = rr.readiness(self.ctx.store, self.ctx.session.forms, self.ctx.review_id)
        missing = [c.missing for c in checks if not c.done and c.missing]
        if not missing:
            return True
        listed = "\n".join(f"• {m}" for m in missing)
        answer = QMessageBox.question(
            self,
            "Agree the report?",
            f"Before agreeing, this report still lacks:\n\n{listed}\n\nAgree it as it is? The "
            "report will say who agreed it and when, and any later change shows as changed "
            "after agreement.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ outputs

    def build(self) -> Report:
        """The report model as it stands (pending typing saved first)."""
        self.ctx.session.flush()
        return build_review_report(
            self.ctx.store,
            self.ctx.session.forms,
            self.ctx.review_id,
            include_evidence=self.include_evidence.isChecked(),
            today=self.ctx.today(),
        )

    def default_name(self, fmt: str) -> str:
        review = self.ctx.review()
        return (
            safe_file_name(
                f"Peer review - {self.ctx.school_name()} - {visit_dates(review)}",
                "Peer review report",
            )
            + f".{fmt}"
        )

    def save_pdf(self) -> Job | None:
        return self.save("pdf")

    def save_word(self) -> Job | None:
        return self.save("docx")

    def _changed_ok(self, doing: str) -> bool:
        """A report changed after it was agreed is printed or saved only on purpose (every page
        of it then says so)."""
        store, forms = self.ctx.store, self.ctx.session.forms
        if not rr.changed_after_agreement(store, forms, self.ctx.review_id):
            return True
        when = prose_date(self.ctx.review().get("agreed_on"))
        answer = QMessageBox.question(
            self,
            "Changed after agreement",
            f"This report has been edited since it was agreed{' on ' + when if when else ''}. "
            f'Every page of it will say "Changed after agreement".\n\n{doing} it anyway? '
            "To share it as agreed, agree it again first (Agree again, above).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def save(self, fmt: str) -> Job | None:
        """Ask where, then write the report in the worker; returns the job (None if not started)."""
        word = FORMATS[fmt][0]
        if not self._changed_ok(f"Save it as {word}"):
            return None
        path = ask_where(self, f"Save the report as {word}", self.default_name(fmt), fmt)
        if path is None:
            return None
        try:
            report = self.build()
        except PeerReviewError as exc:
            self.output_message.setText(exc.message)
            return None
        return self.saved.write(f"Writing the report as {word}…", report, fmt, path)

    @property
    def last_saved(self) -> Path | None:
        return self.saved.last_saved

    def preview(self) -> Job | None:
        """The pages as pictures in a preview window (or the PDF in the laptop's viewer)."""
        report = self.build()
        folder = self._temp / "preview"
        return self.jobs.start(
            "Preparing the preview…",
            page_images,
            report,
            folder,
            on_done=self._show_preview,
            changes_records=False,
        )

    def _show_preview(self, result: tuple[Path, list[Path]]) -> None:
        pdf, pages = result
        if not pages:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf)))
            self.output_message.setText("Opened the report in your PDF viewer.")
            return
        if self.preview_window is not None:
            self.preview_window.close()
            self.preview_window.deleteLater()
        self.preview_window = ReportPreview(pdf, pages, self.default_name("pdf")[:-4], self)
        self.preview_window.show()

    def print_report(self, printer: QPrinter | None = None) -> Job | None:
        """Choose a printer (unless given one) and print the report's pages."""
        if not self._changed_ok("Print"):
            return None
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(self.default_name("pdf")[:-4])
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle("Print the report")
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
        report = self.build()
        if pdftoppm() is None:
            print_text(printer, report)
            self.output_message.setText("Sent to the printer.")
            return None
        self._printer = printer
        dpi = max(100, min(printer.resolution(), 200))
        return self.jobs.start(
            "Preparing the pages to print…",
            page_images,
            report,
            self._temp / "print",
            dpi=dpi,
            on_done=self._print_pages,
            changes_records=False,
        )

    def _print_pages(self, result: tuple[Path, list[Path]]) -> None:
        printer, self._printer = self._printer, None
        if printer is None:
            return
        try:
            n = print_pages(printer, result[1])
        except PeerReviewError as exc:
            self.output_message.setText(exc.message)
            return
        self.output_message.setText(f"Sent {n} page{'s' if n != 1 else ''} to the printer.")
