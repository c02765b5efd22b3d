"""Grids of text cells that merge cell by cell: one field of the record per (grid, row, column).

A grid (lesson stages down, case pupils across) belongs to one record of a kind that takes
form-defined fields (``Kind.dynamic``). Each cell is a field of that record named
``<grid>.<row id>.<column id>``, so two laptops filling different cells change different fields
and never conflict, and the same cell filled differently on two laptops is a conflict on that one
field. Rows and columns are keyed by stable ids (record ids, or ids a form lists), never by
position: adding, removing or reordering a case pupil moves no prediction.

    layout = GridLayout("lesson_plan.predictions", rows=stages, columns=pupils)
    write_cells(store, lesson, layout.name, {(stage_id, pupil_id): "Counts on in ones"})
    grid = read_grid(store, lesson, layout)
    grid.text(stage_id, pupil_id), grid.conflict(stage_id, pupil_id)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from peerreview.errors import ValidationError
from peerreview.sync.changes import Change
from peerreview.sync.kinds import MAX_TEXT_CHARS
from peerreview.sync.records import Conflict, Record
from peerreview.sync.store import Store

#: A cell of a grid: (row id, column id).
Cell = tuple[str, str]

# A grid's name is a field-name prefix; each row and column id one more segment. Together they
# make a name the store accepts as a form-defined field (``kinds._DYNAMIC_RE``).
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_-]+)*$")
_ID_RE = re.compile(r"^[a-z0-9_-]{1,64}$")


def _check_name(name: str) -> None:
    if not _NAME_RE.match(name):
        raise ValidationError(f"{name[:60]!r} cannot name a grid.")


def _check_id(axis: str, item_id: str) -> None:
    if not isinstance(item_id, str) or not _ID_RE.match(item_id):
        raise ValidationError(
            f"{str(item_id)[:60]!r} cannot be the id of a {axis} of a grid; use a record id or "
            "lowercase letters, digits, - and _."
        )


def cell_field(grid: str, row: str, column: str) -> str:
    """The record field holding one cell: ``<grid>.<row id>.<column id>``."""
    _check_name(grid)
    _check_id("row", row)
    _check_id("column", column)
    return f"{grid}.{row}.{column}"


def cell_of(grid: str, field_name: str) -> Cell | None:
    """The (row, column) a record field holds for ``grid``, or None when it is not one of its
    cells."""
    prefix = grid + "."
    if not field_name.startswith(prefix):
        return None
    parts = field_name[len(prefix) :].split(".")
    if len(parts) != 2 or not all(_ID_RE.match(p) for p in parts):
        return None
    return parts[0], parts[1]


@dataclass(frozen=True)
class AxisEntry:
    """One row or column: the stable id its cells are kept under, and the words people see."""

    id: str
    label: str


@dataclass(frozen=True)
class GridLayout:
    """Which grid, and its rows and columns in the order they are shown."""

    name: str
    rows: tuple[AxisEntry, ...]
    columns: tuple[AxisEntry, ...]

    def __post_init__(self) -> None:
        _check_name(self.name)
        for axis, entries in (("row", self.rows), ("column", self.columns)):
            seen: set[str] = set()
            for entry in entries:
                _check_id(axis, entry.id)
                if entry.id in seen:
                    raise ValidationError(f"A grid cannot have two {axis}s with the id {entry.id}.")
                seen.add(entry.id)

    def cell_at(self, row: int, column: int) -> Cell:
        """The cell at a position (counting from 0) as it is shown now."""
        return self.rows[row].id, self.columns[column].id

    def row_position(self, row_id: str) -> int | None:
        return next((n for n, e in enumerate(self.rows) if e.id == row_id), None)

    def column_position(self, column_id: str) -> int | None:
        return next((n for n, e in enumerate(self.columns) if e.id == column_id), None)


@dataclass(frozen=True)
class Grid:
    """A grid as this laptop shows it now: its layout, cell texts and cells in conflict.

    ``cells`` holds every non-empty cell stored for the grid, including cells of rows or columns
    no longer laid out (a case pupil deleted: the prediction is kept, not shown; it shows again
    if the pupil is restored). A conflicted cell shows its provisional value in ``cells`` and its
    competing values in ``conflicts``.
    """

    record_id: str
    layout: GridLayout
    cells: Mapping[Cell, str] = field(default_factory=lambda: MappingProxyType({}))
    conflicts: Mapping[Cell, Conflict] = field(default_factory=lambda: MappingProxyType({}))
    #: the record holding the grid is deleted (show it, do not edit it)
    deleted: bool = False

    @property
    def name(self) -> str:
        return self.layout.name

    @property
    def rows(self) -> tuple[AxisEntry, ...]:
        return self.layout.rows

    @property
    def columns(self) -> tuple[AxisEntry, ...]:
        return self.layout.columns

    def text(self, row: str, column: str) -> str:
        """The cell's text ("" when empty)."""
        return self.cells.get((row, column), "")

    def conflict(self, row: str, column: str) -> Conflict | None:
        """The cell's open conflict, or None."""
        return self.conflicts.get((row, column))

    def field(self, row: str, column: str) -> str:
        """The record field holding the cell."""
        return cell_field(self.name, row, column)

    def table(self) -> tuple[tuple[str, ...], ...]:
        """The texts as laid out: one tuple per row, one text per column (for reports)."""
        return tuple(tuple(self.text(r.id, c.id) for c in self.columns) for r in self.rows)

    @property
    def hidden_cells(self) -> Mapping[Cell, str]:
        """Cells stored for rows or columns that are not laid out now."""
        rows = {e.id for e in self.rows}
        columns = {e.id for e in self.columns}
        return {
            cell: text
            for cell, text in self.cells.items()
            if cell[0] not in rows or cell[1] not in columns
        }


