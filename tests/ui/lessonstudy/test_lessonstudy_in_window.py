"""Lesson study in the main window: a cycle under each school taking part, opened in its
workspace; started from the Lesson study menu; observed in observation mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peerreview.forms import forms_dir, load_forms
from peerreview.lessonstudy import cycles as cy
from peerreview.sync.store import Store


def _cycle(path: Path) -> tuple[str, str, str]:
    store = Store.open(path)
    lead = store.list("school")[0].id
    partner = store.create("school", {"name": "Allesley Primary School", "urn": 103701})
    cid = cy.create_cycle(store, load_forms(forms_dir()), lead, title="Fractions, Year 5")
    cy.add_school(store, cycle=cid, school=partner)
    cy.add_member(store, cid, name="Amira Patel", school=lead)
    store.close()
    return cid, lead, partner


def test_a_cycle_is_under_each_school_taking_part_and_opens_its_workspace(
    db_path: Path, open_window: Any, qtbot: Any
) -> None:
    from ui.lessonstudy.workspace import CycleWorkspace

    cid, lead, partner = _cycle(db_path)
    window = open_window(db_path)
    assert window.select_record(cid)
    qtbot.waitUntil(lambda: isinstance(window.detail.workspace, CycleWorkspace), timeout=3000)
    index = window.tree.currentIndex()
    assert "Fractions, Year 5" in index.data()
    assert index.parent().data().startswith("Lesson study")
    workspace = window.detail.workspace
    # Typing in the workspace does not rebuild it.
    window.session.set_field(cid, "focus", "Reasoning with bar models")
    assert window.detail.workspace is workspace
    # Under the partner school as well.
    folder = next(
        f for f in window.session.store.registry.folders_under("school") if f.kind == "cycle"
    )
    assert folder.members is not None
    assert folder.members(window.session.store, [lead, partner]) == {
        lead: [cid],
        partner: [cid],
    }


def test_start_a_cycle_from_the_menu_and_observe_it(
    db_path: Path, open_window: Any, qtbot: Any, monkeypatch: Any
) -> None:
    from ui.lessonstudy.new_cycle import NewCycleDialog
    from ui.lessonstudy.workspace import CycleWorkspace

    window = open_window(db_path)
    school = window.session.store.list("school")[0].id
    window.select_record(school)
    made: list[str] = []

    def start(session: Any, school_id: str, parent: Any) -> str:
        cid = cy.create_cycle(session.store, session.forms, school_id, title="Inference, Year 4")
        made.append(cid)
        return cid

    monkeypatch.setattr(NewCycleDialog, "start_cycle", staticmethod(start))
    window.actions["start_cycle"].trigger()
    assert made and window.detail.record.id == made[0]
    window.actions["observe_lesson"].trigger()
    qtbot.waitUntil(lambda: isinstance(window.detail.workspace, CycleWorkspace), timeout=3000)
    workspace = window.detail.workspace
    assert workspace.observe_tab.observation_mode
    assert workspace.current_page() is workspace.observe_tab
