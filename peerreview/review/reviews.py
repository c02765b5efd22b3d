"""Peer review: plan, self-evaluation, evidence, judgements, status and continuity.

A review uses a framework, which is a review form in ``forms/`` read as areas: each section with a
scale field is an area judged on that scale. A framework with no scale at all is an enquiry: its
areas are the review's own lines of enquiry, and outcomes are strengths and areas for development.
Agreeing the report (with a hash of what it prints) is in ``review_report``, which knows what that
is.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from peerreview.choices import Choice
from peerreview.errors import RecordNotFound, ValidationError
from peerreview.forms import FieldType, FormDefinition, FormLibrary, Scale
from peerreview.sync.ids import derived_id
from peerreview.sync.records import Record
from peerreview.sync.registry import FollowUp
from peerreview.sync.store import Store

ACTIVITIES = (
    "Learning walk",
    "Lesson visit",
    "Work scrutiny",
    "Pupil voice",
    "Staff meeting",
    "Leader meeting",
    "Governor meeting",
    "Data review",
)
ROLES = ("Lead reviewer", "Reviewer", "Host link leader", "Improvement champion")


class Status(Choice):
    """Where a review is in its cycle."""

    PLANNED = "planned"
    VISIT = "visit", "In progress"
    DRAFT = "draft", "Draft report"
    HOST_COMMENTS = "host_comments", "With the host school for comments"
    AGREED = "agreed", "Report agreed"


def effective_status(review: Record, today: dt.date) -> Status:
    """Where a review is, as shown: a review still marked planned is in progress from the first
    day of its visit (logging a note moves it there too, in the record itself: ``add_evidence``);
    the date passing writes nothing, so laptops never disagree about it."""
    status = Status.of(review.get("status") or Status.PLANNED.value)
    if status is None:
        return Status.PLANNED
    start = as_date(review.get("start_date"))
    if status is Status.PLANNED and start is not None and start <= today:
        return Status.VISIT
    return status


class Sharing(Choice):
    """Who may see a review: the host school decides."""

    HOST = "host", "Host school only"
    HOST_COORDINATOR = "host_coordinator", "Host school and partnership coordinator"
    PARTNERSHIP = "partnership", "Whole partnership"

    @property
    def confidential(self) -> bool:
        return self is not Sharing.PARTNERSHIP


class Stage(enum.Enum):
    """Whose view of an area this is.

    The host's self-evaluation, a reviewer's provisional view, or the agreed outcome.
    """

    SELF = "self"
    PROVISIONAL = "provisional"
    AGREED = "agreed"


@dataclass(frozen=True)
class Area:
    """Something a review looks at and reaches an outcome on."""

    id: str
    title: str
    help: str = ""
    scale: Scale | None = None


@dataclass(frozen=True)
class Framework:
    """A review framework read from its form definition."""

    id: str
    version: int
    title: str
    description: str
    areas: tuple[Area, ...]
    form: FormDefinition

    @property
    def judged(self) -> bool:
        """True when areas get a judgement on a scale; False for a non-judgemental enquiry."""
        return bool(self.areas)

    @classmethod
    def from_form(cls, form: FormDefinition) -> Framework:
        if form.kind != "review":
            raise ValidationError(f"The form {form.id!r} is not a review framework.")
        areas = []
        for section in form.sections:
            scale = next((f.scale for f in section.fields if f.type is FieldType.SCALE), None)
            if scale is not None:
                areas.append(Area(section.id, section.title, section.help, scale))
        return cls(form.id, form.version, form.title, form.description, tuple(areas), form)


def frameworks(library: FormLibrary) -> list[Framework]:
    """The latest version of every review framework installed."""
    return [Framework.from_form(f) for f in library.latest("review")]


def framework_of(library: FormLibrary, review: Record) -> Framework:
    """The framework (at the version it was made with) a review uses."""
    return Framework.from_form(library.get(review["framework_id"], review["framework_version"]))


# ===================================================================== planning


def plan_review(
    store: Store,
    framework: Framework,
    *,
    school: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    focus: str = "",
    enquiry_question: str = "",
    sharing: Sharing = Sharing.HOST_COORDINATOR,
    title: str | None = None,
) -> str:
    """Create a review of ``school`` (linked to that school's previous review, for continuity)."""
    host = store.get(school)
    if host.kind != "school":
        raise ValidationError("A peer review is of a school; choose a school.")
    end = end_date or start_date
    if end < start_date:
        raise ValidationError("The last day of the visit is before the first. Check the dates.")
    previous = latest_review(store, school, before=start_date)
    values: dict[str, Any] = {
        "school": school,
        "title": title or f"Peer review of {host.title}",
        "framework_id": framework.id,
        "framework_version": framework.version,
        "start_date": start_date.isoformat(),
        "end_date": end.isoformat(),
        "focus": focus,
        "enquiry_question": enquiry_question,
        "status": Status.PLANNED.value,
        "sharing": sharing.value,
    }
    if previous is not None:
        values["previous_review"] = previous.id
    excluded = default_exclusions(store, framework, school)
    if excluded:
        values["areas_excluded"] = excluded
    return store.create("review", values, form=(framework.id, framework.version))


def latest_review(store: Store, school: str, *, before: dt.date | None = None) -> Record | None:
    """The school's most recent review (starting before a date, if given)."""
    ranges = {}
    if before is not None:
        ranges["start_date"] = (None, (before - dt.timedelta(days=1)).isoformat())
    found = store.list(
        "review",
        where={"school": school},
        ranges=ranges,
        order_by="start_date",
        descending=True,
        limit=1,
    )
    return found[0] if found else None


def add_member(
    store: Store,
    review: str,
    *,
    name: str,
    role: str,
    person: str | None = None,
    school: str | None = None,
) -> str:
    """Add someone to the review team (or the host's link leader)."""
    if role not in ROLES:
        raise ValidationError(f"{role!r} is not a review role. Choose one of: {', '.join(ROLES)}.")
    _require(store, review, "review")
    values: dict[str, Any] = {"review": review, "name": name.strip(), "role": role}
    if person:
        values["person"] = person
    if school:
        values["school"] = school
    return store.create("review_member", values)


def team(store: Store, review: str) -> list[Record]:
    """The review team, lead reviewer first."""
    members = store.list("review_member", where={"review": review}, order_by="name")
    return sorted(members, key=lambda m: ROLES.index(m["role"]) if m["role"] in ROLES else 9)


def reviewers(store: Store, review: str) -> list[Record]:
    """Team members who give a provisional view: everyone but the host school's link leader."""
    return [m for m in team(store, review) if m.get("role") != "Host link leader"]


def add_activity(
    store: Store,
    review: str,
    *,
    day: dt.date,
    start: str,
    end: str = "",
    activity: str,
    description: str = "",
    people: str = "",
) -> str:
    """Add an activity to the visit's schedule."""
    _require(store, review, "review")
    return store.create(
        "review_activity",
        {
            "review": review,
            "day": day.isoformat(),
            "start": start,
            "end": end,
            "activity": activity,
            "description": description,
            "people": people,
        },
    )


def schedule(store: Store, review: str) -> list[Record]:
    recs = store.list("review_activity", where={"review": review}, order_by="start")
    return sorted(recs, key=lambda r: (r.get("day", ""), r.get("start", "")))


def add_enquiry_line(store: Store, review: str, text: str) -> str:
    """Add a line of enquiry (the areas of an enquiry review)."""
    _require(store, review, "review")
    n = len(store.list("enquiry_line", where={"review": review}))
    return store.create("enquiry_line", {"review": review, "text": text.strip(), "position": n + 1})


#: Framework areas that apply only to schools with that provision ("where relevant" in Ofsted's
#: report card), and the test of a school's age range that says whether it has it.
_PROVISION_AREAS = {
    "early_years": lambda low, high: low is None or low <= 5,
    "sixth_form": lambda low, high: high is None or high >= 17,
}


def default_exclusions(store: Store, framework: Framework, school: str) -> list[str]:
    """Areas of the framework the school has no provision for (from its age range)."""
    rec = store.get(school)
    low, high = rec.get("low_age"), rec.get("high_age")
    return [
        a.id
        for a in framework.areas
        if a.id in _PROVISION_AREAS and not _PROVISION_AREAS[a.id](low, high)
    ]


def set_area_applies(store: Store, review: str, area: str, applies: bool) -> None:
    """Include or leave out a framework area for this review (Early years, Sixth form)."""
    excluded = set(store.get(review).get("areas_excluded") or [])
    excluded = excluded - {area} if applies else excluded | {area}
    store.update(review, {"areas_excluded": sorted(excluded)})


def areas(store: Store, framework: Framework, review: str) -> list[Area]:
    """The areas a review reaches outcomes on: the framework's, or the review's lines of enquiry."""
    if framework.judged:
        excluded = set(store.get(review).get("areas_excluded") or [])
        return [a for a in framework.areas if a.id not in excluded]
    lines = store.list("enquiry_line", where={"review": review}, order_by="position")
    return [Area(line.id, line.get("text", "")) for line in lines]


class Visit(NamedTuple):
    """A review whose visit includes a day, and which day of the visit it is (day 1 of 2).

    A named tuple rather than a frozen dataclass: callers unpack it (``review, day, days``).
    """

    review: Record
    day: int
    days: int


def todays_visits(store: Store, today: dt.date) -> list[Visit]:
    """Reviews whose visit includes ``today``: which day of how many, for the start screen."""
    day = today.isoformat()
    # Only the reviews that can include today are read (not five years of them).
    candidates = {
        r.id: r
        for r in store.list("review", ranges={"start_date": (None, day), "end_date": (day, None)})
    }
    for r in store.list("review", where={"start_date": day, "end_date": None}):
        candidates[r.id] = r
    out: list[Visit] = []
    ordered = sorted(candidates.values(), key=lambda r: (r.get("start_date") or "", r.id))
    for review in ordered:
        start, end = review.get("start_date"), review.get("end_date") or review.get("start_date")
        if start and start <= today.isoformat() <= end:
            first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
            out.append(Visit(review, (today - first).days + 1, (last - first).days + 1))
    return out


# ===================================================================== evidence


def add_evidence(
    store: Store,
    review: str,
    *,
    activity: str,
    note: str = "",
    time: dt.datetime | None = None,
    year_group: str = "",
    subject: str = "",
    present: str = "",
    areas: Sequence[str] = (),
) -> str:
    """Log an evidence note (on provision and pupils' experience, never a grade for a teacher)."""
    _require(store, review, "review")
    if activity not in ACTIVITIES:
        raise ValidationError(
            f"{activity!r} is not an activity. Choose one of: {', '.join(ACTIVITIES)}."
        )
    stamp = (time or dt.datetime.now()).replace(second=0, microsecond=0)
    with store.transaction():
        note_id = store.create(
            "evidence",
            {
                "review": review,
                "activity": activity,
                "time": stamp.isoformat(timespec="minutes"),
                "year_group": year_group,
                "subject": subject,
                "present": present,
                "note": note,
                "areas": list(areas),
            },
        )
        # The first note of the visit: the review is under way.
        if store.get(review).get("status", Status.PLANNED.value) == Status.PLANNED.value:
            store.update(review, {"status": Status.VISIT.value})
    return note_id


def evidence(store: Store, review: str, area: str | None = None) -> list[Record]:
    """A review's evidence notes in time order (only those bearing on ``area``, if given)."""
    notes = store.list("evidence", where={"review": review}, order_by="time")
    if area is not None:
        notes = [n for n in notes if area in (n.get("areas") or [])]
    return notes


def evidence_counts(store: Store, review: str) -> dict[str, int]:
    """How many notes bear on each area so far (to see gaps while there is time to fill them)."""
    return {
        str(area): n for area, n in store.tally("evidence", "areas", {"review": review}).items()
    }


# ===================================================================== views and judgements


def view_id(review: str, area: str, stage: Stage, reviewer: str = "") -> str:
    """The one record holding a view: the same id on every laptop."""
    return derived_id("area_view", review, area, stage.value, reviewer)


def set_view(
    store: Store,
    review: str,
    area: str,
    stage: Stage,
    *,
    reviewer: str = "",
    reviewer_name: str = "",
    **fields: Any,
) -> str:
    """Write the host's self-evaluation, a reviewer's provisional view or an area's agreed outcome.

    ``fields`` are any of judgement, evidence_summary, rationale, www, ebi (for an enquiry, www
    holds strengths and ebi areas for development).
    """
    allowed = {"judgement", "evidence_summary", "rationale", "www", "ebi"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"A view of an area has no {', '.join(sorted(unknown))}.")
    if stage is Stage.PROVISIONAL and not reviewer:
        raise ValidationError("A provisional view belongs to a reviewer; say whose it is.")
    rid = view_id(review, area, stage, reviewer)
    if store.exists(rid):
        current = store.get(rid)
        if current.deleted:
            store.restore(rid)
        store.update(rid, fields)
        return rid
    values: dict[str, Any] = {"review": review, "area": area, "stage": stage.value, **fields}
    if reviewer:
        values["reviewer"] = reviewer
    if reviewer_name:
        values["reviewer_name"] = reviewer_name
    return store.create("area_view", values, record_id=rid)


def get_view(
    store: Store, review: str, area: str, stage: Stage, reviewer: str = ""
) -> Record | None:
    rid = view_id(review, area, stage, reviewer)
    if not store.exists(rid):
        return None
    rec = store.get(rid)
    return None if rec.deleted else rec


def provisional_views(store: Store, review: str, area: str) -> list[Record]:
    """Each reviewer's provisional view of an area."""
    return store.list(
        "area_view",
        where={"review": review, "area": area, "stage": Stage.PROVISIONAL.value},
        order_by="reviewer_name",
    )


def add_excellence(store: Store, review: str, *, title: str, description: str = "") -> str:
    """Record an area of excellence the host school may offer to share."""
    _require(store, review, "review")
    return store.create(
        "excellence", {"review": review, "title": title, "description": description}
    )


def excellence(store: Store, review: str) -> list[Record]:
    return store.list("excellence", where={"review": review}, order_by="title")


# ===================================================================== status and sharing


def set_status(store: Store, review: str, status: Status) -> None:
    store.update(review, {"status": status.value})


def set_sharing(store: Store, review: str, sharing: Sharing) -> None:
    store.update(review, {"sharing": sharing.value})


# ===================================================================== continuity


@dataclass(frozen=True)
class CarriedForward:
    """A next step from the previous review, to follow up in this one."""

    area: str
    label: str  # "Even better if" or "Area for development"
    text: str
    #: what was done about it since, as other features record it (the school's plan's actions and
    #: their status), asked through the registry: this feature does not know who answers
    follow_ups: tuple[FollowUp, ...] = ()


def carried_forward(store: Store, library: FormLibrary, review: str) -> list[CarriedForward]:
    """The previous review's EBIs (or areas for development), so the team can follow them up,
    each with what was done about it since (when a feature records that)."""
    rec = store.get(review)
    previous_id = rec.get("previous_review")
    if not previous_id or not store.exists(previous_id):
        return []
    previous = store.get(previous_id)
    fw = framework_of(library, previous)
    label = "Even better if" if fw.judged else "Area for development"
    out = []
    for area in areas(store, fw, previous.id):
        view = get_view(store, previous.id, area.id, Stage.AGREED)
        if view is not None and view.get("ebi"):
            done = tuple(store.registry.follow_ups(store, view))
            out.append(CarriedForward(area.title, label, view["ebi"], done))
    return out


def _require(store: Store, record_id: str, kind: str) -> Record:
    if not store.exists(record_id):
        raise RecordNotFound(f"There is no {kind.replace('_', ' ')} with id {record_id}.")
    rec = store.get(record_id)
    if rec.kind != kind:
        raise ValidationError(f"{record_id} is a {rec.kind}, not a {kind}.")
    return rec


def as_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def view_fields(view: Record | None) -> Mapping[str, Any]:
    return view.values if view is not None else {}
