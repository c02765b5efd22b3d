"""Demo action plans: every agreed review answered by a plan, with actions in every state.

Each school's agreed reviews get a plan made in an improvement workshop a few weeks after the report
was agreed: a priority for most EBIs, an existing priority or a recorded reason for the rest, one to
three actions per priority with owners by role, success criteria, termly progress updates (whose
RAG ratings drift as real ones do) for the plans of the last two years, impact reviews, and support
brokered from partner schools, specialists and outside organisations. A few schools' latest
reviews still wait for their workshop, so the partnership view has EBIs without a response.
``regional`` makes exactly the 15,000 actions of DESIGN.md section 9.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from peerreview.forms import forms_dir, load_forms
from peerreview.plans.plans import (
    ActionStatus,
    Cadence,
    CriterionStatus,
    Impact,
    PlanStatus,
    ProviderType,
    Rag,
    Source,
    SupportStatus,
)
from peerreview.plans.workshop import Response, response_id
from peerreview.progress import check_cancelled
from peerreview.review.reviews import Stage, Status, frameworks
from peerreview.schoolyear import SchoolYear, Term
from peerreview.sync.ids import new_id
from peerreview.sync.registry import DemoContext
from peerreview.sync.store import Edit, Store

#: The demo's "today" (the review demo's too): plans are judged against it.
TODAY = dt.date(2026, 11, 25)
#: Plans of school years starting on or after this have termly updates: two years of them, to
#: today; plans of earlier years are closed.
UPDATES_FROM = SchoolYear.of(TODAY).previous().previous()


@dataclass(frozen=True)
class DemoSize:
    #: actions in all (None: as many as the plans come to)
    actions: int | None
    #: schools whose latest agreed review has not had its workshop yet: one in this many
    unanswered_every: int


SIZES = {"small": DemoSize(None, 4), "regional": DemoSize(15_000, 6)}

_ACTIONS: dict[str, tuple[str, ...]] = {
    "leadership": (
        "Subject leaders review pupils' books with their link governor each half term",
        "Rewrite the governors' report around the plan's three priorities",
        "Give middle leaders a fortnightly hour to check the impact of their subject plans",
        "Senior leaders and subject leaders visit lessons together and agree next steps",
    ),
    "quality": (
        "Train every teacher in the agreed feedback routine and check it in books each term",
        "Daily read-aloud time with an adult for pupils in Key Stage 1",
        "Coaching pairs for teachers new to the school, with a visit each half term",
        "Use mini-whiteboards in every lesson to check understanding before moving on",
    ),
    "disadvantaged": (
        "Track disadvantaged pupils' attendance weekly and call families on the first day",
        "Teaching assistants pre-teach vocabulary before English and science lessons",
        "Fund clubs and trips so every disadvantaged pupil takes part in at least one",
    ),
    "inclusion": (
        "Share each pupil's support plan targets with every adult who teaches them",
        "SENCo observes adaptations in lessons termly and feeds back to teachers",
        "Termly review meetings with families of pupils with SEND",
    ),
    "curriculum": (
        "Subject leaders of the foundation subjects lead one staff meeting each term",
        "Map retrieval questions into every unit of the history and geography curriculum",
        "Audit teachers' subject knowledge in the foundation subjects and plan training",
    ),
    "achievement": (
        "Extended writing in history, geography and science at least once a fortnight",
        "Track the progress of pupils who join mid-year and plan catch-up for each",
        "Moderate writing with a partner school each term",
    ),
    "attendance": (
        "Introduce first-day calls and a weekly attendance panel",
        "Structured games and trained play leaders at lunchtime",
        "Work with the education welfare officer on the twenty most persistent absentees",
    ),
    "personal_development": (
        "Record which pupils take part in clubs and invite those who do not",
        "Careers talks from local employers for every year group",
    ),
    "early_years": (
        "Train outdoor staff in questioning that extends children's thinking",
        "Share Reception assessments with Year 1 teachers before the summer",
    ),
    "sixth_form": (
        "Identify Year 12 students off track by October half term and mentor them",
        "Plan and track the enrichment programme like a course",
    ),
    "safeguarding": (
        "Governors check the single central record with the headteacher every half term",
        "Keep lunchtime staff's training records with the rest of the school's",
    ),
    "enquiry": (
        "Teach younger pupils how to choose a book, with weekly library time",
        "Choose non-fiction texts for every subject's units and buy class sets",
        "Reading ambassadors from Year 6 read with Key Stage 1 pupils weekly",
    ),
}
_CRITERIA: dict[str, tuple[str, ...]] = {
    "leadership": (
        "Every subject leader can show the impact of their plan on pupils' work",
        "Governors' minutes show challenge on each priority",
    ),
    "quality": (
        "Book looks show pupils acting on feedback in at least nine classes in ten",
        "Visits show consistent routines in every class",
    ),
    "disadvantaged": (
        "Attendance of disadvantaged pupils rises to 94%",
        "Every disadvantaged pupil attends at least one club",
    ),
    "attendance": (
        "Persistent absence falls below 15%",
        "Fewer lunchtime incidents logged than last year",
    ),
    "enquiry": (
        "Pupils can name three books they have chosen and enjoyed",
        "Non-fiction is read in every subject each half term",
    ),
}
_GENERIC_CRITERIA = (
    "Leaders' checks show the change in most classes",
    "Pupils can explain the difference it has made to their learning",
    "The next peer review finds the EBI addressed",
)
_UPDATES = {
    Rag.GREEN: (
        "On track. Training delivered to all staff; first checks show it in most classes.",
        "Going well. Book looks this term show the routine used consistently.",
        "Done as planned this term; pupils and staff say it is making a difference.",
    ),
    Rag.AMBER: (
        "Started, but slower than planned: two staff absences delayed the training.",
        "Some progress. Checks show it in about half of classes; more coaching needed.",
        "Partly done. Timetabling the sessions has been harder than expected.",
    ),
    Rag.RED: (
        "Not yet started: the lead left at Easter and the role is being covered.",
        "Stalled. Funding for the release time was not agreed; we will raise it with governors.",
        "Behind. The first checks found little change; we are rethinking the approach.",
    ),
}
_NO_ACTION = (
    "Already addressed by the curriculum review started last term.",
    "Covered by the trust's own plan for this year.",
    "Agreed to revisit next year once the new leader is in post.",
)
_IMPACT_TEXT = (
    "Book looks and pupil voice show the change in most classes; attendance data confirms it.",
    "Some change in the classes of staff who had coaching; not yet across the school.",
    "Little difference yet: the action started late. Carried into next year's plan.",
)
_SUPPORT = (
    (ProviderType.PARTNER_SCHOOL, "Coaching for middle leaders from a partner school's deputy"),
    (ProviderType.PARTNER_SCHOOL, "Joint moderation of writing with a partner school"),
    (
        ProviderType.SPECIALIST,
        "Speech and language therapist: a term of training for teaching assistants",
    ),
    (ProviderType.SPECIALIST, "Educational psychologist: advice on support plans"),
    (ProviderType.EXTERNAL, "English hub: early reading programme"),
    (ProviderType.EXTERNAL, "Maths hub: teaching for mastery work group"),
)
_SPECIALISTS = ("Harbour Speech and Language Service", "Dr Ruth Cole, educational psychologist")
_EXTERNAL = ("West Midlands English Hub", "Central Maths Hub")
_FEEDBACK = (
    "Very useful: practical and tailored to our school.",
    "Useful, though the sessions clashed with parents' evenings.",
    "Staff valued seeing another school's practice first hand.",
)


def _flush(store: Store, edits: list[Edit]) -> None:
    if edits:
        with store.transaction():
            store.write(edits)
        edits.clear()


def _make(edits: list[Edit], kind: str, values: dict[str, Any], rid: str | None = None) -> str:
    rid = rid or new_id()
    for name, value in values.items():
        if value not in (None, "", []):
            edits.append(Edit(rid, kind, name, value))
    return rid


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class _Ebi:
    area: str
    title: str
    view: str


def build(store: Store, ctx: DemoContext) -> dict[str, int]:
    """Action plans' part of the demo."""
    spec = SIZES[ctx.size]
    rng = ctx.rng
    library = load_forms(forms_dir())
    titles: dict[str, str] = {}
    for fw in frameworks(library):
        for area in fw.areas:
            titles[area.id] = area.title
    for lid, text in store.rows("enquiry_line", ["id", "text"]):
        titles[lid] = str(text or "Line of enquiry")
    ebis: dict[str, list[_Ebi]] = {}
    for vid, review, area in store.rows(
        "area_view", ["id", "review", "area"], where={"stage": Stage.AGREED.value}
    ):
        ebis.setdefault(review, []).append(_Ebi(area, titles.get(area, area), vid))
    # Everything in a stable order (ids are random): the same seed makes the same plans.
    for found in ebis.values():
        found.sort(key=lambda e: (e.area, e.title))
    has_ebi = {
        vid for vid, ebi in store.rows("area_view", ["id", "ebi"], where={"stage": "agreed"}) if ebi
    }
    staff: dict[str, list[tuple[str, str, str]]] = {}
    for pid, school, role, name in store.rows("person", ["id", "school", "role", "name"]):
        staff.setdefault(school, []).append((pid, str(role or "Class teacher"), str(name or "")))
    for people in staff.values():
        people.sort(key=lambda p: (p[1], p[2]))
    schools = sorted(store.rows("school", ["id", "name"]), key=lambda r: (r[1] or "", r[0]))
    reviews = sorted(
        store.rows(
            "review",
            ["id", "school", "start_date", "agreed_on"],
            where={"status": Status.AGREED.value},
        ),
        key=lambda r: (r[1], r[2] or "", r[0]),
    )
    by_school: dict[str, list[tuple[str, str, str]]] = {}
    for rid, school, start, agreed in reviews:
        by_school.setdefault(school, []).append((rid, start, agreed or start))
    # Which reviews get a plan: all agreed ones, but now and then a school's latest still waits.
    planned: list[tuple[str, str, dt.date]] = []
    for index, (school, _name) in enumerate(schools):
        done = by_school.get(school, [])
        for k, (rid, _start, agreed) in enumerate(done):
            latest = k == len(done) - 1
            if latest and index % spec.unanswered_every == spec.unanswered_every - 1:
                continue
            planned.append((rid, school, dt.date.fromisoformat(agreed)))
    quota = _quotas(spec.actions, len(planned), rng)
    edits: list[Edit] = []
    counts = {"plan": 0, "priority": 0, "action": 0, "progress_update": 0, "impact_review": 0}
    for n, (rid, school, agreed) in enumerate(planned):
        made = _plan(
            edits,
            rng,
            rid,
            school,
            agreed,
            [e for e in ebis.get(rid, []) if e.view in has_ebi],
            staff.get(school, []),
            quota[n],
        )
        for key, value in made.items():
            counts[key] += value
        if len(edits) > 20_000:
            _flush(store, edits)
            check_cancelled(ctx.cancelled)
            if ctx.progress:
                ctx.progress(n + 1, len(planned) + 1)
    counts["support"] = _support(edits, rng, schools, by_school)
    _flush(store, edits)
    return counts


