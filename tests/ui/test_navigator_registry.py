"""The navigator follows the registry's folders: inline members (a group's schools), what a member
row refuses, and the record a command works on (the school of what is selected)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from peerreview.partnership.memberships import member_schools
from peerreview.sync.store import Store
from ui.shell.navigator import NavigatorModel
from ui.shell.privacy import PrivacyMode
from ui.shell.roles import MEMBER, RECORD
from ui.shell.session import Session


def test_each_group_lists_its_member_schools_once(demo_copy: Path, app: Any) -> None:
    session = Session(Store.open(demo_copy), privacy=PrivacyMode())
    model = NavigatorModel(session)
    groups = model.folder("group").children
    members = member_schools(session.store, [str(g.record_id) for g in groups])
    for group in groups:
        rows = [n for n in group.children if n.role == MEMBER]
        assert sorted(str(n.record_id) for n in rows) == sorted(members[str(group.record_id)])
        assert [n.title for n in rows] == sorted((n.title for n in rows), key=str.casefold)
    # A member row looks like the school's own row, and follows its rename.
    group = next(g for g in groups if g.children)
    member = group.children[0]
    school = model.index_for_record(str(member.record_id))
    assert model.node_at(school) is not member and model.node_at(school).role == RECORD
    session.set_field(str(member.record_id), "name", "Aaron Road Primary School")
    assert group.children[0].title == "Aaron Road Primary School"
    # Ending the membership (an edit of another kind, which the folder watches) takes it out.
    store = session.store
    ended = [
        m
        for m in store.list("membership", where={"group": group.record_id})
        if m.values.get("school") == member.record_id
    ]
    for m in ended:
        session.set_field(m.id, "end", dt.date.today().isoformat())
    assert member.record_id not in [n.record_id for n in group.children]
    session.undo_stack.undo()
    store.close()


def test_a_member_row_is_not_deleted_from_its_group(demo_copy: Path, open_window: Any) -> None:
    window = open_window(demo_copy)
    group = next(g for g in window.model.folder("group").children if g.children)
    member = group.children[0]
    window.select_index(window.model.index_of(member))
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    assert not window.delete_selected(confirm=False)
    assert said == ["To take a school out of a group, open the group and end its membership."]
    assert not window.session.store.get(str(member.record_id)).deleted


def test_commands_work_on_the_school_of_what_is_selected(demo_copy: Path, open_window: Any) -> None:
    window = open_window(demo_copy)
    store = window.session.store
    person = store.list("person")[0]
    school = person.values["school"]
    window.select_record(person.id)
    assert window.record_in_context("school") == school
    review = store.list("review")[0]
    window.select_record(review.id)
    assert window.record_in_context("school") == review.values["school"]
    window.select_index(window.model.index(0, 0))  # the partnership: no school
    assert window.record_in_context("school") is None
