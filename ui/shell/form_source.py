"""Which form definition an editor is built from, and where each of its fields is stored.

A record made with a form keeps that form's id and version, so it is edited with that version. A
kind with no definition in ``forms/`` gets one derived from the store's declared fields (one
section, in the order the kind declares them), so every kind has an editor from the same machinery.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peerreview.errors import FormError
from peerreview.forms import Field, FormDefinition, FormLibrary
from peerreview.forms import FieldType as FormFieldType
from peerreview.sync.kinds import KEPT_BY_PURGE, FieldType, Kind
from peerreview.sync.records import Record

_INTERNAL = KEPT_BY_PURGE  # deleted, purged, the form used: the app's, never typed
_LONG = {"notes", "description"}
#: Kinds a form field can pick a record of (the form field types that are named for a kind).
_PICKED = frozenset(t.value for t in FormFieldType)

_LABELS = {
    "urn": "URN",
    "type_group": "Type group",
    "pupils": "Number of pupils",
    "headteacher": "Headteacher (person)",
    "headteacher_name": "Headteacher's name",
    "name": "Name",
    "email": "Email",
}


def store_field(kind: Kind, form: FormDefinition, field: Field) -> str:
    """The store's field for a form field: the declared field of that id, else a dynamic one.

    Dynamic fields are named ``<form id>.<field id>`` so two frameworks on one kind never clash
    and every version of one form keeps its answers.
    """
    return form.store_field(field.id, kind.by_name)


def _form_type(kind: Kind, name: str) -> tuple[FormFieldType, dict[str, Any]]:
    spec = kind.by_name[name]
    extra: dict[str, Any] = {}
    if spec.type is FieldType.INTEGER:
        return FormFieldType.NUMBER, extra
    if spec.type is FieldType.BOOLEAN:
        return FormFieldType.BOOLEAN, extra
    if spec.type is FieldType.DATE:
        return FormFieldType.DATE, extra
    if spec.choices:  # the words are shown, the value stored (``bind_form_field``)
        return FormFieldType.CHOICE, {"options": [value for value, _ in spec.choices]}
    if spec.type is FieldType.REF and spec.ref_kind in _PICKED:
        return FormFieldType(spec.ref_kind), extra  # a form field type named for the kind
    if name in _LONG:
        return FormFieldType.LONGTEXT, extra
    return FormFieldType.TEXT, extra


def derived_form(kinds: Mapping[str, Kind], kind_name: str) -> FormDefinition:
    """A form for ``kind_name`` made from the store's declared fields."""
    kind = kinds[kind_name]
    editable = [
        f.name
        for f in kind.fields
        if f.name not in _INTERNAL
        and f.editable
        # a link to a kind no picker offers would show a record id
        and not (f.type is FieldType.REF and f.ref_kind not in _PICKED)
        and f.type is not FieldType.JSON
    ]
    layout = [(kind.label.capitalize(), editable)]
    sections = []
    for n, (title, names) in enumerate(layout, start=1):
        fields = []
        for name in names:
            if name not in kind.by_name:
                continue
            ftype, extra = _form_type(kind, name)
            spec = kind.by_name[name]
            words = spec.label or name.replace("_", " ")
            # the first letter made a capital, the rest as declared ("RAG rating")
            label = _LABELS.get(name) or words[:1].upper() + words[1:]
            entry: dict[str, Any] = {"id": name, "label": label, "type": ftype.value, **extra}
            if spec.personal:
                entry["privacy"] = "personal"
            if name == "name":
                entry["required"] = True
            fields.append(entry)
        if fields:
            sections.append({"id": f"section{n}", "title": title, "field": fields})
    data = {
        "form": {
            "id": kind_name,
            "version": 1,
            "title": kind.label.capitalize(),
            "kind": kind_name,
        },
        "section": sections,
    }
    return FormDefinition.from_mapping(data, source=f"the built-in {kind_name} form")


def form_for_new(forms: FormLibrary, kind_name: str, kinds: Mapping[str, Kind]) -> FormDefinition:
    """The form a new record of ``kind_name`` is made with: the latest one describing the kind."""
    candidates = forms.latest(kind_name)
    for form in candidates:
        if form.id == kind_name:
            return form
    return candidates[0] if candidates else derived_form(kinds, kind_name)


def form_for(forms: FormLibrary, record: Record, kinds: Mapping[str, Kind]) -> FormDefinition:
    """The form to edit ``record`` with: the version it was made with when installed."""
    form_id = record.values.get("form_id")
    version = record.values.get("form_version")
    if form_id:
        try:
            return forms.get(str(form_id), int(version) if version else None)
        except FormError:
            try:
                return forms.get(str(form_id))
            except FormError:
                pass
    return form_for_new(forms, record.kind, kinds)
