"""Lesson study in the core: a cycle's team, schools and case pupils, its research lessons (planned
stage by stage, carried forward from the lesson before), observers' notes, interviews and the
post-lesson discussion.

The app, the command line and scripts all come here, so they behave alike. Records are read and
written through the store; grids (predictions, success criteria and discussion per case pupil,
roles per team member, interview answers) through ``grid``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peerreview.choices import Choice
from peerreview.errors import FormError, ValidationError
from peerreview.forms import FormDefinition, FormLibrary, dynamic_prefix
from peerreview.lessonstudy import grid
from peerreview.lessonstudy.kinds import lesson_id, part_id, pupil_id
from peerreview.reports.model import long_date_of
from peerreview.sync.cascade import delete_record
from peerreview.sync.ids import derived_id
from peerreview.sync.records import Record
from peerreview.sync.store import Store

#: The proforma a new cycle uses unless the team chooses another.
DEFAULT_FORM = grid.DEFAULT_FORM
LETTERS = "ABCDEF"
MIN_PUPILS, MAX_PUPILS = 2, 6
MAX_LESSONS = 4
DEFAULT_STAGES = 5
#: Questions a team usually asks each case pupil straight after the lesson (editable).
DEFAULT_QUESTIONS = (
    "What did you learn in the lesson today?",
    "What helped you most? What was hard?",
    "If you taught this lesson, what would you change?",
)
TEAM_ROLES = ("Teacher", "Knowledgeable other", "Facilitator", "Teaching assistant")
SHARED_WAYS = (
    "Public research lesson",
    "Partnership meeting",
    "Staff meeting in our schools",
    "Written summary for the partnership",
    "Governors",
)
#: Photos larger than this are refused (a photo of a pupil's work is a few MB).
MAX_PHOTO_BYTES = 25 * 1024 * 1024
#: The section of a cycle's proforma that holds what the cycle led to (the Outcomes tab, the
#: reports' outcomes); its other sections are the cycle's overview.
OUTCOMES_SECTION = "outcomes"
#: The section of a research lesson's proforma the post-lesson discussion fills in.
DISCUSSION_SECTION = "discussion"


class Status(enum.Enum):
    """Where a cycle is."""

    PLANNING = "planning"
    RL1 = "rl1"
    RL2 = "rl2"
    RL3 = "rl3"
    RL4 = "rl4"
    DISCUSSION = "discussion"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        if self.value.startswith("rl"):
            return f"Research lesson {self.value[2:]}"
        return {
            Status.PLANNING: "Planning",
            Status.DISCUSSION: "Discussion and summary",
            Status.COMPLETE: "Complete",
        }[self]

    @classmethod
    def of(cls, cycle: Record) -> Status:
        try:
            return cls(cycle.get("status", cls.PLANNING.value))
        except ValueError:
            return cls.PLANNING

    @classmethod
    def lesson(cls, number: int) -> Status:
        return cls(f"rl{number}")


class Sharing(Choice):
    """Who the team shares its summary with (the workbook stays with the team and its schools)."""

    TEAM = "team", "The team only"
    SCHOOLS = "schools", "The schools taking part"
    PARTNERSHIP = "partnership", "The whole partnership"


class LessonRole(Choice):
    """What a team member does in one research lesson."""

    TEACHING = "teaching"
    OBSERVING = "observing"
    KNOWLEDGEABLE_OTHER = "knowledgeable_other"


class NoteType(Choice):
    """What an observer wrote down."""

    NOTE = "note"
    QUOTE = "quote"
    PHOTO = "photo"


def pupil_label(pupil: Record) -> str:
    """ "Pupil A": how a case pupil is named everywhere a record or report goes."""
    return f"Pupil {pupil.get('letter', '?')}"


def lesson_label(lesson: Record) -> str:
    return f"Research lesson {lesson.get('number', '?')}"


def note_type_label(note: Record) -> str:
    """ "Quote": what kind of observation note it is (a note when its type is unknown)."""
    return (NoteType.of(note.get("note_type")) or NoteType.NOTE).label


# ===================================================================== the proforma


@dataclass(frozen=True)
class Proforma:
    """A lesson-study form read for what it lays out: which fields each part of a cycle has."""

    form: FormDefinition

    @classmethod
    def of(cls, library: FormLibrary, cycle: Record) -> Proforma:
        """The form (version) the cycle was made with; the default when it names none."""
        form_id = cycle.get("form_id") or DEFAULT_FORM
        try:
            form = library.get(form_id, cycle.get("form_version"))
        except FormError:
            form = library.get(form_id)  # a version this laptop lacks: its newest, rather than none
        if form.kind != "cycle":
            raise ValidationError(f"The form {form_id!r} is not a lesson-study proforma.")
        return cls(form)

    def sections(
        self, kind: str, *, only: Sequence[str] = (), but: Sequence[str] = ()
    ) -> list[Any]:
        return [
            s for s in self.form.sections_of(kind) if (not only or s.id in only) and s.id not in but
        ]

    @property
    def stage_fields(self) -> list[Any]:
        """The columns of each stage, left of the case pupils' predictions."""
        return [f for s in self.form.sections_of("lesson_stage") for f in s.fields]


