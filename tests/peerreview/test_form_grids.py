"""A form declares a grid: rows and columns listed in the form or records of the store, laid out
for one record (the stages of a lesson down, the case pupils of its cycle across)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerreview.errors import FormError
from peerreview.features import default_registry
from peerreview.form_grids import (
    grid_fields,
    grid_layout,
    grid_name,
    read_form_grid,
    watched_kinds,
)
from peerreview.forms import FieldType, FormDefinition, GridItem, GridRecords
from peerreview.sync.grids import write_cells
from peerreview.sync.kinds import FieldSpec, Kind
from peerreview.sync.kinds import FieldType as T
from peerreview.sync.registry import Feature, Registry
from peerreview.sync.schema import CreateIndex, CreateKindTable, Migration, integer, text
from peerreview.sync.store import Store

# A small lesson-study-like feature of the test's own (kind names no real feature uses).
CYCLE = Kind("trial_cycle", "trial cycle", (FieldSpec("name", T.TEXT),))
LESSON = Kind(
    "trial_lesson",
    "trial lesson",
    (FieldSpec("cycle", T.REF, ref_kind="trial_cycle"), FieldSpec("title", T.TEXT)),
    dynamic=True,
    indexes=("cycle",),
)
STAGE = Kind(
    "trial_stage",
    "trial stage",
    (
        FieldSpec("lesson", T.REF, ref_kind="trial_lesson"),
        FieldSpec("title", T.TEXT),
        FieldSpec("position", T.INTEGER),
    ),
    indexes=("lesson",),
)
PUPIL = Kind(
    "trial_pupil",
    "trial pupil",
    (
        FieldSpec("cycle", T.REF, ref_kind="trial_cycle"),
        FieldSpec("name", T.TEXT),
        FieldSpec("real_name", T.TEXT, personal=True),
    ),
    indexes=("cycle",),
)
TRIAL = Feature(
    name="trial_lessons",
    title="Trial lessons",
    kinds=(CYCLE, LESSON, STAGE, PUPIL),
    migrations=(
        Migration(
            "Trial lesson kinds",
            (
                CreateKindTable("trial_cycle", text("name")),
                CreateKindTable("trial_lesson", text("cycle", "title")),
                CreateKindTable("trial_stage", (*text("lesson", "title"), *integer("position"))),
                CreateKindTable("trial_pupil", text("cycle", "name", "real_name")),
                CreateIndex("trial_lesson", ("cycle",)),
                CreateIndex("trial_stage", ("lesson",)),
                CreateIndex("trial_pupil", ("cycle",)),
            ),
        ),
    ),
)

PLAN = """\
[form]
id = "trial-plan"
version = 1
title = "Research lesson plan"
kind = "trial_lesson"

[[section]]
id = "plan"
title = "The lesson"

[[section.field]]
id = "title"
label = "Title"
type = "text"

[[section.field]]
id = "predictions"
label = "Predicted responses"
type = "grid"
help = "What each case pupil will do at each stage."
rows = { kind = "trial_stage", link = "lesson", label = "title", order = "position" }
columns = { kind = "trial_pupil", link = "cycle", of = "cycle", label = "name" }

