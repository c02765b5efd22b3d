"""A group's members: a table of dated memberships (schools join and leave), edited in place."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.partnership.memberships import is_current
from peerreview.sync.records import Record
from ui.shell.formatting import parse_iso, table_date
from ui.shell.pickers import RecordPicker
from ui.shell.session import Session
from ui.shell.signals import emit

AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS = (("member", "Member"), ("role", "Role"), ("start", "Joined"), ("end", "Left"))
_EDITABLE = {"role", "start", "end"}


class MembershipTableModel(QAbstractTableModel):
    """The memberships of one group, current ones first, then by member name."""

    def __init__(self, session: Session, group_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.group_id = group_id
        self.rows: list[Record] = []
        self._titles: dict[str, str] = {}
        self._read()
        session.record_changed.connect(self._changed)
        session.records_reset.connect(self.reload)
        session.privacy.changed.connect(self.reload)

    def _query(self) -> tuple[list[Record], dict[str, str]]:
        rows = self.session.store.list("membership", where={"group": self.group_id}, order_by="id")
        titles: dict[str, str] = {}
        for m in rows:
            person = m.values.get("person")
            member = m.values.get("school") or person
            titles[m.id] = self.session.title_of(member) if member else "(nobody)"
            if person and not m.values.get("school") and self.session.store.exists(person):
                school = self.session.store.get(person).values.get("school")  # whose staff
                if school:
                    titles[m.id] += f" ({self.session.title_of(school)})"
        rows.sort(key=lambda m: (not is_current(m), titles[m.id].casefold(), m.id))
        return rows, titles

    def _read(self) -> None:
        self.rows, self._titles = self._query()

    def reload(self) -> None:
        self.beginResetModel()
        self._read()
        self.endResetModel()

    def _changed(self, record_id: str, kind: str) -> None:
        if kind != "membership" and not any(
            record_id in (m.values.get("school"), m.values.get("person")) for m in self.rows
        ):
            return
        rows, titles = self._query()
        if [m.id for m in rows] == [m.id for m in self.rows]:
            self.rows, self._titles = rows, titles
            if rows:
                emit(
                    self.dataChanged, self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1)
                )
        else:
            self.beginResetModel()
            self.rows, self._titles = rows, titles
            self.endResetModel()

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(COLUMNS):
                return COLUMNS[section][1]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        m = self.rows[index.row()]
        name = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if name == "member":
                return self._titles.get(m.id, "")
            if name in ("start", "end"):
                return table_date(m.values.get(name))
            return m.values.get(name) or ""
        if role == Qt.ItemDataRole.EditRole:
            if name in ("start", "end"):
                day = parse_iso(m.values.get(name))
                return QDate(day.year, day.month, day.day) if day else QDate.currentDate()
            return m.values.get(name) or ""
        if role == Qt.ItemDataRole.ForegroundRole and not is_current(m):
            return QGuiApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.ToolTipRole and not is_current(m):
            return "This membership has ended."
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()][0] in _EDITABLE and not self.session.busy:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(  # noqa: N802 - Qt override
        self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        name = COLUMNS[index.column()][0]
        if name not in _EDITABLE:
            return False
        if isinstance(value, QDate):
            value = value.toString("yyyy-MM-dd") if value.isValid() else None
        elif isinstance(value, str):
            value = value.strip() or None
        label = dict(COLUMNS)[name].lower()
        return self.session.set_field(self.rows[index.row()].id, name, value, f"membership {label}")

    def membership_at(self, row: int) -> Record | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


class _MembershipView(QTableView):
    """Delete clears a date; everything else as a normal table."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        index = self.currentIndex()
        if (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and index.isValid()
            and COLUMNS[index.column()][0] in ("end", "role")
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.model().setData(index, "")
            return
        super().keyPressEvent(event)


class MembershipPanel(QWidget):
    """A group's members (schools, and people such as a working group's teachers), with Add school,
    Add person, End membership and Remove."""

    def __init__(self, session: Session, group_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.group_id = group_id
        self.model = MembershipTableModel(session, group_id, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        from ui.shell.editors import section_heading

        layout.addWidget(section_heading("Members"))
        hint = QLabel(
            "Schools and people join and leave: end a membership rather than removing it, so the "
            "history stays. Double-click a role or date to change it."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "help")
        layout.addWidget(hint)
        self.table = _MembershipView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Members")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setMinimumHeight(160)
        self.table.setTabKeyNavigation(False)
        layout.addWidget(self.table)
        self.empty = QLabel(
            "No members yet. Choose a school or a person below and press Add school or Add person."
        )
        self.empty.setProperty("role", "help")
        layout.addWidget(self.empty)

        row = QHBoxLayout()
        self.picker, self.add_button = self._adder("school", "a school's name to add it")
        self.add_button.clicked.connect(self.add_chosen)
        self.person_picker, self.add_person_button = self._adder(
            "person", "a person's name to add them"
        )
        self.add_person_button.clicked.connect(self.add_chosen_person)
        self.end_button = QPushButton("End membership")
        self.end_button.setAccessibleName("End the selected membership today")
        self.end_button.clicked.connect(self.end_selected)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.setAccessibleName("Remove the selected membership (entered by mistake)")
        self.remove_button.clicked.connect(self.remove_selected)
        row.addWidget(self.picker, 1)
        row.addWidget(self.add_button)
        row.addSpacing(12)
        row.addWidget(self.end_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        people = QHBoxLayout()
        people.addWidget(self.person_picker, 1)
        people.addWidget(self.add_person_button)
        # Line the person row up with the school row: Add under Add, nothing under End and Remove.
        people.addSpacing(
            12 + self.end_button.sizeHint().width() + self.remove_button.sizeHint().width()
        )
        layout.addLayout(people)
        self.model.modelReset.connect(self._update_empty)
        self._update_empty()

    def _adder(self, kind: str, placeholder: str) -> tuple[RecordPicker, QPushButton]:
        """A picker of ``kind`` records and its Add button."""
        picker = RecordPicker(self.session.store, self.session.privacy, kind)
        picker.setAccessibleName(f"{kind.capitalize()} to add")
        picker.line_edit.setPlaceholderText(f"Type part of {placeholder}")
        button = QPushButton(f"Add {kind}")
        button.setAccessibleName(f"Add the chosen {kind} to this group")
        return picker, button

    def _update_empty(self) -> None:
        self.empty.setVisible(self.model.rowCount() == 0)

    def _selected(self) -> Record | None:
        return self.model.membership_at(self.table.currentIndex().row())

    def add_chosen(self) -> str | None:
        """Add the school chosen in the school picker, from today."""
        return self._add(self.picker, "school")

    def add_chosen_person(self) -> str | None:
        """Add the person chosen in the person picker, from today."""
        return self._add(self.person_picker, "person")

    def _add(self, picker: RecordPicker, kind: str) -> str | None:
        member = picker.record_id()
        if not member:
            emit(self.session.message, f"Choose a {kind} to add first.")
            return None
        for m in self.model.rows:
            if m.values.get(kind) == member and is_current(m):
                emit(self.session.message, f"That {kind} is already a member of this group.")
                return None
        mid = self.session.create(
            "membership",
            {"group": self.group_id, kind: member, "start": dt.date.today().isoformat()},
        )
        picker.set_record_id(None)
        return mid

    def end_selected(self) -> None:
        m = self._selected()
        if m is None:
            emit(self.session.message, "Select a membership in the table first.")
            return
        self.session.set_field(m.id, "end", dt.date.today().isoformat(), "membership end date")

    def remove_selected(self) -> None:
        m = self._selected()
        if m is None:
            emit(self.session.message, "Select a membership in the table first.")
            return
        name = self.model.data(self.model.index(self.table.currentIndex().row(), 0))
        answer = QMessageBox.question(
            self,
            "Remove membership",
            f"Remove {name} from this group as if it had never joined?\n\n"
            "To record that it left, use End membership instead. You can undo this (Ctrl+Z).",
        )
        if answer == QMessageBox.StandardButton.Yes:
            try:
                self.session.delete(m.id)
            except PeerReviewError as exc:
                emit(self.session.message, exc.message)
