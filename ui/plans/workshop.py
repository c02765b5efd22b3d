"""The improvement workshop: one screen where every EBI of an agreed review gets a response.

Each EBI is a card: its area and words, what the plan does about it so far, and a row to answer
it: a new priority, an existing priority, a new action under a priority, an existing action, or
no action with a recorded reason. Each answer is one undoable step (Ctrl+Z takes it back), through
the core's workshop rules; the header counts what is left to answer. Opened from the review (its
page, or Plans → Improvement workshop, Ctrl+Shift+W).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerreview.plans import plans as pl
from peerreview.plans import workshop as ws
from peerreview.review.report import visit_dates
from peerreview.sync.records import Record
from ui.review.widgets import STYLE, card, label, scrolled
from ui.shell.session import Session

#: The ways to answer an EBI, as the person reads them.
CHOICES = (
    ("new_priority", "A new priority"),
    ("priority", "An existing priority"),
    ("new_action", "A new action under a priority"),
    ("action", "An existing action"),
    ("no_action", "No action: record the reason"),
)
_HINTS = {
    "new_priority": "The priority's title (the EBI's words if left empty)",
    "new_action": "What will be done",
    "no_action": "Why the school will not act on it (required)",
}


class EbiCard(QWidget):
    """One EBI, its response so far, and the row that answers it."""

    answered = Signal()

    def __init__(self, dialog: WorkshopDialog, ebi: ws.Ebi) -> None:
        super().__init__()
        self.dialog, self.ebi = dialog, ebi
        frame, box = card()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        box.addWidget(label(f"{ebi.area_title.upper()} · {ebi.label.upper()}", "eyebrow"))
        text = label(ebi.text, selectable=True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        box.addWidget(text)
        self.state = label("", "muted")
        box.addWidget(self.state)
        row = QHBoxLayout()
        self.how = QComboBox()
        self.how.setAccessibleName(f"Response to the EBI on {ebi.area_title}")
        for value, text_ in CHOICES:
            self.how.addItem(text_, value)
        self.target = QComboBox()
        self.target.setAccessibleName(f"Priority or action for the EBI on {ebi.area_title}")
        self.target.setMinimumContentsLength(22)
        self.target.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.words = QLineEdit()
        self.words.setAccessibleName(f"Words of the response to the EBI on {ebi.area_title}")
        self.record = QPushButton("Record")
        # Enter in the words records this card's answer, never a dialog's default button too.
        self.record.setAutoDefault(False)
        self.record.setAccessibleName(f"Record the response to the EBI on {ebi.area_title}")
        how_label = QLabel("Answer with")  # one per EBI: no Alt+letter could reach each
        how_label.setBuddy(self.how)
        row.addWidget(how_label)
        row.addWidget(self.how)
        row.addWidget(self.target)
        row.addWidget(self.words, 1)
        row.addWidget(self.record)
        box.addLayout(row)
        self.how.currentIndexChanged.connect(lambda _i: self._arrange())
        self.words.returnPressed.connect(self.submit)
        self.record.clicked.connect(self.submit)
        self.refresh()

    def choose(self, value: str) -> None:
        self.how.setCurrentIndex(max(0, self.how.findData(value)))

    def refresh(self) -> None:
        response = ws.response_of(self.dialog.store, self.ebi.review, self.ebi.area)
        follow = self.dialog.store.registry.follow_ups(
            self.dialog.store, self.dialog.store.get(self.ebi.view)
        )
        if response is None:
            self.state.setText("⚠ No response yet")
            self.state.setProperty("role", "muted")
        else:
            shown = "; ".join(
                f"{f.title} ({f.status})" if f.status else f.title for f in follow[:2]
            )
            self.state.setText("✓ " + (shown or "Answered"))
        self._arrange()

    def _arrange(self) -> None:
        how = str(self.how.currentData())
        store = self.dialog.store
        plan = self.dialog.plan_id
        keep = self.target.currentData()
        was = self.target.blockSignals(True)
        self.target.clear()
        if how in ("priority", "new_action") and plan:
            for p in pl.priorities(store, plan):
                self.target.addItem(str(p.get("title") or "Untitled priority"), p.id)
        elif how == "action" and plan:
            for a in pl.actions(store, plan=plan):
                self.target.addItem(str(a.get("title") or "Untitled action"), a.id)
        if keep is not None and self.target.findData(keep) >= 0:
            self.target.setCurrentIndex(self.target.findData(keep))
        self.target.blockSignals(was)
        self.target.setVisible(how in ("priority", "new_action", "action"))
        self.words.setVisible(how in _HINTS)
        self.words.setPlaceholderText(_HINTS.get(how, ""))

    def submit(self) -> None:
        """Record the response chosen, as one undoable step."""
        if self.dialog.answer(self, str(self.how.currentData())):
            self.words.clear()
            self.answered.emit()


class WorkshopDialog(QDialog):
    """The improvement workshop of one agreed review."""

    def __init__(
        self,
        session: Session,
        review_id: str,
        *,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("workshop")
        self.setStyleSheet(STYLE)
        self.session, self.store = session, session.store
        self.review_id = review_id
        self.today = today or dt.date.today()
        review = self.store.get(review_id)
        school = self.store.title(review["school"]) if review.get("school") else "the school"
        self.setWindowTitle(f"Improvement workshop: {school}")
        self.plan_id = ""
        existing = ws.plan_for(self.store, review_id)
        if existing is not None:
            self.plan_id = existing.id
            if not existing.get("workshop_on"):
                session.set_field(
                    existing.id, "workshop_on", self.today.isoformat(), "workshop date"
                )
        else:
            made = session.create_with(
                lambda: ws.open_workshop(self.store, review_id, on=self.today),
                "plan",
                "action plan",
            )
            self.plan_id = made or ""
        box = QVBoxLayout(self)
        box.addWidget(label(f"Improvement workshop: {school}", "pageTitle"))
        box.addWidget(
            label(
                f"{review.get('title') or 'Peer review'}, {visit_dates(review)}. Give every EBI "
                "a response: a priority or an action in the school's plan, or a reason for not "
                "acting.",
                "muted",
            )
        )
        self.progress = label("", "big")
        box.addWidget(self.progress)
        body = QWidget()
        cards = QVBoxLayout(body)
        cards.setContentsMargins(0, 0, 8, 0)
        self.cards = [
            EbiCard(self, e) for e in ws.review_ebis(self.store, session.forms, review_id)
        ]
        for c in self.cards:
            cards.addWidget(c)
            c.answered.connect(self.refresh)
        if not self.cards:
            cards.addWidget(label("This review has no EBIs to respond to.", "muted"))
        cards.addStretch(1)
        box.addWidget(scrolled(body), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        box.addWidget(buttons)
        session.record_changed.connect(self._changed)
        self.resize(1040, 680)
        self.refresh()

    def _changed(self, _record: str, _kind: str) -> None:
        self.refresh()

    def refresh(self) -> None:
        done = ws.progress(self.store, self.session.forms, self.review_id)
        self.progress.setText(
            "Every EBI has a response."
            if done.complete
            else f"{done.answered} of {done.ebis} EBIs have a response; {done.unanswered} to go."
        )
        for c in self.cards:
            c.refresh()

    def answer(self, card_: EbiCard, how: str) -> bool:
        """Record one response through the core, as one undoable step; False when refused."""
        store, library, session = self.store, self.session.forms, self.session
        ebi = card_.ebi
        words = card_.words.text().strip()
        target = card_.target.currentData()
        rid = ws.response_id(ebi.review, ebi.area)
        fields = ("response", "priority", "action", "reason", "responded_on", "plan", "ebi")
        # An answer replaces an earlier one: undo brings the earlier one back.
        before: Record | None = store.get(rid) if store.exists(rid) else None
        with session.step("respond to an EBI"):
            if how == "new_priority":
                target = session.create_with(
                    lambda: ws.priority_for_ebi(
                        store, library, ebi.review, ebi.area, title=words or None, on=self.today
                    ),
                    "priority",
                    "priority",
                )
                how = "priority"
            elif how == "new_action":
                if not target:
                    session.message.emit("Choose the priority the new action belongs to.")
                    return False
                priority = str(target)
                target = session.create_with(
                    lambda: ws.action_for_ebi(
                        store, library, ebi.review, ebi.area, priority=priority, title=words
                    ),
                    "action",
                    "action",
                )
                how = "action"
            if how in ("priority", "action") and not target:
                if how == "priority" and not card_.target.count():
                    session.message.emit("The plan has no priorities yet: make a new one.")
                return False
            chosen = str(target or "")

            def respond() -> str:
                if how == "priority":
                    ws.respond_with_priority(store, library, ebi.review, ebi.area, chosen)
                elif how == "action":
                    ws.respond_with_action(store, library, ebi.review, ebi.area, chosen)
                else:
                    ws.respond_no_action(store, library, ebi.review, ebi.area, words, on=self.today)
                return rid

            if before is None or before.deleted:
                ok = session.create_with(respond, "ebi_response", "response") is not None
            else:
                ok = session.write_with(rid, respond, fields, "respond to an EBI")
        self.refresh()
        return ok
