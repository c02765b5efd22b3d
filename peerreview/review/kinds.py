"""Peer review's kinds of record: the review, its team, schedule, evidence and views."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


#: Sharing scopes (reviews.Sharing) under which a review is the host school's alone: it travels
#: only to the host school's laptops and the partnership's coordinators.
HOST_ONLY = frozenset({"host", "host_coordinator"})


def host_only(values: Mapping[str, Any]) -> str | None:
    """The host school of a review shared with its host school only (None when shared wider)."""
    school = values.get("school")
    return str(school) if school and values.get("sharing", "host") in HOST_ONLY else None


REVIEW = Kind(
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
    owned_by=("school",),
    indexes=("school",),
    restricted_to=host_only,
    restriction_fields=("sharing", "school"),
)

REVIEW_MEMBER = Kind(
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
    owned_by=("review",),
    indexes=("review",),
)

REVIEW_ACTIVITY = Kind(
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
    owned_by=("review",),
    indexes=("review",),
    plural="scheduled activities",
)

ENQUIRY_LINE = Kind(
    "enquiry_line",
    "line of enquiry",
    (
        _f("review", R, ref_kind="review"),
        _f("text", label="line of enquiry"),
        _f("position", I),
    ),
    school_field="review",
    owned_by=("review",),
    indexes=("review",),
    plural="lines of enquiry",
)

EVIDENCE = Kind(
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
    owned_by=("review",),
    indexes=("review",),
    evidence=True,
)

AREA_VIEW = Kind(
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
    owned_by=("review",),
    indexes=("review",),
    plural="views of areas",
)

EXCELLENCE = Kind(
    "excellence",
    "area of excellence",
    (_f("review", R, ref_kind="review"), _f("title"), _f("description")),
    school_field="review",
    owned_by=("review",),
    indexes=("review",),
    plural="areas of excellence",
)

KINDS: tuple[Kind, ...] = (
    REVIEW,
    REVIEW_MEMBER,
    REVIEW_ACTIVITY,
    ENQUIRY_LINE,
    EVIDENCE,
    AREA_VIEW,
    EXCELLENCE,
)