def proformas(library: FormLibrary) -> list[FormDefinition]:
    """The lesson-study forms installed, newest version of each, the default first."""
    forms = library.latest("cycle")
    return sorted(forms, key=lambda f: (f.id != DEFAULT_FORM, f.title))


def stored(store: Store, kind: str, form: FormDefinition, field_id: str) -> str:
    """The field a record of ``kind`` keeps a form's answer in."""
    return form.store_field(field_id, store.registry.kind(kind).by_name)


# ===================================================================== reading


def cycles_of_school(store: Store, school: str) -> list[Record]:
    """Cycles a school leads or takes part in, newest first."""
    ids = cycles_by_school(store, [school])[school]
    return [store.get(i) for i in ids]


def cycles_by_school(store: Store, schools: Sequence[str]) -> dict[str, list[str]]:
    """The ids of the cycles each school leads or takes part in, newest first: {school: ids}.

    One pass over the cycles and their schools for any number of schools (the navigator asks about
    every school of a regional partnership as it opens)."""
    wanted: dict[str, list[str]] = {s: [] for s in schools}
    if len(schools) == 1:
        parts = store.list("cycle_part", where={"school": schools[0]}, order_by="id")
        led = store.list("cycle", where={"school": schools[0]}, order_by="id")
        cycles = {c.id: c for c in led}
        for part in parts:
            cid = part.get("cycle")
            if cid and cid not in cycles and store.exists(cid):
                rec = store.get(cid)
                if not rec.deleted:
                    cycles[cid] = rec
    else:
        cycles = {c.id: c for c in store.list("cycle", order_by="id")}
        parts = store.list("cycle_part", order_by="id")
    found: dict[str, set[str]] = {s: set() for s in schools}
    for c in cycles.values():
        if c.get("school") in found:
            found[c["school"]].add(c.id)
    for part in parts:
        school, cid = part.get("school"), part.get("cycle")
        if school in found and cid in cycles:
            found[school].add(cid)
    for school, ids in found.items():
        wanted[school] = sorted(
            ids, key=lambda i: (cycles[i].get("start_date", ""), i), reverse=True
        )
    return wanted


def schools(store: Store, cycle: str) -> list[Record]:
    """The schools taking part (the lead school first)."""
    lead = store.get(cycle).get("school")
    ids = [r["school"] for r in store.list("cycle_part", where={"cycle": cycle}, order_by="id")]
    ordered = ([lead] if lead in ids or lead else []) + [i for i in ids if i != lead]
    return [store.get(i) for i in dict.fromkeys(ordered) if i and store.exists(i)]


def team(store: Store, cycle: str) -> list[Record]:
    return store.list("cycle_member", where={"cycle": cycle}, order_by="position")


def pupils(store: Store, cycle: str) -> list[Record]:
    return store.list("case_pupil", where={"cycle": cycle}, order_by="letter")


def lessons(store: Store, cycle: str) -> list[Record]:
    return store.list("research_lesson", where={"cycle": cycle}, order_by="number")


def stages(store: Store, lesson: str) -> list[Record]:
    return store.list("lesson_stage", where={"lesson": lesson}, order_by="position")


def questions(store: Store, lesson: str) -> list[Record]:
    return store.list("interview_question", where={"lesson": lesson}, order_by="position")


def observations(store: Store, lesson: str) -> list[Record]:
    """Every observer's notes on a research lesson, in time order (then as they were made)."""
    return store.list("observation", where={"lesson": lesson}, order_by="time")


def timeline(store: Store, lesson: str) -> dict[tuple[str, str], list[Record]]:
    """Each cell's notes, (stage, pupil) -> notes in time order: one timeline per cell, every
    observer's notes in it, whichever laptop they were written on."""
    out: dict[tuple[str, str], list[Record]] = {}
    for note in observations(store, lesson):
        out.setdefault((note.get("stage", ""), note.get("pupil", "")), []).append(note)
    return out