def _quotas(total: int | None, plans: int, rng: random.Random) -> list[int | None]:
    """How many actions each plan gets, adding up to ``total`` exactly when one is set."""
    if total is None or plans == 0:
        return [None] * plans
    base, extra = divmod(total, plans)
    quotas: list[int | None] = [base + (1 if i < extra else 0) for i in range(plans)]
    rng.shuffle(quotas)
    return quotas


def _plan(
    edits: list[Edit],
    rng: random.Random,
    review: str,
    school: str,
    agreed: dt.date,
    ebis: list[_Ebi],
    people: list[tuple[str, str, str]],
    quota: int | None,
) -> dict[str, int]:
    workshop = _weekday(agreed + dt.timedelta(days=rng.randrange(7, 25)))
    year = SchoolYear.of(workshop)
    agreed_plan = workshop + dt.timedelta(days=7)
    is_agreed = agreed_plan <= TODAY
    head = next((p for p in people if p[1] == "Headteacher"), people[0] if people else None)
    plan = _make(
        edits,
        "plan",
        {
            "school": school,
            "title": f"Action plan {year.name}",
            "school_year": year.name,
            "status": (PlanStatus.AGREED if is_agreed else PlanStatus.DRAFT).value,
            "review": review,
            "workshop_on": workshop.isoformat(),
            "agreed_on": agreed_plan.isoformat() if is_agreed else None,
            "agreed_by": "The headteacher and the chair of governors" if is_agreed else None,
            "summary": "Made at the improvement workshop after the school's peer review, from "
            "the review's EBIs and the school's own evaluation.",
            "updates": Cadence.TERMLY.value,
        },
    )
    counts = {"plan": 1, "priority": 0, "action": 0, "progress_update": 0, "impact_review": 0}
    if not ebis:
        ebis = [_Ebi("leadership", "Leadership", "")]
    # Most EBIs become priorities; the rest join one or get a reason.
    main = ebis[: max(1, min(len(ebis), 3 + (len(ebis) > 5)))]
    rest = ebis[len(main) :]
    priority_ids: list[tuple[str, _Ebi]] = []
    for position, ebi in enumerate(main, start=1):
        pid = _make(
            edits,
            "priority",
            {
                "plan": plan,
                "school": school,
                "title": _priority_title(ebi),
                "source": Source.EBI.value if ebi.view else Source.OWN.value,
                "review": review if ebi.view else None,
                "area": ebi.area,
                "area_title": ebi.title,
                "ebi": ebi.view or None,
                "position": position,
            },
        )
        priority_ids.append((pid, ebi))
        counts["priority"] += 1
        if ebi.view:
            _respond(edits, review, ebi, school, plan, Response.PRIORITY, workshop, priority=pid)
    for ebi in rest:
        if rng.random() < 0.6:
            pid, _ = rng.choice(priority_ids)
            _respond(edits, review, ebi, school, plan, Response.PRIORITY, workshop, priority=pid)
        else:
            _respond(
                edits,
                review,
                ebi,
                school,
                plan,
                Response.NO_ACTION,
                workshop,
                reason=rng.choice(_NO_ACTION),
            )
    n_actions = quota if quota is not None else sum(rng.randrange(1, 4) for _ in priority_ids)
    spread = [
        n_actions // len(priority_ids) + (1 if i < n_actions % len(priority_ids) else 0)
        for i in range(len(priority_ids))
    ]
    for (pid, ebi), how_many in zip(priority_ids, spread, strict=True):
        options = list(_ACTIONS.get(ebi.area, _ACTIONS["enquiry"]))
        rng.shuffle(options)
        for position in range(1, how_many + 1):
            title = options[(position - 1) % len(options)]
            if position > len(options):
                title += f" (phase {position // len(options) + 1})"
            made = _action(
                edits, rng, plan, pid, school, ebi, title, position, workshop, year, people
            )
            counts["action"] += 1
            counts["progress_update"] += made
        if year.last_day < TODAY or rng.random() < 0.3:
            when = min(
                year.last_day - dt.timedelta(days=40),
                TODAY + dt.timedelta(days=rng.randrange(10, 120)),
            )
            when = _weekday(when)
            done = when <= TODAY
            rating = (
                rng.choice((Impact.STRONG, Impact.SOME, Impact.SOME, Impact.LITTLE))
                if done
                else None
            )
            reviewer = head[0] if head else None
            _make(
                edits,
                "impact_review",
                {
                    "plan": plan,
                    "priority": pid,
                    "school": school,
                    "date": when.isoformat(),
                    "reviewer": reviewer,
                    "reviewer_role": "Headteacher" if head else "",
                    "impact": rating.value if rating else None,
                    "what_changed": _IMPACT_TEXT[
                        (Impact.STRONG, Impact.SOME, Impact.LITTLE).index(rating)
                        if rating in (Impact.STRONG, Impact.SOME, Impact.LITTLE)
                        else 1
                    ]
                    if done
                    else "",
                },
            )
            counts["impact_review"] += 1
    return counts


