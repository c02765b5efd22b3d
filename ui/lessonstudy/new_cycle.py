"""Starting a lesson-study cycle at a school: a title, the proforma, the start, the subject and
year group; the cycle opens with three case pupils and research lesson 1 ready to plan."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.lessonstudy import cycles as cy
from ui.shell.session import Session


class NewCycleDialog(QDialog):
    """Asks what a new cycle cannot start without; ``cycle_id`` is set when it was made."""

    def __init__(
        self,
        session: Session,
        school: str,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.school = session, school
        self.cycle_id: str | None = None
        self.setWindowTitle("Start a lesson-study cycle")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"At {session.title_of(school)}, with the schools you add later."))
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setPlaceholderText("For example: Reasoning about fractions, Year 5")
        self.proforma = QComboBox()
        for f in cy.proformas(session.forms):
            self.proforma.addItem(f.title, f.id)
        self.start = QDateEdit()
        self.start.setDisplayFormat("dd/MM/yyyy")
        self.start.setCalendarPopup(True)
        day = today or dt.date.today()
        self.start.setDate(QDate(day.year, day.month, day.day))
        self.subject = QLineEdit()
        self.year_group = QLineEdit()
        self.year_group.setPlaceholderText("Year 5")
        self.pupils = QSpinBox()
        self.pupils.setRange(cy.MIN_PUPILS, cy.MAX_PUPILS)
        self.pupils.setValue(3)
        form.addRow("&Title", self.title)
        form.addRow("&Proforma", self.proforma)
        form.addRow("&Start", self.start)
        form.addRow("S&ubject", self.subject)
        form.addRow("&Year group", self.year_group)
        form.addRow("&Case pupils", self.pupils)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setProperty("role", "help")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Start the cycle")
        buttons.accepted.connect(self.make)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def make(self) -> None:
        session = self.session
        values = {
            "subject": self.subject.text().strip(),
            "year_group": self.year_group.text().strip(),
        }
        start = self.start.date().toString("yyyy-MM-dd")
        title = self.title.text()
        form = self.proforma.currentData() or cy.DEFAULT_FORM
        pupils = self.pupils.value()
        try:
            made = session.create_with(
                lambda: cy.create_cycle(
                    session.store,
                    session.forms,
                    self.school,
                    title=title,
                    form_id=form,
                    start_date=start,
                    values={k: v for k, v in values.items() if v},
                    pupils=pupils,
                ),
                "cycle",
                "lesson-study cycle",
            )
        except PeerReviewError as exc:  # create_with reports refusals itself; belt and braces
            self.problem.setText(exc.message)
            return
        if made is None:
            self.problem.setText(
                "The cycle could not be started: give it a title, such as its subject and year "
                "group."
                if not title.strip()
                else "The cycle could not be started; see the status bar."
            )
            return
        self.cycle_id = made
        self.accept()

    @classmethod
    def start_cycle(
        cls, session: Session, school: str, parent: QWidget | None = None
    ) -> str | None:
        dialog = cls(session, school, parent)
        dialog.exec()
        return dialog.cycle_id
