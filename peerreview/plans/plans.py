"""A school's action plan: priorities, actions, success criteria, progress, RAG, impact, support.

The rules every face (the app, the command line, scripts) goes through:

- an action's due date is not before its start (the kind's date range, refused as typed);
- once a plan is agreed every action has an owner: agreeing a plan with an ownerless action, or
  taking the owner off an action of an agreed plan, is refused with one sentence;
- responsibility is recorded by role as well as name (``owner_role``), so a plan survives a change
  of staff;
- a RAG rating is given in a dated progress update (a quick rating is an update with nothing else
  in it), so its history is the updates' and "amber drifting towards red" can be seen; the action
  keeps its latest rating for counting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peerreview.choices import Choice
from peerreview.errors import RecordNotFound, ValidationError
from peerreview.reports.model import long_date
from peerreview.schoolyear import SchoolYear, Term
from peerreview.sync.records import Record
from peerreview.sync.store import Store


class PlanStatus(Choice):
    DRAFT = "draft"
    AGREED = "agreed"


class ActionStatus(Choice):
    """Where an action is; an action is open until it is complete or stopped."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    STOPPED = "stopped"

    @property
    def open(self) -> bool:
        return self in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)

    @classmethod
    def of(cls, value: Any) -> ActionStatus:
        return super().of(value) or cls.NOT_STARTED


class Rag(Choice):
    """A RAG rating: a starting point for a conversation, not a verdict."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def rank(self) -> int:
        """0 for red, 2 for green: a higher rank is better."""
        return (Rag.RED, Rag.AMBER, Rag.GREEN).index(self)


class CriterionStatus(Choice):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    NOT_MET = "not_met"
    PARTIALLY_MET = "partially_met"
    MET = "met"

    @classmethod
    def of(cls, value: Any) -> CriterionStatus:
        return super().of(value) or cls.NOT_STARTED


class Source(Choice):
    """Where a priority came from."""

    EBI = "ebi", "From a peer review"
    FRAMEWORK = "framework", "A framework area"
    OWN = "own", "The school's own"


class Impact(Choice):
    """What an impact review (or an evaluation of support) found."""

    STRONG = "strong", "Strong impact"
    SOME = "some", "Some impact"
    LITTLE = "little", "Little or no impact yet"
    TOO_EARLY = "too_early", "Too early to say"


class ProviderType(Choice):
    PARTNER_SCHOOL = "partner_school", "A partner school"
    SPECIALIST = "specialist", "A specialist"
    EXTERNAL = "external", "An external organisation"


class SupportStatus(Choice):
    PROPOSED = "proposed"
    AGREED = "agreed"
    UNDER_WAY = "under_way"
    COMPLETE = "complete"


class Cadence(Choice):
    """How often a plan's actions get a progress update."""

    TERMLY = "termly"
    HALF_TERMLY = "half_termly", "Half-termly"
    MONTHLY = "monthly"

    @property
    def days(self) -> int:
        """The longest gap between updates before one is due (a term is about 13 weeks)."""
        return {Cadence.TERMLY: 0, Cadence.HALF_TERMLY: 49, Cadence.MONTHLY: 31}[self]


def _require(store: Store, record_id: str | None, kind: str) -> Record:
    if not record_id or not store.exists(record_id):
        label = store.registry.label(kind)
        raise RecordNotFound(f"There is no {label} with id {record_id}.")
    rec = store.get(record_id)
    if rec.kind != kind:
        raise ValidationError(f"{record_id} is a {store.registry.label(rec.kind)}, not a {kind}.")
    return rec


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def as_date(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) and text else None


def date_text(text: Any, empty: str = "") -> str:
    """ "3 March 2026" from a stored date ("" or ``empty`` when there is none)."""
    day = as_date(text)
    return long_date(day) if day is not None else empty


# ===================================================================== plans


def create_plan(
    store: Store,
    school: str,
    *,
    school_year: SchoolYear,
    title: str | None = None,
    review: str | None = None,
    workshop_on: dt.date | None = None,
    summary: str = "",
) -> str:
    """A new draft plan for ``school`` (answering ``review``, if it follows one)."""
    host = _require(store, school, store.registry.school_kind().name)
    values: dict[str, Any] = {
        "school": host.id,
        "title": title or f"Action plan {school_year.name}",
        "school_year": school_year.name,
        "status": PlanStatus.DRAFT.value,
        "updates": Cadence.TERMLY.value,
        "summary": summary,
    }
    if review is not None:
        values["review"] = _require(store, review, "review").id
    if workshop_on is not None:
        values["workshop_on"] = workshop_on.isoformat()
    return store.create("plan", values)