def previous_lesson(store: Store, lesson: Record) -> Record | None:
    """The research lesson before this one, if any."""
    number = lesson.get("number", 1)
    earlier = [r for r in lessons(store, lesson["cycle"]) if r.get("number", 0) < number]
    return earlier[-1] if earlier else None


def cycle_of(store: Store, record: Record) -> Record:
    """The cycle any lesson-study record belongs to."""
    current = record
    for _ in range(4):
        if current.kind == "cycle":
            return current
        parent = current.get("cycle") or current.get("lesson")
        if not parent:
            break
        current = store.get(parent)
    raise ValidationError("This record does not belong to a lesson-study cycle.")


def photos(store: Store, observation: str) -> list[Record]:
    return store.list("attachment", where={"owner": observation}, order_by="filename")


# ===================================================================== the cycle and its team


def create_cycle(
    store: Store,
    library: FormLibrary,
    school: str,
    *,
    title: str,
    form_id: str = DEFAULT_FORM,
    start_date: str | None = None,
    values: Mapping[str, Any] | None = None,
    pupils: int = 3,
    stages: int = DEFAULT_STAGES,
) -> str:
    """Start a cycle led by ``school``: its first research lesson, case pupils and stages ready.

    Args:
        title: a short name ("Reasoning about fractions, Year 5").
        form_id: the proforma; the cycle keeps its id and version for good.
        values: more of the cycle's fields (focus, subject, ...).
        pupils: how many case pupils to start with (2 to 6).
        stages: how many empty stages the first lesson's plan starts with.
    """
    if not title.strip():
        raise ValidationError("Give the cycle a short title, such as its subject and year group.")
    if store.kind_of(school) != store.registry.school_kind().name:
        raise ValidationError("Choose the school that leads the cycle.")
    if not MIN_PUPILS <= pupils <= MAX_PUPILS:
        raise ValidationError(f"A cycle has {MIN_PUPILS} to {MAX_PUPILS} case pupils.")
    form = library.get(form_id)
    if form.kind != "cycle":
        raise ValidationError(f"The form {form_id!r} is not a lesson-study proforma.")
    fields: dict[str, Any] = {
        "status": Status.PLANNING.value,
        "sharing": Sharing.SCHOOLS.value,
        **(values or {}),
        "school": school,
        "title": title.strip(),
        "start_date": start_date or dt.date.today().isoformat(),
    }
    with store.transaction():
        cid = store.create("cycle", fields, form=form.key)
        add_school(store, cycle=cid, school=school)
        for letter in LETTERS[:pupils]:
            store.create("case_pupil", {"cycle": cid, "letter": letter}, form=form.key)
        first_lesson(store, cid, stages=stages)
    return cid


def add_school(store: Store, *, cycle: str, school: str) -> str:
    """A school takes part (again, if it had been taken off)."""
    rid = part_id(cycle, school)
    if store.exists(rid):
        if store.get(rid).deleted:
            store.restore(rid)
        return rid
    return store.create("cycle_part", {"cycle": cycle, "school": school}, record_id=rid)


def remove_school(store: Store, *, cycle: str, school: str) -> None:
    if store.get(cycle).get("school") == school:
        raise ValidationError("The lead school always takes part; choose another lead first.")
    rid = part_id(cycle, school)
    if store.exists(rid) and not store.get(rid).deleted:
        store.delete(rid)


def add_member(
    store: Store,
    cycle: str,
    *,
    name: str = "",
    person: str | None = None,
    school: str | None = None,
    role: str = "Teacher",
) -> str:
    """Add someone to the team (a person of the partnership, or a name: a university tutor)."""
    if person is not None:
        p = store.get(person)
        name = name or p.get("name", "")
        school = school or p.get("school")
    if not name.strip():
        raise ValidationError("Give the team member's name.")
    position = max((m.get("position", 0) for m in team(store, cycle)), default=0) + 1
    values: dict[str, Any] = {
        "cycle": cycle,
        "name": name.strip(),
        "role": role,
        "position": position,
        "person": person,
        "school": school,
    }
    with store.transaction():
        rid = store.create("cycle_member", values)
        if school:
            add_school(store, cycle=cycle, school=school)
    return rid


