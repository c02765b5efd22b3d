"""Demo peer reviews: every framework, every state, realistic evidence (part of the demo partnership)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from peerreview.forms import FormLibrary
from peerreview.ids import new_id
from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.reviews import (
    ACTIVITIES,
    Framework,
    Sharing,
    Stage,
    Status,
    default_exclusions,
    frameworks,
    view_id,
)
from peerreview.store import Edit, Store

_SUBJECTS = (
    "English",
    "Maths",
    "Science",
    "History",
    "Geography",
    "Art",
    "Music",
    "PE",
    "RE",
    "Computing",
    "French",
    "Design and technology",
    "PSHE",
)
_OBSERVED = (
    "Pupils explained their reasoning to a partner before writing; most used the sentence stems on the board.",
    "Work in books shows a clear sequence of lessons building on fractions taught in the autumn term.",
    "Adults in the room checked understanding with mini whiteboards and adapted the task for three pupils.",
    "Pupils we spoke to could say what they were learning and why, and named the next step in their writing.",
    "Reading areas are well stocked; pupils in the younger years were less sure how to choose a book.",
    "Disadvantaged pupils in this class were given the same challenging text, with pre-taught vocabulary.",
    "Transitions between activities were calm and quick; routines are well established.",
    "Feedback in books is brief and acted on; some pupils had not responded to the last two comments.",
    "Pupils with SEND used the visual timetable independently and joined in the whole-class discussion.",
    "Leaders described how the curriculum was redesigned after last year's review; staff echoed this.",
    "Governors know the school's priorities and could give examples of the challenge they bring.",
    "Attendance of persistent absentees has improved since the family liaison role was created.",
)
_WWW = (
    "Leaders have a clear, shared view of the school's strengths and priorities.",
    "Pupils talk about their learning with confidence and use subject vocabulary well.",
    "Adaptations for pupils with additional needs are thoughtful and consistently applied.",
    "The curriculum is carefully sequenced so pupils build knowledge over time.",
)
_EBI = (
    "Middle leaders checked the impact of their subject plans on pupils' work, not only on planning.",
    "Pupils in Key Stage 1 had more opportunities to read aloud to an adult every day.",
    "Feedback routines were applied consistently so pupils act on it in every class.",
    "Disadvantaged pupils' attendance was tracked weekly and discussed with families earlier.",
)
_EXCELLENCE = (
    ("Early reading", "A systematic phonics programme taught with remarkable consistency."),
    ("Inclusion", "A nurture provision other schools in the partnership could learn from."),
    ("Oracy", "Structured talk across the curriculum, from Reception to Year 6."),
)
_SEQUENCE = (Status.AGREED, Status.HOST_COMMENTS, Status.DRAFT, Status.VISIT, Status.PLANNED)


def build_demo_reviews(
    store: Store,
    library: FormLibrary,
    *,
    per_school: int,
    notes_per_review: int,
    rng: random.Random,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Add ``per_school`` reviews to every school (one a year, the latest still in progress)."""
    fws = sorted(frameworks(library), key=lambda f: f.id)
    schools = [(r.id, r.title) for r in store.list("school")]
    people = [(r.id, r["name"], r["school"]) for r in store.list("person")]
    by_school: dict[str, list[tuple[str, str]]] = {}
    for pid, name, sid in people:
        by_school.setdefault(sid, []).append((pid, name))
    made = 0
    total = len(schools) * per_school
    today = dt.date(2026, 11, 25)
    edits: list[Edit] = []
    for s_index, (school_id, _title) in enumerate(schools):
        previous: str | None = None
        for k in range(per_school):
            years_ago = per_school - 1 - k
            start = today - dt.timedelta(days=365 * years_ago + rng.randrange(20, 300))
            if years_ago == 0:
                status = _SEQUENCE[(s_index + k) % len(_SEQUENCE)]
                if status in (Status.PLANNED, Status.VISIT):
                    start = today + dt.timedelta(
                        days=0 if status is Status.VISIT else rng.randrange(7, 60)
                    )
            else:
                status = Status.AGREED
            fw = fws[(s_index + k) % len(fws)]
            partners = [p for p in people if p[2] != school_id]
            rid = _review(
                store,
                edits,
                fw,
                school_id,
                start,
                status,
                previous,
                rng,
                partners,
                by_school.get(school_id, []),
                notes_per_review,
            )
            previous = rid
            made += 1
            if len(edits) > 20000:
                _flush(store, edits)
                check_cancelled(cancelled)
                if progress:
                    progress(made, total)
    _flush(store, edits)
    _seal_agreed(store, library)
    return made


def _seal_agreed(store: Store, library: FormLibrary) -> None:
    """Agreed demo reviews carry the hash of what was agreed, as a real agreement does."""
    from peerreview.review_report import content_hash

    rows = store.db.execute("SELECT id FROM review WHERE status = 'agreed' AND agreed_hash IS NULL")
    seal = [
        Edit(rid, "review", "agreed_hash", content_hash(store, library, rid))
        for (rid,) in rows.fetchall()
    ]
    with store.transaction():
        store.write(seal)


def _flush(store: Store, edits: list[Edit]) -> None:
    with store.transaction():
        store.write(edits)
    edits.clear()


def _create(edits: list[Edit], kind: str, values: dict[str, Any], rid: str | None = None) -> str:
    rid = rid or new_id()
    for name, value in values.items():
        if value not in (None, "", []):
            edits.append(Edit(rid, kind, name, value))
    return rid


