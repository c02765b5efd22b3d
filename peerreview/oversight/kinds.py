"""The partnership view's kinds of record: indicators per school and the coordinator's contacts."""

from __future__ import annotations

from typing import Any

from peerreview.sync.kinds import FieldSpec, FieldType, Kind
from peerreview.sync.schema import CreateIndex, CreateKindTable, Migration, text

T, D, R = FieldType.TEXT, FieldType.DATE, FieldType.REF


def _f(name: str, t: FieldType = FieldType.TEXT, **kw: Any) -> FieldSpec:
    return FieldSpec(name, t, **kw)


#: The measures' ids and names (``indicators.MEASURES`` says the same, with their units; a test
#: keeps them together; here so that opening a store does not load the indicators' rules).
MEASURES = (
    ("attendance", "Attendance"),
    ("persistent_absence", "Persistent absence"),
    ("suspensions", "Suspensions (rate)"),
    ("exclusions", "Permanent exclusions"),
    ("ks2_rwm", "KS2 reading, writing and maths at the expected standard"),
    ("ks4_progress8", "Progress 8"),
    ("ks4_attainment8", "Attainment 8"),
    ("disadvantaged", "Disadvantaged pupils"),
    ("fsm", "Pupils eligible for free school meals"),
    ("send_support", "Pupils with SEN support"),
    ("ehcp", "Pupils with an EHC plan"),
    ("inspection", "Inspection outcome"),
)

INDICATOR = Kind(
    "indicator",
    "indicator",
    (
        _f("school", R, ref_kind="school"),
        _f("measure", choices=MEASURES),
        _f("date", D, label="date"),
        _f("period", label="period it covers"),
        _f("value"),
        _f("source"),
        _f("interpretation"),
    ),
    school_field="school",
    owned_by=("school",),
    indexes=("school",),
    evidence=True,
)

CONTACT = Kind(
    "contact",
    "contact",
    (
        _f("school", R, ref_kind="school"),
        _f("date", D),
        _f("type", label="kind of contact"),
        _f("with_whom", label="with", personal=True),
        _f("note"),
    ),
    school_field="school",
    owned_by=("school",),
    indexes=("school",),
)

KINDS: tuple[Kind, ...] = (INDICATOR, CONTACT)

# Written out in full, as they were made: never edit one; add the next.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "The partnership view: indicators per school and the coordinator's contacts",
        (
            CreateKindTable(
                "indicator",
                text("school", "measure", "date", "period", "value", "source", "interpretation"),
            ),
            CreateKindTable("contact", text("school", "date", "type", "with_whom", "note")),
            CreateIndex("indicator", ("school",)),
            CreateIndex("contact", ("school",)),
        ),
    ),
)
