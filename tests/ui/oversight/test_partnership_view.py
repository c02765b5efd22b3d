"""The partnership view on the demo partnership: figures arrive off the GUI thread, rows open the
records behind them, and what a school keeps to itself stays out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from peerreview.demo import build_demo
from peerreview.plans.demo import TODAY
from peerreview.plans.followthrough import follow_through
from peerreview.review.reviews import Sharing, Stage
from peerreview.schoolyear import SchoolYear
from peerreview.sync.store import Store
from ui.shell.privacy import PrivacyMode
from ui.shell.session import Session

FIGURES = {"follow-through", "coverage", "laptops", "calendar", "themes", "indicators"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store.init(path, device_name="Coordinator's laptop", author="Coordinator") as store:
        build_demo(store, "small", seed=1)
    return path


@pytest.fixture
def session(app: QApplication, demo_db: Path, tmp_path: Path) -> Iterator[Session]:
    copy = tmp_path / "demo.db"
    copy.write_bytes(demo_db.read_bytes())
    s = Session(Store.open(copy), privacy=PrivacyMode())
    yield s
    s.store.close()


def _view(qtbot: Any, session: Session, opened: list[str]) -> Any:
    from ui.oversight.view import PartnershipView

    def open_record(record: str) -> bool:
        opened.append(record)
        return True

    view = PartnershipView(session, open_record=open_record, today=TODAY)
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    qtbot.waitUntil(lambda: view.shown >= FIGURES, timeout=30000)
    return view


def test_the_partnership_view_shows_every_figure(qtbot: Any, session: Session) -> None:
    opened: list[str] = []
    view = _view(qtbot, session, opened)
    truth = follow_through(session.store, TODAY)
    assert view.tiles["unanswered"][0].text() == str(truth.unanswered)
    assert view.tiles["overdue"][0].text() == str(truth.overdue)
    assert view.follow.rowCount() == sum(1 for s in truth.schools if s.concern) > 0
    # A school's row opens the review waiting for its workshop (or the school).
    view.follow.select_row(0)
    view.follow.setFocus()
    qtbot.keyClick(view.follow, Qt.Key.Key_Return)
    assert opened and session.store.kind_of(opened[-1]) in ("review", "school")
    assert "schools with no review, visit, lesson study or contact" in view.coverage_line.text()
    assert view.tiles["quiet"][1].text() == "schools quiet for 12 months"
    assert view.themes.rowCount() > 0 and view.indicators.rowCount() >= 6
    assert view.calendar_line.text()
    devices = session.store.known_devices()  # the demo's lesson study merged three laptops' work
    assert view.laptops.rowCount() == len(devices) > 0
    assert view.laptops_line.text().startswith(f"{len(devices)} laptops have sent bundles")
    # Fewer months flags more schools; the coverage table follows the spin box.
    before = view.coverage.rowCount()
    view.shown.discard("coverage")
    view.months.setValue(3)
    qtbot.waitUntil(lambda: "coverage" in view.shown, timeout=20000)
    assert view.coverage.rowCount() >= before
    # A school's indicators, drawn as the reports draw charts.
    view.school.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.school_chart.chart is not None, timeout=20000)
    qtbot.waitUntil(lambda: not view.school_chart.pixmap().isNull(), timeout=30000)
    view.close()


def test_what_a_school_keeps_to_itself_stays_out_of_the_view(qtbot: Any, session: Session) -> None:
    store = session.store
    secret = "The budget was overspent and governors did not know."
    year = SchoolYear(SCHOOL_YEAR)
    hidden = [
        r
        for r in store.list("review", where={"status": "agreed"})
        if year.first_day.isoformat() <= (r.get("start_date") or "") <= year.last_day.isoformat()
    ][0]
    store.update(hidden.id, {"sharing": Sharing.HOST.value})
    view_id = next(
        v.id
        for v in store.list("area_view", where={"review": hidden.id, "stage": Stage.AGREED.value})
    )
    store.update(view_id, {"ebi": secret + " Leaders should check reading."})
    opened: list[str] = []
    view = _view(qtbot, session, opened)
    index = view.year.findText(f"{SCHOOL_YEAR}-{(SCHOOL_YEAR + 1) % 100:02d}")
    if view.year.currentIndex() != index:
        view.shown.discard("themes")
        view.year.setCurrentIndex(index)
        qtbot.waitUntil(lambda: "themes" in view.shown, timeout=20000)
    tips = [view.themes.tooltip(r) for r in range(view.themes.rowCount())]
    assert tips and all(secret not in t for t in tips)
    rows = [view.themes.record_at(r) for r in range(view.themes.rowCount())]
    assert hidden.id not in rows
    view.close()


SCHOOL_YEAR = SchoolYear.of(TODAY).previous().start_year
