"""Fixtures for the lesson-study GUI tests: a partnership with a cycle, a session, the workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from peerreview.lessonstudy import cycles as cy
from peerreview.sync.store import Store
from ui.lessonstudy.workspace import CycleWorkspace
from ui.shell.privacy import PrivacyMode
from ui.shell.session import Session

NOW = dt.datetime(2026, 3, 10, 9, 40)
STAGES = ("Hook", "Modelling", "Paired practice", "Two-step problem", "Plenary")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.init(
        tmp_path / "ls.db",
        device_name="Asha's laptop",
        author="Asha Patel",
        partnership_name="Coventry Schools Partnership",
    )
    yield s
    s.close()


def make_cycle(store: Store, library: Any) -> str:
    """A cycle at two schools: three teachers, a knowledgeable other, five named stages."""
    lead = store.create("school", {"name": "Stoneleigh Junior School", "urn": 103700})
    partner = store.create("school", {"name": "Allesley Primary School", "urn": 103701})
    cid = cy.create_cycle(
        store,
        library,
        lead,
        title="Reasoning about fractions, Year 5",
        start_date="2026-03-02",
        values={"research_question": "How can the bar model help pupils reason?"},
    )
    cy.add_member(store, cid, name="Asha Patel", school=lead)
    cy.add_member(store, cid, name="Ben Jones", school=partner)
    cy.add_member(store, cid, name="Dr Ruth Ahmed", role="Knowledgeable other")
    lesson = cy.lessons(store, cid)[0].id
    store.update(lesson, {"date": "2026-03-10"})
    for stage, title in zip(cy.stages(store, lesson), STAGES, strict=True):
        store.update(stage.id, {"title": title})
    return cid


@pytest.fixture
def session(app: QApplication, store: Store) -> Session:
    return Session(store, privacy=PrivacyMode())


@pytest.fixture
def cycle(session: Session) -> str:
    return make_cycle(session.store, session.forms)


@pytest.fixture
def workspace(qtbot: Any, session: Session, cycle: str) -> CycleWorkspace:
    ws = CycleWorkspace(session, cycle, clock=lambda: NOW)
    qtbot.addWidget(ws)
    ws.resize(1120, 680)
    ws.show()
    qtbot.waitExposed(ws)
    return ws


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget
