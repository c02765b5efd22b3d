"""A cycle's reports: the workbook (everything, grid by grid) and the two-page summary for sharing.

Two steps, as for the peer review report: :func:`read_cycle` reads what the reports print into
plain frozen values (:class:`CycleContent`), in the proforma (version) the cycle was made with;
:func:`workbook` and :func:`summary` lay that out as a report model without touching the store.

Case pupils appear only as Pupil A, B, C: a real name kept on a school's laptop is never read
here. Neither report grades a teacher: they describe pupils' learning and the team's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from peerreview.forms import Field, FieldType, FormLibrary
from peerreview.lessonstudy import cycles as cy
from peerreview.lessonstudy import grid
from peerreview.reports.model import (
    Block,
    BulletList,
    Callout,
    Heading,
    KeyValues,
    Note,
    PageBreak,
    Paragraph,
    Report,
    Table,
    clock_time,
    long_date_of,
)
from peerreview.sync.records import Record
from peerreview.sync.store import Store

PROFESSIONAL = "Professional learning, kept separate from performance management."
PSEUDONYMS = "Case pupils are named by pseudonym only."
NOT_SETTLED = " [two versions, not yet settled]"


# ===================================================================== what the reports print


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer on the proforma: the field's id and label, and what was written (or ticked)."""

    id: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class PupilContent:
    label: str  # "Pupil A"
    group: str
    represents: str
    what_changed: str


@dataclass(frozen=True, slots=True)
class NoteContent:
    """One observer's note as printed in a cell's timeline."""

    time: str  # "10:42"
    observer: str
    note_type: str  # "Note", "Quote", "Photo"
    text: str

    def line(self) -> str:
        kind = "" if self.note_type == cy.NoteType.NOTE.label else f" ({self.note_type.lower()})"
        text = f"“{self.text}”" if self.note_type == cy.NoteType.QUOTE.label else self.text
        who = f" {self.observer}" if self.observer else ""
        return f"{self.time}{who}{kind}: {text}"


@dataclass(frozen=True, slots=True)
class StageContent:
    title: str  # "1. Starter (10 minutes)"
    columns: tuple[str, ...]  # the proforma's stage columns besides title and timing
    predictions: tuple[str, ...]  # one per case pupil
    notes: tuple[tuple[NoteContent, ...], ...]  # one timeline per case pupil


@dataclass(frozen=True, slots=True)
class LessonContent:
    number: int
    date: str
    plan: tuple[Answer, ...]
    roles: tuple[tuple[str, str], ...]  # ("Teaching", "Asha Patel"), ...
    criteria: tuple[str, ...]  # one per case pupil
    change_before: str  # the lesson before's "what we will change"
    stage_columns: tuple[str, ...]  # labels of StageContent.columns
    stages: tuple[StageContent, ...]
    interview: tuple[tuple[str, tuple[str, ...]], ...]  # (question, an answer per pupil)
    evidence: tuple[str, ...]  # the discussion's evidence, one per case pupil
    discussion: tuple[Answer, ...]
    next_changes: str
    unsettled: int  # cells with two values not yet settled


@dataclass(frozen=True, slots=True)
class CycleContent:
    """Everything the reports of one cycle print, and nothing else."""

    title: str
    school_name: str
    schools: tuple[str, ...]
    partnership_name: str
    form_title: str
    status: str
    sharing: cy.Sharing
    start_date: str
    end_date: str
    overview: tuple[tuple[str, tuple[Answer, ...]], ...]  # (section title, answers)
    team: tuple[tuple[str, str, str], ...]  # (name, school, role)
    pupils: tuple[PupilContent, ...]
    lessons: tuple[LessonContent, ...]
    outcomes: tuple[Answer, ...]
    plan_action: str


def _answer(record: Record, field: Field, name: str) -> Answer:
    value = record.values.get(name)
    if value is None:
        text = ""
    elif field.type is FieldType.CHECKLIST and isinstance(value, list):
        text = "\n".join(str(v) for v in value)
    elif field.type is FieldType.DATE and isinstance(value, str):
        text = long_date_of(value)
    elif field.type is FieldType.BOOLEAN:
        text = "Yes" if value else "No"
    else:
        text = str(value)
    if name in record.conflicts and text:
        text += NOT_SETTLED
    return Answer(field.id, field.label, text)


def _answers(
    store: Store, record: Record, fields: Sequence[Field], form: cy.Proforma
) -> tuple[Answer, ...]:
    return tuple(_answer(record, f, cy.stored(store, record.kind, form.form, f.id)) for f in fields)


