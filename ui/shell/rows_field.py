"""The repeating-rows field: a small table with Add row / Remove row, stored as a list of rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerreview.forms import Column, Field
from peerreview.forms import FieldType as F
from ui.shell.binding import Binding, decode_json
from ui.shell.formatting import table_date
from ui.shell.signals import emit

AnyIndex = QModelIndex | QPersistentModelIndex


class _ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of a column's options while a cell is edited."""

    def __init__(self, options: tuple[str, ...], parent: QWidget) -> None:
        super().__init__(parent)
        self.options = options

    def createEditor(  # noqa: N802 - Qt override
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        box = QComboBox(parent)
        box.addItems(["", *self.options])
        return box

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data() or ""))

    def setModelData(  # noqa: N802 - Qt override
        self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText())


def _cell_to_value(column: Column, item: QTableWidgetItem | None) -> Any:
    if item is None:
        return None
    if column.type is F.BOOLEAN:
        return item.checkState() == Qt.CheckState.Checked
    text = item.text().strip()
    if not text:
        return None
    if column.type is F.NUMBER:
        try:
            return int(text)
        except ValueError:
            return text
    if column.type is F.DATE:
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                pass
        return text
    return text


class RowsField(QWidget):
    """Rows of scalar columns, e.g. a schedule (time, activity, who), with Add row / Remove row."""

    #: the person changed a cell, or added or removed a row
    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.columns = field.columns
        table = QTableWidget(0, len(self.columns))
        table.setHorizontalHeaderLabels([c.label for c in self.columns])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        table.setTabKeyNavigation(False)
        table.setMinimumHeight(120)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for n, column in enumerate(self.columns):
            if column.type is F.CHOICE:
                table.setItemDelegateForColumn(n, _ChoiceDelegate(column.options, table))
        table.itemChanged.connect(self._item_changed)
        self.table = table
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add row")
        self.add_button.setAccessibleName(f"Add a row to {field.label}")
        self.add_button.clicked.connect(self._add_row)
        self.remove_button = QPushButton("Remove row")
        self.remove_button.setAccessibleName(f"Remove the selected row of {field.label}")
        self.remove_button.clicked.connect(self._remove_row)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addWidget(table)
        layout.addLayout(buttons)

    def _item_changed(self, _item: QTableWidgetItem) -> None:
        emit(self.changed)

    def _make_item(self, column: Column, value: Any) -> QTableWidgetItem:
        item = QTableWidgetItem()
        if column.type is F.BOOLEAN:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        elif column.type is F.DATE:
            item.setText(table_date(value) or ("" if value is None else str(value)))
        else:
            item.setText("" if value is None else str(value))
        return item

    def _add_row(self) -> None:
        row = self.table.rowCount()
        blocked = self.table.blockSignals(True)
        self.table.insertRow(row)
        for n, column in enumerate(self.columns):
            self.table.setItem(row, n, self._make_item(column, None))
        self.table.blockSignals(blocked)
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        emit(self.changed)

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            emit(self.changed)

    def value(self) -> Any:
        rows = []
        for r in range(self.table.rowCount()):
            row = {
                c.id: _cell_to_value(c, self.table.item(r, n)) for n, c in enumerate(self.columns)
            }
            row = {k: v for k, v in row.items() if v not in (None, False)}
            if row:
                rows.append(row)
        return rows or None

    def set_value(self, value: Any) -> None:
        rows = decode_json(value) or []
        self.table.setRowCount(0)
        for r, row in enumerate(rows if isinstance(rows, list) else []):
            self.table.insertRow(r)
            for n, column in enumerate(self.columns):
                cell = row.get(column.id) if isinstance(row, dict) else None
                self.table.setItem(r, n, self._make_item(column, cell))

    def set_editable(self, editable: bool) -> None:
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            if editable
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )


class RowsBinding(Binding[RowsField]):
    """A repeating-rows field, saved after a pause like typing (each cell is typed)."""

    @property
    def table(self) -> QTableWidget:
        return self.widget.table

    @property
    def add_button(self) -> QPushButton:
        return self.widget.add_button

    @property
    def remove_button(self) -> QPushButton:
        return self.widget.remove_button

    def focus_widget(self) -> QWidget:
        return self.widget.table

    def _signal_widgets(self) -> list[QObject]:
        return [self.widget, self.widget.table]

    def _connect(self) -> None:
        self.widget.changed.connect(self._on_edit)

    def value(self) -> Any:
        return self.widget.value()

    def _show(self, value: Any) -> None:
        self.widget.set_value(value)

    def _set_editable(self, editable: bool) -> None:
        # The table stays enabled, so a hidden or busy table can still be scrolled and read.
        self.widget.set_editable(editable)
