"""Every custom Qt model passes qtmodeltester, on a realistic demo partnership and while edited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate

from peerreview.sync.store import Store
from ui.partnership.memberships import MembershipTableModel
from ui.shell.navigator import NavigatorModel
from ui.shell.privacy import PrivacyMode
from ui.shell.search import SearchResultsModel
from ui.shell.session import Session


@pytest.fixture
def session(demo_copy: Path, app: Any) -> Any:
    store = Store.open(demo_copy)
    s = Session(store, privacy=PrivacyMode())
    yield s
    store.close()


def _open_all(model: NavigatorModel) -> None:
    """Open every folder, as a person expanding the whole tree would."""
    stack = [model.index(0, 0)]
    while stack:
        index = stack.pop()
        if model.canFetchMore(index):
            model.fetchMore(index)
        stack.extend(model.index(r, 0, index) for r in range(model.rowCount(index)))


def test_navigator_model(qtmodeltester: Any, session: Any) -> None:
    qtmodeltester.check(NavigatorModel(session), force_py=True)  # folders not yet opened
    model = NavigatorModel(session)
    _open_all(model)
    qtmodeltester.check(model, force_py=True)
    # The tester stays connected: the tree must follow edits with well-formed signals
    # (a rename moves a row, an addition inserts, a delete removes, privacy mode re-sorts).
    store = session.store
    school = store.list("school")[0]
    session.set_field(school.id, "name", "Zebra Lane Primary School")
    schools = model.folder("school")
    assert schools.children[-1].title == "Zebra Lane Primary School"
    person = session.create("person", {"name": "Aaron Abbott", "school": school.id})
    assert model.index_for_record(person).isValid()
    session.delete(person)
    assert not model.index_for_record(person).isValid()
    session.privacy.set_enabled(True)
    session.undo_stack.undo()  # the deleted person comes back
    assert model.index_for_record(person).isValid()


def test_navigator_follows_bulk_changes_without_a_reset(
    qtmodeltester: Any, session: Any, tmp_path: Path
) -> None:
    """After an import the tree catches up row by row: what is open and selected stays so."""
    model = NavigatorModel(session)
    _open_all(model)
    qtmodeltester.check(model, force_py=True)
    resets: list[bool] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(True))
    store = session.store
    schools = store.list("school")
    store.update(schools[0].id, {"name": "Aardvark Primary School"})  # core writes, no signals
    store.delete(schools[1].id)
    new = store.create("school", {"name": "New Academy"})
    store.create("person", {"name": "Zoë Brown", "school": schools[2].id})
    group = store.create("group", {"name": "A new trio"})
    store.create("membership", {"group": group, "school": new})
    session.reset()
    assert not resets
    folder = model.folder("school")
    titles = [n.title for n in folder.children]
    assert titles[0] == "Aardvark Primary School" and "New Academy" in titles
    assert titles == sorted(titles, key=str.casefold)
    assert not model.index_for_record(schools[1].id).isValid()
    assert model.rowCount(model.index_for_record(group)) == 1


def test_many_rows_placed_under_one_folder_keep_the_order_a_sort_gives(
    qtmodeltester: Any, session: Any
) -> None:
    """Hundreds of schools caught up among those already listed (each placed at its row, not
    after them all), then some renamed one by one: the rows are in the order sorting them by title
    gives, and each row's index and parent are its own."""
    import random

    model = NavigatorModel(session)
    store = session.store
    rng = random.Random(7)
    words = ["Abbey", "abbey", "Brook", "Castle", "Dale", "Elm", "Field", "Green", "Hill", "Zion"]
    with store.transaction():
        made = [
            store.create("school", {"name": f"{rng.choice(words)} {rng.choice(words)} School"})
            for _ in range(400)
        ]  # many share a title: their ids keep them apart
    session.reset()
    folder = model.folder("school")

    def in_order() -> None:
        rows = folder.children
        assert [n.sort_key() for n in rows] == sorted(n.sort_key() for n in rows)
        titles = [n.title for n in rows]
        assert titles == sorted(titles, key=str.casefold)
        parent = model.index_of(folder)
        for r, node in enumerate(rows):
            index = model.index(r, 0, parent)
            assert model.node_at(index) is node and model.index_of(node) == index
            assert model.parent(index) == parent
            assert model.parent(model.index(0, 0, index)) == index  # its People folder's

    assert len(folder.children) == 412  # the demo's 12 and these
    in_order()
    for school in rng.sample(made, 40):
        session.set_field(school, "name", f"{rng.choice(words)} Renamed School")
    in_order()
    for school in rng.sample(made, 20):
        session.delete(school)
    assert len(folder.children) == 392
    in_order()
    qtmodeltester.check(model, force_py=True)


def test_navigator_shape(session: Any) -> None:
    model = NavigatorModel(session)
    top = model.index(0, 0)
    assert top.data() == "Coventry and Warwickshire Schools Partnership"
    assert [model.index(r, 0, top).data() for r in range(2)] == ["Groups", "Schools"]
    schools = model.index(1, 0, top)
    names = [model.index(r, 0, schools).data() for r in range(model.rowCount(schools))]
    assert names == sorted(names, key=str.casefold) and len(names) == 12
    groups = model.index(0, 0, top)
    assert model.rowCount(groups) == 4
    assert model.rowCount(model.index(0, 0, groups)) >= 3  # member schools under a group


def test_closed_schools_are_marked(session: Any) -> None:
    school = session.store.list("school")[0]
    session.set_field(school.id, "closed", True)
    model = NavigatorModel(session)
    index = model.index_for_record(school.id)
    assert index.data().endswith("(closed)")


def test_search_results_model(qtmodeltester: Any, session: Any) -> None:
    model = SearchResultsModel(session)
    qtmodeltester.check(model, force_py=True)
    assert model.search("primary") > 0
    assert model.search("") == 0
    full = SearchResultsModel(session)
    full.search("school")
    qtmodeltester.check(full, force_py=True)


def test_membership_table_model(qtmodeltester: Any, session: Any) -> None:
    group = session.store.list("group")[0]
    model = MembershipTableModel(session, group.id)
    assert model.rowCount() >= 3
    qtmodeltester.check(model, force_py=True)
    index = model.index(0, 1)
    assert model.setData(index, "Lead school")
    assert model.index(0, 1).data() == "Lead school"
    session.create("membership", {"group": group.id, "school": session.store.list("school")[-1].id})
    session.undo_stack.undo()


def test_a_membership_cannot_be_left_before_it_was_joined(session: Any) -> None:
    group = session.store.list("group")[0]
    model = MembershipTableModel(session, group.id)
    said: list[str] = []
    session.message.connect(said.append)
    member = model.membership_at(0)
    assert member is not None
    joined, left = model.index(0, 2), model.index(0, 3)
    assert model.setData(joined, QDate(2025, 9, 1))
    assert not model.setData(left, QDate(2025, 7, 18))
    assert said[-1] == "The end date of this membership is before its start date. Check the dates."
    assert "end" not in session.store.get(member.id).values  # nothing was saved
    assert model.setData(left, QDate(2026, 7, 17))
    assert session.store.get(member.id).values["end"] == "2026-07-17"
