"""A partnership adapts a lesson-study proforma without code: `peerreview forms copy`, edit, use."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerreview.cli import main
from peerreview.form_library import library
from peerreview.lessonstudy import cycles as cy
from peerreview.lessonstudy.report import read_cycle
from peerreview.sync.store import Store


@pytest.fixture
def own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This laptop's own forms folder, where `peerreview forms copy` writes."""
    folder = tmp_path / "own"
    monkeypatch.setattr("peerreview.form_library.user_forms_dir", lambda: folder)
    return folder


def test_a_copied_proforma_is_edited_and_a_cycle_keeps_it(
    own: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["forms", "copy", "lesson-study-dudley", "--as", "our-lesson-study"]) == 0
    copied = own / "our-lesson-study.toml"
    text = copied.read_text(encoding="utf-8")
    assert 'label = "Research question"' in text
    copied.write_text(
        text.replace('label = "Research question"', 'label = "Our enquiry question"'),
        encoding="utf-8",
    )
    assert main(["forms", "list"]) == 0
    assert "our-lesson-study (version 1, cycle)" in capsys.readouterr().out

    forms = library(own)
    store = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    school = store.create("school", {"name": "Coundon Court", "urn": 1})
    cid = cy.create_cycle(
        store,
        forms,
        school,
        title="Fractions, Year 5",
        form_id="our-lesson-study",
        values={"research_question": "How can bar models help?"},
    )
    assert (store.get(cid)["form_id"], store.get(cid)["form_version"]) == ("our-lesson-study", 1)
    content = read_cycle(store, forms, cid)
    assert content.form_title.endswith("(version 1)")
    answers = {a.label: a.text for _, section in content.overview for a in section}
    assert answers["Our enquiry question"] == "How can bar models help?"
    assert "Research question" not in answers


def test_a_proforma_that_no_longer_loads_is_named(
    own: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["forms", "copy", "lesson-study-research-plan", "--as", "our-plan"]) == 0
    copied = own / "our-plan.toml"
    copied.write_text(copied.read_text(encoding="utf-8") + "\n[[section]\n", encoding="utf-8")
    assert main(["forms", "list"]) == 1
    err = capsys.readouterr().err
    assert "our-plan.toml" in err and "Traceback" not in err