def _grid_record(store: Store, record_id: str) -> Record:
    record = store.get(record_id)
    kind = store.registry.kind(record.kind)
    if not kind.dynamic:
        raise ValidationError(f"A {kind.label} cannot hold a grid.")
    return record


def read_grid(store: Store, record_id: str, layout: GridLayout) -> Grid:
    """The grid ``layout`` names on a record: every cell's text, and every conflicted cell with
    its competing values (``store.conflict``).

    Raises:
        RecordNotFound: there is no such record.
        ValidationError: its kind cannot hold a grid.
    """
    record = _grid_record(store, record_id)
    cells: dict[Cell, str] = {}
    for name, value in record.values.items():
        cell = cell_of(layout.name, name)
        if cell is not None and value is not None and value != "":
            cells[cell] = value if isinstance(value, str) else str(value)
    conflicts: dict[Cell, Conflict] = {}
    for name in sorted(record.conflicts):
        cell = cell_of(layout.name, name)
        if cell is not None:
            conflicts[cell] = store.conflict(record_id, name)
    return Grid(
        record_id,
        layout,
        MappingProxyType(cells),
        MappingProxyType(conflicts),
        deleted=record.deleted,
    )


def cell_values(grid: str, cells: Mapping[Cell, str | None]) -> dict[str, str | None]:
    """The record fields and values that set ``cells`` (empty text clears a cell).

    Raises:
        ValidationError: a cell's id is not valid, or its value is not text or is too long.
    """
    values: dict[str, str | None] = {}
    for (row, column), text in cells.items():
        name = cell_field(grid, row, column)
        if text is not None and not isinstance(text, str):
            raise ValidationError(f"A cell of a grid holds text, not {text!r:.60}.")
        if text is not None and len(text) > MAX_TEXT_CHARS:
            raise ValidationError(
                f"A cell of a grid holds at most {MAX_TEXT_CHARS:,} characters. "
                "Shorten the text or attach it as a document."
            )
        values[name] = text or None
    return values


