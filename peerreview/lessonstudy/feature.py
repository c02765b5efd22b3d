"""The lesson-study feature: its kinds, folder, how its records are named, rules, reports, demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from peerreview.lessonstudy import kinds
from peerreview.sync.records import Record
from peerreview.sync.registry import (
    Description,
    EditCheck,
    Event,
    Feature,
    Folder,
    ReportBuilder,
    ReportRequest,
)
from peerreview.sync.store import Store

if TYPE_CHECKING:
    from peerreview.forms import FormLibrary
    from peerreview.reports.model import Report
    from peerreview.sync.registry import DemoContext


def _checked(name: str) -> EditCheck:
    """A rule of cycles.py, imported when first used: opening a store need not load the rules."""

    def check(*args: Any) -> None:
        from peerreview.lessonstudy import cycles

        getattr(cycles, name)(*args)

    return check


def _parent(store: Store, record: Record, field: str) -> Record | None:
    rid = record.get(field)
    return store.get(rid) if rid and store.exists(rid) else None


def _cycle(store: Store, record: Record, hide_names: bool) -> Description:
    """ "Lesson study: Reasoning about fractions · Year 5, Maths"."""
    from peerreview.lessonstudy.cycles import Status

    title = record.get("title", "Lesson study")
    what = ", ".join(str(record[k]) for k in ("year_group", "subject") if record.get(k))
    school = _parent(store, record, "school")
    return Description(
        f"Lesson study: {title}" + (f" · {what}" if what else ""),
        context=school.title if school else "",
        label=f"{title} ({Status.of(record).label.lower()})",
        short=title,
    )


def _in_cycle(store: Store, record: Record) -> str:
    """The school and cycle a cycle's part belongs to ("Kineton Academy · Lesson study: <title>"):
    cycles' titles repeat from school to school (a partnership shares a focus), so search results,
    evidence lists and conflicts name the school first."""
    cycle = record.get("cycle")
    if not cycle and record.get("lesson") and store.exists(record["lesson"]):
        cycle = store.get(record["lesson"]).get("cycle")
    return _cycle_context(store, cycle)


def _cycle_context(store: Store, cycle_id: object) -> str:
    if not isinstance(cycle_id, str) or not store.exists(cycle_id):  # not on this laptop yet
        return ""
    school = store.get(cycle_id).get("school")
    titles = (
        store.title(school) if isinstance(school, str) and store.exists(school) else "",
        f"Lesson study: {store.title(cycle_id)}",
    )
    return " · ".join(t for t in titles if t)


def _pupil(store: Store, record: Record, hide_names: bool) -> Description:
    # Only the pseudonym: a real name kept on this laptop never goes where descriptions go
    # (search results, the conflict dialog, import summaries).
    return Description(f"Pupil {record.get('letter', '?')}", context=_in_cycle(store, record))


def _lesson(store: Store, record: Record, hide_names: bool) -> Description:
    return Description(
        f"Research lesson {record.get('number', '?')}", context=_in_cycle(store, record)
    )


def _stage(store: Store, record: Record, hide_names: bool) -> Description:
    lesson = _parent(store, record, "lesson")
    where = f"research lesson {lesson.get('number', '?')}" if lesson else "a research lesson"
    context = _cycle_context(store, lesson.get("cycle") if lesson is not None else None)
    title = record.get("title") or f"Stage {record.get('position', '?')}"
    short = f"{record.get('position', '?')}. {record['title']}" if record.get("title") else title
    return Description(f"{title} ({where})", context=context, short=short)


def _member(store: Store, record: Record, hide_names: bool) -> Description:
    role = record.get("role", "Team member")
    name = role if hide_names else f"{record.get('name', '')} ({role.lower()})"
    return Description(name, context=_in_cycle(store, record))


def _observation(store: Store, record: Record, hide_names: bool) -> Description:
    pupil = _parent(store, record, "pupil")
    stage = _parent(store, record, "stage")
    who = "an observer" if hide_names else record.get("observer_name", "an observer")
    title = "Observation of " + (f"Pupil {pupil.get('letter', '?')}" if pupil else "a case pupil")
    if stage is not None:
        title += f", stage {stage.get('position', '?')}"
    return Description(f"{title}, by {who}", context=_in_cycle(store, record))


def _question(store: Store, record: Record, hide_names: bool) -> Description:
    return Description(record.get("text", "Interview question"), context=_in_cycle(store, record))


def _part(store: Store, record: Record, hide_names: bool) -> Description:
    school = _parent(store, record, "school")
    return Description(
        f"{school.title if school else 'A school'} takes part", context=_in_cycle(store, record)
    )


def _school_cycles(store: Store, schools: Sequence[str]) -> dict[str, list[str]]:
    from peerreview.lessonstudy.cycles import cycles_by_school

    return cycles_by_school(store, schools)


def _workbook(store: Store, library: FormLibrary, request: ReportRequest) -> Report:
    from peerreview.lessonstudy.report import build_summary, build_workbook

    assert request.record_id is not None
    build = build_summary if request.summary else build_workbook
    return build(store, library, request.record_id)


def _demo(store: Store, ctx: DemoContext) -> dict[str, int]:
    from peerreview.lessonstudy.demo import build

    return build(store, ctx)


def _events(store: Store, start: dt.date | None, end: dt.date | None) -> Iterator[Event]:
    """Research lessons (on the day they are taught), at the cycle's lead school, for the
    partnership view's coverage and calendar."""
    low = start.isoformat() if start else None
    high = end.isoformat() if end else None
    lessons = store.rows(
        "research_lesson", ["id", "cycle", "number", "date"], ranges={"date": (low, high)}
    )
    if not lessons:
        return
    cycles = {
        cid: (school, title)
        for cid, school, title in store.rows(
            "cycle",
            ["id", "school", "title"],
            where={"id": tuple({c for _i, c, _n, _d in lessons})},
        )
    }
    for rid, cycle, number, day in lessons:
        school, title = cycles.get(cycle, (None, None))
        if school:
            yield Event(
                dt.date.fromisoformat(day),
                school,
                "lesson study",
                f"Research lesson {number or ''}: {title or 'lesson study'}".replace("  ", " "),
                rid,
            )


FEATURE = Feature(
    name="lessonstudy",
    title="Lesson study",
    kinds=kinds.KINDS,
    migrations=kinds.MIGRATIONS,
    folders=(
        Folder(
            "school",
            "cycle",
            "Lesson study",
            # Its home is under its lead school; it is listed under every school taking part.
            link_field="school",
            members=_school_cycles,
            watches=(("cycle_part", "school"), ("cycle", "school")),
            empty_text="No lesson-study cycles at this school yet. Start one with Lesson study → "
            "Start a lesson-study cycle…",
            what=("lesson-study cycle", "lesson-study cycles"),
        ),
    ),
    describers={
        "cycle": _cycle,
        "case_pupil": _pupil,
        "research_lesson": _lesson,
        "lesson_stage": _stage,
        "cycle_member": _member,
        "observation": _observation,
        "interview_question": _question,
        "cycle_part": _part,
    },
    reports=(
        ReportBuilder(
            "cycle",
            "Lesson study workbook (--summary: the two-page summary for sharing)",
            _workbook,
            record_kind="cycle",
        ),
    ),
    demo=_demo,
    demo_weight=2,
    checks={
        "research_lesson": _checked("check_lesson"),
        "cycle": _checked("check_cycle"),
        "case_pupil": _checked("check_pupil"),
    },
    events=_events,
)
