"""Search speaks people's language: hits named as a person would say them, grouped, each with its
school and review; opening one opens it where it is worked on; a school's name finds its reviews."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peerreview.review import reviews as rv
from peerreview.sync.search import Searcher
from peerreview.sync.store import Store
from ui.shell.search import RECORD_ID_ROLE


def _hits(dialog: Any) -> list[tuple[str, str, str]]:
    """(group, text, record id) of every hit shown."""
    model = dialog.model
    out = []
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            hit = model.index(r, 0, group)
            out.append((group.data(), hit.data(), hit.data(RECORD_ID_ROLE)))
    return out


def test_a_schools_name_finds_all_its_reviews(demo_copy: Path) -> None:
    with Store.open(demo_copy) as store:
        school = next(s for s in store.list("school") if len(rv_of(store, s.id)) >= 2)
        reviews = {r.id for r in rv_of(store, school.id)}
        found = Searcher(store).search(str(school["name"]))
        assert reviews <= {f.record.id for f in found.found}
        for f in found.found:
            if f.record.id in reviews:
                assert school["name"] in f.description.context  # the review names its school


def rv_of(store: Store, school: str) -> list[Any]:
    return store.list("review", where={"school": school})


def test_hits_are_named_in_peoples_words_and_grouped(open_window: Any, demo_copy: Path) -> None:
    window = open_window(demo_copy)
    store = window.session.store
    note = store.list("evidence", order_by="time", descending=True)[0]
    review = store.get(note["review"])
    school = store.get(review["school"])
    word = max(note["note"].split(), key=len).strip(".,;:")
    dialog = window.show_search()
    dialog.box.setText(word)
    dialog.run_search()
    hits = _hits(dialog)
    mine = next(h for h in hits if h[2] == note.id)
    group, text, _ = mine
    assert group.startswith("Evidence notes (")
    assert text.startswith(f"Evidence note: {note['activity']}")
    assert f"Peer review of {school['name']}, " in text  # whose review, and the note's day
    assert word.lower() in text.lower()


def test_opening_a_note_opens_its_review_at_the_note(open_window: Any, demo_copy: Path) -> None:
    from ui.review.workspace import ReviewWorkspace

    window = open_window(demo_copy)
    store = window.session.store
    note = store.list("evidence", order_by="time", descending=True)[0]
    assert window.select_record(note.id)
    workspace = window.current_view()
    assert isinstance(workspace, ReviewWorkspace) and workspace.review_id == note["review"]
    assert workspace.current_tab() == "evidence"
    assert workspace.capture.note_id == note.id
    assert workspace.capture.note.toPlainText() == note["note"]
    row = workspace.capture.model.row_of(note.id)
    assert row >= 0 and workspace.capture.table.currentIndex().row() == row


def test_opening_a_judgement_or_team_member_shows_its_tab(
    open_window: Any, demo_copy: Path
) -> None:
    from ui.review.workspace import ReviewWorkspace

    window = open_window(demo_copy)
    store = window.session.store
    agreed = store.list("area_view", where={"stage": rv.Stage.AGREED.value})[0]
    assert window.select_record(agreed.id)
    workspace = window.current_view()
    assert isinstance(workspace, ReviewWorkspace)
    assert workspace.current_tab() == "judgements"
    assert workspace.judgements.current_key() == agreed["area"]

    member = store.list("review_member", where={"role": "Reviewer"})[0]
    assert window.select_record(member.id)
    workspace = window.current_view()
    assert isinstance(workspace, ReviewWorkspace) and workspace.current_tab() == "plan"
    table = workspace.plan.team_table
    assert table.currentIndex().row() == workspace.plan.team_model.row_of(member.id)


def test_people_are_named_with_where_they_work(demo_copy: Path) -> None:
    with Store.open(demo_copy) as store:
        person = next(p for p in store.list("person") if p.get("role"))
        found = Searcher(store).search(str(person["name"]))
        mine = next(f for f in found.found if f.record.id == person.id)
        school = store.get(person["school"])["name"]
        assert mine.description.context == f"{person['role']} at {school}"
        members = [f for f in found.found if f.record.kind == "review_member"]
        for f in members:  # the same person on a review team: named with the review
            assert " review, " in f.description.context
