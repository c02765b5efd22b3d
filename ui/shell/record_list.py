"""A folder's page lists its records: a table with each record's name and the columns features add
(a school's last and next review; a review's dates, framework and status), sorted by any column.

Enter or a double-click opens a record, as choosing it in the navigator does. The columns are read
once for every row (``ListColumn.values`` is given all the records), not once per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from peerreview.sync.records import Record
from ui.shell.registry import UIRegistry
from ui.shell.session import Session
from ui.shell.signals import emit

AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 20
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 21


class RecordListModel(QAbstractTableModel):
    """Rows of records; the first column their names, then each feature's column."""

    def __init__(
        self,
        session: Session,
        features: UIRegistry,
        kind: str,
        records: Sequence[Record],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.records = list(records)
        columns = features.columns(kind)
        self.headers = [session.store.registry.label(kind).capitalize()]
        self.headers += [c.header for c in columns]
        names = [session.describe(r).list_label for r in self.records]
        self.cells: list[list[tuple[str, Any]]] = [[(n, n.casefold())] for n in names]
        for column in columns:
            values = column.values(session, self.records) if self.records else []
            for row, cell in zip(self.cells, values, strict=True):
                row.append(cell)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text, key = self.cells[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == SORT_ROLE:
            return key if key is not None else ""
        if role == RECORD_ID_ROLE:
            return self.records[index.row()].id
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None


class _Sorted(QSortFilterProxyModel):
    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:  # noqa: N802 - Qt override
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


class RecordList(QTableView):
    """The table of a folder's records; ``opened`` when one is chosen with Enter or a click."""

    #: open this record (as choosing it in the navigator does)
    opened = Signal(str)

    def __init__(
        self,
        session: Session,
        features: UIRegistry,
        kind: str,
        records: Sequence[Record],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.list_model = RecordListModel(session, features, kind, records, self)
        proxy = _Sorted(self)
        proxy.setSourceModel(self.list_model)
        proxy.setSortRole(SORT_ROLE)
        self.setModel(proxy)
        self.setAccessibleName(f"{session.store.registry.label(kind, plural=True).capitalize()}")
        self.setToolTip("Enter or a double-click opens one; click a heading to sort by it")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.list_model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.activated.connect(self._open)
        self.doubleClicked.connect(self._open)

    def _open(self, index: QModelIndex) -> None:
        record_id = index.data(RECORD_ID_ROLE) if index.isValid() else None
        if record_id:
            emit(self.opened, str(record_id))

    def rows(self) -> list[list[str]]:
        """What is shown, row by row, as sorted (for tests and screen readers' summaries)."""
        model = self.model()
        return [
            [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
