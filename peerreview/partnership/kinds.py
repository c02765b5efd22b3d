"""The partnership's kinds of record: the partnership, schools, people, groups, memberships."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peerreview.sync.ids import derived_id
from peerreview.sync.kinds import FieldSpec, FieldType, Kind

T, I, B, D, R, J = (  # noqa: E741 - short names keep the kind tables below readable
    FieldType.TEXT,
    FieldType.INTEGER,
    FieldType.BOOLEAN,
    FieldType.DATE,
    FieldType.REF,
    FieldType.JSON,
)


def _f(name: str, t: FieldType = FieldType.TEXT, **kw: Any) -> FieldSpec:
    return FieldSpec(name, t, **kw)


def school_id(urn: int) -> str:
    """Schools with a DfE URN have an id derived from it, so two laptops that add the same school
    (by hand or from the same GIAS file) make one record, not two."""
    return derived_id("school", str(urn))


def _school_identity(values: Mapping[str, Any]) -> str | None:
    urn = values.get("urn")
    return school_id(urn) if isinstance(urn, int) and not isinstance(urn, bool) else None


PARTNERSHIP = Kind(
    "partnership",
    "partnership",
    (_f("name"), _f("description"), _f("coordinator", R, ref_kind="person")),
    partnership_wide=True,
    root=True,
)

SCHOOL = Kind(
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
    indexes=("urn",),
    identity=_school_identity,
    key_field="urn",
)

PERSON = Kind(
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
    owned_by=("school",),
    indexes=("school",),
    plural="people",
)

GROUP = Kind(
    "group",
    "group",
    (_f("name"), _f("type"), _f("description")),
    partnership_wide=True,
    dynamic=True,
)

MEMBERSHIP = Kind(
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
    owned_by=("group", "school", "person"),
    indexes=("group",),
)

KINDS: tuple[Kind, ...] = (PARTNERSHIP, SCHOOL, PERSON, GROUP, MEMBERSHIP)