def read_cycle(store: Store, library: FormLibrary, cycle_id: str) -> CycleContent:
    """Read what a cycle's reports print, in the proforma (version) it was made with."""
    cycle = store.get(cycle_id)
    form = cy.Proforma.of(library, cycle)
    lead = cycle.get("school")
    school_name = store.title(lead) if lead and store.exists(lead) else "Unknown school"
    partnership = store.title(store.partnership_id) if store.partnership_id else "PeerReview"
    the_pupils = cy.pupils(store, cycle_id)
    members = cy.team(store, cycle_id)
    names = {m.id: m.get("name", "") for m in members}
    overview = tuple(
        (s.title, _answers(store, cycle, s.fields, form))
        for s in form.sections("cycle", but=(cy.OUTCOMES_SECTION,))
    )
    outcomes = form.sections("cycle", only=(cy.OUTCOMES_SECTION,))
    outcome_fields = [f for s in outcomes for f in s.fields]
    pupil_fields = [f for s in form.sections("case_pupil") for f in s.fields]
    group_field = next((f for f in pupil_fields if f.id == "group"), None)
    represents_field = next((f for f in pupil_fields if f.id == "represents"), None)
    action = cycle.get("plan_action")
    lessons_read: list[LessonContent] = []
    before = ""
    for lesson in cy.lessons(store, cycle_id):
        lessons_read.append(_lesson(store, form, lesson, the_pupils, names, before))
        before = lesson.get("next_changes", "")
    return CycleContent(
        title=cycle.get("title", "Lesson study"),
        school_name=school_name,
        schools=tuple(s.title for s in cy.schools(store, cycle_id)),
        partnership_name=partnership,
        form_title=f"{form.form.title} (version {form.form.version})",
        status=cy.Status.of(cycle).label,
        sharing=_sharing(cycle),
        start_date=cycle.get("start_date", ""),
        end_date=cycle.get("end_date", ""),
        overview=overview,
        team=tuple(
            (
                m.get("name", ""),
                store.title(m["school"]) if m.get("school") and store.exists(m["school"]) else "",
                m.get("role", ""),
            )
            for m in members
        ),
        pupils=tuple(
            PupilContent(
                cy.pupil_label(p),
                _answer(p, group_field, "group").text if group_field else p.get("group", ""),
                _answer(p, represents_field, "represents").text
                if represents_field
                else p.get("represents", ""),
                p.get("what_changed", ""),
            )
            for p in the_pupils
        ),
        lessons=tuple(lessons_read),
        outcomes=_answers(store, cycle, outcome_fields, form),
        plan_action=store.title(action) if action and store.exists(action) else "",
    )


def _sharing(cycle: Record) -> cy.Sharing:
    return cy.Sharing.of(cycle.get("sharing")) or cy.Sharing.SCHOOLS