def add_pupil(store: Store, cycle: str) -> str:
    """Add the next case pupil (Pupil D, E, F)."""
    have = {p.get("letter") for p in pupils(store, cycle)}
    free = [letter for letter in LETTERS if letter not in have]
    if len(have) >= MAX_PUPILS or not free:
        raise ValidationError(f"A cycle has at most {MAX_PUPILS} case pupils.")
    rid = pupil_id(cycle, free[0])
    if store.exists(rid):
        store.restore(rid)
        return rid
    c = store.get(cycle)
    form = (c["form_id"], c["form_version"]) if c.get("form_id") else None
    return store.create("case_pupil", {"cycle": cycle, "letter": free[0]}, form=form)


def remove_pupil(store: Store, pupil: str) -> None:
    """Take a case pupil out (with their notes); Undo or restore brings them back."""
    p = store.get(pupil)
    if len(pupils(store, p["cycle"])) <= MIN_PUPILS:
        raise ValidationError(f"A cycle needs at least {MIN_PUPILS} case pupils.")
    delete_record(store, pupil)


def set_real_name(store: Store, pupil: str, name: str) -> None:
    """Keep a case pupil's real name on this laptop only (never shared; "" forgets it)."""
    store.set_local_field(pupil, "real_name", name.strip() or None)


def real_names(store: Store, pupil_ids: Sequence[str]) -> dict[str, str]:
    """The real names this laptop keeps, by pupil id (shown only here, and never in privacy
    mode)."""
    return {k: str(v) for k, v in store.local_fields(pupil_ids, "real_name").items()}


# ===================================================================== research lessons


def _form_of(store: Store, cycle: str) -> tuple[str, int] | None:
    c = store.get(cycle)
    return (c["form_id"], c["form_version"]) if c.get("form_id") else None


def first_lesson(store: Store, cycle: str, *, stages: int = DEFAULT_STAGES) -> str:
    """Research lesson 1 with empty stages and the usual interview questions."""
    rid = lesson_id(cycle, 1)
    if store.exists(rid):
        if store.get(rid).deleted:
            store.restore(rid)
        return rid
    form = _form_of(store, cycle)
    with store.transaction():
        store.create("research_lesson", {"cycle": cycle, "number": 1}, form=form, record_id=rid)
        for n in range(1, stages + 1):
            store.create(
                "lesson_stage",
                {"lesson": rid, "position": n},
                form=form,
                record_id=derived_id("lesson_stage", rid, str(n)),
            )
        for n, text in enumerate(DEFAULT_QUESTIONS, start=1):
            store.create(
                "interview_question",
                {"lesson": rid, "position": n, "text": text},
                record_id=derived_id("interview_question", rid, str(n)),
            )
    return rid


#: What a research lesson's plan carries forward to the next (besides its stages and questions).
_CARRIED = ("class_name", "objective", "success_criteria")


def next_lesson(store: Store, cycle: str) -> str:
    """Start the next research lesson, pre-filled from the one before.

    Its stages (every column), objective, success criteria and interview questions are copied;
    the lesson before's "what we will change" is shown beside the new plan. Two laptops starting
    it at once make the same lesson (its id and those of its stages are derived), so their copies
    merge without a conflict.
    """
    done = lessons(store, cycle)
    if not done:
        return first_lesson(store, cycle)
    last = done[-1]
    number = last.get("number", len(done)) + 1
    if number > MAX_LESSONS:
        raise ValidationError(f"A cycle has at most {MAX_LESSONS} research lessons.")
    rid = lesson_id(cycle, number)
    if store.exists(rid):
        store.restore(rid)
        return rid
    values: dict[str, Any] = {"cycle": cycle, "number": number}
    values.update({k: last[k] for k in _CARRIED if last.get(k)})
    # The form's own answers and each pupil's success criteria; not the predictions, interview
    # answers, evidence or roles, which belong to the lesson they were written for.
    c = store.get(cycle)
    kept = grid.name(c, grid.CRITERIA) + "."
    prefix = dynamic_prefix(grid.form_id_of(c)) + "."
    values.update(
        {
            k: v
            for k, v in last.values.items()
            if v not in (None, "")
            and (k.startswith(kept) or (k.startswith(prefix) and k.count(".") == 1))
        }
    )
    form = _form_of(store, cycle)
    with store.transaction():
        store.create("research_lesson", values, form=form, record_id=rid)
        for stage in stages(store, last.id):
            copied = {
                k: v
                for k, v in stage.values.items()
                if k not in ("lesson", "form_id", "form_version") and v not in (None, "")
            }
            copied["lesson"] = rid
            store.create(
                "lesson_stage",
                copied,
                form=form,
                record_id=derived_id("lesson_stage", rid, stage.id),
            )
        for q in questions(store, last.id):
            store.create(
                "interview_question",
                {"lesson": rid, "position": q.get("position", 0), "text": q.get("text", "")},
                record_id=derived_id("interview_question", rid, q.id),
            )
        if _status_rank(Status.of(c)) < _status_rank(Status.lesson(number)):
            store.update(cycle, {"status": Status.lesson(number).value})
    return rid


