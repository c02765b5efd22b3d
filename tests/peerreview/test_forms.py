"""Tests for peerreview.forms: shipped definitions load; bad ones are refused in one sentence."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerreview import forms as forms_module
from peerreview.errors import PeerReviewError
from peerreview.forms import (
    FieldType,
    FormDefinition,
    FormError,
    FormLibrary,
    Privacy,
    forms_dir,
    load_form,
    load_forms,
)

SHIPPED = sorted(forms_dir().glob("*.toml"))

# A small valid form; the error cases below each break one thing in it.
GOOD = """\
[form]
id = "visit-notes"
version = 1
title = "Visit notes"
kind = "review"

[[scale]]
id = "four-point"
title = "Estimate"
levels = [
    { value = "leading", label = "Leading" },
    { value = "effective", label = "Effective" },
]

[[section]]
id = "leadership"
title = "Leadership at all levels"

[[section.field]]
id = "estimate"
label = "Estimate"
type = "scale"
scale = "four-point"

[[section.field]]
id = "phase"
label = "Phase"
type = "choice"
options = ["Primary", "Secondary"]

[[section.field]]
id = "actions"
label = "Actions"
type = "rows"
columns = [{ id = "action", label = "Action", type = "text" }]
"""


def write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def form_text(
    form_id: str = "visit-notes", version: int = 1, kind: str = "review", title: str = "Notes"
) -> str:
    return (
        GOOD.replace('id = "visit-notes"', f'id = "{form_id}"', 1)
        .replace("version = 1", f"version = {version}", 1)
        .replace('kind = "review"', f'kind = "{kind}"', 1)
        .replace('title = "Visit notes"', f'title = "{title}"', 1)
    )


# --- the shipped forms ------------------------------------------------------------------------


def test_forms_are_shipped() -> None:
    ids = {path.stem for path in SHIPPED}
    assert {
        "school",
        "person",
        "group",
        "partnership",
        "review-estimates",
        "review-enquiry",
        "review-ofsted",
    } <= ids


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_form_loads(path: Path) -> None:
    form = load_form(path)
    assert form.id == path.stem  # shipped files are named after their form
    assert form.version >= 1
    assert form.source == str(path)
    assert list(form.fields())


def test_whole_shipped_library_loads() -> None:
    library = load_forms(forms_dir())
    assert len(library) == len(SHIPPED)
    assert [f.id for f in library.latest(kind="review")] == [
        "review-enquiry",
        "review-estimates",
        "review-ofsted",
    ]


def test_school_form() -> None:
    form = load_forms(forms_dir()).get("school")
    assert form.kind == "school"
    assert form.field("urn").type is FieldType.NUMBER
    assert form.field("phase").options == (
        "Nursery",
        "Primary",
        "Middle",
        "Secondary",
        "All-through",
        "Special",
        "Alternative provision",
        "16 plus",
    )
    assert form.field("status").options == (
        "Open",
        "Closed",
        "Proposed to open",
        "Proposed to close",
    )
    assert form.field("headteacher").type is FieldType.PERSON
    assert form.field("notes").type is FieldType.LONGTEXT
    assert form.field("name").required


def test_person_form_marks_personal_fields() -> None:
    form = load_forms(forms_dir()).get("person")
    assert {f.id for f in form.fields() if f.personal} == {"name", "email"}
    assert form.field("name").privacy is Privacy.PERSONAL
    assert form.field("role").privacy is Privacy.ORDINARY
    assert form.field("school").type is FieldType.SCHOOL


def test_group_form() -> None:
    form = load_forms(forms_dir()).get("group")
    assert form.field("type").options == (
        "Board or strategic group",
        "Headteacher group",
        "Working group",
        "Cluster",
        "Trio",
        "Hub",
    )


def test_estimates_framework() -> None:
    form = load_forms(forms_dir()).get("review-estimates")
    assert [s.title for s in form.sections] == [
        "Leadership at all levels",
        "Quality of provision and outcomes",
        "Provision and outcomes for disadvantaged pupils and pupils with additional needs",
        "Areas of excellence",
    ]
    scale = form.scale("estimate")
    assert [level.label for level in scale.levels] == [
        "Leading",
        "Effective",
        "Working towards effective",
        "Ineffective",
    ]
    for section in form.sections[:3]:
        assert [f.label for f in section.fields] == ["Estimate", "What went well", "Even better if"]
        assert section.fields[0].scale is scale
        assert section.fields[1].type is section.fields[2].type is FieldType.LONGTEXT
    assert form.field("areas_of_excellence").type is FieldType.ROWS


def test_enquiry_framework_has_no_scale() -> None:
    form = load_forms(forms_dir()).get("review-enquiry")
    assert form.scales == ()
    assert all(f.type is not FieldType.SCALE for f in form.fields())
    assert "To what extent" in form.field("enquiry_question").help
    assert form.field("lines_of_enquiry").type is FieldType.ROWS
    assert form.field("strengths").type is FieldType.LONGTEXT
    assert form.field("areas_for_development").type is FieldType.LONGTEXT


def test_ofsted_framework() -> None:
    form = load_forms(forms_dir()).get("review-ofsted")
    assert [s.title for s in form.sections] == [
        "Inclusion",
        "Curriculum and teaching",
        "Achievement",
        "Attendance and behaviour",
        "Personal development and well-being",
        "Leadership and governance",
        "Early years",
        "Sixth form",
        "Safeguarding",
    ]
    assert [level.label for level in form.scale("report-card").levels] == [
        "Exceptional",
        "Strong standard",
        "Expected standard",
        "Needs attention",
        "Urgent improvement",
    ]
    assert form.field("safeguarding").scale == form.scale("safeguarding")
    assert form.scale("safeguarding").values == ("met", "not-met")


def test_record_forms_match_the_store_kinds() -> None:
    """Forms for the built-in kinds use those kinds' field names, types and privacy flags."""
    from peerreview.features import default_registry

    KINDS = default_registry().kinds
    from peerreview.sync.kinds import FieldType as StoreType

    stored_as = {
        FieldType.TEXT: StoreType.TEXT,
        FieldType.LONGTEXT: StoreType.TEXT,
        FieldType.CHOICE: StoreType.TEXT,
        FieldType.NUMBER: StoreType.INTEGER,
        FieldType.PERSON: StoreType.REF,
        FieldType.SCHOOL: StoreType.REF,
    }
    library = load_forms(forms_dir())
    for form_id in ("school", "person", "group", "partnership"):
        form = library.get(form_id)
        kind = KINDS[form.kind]
        for item in form.fields():
            spec = kind.spec(item.id)
            assert spec is not None, f"{form_id}: {item.id} is not a field of {kind.name}"
            assert spec.type is stored_as[item.type], f"{form_id}: {item.id}"
            assert spec.personal == item.personal, f"{form_id}: {item.id}"
            if item.type in (FieldType.PERSON, FieldType.SCHOOL):
                assert spec.ref_kind == item.type.value