def _priority_title(ebi: _Ebi) -> str:
    return {
        "leadership": "Leaders check the impact of their work on pupils",
        "quality": "Consistent feedback and checking for understanding",
        "disadvantaged": "Attendance and achievement of disadvantaged pupils",
        "inclusion": "Adaptations for pupils with SEND in every lesson",
        "curriculum": "Subject knowledge in the foundation subjects",
        "achievement": "Writing across the curriculum",
        "attendance": "Attendance and belonging",
        "personal_development": "Every pupil takes part in enrichment",
        "early_years": "Talk and questioning in the early years",
        "sixth_form": "Retention and progress in the sixth form",
        "safeguarding": "Safeguarding checks recorded and reviewed",
    }.get(ebi.area, f"Reading: {ebi.title[:60]}" if ebi.view else "Reading for pleasure")


def _respond(
    edits: list[Edit],
    review: str,
    ebi: _Ebi,
    school: str,
    plan: str,
    response: Response,
    day: dt.date,
    *,
    priority: str | None = None,
    reason: str | None = None,
) -> None:
    _make(
        edits,
        "ebi_response",
        {
            "review": review,
            "area": ebi.area,
            "ebi": ebi.view,
            "school": school,
            "plan": plan,
            "response": response.value,
            "priority": priority,
            "reason": reason,
            "responded_on": day.isoformat(),
        },
        response_id(review, ebi.area),
    )