[[section.field]]
id = "checks"
label = "Success criteria met"
type = "grid"
rows = [{ id = "before", label = "Before the lesson" }, { id = "after", label = "After it" }]
columns = { kind = "trial_pupil", link = "cycle", of = "cycle", label = "real_name" }
"""


@pytest.fixture
def store(tmp_path: Path) -> Store:
    registry = Registry((*default_registry().features, TRIAL))
    return Store.init(
        tmp_path / "trial.db", device_name="Laptop", partnership_name="P", registry=registry
    )


def test_a_grid_field_is_read_from_toml() -> None:
    form = FormDefinition.from_toml(PLAN, source="plan.toml")
    predictions, checks = grid_fields(form)
    assert predictions.type is FieldType.GRID and predictions.help
    assert predictions.grid is not None and checks.grid is not None
    assert predictions.grid.rows.records == GridRecords(
        "trial_stage", "lesson", "id", "title", "position"
    )
    assert predictions.grid.columns.records == GridRecords(
        "trial_pupil", "cycle", "cycle", "name", ""
    )
    assert checks.grid.rows.items == (
        GridItem("before", "Before the lesson"),
        GridItem("after", "After it"),
    )
    assert grid_name(form, predictions) == "trial_plan.predictions"
    assert watched_kinds(predictions) == {"trial_stage", "trial_pupil"}
    assert watched_kinds(checks) == {"trial_pupil"}
    assert watched_kinds(form.field("title")) == frozenset()


def test_rows_are_stages_and_columns_are_pupils_keyed_by_record_id(store: Store) -> None:
    form = FormDefinition.from_toml(PLAN, source="plan.toml")
    field = form.field("predictions")
    cycle = store.create("trial_cycle", {"name": "Fractions, Year 4"})
    lesson = store.create("trial_lesson", {"cycle": cycle, "title": "RL1"}, form=form.key)
    other_lesson = store.create("trial_lesson", {"cycle": cycle, "title": "RL2"})
    stages = [
        store.create("trial_stage", {"lesson": lesson, "title": title, "position": pos})
        for title, pos in (("Main task", 2), ("Starter", 1), ("Plenary", 10))
    ]
    store.create("trial_stage", {"lesson": other_lesson, "title": "Not this lesson's"})
    pupils = [
        store.create("trial_pupil", {"cycle": cycle, "name": name, "real_name": real})
        for name, real in (("Pupil A", "Asha"), ("Pupil B", "Ben"))
    ]
    layout = grid_layout(store, lesson, form, field)
    assert [r.label for r in layout.rows] == ["Starter", "Main task", "Plenary"]
    assert [c.label for c in layout.columns] == ["Pupil A", "Pupil B"]
    assert [r.id for r in layout.rows] == [stages[1], stages[0], stages[2]]
    assert [c.id for c in layout.columns] == pupils

    write_cells(store, lesson, layout.name, {(stages[1], pupils[1]): "Counts on in ones"})
    # A pupil added (and one deleted), a stage moved: the prediction stays with its stage and pupil.
    store.create("trial_pupil", {"cycle": cycle, "name": "Pupil C"})
    store.update(stages[1], {"position": 5})
    grid = read_form_grid(store, lesson, form, "predictions")
    assert [c.label for c in grid.columns] == ["Pupil A", "Pupil B", "Pupil C"]
    assert grid.table() == (("", "", ""), ("", "Counts on in ones", ""), ("", "", ""))
    store.delete(pupils[1])
    grid = read_form_grid(store, lesson, form, "predictions")
    assert [c.label for c in grid.columns] == ["Pupil A", "Pupil C"]
    assert grid.hidden_cells == {(stages[1], pupils[1]): "Counts on in ones"}
    store.restore(pupils[1])
    assert read_form_grid(store, lesson, form, "predictions").text(stages[1], pupils[1])

    # A personal label is hidden in privacy mode; the grid's own fixed rows come from the form.
    checks = form.field("checks")
    shown = grid_layout(store, lesson, form, checks)
    assert [c.label for c in shown.columns][:2] == ["Asha", "Ben"]
    assert [r.id for r in shown.rows] == ["before", "after"]
    hidden = grid_layout(store, lesson, form, checks, hide_names=True)
    assert "Asha" not in {c.label for c in hidden.columns}
    assert all(c.label for c in hidden.columns)


def test_a_lesson_with_no_cycle_has_no_columns(store: Store) -> None:
    form = FormDefinition.from_toml(PLAN, source="plan.toml")
    lesson = store.create("trial_lesson", {"title": "Not in a cycle yet"})
    layout = grid_layout(store, lesson, form, form.field("predictions"))
    assert layout.columns == () and layout.rows == ()


def test_a_grid_naming_what_the_app_lacks_says_so(store: Store) -> None:
    form = FormDefinition.from_toml(
        PLAN.replace('link = "lesson"', 'link = "lessen"'), source="plan.toml"
    )
    lesson = store.create("trial_lesson", {"title": "RL1"})
    with pytest.raises(FormError, match='plan.toml: the grid "predictions" cannot be laid out'):
        grid_layout(store, lesson, form, form.field("predictions"))
    with pytest.raises(FormError, match="not a grid"):
        grid_layout(store, lesson, form, form.field("title"))
    with pytest.raises(FormError, match="no field"):
        read_form_grid(store, lesson, form, "nothing")


GRID_FIELD = """\
[form]
id = "g"
version = 1
title = "G"
kind = "school"