def plans_of(store: Store, school: str) -> list[Record]:
    """A school's plans, the latest school year first."""
    return store.list("plan", where={"school": school}, order_by="school_year", descending=True)


def current_plan(store: Store, school: str, today: dt.date) -> Record | None:
    """The plan of the school year ``today`` is in, else the school's latest."""
    found = plans_of(store, school)
    year = SchoolYear.of(today).name
    return next((p for p in found if p.get("school_year") == year), found[0] if found else None)


def agree_plan(store: Store, plan: str, *, agreed_by: str, on: dt.date) -> None:
    """Mark a plan agreed; every open action must have an owner first."""
    rec = _require(store, plan, "plan")
    if not agreed_by.strip():
        raise ValidationError("Say who agreed the plan (for example the headteacher).")
    ownerless = [a for a in actions(store, plan=rec.id) if _needs_owner(a)]
    if ownerless:
        names = _quoted([a.get("title") or "Untitled action" for a in ownerless])
        n = len(ownerless)
        raise ValidationError(
            f"{n} action{'s have' if n != 1 else ' has'} no owner ({names}). "
            "Give each an owner before the plan is agreed. Nothing was changed."
        )
    store.update(
        rec.id,
        {"status": PlanStatus.AGREED.value, "agreed_by": agreed_by.strip(), "agreed_on": _iso(on)},
    )


def reopen_plan(store: Store, plan: str) -> None:
    """Back to draft (to rework it with the school)."""
    store.update(_require(store, plan, "plan").id, {"status": PlanStatus.DRAFT.value})


def is_agreed(store: Store, plan: str | None) -> bool:
    if not plan or not store.exists(plan):
        return False
    return bool(store.get(plan).get("status") == PlanStatus.AGREED.value)


def _needs_owner(action: Record) -> bool:
    return (
        not action.get("owner")
        and not action.get("owner_role")
        and (ActionStatus.of(action.get("status")) is not ActionStatus.STOPPED)
    )


def _quoted(titles: Sequence[str], most: int = 3) -> str:
    shown = [f"“{t}”" for t in titles[:most]]
    if len(titles) > most:
        shown.append(f"{len(titles) - most} more")
    return ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]


# ===================================================================== priorities


def add_priority(
    store: Store,
    plan: str,
    title: str,
    *,
    description: str = "",
    source: Source = Source.OWN,
    review: str | None = None,
    area: str = "",
    area_title: str = "",
    ebi: str | None = None,
    tags: Iterable[str] = (),
) -> str:
    """Add a priority to a plan (at the end)."""
    rec = _require(store, plan, "plan")
    if not title.strip():
        raise ValidationError("A priority needs a title: what the school wants to improve.")
    position = len(store.rows("priority", ["id"], where={"plan": rec.id})) + 1
    values: dict[str, Any] = {
        "plan": rec.id,
        "school": rec["school"],
        "title": title.strip(),
        "description": description,
        "source": source.value,
        "review": review,
        "area": area,
        "area_title": area_title,
        "ebi": ebi,
        "position": position,
        "tags": sorted(set(tags)) or None,
    }
    return store.create("priority", values)


def priorities(store: Store, plan: str) -> list[Record]:
    return store.list("priority", where={"plan": plan}, order_by="position")


# ===================================================================== actions


