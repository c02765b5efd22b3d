"""Fixtures and helpers shared by the peer review GUI tests (test_review_*.py import them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from peerreview.review import reviews as rv
from peerreview.sync.store import Store
from ui.shell.privacy import PrivacyMode
from ui.shell.session import Session

#: What teachers type: markup, ampersands, quotes, Welsh and accented names.
HOSTILE = '<b>Ysgol & "Zoë" Ní Bhriain</b> — ŵŷ'
VISIT_DAY = dt.date(2026, 3, 3)
NOW = dt.datetime(2026, 3, 3, 10, 40)
NAMES = ("Amira Patel", "Dafydd Evans", "Ben Jones")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Two schools and their people: leaders from Grace Academy review Coundon Court."""
    s = Store.init(
        tmp_path / "review.db",
        device_name="Amira's laptop",
        author="Amira Patel",
        partnership_name="Coventry Schools Partnership",
    )
    host = s.create(
        "school", {"name": "Coundon Court", "urn": 103712, "headteacher_name": "Olu Adeyemi"}
    )
    partner = s.create("school", {"name": "Grace Academy", "urn": 135335})
    s.create("person", {"name": "Amira Patel", "school": partner, "role": "Headteacher"})
    s.create("person", {"name": "Dafydd Evans", "school": partner, "role": "Deputy headteacher"})
    s.create("person", {"name": "Ben Jones", "school": host, "role": "Deputy headteacher"})
    yield s
    s.close()


@pytest.fixture
def session(app: QApplication, store: Store) -> Session:
    return Session(store, privacy=PrivacyMode())


def host_school(store: Store) -> str:
    return next(s.id for s in store.list("school") if s["name"] == "Coundon Court")


def partner_school(store: Store) -> str:
    return next(s.id for s in store.list("school") if s["name"] == "Grace Academy")


def plan(session: Session, framework: str = "review-estimates", *, team: bool = True) -> str:
    """A review of Coundon Court on 3 and 4 March 2026, with its team, made through the core."""
    store = session.store
    fw = rv.Framework.from_form(session.forms.get(framework))
    rid = rv.plan_review(
        store,
        fw,
        school=host_school(store),
        start_date=VISIT_DAY,
        end_date=VISIT_DAY + dt.timedelta(days=1),
        focus="Reading",
        enquiry_question="To what extent do pupils read widely?" if not fw.judged else "",
    )
    if team:
        people = {p["name"]: p for p in store.list("person")}
        for name, role in zip(
            NAMES, ("Lead reviewer", "Reviewer", "Host link leader"), strict=True
        ):
            person = people[name]
            rv.add_member(
                store, rid, name=name, role=role, person=person.id, school=person["school"]
            )
        rv.add_activity(
            store, rid, day=VISIT_DAY, start="10:30", end="11:15", activity="Work scrutiny"
        )
    return rid


@pytest.fixture
def open_workspace(qtbot: Any, session: Session) -> Callable[..., Any]:
    """``open_workspace(review_id)``: a ReviewWorkspace, shown and active, "now" 10:40 on day 1."""
    from ui.review.workspace import ReviewWorkspace

    def open_(review_id: str, now: dt.datetime = NOW) -> ReviewWorkspace:
        ws = ReviewWorkspace(session, review_id, clock=lambda: now)
        qtbot.addWidget(ws)
        ws.resize(1280, 800)
        ws.show()
        ws.activateWindow()
        qtbot.waitUntil(ws.isActiveWindow, timeout=2000)
        return ws

    return open_


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def all_texts(root: QWidget) -> str:
    """Every text a person (or a screen reader) could read in a widget tree."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QPlainTextEdit

    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        out += [w.toolTip(), w.accessibleName(), w.accessibleDescription()]
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QLineEdit):
            out += [w.text(), w.placeholderText()]
        elif isinstance(w, QPlainTextEdit):
            out.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
    return "\n".join(out)


def unnamed_controls(root: QWidget) -> list[str]:
    """Visible controls a screen reader could not name (as test_accessibility.py checks)."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
    )

    controls = (
        QAbstractButton,
        QLineEdit,
        QPlainTextEdit,
        QComboBox,
        QAbstractItemView,
        QAbstractSpinBox,
    )
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, controls) or not w.isVisibleTo(root):
            continue
        if isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox | QAbstractSpinBox):
            continue
        if type(w).__name__ in ("QScrollBar", "QHeaderView") or w.objectName().startswith("qt_"):
            continue
        if not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text()):
            missing.append(f"{type(w).__name__} {w.objectName()!r} in {type(w.parent()).__name__}")
    return missing