def _terms(start: dt.date, end: dt.date) -> Iterator[Term]:
    term = Term.of(start)
    while term.first_day <= end:
        yield term
        term = term.next()


def _action(
    edits: list[Edit],
    rng: random.Random,
    plan: str,
    priority: str,
    school: str,
    ebi: _Ebi,
    title: str,
    position: int,
    workshop: dt.date,
    year: SchoolYear,
    people: list[tuple[str, str, str]],
) -> int:
    """One action with criteria and its updates; returns how many updates it got."""
    start = _weekday(workshop + dt.timedelta(days=rng.randrange(7, 90)))
    due = _weekday(start + dt.timedelta(days=rng.randrange(40, 250)))
    if year >= UPDATES_FROM and position == 1 and rng.random() < 0.4:
        # Some of this year's actions fall due in the coming fortnight or so.
        due = _weekday(TODAY + dt.timedelta(days=rng.randrange(1, 21)))
        start = min(start, due - dt.timedelta(days=30))
    owner = rng.choice(people) if people else None
    owner_name = owner[2] if owner else None
    supporters = [
        p[0]
        for p in rng.sample(people, k=min(len(people), rng.randrange(0, 3)))
        if not owner or p[0] != owner[0]
    ]
    # Where it stands today: most past actions are done, some overrun (overdue), some stopped;
    # the plans of years before the last two are closed.
    roll = rng.random()
    if year < UPDATES_FROM:
        status = ActionStatus.COMPLETE if roll < 0.85 else ActionStatus.STOPPED
    elif due < TODAY:
        status = (
            ActionStatus.COMPLETE
            if roll < 0.72
            else ActionStatus.IN_PROGRESS
            if roll < 0.9
            else ActionStatus.STOPPED
            if roll < 0.95
            else ActionStatus.NOT_STARTED
        )
    elif start <= TODAY:
        status = ActionStatus.IN_PROGRESS if roll < 0.85 else ActionStatus.NOT_STARTED
    else:
        status = ActionStatus.NOT_STARTED
    completed = None
    if status is ActionStatus.COMPLETE:
        completed = min(TODAY, _weekday(due - dt.timedelta(days=rng.randrange(0, 30))))
    aid = new_id()
    # Termly updates for the last two years' plans; the RAG drifts as real ones do.
    updates = 0
    rag: Rag | None = None
    if year >= UPDATES_FROM and start <= TODAY:
        end = min(TODAY, completed or TODAY)
        stalled = status is ActionStatus.NOT_STARTED
        rag = Rag.RED if stalled else rng.choice((Rag.GREEN, Rag.GREEN, Rag.AMBER))
        terms = list(_terms(start, end))
        for i, term in enumerate(terms):
            day = _weekday(min(end, term.last_day - dt.timedelta(days=rng.randrange(10, 30))))
            if day < start or day > TODAY:
                continue
            last = i == len(terms) - 1
            if stalled:
                rag = Rag.RED
            elif last and status is ActionStatus.COMPLETE:
                rag = Rag.GREEN
            elif last and status is ActionStatus.IN_PROGRESS and due < TODAY:
                rag = Rag.RED if rng.random() < 0.6 else Rag.AMBER
            else:
                step = rng.random()
                if step < 0.25 and rag is not Rag.RED:
                    rag = Rag.AMBER if rag is Rag.GREEN else Rag.RED
                elif step > 0.8 and rag is not Rag.GREEN:
                    rag = Rag.AMBER if rag is Rag.RED else Rag.GREEN
            shown = status if last or stalled else ActionStatus.IN_PROGRESS
            _make(
                edits,
                "progress_update",
                {
                    "action": aid,
                    "school": school,
                    "date": day.isoformat(),
                    "author_name": owner_name,
                    "author_role": owner[1] if owner else "Headteacher",
                    "rag": rag.value,
                    "status": shown.value,
                    "text": rng.choice(_UPDATES[rag]),
                    "next_steps": "Check again at the next staff meeting and report to governors."
                    if shown.open
                    else "",
                },
            )
            updates += 1
    elif status is ActionStatus.COMPLETE:
        rag = Rag.GREEN
    _make(
        edits,
        "action",
        {
            "priority": priority,
            "plan": plan,
            "school": school,
            "title": title,
            "owner": owner[0] if owner else None,
            "owner_role": owner[1] if owner else "Headteacher",
            "supporters": supporters,
            "start_date": start.isoformat(),
            "due_date": due.isoformat(),
            "resources": rng.choice(
                ("Two staff meetings", "Release time: half a day a term", "Training budget", "")
            ),
            "cost": rng.choice((None, None, 250, 600, 1200, 2500)),
            "milestones": [
                {
                    "milestone": "Launched with staff",
                    "date": start.isoformat(),
                    "done": start <= TODAY,
                },
                {
                    "milestone": "First check of impact",
                    "date": _weekday(start + (due - start) / 2).isoformat(),
                    "done": start + (due - start) / 2 <= TODAY
                    and status is not ActionStatus.NOT_STARTED,
                },
            ],
            "status": status.value,
            "completed_on": completed.isoformat() if completed else None,
            "rag": rag.value if rag else None,
            "ebi": ebi.view or None,
            "position": position,
        },
        aid,
    )
    criteria = list(_CRITERIA.get(ebi.area, _GENERIC_CRITERIA))[:2]
    for n, text in enumerate(criteria, start=1):
        if status is ActionStatus.COMPLETE:
            state = rng.choice(
                (CriterionStatus.MET, CriterionStatus.MET, CriterionStatus.PARTIALLY_MET)
            )
        elif status is ActionStatus.IN_PROGRESS:
            state = rng.choice(
                (
                    CriterionStatus.IN_PROGRESS,
                    CriterionStatus.PARTIALLY_MET,
                    CriterionStatus.NOT_MET,
                )
            )
        elif status is ActionStatus.STOPPED:
            state = CriterionStatus.NOT_MET
        else:
            state = CriterionStatus.NOT_STARTED
        _make(
            edits,
            "criterion",
            {"action": aid, "school": school, "text": text, "status": state.value, "position": n},
        )
    return updates