def _lesson(
    store: Store,
    form: cy.Proforma,
    lesson: Record,
    the_pupils: Sequence[Record],
    names: dict[str, str],
    change_before: str,
) -> LessonContent:
    plan_fields = [
        f
        for s in form.sections("research_lesson", but=(cy.DISCUSSION_SECTION,))
        for f in s.fields
        if f.id != "date" and f.type is not FieldType.GRID
    ]
    discussion_fields = [
        f
        for s in form.sections("research_lesson", only=(cy.DISCUSSION_SECTION,))
        for f in s.fields
        if f.id != "next_changes" and f.type is not FieldType.GRID
    ]
    stage_fields = [f for f in form.stage_fields if f.id not in ("title", "timing")]
    by_role: dict[cy.LessonRole, list[str]] = {}
    for member, role in cy.roles(store, lesson).items():
        if member in names:
            by_role.setdefault(role, []).append(names[member])
    notes = cy.timeline(store, lesson.id)
    pupil_ids = [p.id for p in the_pupils]

    def cells(name: str) -> Callable[[str, str], str]:
        texts = grid.texts(store, lesson, name)
        unsure = grid.conflicted(store, lesson, name)

        def text(row: str, column: str) -> str:
            cell = (row, column)
            return texts.get(cell, "") + (NOT_SETTLED if cell in unsure else "")

        return text

    predicted = cells(grid.PREDICTIONS)
    unsettled = len(grid.conflicted(store, lesson, grid.PREDICTIONS))

    stages = []
    for n, stage in enumerate(cy.stages(store, lesson.id), start=1):
        title = f"{n}. {stage.get('title', '')}".strip().rstrip(".")
        if stage.get("timing"):
            title += f" ({stage['timing']})"
        stages.append(
            StageContent(
                title=title,
                columns=tuple(
                    _answer(stage, f, cy.stored(store, "lesson_stage", form.form, f.id)).text
                    for f in stage_fields
                ),
                predictions=tuple(predicted(stage.id, p) for p in pupil_ids),
                notes=tuple(
                    tuple(
                        NoteContent(
                            clock_time(o.get("time", "")),
                            o.get("observer_name", ""),
                            cy.note_type_label(o),
                            o.get("note", ""),
                        )
                        for o in notes.get((stage.id, p), [])
                    )
                    for p in pupil_ids
                ),
            )
        )
    answers, criteria, evidence = cells(grid.ANSWERS), cells(grid.CRITERIA), cells(grid.EVIDENCE)
    return LessonContent(
        number=lesson.get("number", 0),
        date=lesson.get("date", ""),
        plan=_answers(store, lesson, plan_fields, form),
        roles=tuple(
            (role.label, ", ".join(sorted(by_role[role])))
            for role in cy.LessonRole
            if role in by_role
        ),
        criteria=tuple(criteria(grid.CRITERIA_ROW, p) for p in pupil_ids),
        change_before=change_before,
        stage_columns=tuple(f.label for f in stage_fields),
        stages=tuple(stages),
        interview=tuple(
            (
                q.get("text", ""),
                tuple(answers(q.id, p) for p in pupil_ids),
            )
            for q in cy.questions(store, lesson.id)
        ),
        evidence=tuple(evidence(grid.EVIDENCE_ROW, p) for p in pupil_ids),
        discussion=_answers(store, lesson, discussion_fields, form),
        next_changes=lesson.get("next_changes", ""),
        unsettled=unsettled,
    )


# ===================================================================== the workbook


def build_workbook(
    store: Store, library: FormLibrary, cycle_id: str, *, today: dt.date | None = None
) -> Report:
    return workbook(read_cycle(store, library, cycle_id), today=today)


def build_summary(
    store: Store, library: FormLibrary, cycle_id: str, *, today: dt.date | None = None
) -> Report:
    return summary(read_cycle(store, library, cycle_id), today=today)


def _dates(c: CycleContent) -> str:
    if c.start_date and c.end_date:
        return f"{long_date_of(c.start_date)} to {long_date_of(c.end_date)}"
    return f"From {long_date_of(c.start_date)}" if c.start_date else "Dates to be agreed"


def _subject(c: CycleContent) -> str:
    found = {a.id: a.text for _, answers in c.overview for a in answers}
    parts = [found.get("subject", ""), found.get("year_group", "")]
    return ", ".join(p for p in parts if p)


def workbook(c: CycleContent, *, today: dt.date | None = None) -> Report:
    """The whole cycle: overview, team, case pupils, each research lesson's plan, grids,
    interviews and discussion, then the outcomes. Each lesson is on landscape pages."""
    team_text = "; ".join(f"{n} ({r.lower()})" if r else n for n, _, r in c.team)
    facts = (
        ("Lesson study", c.title),
        ("Schools taking part", "\n".join(c.schools) or c.school_name),
        ("Team", team_text or "To be agreed"),
        ("Dates", _dates(c)),
        ("Proforma", c.form_title),
        ("Stage", c.status),
    )
    blocks: list[Block] = [Heading("Overview and focus", 1)]
    for title, answers in c.overview:
        filled = tuple((a.label, a.text) for a in answers if a.text)
        if filled:
            blocks += [Heading(title, 2), KeyValues(filled)]
    blocks += [Heading("The team", 1)]
    if c.team:
        blocks.append(Table(("Name", "School", "Role in the team"), c.team, widths=(2, 2, 1.5)))
    else:
        blocks.append(Paragraph("No one has been added to the team yet."))
    blocks += _pupils(c)
    for lesson in c.lessons:
        blocks += _lesson_blocks(c, lesson)
    if c.lessons:
        blocks.append(PageBreak(orientation="portrait"))
    blocks += _outcomes(c)
    return Report(
        title="Lesson study workbook",
        subtitle=c.title,
        school_name=c.school_name,
        partnership_name=c.partnership_name,
        audience="For the lesson-study team and the schools taking part",
        confidentiality=f"Confidential to the team and its schools. {PSEUDONYMS} {PROFESSIONAL}",
        cover_facts=facts,
        blocks=tuple(blocks),
        generated_on=today or dt.date.today(),
    )


