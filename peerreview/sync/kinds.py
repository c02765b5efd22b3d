"""Kinds of record: their declared fields, the types those fields hold, and how they relate.

Every kind gets a materialised table of the same name, with one column per declared field. The
kinds themselves are declared by the features (``peerreview/<feature>/kinds.py``), each with the
migrations that create their tables; the engine declares only its own (attachments).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from peerreview.errors import ValidationError
from peerreview.sync.changes import DELETED, MAX_FIELD_CHARS, PURGED
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
    #: (stored value, the words people read) when the field takes one of a few values; editors
    #: offer the words and store the value (values not listed, from an older laptop, still show)
    choices: tuple[tuple[str, str], ...] = ()
    #: False for what the app keeps itself (a position in a list, a link it makes): never offered
    #: in a record's editor
    editable: bool = True

    def choice_label(self, value: Any) -> str:
        """The words for a stored value of a choice field ("" for none; the value if unknown)."""
        if value is None or value == "":
            return ""
        return dict(self.choices).get(str(value), str(value))

    def check(self, kind: str, value: Any) -> None:
        """Raise ValidationError when ``value`` cannot be stored in this field (None clears it)."""
        if value is None:
            return
        t = self.type
        ok: bool
        if t is FieldType.TEXT:
            ok = isinstance(value, str)
            if ok and len(value) > MAX_TEXT_CHARS:
                label = self.label or self.name.replace("_", " ")
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
            label = self.label or self.name.replace("_", " ")
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
    #: reference fields whose record, when deleted, takes this one with it (a school's people, a
    #: review's evidence); restoring it brings them back
    owned_by: tuple[str, ...] = ()
    #: the id a new record takes from its values, when two laptops making "the same" record must
    #: make one (a school by its URN); None for a fresh id
    identity: Callable[[Mapping[str, Any]], str | None] | None = field(
        default=None, compare=False, repr=False
    )
    #: True when a record of this kind can be linked as evidence of progress on a plan (a note, a
    #: photo, an indicator): offered by the evidence picker of a progress update
    evidence: bool = False
    #: the school a record is shared with alone, from its values (None: not restricted): such a
    #: record, and what belongs to it, travels only to that school's laptops and the coordinators
    restricted_to: Callable[[Mapping[str, Any]], str | None] | None = field(
        default=None, compare=False, repr=False
    )
    #: the fields ``restricted_to`` reads (an edit of one may widen who gets the record)
    restriction_fields: tuple[str, ...] = ()
    #: fields with an index, for the queries that follow links (the feature's migrations make them)
    indexes: tuple[str, ...] = ()
    #: the label for several ("people"); the label and an s when not given
    plural: str = ""
    #: a key given from outside the app that names one record (a school's URN), or ""
    key_field: str = ""
    #: True for the one kind whose record is the partnership itself (its id is the database's
    #: partnership id)
    root: bool = False
    #: fields kept on this laptop only (a case pupil's real name): never in a change, so never in
    #: a bundle, a dump or a report; read and written with ``Store.local_field`` and
    #: ``Store.set_local_field``, erased by a purge
    local_fields: tuple[FieldSpec, ...] = ()
    #: reference fields whose record travels with this one when chosen schools are exported (a
    #: school's part in a lesson-study cycle takes the cycle to that school's laptop)
    carries: tuple[str, ...] = ()
    by_name: Mapping[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        common = (
            FieldSpec(DELETED, FieldType.BOOLEAN),
            FieldSpec("form_id", FieldType.TEXT, "form"),
            FieldSpec("form_version", FieldType.INTEGER, "form version"),
            FieldSpec(PURGED, FieldType.BOOLEAN),
        )
        object.__setattr__(self, "fields", self.fields + common)
        if not self.plural:
            object.__setattr__(self, "plural", self.label + "s")
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    def spec(self, field_name: str) -> FieldSpec | None:
        """The declared field, or None (a dynamic field, or not allowed)."""
        return self.by_name.get(field_name)

    def local_spec(self, field_name: str) -> FieldSpec | None:
        """The declared device-local field, or None."""
        return next((f for f in self.local_fields if f.name == field_name), None)

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
        elif (local := self.local_spec(field_name)) is not None:
            label = local.label or local.name.replace("_", " ")
            raise ValidationError(
                f"The {label} of a {self.label} is kept on this laptop only and is never shared."
            )
        elif not (
            self.dynamic and len(field_name) <= MAX_FIELD_CHARS and _DYNAMIC_RE.match(field_name)
        ):
            raise ValidationError(f"A {self.label} has no field called {field_name!r}.")


def _f(name: str, t: FieldType = FieldType.TEXT, **kw: Any) -> FieldSpec:
    return FieldSpec(name, t, **kw)


#: Files (photos of books, observation sheets, documents) attached to any record: the engine's own
#: kind, since its content lives in the engine's blob store.
ATTACHMENT = Kind(
    "attachment",
    "attachment",
    (
        _f("sha256", label="content hash"),
        _f("filename", label="file name"),
        _f("media_type", label="file type"),
        _f("size", FieldType.INTEGER),
        _f("owner", FieldType.REF),
        _f("caption"),
    ),
    school_field="owner",
    owned_by=("owner",),
    evidence=True,
)

#: The kinds the engine itself declares (every registry has them).
ENGINE_KINDS: tuple[Kind, ...] = (ATTACHMENT,)


#: Fields a purge keeps: structure (links to other records, the form used) and the markers
#: themselves.
KEPT_BY_PURGE = frozenset({DELETED, PURGED, "form_id", "form_version"})


def purgeable(kind: Kind, field_name: str) -> bool:
    """True when a purge blanks this field's values (everything but structure)."""
    spec = kind.spec(field_name)
    if field_name in KEPT_BY_PURGE:
        return False
    return spec is None or spec.type is not FieldType.REF
