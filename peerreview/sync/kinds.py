"""The record kinds the store knows, their fields and the types those fields hold.

Every kind gets a materialised table of the same name, with one column per declared field. Later
issues add kinds here together with a migration (migrations.py) that creates their tables and
columns.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from peerreview.errors import ValidationError
from peerreview.sync.changes import DELETED, PURGED
from peerreview.sync.ids import is_uuid

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DYNAMIC_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_-]+)+$")
MAX_TEXT_CHARS = 200_000


class FieldType(enum.Enum):
    """How a field's value is checked and stored."""

    TEXT = "text"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"  # ISO yyyy-mm-dd
    REF = "ref"  # the id of another record
    JSON = "json"  # lists and tables (checklists, repeating rows)

    @property
    def sql_type(self) -> str:
        return {
            FieldType.INTEGER: "INTEGER",
            FieldType.BOOLEAN: "INTEGER",
        }.get(self, "TEXT")


@dataclass(frozen=True)
class FieldSpec:
    """One declared field of a kind."""

    name: str
    type: FieldType
    label: str = ""
    ref_kind: str | None = None
    personal: bool = False  # holds a pupil's or member of staff's name or contact

    def check(self, kind: str, value: Any) -> None:
        """Raise ValidationError when ``value`` cannot be stored in this field (None clears it)."""
        if value is None:
            return
        label = self.label or self.name.replace("_", " ")
        t = self.type
        ok: bool
        if t is FieldType.TEXT:
            ok = isinstance(value, str)
            if ok and len(value) > MAX_TEXT_CHARS:
                raise ValidationError(
                    f"The {label} of a {kind} is longer than {MAX_TEXT_CHARS:,} characters. "
                    "Shorten it or attach it as a document."
                )
        elif t is FieldType.INTEGER:
            ok = type(value) is int and -(2**63) <= value < 2**63  # what SQLite can hold
        elif t is FieldType.BOOLEAN:
            ok = type(value) is bool
        elif t is FieldType.DATE:
            ok = isinstance(value, str) and _DATE_RE.match(value) is not None and _real_date(value)
        elif t is FieldType.REF:
            ok = is_uuid(value)
        else:
            ok = isinstance(value, list | dict)
        if not ok:
            raise ValidationError(
                f"The {label} of a {kind} must be {_DESCRIBE[t]}, not {value!r:.60}."
            )


def _real_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_DESCRIBE = {
    FieldType.TEXT: "text",
    FieldType.INTEGER: "a whole number",
    FieldType.BOOLEAN: "yes or no",
    FieldType.DATE: "a date (yyyy-mm-dd)",
    FieldType.REF: "a record id",
    FieldType.JSON: "a list or table",
}