def _pupils(c: CycleContent) -> list[Block]:
    out: list[Block] = [
        Heading("Case pupils", 1),
        Note(
            "Each case pupil stands for a group of learners. Their real names are not recorded "
            "in this workbook."
        ),
    ]
    rows = tuple((p.label, p.group, p.represents) for p in c.pupils)
    out.append(
        Table(("Case pupil", "Group of learners", "Typical of pupils who"), rows, (1, 1.6, 4))
    )
    return out


def _lesson_blocks(c: CycleContent, lesson: LessonContent) -> list[Block]:
    labels = tuple(p.label for p in c.pupils)
    when = long_date_of(lesson.date) if lesson.date else "date to be agreed"
    out: list[Block] = [
        PageBreak(orientation="landscape"),
        Heading(f"Research lesson {lesson.number}: {when}", 1),
    ]
    pairs = [(a.label, a.text) for a in lesson.plan if a.text]
    pairs += list(lesson.roles)
    if pairs:
        out.append(KeyValues(tuple(pairs)))
    if any(lesson.criteria):
        out += [
            Heading("Success criteria for each case pupil", 2),
            Table(
                ("Case pupil", "Success criteria"),
                tuple(zip(labels, lesson.criteria, strict=True)),
                (1, 6),
            ),
        ]
    if lesson.change_before:
        out.append(
            Callout(
                f"What we said we would change after research lesson {lesson.number - 1}",
                lesson.change_before,
                "info",
            )
        )
    # The plan: the proforma's stage columns, then each case pupil's predicted response.
    columns = ("Stage", *lesson.stage_columns, *(f"{p}: predicted" for p in labels))
    widths = (1.2, *(2.4 for _ in lesson.stage_columns), *(2.0 for _ in labels))
    out += [Heading("The plan, stage by stage", 2)]
    if lesson.stages:
        rows = tuple((s.title, *s.columns, *s.predictions) for s in lesson.stages)
        out.append(Table(columns, rows, widths))
    else:
        out.append(Paragraph("No stages have been planned yet."))
    if lesson.unsettled:
        out.append(
            Note(
                f"{lesson.unsettled} predicted "
                f"{'responses were' if lesson.unsettled > 1 else 'response was'}"
                " typed differently on two laptops and not yet settled; the version shown is the "
                "one every laptop shows until the team chooses."
            )
        )
    # Predicted against actual: every observer's notes, named and in time order, in each cell.
    if any(n for s in lesson.stages for n in s.notes):
        out += [
            Heading("Predicted and actual", 2),
            Note(
                "For each stage and case pupil: the prediction, then every observer's notes in "
                "time order, with who made them."
            ),
        ]
        rows = tuple(
            (
                s.title,
                *(
                    "\n\n".join(
                        part
                        for part in (
                            f"Predicted: {pred}" if pred else "Predicted: (none)",
                            "\n".join(n.line() for n in notes) if notes else "Not observed.",
                        )
                    )
                    for pred, notes in zip(s.predictions, s.notes, strict=True)
                ),
            )
            for s in lesson.stages
        )
        out.append(Table(("Stage", *labels), rows, (1.2, *(3.0 for _ in labels))))
    if lesson.interview:
        out += [
            Heading("Pupil interviews", 2),
            Table(
                ("Question", *labels),
                tuple((q, *answers) for q, answers in lesson.interview),
                (1.6, *(2.2 for _ in labels)),
            ),
        ]
    out += _discussion(labels, lesson)
    return out


def _discussion(labels: Sequence[str], lesson: LessonContent) -> list[Block]:
    """In the order the discussion is held: the teacher's remarks, the evidence pupil by pupil,
    only then the teaching, the knowledgeable other's final comments, what changes next."""
    said = [a for a in lesson.discussion if a.text]
    if not (said or any(lesson.evidence) or lesson.next_changes):
        return []
    out: list[Block] = [Heading("Post-lesson discussion", 2)]
    remarks = next((a for a in said if a.id == "teacher_remarks"), None)
    if remarks is not None:
        out += [Heading(remarks.label, 3), Paragraph(remarks.text)]
    if any(lesson.evidence):
        out += [
            Heading("The evidence, pupil by pupil", 3),
            Table(
                ("Case pupil", "What the evidence showed, against the prediction"),
                tuple((label, text) for label, text in zip(labels, lesson.evidence, strict=True)),
                (1, 6),
            ),
        ]
    for answer in said:
        if answer is remarks:
            continue
        if answer.id == "final_comments":
            out.append(Callout(answer.label, answer.text, "info"))
        else:
            out += [Heading(answer.label, 3), Paragraph(answer.text)]
    if lesson.next_changes:
        out.append(
            Callout(
                f"What we will change for research lesson {lesson.number + 1}"
                if lesson.number < cy.MAX_LESSONS
                else "What we would change next time",
                lesson.next_changes,
                "development",
            )
        )
    return out


