"""How fields and values read to people: form labels, British dates, records by name."""

from __future__ import annotations

import json
from typing import Any

from peerreview.form_grids import grid_fields, grid_name
from peerreview.forms import GridAxis
from peerreview.sync.grids import cell_of
from peerreview.sync.kinds import FieldType
from ui.shell.form_source import form_for_new
from ui.shell.formatting import prose_date
from ui.shell.privacy import HIDDEN
from ui.shell.session import Session


def _axis_label(session: Session, axis: GridAxis, item_id: str) -> str:
    """A grid's row or column in words: the form's label, or the record's (as it may be shown)."""
    for item in axis.items:
        if item.id == item_id:
            return item.label
    if axis.records is not None and session.store.exists(item_id):
        record = session.store.get(item_id)
        name = axis.records.label
        if name and record.values.get(name) and not session.hides(record.kind, name):
            return str(record.values[name])
        return session.display_title(record)
    return "a row or column no longer shown"


def grid_cell_label(session: Session, kind: str, field: str) -> str | None:
    """ "Predicted responses (Stage 2, Pupil B)" for a field holding a cell of a form's grid, or
    None when the field is not a grid's cell."""
    # A grid's cells may be kept on records of another kind than its form's (a cycle's form puts
    # its predictions on each research lesson): the kind's own forms first, then every form.
    for form in (*session.forms.latest(kind), *session.forms.latest()):
        for grid in grid_fields(form):
            cell = cell_of(grid_name(form, grid), field)
            if cell is not None and grid.grid is not None:
                row = _axis_label(session, grid.grid.rows, cell[0])
                column = _axis_label(session, grid.grid.columns, cell[1])
                return f"{grid.label} ({row}, {column})"
    return None


def field_label(session: Session, kind: str, field: str) -> str:
    """The words people see for a field: the form's label, else the store's."""
    cell = grid_cell_label(session, kind, field)
    if cell is not None:
        return cell
    form = form_for_new(session.forms, kind, session.store.kinds)
    for f in form.fields():
        if f.id == field or field.endswith("." + f.id):
            return f.label
    k = session.store.registry.kinds.get(kind)
    spec = k.spec(field) if k else None
    return (
        (spec.label if spec and spec.label else field.split(".")[-1]).replace("_", " ")
    ).capitalize()


def is_long_text(session: Session, kind: str, field: str) -> bool:
    """Does the field hold paragraphs (a form's long text) rather than one line (a postcode)?"""
    from peerreview.forms import FieldType as FormFieldType

    if grid_cell_label(session, kind, field) is not None:
        return True  # a grid's cells hold a few lines each
    form = form_for_new(session.forms, kind, session.store.kinds)
    for f in form.fields():
        if f.id == field or field.endswith("." + f.id):
            return f.type is FormFieldType.LONGTEXT
    return False


def describe_value(session: Session, kind: str, field: str, value: Any) -> str:
    """A stored value as a person reads it (dates in British prose, records by name)."""
    if session.hides(kind, field):
        return HIDDEN
    if value is None or value == "":
        return "(empty)"
    k = session.store.registry.kinds.get(kind)
    spec = k.spec(field) if k else None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if spec is not None and spec.type is FieldType.DATE:
        return prose_date(value)
    if spec is not None and spec.type is FieldType.REF:
        return session.title_of(str(value))
    if isinstance(value, list):
        return "\n".join(
            "• "
            + (
                ", ".join(f"{k}: {v}" for k, v in item.items())
                if isinstance(item, dict)
                else str(item)
            )
            for item in value
        )
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)
