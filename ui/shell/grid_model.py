"""The Qt model of a grid: rows down, columns across, headers from their labels, one cell per index.

A thin adapter over the core's frozen ``Grid``: it shows what the store holds (``set_grid`` after
every write) and hands each edit to a writer (the grid editor writes through the session), never
keeping text of its own. Alongside each cell it can show a read-only "other" text (the prediction
beside an observation) and marks a cell whose laptops disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from peerreview.sync.grids import Cell, Grid
from peerreview.sync.records import Conflict, ConflictValue
from ui.shell.privacy import HIDDEN

AnyIndex = QModelIndex | QPersistentModelIndex

#: The read-only "other" text of a cell (shown greyed), "" when none.
OTHER_ROLE = Qt.ItemDataRole.UserRole + 1
#: The cell's open conflict (a ``Conflict``), or None.
CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 2

#: The amber of the app's other conflict markers (theme.py), see-through so it suits dark mode too.
CONFLICT_FILL = QColor(224, 161, 0, 46)
CONFLICT_EDGE = QColor(224, 161, 0)

#: Writes cells ({(row id, column id): text or None}) with an undo label; False when refused.
CellWriter = Callable[[Mapping[Cell, str | None], str], bool]
#: Names who wrote a competing value, e.g. "Ann on Laptop A" (privacy mode hides names).
WhoWrote = Callable[[ConflictValue], str]


def _who(value: ConflictValue) -> str:
    return f"{value.author} on {value.device_name}"


def _quote(text: Any, limit: int = 80) -> str:
    shown = "" if text is None else str(text).replace("\n", " ")
    if not shown.strip():
        return "an empty cell"
    return f"“{shown[:limit]}{'…' if len(shown) > limit else ''}”"


def conflict_sentence(conflict: Conflict, who: WhoWrote = _who) -> str:
    """One sentence naming the competing values of a cell and who wrote them where."""
    values = [f"{_quote(v.value)} ({who(v)})" for v in conflict.values]
    listed = ", ".join(values[:-1]) + f" and {values[-1]}" if len(values) > 1 else values[0]
    return (
        f"Laptops disagree about this cell: {listed}. Right-click it to keep one, or type the "
        "text you agree on."
    )


class GridTableModel(QAbstractTableModel):
    """Adapts one ``Grid`` (and optional read-only other texts) to a table view."""

    def __init__(
        self,
        grid: Grid,
        *,
        write: CellWriter | None = None,
        label: str = "",
        other: Mapping[Cell, str] | None = None,
        other_label: str = "",
        hidden: bool = False,
        who: WhoWrote = _who,
        parent: QObject | None = None,
    ) -> None:
        """
        Args:
            grid: what the store holds now.
            write: where edits go; None for a grid that cannot be edited here.
            label: the grid's name, for undo steps ("edit Predicted responses").
            other: read-only text shown greyed in cells (the predictions beside observations).
            other_label: what the other text is ("Predicted"), for tooltips.
            hidden: privacy mode hides the cells' text (never put into the model's data).
            who: names who wrote each competing value of a conflict.
        """
        super().__init__(parent)
        self._grid = grid
        self._write = write
        self.label = label
        self._other: Mapping[Cell, str] = MappingProxyType(dict(other or {}))
        self.other_label = other_label
        self._hidden = hidden
        self._read_only = write is None
        self._who = who

    # ------------------------------------------------------------------ what it shows

    @property
    def grid(self) -> Grid:
        return self._grid

    @property
    def hidden(self) -> bool:
        return self._hidden

    @property
    def editable(self) -> bool:
        """True when cells may be edited now."""
        return not (self._read_only or self._hidden or self._grid.deleted)

    def set_read_only(self, read_only: bool) -> None:
        """Block edits (a long job running) or allow them again (when a writer is set)."""
        read_only = read_only or self._write is None
        if read_only != self._read_only:
            self._read_only = read_only
            self._all_changed()

    def set_grid(self, grid: Grid) -> None:
        """Show the store's grid now: only the cells and headers that changed are repainted; new
        or removed rows or columns reset the model."""
        old = self._grid
        self._grid = grid
        if _ids(old) != _ids(grid):
            self.beginResetModel()
            self.endResetModel()
            return
        for orientation, before, after in (
            (Qt.Orientation.Vertical, old.rows, grid.rows),
            (Qt.Orientation.Horizontal, old.columns, grid.columns),
        ):
            if before != after and after:
                self.headerDataChanged.emit(orientation, 0, len(after) - 1)
        if old.deleted != grid.deleted:
            self._all_changed()
            return
        for r, row in enumerate(grid.rows):
            for c, column in enumerate(grid.columns):
                cell = (row.id, column.id)
                if old.text(*cell) != grid.text(*cell) or _competing(old, cell) != _competing(
                    grid, cell
                ):
                    index = self.index(r, c)
                    self.dataChanged.emit(index, index)

    def set_other(self, other: Mapping[Cell, str]) -> None:
        """Show new read-only other texts."""
        if dict(other) != dict(self._other):
            self._other = MappingProxyType(dict(other))
            self._all_changed()

    def _all_changed(self) -> None:
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def cell(self, index: AnyIndex) -> Cell:
        """The (row id, column id) of an index."""
        return self._grid.layout.cell_at(index.row(), index.column())

    def text(self, index: AnyIndex) -> str:
        """The cell's stored text ("" when empty), never hidden: for the editor's own use."""
        return self._grid.text(*self.cell(index))

    def conflict(self, index: AnyIndex) -> Conflict | None:
        return self._grid.conflict(*self.cell(index))

    def other(self, index: AnyIndex) -> str:
        return self._other.get(self.cell(index), "")

    def who(self, value: ConflictValue) -> str:
        """Who wrote a competing value, on which laptop (as privacy mode allows)."""
        return self._who(value)

    def position(self, cell: Cell) -> tuple[int, int] | None:
        """Where a cell is shown now (row, column), or None when it is not laid out."""
        row = self._grid.layout.row_position(cell[0])
        column = self._grid.layout.column_position(cell[1])
        return None if row is None or column is None else (row, column)

    # ------------------------------------------------------------------ Qt's model interface

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._grid.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._grid.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self.text(index)
            return HIDDEN if self._hidden and text else text
        if role == Qt.ItemDataRole.EditRole:
            return "" if self._hidden else self.text(index)
        if role == OTHER_ROLE:
            return "" if self._hidden else self.other(index)
        if role == CONFLICT_ROLE:
            return self.conflict(index)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index) or None
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return self._tooltip(index)
        if role == Qt.ItemDataRole.BackgroundRole:
            return CONFLICT_FILL if self.conflict(index) is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        return None

    def _tooltip(self, index: AnyIndex) -> str:
        parts = []
        row, column = self._grid.rows[index.row()], self._grid.columns[index.column()]
        parts.append(f"{row.label}, {column.label}")
        other = "" if self._hidden else self.other(index)
        if other:
            parts.append(f"{self.other_label or 'Alongside'}: {other}")
        conflict = self.conflict(index)
        if conflict is not None and not self._hidden:
            parts.append(conflict_sentence(conflict, self._who))
        elif conflict is not None:
            parts.append("Laptops disagree about this cell; turn privacy mode off to settle it.")
        return "\n".join(parts)

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        entries = (
            self._grid.columns if orientation == Qt.Orientation.Horizontal else self._grid.rows
        )
        if not 0 <= section < len(entries):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return entries[section].label
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Vertical:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        return base | Qt.ItemFlag.ItemIsEditable if self.editable else base

    def setData(  # noqa: N802 - Qt override
        self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        text = "" if value is None else str(value)
        row, column = self._grid.rows[index.row()], self._grid.columns[index.column()]
        return self.write({self.cell(index): text}, f"{self.label} ({row.label}, {column.label})")

    def write(self, cells: Mapping[Cell, str | None], label: str) -> bool:
        """Hand cells to the writer (the store's grid is shown once it is written)."""
        if not self.editable or self._write is None:
            return False
        return self._write(cells, label)


def _ids(grid: Grid) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(r.id for r in grid.rows), tuple(c.id for c in grid.columns)


def _competing(grid: Grid, cell: Cell) -> tuple[str, ...]:
    conflict = grid.conflict(*cell)
    return () if conflict is None else tuple(v.change_id for v in conflict.values)
