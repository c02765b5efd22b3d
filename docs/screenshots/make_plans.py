"""Make the action plan and partnership view screenshots (plans-*.png, partnership-view.png) and the
sample reports (docs/report-samples/plan*, governors*, partnership*, themes*) from the small demo.

    .venv/bin/python docs/screenshots/make_plans.py

Runs offscreen in a temporary folder at 1366 x 768 (the school laptop's screen). "Today" is the
demo's: 25 November 2026.
"""

from __future__ import annotations

import subprocess

import shots

HERE, ROOT = shots.HERE, shots.ROOT
SAMPLES = ROOT / "docs" / "report-samples"
WORK = shots.private_home("peerreview-plan-shots-")

from collections.abc import Callable  # noqa: E402

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from peerreview.demo import build_demo  # noqa: E402
from peerreview.plans import workshop as ws  # noqa: E402
from peerreview.plans.demo import TODAY  # noqa: E402
from peerreview.reporting import write_report  # noqa: E402
from peerreview.review.reviews import Status  # noqa: E402
from peerreview.schoolyear import SchoolYear  # noqa: E402
from peerreview.sync.registry import ReportRequest  # noqa: E402
from peerreview.sync.store import Store  # noqa: E402
from ui.oversight.view import PartnershipView  # noqa: E402
from ui.plans.workshop import WorkshopDialog  # noqa: E402
from ui.plans.workspace import PlanWorkspace  # noqa: E402
from ui.shell.app import make_application  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.privacy import PrivacyMode  # noqa: E402
from ui.shell.session import Session  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402

SIZE = (1366, 768)


def wait_for(test: Callable[[], bool], seconds: float = 30) -> None:
    """Run the event loop (as the app does: workers get the interpreter) until ``test`` holds."""
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if test() else None)
    timer.start(50)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()


def settle(app: QApplication, widget: QWidget, rounds: int = 3) -> None:
    shots.settle(app, widget, rounds, wait_ms=60)


def save(app: QApplication, widget: QWidget, name: str) -> None:
    shots.save(app, widget, HERE / f"{name}.png", wait_ms=60)


def busiest_plan(store: Store) -> str:
    """An agreed plan of last school year with the most actions (updates, ratings, overdue)."""
    year = SchoolYear.of(TODAY).previous().name
    plans = [p for p in store.list("plan") if p.get("school_year") == year] or store.list("plan")
    return max(plans, key=lambda p: len(store.list("action", where={"plan": p.id}))).id


def reports(store: Store, plan: str) -> None:
    school = store.get(plan)["school"]
    year = SchoolYear.of(TODAY).previous().name
    for kind, name, request in (
        ("plan", "demo-plan", ReportRequest(record_id=plan, today=TODAY)),
        ("governors", "demo-governors", ReportRequest(school=school, today=TODAY)),
        ("partnership", "demo-partnership", ReportRequest(year=year, today=TODAY)),
        ("themes", "demo-themes", ReportRequest(year=year, today=TODAY)),
    ):
        for fmt in ("pdf", "docx"):
            out = write_report(
                store, kind, request.record_id, fmt, SAMPLES / f"{name}.{fmt}", request=request
            )
            print(f"wrote {out.relative_to(ROOT)}")
        for stale in SAMPLES.glob(f"{name}-*.png"):
            stale.unlink()
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(SAMPLES / f"{name}.pdf"), str(SAMPLES / name)],
            check=True,
        )


def main() -> None:
    app = make_application()
    db = WORK / "demo.db"
    with Store.init(db, device_name="Coordinator's laptop", author="Demo user") as store:
        build_demo(store, "small", seed=1)
        plan = busiest_plan(store)
        reports(store, plan)
    session = Session(Store.open(db), privacy=PrivacyMode())
    settings = AppSettings(QSettings(str(WORK / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(session, settings)
    window.resize(*SIZE)
    window.show()
    settle(app, window)
    store = session.store
    # The plan, opened from the navigator, an overdue action with its ratings chosen.
    window.select_record(plan)
    settle(app, window, 6)
    view = window.current_view()
    assert isinstance(view, PlanWorkspace)
    view.today = TODAY
    view.refresh()
    late = next(
        (
            a.id
            for a in store.list("action", where={"plan": plan})
            if a.get("status") == "in_progress"
            and len(store.list("progress_update", where={"action": a.id})) > 1
        ),
        None,
    )
    if late:
        view.select(late)
    save(app, window, "plans-plan")
    view.tabs.setCurrentIndex(1)
    wait_for(lambda: not view.chart.pixmap().isNull())
    save(app, window, "plans-governors")
    # The improvement workshop of a review still waiting for it.
    waiting = next(
        r.id
        for r in store.list("review", where={"status": Status.AGREED.value})
        if ws.plan_for(store, r.id) is None
        and r.get("framework_id") != "review-enquiry"
        and len(ws.review_ebis(store, session.forms, r.id)) >= 3
    )
    dialog = WorkshopDialog(session, waiting, today=TODAY, parent=window)
    dialog.resize(*SIZE)
    dialog.show()
    first = dialog.cards[0]
    first.choose("new_priority")
    first.words.setText("Leaders check the impact of their subject plans on pupils' work")
    first.submit()
    if len(dialog.cards) > 2:
        dialog.cards[2].choose("no_action")
        dialog.cards[2].words.setText("Covered by the trust's curriculum review this year.")
        dialog.cards[2].submit()
    if len(dialog.cards) > 1:
        dialog.cards[1].choose("new_action")
    save(app, dialog, "plans-workshop")
    dialog.close()
    # A progress update with evidence the school already has linked, and the picker.
    from peerreview.plans import evidence as ev
    from ui.plans.evidence import EvidenceList, EvidencePicker

    update = next(
        u for u in store.list("progress_update", where={"school": store.get(plan)["school"]})
    )
    offered = ev.candidates(store, str(update["school"]))
    picks = [e.id for e in offered if e.kind == "evidence"][:1] + [
        e.id for e in offered if e.kind == "indicator"
    ][:1]
    ev.link(store, update.id, picks)
    window.select_record(update.id)
    panel = window.findChild(EvidenceList, "evidenceList")
    assert panel is not None
    panel.load()
    save(app, window, "plans-evidence")
    picker = EvidencePicker(session, str(update["school"]), parent=window)
    picker.search.setText("walk")
    picker.show()
    if picker.list.count():
        picker.list.item(0).setSelected(True)
    save(app, picker, "plans-evidence-picker")
    picker.close()
    # The partnership view, every figure in.
    board = PartnershipView(session, open_record=window.select_record, today=TODAY)
    board.resize(*SIZE)
    board.show()
    wait_for(lambda: len(board.shown) >= 6 and not board.themes_chart.pixmap().isNull())
    board.school.setCurrentIndex(3)
    wait_for(lambda: not board.school_chart.pixmap().isNull())
    save(app, board, "partnership-view")
    board.close()
    window.close()
    session.store.close()


if __name__ == "__main__":
    main()