def add_action(
    store: Store,
    priority: str,
    title: str,
    *,
    owner: str | None = None,
    owner_role: str = "",
    supporters: Sequence[str] = (),
    start: dt.date | None = None,
    due: dt.date | None = None,
    resources: str = "",
    cost: int | None = None,
    milestones: Sequence[Mapping[str, Any]] = (),
    status: ActionStatus = ActionStatus.NOT_STARTED,
    ebi: str | None = None,
) -> str:
    """Add an action to a priority. Its owner's role is recorded too (from the person, if not
    given), so the plan reads sensibly after a change of staff."""
    pri = _require(store, priority, "priority")
    if not title.strip():
        raise ValidationError("An action needs saying: what will be done?")
    if owner:
        person = _require(store, owner, "person")
        owner_role = owner_role or str(person.get("role") or "")
    elif not owner_role and is_agreed(store, pri.get("plan")):
        raise ValidationError(
            "This plan is agreed, so every action needs an owner. Choose who leads it."
        )
    if start and due and due < start:
        raise ValidationError(
            "The due date of this action is before its start date. Check the dates."
        )
    for supporter in supporters:
        _require(store, supporter, "person")
    position = len(store.rows("action", ["id"], where={"priority": pri.id})) + 1
    values: dict[str, Any] = {
        "priority": pri.id,
        "plan": pri.get("plan"),
        "school": pri.get("school"),
        "title": title.strip(),
        "owner": owner,
        "owner_role": owner_role.strip(),
        "supporters": list(supporters) or None,
        "start_date": _iso(start),
        "due_date": _iso(due),
        "resources": resources,
        "cost": cost,
        "milestones": [dict(m) for m in milestones] or None,
        "status": status.value,
        "ebi": ebi,
        "position": position,
    }
    return store.create("action", values)


def update_action(store: Store, action: str, values: Mapping[str, Any]) -> None:
    """Edit an action, keeping the plan's rules (an owner once agreed; dates in order;
    completing it records the day)."""
    rec = _require(store, action, "action")
    edits = dict(values)
    owner_after = edits.get("owner", rec.get("owner"))
    role_after = edits.get("owner_role", rec.get("owner_role"))
    if (
        ("owner" in edits or "owner_role" in edits)
        and not owner_after
        and not role_after
        and is_agreed(store, rec.get("plan"))
    ):
        raise ValidationError(
            "This plan is agreed, so every action needs an owner. Choose who leads it instead."
        )
    if edits.get("owner") and "owner_role" not in edits:
        person = _require(store, edits["owner"], "person")
        if person.get("role"):
            edits["owner_role"] = person["role"]
    if "status" in edits:
        status = ActionStatus(edits["status"])
        if status is ActionStatus.COMPLETE and not rec.get("completed_on"):
            edits.setdefault("completed_on", dt.date.today().isoformat())
        elif status is not ActionStatus.COMPLETE and rec.get("completed_on"):
            edits.setdefault("completed_on", None)
    store.update(rec.id, edits)


def actions(store: Store, *, plan: str | None = None, priority: str | None = None) -> list[Record]:
    """A plan's or a priority's actions, in order."""
    if priority is not None:
        return store.list("action", where={"priority": priority}, order_by="position")
    found = store.list("action", where={"plan": plan}, order_by="position")
    order = {p.id: i for i, p in enumerate(priorities(store, plan))} if plan else {}
    return sorted(found, key=lambda a: (order.get(a.get("priority"), 999), a.get("position") or 0))


def overdue(action: Record, today: dt.date) -> bool:
    """True when an open action's due date has passed."""
    due = as_date(action.get("due_date"))
    return due is not None and due < today and ActionStatus.of(action.get("status")).open


def due_within(action: Record, today: dt.date, days: int) -> bool:
    """True when an open action falls due between today and ``days`` days from now."""
    due = as_date(action.get("due_date"))
    if due is None or not ActionStatus.of(action.get("status")).open:
        return False
    return today <= due <= today + dt.timedelta(days=days)


# ===================================================================== success criteria


def add_criterion(
    store: Store,
    action: str,
    text: str,
    status: CriterionStatus = CriterionStatus.NOT_STARTED,
) -> str:
    rec = _require(store, action, "action")
    if not text.strip():
        raise ValidationError("A success criterion needs saying: what will show it worked?")
    position = len(store.rows("criterion", ["id"], where={"action": rec.id})) + 1
    return store.create(
        "criterion",
        {
            "action": rec.id,
            "school": rec.get("school"),
            "text": text.strip(),
            "status": status.value,
            "position": position,
        },
    )


def criteria(store: Store, action: str) -> list[Record]:
    return store.list("criterion", where={"action": action}, order_by="position")


def set_criterion_status(store: Store, criterion: str, status: CriterionStatus) -> None:
    store.update(_require(store, criterion, "criterion").id, {"status": status.value})