def write_cells(
    store: Store, record_id: str, grid: str, cells: Mapping[Cell, str | None]
) -> list[Change]:
    """Set a block of cells in one transaction (``None`` or "" clears one).

    Cells whose text is unchanged are not written, unless they are in conflict: writing a
    conflicted cell settles it with the text written.

    Raises:
        RecordNotFound, ValidationError: no such record, a kind that cannot hold a grid, a deleted
            record, or a value that is not text.
    """
    _grid_record(store, record_id)
    values: dict[str, Any] = dict(cell_values(grid, cells))
    return store.update(record_id, values) if values else []


def write_cell(
    store: Store, record_id: str, grid: str, row: str, column: str, text: str | None
) -> list[Change]:
    """Set one cell (``None`` or "" clears it)."""
    return write_cells(store, record_id, grid, {(row, column): text})


def clear_cells(store: Store, record_id: str, grid: str, cells: Iterable[Cell]) -> list[Change]:
    """Empty cells, in one transaction."""
    return write_cells(store, record_id, grid, dict.fromkeys(cells))


def settle_cell(
    store: Store, record_id: str, grid: str, row: str, column: str, text: str | None
) -> list[Change]:
    """Settle a conflicted cell with ``text`` (one of the competing values, or a merged one).

    Raises:
        ConflictError: the cell is not in conflict (any more).
    """
    (value,) = cell_values(grid, {(row, column): text}).values()
    return store.resolve(record_id, cell_field(grid, row, column), value)


# ------------------------------------------------------------------ rows and columns from records


@dataclass(frozen=True)
class RecordsAxis:
    """Rows or columns that are records: those of ``kind`` whose field ``link`` names the record
    reached from the grid's record by ``of``.

    ``of`` is ``"id"`` for the grid's record itself, one of its reference fields (``"cycle"``), or
    a path of them (``"lesson.cycle"``). Each record shows as its field ``label`` (its usual name
    when "" or empty), in the order of its field ``order`` (the order the records were made in
    when "").
    """

    kind: str
    link: str
    of: str = "id"
    label: str = ""
    order: str = ""


def _follow(store: Store, record: Record, path: str) -> str | None:
    """The record id reached from ``record`` along a path of reference fields ("id": itself)."""
    if path == "id":
        return record.id
    current: Record | None = record
    target: str | None = None
    for step in path.split("."):
        if current is None:
            return None
        kind = store.registry.kind(current.kind)
        if kind.spec(step) is None:
            raise ValidationError(f"A {kind.label} has no field called {step!r}.")
        value = current.values.get(step)
        target = value if isinstance(value, str) and store.exists(value) else None
        current = store.get(target) if target is not None else None
    return target


def records_axis(
    store: Store, record_id: str, axis: RecordsAxis, *, hide_names: bool = False
) -> tuple[AxisEntry, ...]:
    """The rows or columns ``axis`` names for the grid on ``record_id`` (deleted records left out).

    Args:
        hide_names: privacy mode: a label from a personal field is replaced by the record's
            description with names hidden.

    Raises:
        ValidationError: the axis names a kind or field these features do not have.
    """
    kind = store.registry.kind(axis.kind)
    for name in (axis.link, axis.label, axis.order):
        if name and kind.spec(name) is None:
            raise ValidationError(f"A {kind.label} has no field called {name!r}.")
    target = _follow(store, store.get(record_id), axis.of)
    if target is None:
        return ()
    found = store.list(kind.name, where={axis.link: target}, order_by=axis.order or "id")
    spec = kind.spec(axis.label) if axis.label else None
    hide = hide_names and spec is not None and spec.personal
    entries = []
    for rec in found:
        text = "" if hide or not axis.label else str(rec.values.get(axis.label) or "")
        if not text.strip():
            described = store.registry.describe(store, rec, hide_names=hide_names)
            text = described.short_title
        entries.append(AxisEntry(rec.id, text))
    return tuple(entries)
