"""The grids forms declare, laid out for one record: its rows, its columns and where its cells live.

A grid field of a form (``type = "grid"``, see docs/forms.md) is stored as cells of the record the
form describes (``peerreview.sync.grids``), under ``<form prefix>.<field id>``. Its rows and
columns are listed in the form or are records of the store (the stages of a lesson, the case
pupils of its cycle), looked up here for one record.
"""

from __future__ import annotations

from peerreview.errors import FormError, ValidationError
from peerreview.forms import Field, FieldType, FormDefinition, GridAxis, GridDefinition
from peerreview.sync.grids import AxisEntry, Grid, GridLayout, RecordsAxis, read_grid, records_axis
from peerreview.sync.store import Store


def grid_name(form: FormDefinition, field: Field) -> str:
    """The name a grid field's cells are kept under (``lesson_plan.predictions``)."""
    return f"{form.dynamic_prefix}.{field.id}"


def grid_fields(form: FormDefinition) -> list[Field]:
    """The form's grid fields, in order."""
    return [f for f in form.fields() if f.type is FieldType.GRID]


def _definition(form: FormDefinition, field: Field) -> GridDefinition:
    if field.grid is None:
        raise FormError(f'{form.source}: field "{field.id}" is not a grid.')
    return field.grid


def axis_entries(
    store: Store, record_id: str, axis: GridAxis, *, hide_names: bool = False
) -> tuple[AxisEntry, ...]:
    """The rows or columns of one axis for the grid on ``record_id``."""
    if axis.records is None:
        return tuple(AxisEntry(item.id, item.label) for item in axis.items)
    r = axis.records
    source = RecordsAxis(kind=r.kind, link=r.link, of=r.of, label=r.label, order=r.order)
    return records_axis(store, record_id, source, hide_names=hide_names)


def grid_layout(
    store: Store, record_id: str, form: FormDefinition, field: Field, *, hide_names: bool = False
) -> GridLayout:
    """The rows and columns of a form's grid field on one record, in the order they are shown.

    Raises:
        FormError: the field is not a grid, or names kinds or fields these features lack.
    """
    definition = _definition(form, field)
    try:
        return GridLayout(
            grid_name(form, field),
            rows=axis_entries(store, record_id, definition.rows, hide_names=hide_names),
            columns=axis_entries(store, record_id, definition.columns, hide_names=hide_names),
        )
    except ValidationError as exc:
        raise FormError(
            f'{form.source}: the grid "{field.id}" cannot be laid out: {exc.message}'
        ) from None


def read_form_grid(
    store: Store, record_id: str, form: FormDefinition, field_id: str, *, hide_names: bool = False
) -> Grid:
    """A form's grid field on one record, read from the store.

    Raises:
        FormError: the form has no such grid field, or it cannot be laid out.
        RecordNotFound: there is no such record.
    """
    try:
        field = form.field(field_id)
    except KeyError:
        raise FormError(f'{form.source}: there is no field "{field_id}".') from None
    layout = grid_layout(store, record_id, form, field, hide_names=hide_names)
    return read_grid(store, record_id, layout)


def watched_kinds(field: Field) -> frozenset[str]:
    """Kinds whose records, when edited, can change the grid's rows or columns."""
    if field.grid is None:
        return frozenset()
    axes = (field.grid.rows, field.grid.columns)
    return frozenset(a.records.kind for a in axes if a.records is not None)
