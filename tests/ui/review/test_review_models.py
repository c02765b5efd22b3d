"""Every review model passes qtmodeltester, on the demo partnership and while it is edited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peerreview.demo import build_demo
from peerreview.review import reviews as rv
from peerreview.sync.store import Store
from ui.review.context import ReviewContext
from ui.review.models import (
    EvidenceTableModel,
    enquiry_lines_model,
    schedule_model,
    team_model,
)
from ui.shell.privacy import PrivacyMode
from ui.shell.session import Session


@pytest.fixture
def demo(tmp_path: Path, app: Any) -> Iterator[Session]:
    store = Store.init(tmp_path / "demo.db", device_name="Test laptop", author="Amira Patel")
    build_demo(store, "small")
    yield Session(store, privacy=PrivacyMode())
    store.close()


def _review(session: Session, framework: str) -> str:
    return next(
        r.id
        for r in session.store.list("review")
        if r["framework_id"] == framework and r["status"] == "draft"
    )


def test_team_schedule_and_lines_models(qtmodeltester: Any, demo: Session) -> None:
    ctx = ReviewContext(demo, _review(demo, "review-enquiry"))
    team, schedule, lines = team_model(ctx), schedule_model(ctx), enquiry_lines_model(ctx)
    for model in (team, schedule, lines):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
        qtmodeltester.check(model, force_py=True)
    # Still well-formed while rows are edited, added, removed, and names hidden.
    first = team.rows[0]
    assert team.setData(team.index(0, 2), "Improvement champion")
    assert team.record_at(team.row_of(first.id))["role"] == "Improvement champion"
    added = rv.add_member(demo.store, ctx.review_id, name="Zoë Ní Bhriain", role="Reviewer")
    ctx.notify(added, "review_member")
    assert team.row_of(added) >= 0
    demo.delete(added)
    assert team.row_of(added) == -1
    demo.privacy.set_enabled(True)
    qtmodeltester.check(team, force_py=True)
    line = lines.rows[0]
    assert lines.setData(lines.index(0, 0), "How well do adults model reading aloud?")
    assert demo.store.get(line.id)["text"] == "How well do adults model reading aloud?"


def test_evidence_model(qtmodeltester: Any, demo: Session) -> None:
    ctx = ReviewContext(demo, _review(demo, "review-estimates"))
    model = EvidenceTableModel(ctx)
    assert model.rowCount() == len(rv.evidence(demo.store, ctx.review_id))
    qtmodeltester.check(model)
    qtmodeltester.check(model, force_py=True)
    times = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert all(len(t) == len("25/11/2026 08:45") and t[2] == "/" for t in times)  # British
    assert times == sorted(times, key=lambda t: (t[6:10], t[3:5], t[:2], t[11:]), reverse=True)
    counts = rv.evidence_counts(demo.store, ctx.review_id)
    area = max((a.id for a in ctx.areas()), key=lambda a: counts.get(a, 0))  # one with notes
    model.set_area(area)
    assert model.rowCount() == counts[area] > 0
    note = model.rows[0]
    demo.set_field(note.id, "note", "Edited & saved")
    assert model.data(model.index(0, 3)) == "Edited & saved"
    model.set_area(None)
    day = rv.as_date(demo.store.get(ctx.review_id)["start_date"])
    model.set_day(day)
    assert all(model.data(model.index(r, 0))[2] == ":" for r in range(model.rowCount()))
    qtmodeltester.check(model, force_py=True)