# --- the data classes -------------------------------------------------------------------------


def test_parsed_form_and_helpers() -> None:
    form = FormDefinition.from_toml(GOOD, source="visit.toml")
    assert form.key == ("visit-notes", 1)
    assert [f.id for f in form.fields()] == ["estimate", "phase", "actions"]
    assert form.field("phase").type is FieldType.CHOICE
    assert form.section("leadership").title == "Leadership at all levels"
    estimate = form.field("estimate")
    assert estimate.scale is not None and estimate.scale.id == "four-point"
    assert estimate.scale.level("effective").label == "Effective"
    assert form.field("actions").columns[0].type is FieldType.TEXT
    assert not form.field("phase").required
    with pytest.raises(KeyError):
        form.field("nope")
    with pytest.raises(KeyError):
        estimate.scale.level("ineffective")


def test_definitions_are_frozen_and_comparable() -> None:
    a = FormDefinition.from_toml(GOOD, source="a.toml")
    b = FormDefinition.from_toml(GOOD, source="b.toml")
    assert a == b  # where it came from is not part of what it is
    with pytest.raises(AttributeError):
        a.version = 2  # type: ignore[misc]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_form(path).id == "visit-notes"


# --- validation -------------------------------------------------------------------------------

F = 'field "estimate" in section "leadership"'