# ===================================================================== progress and RAG


def add_update(
    store: Store,
    action: str,
    *,
    on: dt.date,
    text: str = "",
    rag: Rag | None = None,
    status: ActionStatus | None = None,
    author_name: str = "",
    author_role: str = "",
    next_steps: str = "",
    evidence: Sequence[str] = (),
    move_action: bool = True,
) -> str:
    """A dated progress update: what changed, the RAG rating now, evidence linked.

    The action takes the update's rating and status when it is its newest update
    (``move_action``; the app does that as a second step, ``follow_update``, so that undo takes
    both back), so the action shows where it stands while its history stays in the updates.
    """
    rec = _require(store, action, "action")
    if not text.strip() and rag is None and status is None:
        raise ValidationError("Say what has changed, or give a RAG rating.")
    for record in evidence:
        if not store.exists(record):
            raise RecordNotFound(f"There is no record with id {record} to link as evidence.")
    with store.transaction():
        uid = store.create(
            "progress_update",
            {
                "action": rec.id,
                "school": rec.get("school"),
                "date": on.isoformat(),
                "author_name": author_name.strip() or store.device.author,
                "author_role": author_role.strip(),
                "rag": rag.value if rag else None,
                "status": status.value if status else None,
                "text": text.strip(),
                "next_steps": next_steps.strip(),
                "evidence": list(evidence) or None,
            },
        )
        if move_action:
            follow_update(store, uid)
    return uid


def follow_update(store: Store, update: str) -> None:
    """Move an action on to its update's rating and status, when that is its newest update."""
    up = _require(store, update, "progress_update")
    action = str(up.get("action") or "")
    newest = latest_update(store, action)
    if newest is None or newest.id != up.id:
        return
    edits: dict[str, Any] = {}
    if up.get("rag"):
        edits["rag"] = up["rag"]
    if up.get("status"):
        edits["status"] = up["status"]
        if up["status"] == ActionStatus.COMPLETE.value:
            edits["completed_on"] = up.get("date")
    if edits:
        store.update(action, edits)


def set_rag(
    store: Store, action: str, rag: Rag, *, on: dt.date, author_name: str = "", note: str = ""
) -> str:
    """Rate an action now: a progress update holding the rating (and a note, if any)."""
    return add_update(store, action, on=on, text=note, rag=rag, author_name=author_name)


def updates(store: Store, action: str) -> list[Record]:
    """An action's progress updates, newest first (of one day, the one written last first)."""
    found = store.list("progress_update", where={"action": action}, order_by="date")
    return sorted(found, key=lambda u: (u.get("date") or "", u.id), reverse=True)


def latest_update(store: Store, action: str) -> Record | None:
    found = updates(store, action)
    return found[0] if found else None


@dataclass(frozen=True)
class RagPoint:
    """One rating in an action's history."""

    day: dt.date
    rag: Rag
    update: str  # the progress update that gave it
    author: str


def rag_history(store: Store, action: str) -> list[RagPoint]:
    """Every rating an action has had, oldest first."""
    out = []
    for u in reversed(updates(store, action)):
        rag, day = Rag.of(u.get("rag")), as_date(u.get("date"))
        if rag is not None and day is not None:
            out.append(RagPoint(day, rag, u.id, str(u.get("author_name") or "")))
    return out


class Movement(Choice):
    """How a rating moved over a period."""

    BETTER = "better", "Improved"
    SAME = "same", "No change"
    WORSE = "worse"
    NEW = "new", "Newly rated"  # first rated in the period
    UNRATED = "unrated", "Not rated"


def rating_on(history: Sequence[RagPoint], day: dt.date) -> Rag | None:
    """The rating an action had at the end of ``day``."""
    found = [p for p in history if p.day <= day]
    return found[-1].rag if found else None


def movement(history: Sequence[RagPoint], since: dt.date, until: dt.date) -> Movement:
    """How the rating moved from the end of ``since`` to the end of ``until``."""
    before, after = rating_on(history, since), rating_on(history, until)
    if after is None:
        return Movement.UNRATED
    if before is None:
        return Movement.NEW
    if after.rank > before.rank:
        return Movement.BETTER
    if after.rank < before.rank:
        return Movement.WORSE
    return Movement.SAME