def _review(
    store: Store,
    edits: list[Edit],
    fw: Framework,
    school: str,
    start: dt.date,
    status: Status,
    previous: str | None,
    rng: random.Random,
    partners: list[tuple[str, str, str]],
    hosts: list[tuple[str, str]],
    notes: int,
) -> str:
    days = 2 if rng.random() < 0.5 else 1
    rid = new_id()
    enquiry = not fw.judged
    _create(
        edits,
        "review",
        {
            "school": school,
            "title": f"Peer review {start.year}" + (" (enquiry)" if enquiry else ""),
            "framework_id": fw.id,
            "framework_version": fw.version,
            "form_id": fw.id,
            "form_version": fw.version,
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=days - 1)).isoformat(),
            "focus": rng.choice(
                (
                    "Reading across the curriculum",
                    "Provision for disadvantaged pupils",
                    "Curriculum sequencing in foundation subjects",
                    "Attendance and belonging",
                )
            ),
            "enquiry_question": "To what extent do pupils read widely and often, across the curriculum?"
            if enquiry
            else "",
            "context": "The school joined the partnership in 2021. Since its last review it has appointed "
            "a new deputy headteacher and rewritten its curriculum for the foundation subjects.",
            "status": status.value,
            "sharing": rng.choice(list(Sharing)).value,
            "previous_review": previous,
        },
        rid,
    )
    team = rng.sample(partners, k=min(3, len(partners)))
    roles = ("Lead reviewer", "Reviewer", "Reviewer")
    for (pid, name, sid), role in zip(team, roles, strict=False):
        _create(
            edits,
            "review_member",
            {"review": rid, "person": pid, "name": name, "school": sid, "role": role},
        )
    if hosts:
        pid, name = hosts[0]
        _create(
            edits,
            "review_member",
            {
                "review": rid,
                "person": pid,
                "name": name,
                "school": school,
                "role": "Host link leader",
            },
        )
    for d in range(days):
        day = start + dt.timedelta(days=d)
        for slot, act in zip(
            ("08:45", "09:30", "10:40", "11:30", "13:30", "14:30"),
            rng.sample(ACTIVITIES, 6),
            strict=True,
        ):
            _create(
                edits,
                "review_activity",
                {"review": rid, "day": day.isoformat(), "start": slot, "activity": act},
            )
    if enquiry:
        area_ids = []
        for n, text in enumerate(
            (
                "How often do pupils read in lessons other than English?",
                "How well do adults model reading aloud?",
                "What do pupils say about reading for pleasure?",
            ),
            start=1,
        ):
            area_ids.append(
                _create(edits, "enquiry_line", {"review": rid, "text": text, "position": n})
            )
    else:
        excluded = default_exclusions(store, fw, school)
        if excluded:
            edits.append(Edit(rid, "review", "areas_excluded", excluded))
        area_ids = [a.id for a in fw.areas if a.id not in excluded]
    if status is Status.PLANNED:
        return rid
    for n in range(notes if status is not Status.VISIT else notes // 3):
        when = dt.datetime.combine(start, dt.time(8, 45)) + dt.timedelta(minutes=12 * n)
        _create(
            edits,
            "evidence",
            {
                "review": rid,
                "activity": rng.choice(ACTIVITIES),
                "time": when.isoformat(timespec="minutes"),
                "year_group": f"Year {rng.randrange(1, 7)}",
                "subject": rng.choice(_SUBJECTS),
                "present": "Host leader and reviewer",
                "note": " ".join(rng.sample(_OBSERVED, 3)),
                "areas": rng.sample(area_ids, k=min(len(area_ids), rng.randrange(1, 3))),
            },
        )
    for area in area_ids:
        scale = next((a.scale for a in fw.areas if a.id == area), None)
        levels = [lv.value for lv in scale.levels] if scale else []
        pick = (
            (lambda levels=levels: rng.choice(levels[:3] if len(levels) > 2 else levels))
            if levels
            else (lambda: "")
        )
        _create(
            edits,
            "area_view",
            {
                "review": rid,
                "area": area,
                "stage": Stage.SELF.value,
                "judgement": pick(),
                "evidence_summary": rng.choice(_OBSERVED),
            },
            view_id(rid, area, Stage.SELF),
        )
        for pid, name, _sid in team[:2]:
            _create(
                edits,
                "area_view",
                {
                    "review": rid,
                    "area": area,
                    "stage": Stage.PROVISIONAL.value,
                    "reviewer": pid,
                    "reviewer_name": name,
                    "judgement": pick(),
                    "rationale": rng.choice(_WWW),
                },
                view_id(rid, area, Stage.PROVISIONAL, pid),
            )
        if status in (Status.DRAFT, Status.HOST_COMMENTS, Status.AGREED):
            _create(
                edits,
                "area_view",
                {
                    "review": rid,
                    "area": area,
                    "stage": Stage.AGREED.value,
                    "judgement": pick(),
                    "rationale": rng.choice(_WWW),
                    "evidence_summary": rng.choice(_OBSERVED),
                    "www": rng.choice(_WWW),
                    "ebi": rng.choice(_EBI),
                },
                view_id(rid, area, Stage.AGREED),
            )
    if status in (Status.HOST_COMMENTS, Status.AGREED):
        title, text = rng.choice(_EXCELLENCE)
        _create(edits, "excellence", {"review": rid, "title": title, "description": text})
        edits.append(
            Edit(
                rid,
                "review",
                "host_comments",
                "We recognise the findings and will use the EBIs in our improvement plan.",
            )
        )
    if status is Status.AGREED and hosts:
        edits.append(Edit(rid, "review", "agreed_by", hosts[0][1]))
        edits.append(Edit(rid, "review", "agreed_on", (start + dt.timedelta(days=14)).isoformat()))
    return rid
