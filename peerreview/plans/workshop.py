"""The improvement workshop: every EBI of an agreed review gets a response in the school's plan.

The strongest plans answer every recommendation of the peer review. In the workshop, opened from an
agreed review, each EBI (an area's agreed "even better if", or an enquiry's area for development)
gets one response: a new or existing priority, a new or existing action, or a recorded reason for
not acting. A response is one record per EBI (its id derived from the review and the area), so two
laptops answering the same EBI meet as a conflict on that record, not as two answers.

The typed links travel in bundles like any field: the response names the EBI's agreed view, the
priority or action it became; the priority and action name the EBI too; progress updates, impact
reviews and evidence hang off the action and the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peerreview.choices import Choice
from peerreview.errors import ValidationError
from peerreview.forms import FormLibrary
from peerreview.plans import plans
from peerreview.plans.plans import Source
from peerreview.review.reviews import Stage, Status, areas, framework_of, get_view, view_id
from peerreview.schoolyear import SchoolYear
from peerreview.sync.ids import derived_id
from peerreview.sync.records import Record
from peerreview.sync.store import Store


class Response(Choice):
    """What the workshop decided about one EBI."""

    PRIORITY = "priority", "A priority in the plan"
    ACTION = "action", "An action in the plan"
    NO_ACTION = "no_action", "No action: reason recorded"


@dataclass(frozen=True)
class Ebi:
    """One EBI of a review: an area's agreed next step."""

    review: str
    area: str
    area_title: str
    text: str
    view: str  # the agreed view's record id: what the response, priority and action link to
    label: str  # "Even better if", or "Area for development" for an enquiry


@dataclass(frozen=True)
class Item:
    """One EBI and its response (None while the workshop has not answered it)."""

    ebi: Ebi
    response: Record | None

    @property
    def answered(self) -> bool:
        return self.response is not None


def response_id(review: str, area: str) -> str:
    """The one response record of an EBI: the same id on every laptop."""
    return derived_id("ebi_response", review, area)


def review_ebis(store: Store, library: FormLibrary, review: str) -> list[Ebi]:
    """A review's EBIs: each area's agreed next step that is not empty."""
    rec = store.get(review)
    fw = framework_of(library, rec)
    label = "Even better if" if fw.judged else "Area for development"
    out = []
    for area in areas(store, fw, rec.id):
        view = get_view(store, rec.id, area.id, Stage.AGREED)
        if view is not None and str(view.get("ebi") or "").strip():
            out.append(Ebi(rec.id, area.id, area.title, str(view["ebi"]).strip(), view.id, label))
    return out


def response_of(store: Store, review: str, area: str) -> Record | None:
    rid = response_id(review, area)
    if not store.exists(rid):
        return None
    rec = store.get(rid)
    return None if rec.deleted else rec


def items(store: Store, library: FormLibrary, review: str) -> list[Item]:
    """Every EBI of the review with its response."""
    return [
        Item(e, response_of(store, review, e.area)) for e in review_ebis(store, library, review)
    ]


def unanswered(store: Store, library: FormLibrary, review: str) -> list[Ebi]:
    """The review's EBIs with no response yet."""
    return [i.ebi for i in items(store, library, review) if not i.answered]


def _agreed_review(store: Store, review: str) -> Record:
    if not store.exists(review) or store.kind_of(review) != "review":
        raise ValidationError("Choose a peer review to hold the improvement workshop for.")
    rec = store.get(review)
    if rec.get("status") != Status.AGREED.value:
        raise ValidationError(
            "The improvement workshop follows an agreed review. Agree the report with the school "
            "first."
        )
    return rec


def plan_for(store: Store, review: str) -> Record | None:
    """The plan that answers a review, if there is one."""
    found = store.list("plan", where={"review": review}, order_by="id")
    return found[0] if found else None


def open_workshop(store: Store, review: str, *, on: dt.date) -> str:
    """Start (or return to) the improvement workshop of an agreed review: the plan that answers it,
    made if there is none yet (a draft for the school year of the review, or the school's plan for
    that year if it has one that answers no other review)."""
    rec = _agreed_review(store, review)
    plan = plan_for(store, rec.id)
    if plan is not None:
        if not plan.get("workshop_on"):
            store.update(plan.id, {"workshop_on": on.isoformat()})
        return plan.id
    day = plans.as_date(rec.get("agreed_on")) or plans.as_date(rec.get("start_date")) or on
    year = SchoolYear.of(day)
    school = rec["school"]
    for existing in plans.plans_of(store, school):
        if existing.get("school_year") == year.name and not existing.get("review"):
            store.update(existing.id, {"review": rec.id, "workshop_on": on.isoformat()})
            return existing.id
    return plans.create_plan(store, school, school_year=year, review=rec.id, workshop_on=on)


def _ebi(store: Store, library: FormLibrary, review: str, area: str) -> Ebi:
    found = next((e for e in review_ebis(store, library, review) if e.area == area), None)
    if found is None:
        raise ValidationError("That area has no agreed EBI to respond to.")
    return found


def _write_response(store: Store, ebi: Ebi, plan: str, values: dict[str, Any]) -> str:
    rid = response_id(ebi.review, ebi.area)
    full: dict[str, Any] = {
        "review": ebi.review,
        "area": ebi.area,
        "ebi": ebi.view,
        "school": store.get(plan).get("school"),
        "plan": plan,
        "response": None,
        "priority": None,
        "action": None,
        "reason": None,
        "responded_on": dt.date.today().isoformat(),
        **values,
    }
    with store.transaction():
        if store.exists(rid):
            if store.get(rid).deleted:
                store.restore(rid)
            store.update(rid, full)
        else:
            store.create(
                "ebi_response", {k: v for k, v in full.items() if v is not None}, record_id=rid
            )
    return rid


