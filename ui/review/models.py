"""Thin Qt table models over a review's records: the team, the schedule, lines of enquiry, evidence.

Each model keeps its own copy of the rows it shows (painting never touches the store) and follows
the review's changes; an edit in a cell is one ``session.set_field`` (undoable). Every model here is
checked with ``qtmodeltester``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTime,
)
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTimeEdit,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.review import reviews as rv
from peerreview.sync.records import Record
from ui.review.context import ReviewContext
from ui.shell.dates import DateEdit
from ui.shell.formatting import table_date
from ui.shell.privacy import HIDDEN

AnyIndex = QModelIndex | QPersistentModelIndex
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    """One column: its header, the field it shows, and how that field is edited."""

    header: str
    field: str
    type: str = "text"  # text, date, time, choice, school
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for a choice
    personal: bool = False
    editable: bool = True
    placeholder: str = ""


class RecordTableModel(QAbstractTableModel):
    """Rows are records of one kind in one review; columns are their fields."""

    def __init__(
        self,
        ctx: ReviewContext,
        kind: str,
        columns: Sequence[Column],
        loader: Callable[[], list[Record]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.columns, self.loader = ctx, kind, tuple(columns), loader
        #: called instead of a plain set_field for a column (a name chosen from the partnership)
        self.setters: dict[str, Callable[[Record, Any], bool]] = {}
        self.rows: list[Record] = loader()
        self._schools: dict[str, str] = {}
        ctx.record_changed.connect(self._changed)
        ctx.reset.connect(self.reload)
        ctx.privacy.changed.connect(self._privacy_changed)

    # ------------------------------------------------------------------ following the store

    def _changed(self, _record_id: str, kind: str) -> None:
        if kind == self.kind:
            self.refresh()

    def _privacy_changed(self, _on: bool) -> None:
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = self.loader()
        self._schools.clear()
        self.endResetModel()

    def refresh(self) -> None:
        """Read the rows again; keep the rows (and the selection) when only values changed."""
        rows = self.loader()
        if [r.id for r in rows] != [r.id for r in self.rows]:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
            return
        self.rows = rows
        if rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(rows) - 1, len(self.columns) - 1)
            )

    def row_of(self, record_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == record_id), -1)

    def record_at(self, row: int) -> Record | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802 - Qt override
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
        return None

    def _hidden(self, column: Column) -> bool:
        return column.personal and self.ctx.privacy.enabled

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if column.editable and not self._hidden(column) and not self.ctx.session.busy:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def display(self, column: Column, value: Any) -> str:
        if value is None or value == "":
            return ""
        if column.type == "date":
            return table_date(value)
        if column.type == "choice":
            return next((lbl for v, lbl in column.options if v == value), str(value))
        if column.type == "school":
            if value not in self._schools:
                store = self.ctx.store
                self._schools[value] = store.title(value) if store.exists(value) else ""
            return self._schools[value]
        return str(value)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        record = self.rows[index.row()]
        column = self.columns[index.column()]
        value = record.values.get(column.field)
        if role == RECORD_ID_ROLE:
            return record.id
        if self._hidden(column):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return HIDDEN
            if role == Qt.ItemDataRole.ForegroundRole:
                return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.display(column, value)
            return text or column.placeholder
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.display(column, value) or None
        if role == Qt.ItemDataRole.ForegroundRole and (value is None or value == ""):
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def setData(
        self,
        index: AnyIndex,
        value: Any,  # noqa: N802 - Qt override
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        record = self.rows[index.row()]
        column = self.columns[index.column()]
        if isinstance(value, str):
            value = value.strip()
        setter = self.setters.get(column.field)
        if setter is not None:
            return setter(record, value)
        return self.ctx.session.set_field(record.id, column.field, value, column.header.lower())


# ====================================================================== the review's tables


def team_model(ctx: ReviewContext, parent: QObject | None = None) -> RecordTableModel:
    """Name, school and role of each member of the review team."""
    columns = (
        Column("Name", "name", personal=True, placeholder="Type a name"),
        Column("School", "school", "school", placeholder="Choose a school"),
        Column("Role", "role", "choice", tuple((r, r) for r in rv.ROLES)),
    )
    model = RecordTableModel(ctx, "review_member", columns, ctx.team, parent)
    model.setters["name"] = lambda record, value: _set_member_name(ctx, record, value)
    return model


def people_choices(ctx: ReviewContext) -> dict[str, Record]:
    """Partnership people as "Name (School)", to fill a member's name, person and school at once."""
    out: dict[str, Record] = {}
    titles: dict[str, str] = {}
    for person in ctx.store.list("person"):
        name = person.get("name", "").strip()
        if not name:
            continue
        school = person.get("school")
        if school and school not in titles:
            titles[school] = ctx.store.title(school) if ctx.store.exists(school) else ""
        out[f"{name} ({titles[school]})" if school and titles.get(school) else name] = person
    return out


def _set_member_name(ctx: ReviewContext, record: Record, value: Any) -> bool:
    text = str(value or "").strip()
    person = people_choices(ctx).get(text) if text else None
    if person is None:
        return ctx.session.set_field(record.id, "name", text, "name")
    values: dict[str, Any] = {"name": person["name"], "person": person.id}
    if person.get("school"):
        values["school"] = person["school"]
    return ctx.set_fields(record.id, values, "review team member")


def schedule_model(ctx: ReviewContext, parent: QObject | None = None) -> RecordTableModel:
    """The visit's timetable: day, start, end, activity, description."""
    columns = (
        Column("Day", "day", "date"),
        Column("Start", "start", "time"),
        Column("End", "end", "time"),
        Column("Activity", "activity", "choice", tuple((a, a) for a in rv.ACTIVITIES)),
        Column("Description", "description"),
    )
    return RecordTableModel(
        ctx, "review_activity", columns, lambda: rv.schedule(ctx.store, ctx.review_id), parent
    )