BAD_CASES: list[tuple[str, str, str, str]] = [
    # (name, text to replace in GOOD, replacement, expected message after "bad.toml: ")
    (
        "toml syntax",
        'title = "Visit notes"',
        "title = Visit notes",
        "line 4, column 9 is not valid TOML: invalid value.",
    ),
    (
        "unclosed file",
        GOOD,
        GOOD + '[[section]]\nid = "x',
        "line 37 is not valid TOML: unterminated string at the end of the file.",
    ),
    (
        "missing form table",
        '[form]\nid = "visit-notes"\nversion = 1\ntitle = "Visit notes"\nkind = "review"\n',
        "",
        "the file has no [form] table; start it with [form] and its id, version and title.",
    ),
    (
        "form written as list",
        "[form]",
        "[[form]]",
        "[form] must be a single table, written [form], not a list or a value.",
    ),
    (
        "missing key",
        'label = "Estimate"\n',
        "",
        f'{F} is missing the required key "label".',
    ),
    (
        "missing form key",
        'title = "Visit notes"\n',
        "",
        'the [form] table is missing the required key "title".',
    ),
    (
        "version as text",
        "version = 1",
        'version = "one"',
        '"version" in the [form] table must be a whole number from 1 up, not "one".',
    ),
    (
        "version zero",
        "version = 1",
        "version = 0",
        '"version" in the [form] table must be a whole number from 1 up, not 0.',
    ),
    (
        "version as boolean",
        "version = 1",
        "version = true",
        '"version" in the [form] table must be a whole number from 1 up, not true.',
    ),
    (
        "label as number",
        'label = "Estimate"',
        "label = 3",
        f'"label" in {F} must be text in quotes, not 3.',
    ),
    (
        "required as text",
        'scale = "four-point"\n',
        'scale = "four-point"\nrequired = "yes"\n',
        f'"required" in {F} must be true or false, not "yes".',
    ),
    (
        "empty title",
        'title = "Leadership at all levels"',
        'title = "  "',
        '"title" in section "leadership" is empty.',
    ),
    (
        "unknown field type",
        'type = "choice"',
        'type = "dropdown"',
        'field "phase" in section "leadership" has type "dropdown", which is not a known field '
        "type; use one of text, longtext, choice, scale, date, person, school, checklist, rows, "
        "grid, number or boolean.",
    ),
    (
        "bad form slug",
        'id = "visit-notes"',
        'id = "Visit Notes"',
        '"id" in the [form] table is "Visit Notes", which is not a valid id; use lowercase '
        "letters and digits, starting with a letter, with words joined by - or _.",
    ),
    (
        "bad field slug",
        'id = "phase"',
        'id = "2phase"',
        '"id" in field 2 in section "leadership" is "2phase", which is not a valid id; use '
        "lowercase letters and digits, starting with a letter, with words joined by - or _.",
    ),
    (
        "bad kind slug",
        'kind = "review"',
        'kind = "Review"',
        '"kind" in the [form] table is "Review", which is not a valid id; use lowercase '
        "letters and digits, starting with a letter, with words joined by - or _.",
    ),
    (
        "duplicate field id",
        'id = "phase"',
        'id = "estimate"\nhelp = "again"',
        'field id "estimate" is used twice in this form, both in section "leadership".',
    ),
    (
        "duplicate field id across sections",
        '[[section.field]]\nid = "phase"',
        '[[section]]\nid = "quality"\ntitle = "Quality"\n\n[[section.field]]\nid = "estimate"',
        'field id "estimate" is used twice in this form, in section "leadership" and in '
        'section "quality".',
    ),
    (
        "duplicate section id",
        '[[section.field]]\nid = "phase"',
        '[[section]]\nid = "leadership"\ntitle = "Again"\n\n[[section.field]]\nid = "phase"',
        'section id "leadership" is used twice in this form.',
    ),
    (
        "duplicate scale id",
        "[[section]]",
        '[[scale]]\nid = "four-point"\ntitle = "Again"\nlevels = [{ value = "a", label = "A" }, '
        '{ value = "b", label = "B" }]\n\n[[section]]',
        'scale id "four-point" is declared twice in this file.',
    ),
    (
        "duplicate option",
        'options = ["Primary", "Secondary"]',
        'options = ["Primary", "Primary"]',
        'field "phase" in section "leadership" lists the option "Primary" twice.',
    ),
    (
        "duplicate level",
        '{ value = "effective", label = "Effective" }',
        '{ value = "leading", label = "Leading again" }',
        'scale "four-point" has two levels with the value "leading".',
    ),
    (
        "duplicate column",
        '[{ id = "action", label = "Action", type = "text" }]',
        '[{ id = "action", label = "Action", type = "text" }, { id = "action", label = "B", '
        'type = "date" }]',
        'field "actions" in section "leadership" has two columns with the id "action".',
    ),
    (
        "choice without options",
        'options = ["Primary", "Secondary"]\n',
        "",
        'field "phase" in section "leadership" is a choice field but has no options; '
        'add options = ["...", "..."].',
    ),
    (
        "checklist with empty options",
        'type = "choice"\noptions = ["Primary", "Secondary"]',
        'type = "checklist"\noptions = []',
        'field "phase" in section "leadership" is a checklist field but has no options; '
        'add options = ["...", "..."].',
    ),
    (
        "options that are not text",
        'options = ["Primary", "Secondary"]',
        'options = ["Primary", 2]',
        '"options" in field "phase" in section "leadership" must be a list of non-empty texts '
        "in quotes, not a list.",
    ),
    (
        "options on a text field",
        'type = "choice"',
        'type = "text"',
        'field "phase" in section "leadership" has options, but only choice and checklist fields '
        "take them.",
    ),
    (
        "undeclared scale",
        'id = "four-point"',
        'id = "five-point"',
        f'{F} uses scale "four-point", which is not declared in this file.',
    ),
    (
        "scale field without a scale",
        'scale = "four-point"\n',
        "",
        f'{F} is a scale field but names no scale; add scale = "..." with the id of a [[scale]] '
        "in this file.",
    ),
    (
        "scale on a text field",
        'type = "scale"',
        'type = "text"',
        f"{F} names a scale, but only scale fields take one.",
    ),
    (
        "scale with one level",
        '    { value = "effective", label = "Effective" },\n',
        "",
        'scale "four-point" needs at least two levels in "levels", best first.',
    ),
    (
        "level without label",
        '{ value = "effective", label = "Effective" }',
        '{ value = "effective" }',
        'level "effective" of scale "four-point" is missing the required key "label".',
    ),
    (
        "rows without columns",
        'columns = [{ id = "action", label = "Action", type = "text" }]\n',
        "",
        'field "actions" in section "leadership" is a rows field but has no columns; add '
        'columns = [{ id = "...", label = "...", type = "text" }, ...].',
    ),
    (
        "rows column of rows",
        'label = "Action", type = "text"',
        'label = "Action", type = "rows"',
        'column "action" of field "actions" in section "leadership" has type "rows", which cannot '
        "be used in a column; use one of text, longtext, choice, date, person, school, number or "
        "boolean.",
    ),
    (
        "choice column without options",
        'label = "Action", type = "text"',
        'label = "Action", type = "choice"',
        'column "action" of field "actions" in section "leadership" is a choice field but has no '
        'options; add options = ["...", "..."].',
    ),
    (
        "columns on a text field",
        'id = "actions"\nlabel = "Actions"\ntype = "rows"',
        'id = "actions"\nlabel = "Actions"\ntype = "longtext"',
        'field "actions" in section "leadership" has columns, but only rows fields take columns.',
    ),
    (
        "typo in a field key",
        'label = "Estimate"',
        'lable = "Estimate"',
        f'{F} has an unknown key "lable"; did you mean "label"?',
    ),
    (
        "unknown key with no near match",
        'label = "Estimate"',
        'label = "Estimate"\nwidth = 3',
        f'{F} has an unknown key "width"; use id, label, type, required, help, privacy, options, '
        "scale or columns.",
    ),
    (
        "typo in a form key",
        'kind = "review"',
        'kind = "review"\ndescripton = "x"',
        'the [form] table has an unknown key "descripton"; did you mean "description"?',
    ),
    (
        "typo in a top-level table",
        "[[section]]\n",
        "[[sections]]\n",
        'the file has an unknown top-level key "sections"; did you mean "section"?',
    ),
    (
        "section written as a single table",
        '[[section]]\nid = "leadership"\ntitle = "Leadership at all levels"\n\n[[section.field]]',
        '[section]\nid = "leadership"\ntitle = "Leadership at all levels"\n\n[[section.field]]',
        '"section" in the file must be a list of tables, written [[section]], not a table.',
    ),
    (
        "no sections",
        GOOD[GOOD.index("[[section]]") :],
        "",
        "the form has no sections; add at least one [[section]] table.",
    ),
    (
        "section without fields",
        GOOD[GOOD.index("[[section.field]]") :],
        "",
        'section "leadership" has no fields; add at least one [[section.field]] table.',
    ),
    (
        "bad privacy",
        'label = "Estimate"',
        'label = "Estimate"\nprivacy = "secret"',
        f'"privacy" in {F} must be "personal" (or left out), not "secret".',
    ),
    (
        "column that is not a table",
        '[{ id = "action", label = "Action", type = "text" }]',
        '["action"]',
        'column 1 of field "actions" in section "leadership" must be a table, written '
        '{ id = "...", label = "...", type = "text" }, not "action".',
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES]
)
def test_bad_definition_is_refused_with_one_plain_sentence(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert caught.value.message == f"{path}: {expected}"
    assert str(caught.value) == caught.value.message
    assert isinstance(caught.value, PeerReviewError)


def test_the_good_form_is_good(tmp_path: Path) -> None:
    """The base of every bad case loads, so each case fails only for its own reason."""
    assert load_form(write(tmp_path, GOOD, "good.toml")).id == "visit-notes"


def test_error_names_the_file_as_given_in_the_brief() -> None:
    text = GOOD.replace('id = "four-point"', 'id = "estimate"', 1)
    with pytest.raises(FormError) as caught:
        FormDefinition.from_toml(text, source="forms/review-estimates.toml")
    assert caught.value.message == (
        'forms/review-estimates.toml: field "estimate" in section "leadership" uses scale '
        '"four-point", which is not declared in this file.'
    )


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.toml"
    with pytest.raises(FormError, match=r"gone\.toml: there is no such form file\.$"):
        load_form(path)


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(GOOD.replace("Visit notes", "Caf\xe9").encode("cp1252"))
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert caught.value.message == (
        f"{path}: the file is not saved as UTF-8 text; save it as UTF-8 and try again."
    )


def _mutations() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 3),
        st.floats(allow_nan=False),
        st.sampled_from(["", " ", "text", "Bad Id", "scale", "choice", "rows", "personal"]),
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["id", "label", "type", "value", "x"]), inner, max_size=3
            )
        ),
        max_leaves=6,
    )


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, Mapping):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_damage_gives_form_error_never_a_crash(data: st.DataObject) -> None:
    """Whatever one value is changed to (or removed), the loader answers or raises FormError."""
    doc: Any = tomllib.loads(GOOD)
    path = data.draw(st.sampled_from(_paths(doc)))
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    replacement = data.draw(_mutations())
    if replacement is None and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    try:
        form = FormDefinition.from_mapping(doc, source="fuzz.toml")
    except FormError as exc:
        assert exc.message.startswith("fuzz.toml: ")
        assert exc.message.endswith((".", "?"))
        assert "\n" not in exc.message
    else:
        assert form.id and form.version >= 1