def drifting(history: Sequence[RagPoint]) -> bool:
    """True when the last ratings move towards red ("ambers drifting towards red"): the latest is
    worse than the one before it."""
    rags = [p.rag for p in history]
    if len(rags) < 2:
        return False
    return rags[-1].rank < rags[-2].rank


def update_due(store: Store, action: Record, today: dt.date, cadence: Cadence) -> bool:
    """True when an open, started action has had no progress update this term (or in the
    cadence's number of days)."""
    if not ActionStatus.of(action.get("status")).open:
        return False
    start = as_date(action.get("start_date"))
    if start is not None and start > today:
        return False
    newest = latest_update(store, action.id)
    last = as_date(newest.get("date")) if newest is not None else None
    if cadence is Cadence.TERMLY:
        term = Term.of(today)
        if start is not None and start in term:
            return False  # started this term: its first update is due next term
        return last is None or last < term.first_day
    return last is None or (today - last).days > cadence.days


# ===================================================================== impact reviews


def add_impact_review(
    store: Store,
    plan: str,
    *,
    on: dt.date,
    impact: Impact | None,
    what_changed: str = "",
    priority: str | None = None,
    action: str | None = None,
    reviewer: str | None = None,
    reviewer_name: str = "",
    reviewer_role: str = "",
    next_steps: str = "",
    evidence: Sequence[str] = (),
) -> str:
    """A dated check of what changed, and by whom (planned ahead when ``impact`` is None)."""
    rec = _require(store, plan, "plan")
    if priority is not None:
        _require(store, priority, "priority")
    if action is not None:
        _require(store, action, "action")
    if reviewer:
        person = _require(store, reviewer, "person")
        reviewer_name = reviewer_name or person.title
        reviewer_role = reviewer_role or str(person.get("role") or "")
    return store.create(
        "impact_review",
        {
            "plan": rec.id,
            "school": rec["school"],
            "priority": priority,
            "action": action,
            "date": on.isoformat(),
            "reviewer": reviewer,
            "reviewer_name": reviewer_name,
            "reviewer_role": reviewer_role,
            "impact": impact.value if impact else None,
            "what_changed": what_changed,
            "next_steps": next_steps,
            "evidence": list(evidence) or None,
        },
    )


def impact_reviews(store: Store, plan: str) -> list[Record]:
    return store.list("impact_review", where={"plan": plan}, order_by="date")


# ===================================================================== support


def add_support(
    store: Store,
    school: str,
    *,
    provider_type: ProviderType,
    purpose: str,
    provider: str = "",
    provider_school: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    cost: int | None = None,
    status: SupportStatus = SupportStatus.AGREED,
    plan: str | None = None,
    priority: str | None = None,
) -> str:
    """Record support brokered or commissioned for a school."""
    host = _require(store, school, store.registry.school_kind().name)
    if not purpose.strip():
        raise ValidationError("Say what the support is for.")
    if provider_type is ProviderType.PARTNER_SCHOOL:
        if provider_school is None:
            raise ValidationError("Choose the partner school that provides the support.")
        provider = provider or _require(store, provider_school, host.kind).title
    elif not provider.strip():
        raise ValidationError("Say who provides the support.")
    if start and end and end < start:
        raise ValidationError(
            "The end date of this support is before its start date. Check the dates."
        )
    return store.create(
        "support",
        {
            "school": host.id,
            "plan": plan,
            "priority": priority,
            "provider_type": provider_type.value,
            "provider_school": provider_school,
            "provider": provider.strip(),
            "purpose": purpose.strip(),
            "start_date": _iso(start),
            "end_date": _iso(end),
            "cost": cost,
            "status": status.value,
        },
    )


def evaluate_support(
    store: Store, support: str, *, impact: Impact, evaluation: str = "", feedback: str = ""
) -> None:
    """Record what difference the support made, and what the school said about it."""
    rec = _require(store, support, "support")
    store.update(
        rec.id,
        {
            "impact_rating": impact.value,
            "impact": evaluation or rec.get("impact"),
            "feedback": feedback or rec.get("feedback"),
        },
    )


def support_for(store: Store, school: str) -> list[Record]:
    return store.list("support", where={"school": school}, order_by="start_date")