def _outcomes(c: CycleContent) -> list[Block]:
    out: list[Block] = [Heading("Outcomes", 1)]
    said = [a for a in c.outcomes if a.text]
    for answer in said:
        if answer.id == "others_try":
            out.append(Callout(answer.label, answer.text, "strength"))
        elif answer.id == "shared_how":
            out += [Heading(answer.label, 2), BulletList(tuple(answer.text.split("\n")))]
        else:
            out += [Heading(answer.label, 2), Paragraph(answer.text)]
    changed = tuple((p.label, p.what_changed) for p in c.pupils if p.what_changed)
    if changed:
        out += [
            Heading("What changed for each case pupil", 2),
            Table(("Case pupil", "What changed"), changed, (1, 6)),
        ]
    if c.plan_action:
        out += [Heading("In the school's plan", 2), Paragraph(c.plan_action)]
    if len(out) == 1:
        out.append(Paragraph("The team has not recorded its outcomes yet."))
    return out


# ===================================================================== the summary


_AUDIENCE = {
    cy.Sharing.TEAM: "For the lesson-study team",
    cy.Sharing.SCHOOLS: "For the staff of the schools taking part",
    cy.Sharing.PARTNERSHIP: "For the schools of the partnership",
}


def summary(c: CycleContent, *, today: dt.date | None = None) -> Report:
    """Two pages for sharing: the focus, what was learned, what others should try. Pseudonyms
    only; no teacher is named beside a lesson, and nothing grades anyone."""
    found = {a.id: a for _, answers in c.overview for a in answers}
    facts = [
        ("Lesson study", c.title),
        ("Schools taking part", "\n".join(c.schools) or c.school_name),
        ("Subject and year group", _subject(c) or "Not recorded"),
        ("Dates", _dates(c)),
        ("Research lessons", str(len(c.lessons))),
        ("Shared with", c.sharing.label),
    ]
    blocks: list[Block] = [Heading("What we set out to learn", 1)]
    pairs = tuple(
        (found[key].label, found[key].text)
        for key in ("focus", "research_question", "concern")
        if key in found and found[key].text
    )
    if pairs:
        blocks.append(KeyValues(pairs))
    blocks.append(Heading("What we learned", 1))
    said = [a for a in c.outcomes if a.text]
    learned = [a for a in said if a.id.startswith("learned_")]
    for answer in learned:
        blocks += [Heading(answer.label, 2), Paragraph(answer.text)]
    if not learned:
        blocks.append(Paragraph("The team has not recorded what it learned yet."))
    changed = tuple((p.label, p.what_changed) for p in c.pupils if p.what_changed)
    if changed:
        blocks += [
            Heading("What changed for the case pupils", 2),
            Table(("Case pupil", "What changed"), changed, (1, 6)),
        ]
    try_next = next((a for a in said if a.id == "others_try"), None)
    blocks.append(
        Callout(
            "What others should try",
            try_next.text if try_next else "Not recorded yet.",
            "strength",
        )
    )
    shared = next((a for a in said if a.id == "shared_how"), None)
    if shared:
        blocks.append(KeyValues(((shared.label, shared.text.replace("\n", "; ")),)))
    blocks.append(
        Note(
            f"Scope: {c.sharing.label.lower()}. {PSEUDONYMS} This summary describes what the team "
            f"learned about pupils' learning and teaching; it does not evaluate any teacher. "
            f"{PROFESSIONAL}"
        )
    )
    return Report(
        title="Lesson study summary",
        subtitle=c.title,
        school_name=c.school_name,
        partnership_name=c.partnership_name,
        audience=_AUDIENCE[c.sharing],
        confidentiality=f"Shared with {c.sharing.label.lower()}. {PSEUDONYMS} No teacher is "
        f"graded. {PROFESSIONAL}",
        cover_facts=tuple(facts),
        blocks=tuple(blocks),
        generated_on=today or dt.date.today(),
        # Two pages at the type governors can read (11 pt): the title block heads the first,
        # with no cover page of its own.
        compact=True,
    )