# --- the library ------------------------------------------------------------------------------


def test_library_picks_the_latest_version_numerically(tmp_path: Path) -> None:
    for version in (1, 2, 10):
        write(tmp_path, form_text(version=version, title=f"v{version}"), f"notes-v{version}.toml")
    library = load_forms(tmp_path)
    assert library.versions("visit-notes") == [1, 2, 10]
    assert library.get("visit-notes").version == 10
    assert library.get("visit-notes", 2).title == "v2"
    assert [f.key for f in library.latest()] == [("visit-notes", 10)]
    assert ("visit-notes", 2) in library and "visit-notes" in library
    assert "school" not in library
    assert [f.version for f in library] == [1, 2, 10]


def test_library_latest_by_kind(tmp_path: Path) -> None:
    library = FormLibrary(
        [
            FormDefinition.from_toml(form_text("b-review", 1)),
            FormDefinition.from_toml(form_text("a-review", 3)),
            FormDefinition.from_toml(form_text("a-review", 4)),
            FormDefinition.from_toml(form_text("staff", 1, kind="person")),
        ]
    )
    assert [f.key for f in library.latest()] == [("a-review", 4), ("b-review", 1), ("staff", 1)]
    assert [f.key for f in library.latest(kind="review")] == [("a-review", 4), ("b-review", 1)]
    assert library.latest(kind="school") == []