@dataclass(frozen=True)
class Kind:
    """A kind of record: its table, its declared fields, and how it relates to a school."""

    name: str
    label: str
    fields: tuple[FieldSpec, ...]
    #: the field naming the school (or a record of a school) this record belongs to, so that
    #: exporting chosen schools carries it along; "id" for a school itself; "" for none.
    school_field: str = ""
    #: True when a record is shared by the whole partnership (always exported).
    partnership_wide: bool = False
    #: True when forms may add fields beyond the declared ones (stored in dynamic_values).
    dynamic: bool = False
    #: (first, last) date fields where the last may not come before the first when edited here.
    #: (Laptops that disagree may still merge into such a pair; it is refused only as it is typed.)
    date_ranges: tuple[tuple[str, str], ...] = ()
    by_name: Mapping[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        common = (
            FieldSpec(DELETED, FieldType.BOOLEAN),
            FieldSpec("form_id", FieldType.TEXT, "form"),
            FieldSpec("form_version", FieldType.INTEGER, "form version"),
            FieldSpec(PURGED, FieldType.BOOLEAN),
        )
        object.__setattr__(self, "fields", self.fields + common)
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    def spec(self, field_name: str) -> FieldSpec | None:
        """The declared field, or None (a dynamic field, or not allowed)."""
        return self.by_name.get(field_name)

    def check_dates(self, current: Mapping[str, Any], edits: Mapping[str, Any]) -> None:
        """Raise ValidationError if ``edits`` would put a range's last date before its first."""
        for first, last in self.date_ranges:
            if first not in edits and last not in edits:
                continue
            start = edits.get(first, current.get(first))
            end = edits.get(last, current.get(last))
            if start and end and str(end) < str(start):
                a, b = self.by_name[first].label, self.by_name[last].label
                raise ValidationError(
                    f"The {b} of this {self.label} is before its {a}. Check the dates."
                )

    def check(self, field_name: str, value: Any) -> None:
        """Raise ValidationError unless ``value`` may be written to ``field_name`` of this kind."""
        spec = self.by_name.get(field_name)
        if spec is not None:
            spec.check(self.label, value)
        elif not (self.dynamic and _DYNAMIC_RE.match(field_name)):
            raise ValidationError(f"A {self.label} has no field called {field_name!r}.")


def _f(name: str, t: FieldType = FieldType.TEXT, **kw: Any) -> FieldSpec:
    return FieldSpec(name, t, **kw)


T, I, B, D, R, J = (  # noqa: E741 - short names keep the kind tables below readable
    FieldType.TEXT,
    FieldType.INTEGER,
    FieldType.BOOLEAN,
    FieldType.DATE,
    FieldType.REF,
    FieldType.JSON,
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "partnership",
            "partnership",
            (_f("name"), _f("description"), _f("coordinator", R, ref_kind="person")),
            partnership_wide=True,
        ),
        Kind(
            "school",
            "school",
            (
                _f("urn", I, label="URN"),
                _f("name"),
                _f("type"),
                _f("type_group"),
                _f("phase"),
                _f("status"),
                _f("closed", B),
                _f("local_authority", label="local authority"),
                _f("street"),
                _f("locality"),
                _f("town"),
                _f("postcode"),
                _f("open_date", D, label="opening date"),
                _f("close_date", D, label="closing date"),
                _f("trust"),
                _f("diocese"),
                _f("religious_character", label="religious character"),
                _f("website"),
                _f("telephone"),
                _f("headteacher_name", label="headteacher", personal=True),
                _f("headteacher", R, ref_kind="person"),
                _f("pupils", I, label="number of pupils"),
                _f("low_age", I, label="lowest age"),
                _f("high_age", I, label="highest age"),
                _f("notes"),
            ),
            school_field="id",
            dynamic=True,
        ),
        Kind(
            "person",
            "person",
            (
                _f("name", personal=True),
                _f("role"),
                _f("email", personal=True),
                _f("telephone", personal=True),
                _f("school", R, ref_kind="school"),
                _f("notes"),
            ),
            school_field="school",
            dynamic=True,
        ),
        Kind(
            "group",
            "group",
            (_f("name"), _f("type"), _f("description")),
            partnership_wide=True,
            dynamic=True,
        ),
        Kind(
            "membership",
            "membership",
            (
                _f("group", R, ref_kind="group"),
                _f("school", R, ref_kind="school"),
                _f("person", R, ref_kind="person"),
                _f("role"),
                _f("start", D, label="start date"),
                _f("end", D, label="end date"),
            ),
            school_field="school",
            date_ranges=(("start", "end"),),
        ),
        Kind(
            "attachment",
            "attachment",
            (
                _f("sha256", label="content hash"),
                _f("filename", label="file name"),
                _f("media_type", label="file type"),
                _f("size", I),
                _f("owner", R),
                _f("caption"),
            ),
            school_field="owner",
        ),
        Kind(
            "review",
            "peer review",
            (
                _f("school", R, ref_kind="school", label="host school"),
                _f("title"),
                _f("framework_id", label="framework"),
                _f("framework_version", I, label="framework version"),
                _f("start_date", D, label="first day"),
                _f("end_date", D, label="last day"),
                _f("focus"),
                _f("enquiry_question", label="enquiry question"),
                _f("context"),
                _f("status"),
                _f("sharing", label="sharing scope"),
                _f("host_comments", label="host school's comments"),
                _f("previous_review", R, ref_kind="review", label="previous review"),
                _f("agreed_by", label="agreed by", personal=True),
                _f("agreed_on", D, label="date agreed"),
                _f("agreed_hash", label="agreed content"),
                _f("areas_excluded", J, label="areas that do not apply"),
            ),
            school_field="school",
            date_ranges=(("start_date", "end_date"),),
        ),
        Kind(
            "review_member",
            "review team member",
            (
                _f("review", R, ref_kind="review"),
                _f("person", R, ref_kind="person"),
                _f("name", personal=True),
                _f("school", R, ref_kind="school"),
                _f("role"),
            ),
            school_field="review",
        ),
        Kind(
            "review_activity",
            "scheduled activity",
            (
                _f("review", R, ref_kind="review"),
                _f("day", D),
                _f("start", label="start time"),
                _f("end", label="end time"),
                _f("activity"),
                _f("description"),
                _f("people", personal=True),
            ),
            school_field="review",
        ),
        Kind(
            "enquiry_line",
            "line of enquiry",
            (
                _f("review", R, ref_kind="review"),
                _f("text", label="line of enquiry"),
                _f("position", I),
            ),
            school_field="review",
        ),
        Kind(
            "evidence",
            "evidence note",
            (
                _f("review", R, ref_kind="review"),
                _f("activity"),
                _f("time", label="time"),
                _f("year_group", label="year group"),
                _f("subject"),
                _f("present", label="who was present", personal=True),
                _f("note"),
                _f("areas", J, label="areas it bears on"),
            ),
            school_field="review",
        ),
        Kind(
            "area_view",
            "view of an area",
            (
                _f("review", R, ref_kind="review"),
                _f("area"),
                _f("stage"),
                _f("reviewer", R, ref_kind="person"),
                _f("reviewer_name", label="reviewer", personal=True),
                _f("judgement"),
                _f("evidence_summary", label="evidence summary"),
                _f("rationale"),
                _f("www", label="what went well"),
                _f("ebi", label="even better if"),
            ),
            school_field="review",
        ),
        Kind(
            "excellence",
            "area of excellence",
            (_f("review", R, ref_kind="review"), _f("title"), _f("description")),
            school_field="review",
        ),
    )
}


#: Fields a purge keeps: structure (links to other records, the form used) and the markers
#: themselves.
KEPT_BY_PURGE = frozenset({DELETED, PURGED, "form_id", "form_version"})


def purgeable(kind: Kind, field_name: str) -> bool:
    """True when a purge blanks this field's values (everything but structure)."""
    spec = kind.spec(field_name)
    if field_name in KEPT_BY_PURGE:
        return False
    return spec is None or spec.type is not FieldType.REF


def get_kind(name: str) -> Kind:
    """The kind called ``name``.

    Raises:
        ValidationError: no such kind (a bundle from a newer app, or a typo).
    """
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationError(f"There is no kind of record called {name!r}.") from None
