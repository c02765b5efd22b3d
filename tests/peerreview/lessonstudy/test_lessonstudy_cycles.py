"""Lesson study in the core: a whole cycle through the API, carry-forward, rules and bad input."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from lessonstudy_fixtures import Cycle, exchange, make_cycle, new_store

from peerreview.errors import ValidationError
from peerreview.form_library import copy_form
from peerreview.forms import FormLibrary, forms_dir, load_forms
from peerreview.lessonstudy import cycles as cy
from peerreview.lessonstudy import grid
from peerreview.lessonstudy.kinds import lesson_id
from peerreview.lessonstudy.report import read_cycle
from peerreview.review.demo_photos import sheet_png
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.cascade import delete_record, restore_record
from peerreview.sync.check import check
from peerreview.sync.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = new_store(tmp_path, "Asha")
    yield s
    s.close()


@pytest.fixture
def cycle(store: Store, library: FormLibrary) -> Cycle:
    return make_cycle(store, library)


def test_a_new_cycle_is_ready_to_plan(cycle: Cycle, library: FormLibrary) -> None:
    s = cycle.store
    c = s.get(cycle.id)
    assert (c["form_id"], c["form_version"]) == ("lesson-study-dudley", 1)
    assert cy.Status.of(c) is cy.Status.PLANNING
    assert [cy.pupil_label(p) for p in cy.pupils(s, cycle.id)] == ["Pupil A", "Pupil B", "Pupil C"]
    assert len(cycle.stages) == cy.DEFAULT_STAGES
    assert [q["text"] for q in cy.questions(s, cycle.lesson)] == list(cy.DEFAULT_QUESTIONS)
    # The team's schools take part, the lead first; the cycle appears under each of them.
    assert [r.title for r in cy.schools(s, cycle.id)] == [
        "Stoneleigh Junior School",
        "Allesley Primary School",
    ]
    folder = next(f for f in s.registry.folders_under("school") if f.kind == "cycle")
    assert folder.members is not None
    assert folder.members(s, [cycle.lead, cycle.partner]) == {
        cycle.lead: [cycle.id],
        cycle.partner: [cycle.id],
    }
    assert folder.members(s, [cycle.partner]) == {cycle.partner: [cycle.id]}
    assert s.registry.describe(s, c).title.startswith("Lesson study: Reasoning about fractions")


def test_a_cycles_parts_name_its_school_first(cycle: Cycle) -> None:
    # Cycles in a partnership often share a focus: "Research lesson 1" in a search or an
    # evidence list says whose it is.
    s = cycle.store
    where = "Stoneleigh Junior School · Lesson study: Reasoning about fractions"
    for rid in (cycle.lesson, cycle.pupils[0], cycle.stages[0], cycle.members[0]):
        assert s.registry.describe(s, s.get(rid)).context.startswith(where)


def test_a_whole_cycle_through_the_api(cycle: Cycle, library: FormLibrary) -> None:
    s = cycle.store
    lesson, (a, b, c_pupil) = cycle.lesson, cycle.pupils
    teacher, observer, ko = cycle.members
    s.update(lesson, {"date": "2026-03-10", "objective": "To find a fraction of an amount."})
    s.update(cycle.stages[0], {"title": "Hook", "timing": "5 minutes", "activity": "Cupcakes."})
    cy.set_role(s, lesson, teacher, cy.LessonRole.TEACHING)
    cy.set_role(s, lesson, observer, cy.LessonRole.OBSERVING)
    cy.set_role(s, lesson, ko, cy.LessonRole.KNOWLEDGEABLE_OTHER)
    for pupil, text in zip(cycle.pupils, ("Says 6.", "Counts on fingers.", "Waits."), strict=True):
        cy.set_prediction(s, lesson, cycle.stages[0], pupil, text)
    cy.set_criteria(s, lesson, a, "Explains the bar to a partner.")
    at = dt.datetime(2026, 3, 10, 9, 12)
    cy.add_note(s, lesson, cycle.stages[0], b, "Drew a bar.", observer=observer, at=at)
    cy.add_note(
        s,
        lesson,
        cycle.stages[0],
        b,
        "The whole is 24!",
        observer=ko,
        note_type=cy.NoteType.QUOTE,
        at=at - dt.timedelta(minutes=1),
    )
    photo = cy.add_photo(s, lesson, cycle.stages[1], c_pupil, sheet_png(_rng()), "work.png")
    assert s.list("attachment", where={"owner": photo})[0]["media_type"] == "image/png"
    question = cy.questions(s, lesson)[0].id
    cy.set_answer(s, lesson, question, a, "How to use a bar.")
    cy.set_evidence(s, lesson, b, "Better than predicted.")
    s.update(lesson, {"final_comments": "Keep asking what the whole is.", "next_changes": "More"})

    # One timeline per cell: every observer's notes, in time order, beside the prediction.
    cell = cy.timeline(s, lesson)[(cycle.stages[0], b)]
    assert [n["note"] for n in cell] == ["The whole is 24!", "Drew a bar."]
    assert [n["observer_name"] for n in cell] == ["Dr Ruth Ahmed", "Ben Jones"]
    predictions = grid.texts(s, s.get(lesson), grid.PREDICTIONS)
    assert predictions[(cycle.stages[0], b)] == "Counts on fingers."
    # Kept as one field per cell, named after the cycle's proforma.
    assert s.get(lesson)[f"lesson_study_dudley.predictions.{cycle.stages[0]}.{b}"]

    rl2 = cy.next_lesson(s, cycle.id)
    s.update(cycle.id, {"learned_pupils": "They reason once drawing is easy.", "others_try": "X"})
    s.set(cycle.id, "status", cy.Status.COMPLETE.value)
    content = read_cycle(s, library, cycle.id)
    assert [lesson.number for lesson in content.lessons] == [1, 2]
    first = content.lessons[0]
    assert first.stages[0].predictions == ("Says 6.", "Counts on fingers.", "Waits.")
    assert [n.observer for n in first.stages[0].notes[1]] == ["Dr Ruth Ahmed", "Ben Jones"]
    assert dict(first.roles)["Teaching"] == "Asha Patel"
    assert first.interview[0][1][0] == "How to use a bar."
    assert content.lessons[1].change_before == "More"
    assert s.get(rl2)["number"] == 2
    assert check(s) == []


def test_research_lesson_2_starts_from_lesson_1(cycle: Cycle) -> None:
    s = cycle.store
    rl1 = cycle.lesson
    s.update(rl1, {"objective": "To reason with bar models.", "success_criteria": "I can draw."})
    s.update(cycle.stages[2], {"title": "Paired practice", "activity": "Four problems."})
    s.update(rl1, {"next_changes": "Squared paper for everyone."})
    cy.set_criteria(s, rl1, cycle.pupils[0], "Explains.")
    cy.set_prediction(s, rl1, cycle.stages[2], cycle.pupils[1], "Stops drawing.")

    rl2 = cy.next_lesson(s, cycle.id)
    lesson = s.get(rl2)
    assert lesson["objective"] == "To reason with bar models."
    assert lesson["success_criteria"] == "I can draw."
    assert grid.texts(s, lesson, grid.CRITERIA) == {
        (grid.CRITERIA_ROW, cycle.pupils[0]): "Explains."
    }
    stages = cy.stages(s, rl2)
    assert [st.get("title", "") for st in stages][2] == "Paired practice"
    assert stages[2]["activity"] == "Four problems."
    # Predictions are the team's to make again; "what we will change" is shown beside the grid.
    assert grid.texts(s, lesson, grid.PREDICTIONS) == {}
    before = cy.previous_lesson(s, lesson)
    assert before is not None and before["next_changes"] == "Squared paper for everyone."
    assert cy.Status.of(s.get(cycle.id)) is cy.Status.RL2
    # Then RL3 and RL4 (each from the one before); a fifth research lesson is refused.
    assert cy.next_lesson(s, cycle.id) == lesson_id(cycle.id, 3)
    assert cy.stages(s, lesson_id(cycle.id, 3))[2]["activity"] == "Four problems."
    cy.next_lesson(s, cycle.id)
    with pytest.raises(ValidationError, match="at most 4"):
        cy.next_lesson(s, cycle.id)


def test_two_laptops_starting_rl2_at_once_make_one_lesson(cycle: Cycle, tmp_path: Path) -> None:
    s = cycle.store
    s.update(cycle.stages[0], {"title": "Hook"})
    other = new_store(tmp_path, "Ben", partnership=s.partnership_id)
    exchange(s, other, tmp_path, "to-ben")
    mine, theirs = cy.next_lesson(s, cycle.id), cy.next_lesson(other, cycle.id)
    assert mine == theirs
    exchange(other, s, tmp_path, "to-asha")
    assert s.conflict_count() == 0
    assert len(cy.lessons(s, cycle.id)) == 2
    assert len(cy.stages(s, mine)) == cy.DEFAULT_STAGES
    other.close()


def test_case_pupils_two_to_six(cycle: Cycle) -> None:
    s = cycle.store
    d = cy.add_pupil(s, cycle.id)
    assert cy.pupil_label(s.get(d)) == "Pupil D"
    cy.add_pupil(s, cycle.id)
    cy.add_pupil(s, cycle.id)
    with pytest.raises(ValidationError, match="at most 6"):
        cy.add_pupil(s, cycle.id)
    for pupil in cy.pupils(s, cycle.id)[2:]:
        cy.remove_pupil(s, pupil.id)
    with pytest.raises(ValidationError, match="at least 2"):
        cy.remove_pupil(s, cycle.pupils[0])
    # A pupil taken out comes back under the same pseudonym, with their notes.
    again = cy.add_pupil(s, cycle.id)
    assert again == cycle.pupils[2]


def test_stages_added_moved_and_removed(cycle: Cycle) -> None:
    s = cycle.store
    s.update(cycle.stages[0], {"title": "One"})
    s.update(cycle.stages[1], {"title": "Two"})
    new = cy.add_stage(s, cycle.lesson, after=cycle.stages[0], title="Inserted")
    assert [st.get("title", "") for st in cy.stages(s, cycle.lesson)][:3] == [
        "One",
        "Inserted",
        "Two",
    ]
    cy.move_stage(s, new, -1)
    assert cy.stages(s, cycle.lesson)[0].id == new
    cy.add_note(s, cycle.lesson, new, cycle.pupils[0], "A note.")
    cy.remove_stage(s, new)
    assert [st["position"] for st in cy.stages(s, cycle.lesson)] == [1, 2, 3, 4, 5]
    assert cy.observations(s, cycle.lesson) == []  # the stage's notes went with it


def test_a_cycle_deleted_takes_everything_and_restore_brings_it_back(cycle: Cycle) -> None:
    s = cycle.store
    cy.add_note(s, cycle.lesson, cycle.stages[0], cycle.pupils[0], "A note.")
    taken = delete_record(s, cycle.id)
    kinds = {k for _, k in taken}
    assert {"case_pupil", "research_lesson", "lesson_stage", "observation", "cycle_member"} <= kinds
    assert cy.cycles_of_school(s, cycle.partner) == []
    restore_record(s, cycle.id)
    assert len(cy.observations(s, cycle.lesson)) == 1


def test_an_export_of_a_partner_school_carries_the_whole_cycle(
    cycle: Cycle, tmp_path: Path
) -> None:
    s = cycle.store
    cy.set_prediction(s, cycle.lesson, cycle.stages[0], cycle.pupils[0], "Predicted.")
    cy.add_note(s, cycle.lesson, cycle.stages[0], cycle.pupils[0], "Seen.")
    other = new_store(tmp_path, "Ben", partnership=s.partnership_id)
    path = tmp_path / "allesley.prbundle"
    export_bundle(
        s, path, school_urns=[103701], full=True, plain=True
    )  # the partner school, not the lead
    import_bundle(other, path)
    assert [c.id for c in cy.cycles_of_school(other, cycle.partner)] == [cycle.id]
    assert len(cy.observations(other, cycle.lesson)) == 1
    assert grid.texts(other, other.get(cycle.lesson), grid.PREDICTIONS)
    other.close()


# ===================================================================== bad input


def test_a_lesson_dated_before_its_cycle_is_refused_and_nothing_changes(cycle: Cycle) -> None:
    s = cycle.store
    before = s.change_count()
    with pytest.raises(ValidationError) as caught:
        s.update(cycle.lesson, {"date": "2026-02-27"})
    assert caught.value.message == (
        "Research lesson 1 cannot be on 27 February 2026: the cycle starts on 2 March 2026. "
        "Check the date, or move the cycle's start. Nothing was changed."
    )
    assert s.change_count() == before
    s.update(cycle.lesson, {"date": "2026-03-10"})
    with pytest.raises(ValidationError, match="cannot start on 11 March 2026"):
        s.update(cycle.id, {"start_date": "2026-03-11"})
    assert s.get(cycle.id)["start_date"] == "2026-03-02"


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_changes(cycle: Cycle) -> None:
    s = cycle.store
    before = s.change_count()
    with pytest.raises(ValidationError) as caught:
        cy.add_photo(
            s, cycle.lesson, cycle.stages[0], cycle.pupils[0], b"%PDF-1.7 not a photo", "x.pdf"
        )
    assert caught.value.message.startswith("x.pdf is not a photo")
    assert caught.value.message.endswith("Nothing was added.")
    assert s.change_count() == before
    assert cy.image_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert cy.image_type(b"\x00\x00\x00\x18ftypheic....") == "image/heic"


def test_a_note_on_another_cycles_pupil_is_refused(cycle: Cycle, library: FormLibrary) -> None:
    s = cycle.store
    other = cy.create_cycle(s, library, cycle.lead, title="Another")
    stranger = cy.pupils(s, other)[0].id
    with pytest.raises(ValidationError, match="not part of this research lesson"):
        cy.add_note(s, cycle.lesson, cycle.stages[0], stranger, "Wrong pupil.")


# ===================================================================== forms


def test_both_proformas_lay_out_a_cycle(library: FormLibrary) -> None:
    forms = {f.id: f for f in cy.proformas(library)}
    assert list(forms) == ["lesson-study-dudley", "lesson-study-research-plan"]
    dudley = cy.Proforma(forms["lesson-study-dudley"])
    plan = cy.Proforma(forms["lesson-study-research-plan"])
    assert [f.label for f in dudley.stage_fields] == [
        "Stage",
        "Timing",
        "Learning activity and key questions",
    ]
    assert [f.label for f in plan.stage_fields][2:] == [
        "Learning activities and key questions",
        "Anticipated pupil responses",
        "Teacher support",
        "Points to evaluate",
    ]
    assert [s.title for s in plan.sections("cycle")][:2] == ["Research theme", "The unit"]


def test_forms_copy_works_on_a_proforma_and_cycles_keep_their_version(
    tmp_path: Path, store: Store
) -> None:
    own = tmp_path / "forms"
    path = copy_form("lesson-study-dudley", "our-lesson-study", folder=own)
    text = path.read_text(encoding="utf-8")
    # The partnership adds a stage column in version 2 of its copy; version 1 stays.
    (own / "our-lesson-study-v2.toml").write_text(
        text.replace("version = 1", "version = 2", 1)
        + '\n[[section]]\nid = "extra"\ntitle = "Resources"\nrecord = "lesson_stage"\n\n'
        '[[section.field]]\nid = "resources"\nlabel = "Resources"\ntype = "text"\n',
        encoding="utf-8",
    )
    library = load_forms(forms_dir(), own)
    school = store.create("school", {"name": "Stoneleigh Junior School"})
    old = cy.create_cycle(store, library, school, title="Old", form_id="our-lesson-study")
    store.update(old, {"form_version": 1})
    new = cy.create_cycle(store, library, school, title="New", form_id="our-lesson-study")
    assert store.get(new)["form_version"] == 2
    old_form = cy.Proforma.of(library, store.get(old))
    new_form = cy.Proforma.of(library, store.get(new))
    assert old_form.form.version == 1 and "Resources" not in [
        f.label for f in old_form.stage_fields
    ]
    assert [f.label for f in new_form.stage_fields][-1] == "Resources"
    # The new column's answers are kept as the form's own field of each stage.
    stage = cy.stages(store, cy.lessons(store, new)[0].id)[0].id
    field = cy.stored(store, "lesson_stage", new_form.form, "resources")
    assert field == "our_lesson_study.resources"
    store.update(stage, {field: "Squared paper"})
    assert store.get(stage)[field] == "Squared paper"


def _rng() -> random.Random:
    return random.Random(3)