def test_library_missing_form_or_version() -> None:
    library = FormLibrary([FormDefinition.from_toml(form_text(version=v)) for v in (1, 3)])
    with pytest.raises(FormError) as caught:
        library.get("lesson-plan")
    assert caught.value.message == 'There is no form "lesson-plan" in the forms folder.'
    with pytest.raises(FormError) as caught:
        library.get("visit-notes", 2)
    assert caught.value.message == (
        'Form "visit-notes" version 2 is not installed; the forms folder has versions 1 and 3.'
    )


def test_duplicate_id_and_version_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, form_text(), "a.toml")
    second = write(tmp_path, form_text(title="A copy"), "b.toml")
    with pytest.raises(FormError) as caught:
        load_forms(tmp_path)
    assert caught.value.message == (
        f'{second}: form "visit-notes" version 1 is already defined in {first}; '
        "give the copy a new id or a higher version."
    )


def test_versions_of_one_form_must_describe_one_kind(tmp_path: Path) -> None:
    first = write(tmp_path, form_text(version=1), "a.toml")
    second = write(tmp_path, form_text(version=2, kind="school"), "b.toml")
    with pytest.raises(FormError) as caught:
        load_forms(tmp_path)
    assert caught.value.message == (
        f'{second}: form "visit-notes" version 2 describes a school, but version 1 in {first} '
        "describes a review; every version of a form must describe the same kind of record."
    )


