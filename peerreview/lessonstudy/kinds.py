"""Lesson study's kinds of record: the cycle, its team, schools, case pupils, research lessons,
their stages and interview questions, and observers' notes; and the migrations that made them.

Grids (a prediction per stage and case pupil, a success criterion per case pupil, a role per team
member) are kept as one field per cell of the research lesson (see ``grid.py``), so two laptops
filling different cells never conflict. Observers' notes are records of their own: three
observers on three laptops each add notes, and merging them is a union.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peerreview.sync.ids import derived_id
from peerreview.sync.kinds import FieldSpec, FieldType, Kind
from peerreview.sync.schema import CreateIndex, CreateKindTable, Migration, integer, text

T, I, D, R, J = (  # noqa: E741 - short names keep the kind tables below readable
    FieldType.TEXT,
    FieldType.INTEGER,
    FieldType.DATE,
    FieldType.REF,
    FieldType.JSON,
)


def _f(name: str, t: FieldType = FieldType.TEXT, **kw: Any) -> FieldSpec:
    return FieldSpec(name, t, **kw)


def lesson_id(cycle: str, number: int) -> str:
    """Research lesson ``number`` of a cycle has one id everywhere: two laptops starting RL2 at
    once make one lesson, whose copied plan they then edit cell by cell."""
    return derived_id("research_lesson", cycle, str(number))


def _lesson_identity(values: Mapping[str, Any]) -> str | None:
    cycle, number = values.get("cycle"), values.get("number")
    if isinstance(cycle, str) and type(number) is int:
        return lesson_id(cycle, number)
    return None


def pupil_id(cycle: str, letter: str) -> str:
    """Pupil A of a cycle has one id everywhere (two laptops adding Pupil D make one pupil)."""
    return derived_id("case_pupil", cycle, letter)


def _pupil_identity(values: Mapping[str, Any]) -> str | None:
    cycle, letter = values.get("cycle"), values.get("letter")
    if isinstance(cycle, str) and isinstance(letter, str) and letter:
        return pupil_id(cycle, letter)
    return None


def part_id(cycle: str, school: str) -> str:
    """A school takes part in a cycle once, whichever laptop added it."""
    return derived_id("cycle_part", cycle, school)


def _part_identity(values: Mapping[str, Any]) -> str | None:
    cycle, school = values.get("cycle"), values.get("school")
    if isinstance(cycle, str) and isinstance(school, str):
        return part_id(cycle, school)
    return None


CYCLE = Kind(
    "cycle",
    "lesson-study cycle",
    (
        _f("school", R, ref_kind="school", label="lead school"),
        _f("title"),
        _f("focus"),
        _f("concern", label="evidence or concern behind the focus"),
        _f("research_question", label="research question"),
        _f("subject"),
        _f("year_group", label="year group"),
        _f("class_size", I, label="number in class"),
        _f("grouping", label="class and grouping"),
        _f("start_date", D, label="start"),
        _f("end_date", D, label="end"),
        _f("status"),
        _f("sharing", label="sharing scope"),
        _f("learned_pupils", label="what we learned about the pupils"),
        _f("learned_subject", label="what we learned about the subject"),
        _f("learned_teaching", label="what we learned about the teaching"),
        _f("learned_together", label="what we learned about working together"),
        _f("others_try", label="what others should try"),
        _f("shared_how", J, label="how it was shared"),
        _f("shared_notes", label="notes on sharing"),
        _f("plan_action", R, ref_kind="action", label="action in the school's plan"),
    ),
    school_field="school",
    dynamic=True,
    date_ranges=(("start_date", "end_date"),),
    owned_by=("school",),
    indexes=("school",),
    plural="lesson-study cycles",
)

CYCLE_PART = Kind(
    "cycle_part",
    "school taking part",
    (_f("cycle", R, ref_kind="cycle"), _f("school", R, ref_kind="school")),
    school_field="school",
    owned_by=("cycle", "school"),
    indexes=("cycle", "school"),
    identity=_part_identity,
    carries=("cycle",),
    plural="schools taking part",
)

CYCLE_MEMBER = Kind(
    "cycle_member",
    "team member",
    (
        _f("cycle", R, ref_kind="cycle"),
        _f("person", R, ref_kind="person"),
        _f("name", personal=True),
        _f("school", R, ref_kind="school"),
        _f("role", label="role in the team"),
        _f("position", I),
    ),
    school_field="cycle",
    owned_by=("cycle",),
    indexes=("cycle",),
)

CASE_PUPIL = Kind(
    "case_pupil",
    "case pupil",
    (
        _f("cycle", R, ref_kind="cycle"),
        _f("letter"),
        _f("represents", label="typical of pupils who"),
        _f("group", label="group of learners"),
        _f("what_changed", label="what changed for this pupil"),
    ),
    school_field="cycle",
    owned_by=("cycle",),
    indexes=("cycle",),
    identity=_pupil_identity,
    local_fields=(_f("real_name", label="real name", personal=True),),
)

RESEARCH_LESSON = Kind(
    "research_lesson",
    "research lesson",
    (
        _f("cycle", R, ref_kind="cycle"),
        _f("number", I),
        _f("date", D),
        _f("class_name", label="class"),
        _f("objective", label="accountable learning objective"),
        _f("success_criteria", label="success criteria for the class"),
        _f("teacher_remarks", label="the teacher's remarks"),
        _f("discussion_teaching", label="discussion of the teaching"),
        _f("final_comments", label="the knowledgeable other's final comments"),
        _f("next_changes", label="what we will change for the next research lesson"),
        _f("learned", label="what we learned from this lesson"),
    ),
    school_field="cycle",
    dynamic=True,
    owned_by=("cycle",),
    indexes=("cycle",),
    identity=_lesson_identity,
)

LESSON_STAGE = Kind(
    "lesson_stage",
    "lesson stage",
    (
        _f("lesson", R, ref_kind="research_lesson"),
        _f("position", I),
        _f("title", label="stage"),
        _f("timing"),
        _f("activity", label="learning activity and key questions"),
        _f("anticipated", label="anticipated pupil responses"),
        _f("support", label="teacher support"),
        _f("evaluate", label="points to evaluate"),
    ),
    school_field="lesson",
    dynamic=True,
    owned_by=("lesson",),
    indexes=("lesson",),
)

INTERVIEW_QUESTION = Kind(
    "interview_question",
    "interview question",
    (
        _f("lesson", R, ref_kind="research_lesson"),
        _f("position", I),
        _f("text", label="question"),
    ),
    school_field="lesson",
    owned_by=("lesson",),
    indexes=("lesson",),
)

OBSERVATION = Kind(
    "observation",
    "observation note",
    (
        _f("lesson", R, ref_kind="research_lesson"),
        _f("stage", R, ref_kind="lesson_stage"),
        _f("pupil", R, ref_kind="case_pupil"),
        _f("observer", R, ref_kind="cycle_member"),
        _f("observer_name", label="observer", personal=True),
        _f("time"),
        _f("note_type", label="type of note"),
        _f("note"),
    ),
    school_field="lesson",
    owned_by=("lesson", "stage", "pupil"),
    indexes=("lesson",),
    evidence=True,
)

KINDS: tuple[Kind, ...] = (
    CYCLE,
    CYCLE_PART,
    CYCLE_MEMBER,
    CASE_PUPIL,
    RESEARCH_LESSON,
    LESSON_STAGE,
    INTERVIEW_QUESTION,
    OBSERVATION,
)

#: Lesson study's migrations, oldest first (frozen: written out as they were made).
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "Lesson study: cycles, their schools, team, case pupils, research lessons, stages, "
        "interview questions and observation notes",
        (
            CreateKindTable(
                "cycle",
                text(
                    "school",
                    "title",
                    "focus",
                    "concern",
                    "research_question",
                    "subject",
                    "year_group",
                )
                + integer("class_size")
                + text(
                    "grouping",
                    "start_date",
                    "end_date",
                    "status",
                    "sharing",
                    "learned_pupils",
                    "learned_subject",
                    "learned_teaching",
                    "learned_together",
                    "others_try",
                    "shared_how",
                    "shared_notes",
                    "plan_action",
                ),
            ),
            CreateIndex("cycle", ("school",)),
            CreateKindTable("cycle_part", text("cycle", "school")),
            CreateIndex("cycle_part", ("cycle",)),
            CreateIndex("cycle_part", ("school",)),
            CreateKindTable(
                "cycle_member",
                text("cycle", "person", "name", "school", "role") + integer("position"),
            ),
            CreateIndex("cycle_member", ("cycle",)),
            CreateKindTable(
                "case_pupil", text("cycle", "letter", "represents", "group", "what_changed")
            ),
            CreateIndex("case_pupil", ("cycle",)),
            CreateKindTable(
                "research_lesson",
                text("cycle")
                + integer("number")
                + text(
                    "date",
                    "class_name",
                    "objective",
                    "success_criteria",
                    "teacher_remarks",
                    "discussion_teaching",
                    "final_comments",
                    "next_changes",
                    "learned",
                ),
            ),
            CreateIndex("research_lesson", ("cycle",)),
            CreateKindTable(
                "lesson_stage",
                text("lesson")
                + integer("position")
                + text("title", "timing", "activity", "anticipated", "support", "evaluate"),
            ),
            CreateIndex("lesson_stage", ("lesson",)),
            CreateKindTable(
                "interview_question", text("lesson") + integer("position") + text("text")
            ),
            CreateIndex("interview_question", ("lesson",)),
            CreateKindTable(
                "observation",
                text(
                    "lesson",
                    "stage",
                    "pupil",
                    "observer",
                    "observer_name",
                    "time",
                    "note_type",
                    "note",
                ),
            ),
            CreateIndex("observation", ("lesson",)),
        ),
    ),
)
