"""The contact log's core side: one kind owned by a school, its migration, folder, title, report."""

from __future__ import annotations

import datetime as dt

from peerreview.forms import FormDefinition, FormLibrary
from peerreview.reports.model import BulletList, Heading, Report
from peerreview.sync.kinds import FieldSpec, FieldType, Kind
from peerreview.sync.records import Record
from peerreview.sync.registry import (
    Description,
    Feature,
    Folder,
    ReportBuilder,
    ReportRequest,
)
from peerreview.sync.schema import CreateIndex, CreateKindTable, Migration, text
from peerreview.sync.store import Store

KIND = "contact_note"

CONTACT_NOTE = Kind(
    KIND,
    "contact note",
    (
        FieldSpec("school", FieldType.REF, ref_kind="school"),
        FieldSpec("date", FieldType.DATE),
        FieldSpec("summary", FieldType.TEXT),
        FieldSpec("notes", FieldType.TEXT),
    ),
    school_field="school",
    owned_by=("school",),
    indexes=("school",),
)

MIGRATIONS = (
    Migration(
        "Contact notes, each with a school",
        (
            CreateKindTable(KIND, text("school", "date", "summary", "notes")),
            CreateIndex(KIND, ("school",)),
        ),
    ),
)

#: The form its notes are edited with (given to the session directly, not read from forms/).
FORM = FormDefinition.from_mapping(
    {
        "form": {"id": "contact-note", "version": 1, "title": "Contact note", "kind": KIND},
        "section": [
            {
                "id": "contact",
                "title": "Contact",
                "field": [
                    {"id": "summary", "label": "What it was about", "type": "text"},
                    {"id": "date", "label": "When", "type": "date"},
                    {"id": "notes", "label": "Notes", "type": "longtext"},
                ],
            }
        ],
    },
    source="tests/ui/contact_log",
)


def _describe(store: Store, record: Record, hide_names: bool) -> Description:
    summary = str(record.values.get("summary") or "Contact")
    return Description(f"{summary} · {record.values.get('date') or 'undated'}", short=summary)


def _report(store: Store, library: FormLibrary, request: ReportRequest) -> Report:
    """Every contact with a school, oldest first."""
    assert request.school is not None
    school = store.get(request.school)
    notes = store.list(KIND, where={"school": school.id}, order_by="date")
    pid = store.partnership_id
    return Report(
        title="Contact log",
        subtitle=f"Contacts with {school.title}",
        school_name=school.title,
        partnership_name=store.title(pid) if pid else "",
        audience="For the partnership's coordinator",
        confidentiality="Internal to the partnership",
        cover_facts=(("Contacts", str(len(notes))),),
        blocks=(
            Heading("Contacts"),
            BulletList(tuple(f"{n.values.get('date')}: {n.values.get('summary')}" for n in notes)),
        ),
        generated_on=dt.date.today(),
    )


FEATURE = Feature(
    name="contact_log",
    title="Contact log",
    kinds=(CONTACT_NOTE,),
    migrations=MIGRATIONS,
    folders=(
        Folder(
            "school",
            KIND,
            "Contact log",
            link_field="school",
            empty_text="No contacts logged with this school yet (Contacts → Log a contact…).",
            what=("contact note", "contact notes"),
        ),
    ),
    describers={KIND: _describe},
    reports=(ReportBuilder("contact-log", "Contact log", _report, of_school=True),),
)