def test_a_partnership_folder_adds_to_the_shipped_forms(tmp_path: Path) -> None:
    write(tmp_path, form_text("our-review"), "our-review.toml")
    library = load_forms(forms_dir(), tmp_path)
    assert "our-review" in library and "review-estimates" in library


def test_a_bad_file_stops_the_whole_folder(tmp_path: Path) -> None:
    write(tmp_path, form_text(), "good.toml")
    bad = write(tmp_path, "[form]\n", "bad.toml")
    with pytest.raises(FormError, match=rf"^{bad}: "):
        load_forms(tmp_path)


def test_only_toml_files_are_read(tmp_path: Path) -> None:
    write(tmp_path, form_text(), "good.toml")
    write(tmp_path, "not a form", "README.md")
    assert len(load_forms(tmp_path)) == 1


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FormError, match=r"there is no forms folder here\.$"):
        load_forms(tmp_path / "nowhere")


# --- finding the shipped folder ---------------------------------------------------------------


def test_forms_dir_finds_the_source_checkout() -> None:
    repo_root = Path(__file__).resolve().parents[2]
    assert forms_dir() == repo_root / "forms"
    assert (forms_dir() / "school.toml").is_file()


def test_forms_dir_prefers_the_wheel_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "peerreview"
    (package / "_data" / "forms").mkdir(parents=True)
    (tmp_path / "site-packages" / "forms").mkdir()
    monkeypatch.setattr(forms_module, "__file__", str(package / "forms.py"))
    assert forms_dir() == package.resolve() / "_data" / "forms"


def test_forms_dir_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forms_module, "__file__", str(tmp_path / "peerreview" / "forms.py"))
    with pytest.raises(FormError) as caught:
        forms_dir()
    assert caught.value.message == (
        "The forms folder that comes with PeerReview is missing; reinstall PeerReview."
    )
