"""Demo lesson-study cycles at every stage, observed on three laptops and merged through bundles.

The demo laptop plans the cycles (team, case pupils, research lessons pre-filled from the one
before, predictions, interviews, discussions, outcomes). The observers' notes are written on three
other laptops (each a database of its own, as a teacher's laptop at the back of a classroom is),
which export real bundles; the demo laptop imports them, so the merged grid it shows is the
result of a real merge. ``small`` makes a few cycles with full text; ``regional`` adds the 1,500
cycles of DESIGN.md section 9 (three research lessons, three case pupils, three observers).
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peerreview.errors import PeerReviewError
from peerreview.forms import FormDefinition, FormLibrary, forms_dir, load_forms
from peerreview.lessonstudy import grid
from peerreview.lessonstudy.cycles import (
    DEFAULT_QUESTIONS,
    LessonRole,
    NoteType,
    Sharing,
    Status,
    stored,
)
from peerreview.lessonstudy.demo_text import (
    ALSO_SEEN,
    GROUPS,
    KNOWLEDGEABLE_OTHERS,
    THEMES,
    Theme,
)
from peerreview.lessonstudy.kinds import lesson_id, part_id, pupil_id
from peerreview.progress import check_cancelled
from peerreview.sync.grids import cell_field
from peerreview.sync.ids import derived_id, new_id
from peerreview.sync.registry import DemoContext
from peerreview.sync.store import Edit, Store

TODAY = dt.date(2026, 11, 25)
DUDLEY, PLAN = "lesson-study-dudley", "lesson-study-research-plan"
#: Real names the demo laptop keeps for one cycle's case pupils (device-local, never shared).
DEMO_REAL_NAMES = ("Amelia Hart", "Jayden Okafor", "Kacper Nowak")
_BATCH = 20_000


@dataclass(frozen=True)
class DemoSize:
    cycles: int
    notes_per_observer: int  # per observed research lesson


# No photos: the demo's attachments are peer review's (its tests count them).
SIZES = {"small": DemoSize(8, 8), "regional": DemoSize(1500, 4)}
#: How many research lessons each small cycle has been observed: every stage of a cycle.
_SMALL_PROGRESS = (3, 1, 0, 2, 3, 1, 0, 3)


@dataclass
class _Cycle:
    id: str
    theme: Theme
    form: str
    observed: int  # research lessons taught and observed (0 to 3)
    members: list[tuple[str, str]]  # (member id, name): teacher 1, teacher 2, teacher 3, KO
    pupils: list[str]
    lessons: list[tuple[str, str, list[str]]]  # (lesson id, date, stage ids)


class _Writer:
    """Edits for one laptop, written in large batches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.edits: list[Edit] = []

    def create(self, kind: str, values: dict[str, Any], rid: str | None = None) -> str:
        rid = rid or new_id()
        for name, value in values.items():
            if value not in (None, "", []):
                self.edits.append(Edit(rid, kind, name, value))
        return rid

    def set(self, rid: str, kind: str, name: str, value: Any) -> None:
        if value not in (None, ""):
            self.edits.append(Edit(rid, kind, name, value))

    def flush(self, force: bool = False) -> None:
        if self.edits and (force or len(self.edits) >= _BATCH):
            with self.store.transaction():
                self.store.write(self.edits)
            self.edits = []