def _status_rank(status: Status) -> int:
    return list(Status).index(status)


def add_stage(store: Store, lesson: str, *, after: str | None = None, title: str = "") -> str:
    """A new stage at the end of the plan, or just after ``after`` (those below move down)."""
    current = stages(store, lesson)
    with store.transaction():
        if after is None:
            position = max((s.get("position", 0) for s in current), default=0) + 1
        else:
            index = next(i for i, s in enumerate(current) if s.id == after)
            position = current[index].get("position", index + 1) + 1
            for s in current[index + 1 :]:
                store.update(s.id, {"position": s.get("position", 0) + 1})
        values: dict[str, Any] = {"lesson": lesson, "position": position, "title": title}
        cycle = store.get(lesson)["cycle"]
        return store.create("lesson_stage", values, form=_form_of(store, cycle))


def move_stage(store: Store, stage: str, offset: int) -> None:
    """Move a stage up (-1) or down (+1) the plan."""
    s = store.get(stage)
    current = stages(store, s["lesson"])
    index = next(i for i, r in enumerate(current) if r.id == stage)
    other = index + offset
    if not 0 <= other < len(current):
        return
    order = [r.id for r in current]
    order[index], order[other] = order[other], order[index]
    with store.transaction():
        for position, rid in enumerate(order, start=1):
            store.update(rid, {"position": position})


def remove_stage(store: Store, stage: str) -> None:
    """Delete a stage with its notes and renumber the rest (Undo brings it back)."""
    s = store.get(stage)
    with store.transaction():
        delete_record(store, stage)
        for position, rest in enumerate(stages(store, s["lesson"]), start=1):
            store.update(rest.id, {"position": position})


def set_prediction(store: Store, lesson: str, stage: str, pupil: str, text: str) -> None:
    """One cell of the prediction grid (stage, case pupil)."""
    grid.write(store, lesson, grid.PREDICTIONS, {(stage, pupil): text})


def set_criteria(store: Store, lesson: str, pupil: str, text: str) -> None:
    grid.write(store, lesson, grid.CRITERIA, {(grid.CRITERIA_ROW, pupil): text})


def set_evidence(store: Store, lesson: str, pupil: str, text: str) -> None:
    """The discussion's evidence on one case pupil, against the prediction."""
    grid.write(store, lesson, grid.EVIDENCE, {(grid.EVIDENCE_ROW, pupil): text})


def set_role(store: Store, lesson: str, member: str, role: LessonRole | None) -> None:
    grid.write(store, lesson, grid.ROLES, {(grid.ROLE_ROW, member): role.value if role else None})


def roles(store: Store, lesson: Record) -> dict[str, LessonRole]:
    """Each team member's role in a lesson (members with none are not listed)."""
    return {
        member: role
        for (_row, member), text in grid.texts(store, lesson, grid.ROLES).items()
        if (role := LessonRole.of(text)) is not None
    }


# ===================================================================== observation


def add_note(
    store: Store,
    lesson: str,
    stage: str,
    pupil: str,
    note: str,
    *,
    observer: str | None = None,
    note_type: NoteType = NoteType.NOTE,
    at: dt.datetime | None = None,
) -> str:
    """One observer's note on one case pupil at one stage: a record of its own, time-stamped and
    named, so notes from several laptops merge into one timeline per cell without a conflict."""
    les = store.get(lesson)
    st, pu = store.get(stage), store.get(pupil)
    if st.get("lesson") != lesson or pu.get("cycle") != les.get("cycle"):
        raise ValidationError("That stage or case pupil is not part of this research lesson.")
    name = store.device.author
    if observer is not None:
        member = store.get(observer)
        if member.get("cycle") != les.get("cycle"):
            raise ValidationError("The observer is not in this cycle's team.")
        name = member.get("name", name)
    when = at or dt.datetime.now()
    return store.create(
        "observation",
        {
            "lesson": lesson,
            "stage": stage,
            "pupil": pupil,
            "observer": observer,
            "observer_name": name,
            "time": when.isoformat(timespec="seconds"),
            "note_type": note_type.value,
            "note": note.strip(),
        },
    )


