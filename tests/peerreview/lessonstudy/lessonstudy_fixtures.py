"""Helpers for the lesson-study tests: a partnership with two schools and a cycle ready to plan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peerreview.forms import FormLibrary
from peerreview.lessonstudy import cycles as cy
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.store import Store


@dataclass
class Cycle:
    store: Store
    id: str
    lead: str
    partner: str
    lesson: str
    stages: list[str]
    pupils: list[str]
    members: list[str]


def new_store(folder: Path, name: str, *, partnership: str | None = None) -> Store:
    if partnership is None:
        return Store.init(
            folder / f"{name}.db",
            device_name=f"{name}'s laptop",
            author=name,
            partnership_name="Coventry Schools Partnership",
        )
    return Store.init(
        folder / f"{name}.db",
        device_name=f"{name}'s laptop",
        author=name,
        partnership_id=partnership,
    )


def make_cycle(store: Store, library: FormLibrary, form_id: str = cy.DEFAULT_FORM) -> Cycle:
    lead = store.create("school", {"name": "Stoneleigh Junior School", "urn": 103700})
    partner = store.create("school", {"name": "Allesley Primary School", "urn": 103701})
    cid = cy.create_cycle(
        store,
        library,
        lead,
        title="Reasoning about fractions, Year 5",
        form_id=form_id,
        start_date="2026-03-02",
        values={
            "focus": "We want to learn how to improve the way we teach fractions of amounts so "
            "that pupils reason with a bar model.",
            "research_question": "How can the bar model help pupils reason?",
            "subject": "Mathematics",
            "year_group": "Year 5",
        },
    )
    members = [
        cy.add_member(store, cid, name="Asha Patel", school=lead, role="Teacher"),
        cy.add_member(store, cid, name="Ben Jones", school=partner, role="Teacher"),
        cy.add_member(store, cid, name="Dr Ruth Ahmed", role="Knowledgeable other"),
    ]
    lesson = cy.lessons(store, cid)[0].id
    return Cycle(
        store,
        cid,
        lead,
        partner,
        lesson,
        [s.id for s in cy.stages(store, lesson)],
        [p.id for p in cy.pupils(store, cid)],
        members,
    )


def exchange(source: Store, target: Store, folder: Path, name: str) -> None:
    """Send everything ``source`` has to ``target`` by a real bundle."""
    path = folder / f"{name}.prbundle"
    export_bundle(source, path)
    import_bundle(target, path)