[[section]]
id = "s"
title = "S"

[[section.field]]
id = "grid"
label = "Grid"
type = "grid"
"""
WHERE = 'field "grid" in section "s"'


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            'columns = [{ id = "a", label = "A" }]',
            f"{WHERE} is a grid field but has no rows; add "
            'rows = [{ id = "...", label = "..." }, ...] or rows = { kind = "...", link = "..." }.',
        ),
        (
            'rows = [{ id = "a", label = "A" }]',
            f"{WHERE} is a grid field but has no columns; add "
            'columns = [{ id = "...", label = "..." }, ...] or '
            'columns = { kind = "...", link = "..." }.',
        ),
        (
            'rows = []\ncolumns = [{ id = "a", label = "A" }]',
            f"{WHERE} has no rows; list at least one, or name records.",
        ),
        (
            'rows = "stages"\ncolumns = [{ id = "a", label = "A" }]',
            f"{WHERE} needs rows = "
            '[{ id = "...", label = "..." }, ...] or rows = { kind = "...", link = "..." }.',
        ),
        (
            'rows = [{ id = "a", label = "A" }, { id = "a", label = "B" }]\n'
            'columns = [{ id = "a", label = "A" }]',
            f'{WHERE} has two rows with the id "a".',
        ),
        (
            'rows = [{ id = "Stage 1", label = "A" }]\ncolumns = [{ id = "a", label = "A" }]',
            '"id" in entry 1 of the rows of field "grid" in section "s" is "Stage 1", which is '
            "not a valid id; use lowercase letters and digits, starting with a letter, with "
            "words joined by - or _.",
        ),
        (
            'rows = [{ id = "a", lable = "A" }]\ncolumns = [{ id = "a", label = "A" }]',
            'entry "a" of the rows of field "grid" in section "s" has an unknown key "lable"; '
            'did you mean "label"?',
        ),
        (
            'rows = { kind = "stage" }\ncolumns = [{ id = "a", label = "A" }]',
            'the rows of field "grid" in section "s" is missing the required key "link".',
        ),
        (
            'rows = { kind = "stage", link = "lesson", of = "lesson..cycle" }\n'
            'columns = [{ id = "a", label = "A" }]',
            '"of" in the rows of field "grid" in section "s" is "lesson..cycle", which is not a '
            'field or a path of fields such as "lesson.cycle".',
        ),
        (
            'rows = { kind = "stage", link = "Lesson" }\ncolumns = [{ id = "a", label = "A" }]',
            '"link" in the rows of field "grid" in section "s" is "Lesson", which is not a field '
            "name; use lowercase letters and digits, starting with a letter, with words joined "
            "by _.",
        ),
        (
            'rows = { kind = "stage", link = "lesson", sort = "x" }\n'
            'columns = [{ id = "a", label = "A" }]',
            'the rows of field "grid" in section "s" has an unknown key "sort"; use kind, link, '
            "of, label or order.",
        ),
    ],
)
def test_bad_grids_are_refused_with_one_sentence(extra: str, expected: str) -> None:
    with pytest.raises(FormError) as caught:
        FormDefinition.from_toml(GRID_FIELD + extra + "\n", source="forms/g.toml")
    assert caught.value.message == f"forms/g.toml: {expected}"


def test_rows_belong_to_grid_fields_only() -> None:
    text = GRID_FIELD.replace('type = "grid"', 'type = "text"') + 'rows = [{ id = "a" }]\n'
    with pytest.raises(FormError, match='unknown key "rows"'):
        FormDefinition.from_toml(text, source="forms/g.toml")
