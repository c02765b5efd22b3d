"""One action of a plan: who leads it, when, its success criteria, its progress and RAG over time.

Text and dates are bound through the editing layer (saved as typed, each edit undoable); the owner
and the status go through ``plans.update_action`` (an agreed plan keeps an owner on every action;
completing an action records the day); a progress update opens its own small dialog (Ctrl+U).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerreview.forms import Column, Field, FieldType
from peerreview.plans import plans as pl
from peerreview.plans.plans import ActionStatus, CriterionStatus, Rag
from peerreview.sync.records import Record
from ui.review.widgets import FlowLayout, card, label
from ui.shell.binding import Binding, DateBinding, LineBinding, NumberBinding
from ui.shell.fields import DateField
from ui.shell.pickers import RecordPicker
from ui.shell.rows_field import RowsBinding, RowsField
from ui.shell.session import Session

#: An action's milestones: what, by when, done.
MILESTONES = Field(
    "milestones",
    "Milestones",
    FieldType.ROWS,
    columns=(
        Column("milestone", "Milestone", FieldType.TEXT),
        Column("date", "By", FieldType.DATE),
        Column("done", "Done", FieldType.BOOLEAN),
    ),
)

RAG_STYLE = {
    Rag.RED: "background: #c62828; color: white;",
    Rag.AMBER: "background: #ef9a1a; color: black;",
    Rag.GREEN: "background: #2e7d32; color: white;",
}


def rag_chip(rag: Rag | None, text: str = "") -> QLabel:
    """A small coloured label for a RAG rating (its word too: colour is never the only sign)."""
    chip = QLabel(text or (rag.label if rag else "Not rated"))
    chip.setStyleSheet(
        (
            RAG_STYLE.get(rag, "border: 1px solid palette(mid);")
            if rag
            else "border: 1px solid palette(mid);"
        )
        + " border-radius: 9px; padding: 2px 8px; font-weight: bold;"
    )
    return chip


class ActionPanel(QWidget):
    """The selected action of a plan."""

    def __init__(
        self,
        session: Session,
        action_id: str,
        *,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionPanel")
        self.session, self.store, self.action_id = session, session.store, action_id
        self.today = today or dt.date.today()
        self.bindings: list[Binding] = []  # type: ignore[type-arg]
        action = self.store.get(action_id)
        school = action.get("school")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)

        details, dbox = card("The action")
        form = QFormLayout()
        self.title = QLineEdit()
        form.addRow("Actio&n", self.title)
        self.bindings.append(
            LineBinding(session, self.title, "title", record=action_id, label="action")
        )
        self.owner = RecordPicker(
            self.store, session.privacy, "person", where={"school": school} if school else None
        )
        self.owner.setAccessibleName("Owner")
        self.owner.chosen.connect(self._owner_chosen)
        form.addRow("&Owner", self.owner)
        self.role = QLineEdit()
        self.role.setPlaceholderText("The owner's role: kept if they leave")
        form.addRow("O&wner's role", self.role)
        self.bindings.append(
            LineBinding(session, self.role, "owner_role", record=action_id, label="owner's role")
        )
        self.start = DateField("start date")
        self.due = DateField("due date")
        self.bindings.append(
            DateBinding(session, self.start, "start_date", record=action_id, label="start date")
        )
        self.bindings.append(
            DateBinding(session, self.due, "due_date", record=action_id, label="due date")
        )
        form.addRow("&Start", self.start)
        form.addRow("&Due", self.due)
        self.status = QComboBox()
        for s in ActionStatus:
            self.status.addItem(s.label, s.value)
        self.status.activated.connect(self._status_chosen)
        form.addRow("Stat&us", self.status)
        self.resources = QLineEdit()
        form.addRow("Resources", self.resources)  # its letters are all taken here
        self.bindings.append(
            LineBinding(session, self.resources, "resources", record=action_id, label="resources")
        )
        self.cost = QLineEdit()
        self.cost.setPlaceholderText("Whole pounds")
        form.addRow("Cost (£)", self.cost)
        self.bindings.append(
            NumberBinding(session, self.cost, "cost", record=action_id, label="cost")
        )
        self.supporters = QListWidget()
        self.supporters.setAccessibleName("Supported by")
        self.supporters.setMaximumHeight(96)
        self.supporters.setWordWrap(True)  # a long school name wraps, never scrolls sideways
        self.supporters.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.supporters.itemChanged.connect(self._supporters_ticked)
        form.addRow("Supported &by", self.supporters)
        dbox.addLayout(form)
        dbox.addWidget(label("MILESTONES", "eyebrow"))
        self.milestones = RowsField(MILESTONES)
        self.bindings.append(
            RowsBinding(
                session, self.milestones, "milestones", record=action_id, label="milestones"
            )
        )
        dbox.addWidget(self.milestones)
        box.addWidget(details)

        crit, cbox = card("Success criteria")
        self.criteria_box = QVBoxLayout()
        cbox.addLayout(self.criteria_box)
        add = QHBoxLayout()
        self.new_criterion = QLineEdit()
        self.new_criterion.setPlaceholderText("What will show it worked? Enter adds it")
        self.new_criterion.setAccessibleName("New success criterion")
        self.new_criterion.returnPressed.connect(self._add_criterion)
        add.addWidget(self.new_criterion, 1)
        box.addWidget(crit)
        cbox.addLayout(add)

        progress, pbox = card("Progress and RAG over time")
        self.history = FlowLayout()
        chips = QWidget()
        chips.setLayout(self.history)
        pbox.addWidget(chips)
        self.drift = label("", "muted")
        pbox.addWidget(self.drift)
        self.updates_box = QVBoxLayout()
        pbox.addLayout(self.updates_box)
        self.add_update = QPushButton("Add a progress update…  (Ctrl+U)")
        self.add_update.setShortcut("Ctrl+U")
        self.add_update.setProperty("opensWindow", True)
        self.add_update.clicked.connect(self.open_update)
        pbox.addWidget(self.add_update, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(progress)
        box.addStretch(1)
        session.record_changed.connect(self._changed)
        self.load()

    # ------------------------------------------------------------------ reading

    def load(self) -> None:
        if not self.store.exists(self.action_id):
            return
        action = self.store.get(self.action_id)
        for b in self.bindings:
            b.load(action)
        for edit in (self.title, self.role, self.resources):
            if not edit.hasFocus():  # a long title reads from its start, not its end
                edit.setCursorPosition(0)
        self.owner.set_record_id(action.get("owner"))
        self.status.setCurrentIndex(
            max(0, self.status.findData(ActionStatus.of(action.get("status")).value))
        )
        self._fill_supporters(action)
        self._fill_criteria()
        self._fill_progress(action)

    def _clear(self, layout: QVBoxLayout | QHBoxLayout | FlowLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.hide()
                w.deleteLater()

    def _fill_supporters(self, action: Record) -> None:
        """The school's people, ticked when they support the action (by role in privacy mode)."""
        chosen = set(action.get("supporters") or [])
        school = action.get("school")
        people = self.store.list("person", where={"school": school}) if school else []
        was = self.supporters.blockSignals(True)
        shown = [
            self.supporters.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.supporters.count())
        ]
        if shown == [p.id for p in people]:  # the same people: only the ticks may have moved
            for i, person in enumerate(people):
                state = Qt.CheckState.Checked if person.id in chosen else Qt.CheckState.Unchecked
                self.supporters.item(i).setCheckState(state)
            self.supporters.blockSignals(was)
            return
        self.supporters.clear()
        for person in people:
            role = str(person.get("role") or "")
            words = role or "Staff member"
            if not self.session.privacy.enabled:
                words = f"{person.title} ({role})" if role else person.title
            item = QListWidgetItem(words)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if person.id in chosen else Qt.CheckState.Unchecked
            )
            self.supporters.addItem(item)
        self.supporters.blockSignals(was)

    def _supporters_ticked(self, _item: QListWidgetItem) -> None:
        ticked = [
            str(self.supporters.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.supporters.count())
            if self.supporters.item(i).checkState() == Qt.CheckState.Checked
        ]
        self.session.set_field(self.action_id, "supporters", ticked or None, "supporters")

    def _fill_criteria(self) -> None:
        self._clear(self.criteria_box)
        for c in pl.criteria(self.store, self.action_id):
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = label(str(c.get("text") or ""), selectable=True)
            line.addWidget(text, 1)
            status = QComboBox()
            status.setAccessibleName(f"Status of: {c.get('text') or ''}")
            for s in CriterionStatus:
                status.addItem(s.label, s.value)
            status.setCurrentIndex(
                max(0, status.findData(CriterionStatus.of(c.get("status")).value))
            )
            status.activated.connect(
                lambda _i, cid=c.id, box=status: self.session.set_field(
                    cid, "status", box.currentData(), "success criterion's status"
                )
            )
            line.addWidget(status)
            self.criteria_box.addWidget(row)

    def _fill_progress(self, action: Record) -> None:
        self._clear(self.history)
        history = pl.rag_history(self.store, self.action_id)
        if not history:
            self.history.add(label("Not rated yet.", "muted"))
        for n, point in enumerate(history):
            if n:
                self.history.add(QLabel("→"))
            chip = rag_chip(point.rag, f"{point.rag.label}, {pl.date_text(point.day.isoformat())}")
            if point.author and not self.session.privacy.enabled:
                chip.setToolTip(f"Rated by {point.author}")
            self.history.add(chip)
        late = " It is overdue." if pl.overdue(action, self.today) else ""
        self.drift.setText(
            ("⚠ The rating has worsened since the last update." if pl.drifting(history) else "")
            + late
        )
        self._clear(self.updates_box)
        for u in pl.updates(self.store, self.action_id)[:6]:
            who = ", ".join(
                x
                for x in (
                    "" if self.session.privacy.enabled else str(u.get("author_name") or ""),
                    str(u.get("author_role") or ""),
                )
                if x
            )
            rag = Rag.of(u.get("rag"))
            head = (
                f"{pl.date_text(u.get('date'))}"
                + (f" · {who}" if who else "")
                + (f" · {rag.label}" if rag else "")
            )
            self.updates_box.addWidget(label(head, "eyebrow"))
            body = label(
                "\n".join(
                    x
                    for x in (
                        str(u.get("text") or ""),
                        str(u.get("next_steps") and f"Next: {u['next_steps']}" or ""),
                    )
                    if x
                ),
                selectable=True,
            )
            body.setTextFormat(Qt.TextFormat.PlainText)
            self.updates_box.addWidget(body)
            linked = [
                self.session.title_of(str(r))
                for r in u.get("evidence") or []
                if self.store.exists(str(r))
            ]
            if linked:
                evidence = label("Evidence: " + "; ".join(linked), "muted")
                evidence.setWordWrap(True)
                evidence.setToolTip("Open the progress update to open its evidence")
                self.updates_box.addWidget(evidence)

    def _changed(self, record_id: str, kind: str) -> None:
        if record_id == self.action_id:
            self.load()
        elif kind in ("criterion", "progress_update"):
            self.load()

    # ------------------------------------------------------------------ writing through the rules

    def _owner_chosen(self) -> None:
        person = self.owner.record_id()
        store = self.store
        self.session.write_with(
            self.action_id,
            lambda: pl.update_action(store, self.action_id, {"owner": person}),
            ("owner", "owner_role"),
            "change the owner",
        )
        self.load()

    def _status_chosen(self, _index: int) -> None:
        value = self.status.currentData()
        store = self.store
        self.session.write_with(
            self.action_id,
            lambda: pl.update_action(store, self.action_id, {"status": value}),
            ("status", "completed_on"),
            "change the status",
        )

    def _add_criterion(self) -> None:
        text = self.new_criterion.text()
        store = self.store
        made = self.session.create_with(
            lambda: pl.add_criterion(store, self.action_id, text), "criterion", "success criterion"
        )
        if made:
            self.new_criterion.clear()

    def open_update(self) -> str | None:
        """Ask for a progress update and record it; returns its id (None when cancelled)."""
        from ui.plans.update_dialog import ProgressUpdateDialog

        dialog = ProgressUpdateDialog(self.session, self.action_id, today=self.today, parent=self)
        dialog.exec()
        return dialog.update_id

    def flush(self) -> None:
        for b in self.bindings:
            b.save()
