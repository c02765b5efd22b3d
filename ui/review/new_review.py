"""Planning a new review of a school: the framework, the dates, the focus, and what to follow up.

Asks only what a review cannot start without; everything else is on the Plan tab, which opens next.
When the school has been reviewed before, the last review's next steps are shown, because the new
review starts from them.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.forms import FormLibrary
from peerreview.review import reviews as rv
from peerreview.sync.store import Store
from ui.review.widgets import STYLE, card, label, scrolled
from ui.shell.dates import DateEdit, VisitDates
from ui.shell.formatting import prose_date
from ui.shell.session import Session


def next_steps_of(store: Store, library: FormLibrary, review_id: str) -> list[rv.CarriedForward]:
    """A review's agreed EBIs (or areas for development): what the next review follows up."""
    review = store.get(review_id)
    fw = rv.framework_of(library, review)
    kind = "Even better if" if fw.judged else "Area for development"
    out = []
    for area in rv.areas(store, fw, review_id):
        view = rv.get_view(store, review_id, area.id, rv.Stage.AGREED)
        if view is not None and view.get("ebi"):
            out.append(rv.CarriedForward(area.title, kind, view["ebi"]))
    return out


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class NewReviewDialog(QDialog):
    """Plan a review of one school; ``review_id`` holds the new review once accepted."""

    def __init__(
        self,
        session: Session,
        school_id: str,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.school_id = school_id
        self.review_id: str | None = None
        store = session.store
        self.school_name = store.title(school_id)
        self.frameworks = rv.frameworks(session.forms)
        today = today or dt.date.today()
        self.setWindowTitle("Plan a peer review")
        self.setStyleSheet(STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.setSpacing(10)
        outer.addWidget(label(f"Plan a peer review of {self.school_name}", "pageTitle"))
        outer.addWidget(
            label(
                "Choose the framework and the dates. The team, the schedule and the "
                "school's self-evaluation come next, on the review's own page.",
                "muted",
            )
        )
        # What to ask on the left; the last review's next steps, however many, on the right in
        # a column of their own that scrolls: the dialog keeps its size and fits a laptop.
        columns = QHBoxLayout()
        columns.setSpacing(16)
        outer.addLayout(columns, 1)
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(10)
        left_scroll = scrolled(left)
        left_scroll.setMinimumWidth(560)
        columns.addWidget(left_scroll, 3)

        frame, box = card("Framework")
        self.framework_group = QButtonGroup(self)
        self.framework_buttons: dict[str, QRadioButton] = {}
        for n, fw in enumerate(self.frameworks):
            button = QRadioButton(fw.title)
            button.setAccessibleName(fw.title)
            button.setAccessibleDescription(fw.description)
            font = button.font()
            font.setBold(True)
            button.setFont(font)
            self.framework_group.addButton(button, n)
            self.framework_buttons[fw.id] = button
            box.addWidget(button)
            about = label(fw.description, "muted")
            about.setContentsMargins(24, 0, 0, 6)
            box.addWidget(about)
            button.toggled.connect(self._framework_changed)
        layout.addWidget(frame)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        dates = QHBoxLayout()
        self.start = self._date("First day of the visit", today + dt.timedelta(days=14))
        self.end = self._date("Last day of the visit", today + dt.timedelta(days=14))
        self.visit_dates = VisitDates(self.start, self.end, self._ask, self)
        self.start.dateChanged.connect(self._show_continuity)
        dates.addWidget(self.start)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end)
        dates.addStretch(1)
        dates_label = QLabel("&Dates")
        dates_label.setBuddy(self.start)
        form.addRow(dates_label, dates)
        self.focus = QPlainTextEdit()
        self.focus.setAccessibleName("Focus")
        self.focus.setTabChangesFocus(True)
        self.focus.setPlaceholderText("What the school wants the team to look at, and why")
        self.focus.setFixedHeight(self.focus.fontMetrics().lineSpacing() * 3 + 14)
        focus_label = QLabel("F&ocus")
        focus_label.setBuddy(self.focus)
        form.addRow(focus_label, self.focus)
        self.question = QLineEdit()
        self.question.setAccessibleName("Enquiry question")
        self.question.setPlaceholderText("To what extent …?")
        self.question_label = QLabel("Enquiry &question")
        self.question_label.setBuddy(self.question)
        form.addRow(self.question_label, self.question)
        self.sharing = QComboBox()
        self.sharing.setAccessibleName("Sharing")
        for s in rv.Sharing:
            self.sharing.addItem(s.label, s.value)
        self.sharing.setCurrentIndex(self.sharing.findData(rv.Sharing.HOST_COORDINATOR.value))
        self.sharing.setToolTip("Who may see the review and its report: the host school decides")
        sharing_label = QLabel("&Sharing")
        sharing_label.setBuddy(self.sharing)
        form.addRow(sharing_label, self.sharing)
        author = (store.device.author or "").strip()
        self.add_me = QCheckBox(f"Add me ({author}) as lead reviewer" if author else "")
        self.add_me.setChecked(bool(author))
        self.add_me.setVisible(bool(author))
        self.author = author
        form.addRow("", self.add_me)
        layout.addLayout(form)
        layout.addStretch(1)

        self.continuity, self.continuity_box = card("Following up the last review", tone="info")
        self.continuity_box.addStretch(1)
        self.continuity_scroll = scrolled(self.continuity)
        self.continuity_scroll.setAccessibleName("Following up the last review")
        self.continuity_scroll.setMinimumWidth(300)
        columns.addWidget(self.continuity_scroll, 2)
        self.continuity_items: list[str] = []
        # Reviewed before: room for its next steps from the start, whatever the dates chosen.
        self.continuity_scroll.setVisible(rv.latest_review(store, school_id) is not None)

        self.message = label("", "muted")
        outer.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.plan_button = buttons.addButton("Plan review", QDialogButtonBox.ButtonRole.AcceptRole)
        self.plan_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        previous = rv.latest_review(store, school_id)
        default = previous.get("framework_id") if previous is not None else None
        chosen = self.framework_buttons.get(default or "") or next(
            iter(self.framework_buttons.values()), None
        )
        if chosen is not None:
            chosen.setChecked(True)
        self._framework_changed()
        self._show_continuity()
        self._fit(left)

    def _fit(self, left: QWidget) -> None:
        """As tall as what it asks needs, never more than the screen; it keeps that size."""
        width = 1000 if self.continuity_scroll.isVisibleTo(self) else 640
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, screen.width() - 40)
        left.adjustSize()
        wanted = left.sizeHint().height() + 190  # the title, the intro, the buttons, margins
        if screen is not None:
            wanted = min(wanted, screen.height() - 80)  # a title bar and a taskbar
        self.resize(width, max(wanted, 420))

    def _date(self, name: str, day: dt.date) -> DateEdit:
        w = DateEdit()
        w.setDate(qdate(day))
        w.setDisplayFormat("dd/MM/yyyy")
        w.setCalendarPopup(True)
        w.setAccessibleName(name)
        w.setMinimumWidth(130)
        return w

    def framework(self) -> rv.Framework | None:
        n = self.framework_group.checkedId()
        return self.frameworks[n] if 0 <= n < len(self.frameworks) else None

    def _framework_changed(self, *_args: object) -> None:
        fw = self.framework()
        enquiry = fw is not None and not fw.judged
        self.question.setVisible(enquiry)
        self.question_label.setVisible(enquiry)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "The visit's dates", question)
        return answer == QMessageBox.StandardButton.Yes

    def _show_continuity(self, *_args: object) -> None:
        while self.continuity_box.count() > 2:  # the card's title and the stretch stay
            item = self.continuity_box.takeAt(1)
            w = item.widget() if item is not None else None
            if w is not None:
                w.hide()
                w.deleteLater()
        store = self.session.store
        previous = rv.latest_review(store, self.school_id, before=pydate(self.start.date()))
        if previous is None:
            self.continuity_box.insertWidget(
                1, label("No earlier review of this school before these dates.", "muted")
            )
            self.continuity_items = []
            return
        steps = next_steps_of(store, self.session.forms, previous.id)
        self.continuity_items = [s.text for s in steps]
        when = prose_date(previous.get("start_date"))
        at = self.continuity_box.count() - 1  # before the stretch at the end
        self.continuity_box.insertWidget(
            at,
            label(
                f"The review of {when} agreed these next steps. They will be shown on the new "
                "review's Plan tab and printed in its report."
                if steps
                else f"The review of {when} recorded no next steps to follow up.",
                "muted",
            ),
        )
        for s in steps:
            at += 1
            self.continuity_box.insertWidget(
                at, label(f"{s.area.upper()} · {s.label.upper()}", "eyebrow")
            )
            text = label(s.text)
            text.setTextFormat(Qt.TextFormat.PlainText)
            at += 1
            self.continuity_box.insertWidget(at, text)
        self.continuity.show()

    def accept(self) -> None:
        fw = self.framework()
        if fw is None:
            self.message.setText("Choose a framework.")
            return
        start, end = pydate(self.start.date()), pydate(self.end.date())
        store = self.session.store
        problems: list[str] = []

        def make() -> str:
            try:
                return rv.plan_review(
                    store,
                    fw,
                    school=self.school_id,
                    start_date=start,
                    end_date=end,
                    focus=self.focus.toPlainText().strip(),
                    enquiry_question=self.question.text().strip() if not fw.judged else "",
                    sharing=rv.Sharing(self.sharing.currentData()),
                )
            except PeerReviewError as exc:
                problems.append(exc.message)
                raise

        with self.session.step(f"plan a peer review of {self.school_name}"):
            review_id = self.session.create_with(make, "review", "peer review")
            if review_id is not None and self.add_me.isChecked() and self.author:
                self.session.create_with(
                    lambda: rv.add_member(store, review_id, name=self.author, role="Lead reviewer"),
                    "review_member",
                    "review team member",
                )
        if review_id is None:
            self.message.setText(
                problems[0]
                if problems
                else "The review could not be planned. Try again in a moment."
            )
            return
        self.review_id = review_id
        super().accept()

    @classmethod
    def plan(cls, session: Session, school_id: str, parent: QWidget | None = None) -> str | None:
        """Ask, plan the review, and return its id (None when cancelled)."""
        dialog = cls(session, school_id, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.review_id
        return None