def enquiry_lines_model(ctx: ReviewContext, parent: QObject | None = None) -> RecordTableModel:
    columns = (Column("Line of enquiry", "text", placeholder="How well …? How often …?"),)
    return RecordTableModel(
        ctx,
        "enquiry_line",
        columns,
        lambda: ctx.store.list(
            "enquiry_line", where={"review": ctx.review_id}, order_by="position"
        ),
        parent,
    )


# ====================================================================== evidence


def note_time(record: Record) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(record.get("time", "")))
    except ValueError:
        return None


class EvidenceTableModel(QAbstractTableModel):
    """The review's evidence notes (of one day, or all), newest first."""

    HEADERS = ("Time", "Activity", "Where", "Note", "Areas")

    def __init__(self, ctx: ReviewContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.day: dt.date | None = None  # None: every day
        self.area: str | None = None  # only notes bearing on this area
        self.rows: list[Record] = []
        self._titles: dict[str, str] = {}
        self._read()
        ctx.record_changed.connect(self._changed)
        ctx.reset.connect(self.reload)

    def _query(self) -> tuple[list[Record], dict[str, str]]:
        titles = {a.id: a.title for a in self.ctx.areas()}
        notes = rv.evidence(self.ctx.store, self.ctx.review_id, self.area)
        if self.day is not None:
            notes = [n for n in notes if (t := note_time(n)) is not None and t.date() == self.day]
        notes.reverse()
        return notes, titles

    def _read(self) -> None:
        self.rows, self._titles = self._query()

    def reload(self) -> None:
        self.beginResetModel()
        self._read()
        self.endResetModel()

    def set_day(self, day: dt.date | None) -> None:
        if day != self.day:
            self.day = day
            self.reload()

    def set_area(self, area: str | None) -> None:
        if area != self.area:
            self.area = area
            self.reload()

    def _changed(self, _record_id: str, kind: str) -> None:
        if kind not in ("evidence", "enquiry_line", "review"):
            return
        rows, titles = self._query()
        if [r.id for r in rows] != [r.id for r in self.rows] or titles != self._titles:
            self.beginResetModel()
            self.rows, self._titles = rows, titles
            self.endResetModel()
            return
        self.rows = rows
        if rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(rows) - 1, len(self.HEADERS) - 1)
            )

    def row_of(self, record_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == record_id), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802 - Qt override
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def text(self, record: Record, column: int) -> str:
        if column == 0:
            t = note_time(record)
            if t is None:
                return ""
            return f"{t:%H:%M}" if self.day is not None else f"{t:%d/%m/%Y %H:%M}"
        if column == 1:
            return str(record.get("activity", ""))
        if column == 2:
            return " · ".join(
                x for x in (record.get("year_group", ""), record.get("subject", "")) if x
            )
        if column == 3:
            return " ".join(str(record.get("note", "")).split())
        return ", ".join(self._titles[a] for a in record.get("areas", []) if a in self._titles)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        record = self.rows[index.row()]
        if role == RECORD_ID_ROLE:
            return record.id
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.text(record, index.column())
            if index.column() == 3 and not text:
                return "(no note yet)"
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.text(record, index.column()) or None
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.column() == 3
            and not record.get("note")
        ):
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None


# ====================================================================== editing cells


class RecordDelegate(QStyledItemDelegate):
    """Editors for RecordTableModel cells: dates dd/MM/yyyy, times HH:mm, choices, schools."""

    def __init__(
        self,
        model: RecordTableModel,
        parent: QObject | None = None,
        completions: Callable[[], list[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.completions = completions

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,  # noqa: N802
        index: AnyIndex,
    ) -> QWidget:
        column = self.model.columns[index.column()]
        w: QWidget
        if column.type == "date":
            w = DateEdit(parent)
            w.setDisplayFormat("dd/MM/yyyy")
            w.setCalendarPopup(True)
        elif column.type == "time":
            w = QTimeEdit(parent)
            w.setDisplayFormat("HH:mm")
        elif column.type in ("choice", "school"):
            w = QComboBox(parent)
            options = column.options if column.type == "choice" else self._schools()
            if column.type == "school":
                w.addItem("Not set", None)
            for value, text in options:
                w.addItem(text, value)
        else:
            w = QLineEdit(parent)
            if column.field == "name" and self.completions is not None:
                completer = QCompleter(self.completions(), w)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                w.setCompleter(completer)
        w.setAccessibleName(column.header)
        return w

    def _schools(self) -> list[tuple[str, str]]:
        return [(s.id, s.title) for s in self.model.ctx.store.list("school")]

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QDateEdit):
            d = QDate.fromString(str(value or "")[:10], "yyyy-MM-dd")
            editor.setDate(d if d.isValid() else QDate.currentDate())
        elif isinstance(editor, QTimeEdit):
            t = QTime.fromString(str(value or ""), "HH:mm")
            editor.setTime(t if t.isValid() else QTime(9, 0))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(  # noqa: N802 - Qt override
        self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex
    ) -> None:
        if isinstance(editor, QDateEdit):
            value: Any = editor.date().toString("yyyy-MM-dd")
        elif isinstance(editor, QTimeEdit):
            value = editor.time().toString("HH:mm")
        elif isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, QLineEdit):
            value = editor.text()
        else:  # createEditor makes no other kind
            return
        try:
            model.setData(index, value, Qt.ItemDataRole.EditRole)
        except PeerReviewError as exc:
            self.model.ctx.report(exc.message)