def _support(
    edits: list[Edit],
    rng: random.Random,
    schools: list[tuple[str, str]],
    by_school: dict[str, list[tuple[str, str, str]]],
) -> int:
    """Support brokered for about a third of the schools, most of it evaluated."""
    made = 0
    ids = [s for s, _ in schools]
    names = dict(schools)
    for index, school in enumerate(ids):
        if index % 3 != 1 or len(ids) < 2:
            continue
        for k in range(rng.randrange(1, 3)):
            kind, purpose = rng.choice(_SUPPORT)
            start = _weekday(TODAY - dt.timedelta(days=rng.randrange(-60, 500)))
            end = _weekday(start + dt.timedelta(days=rng.randrange(30, 180)))
            partner = None
            if kind is ProviderType.PARTNER_SCHOOL:
                partner = ids[(index + 1 + k) % len(ids)]
                provider = names[partner]
            elif kind is ProviderType.SPECIALIST:
                provider = rng.choice(_SPECIALISTS)
            else:
                provider = rng.choice(_EXTERNAL)
            finished = end < TODAY
            status = (
                SupportStatus.COMPLETE
                if finished
                else SupportStatus.UNDER_WAY
                if start <= TODAY
                else SupportStatus.AGREED
            )
            rating = (
                rng.choice((Impact.STRONG, Impact.SOME, Impact.SOME, Impact.LITTLE))
                if finished
                else None
            )
            _make(
                edits,
                "support",
                {
                    "school": school,
                    "provider_type": kind.value,
                    "provider_school": partner,
                    "provider": provider,
                    "purpose": purpose,
                    "start_date": start.isoformat(),
                    "end_date": end.isoformat(),
                    "cost": None if partner else rng.choice((400, 900, 1500, 3000)),
                    "status": status.value,
                    "impact_rating": rating.value if rating else None,
                    "impact": _IMPACT_TEXT[
                        (Impact.STRONG, Impact.SOME, Impact.LITTLE).index(rating)
                    ]
                    if rating
                    else None,
                    "feedback": rng.choice(_FEEDBACK) if finished else None,
                },
            )
            made += 1
    return made
