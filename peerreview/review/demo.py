"""Demo peer reviews for the demo partnership: every framework and state, realistic evidence."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from peerreview.forms import FormLibrary
from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.review.reviews import (
    ACTIVITIES,
    Framework,
    Sharing,
    Stage,
    Status,
    default_exclusions,
    frameworks,
    view_id,
)
from peerreview.sync.ids import new_id
from peerreview.sync.registry import DemoContext
from peerreview.sync.store import Edit, Store

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
    "Pupils explained their reasoning to a partner before writing; most used the sentence stems on "
    "the board.",
    "Work in books shows a clear sequence of lessons building on fractions taught in the autumn "
    "term.",
    "Adults in the room checked understanding with mini whiteboards and adapted the task for three "
    "pupils.",
    "Pupils we spoke to could say what they were learning and why, and named the next step in "
    "their writing.",
    "Reading areas are well stocked; pupils in the younger years were less sure how to choose a "
    "book.",
    "Disadvantaged pupils in this class were given the same challenging text, with pre-taught "
    "vocabulary.",
    "Transitions between activities were calm and quick; routines are well established.",
    "Feedback in books is brief and acted on; some pupils had not responded to the last two "
    "comments.",
    "Pupils with SEND used the visual timetable independently and joined in the whole-class "
    "discussion.",
)
# What meetings and data reviews (no class, no subject) turn up.
_HEARD = (
    "Leaders described how the curriculum was redesigned after last year's review; staff echoed "
    "this.",
    "Governors know the school's priorities and could give examples of the challenge they bring.",
    "Attendance of persistent absentees has improved since the family liaison role was created.",
    "The headteacher described the priorities in the improvement plan and how each is checked.",
    "The SENCo explained how support plans are reviewed with families each term.",
    "Assessment information shows most pupils keep up; leaders named the groups they are watching.",
    "Early career teachers said they are well supported and observe colleagues every half term.",
)
#: Activities that happen in classrooms, with a year group and a subject.
_IN_CLASS = ("Learning walk", "Lesson visit", "Work scrutiny", "Pupil voice")
_SLOTS = ("08:45", "09:30", "10:40", "11:30", "13:30", "14:30")


def _term_day(day: dt.date, days: int) -> dt.date:
    """A visit date moved out of the school holidays (roughly) and onto weekdays."""
    if day.month == 8:
        day = dt.date(day.year, 9, 8)
    elif day.month == 7 and day.day > 18:
        day = dt.date(day.year, 7, 7)
    elif day.month == 12 and day.day > 16:
        day = dt.date(day.year, 12, 8)
    elif day.month == 1 and day.day < 7:
        day = dt.date(day.year, 1, 12)
    elif day.month == 4 and day.day < 15:
        day = dt.date(day.year, 4, 21)
    day = _weekday(day)
    if days == 2 and day.weekday() == 4:  # a two-day visit is not Friday and Monday
        day -= dt.timedelta(days=1)
    return day


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


# What went well, even better if, the evidence and why, per area: plausible for that area.
_AREA_TEXT: dict[str, dict[str, tuple[str, ...]]] = {
    "leadership": {
        "evidence": (
            "Leaders' evaluation of the school matched what the team saw in lessons and books.",
            "Governors could describe the school's priorities and the challenge they bring to "
            "leaders.",
        ),
        "why": (
            "Leaders know the school well and their plans are making a difference in classrooms.",
            "Priorities are the right ones; some are too recent to show their full impact yet.",
        ),
        "www": (
            "Leaders have a clear, shared view of the school's strengths and priorities.",
            "Middle leaders are given time to lead their subjects and use it well.",
        ),
        "ebi": (
            "Middle leaders checked the impact of their subject plans on pupils' work, not only on "
            "planning.",
            "Governors received fewer, sharper reports focused on the school's three priorities.",
        ),
    },
    "quality": {
        "evidence": (
            "Work in books shows a clear sequence of lessons building on what was taught earlier.",
            "In most lessons adults checked understanding and adapted the task for pupils who "
            "needed it.",
        ),
        "why": (
            "Teaching is consistently strong in English and mathematics and improving in the "
            "foundation subjects.",
            "The curriculum is well planned; how well it is taught still varies between classes.",
        ),
        "www": (
            "The curriculum is carefully sequenced so pupils build knowledge over time.",
            "Pupils talk about their learning with confidence and use subject vocabulary well.",
        ),
        "ebi": (
            "Feedback routines were applied consistently so pupils act on them in every class.",
            "Pupils in Key Stage 1 had more opportunities to read aloud to an adult every day.",
        ),
    },
    "disadvantaged": {
        "evidence": (
            "Disadvantaged pupils were given the same challenging texts, with pre-taught "
            "vocabulary.",
            "Pupils with SEND used visual timetables independently and joined whole-class "
            "discussion.",
        ),
        "why": (
            "Adaptations for pupils with additional needs are thoughtful and consistently applied.",
            "The gap in reading is closing; attendance of disadvantaged pupils is still too low.",
        ),
        "www": (
            "Adaptations for pupils with additional needs are thoughtful and consistently applied.",
            "Pupil premium spending is linked to clear outcomes that leaders check each term.",
        ),
        "ebi": (
            "Disadvantaged pupils' attendance was tracked weekly and discussed with families "
            "earlier.",
            "Teaching assistants were deployed to pre-teach before lessons, not only to support in "
            "them.",
        ),
    },
    "inclusion": {
        "evidence": (
            "Pupils with SEND used the visual timetable independently and joined the class "
            "discussion.",
            "Leaders know each vulnerable pupil and the support they receive, and check its "
            "impact.",
        ),
        "why": (
            "Pupils who need extra help are identified early and their support is well matched.",
            "Support plans are good; staff do not yet use them consistently in every lesson.",
        ),
        "www": (
            "Pupils with additional needs are identified early and supported well in class.",
            "The school works closely with families and outside agencies for its most vulnerable "
            "pupils.",
        ),
        "ebi": (
            "Targets in support plans were shared with every adult who teaches the pupil.",
            "Leaders checked how well adaptations in lessons help pupils with SEND to learn more.",
        ),
    },
    "curriculum": {
        "evidence": (
            "Work in books shows a clear sequence of lessons building on fractions taught in the "
            "autumn.",
            "Teachers used retrieval questions at the start of lessons and pupils remembered prior "
            "work.",
        ),
        "why": (
            "The curriculum is ambitious and well sequenced, and it is taught well in most "
            "subjects.",
            "Planning is strong; in some foundation subjects teachers' subject knowledge is less "
            "secure.",
        ),
        "www": (
            "The curriculum is carefully sequenced so pupils build knowledge over time.",
            "Teachers explain new ideas clearly and check that pupils have understood them.",
        ),
        "ebi": (
            "Subject leaders in the foundation subjects had time to support colleagues' subject "
            "knowledge.",
            "Feedback routines were applied consistently so pupils act on them in every class.",
        ),
    },
    "achievement": {
        "evidence": (
            "Pupils could say what they were learning and why, and named the next step in their "
            "writing.",
            "Assessment information shows most pupils, including the disadvantaged, keep up.",
        ),
        "why": (
            "Pupils achieve well in reading and mathematics; writing is improving but less secure.",
            "Outcomes are in line with national figures and pupils' work shows good progress.",
        ),
        "www": (
            "Pupils read fluently and with understanding by the end of Key Stage 1.",
            "Pupils' work in mathematics shows secure understanding and accurate calculation.",
        ),
        "ebi": (
            "Pupils wrote at length more often in subjects other than English.",
            "Leaders analysed the progress of pupils who joined the school mid-year separately.",
        ),
    },
    "attendance": {
        "evidence": (
            "Transitions between activities were calm and quick; routines are well established.",
            "Attendance of persistent absentees has improved since the family liaison role was "
            "created.",
        ),
        "why": (
            "Behaviour is calm and purposeful; attendance is improving but remains below national.",
            "Pupils behave well in lessons and around school, and say that adults deal with "
            "problems.",
        ),
        "www": (
            "Routines are well established, so lessons start promptly and little time is lost.",
            "Pupils say they feel safe and that adults sort out any unkindness quickly.",
        ),
        "ebi": (
            "Disadvantaged pupils' attendance was tracked weekly and discussed with families "
            "earlier.",
            "Lunchtimes were as well supervised and structured as lessons.",
        ),
    },
    "personal_development": {
        "evidence": (
            "Pupils talked confidently about their school council and the charities they support.",
            "The personal development curriculum covers healthy relationships at each age.",
        ),
        "why": (
            "Pupils have a wide range of opportunities and most take part in clubs and trips.",
            "The programme is well planned; take-up of clubs by disadvantaged pupils is lower.",
        ),
        "www": (
            "Pupils are thoughtful, respectful citizens who know how to keep themselves safe "
            "online.",
            "Pupils take on real responsibilities, from play leaders to the school council.",
        ),
        "ebi": (
            "Leaders tracked which pupils take part in clubs and removed the barriers for those "
            "who do not.",
            "Pupils learned more about careers and the world of work from the earliest years.",
        ),
    },
    "early_years": {
        "evidence": (
            "Children in Reception sustained play and talk with adults who extended their "
            "vocabulary.",
            "Phonics is taught daily from the start of Reception and children apply it in their "
            "play.",
        ),
        "why": (
            "Children get off to a strong start, especially in communication and early reading.",
            "The learning environment is rich; adults' questioning outdoors is less effective.",
        ),
        "www": (
            "Adults model language well and children learn new words every day.",
            "Early reading is taught systematically from the first weeks in Reception.",
        ),
        "ebi": (
            "Adults outdoors extended children's thinking as skilfully as adults indoors.",
            "Assessment of children's starting points was shared with Year 1 teachers earlier.",
        ),
    },
    "sixth_form": {
        "evidence": (
            "Students described the independent study expected of them and how staff check it.",
            "Careers guidance is personalised and students' destinations are tracked.",
        ),
        "why": (
            "Students achieve well and leave with clear next steps into education or employment.",
            "Teaching is strong in most subjects; retention on some courses is lower.",
        ),
        "www": (
            "Students are ambitious and well guided towards their next steps.",
            "Teachers' subject expertise is high and students value the feedback they receive.",
        ),
        "ebi": (
            "Students who are not on track were identified and supported earlier in Year 12.",
            "The enrichment programme was planned and tracked as carefully as the courses.",
        ),
    },
    "safeguarding": {
        "evidence": (
            "The single central record is complete and staff knew how to report a concern.",
            "Records of concerns are detailed and show timely referrals to outside agencies.",
        ),
        "why": (
            "Arrangements for safeguarding are effective and the culture of vigilance is strong.",
            "Staff are well trained and leaders act quickly on concerns.",
        ),
        "www": (
            "Staff know pupils well and report even small concerns promptly.",
            "Leaders work effectively with families and outside agencies to keep pupils safe.",
        ),
        "ebi": (
            "Governors' checks of the single central record were recorded termly.",
            "Training records for lunchtime staff were kept with the rest of the school's.",
        ),
    },
    "enquiry": {
        "evidence": (
            "Pupils read aloud in science and history lessons, with adults modelling expression.",
            "Reading areas are well stocked; younger pupils were less sure how to choose a book.",
        ),
        "why": (
            "Reading is given high status across the school and pupils read often in most "
            "subjects.",
        ),
        "www": (
            "Adults model reading aloud with expression, and pupils copy it.",
            "Pupils read often in subjects other than English, from well-chosen texts.",
        ),
        "ebi": (
            "Younger pupils were taught how to choose a book they will enjoy and can read.",
            "Non-fiction texts were used in every subject, not only in English and science.",
        ),
    },
}
# Areas of excellence a host school might really offer to share, by phase.
_EXCELLENCE = {
    "primary": (
        (
            "Early reading: phonics in Reception and Year 1",
            "Daily phonics taught with remarkable consistency by every adult; pupils who fall "
            "behind have extra practice the same day and catch up within the half term.",
        ),
        (
            "Oracy: structured talk from Reception to Year 6",
            "Talk routines and sentence stems used in every subject, so pupils explain their "
            "thinking in full sentences and build on each other's ideas.",
        ),
        (
            "The nurture room: a part-time timetable back to class",
            "Pupils with social, emotional and mental health needs spend mornings in the nurture "
            "room and return to full-time class learning, with every step planned with families.",
        ),
    ),
    "secondary": (
        (
            "Tutor-time reading in Key Stage 3",
            "A daily tutor-time reading programme with shared class novels, which has lifted the "
            "weakest readers' reading ages by more than a year.",
        ),
        (
            "Retrieval practice in science, Years 7 to 11",
            "Low-stakes quizzes at the start of every lesson, planned across the department, so "
            "pupils remember what they were taught months before.",
        ),
        (
            "Transition from Year 6: the summer bridging unit",
            "A unit of work started in Year 6 and finished in Year 7, planned with the partner "
            "primary schools, so pupils start secondary school already knowing their teachers.",
        ),
    ),
}
_SCHEDULE = {
    "Learning walk": "Classes across the school, with the deputy headteacher",
    "Lesson visit": "Short visits to English and mathematics lessons, with subject leaders",
    "Work scrutiny": "Books from three year groups, with the English and mathematics leaders",
    "Pupil voice": "A group of eight pupils from different year groups",
    "Staff meeting": "Early career teachers and teaching assistants",
    "Leader meeting": "The headteacher and senior leaders",
    "Governor meeting": "The chair of governors and the safeguarding governor",
    "Data review": "Attendance and assessment information, with the headteacher",
}
_SEQUENCE = (Status.AGREED, Status.HOST_COMMENTS, Status.DRAFT, Status.VISIT, Status.PLANNED)


@dataclass(frozen=True)
class DemoSize:
    name: str
    reviews_per_school: int
    notes_per_review: int
    photos: int  # photos of books and observation sheets attached to evidence notes


SIZES = {
    "small": DemoSize("small", 2, 12, 8),
    "regional": DemoSize("regional", 5, 40, 3000),
}


def build(store: Store, ctx: DemoContext) -> dict[str, int]:
    """Peer review's part of the demo: reviews of every school at every stage, with photos."""
    from peerreview.forms import forms_dir, load_forms
    from peerreview.review.demo_photos import add_demo_photos

    spec = SIZES[ctx.size]
    reviews = build_demo_reviews(
        store,
        load_forms(forms_dir()),
        per_school=spec.reviews_per_school,
        notes_per_review=spec.notes_per_review,
        rng=ctx.rng,
        cancelled=ctx.cancelled,
    )
    photos = add_demo_photos(store, spec.photos, ctx.rng, ctx.cancelled)
    return {"review": reviews, "attachment": photos}


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
    from peerreview.review.report import content_hash

    agreed = store.list("review", where={"status": "agreed", "agreed_hash": None}, order_by="id")
    seal = [Edit(r.id, "review", "agreed_hash", content_hash(store, library, r.id)) for r in agreed]
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
    if status is not Status.VISIT:  # a visit under way is today's, whatever day that is
        start = _term_day(start, days)
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
            "enquiry_question": (
                "To what extent do pupils read widely and often, across the curriculum?"
                if enquiry
                else ""
            ),
            "context": "The school joined the partnership in 2021. Since its last review it has "
            "appointed a new deputy headteacher and rewritten its curriculum for the foundation "
            "subjects.",
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
    timetable: list[list[str]] = []
    for d in range(days):
        day = start + dt.timedelta(days=d)
        timetable.append(rng.sample(ACTIVITIES, len(_SLOTS)))
        for slot, act in zip(_SLOTS, timetable[-1], strict=True):
            _create(
                edits,
                "review_activity",
                {
                    "review": rid,
                    "day": day.isoformat(),
                    "start": slot,
                    "activity": act,
                    "description": _SCHEDULE[act],
                },
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
    host = store.get(school)
    secondary = (host.get("low_age") or 4) >= 11
    years = [f"Year {y}" for y in range(7, 14 if (host.get("high_age") or 16) > 16 else 12)]
    if not secondary:
        years = ["Reception"] + [f"Year {y}" for y in range(1, 7)]
    count = notes if status is not Status.VISIT else notes // 3
    per_day = -(-count // days) if status is not Status.VISIT else count
    for n in range(count):
        day_index, in_day = divmod(n, per_day)
        when = dt.datetime.combine(start + dt.timedelta(days=day_index), dt.time(8, 45))
        when += dt.timedelta(minutes=in_day * max(5, min(60, 360 // per_day)))  # over the day
        # The note is of what the schedule says was happening then.
        now = f"{when:%H:%M}"
        activity = timetable[day_index][max(i for i, t in enumerate(_SLOTS) if t <= now)]
        in_class = activity in _IN_CLASS
        _create(
            edits,
            "evidence",
            {
                "review": rid,
                "activity": activity,
                "time": when.isoformat(timespec="minutes"),
                "year_group": rng.choice(years) if in_class else "",
                "subject": rng.choice(_SUBJECTS) if in_class else "",
                "present": "Host leader and reviewer",
                "note": " ".join(rng.sample(_OBSERVED, 3) if in_class else rng.sample(_HEARD, 2)),
                "areas": rng.sample(area_ids, k=min(len(area_ids), rng.randrange(1, 3))),
            },
        )
    for area in area_ids:
        _views(edits, rid, fw, area, status, team[:2], rng)
    if status in (Status.HOST_COMMENTS, Status.AGREED):
        title, text = rng.choice(_EXCELLENCE["secondary" if secondary else "primary"])
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
        agreed_on = _weekday(start + dt.timedelta(days=14))
        edits.append(Edit(rid, "review", "agreed_on", agreed_on.isoformat()))
    return rid


def _views(
    edits: list[Edit],
    rid: str,
    fw: Framework,
    area: str,
    status: Status,
    reviewers: list[tuple[str, str, str]],
    rng: random.Random,
) -> None:
    """The school's view, each reviewer's and the agreed outcome of one area, consistent.

    The agreed level is chosen first; the school's self-evaluation is the same or one step more
    generous (now and then one step less), as schools' own views usually are; each reviewer's
    provisional view is the agreed level or one step either side. Safeguarding is met unless
    the team found otherwise, and the school says met unless it knew it was not.
    """
    scale = next((a.scale for a in fw.areas if a.id == area), None)
    levels = [lv.value for lv in scale.levels] if scale else []
    text = _AREA_TEXT.get(area, _AREA_TEXT["enquiry"])
    if area == "safeguarding":
        agreed = 0 if rng.random() < 0.95 else 1
        own = 0 if agreed == 0 or rng.random() < 0.5 else 1
        views = [agreed for _ in reviewers]
    elif levels:
        agreed = rng.choice((0, 1, 1, 2, 2, 2) if len(levels) > 4 else (0, 1, 1, 2))
        own = min(max(agreed + rng.choice((0, 0, 0, -1, -1, 1)), 0), len(levels) - 1)
        views = [
            min(max(agreed + rng.choice((0, 0, 1, -1)), 0), len(levels) - 1) for _ in reviewers
        ]
    else:
        agreed = own = 0
        views = [0 for _ in reviewers]

    def level(index: int) -> str:
        return levels[index] if levels else ""

    # The school's summary and the team's are different sentences, not the same one twice.
    pick = rng.randrange(len(text["evidence"]))

    _create(
        edits,
        "area_view",
        {
            "review": rid,
            "area": area,
            "stage": Stage.SELF.value,
            "judgement": level(own),
            "evidence_summary": text["evidence"][pick],
        },
        view_id(rid, area, Stage.SELF),
    )
    for (pid, name, _sid), index in zip(reviewers, views, strict=True):
        _create(
            edits,
            "area_view",
            {
                "review": rid,
                "area": area,
                "stage": Stage.PROVISIONAL.value,
                "reviewer": pid,
                "reviewer_name": name,
                "judgement": level(index),
                "rationale": rng.choice(text["why"]),
            },
            view_id(rid, area, Stage.PROVISIONAL, pid),
        )
    if status in (Status.DRAFT, Status.HOST_COMMENTS, Status.AGREED):
        not_met = area == "safeguarding" and agreed == 1
        _create(
            edits,
            "area_view",
            {
                "review": rid,
                "area": area,
                "stage": Stage.AGREED.value,
                "judgement": level(agreed),
                "rationale": (
                    "The single central record was incomplete on the first day; leaders put it "
                    "right during the visit, but the checks had not been made before."
                )
                if not_met
                else rng.choice(text["why"]),
                "evidence_summary": text["evidence"][(pick + 1) % len(text["evidence"])],
                "www": rng.choice(text["www"]),
                "ebi": (
                    "Leaders and governors checked the single central record together every half "
                    "term, with a record of each check."
                )
                if not_met
                else rng.choice(text["ebi"]),
            },
            view_id(rid, area, Stage.AGREED),
        )