_IMAGE_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),
    (b"BM", 0, "image/bmp"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def image_type(data: bytes) -> str | None:
    """The media type of a photo from its first bytes, or None when it is not an image."""
    for signature, offset, media in _IMAGE_SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            if media == "image/webp" and data[:4] != b"RIFF":
                continue
            return media
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "image/avif" if data[8:12] == b"avif" else "image/heic"
    return None


def add_photo(
    store: Store,
    lesson: str,
    stage: str,
    pupil: str,
    data: bytes,
    filename: str,
    *,
    observer: str | None = None,
    caption: str = "",
    at: dt.datetime | None = None,
) -> str:
    """A photo of a case pupil's work at a stage: a note of type photo holding the image.

    Raises:
        ValidationError: the file is not an image, or is too large (nothing is added).
    """
    media = image_type(data)
    if media is None:
        raise ValidationError(
            f"{filename} is not a photo (PNG, JPEG, GIF, WebP, HEIC or TIFF). "
            "Take a photo of the pupil's work and drag that in. Nothing was added."
        )
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(
            f"{filename} is larger than 25 MB. Use a smaller photo. Nothing was added."
        )
    with store.transaction():
        note = add_note(
            store,
            lesson,
            stage,
            pupil,
            caption or filename,
            observer=observer,
            note_type=NoteType.PHOTO,
            at=at,
        )
        store.add_attachment(note, data, filename=filename, media_type=media, caption=caption)
    return note


def observer_for(store: Store, cycle: str, author: str) -> Record | None:
    """The team member this laptop's user is (matched by name), if any."""
    wanted = " ".join(author.split()).casefold()
    for member in team(store, cycle):
        if " ".join(str(member.get("name", "")).split()).casefold() == wanted:
            return member
    return None


# ===================================================================== interviews


def add_question(store: Store, lesson: str, text: str = "") -> str:
    position = max((q.get("position", 0) for q in questions(store, lesson)), default=0) + 1
    values: dict[str, Any] = {"lesson": lesson, "position": position}
    if text.strip():
        values["text"] = text.strip()
    return store.create("interview_question", values)


def set_answer(store: Store, lesson: str, question: str, pupil: str, text: str) -> None:
    grid.write(store, lesson, grid.ANSWERS, {(question, pupil): text})


# ===================================================================== rules on every edit


def check_lesson(
    store: Store, kind: str, record_id: str, current: Mapping[str, Any], edits: Mapping[str, Any]
) -> None:
    """A research lesson is numbered 1 to 4 and is not dated before its cycle starts."""
    number = edits.get("number", current.get("number"))
    if "number" in edits and number is not None and not 1 <= number <= MAX_LESSONS:
        raise ValidationError(f"Research lessons are numbered 1 to {MAX_LESSONS}.")
    date = edits.get("date")
    cycle = edits.get("cycle", current.get("cycle"))
    if not date or not cycle or not store.exists(cycle):
        return
    start = store.get(cycle).get("start_date")
    if start and date < start:
        raise ValidationError(
            f"Research lesson {number or ''} cannot be on {long_date_of(date)}: the cycle starts "
            f"on {long_date_of(start)}. Check the date, or move the cycle's start. Nothing was "
            "changed."
        )


def check_cycle(
    store: Store, kind: str, record_id: str, current: Mapping[str, Any], edits: Mapping[str, Any]
) -> None:
    """A cycle is at a known stage, and does not start after one of its research lessons."""
    status = edits.get("status")
    if status is not None:
        try:
            Status(status)
        except ValueError:
            raise ValidationError(f"{status!r} is not a stage of a lesson-study cycle.") from None
    start = edits.get("start_date")
    if not start or not current:
        return
    for lesson in lessons(store, record_id):
        date = lesson.get("date")
        if date and date < start:
            raise ValidationError(
                f"The cycle cannot start on {long_date_of(start)}: "
                f"{lesson_label(lesson).lower()} was on {long_date_of(date)}. Check the date. "
                "Nothing was changed."
            )


def check_pupil(
    store: Store, kind: str, record_id: str, current: Mapping[str, Any], edits: Mapping[str, Any]
) -> None:
    letter = edits.get("letter")
    if letter is not None and (len(letter) != 1 or letter not in LETTERS):
        raise ValidationError(f"Case pupils are Pupil A to Pupil {LETTERS[-1]}.")