def priority_for_ebi(
    store: Store,
    library: FormLibrary,
    review: str,
    area: str,
    *,
    title: str | None = None,
    on: dt.date | None = None,
) -> str:
    """A new priority of the plan that answers the review, made from (and linked to) one EBI;
    titled with the EBI unless given. The response is recorded by ``respond_with_priority``."""
    _agreed_review(store, review)
    ebi = _ebi(store, library, review, area)
    plan = open_workshop(store, review, on=on or dt.date.today())
    return plans.add_priority(
        store,
        plan,
        title or ebi.text,
        source=Source.EBI,
        review=review,
        area=area,
        area_title=ebi.area_title,
        ebi=ebi.view,
    )


def respond_with_new_priority(
    store: Store,
    library: FormLibrary,
    review: str,
    area: str,
    *,
    title: str | None = None,
    on: dt.date | None = None,
) -> str:
    """Answer an EBI with a new priority of the plan (titled with the EBI unless given)."""
    with store.transaction():
        priority = priority_for_ebi(store, library, review, area, title=title, on=on)
        respond_with_priority(store, library, review, area, priority)
    return priority


def respond_with_priority(
    store: Store, library: FormLibrary, review: str, area: str, priority: str
) -> None:
    """Answer an EBI with a priority the plan already has."""
    _respond_with(store, library, review, area, Response.PRIORITY, priority)


def action_for_ebi(
    store: Store,
    library: FormLibrary,
    review: str,
    area: str,
    *,
    priority: str,
    title: str,
    owner: str | None = None,
    owner_role: str = "",
    start: dt.date | None = None,
    due: dt.date | None = None,
) -> str:
    """A new action under one of the plan's priorities, linked to one EBI. It does not record the
    response (``respond_with_action``)."""
    _agreed_review(store, review)
    ebi = _ebi(store, library, review, area)
    plan = plan_for(store, review)
    pri = plans._require(store, priority, "priority")
    if plan is None or pri.get("plan") != plan.id:
        raise ValidationError("Choose a priority of the plan that answers this review.")
    return plans.add_action(
        store,
        pri.id,
        title,
        owner=owner,
        owner_role=owner_role,
        start=start,
        due=due,
        ebi=ebi.view,
    )


def respond_with_new_action(
    store: Store,
    library: FormLibrary,
    review: str,
    area: str,
    *,
    priority: str,
    title: str,
    owner: str | None = None,
    owner_role: str = "",
    start: dt.date | None = None,
    due: dt.date | None = None,
) -> str:
    """Answer an EBI with a new action under one of the plan's priorities."""
    with store.transaction():
        action = action_for_ebi(
            store,
            library,
            review,
            area,
            priority=priority,
            title=title,
            owner=owner,
            owner_role=owner_role,
            start=start,
            due=due,
        )
        respond_with_action(store, library, review, area, action)
    return action


def respond_with_action(
    store: Store, library: FormLibrary, review: str, area: str, action: str
) -> None:
    """Answer an EBI with an action the plan already has."""
    _respond_with(store, library, review, area, Response.ACTION, action)


def _respond_with(
    store: Store,
    library: FormLibrary,
    review: str,
    area: str,
    response: Response,
    record_id: str,
) -> None:
    """Answer an EBI with a priority or an action of the review's plan (the response names the
    kind: ``Response.PRIORITY`` or ``Response.ACTION``)."""
    kind = response.value
    _agreed_review(store, review)
    ebi = _ebi(store, library, review, area)
    record = plans._require(store, record_id, kind)
    plan = plan_for(store, review)
    if plan is None or record.get("plan") != plan.id:
        article = "an" if kind[0] in "aeiou" else "a"
        raise ValidationError(f"Choose {article} {kind} of the plan that answers this review.")
    _write_response(store, ebi, plan.id, {"response": response.value, kind: record.id})


def respond_no_action(
    store: Store,
    library: FormLibrary,
    review: str,
    area: str,
    reason: str,
    *,
    on: dt.date | None = None,
) -> None:
    """Record that the school will not act on an EBI, and why (a reason is required)."""
    _agreed_review(store, review)
    ebi = _ebi(store, library, review, area)
    if not reason.strip():
        raise ValidationError(
            "Say why the school will not act on this EBI: a reason is recorded for every one."
        )
    plan = open_workshop(store, review, on=on or dt.date.today())
    _write_response(
        store, ebi, plan, {"response": Response.NO_ACTION.value, "reason": reason.strip()}
    )


def clear_response(store: Store, review: str, area: str) -> None:
    """Take back a response (the EBI is unanswered again; what it made stays in the plan)."""
    rec = response_of(store, review, area)
    if rec is not None:
        store.delete(rec.id)


@dataclass(frozen=True)
class Progress:
    """How far a review's workshop has got."""

    ebis: int
    answered: int

    @property
    def unanswered(self) -> int:
        return self.ebis - self.answered

    @property
    def complete(self) -> bool:
        return self.answered == self.ebis


def progress(store: Store, library: FormLibrary, review: str) -> Progress:
    found = items(store, library, review)
    return Progress(len(found), sum(1 for i in found if i.answered))


def ebi_view_id(review: str, area: str) -> str:
    """The record id of an EBI (its area's agreed view), as links name it."""
    return view_id(review, area, Stage.AGREED)
