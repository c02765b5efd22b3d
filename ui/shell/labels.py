"""How fields and values read to people: form labels, British dates, records by name."""

from __future__ import annotations

import json
from typing import Any

from peerreview.sync.kinds import FieldType
from ui.shell.form_source import form_for_new
from ui.shell.formatting import prose_date
from ui.shell.privacy import HIDDEN
from ui.shell.session import Session


def field_label(session: Session, kind: str, field: str) -> str:
    """The words people see for a field: the form's label, else the store's."""
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