def build(store: Store, ctx: DemoContext) -> dict[str, int]:
    """Lesson study's part of the demo: cycles at every stage, observed on three laptops."""
    spec = SIZES[ctx.size]
    library = load_forms(forms_dir())
    rng = ctx.rng
    # Schools with a Year 4 to Year 9 class (not infant or nursery schools), and their phase.
    schools = [
        (r.id, (r.get("low_age") or 4) >= 11)
        for r in store.list("school", order_by="id")
        if (r.get("high_age") or 11) >= 10
    ]
    if not schools:
        return {}
    people: dict[str, list[tuple[str, str]]] = {}
    for p in store.list("person", order_by="id"):
        if p.get("school"):
            people.setdefault(p["school"], []).append((p.id, p.get("name", "")))
    main = _Writer(store)
    made: list[_Cycle] = []
    for n in range(spec.cycles):
        if n % 50 == 0:
            check_cancelled(ctx.cancelled)
            if ctx.progress:
                ctx.progress(n, spec.cycles * 2)
        observed = (
            _SMALL_PROGRESS[n % len(_SMALL_PROGRESS)]
            if ctx.size == "small"
            else rng.choice((3, 3, 3, 3, 3, 3, 2, 1, 0))
        )
        school, secondary = (
            schools[(n * 7) % len(schools)] if ctx.size == "small" else rng.choice(schools)
        )
        themes = [t for t in THEMES if t.secondary == secondary]
        theme = themes[n % len(themes)] if ctx.size == "small" else rng.choice(themes)
        form = PLAN if n % 4 == 3 else DUDLEY
        partners = [s for s, sec in schools if sec == secondary and s != school]
        made.append(
            _cycle(main, library, rng, n, school, partners, people, theme, form, observed, spec)
        )
        main.flush()
    main.flush(force=True)
    if made and ctx.size == "small":
        for pid, name in zip(made[0].pupils, DEMO_REAL_NAMES, strict=False):
            store.set_local_field(pid, "real_name", name)
    notes = _observe_on_three_laptops(store, made, rng, spec, ctx)
    return {"cycle": len(made), "observation": notes}


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _cycle(
    w: _Writer,
    library: FormLibrary,
    rng: random.Random,
    n: int,
    school: str,
    partners: Sequence[str],
    people: dict[str, list[tuple[str, str]]],
    theme: Theme,
    form_id: str,
    observed: int,
    spec: DemoSize,
) -> _Cycle:
    form = library.get(form_id)
    years_ago = 0 if observed < 3 or n < 8 else rng.randrange(0, 5)
    start = _weekday(TODAY - dt.timedelta(days=365 * years_ago + 10 + 21 * observed))
    cid = new_id()
    status = {0: Status.PLANNING, 1: Status.RL2, 2: Status.RL3}.get(observed, Status.COMPLETE)
    values: dict[str, Any] = {
        "school": school,
        "title": f"{theme.title}, {theme.year_group}",
        "focus": theme.focus,
        "concern": theme.concern,
        "research_question": theme.research_question,
        "subject": theme.subject,
        "year_group": theme.year_group,
        "class_size": rng.randrange(24, 31),
        "grouping": rng.choice(
            ("Mixed attainment, pupils in pairs", "Set 2 of 4", "Mixed attainment, tables of four")
        ),
        "start_date": start.isoformat(),
        "status": status.value,
        "sharing": rng.choice(list(Sharing)).value,
        "form_id": form.id,
        "form_version": form.version,
    }
    if form_id == PLAN:
        extra = {
            "research_theme": "Pupils who explain their thinking and listen to each other's.",
            "unit": f"{theme.subject}, {theme.year_group}: {theme.title.lower()}.",
            "why_now": theme.concern,
            "unit_plan": "Six lessons; the research lesson is the fourth.",
        }
        for key, text in extra.items():
            values[stored(w.store, "cycle", form, key)] = text
    w.create("cycle", values, cid)
    chosen = [school]
    if partners and rng.random() < 0.6:
        chosen += rng.sample(list(partners), k=min(len(partners), rng.choice((1, 2))))
    for s in chosen:
        w.create("cycle_part", {"cycle": cid, "school": s}, part_id(cid, s))
    # The team: two teachers of the lead school (or one), one from a partner, a knowledgeable
    # other from outside.
    home: list[tuple[str | None, str, str]] = [
        (p, name, school) for p, name in people.get(school, [])[:3]
    ]
    away = [(p, name, s) for s in chosen[1:] for p, name in people.get(s, [])[:1]]
    teachers = (home[:2] + away + home[2:])[:3] or [
        (None, f"Teacher {k}", school) for k in (1, 2, 3)
    ]
    members: list[tuple[str, str]] = []
    for position, (person, name, s) in enumerate(teachers, start=1):
        mid = w.create(
            "cycle_member",
            {
                "cycle": cid,
                "person": person,
                "name": name,
                "school": s,
                "role": "Teacher",
                "position": position,
            },
        )
        members.append((mid, name))
    ko = rng.choice(KNOWLEDGEABLE_OTHERS[theme.subject])
    members.append(
        (
            w.create(
                "cycle_member",
                {
                    "cycle": cid,
                    "name": ko,
                    "role": "Knowledgeable other",
                    "position": len(members) + 1,
                },
            ),
            ko,
        )
    )
    pupils = []
    for index, (letter, (group, typical)) in enumerate(zip("ABC", GROUPS, strict=True)):
        pid = pupil_id(cid, letter)
        w.create(
            "case_pupil",
            {
                "cycle": cid,
                "letter": letter,
                "group": group,
                "represents": typical,
                "what_changed": theme.what_changed[index] if observed == 3 else "",
                "form_id": form.id,
                "form_version": form.version,
            },
            pid,
        )
        pupils.append(pid)
    cycle = _Cycle(cid, theme, form_id, observed, members, pupils, [])
    for number in range(1, min(observed + 1, 3) + 1):
        _lesson(w, form, rng, cycle, number, start, spec)
    if observed == 3:
        end = _weekday(start + dt.timedelta(days=21 * 3 + 7))
        w.set(cid, "cycle", "end_date", end.isoformat())
        for key, text in zip(
            ("learned_pupils", "learned_subject", "learned_teaching", "learned_together"),
            theme.learned,
            strict=True,
        ):
            w.set(cid, "cycle", key, text)
        w.set(cid, "cycle", "others_try", theme.others_try)
        shared = ["Partnership meeting", "Written summary for the partnership"]
        if rng.random() < 0.4:
            shared.insert(0, "Public research lesson")
        w.set(cid, "cycle", "shared_how", shared)
    return cycle


