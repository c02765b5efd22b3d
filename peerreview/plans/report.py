"""A school's action plan as a report, and the governors' one-page summary of it.

Both are built in two steps like every report: read the plan into plain values here, lay them out
as a report model, and let the PDF and Word renderers draw it. The governors' summary is one page:
status at a glance (RAG counts and how they moved this term), what is due and overdue, and what
impact reviews found; a chart of the ratings by priority.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from peerreview.errors import ValidationError
from peerreview.forms import FormLibrary
from peerreview.plans import plans as pl
from peerreview.plans.due import FORTNIGHT
from peerreview.plans.plans import ActionStatus, CriterionStatus, Impact, Rag, date_text
from peerreview.plans.workshop import Response, items
from peerreview.reports.model import (
    Block,
    BulletList,
    Callout,
    Chart,
    Heading,
    KeyValues,
    Note,
    Paragraph,
    Report,
    Series,
    SignOff,
    Table,
    long_date,
)
from peerreview.review.report import visit_dates
from peerreview.schoolyear import Term
from peerreview.sync.records import Record
from peerreview.sync.store import Store

CONFIDENTIAL = (
    "Confidential to the school, its governors and the partnership coordinator. "
    "Developmental, not for accountability."
)
RAG_TONES = (("Red", "red"), ("Amber", "amber"), ("Green", "green"), ("Not rated", "grey"))


def _partnership(store: Store) -> str:
    return store.title(store.partnership_id) if store.partnership_id else "PeerReview"


def _person(store: Store, person: str | None, role: str) -> str:
    """ "Asha Patel (Deputy headteacher)", or the role alone when the person is not known."""
    name = store.title(person) if person and store.exists(person) else ""
    if name and role:
        return f"{name} ({role})"
    return name or role or "No owner yet"


def _dates(action: Record) -> str:
    start, due = date_text(action.get("start_date")), date_text(action.get("due_date"))
    if start and due:
        return f"{start} to {due}"
    return f"Due {due}" if due else (f"From {start}" if start else "Not set")


def _rag(action: Record) -> str:
    rag = Rag.of(action.get("rag"))
    return rag.label if rag else "Not rated"


def _history_text(history: Sequence[pl.RagPoint]) -> str:
    return " → ".join(f"{p.rag.label} ({date_text(p.day.isoformat())})" for p in history)


def rag_chart(
    store: Store,
    prios: Sequence[Record],
    acts: Sequence[Record],
    *,
    title: str,
    most: int | None = None,
) -> Chart:
    """Open actions by RAG rating, one bar per priority (the first ``most``, the rest together)."""
    by_priority: dict[str, Counter[str]] = {p.id: Counter() for p in prios}
    for a in acts:
        if ActionStatus.of(a.get("status")).open and a.get("priority") in by_priority:
            by_priority[a["priority"]][_rag(a)] += 1
    groups: list[tuple[str, Counter[str]]] = [
        (_short(p.get("title") or "Untitled priority"), by_priority[p.id]) for p in prios
    ]
    if most is not None and len(groups) > most:
        rest: Counter[str] = Counter()
        for _name, counts in groups[most - 1 :]:
            rest.update(counts)
        groups = [*groups[: most - 1], (f"The other {len(groups) - most + 1} priorities", rest)]
    categories = tuple(name for name, _ in groups)
    series = tuple(
        Series(name, tuple(float(counts[name]) for _, counts in groups), tone)
        for name, tone in RAG_TONES
    )
    counts = Counter(_rag(a) for a in acts if ActionStatus.of(a.get("status")).open)
    caption = (
        "Open actions by RAG rating: "
        + ", ".join(f"{counts[name]} {name.lower()}" for name, _ in RAG_TONES if counts[name])
        + "."
        if counts
        else "No open actions."
    )
    return Chart(title, categories, series, kind="stacked", unit="open actions", caption=caption)


def _short(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


# ===================================================================== the action plan


def build_plan_report(
    store: Store, library: FormLibrary, plan_id: str, *, today: dt.date | None = None
) -> Report:
    """The whole plan: priorities, actions with owners, criteria, progress, impact and support."""
    today = today or dt.date.today()
    plan = store.get(plan_id)
    school = plan.get("school")
    school_name = store.title(school) if school and store.exists(school) else "Unknown school"
    prios = pl.priorities(store, plan.id)
    acts = pl.actions(store, plan=plan.id)
    status = pl.PlanStatus(plan.get("status") or "draft")
    facts: list[tuple[str, str]] = [
        ("School year", str(plan.get("school_year") or "")),
        ("Status", status.label),
    ]
    if status is pl.PlanStatus.AGREED:
        facts.append(
            ("Agreed", f"{plan.get('agreed_by') or ''}, {date_text(plan.get('agreed_on'))}")
        )
    review = plan.get("review")
    if review and store.exists(review):
        rv = store.get(review)
        facts.append(("Answers", f"{rv.get('title') or 'Peer review'}, {visit_dates(rv)}"))
    if plan.get("workshop_on"):
        facts.append(("Improvement workshop", date_text(plan.get("workshop_on"))))
    facts.append(("Progress updates", pl.Cadence(plan.get("updates") or "termly").label))
    facts.append(("Position on", long_date(today)))

    blocks: list[Block] = []
    if status is pl.PlanStatus.DRAFT:
        blocks.append(Callout("Draft", "This plan has not yet been agreed by the school.", "info"))
    if plan.get("summary"):
        blocks += [Heading("About this plan", 1), Paragraph(str(plan["summary"]))]
    blocks += _at_a_glance(store, prios, acts, today)
    for priority in prios:
        blocks += _priority(
            store, priority, [a for a in acts if a.get("priority") == priority.id], today
        )
    if review and store.exists(review):
        blocks += _responses(store, library, review)
    blocks += _impact(store, pl.impact_reviews(store, plan.id), prios, acts)
    blocks += _support(
        store, [s for s in pl.support_for(store, school) if s.get("plan") in (None, plan.id)]
    )
    blocks += [
        Heading("Sign-off", 1),
        SignOff((("", "Headteacher"), ("", "Chair of governors"))),
    ]
    return Report(
        title="Action plan",
        subtitle=str(plan.get("title") or f"Action plan {plan.get('school_year') or ''}"),
        school_name=school_name,
        partnership_name=_partnership(store),
        audience="For the school's leaders and governors, and the partnership coordinator",
        confidentiality=CONFIDENTIAL,
        cover_facts=tuple(facts),
        blocks=tuple(blocks),
        generated_on=today,
    )


def _at_a_glance(
    store: Store, prios: Sequence[Record], acts: Sequence[Record], today: dt.date
) -> list[Block]:
    counts = Counter(ActionStatus.of(a.get("status")) for a in acts)
    late = [a for a in acts if pl.overdue(a, today)]
    soon = [a for a in acts if pl.due_within(a, today, FORTNIGHT)]
    out: list[Block] = [
        Heading("The plan at a glance", 1),
        KeyValues(
            (
                ("Priorities", str(len(prios))),
                (
                    "Actions",
                    f"{len(acts)}: "
                    + ", ".join(
                        f"{counts[s]} {s.label.lower()}" for s in ActionStatus if counts[s]
                    ),
                ),
                ("Overdue", str(len(late))),
                (f"Due in the next {FORTNIGHT} days", str(len(soon))),
            )
        ),
    ]
    if prios and acts:
        out.append(rag_chart(store, prios, acts, title="Open actions by RAG rating, by priority"))
    return out


def _priority(
    store: Store, priority: Record, acts: Sequence[Record], today: dt.date
) -> list[Block]:
    out: list[Block] = [Heading(str(priority.get("title") or "Untitled priority"), 1)]
    source = pl.Source(priority.get("source") or "own")
    origin = source.label
    if source is pl.Source.EBI and priority.get("review") and store.exists(priority["review"]):
        rv = store.get(priority["review"])
        origin = f"From the peer review of {visit_dates(rv)}"
        if priority.get("area_title"):
            origin += f" ({priority['area_title']})"
    elif priority.get("area_title"):
        origin += f": {priority['area_title']}"
    out.append(Note(origin + "."))
    if priority.get("description"):
        out.append(Paragraph(str(priority["description"])))
    if not acts:
        return out + [Paragraph("No actions have been planned for this priority yet.")]
    out.append(
        Table(
            ("Action", "Owner", "When", "Status", "RAG"),
            tuple(
                (
                    str(a.get("title") or ""),
                    _person(store, a.get("owner"), str(a.get("owner_role") or "")),
                    _dates(a) + (" (overdue)" if pl.overdue(a, today) else ""),
                    ActionStatus.of(a.get("status")).label,
                    _rag(a),
                )
                for a in acts
            ),
            widths=(3.2, 1.8, 1.9, 1.0, 0.8),
        )
    )
    for action in acts:
        out += _action_detail(store, action)
    return out


def _action_detail(store: Store, action: Record) -> list[Block]:
    pairs: list[tuple[str, str]] = []
    supporters = [
        store.title(p)
        for p in (action.get("supporters") or [])
        if isinstance(p, str) and store.exists(p)
    ]
    if supporters:
        pairs.append(("Supported by", ", ".join(supporters)))
    if action.get("resources"):
        pairs.append(("Resources", str(action["resources"])))
    if action.get("cost") is not None:
        pairs.append(("Cost", f"£{int(action['cost']):,}"))
    milestones = [m for m in (action.get("milestones") or []) if isinstance(m, dict)]
    crits = pl.criteria(store, action.id)
    ups = pl.updates(store, action.id)
    history = pl.rag_history(store, action.id)
    if not (pairs or milestones or crits or ups):
        return []
    out: list[Block] = [Heading(str(action.get("title") or "Untitled action"), 3)]
    if pairs:
        out.append(KeyValues(tuple(pairs)))
    if milestones:
        out.append(
            BulletList(
                tuple(
                    f"{m.get('milestone') or ''}"
                    + (f" (by {date_text(m.get('date'))})" if m.get("date") else "")
                    + (": done" if m.get("done") else "")
                    for m in milestones
                )
            )
        )
    if crits:
        out.append(
            Table(
                ("Success criterion", "Status"),
                tuple(
                    (str(c.get("text") or ""), CriterionStatus.of(c.get("status")).label)
                    for c in crits
                ),
                widths=(4, 1.2),
            )
        )
    if history:
        line = "RAG over time: " + _history_text(history) + "."
        if pl.drifting(history):
            line += " The rating has worsened since the last update."
        out.append(Note(line))
    if ups:
        out.append(
            Table(
                ("Date", "By", "RAG", "What changed"),
                tuple(
                    (
                        date_text(u.get("date")),
                        ", ".join(
                            x
                            for x in (
                                str(u.get("author_name") or ""),
                                str(u.get("author_role") or ""),
                            )
                            if x
                        ),
                        (Rag.of(u.get("rag")).label if Rag.of(u.get("rag")) else ""),  # type: ignore[union-attr]
                        "\n\n".join(
                            x
                            for x in (
                                str(u.get("text") or ""),
                                f"Next: {u['next_steps']}" if u.get("next_steps") else "",
                            )
                            if x
                        ),
                    )
                    for u in ups
                ),
                widths=(1.3, 1.6, 0.8, 4.5),
            )
        )
    return out


def _responses(store: Store, library: FormLibrary, review: str) -> list[Block]:
    found = items(store, library, review)
    if not found:
        return []
    rows = []
    for item in found:
        r = item.response
        if r is None:
            answer = "No response yet"
        elif r.get("response") == Response.NO_ACTION.value:
            answer = f"No action: {r.get('reason') or ''}"
        elif (
            r.get("response") == Response.PRIORITY.value
            and r.get("priority")
            and store.exists(r["priority"])
        ):
            answer = f"Priority: {store.title(r['priority'])}"
        elif r.get("action") and store.exists(r["action"]):
            answer = f"Action: {store.title(r['action'])}"
        else:
            answer = "No response yet"
        rows.append((item.ebi.area_title, item.ebi.text, answer))
    missing = sum(1 for i in found if not i.answered)
    out: list[Block] = [
        Heading("Responses to the peer review", 1),
        Paragraph(
            "Every recommendation of the review and what the plan does about it."
            + (
                f" {missing} of {len(found)} have no response yet."
                if missing
                else " Every one has a response."
            )
        ),
        Table(("Area", "Even better if", "Response"), tuple(rows), widths=(1.4, 3.2, 3.0)),
    ]
    return out


def _impact(
    store: Store, reviews: Sequence[Record], prios: Sequence[Record], acts: Sequence[Record]
) -> list[Block]:
    if not reviews:
        return []
    titles = {r.id: str(r.get("title") or "") for r in (*prios, *acts)}
    rows = []
    for r in reviews:
        of = titles.get(r.get("action") or "") or titles.get(r.get("priority") or "") or "The plan"
        rating = Impact.of(r.get("impact"))
        who = ", ".join(
            x for x in (str(r.get("reviewer_name") or ""), str(r.get("reviewer_role") or "")) if x
        )
        rows.append(
            (
                date_text(r.get("date")),
                of,
                who,
                rating.label if rating else "Planned",
                str(r.get("what_changed") or ""),
            )
        )
    return [
        Heading("Impact reviews", 1),
        Table(
            ("Date", "Of", "By", "Impact", "What changed"),
            tuple(rows),
            widths=(1.2, 2.0, 1.4, 1.1, 3.2),
        ),
    ]


def _support(store: Store, found: Sequence[Record]) -> list[Block]:
    if not found:
        return []
    rows = []
    for s in found:
        when = " to ".join(
            x for x in (date_text(s.get("start_date")), date_text(s.get("end_date"))) if x
        )
        rating = Impact.of(s.get("impact_rating"))
        impact = "\n\n".join(
            x for x in ((rating.label if rating else ""), str(s.get("impact") or "")) if x
        )
        rows.append(
            (
                str(s.get("provider") or ""),
                str(s.get("purpose") or ""),
                when,
                f"£{int(s['cost']):,}" if s.get("cost") is not None else "",
                impact or "Not yet evaluated",
            )
        )
    return [
        Heading("Support brokered for the school", 1),
        Table(
            ("Provider", "Purpose", "When", "Cost", "Impact"),
            tuple(rows),
            widths=(1.6, 2.6, 1.6, 0.8, 2.4),
        ),
    ]


# ===================================================================== governors' summary


@dataclass(frozen=True)
class GovernorsFigures:
    """What governors see at a glance (also shown in the app beside the plan)."""

    rag: Counter[str]
    moved: Counter[pl.Movement]
    overdue: tuple[Record, ...]
    due_soon: tuple[Record, ...]
    impact: Counter[str]
    complete: int
    total: int


def governors_figures(store: Store, plan: str, today: dt.date) -> GovernorsFigures:
    """RAG counts, movement since the start of this term, due and overdue, impact found."""
    acts = pl.actions(store, plan=plan)
    open_acts = [a for a in acts if ActionStatus.of(a.get("status")).open]
    term = Term.of(today)
    since = term.first_day - dt.timedelta(days=1)
    moved: Counter[pl.Movement] = Counter()
    for a in open_acts:
        moved[pl.movement(pl.rag_history(store, a.id), since, today)] += 1
    impact = Counter(
        (Impact.of(r.get("impact")).label if Impact.of(r.get("impact")) else "Planned")  # type: ignore[union-attr]
        for r in pl.impact_reviews(store, plan)
    )
    return GovernorsFigures(
        rag=Counter(_rag(a) for a in open_acts),
        moved=moved,
        overdue=tuple(
            sorted((a for a in acts if pl.overdue(a, today)), key=lambda a: a.get("due_date") or "")
        ),
        due_soon=tuple(
            sorted(
                (a for a in acts if pl.due_within(a, today, FORTNIGHT)),
                key=lambda a: a.get("due_date") or "",
            )
        ),
        impact=impact,
        complete=sum(1 for a in acts if ActionStatus.of(a.get("status")) is ActionStatus.COMPLETE),
        total=len(acts),
    )


def build_governors_report(
    store: Store, library: FormLibrary, school: str, *, today: dt.date | None = None
) -> Report:
    """One page for governors: the school's current plan at a glance."""
    today = today or dt.date.today()
    plan = pl.current_plan(store, school, today)
    school_name = store.title(school)
    if plan is None:
        raise ValidationError(f"{school_name} has no action plan yet. Make one first.")
    term = Term.of(today)
    figures = governors_figures(store, plan.id, today)
    prios = pl.priorities(store, plan.id)
    acts = pl.actions(store, plan=plan.id)
    titles = {a.id: str(a.get("title") or "") for a in acts}
    rag_line = ", ".join(
        f"{figures.rag[name]} {name.lower()}" for name, _ in RAG_TONES if figures.rag[name]
    )
    moved = figures.moved
    movement_line = (
        f"Since the start of the {term.season.label.lower()} term: "
        f"{moved[pl.Movement.BETTER]} improved, {moved[pl.Movement.SAME]} unchanged, "
        f"{moved[pl.Movement.WORSE]} worse"
        + (f", {moved[pl.Movement.NEW]} newly rated" if moved[pl.Movement.NEW] else "")
        + "."
    )
    blocks: list[Block] = [
        KeyValues(
            (
                ("Actions", f"{figures.total}, of which {figures.complete} complete"),
                ("Open actions by RAG", rag_line or "None rated"),
                ("Movement", movement_line),
                ("Overdue", str(len(figures.overdue))),
                (f"Due in the next {FORTNIGHT} days", str(len(figures.due_soon))),
                (
                    "Impact reviews",
                    ", ".join(f"{n} {label.lower()}" for label, n in sorted(figures.impact.items()))
                    or "None yet",
                ),
            )
        ),
    ]
    if prios and acts:
        blocks.append(
            rag_chart(store, prios, acts, title="Open actions by RAG rating, by priority", most=4)
        )
    # One page whatever the plan (its type at 11 pt for governors): the chart shows 3 priorities
    # and the rest together, at most 3 worsened ratings and 4 rows of the due list, with a
    # line saying how many more the full plan has.
    worse = [
        a
        for a in acts
        if ActionStatus.of(a.get("status")).open and pl.drifting(pl.rag_history(store, a.id))
    ]
    if worse:
        blocks.append(
            Callout(
                "Ratings that have worsened",
                "; ".join(_short(titles[a.id], 45) + f" (now {_rag(a).lower()})" for a in worse[:3])
                + (f"; and {len(worse) - 3} more." if len(worse) > 3 else "."),
                "development",
            )
        )
    if figures.overdue or figures.due_soon:
        rows = [
            (
                _short(titles.get(a.id, ""), 34),
                str(a.get("owner_role") or "No owner"),
                date_text(a.get("due_date")),
                "Overdue" if pl.overdue(a, today) else "Due soon",
            )
            for a in (*figures.overdue, *figures.due_soon)
        ]
        shown = rows[:4]
        blocks.append(
            Table(
                ("Overdue and due soon", "Owner (role)", "Due", ""),
                tuple(shown),
                widths=(3.4, 2.3, 1.6, 1.0),
            )
        )
        if len(rows) > len(shown):
            blocks.append(Note(f"And {len(rows) - len(shown)} more: see the full action plan."))
    return Report(
        title="Action plan: summary for governors",
        subtitle=(
            f"{plan.get('title') or 'Action plan'} "
            f"({pl.PlanStatus(plan.get('status') or 'draft').label.lower()}), "
            f"{term.name}, as on {long_date(today)}"
        ),
        school_name=school_name,
        partnership_name=_partnership(store),
        audience="For the school's governors",
        confidentiality=CONFIDENTIAL,
        cover_facts=(),
        blocks=tuple(blocks),
        generated_on=today,
        compact=True,
    )
