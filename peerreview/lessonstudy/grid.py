"""A research lesson's grids, kept one field per cell so that laptops merge them cell by cell.

A grid is named (``prediction``: stages down, case pupils across; ``criteria``, ``discussion``
and ``role``: one cell per case pupil or team member; ``answer``: interview questions down, case
pupils across) and each of its cells is a field of the research lesson called
``<grid>.<row id>[.<column id>]``. Two laptops filling different cells write different fields and
never conflict; the same cell typed on two laptops is a conflict on that one field, shown on that
cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peerreview.errors import ValidationError
from peerreview.sync.records import Record
from peerreview.sync.store import Store

PREDICTION = "prediction"
CRITERIA = "criteria"
DISCUSSION = "discussion"
ROLE = "role"
ANSWER = "answer"

#: A pasted block larger than this many cells is refused before it is looked at.
MAX_PASTE_CELLS = 10_000


@dataclass(frozen=True)
class Cell:
    """One cell as this laptop shows it: the provisional value where laptops disagree."""

    value: str = ""
    conflicted: bool = False


def field(grid: str, *keys: str) -> str:
    """The field of a research lesson that holds one cell."""
    return ".".join((grid, *keys))


def cells(record: Record, grid: str) -> dict[tuple[str, ...], Cell]:
    """Every filled (or conflicted) cell of ``grid`` in ``record``, keyed by (row, column) ids."""
    prefix = grid + "."
    out: dict[tuple[str, ...], Cell] = {}
    for name, value in record.values.items():
        if name.startswith(prefix):
            out[tuple(name[len(prefix) :].split("."))] = Cell(
                "" if value is None else str(value), name in record.conflicts
            )
    for name in record.conflicts:
        if name.startswith(prefix):
            key = tuple(name[len(prefix) :].split("."))
            out.setdefault(key, Cell("", True))
    return out


def cell(record: Record, grid: str, *keys: str) -> Cell:
    name = field(grid, *keys)
    value = record.values.get(name)
    return Cell("" if value is None else str(value), name in record.conflicts)


def set_cells(
    store: Store, record_id: str, grid: str, values: Mapping[tuple[str, ...], str]
) -> None:
    """Write cells of ``grid`` (one transaction; unchanged cells are not written)."""
    store.update(record_id, {field(grid, *keys): text.strip() for keys, text in values.items()})


def parse_block(text: str) -> list[list[str]]:
    """A block of cells copied from Excel, Word or this grid: tab-separated rows, Excel quoting.

    A trailing newline (Excel adds one) makes no empty row; ragged rows are padded to the widest.
    """
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if '"' in text:
        rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter="\t", strict=False)]
    else:
        rows = [line.split("\t") for line in text.split("\n")]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def format_block(rows: Sequence[Sequence[str]]) -> str:
    """Cells as tab-separated text Excel and Word read back (cells with tabs, newlines or quotes
    quoted, as Excel writes them)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow(list(row))
    return out.getvalue()


def paste_block(
    store: Store,
    record_id: str,
    grid: str,
    rows: Sequence[str],
    columns: Sequence[str],
    top: int,
    left: int,
    block: Sequence[Sequence[str]],
) -> int:
    """Paste ``block`` into the grid with its first cell at (``top``, ``left``).

    Returns:
        How many cells were filled.

    Raises:
        ValidationError: the block does not fit from there (nothing is pasted).
    """
    height = len(block)
    width = max((len(r) for r in block), default=0)
    if height == 0 or width == 0:
        return 0
    room_down, room_across = len(rows) - top, len(columns) - left
    if height * width > MAX_PASTE_CELLS or height > room_down or width > room_across:
        raise ValidationError(
            f"The pasted block is {_count(height, 'row')} by {_count(width, 'column')}, but from "
            f"this cell the grid has room for {_count(max(room_down, 0), 'row')} by "
            f"{_count(max(room_across, 0), 'column')}. Nothing was pasted."
        )
    values: dict[tuple[str, ...], str] = {
        (rows[top + r], columns[left + c]): block[r][c] if c < len(block[r]) else ""
        for r in range(height)
        for c in range(width)
    }
    set_cells(store, record_id, grid, values)
    return len(values)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