def _lesson(
    w: _Writer,
    form: FormDefinition,
    rng: random.Random,
    c: _Cycle,
    number: int,
    start: dt.date,
    spec: DemoSize,
) -> None:
    theme = c.theme
    lid = lesson_id(c.id, number)
    date = _weekday(start + dt.timedelta(days=7 + 21 * (number - 1)))
    taught = number <= c.observed
    w.create(
        "research_lesson",
        {
            "cycle": c.id,
            "number": number,
            "date": date.isoformat(),
            "class_name": theme.year_group.replace("Year ", "") + rng.choice("ABC"),
            "objective": theme.objective,
            "success_criteria": theme.success_criteria,
            "form_id": form.id,
            "form_version": form.version,
        },
        lid,
    )
    previous = lesson_id(c.id, number - 1) if number > 1 else None
    wide = c.form == PLAN
    stage_ids = []
    for position, stage in enumerate(theme.stages, start=1):
        # RL2 and RL3 are pre-filled from the lesson before, as the app does (the same ids).
        sid = (
            derived_id("lesson_stage", lid, c.lessons[-1][2][position - 1])
            if previous
            else derived_id("lesson_stage", lid, str(position))
        )
        w.create(
            "lesson_stage",
            {
                "lesson": lid,
                "position": position,
                "title": stage.title,
                "timing": stage.timing,
                "activity": stage.activity,
                "anticipated": stage.anticipated if wide else "",
                "support": stage.support if wide else "",
                "evaluate": stage.evaluate if wide else "",
                "form_id": form.id,
                "form_version": form.version,
            },
            sid,
        )
        stage_ids.append(sid)
    for position, text in enumerate(DEFAULT_QUESTIONS, start=1):
        qid = derived_id("interview_question", lid, str(position))
        w.create("interview_question", {"lesson": lid, "position": position, "text": text}, qid)
    c.lessons.append((lid, date.isoformat(), stage_ids))
    # Roles: the teachers take turns to teach; the others observe with the knowledgeable other.
    teacher = (number - 1) % (len(c.members) - 1)
    for index, (mid, _name) in enumerate(c.members):
        role = (
            LessonRole.KNOWLEDGEABLE_OTHER
            if index == len(c.members) - 1
            else LessonRole.TEACHING
            if index == teacher
            else LessonRole.OBSERVING
        )
        w.set(lid, "research_lesson", cell_field(grid.ROLES, grid.ROLE_ROW, mid), role.value)
    planned_all = taught or number == c.observed + 1
    names = {
        g: f"{form.dynamic_prefix}.{g}"
        for g in (grid.PREDICTIONS, grid.CRITERIA, grid.ANSWERS, grid.EVIDENCE)
    }
    for p_index, pid in enumerate(c.pupils):
        criteria = cell_field(names[grid.CRITERIA], grid.CRITERIA_ROW, pid)
        w.set(lid, "research_lesson", criteria, _criteria(theme, p_index))
        for s_index, sid in enumerate(stage_ids):
            # A lesson being planned has some predictions still to write.
            if planned_all and (taught or rng.random() < 0.7):
                text = theme.predictions[p_index][s_index]
                cell = cell_field(names[grid.PREDICTIONS], sid, pid)
                w.set(lid, "research_lesson", cell, text)
    if not taught:
        return
    for qid_index, answers in enumerate(theme.answers):
        qid = derived_id("interview_question", lid, str(qid_index + 1))
        for pid, answer in zip(c.pupils, answers, strict=True):
            w.set(lid, "research_lesson", cell_field(names[grid.ANSWERS], qid, pid), answer)
    for pid, text in zip(c.pupils, theme.evidence, strict=True):
        cell = cell_field(names[grid.EVIDENCE], grid.EVIDENCE_ROW, pid)
        w.set(lid, "research_lesson", cell, text)
    w.set(lid, "research_lesson", "teacher_remarks", theme.remarks)
    w.set(lid, "research_lesson", "discussion_teaching", theme.teaching)
    w.set(lid, "research_lesson", "final_comments", theme.final_comments)
    w.set(lid, "research_lesson", "learned", theme.learned[min(number, 3) - 1])
    w.set(lid, "research_lesson", "next_changes", theme.changes[number - 1])


