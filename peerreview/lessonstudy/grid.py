"""A research lesson's grids, kept by the engine's grids (``peerreview.sync.grids``) cell by cell.

The proforma declares them (``type = "grid"`` fields of its research-lesson sections): the
predictions (stages down, case pupils across), each case pupil's success criteria, the interview
answers (questions down) and the discussion's evidence pupil by pupil. Their cells are fields of
the research lesson named after the cycle's form, ``<form prefix>.<grid>.<row id>.<column id>``,
so two laptops filling different cells never conflict. Who teaches and who observes each lesson
is a grid of the feature's own (``roles``), one cell per team member.
"""

from __future__ import annotations

from collections.abc import Mapping

from peerreview.errors import FormError
from peerreview.form_grids import read_form_grid
from peerreview.forms import FieldType, FormLibrary, dynamic_prefix
from peerreview.sync.changes import Change
from peerreview.sync.grids import (
    AxisEntry,
    Cell,
    Grid,
    GridLayout,
    RecordsAxis,
    cell_of,
    read_grid,
    records_axis,
    write_cells,
)
from peerreview.sync.records import Record
from peerreview.sync.store import Store

PREDICTIONS = "predictions"
CRITERIA = "criteria"
ANSWERS = "answers"
EVIDENCE = "evidence"
#: The one row of the criteria and evidence grids (their columns are the case pupils).
CRITERIA_ROW = "criteria"
EVIDENCE_ROW = "evidence"
#: Each team member's role in a lesson: the feature's own grid, not a form's.
ROLES = "roles"
ROLE_ROW = "role"
#: The proforma a cycle without one uses (cycles always record theirs; this is for safety).
DEFAULT_FORM = "lesson-study-dudley"


def form_id_of(cycle: Record) -> str:
    return str(cycle.get("form_id") or DEFAULT_FORM)


def name(cycle: Record, grid: str) -> str:
    """Where a grid's cells are kept on the cycle's lessons (``lesson_study_dudley.predictions``).

    The roles grid is the feature's own and has no form prefix."""
    if grid == ROLES:
        return ROLES
    return f"{dynamic_prefix(form_id_of(cycle))}.{grid}"


def _cycle_of_lesson(store: Store, lesson: Record) -> Record:
    return store.get(lesson["cycle"])


def lesson_name(store: Store, lesson: Record, grid: str) -> str:
    return name(_cycle_of_lesson(store, lesson), grid)


def write(
    store: Store, lesson_id: str, grid: str, cells: Mapping[Cell, str | None]
) -> list[Change]:
    """Set cells of one of a lesson's grids, in one transaction ("" or None clears a cell)."""
    lesson = store.get(lesson_id)
    return write_cells(store, lesson_id, lesson_name(store, lesson, grid), cells)


def texts(store: Store, lesson: Record, grid: str) -> dict[Cell, str]:
    """A grid's filled cells as the lesson record holds them (no layout needed)."""
    prefix = lesson_name(store, lesson, grid)
    out: dict[Cell, str] = {}
    for field_name, value in lesson.values.items():
        cell = cell_of(prefix, field_name)
        if cell is not None and value not in (None, ""):
            out[cell] = str(value)
    return out


def conflicted(store: Store, lesson: Record, grid: str) -> set[Cell]:
    prefix = lesson_name(store, lesson, grid)
    return {c for c in (cell_of(prefix, f) for f in lesson.conflicts) if c is not None}


def read(
    store: Store,
    library: FormLibrary,
    lesson_id: str,
    grid: str,
    *,
    hide_names: bool = False,
) -> Grid | None:
    """One of the proforma's grids on a lesson, laid out; None when the cycle's form has none
    of that name (a partnership's copy may leave one out)."""
    from peerreview.lessonstudy.cycles import Proforma

    lesson = store.get(lesson_id)
    form = Proforma.of(library, _cycle_of_lesson(store, lesson)).form
    try:
        field = form.field(grid)
    except KeyError:
        return None
    if field.type is not FieldType.GRID:
        return None
    try:
        return read_form_grid(store, lesson_id, form, grid, hide_names=hide_names)
    except FormError:
        return None


def roles_layout(store: Store, lesson_id: str, *, hide_names: bool = False) -> GridLayout:
    """The roles grid: one row, a column per team member."""
    members = records_axis(
        store,
        lesson_id,
        RecordsAxis(kind="cycle_member", link="cycle", of="cycle", label="name", order="position"),
        hide_names=hide_names,
    )
    return GridLayout(ROLES, (AxisEntry(ROLE_ROW, "Role in this lesson"),), members)


def read_roles(store: Store, lesson_id: str) -> Grid:
    return read_grid(store, lesson_id, roles_layout(store, lesson_id))