def _criteria(theme: Theme, index: int) -> str:
    criteria = theme.success_criteria.split("\n")
    if index == 0:
        return criteria[-1] + " Use it to challenge a partner's answer."
    if index == 1:
        return criteria[min(1, len(criteria) - 1)]
    return criteria[0] + " With the resources on the table, without waiting for an adult."


# ===================================================================== three observers' laptops


def _observe_on_three_laptops(
    store: Store, cycles: Sequence[_Cycle], rng: random.Random, spec: DemoSize, ctx: DemoContext
) -> int:
    """Each observer's notes on their own laptop; the three laptops' bundles merged here."""
    from peerreview.sync.bundle import export_bundle, import_bundles

    lessons = [(c, lesson) for c in cycles for lesson in c.lessons[: c.observed]]
    if not lessons:
        return 0
    made = 0
    with tempfile.TemporaryDirectory(prefix="peerreview-demo-") as folder:
        bundles: list[Path] = []
        for slot in range(3):
            check_cancelled(ctx.cancelled)
            laptop = Store.init(
                Path(folder) / f"observer-{slot + 1}.db",
                device_name=f"Classroom laptop {slot + 1}",
                partnership_id=store.partnership_id,
                registry=store.registry,
            )
            try:
                w = _Writer(laptop)
                for c, (lid, date, stage_ids) in lessons:
                    made += _notes(w, rng, c, lid, date, stage_ids, slot, spec)
                    w.flush()
                w.flush(force=True)
                bundle = Path(folder) / f"classroom-laptop-{slot + 1}.prbundle"
                export_bundle(laptop, bundle)
                bundles.append(bundle)
            finally:
                laptop.close()
            if ctx.progress:
                ctx.progress(len(cycles) + (slot + 1) * len(cycles) // 4, len(cycles) * 2)
        rng.shuffle(bundles)  # the order they arrive in does not matter
        for result in import_bundles(store, bundles):
            if isinstance(result, PeerReviewError):
                raise result
    return made


def _notes(
    w: _Writer,
    rng: random.Random,
    c: _Cycle,
    lid: str,
    date: str,
    stage_ids: Sequence[str],
    slot: int,
    spec: DemoSize,
) -> int:
    """One observer's notes on one research lesson, through the lesson's stages in time."""
    number = next(i for i, x in enumerate(c.lessons) if x[0] == lid) + 1
    teacher = (number - 1) % (len(c.members) - 1)
    observers = [m for i, m in enumerate(c.members) if i != teacher]
    member, name = observers[slot % len(observers)]
    cells = [(s, p) for s in range(len(stage_ids)) for p in range(len(c.pupils))]
    chosen = sorted(rng.sample(cells, min(spec.notes_per_observer, len(cells))))
    start = dt.datetime.combine(dt.date.fromisoformat(date), dt.time(9, 10))
    minute = 0
    made = 0
    for s_index, p_index in chosen:
        minute = max(minute, s_index * 9) + rng.randrange(1, 4)
        at = start + dt.timedelta(minutes=minute, seconds=rng.randrange(0, 60))
        # Each observer sees the same moment in their own words: the first the theme's note,
        # the others what else they noticed, and now and then what the pupil said.
        quote = rng.random() < (0.15 if slot == 0 else 0.3)
        if quote:
            text = rng.choice(c.theme.quotes)
        elif slot == 0:
            text = c.theme.seen[p_index][s_index]
        else:
            text = rng.choice(ALSO_SEEN[p_index])
        w.create(
            "observation",
            {
                "lesson": lid,
                "stage": stage_ids[s_index],
                "pupil": c.pupils[p_index],
                "observer": member,
                "observer_name": name,
                "time": at.isoformat(timespec="seconds"),
                "note_type": (NoteType.QUOTE if quote else NoteType.NOTE).value,
                "note": text,
            },
        )
        made += 1
    return made
