"""After a long job the window catches up in small steps, and the stall benchmark sees it all.

The benchmark (bench/ui_bench.py, (d)) measures the event loop's longest stall while an import runs
and for a second after it; these tests prove the probe sees work done after the job ends, and that
the work after a job is spread over turns of the event loop instead of done in one go.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEventLoop, QTimer

from peerreview.demo import build_demo
from peerreview.sync.bundle import export_bundle
from peerreview.sync.store import Store
from ui.shell.steps import StepQueue

BENCH = Path(__file__).parents[2] / "bench"


@pytest.fixture(scope="module")
def ui_bench() -> Any:
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("ui_bench", BENCH / "ui_bench.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def _spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def test_the_stall_probe_sees_work_done_after_the_job_ends(app: Any, ui_bench: Any) -> None:
    """A stall just before the measured work returns (the GUI thread's work at a job's end) is
    counted, although the probe's timer only fires again after it."""

    def work_then_stall() -> None:
        loop = QEventLoop()

        def end() -> None:
            loop.quit()
            time.sleep(0.2)  # what JobRunner._finished does after the job: reset, summary, ...

        QTimer.singleShot(30, end)
        loop.exec()

    during, after, _seconds = ui_bench.longest_gap(work_then_stall, settle_ms=300)
    assert max(during, after) >= 200
    # And without the settle time, the gap still open at the end is counted.
    during, after, _seconds = ui_bench.longest_gap(work_then_stall)
    assert max(during, after) >= 200


def test_step_queue_spreads_work_over_turns(app: Any, qtbot: Any) -> None:
    turn = [0]  # counts turns of the event loop (a zero timer fires once per turn)
    ticks = QTimer(interval=0)
    ticks.timeout.connect(lambda: turn.__setitem__(0, turn[0] + 1))
    ticks.start()
    queue = StepQueue(budget_s=0.004)
    steps: list[tuple[int, str]] = []

    def slow(name: str) -> Any:
        for i in range(6):
            time.sleep(0.002)
            steps.append((turn[0], f"{name}{i}"))
            yield

    done: list[str] = []
    queue.add("a", slow("a"), on_done=lambda: done.append("a"))
    queue.add("b", lambda: steps.append((turn[0], "whole")), on_done=lambda: done.append("b"))
    with qtbot.waitSignal(queue.idle, timeout=2000):
        pass
    ticks.stop()
    assert [name for _turn, name in steps] == ["a0", "a1", "a2", "a3", "a4", "a5", "whole"]
    per_turn: dict[int, list[str]] = {}
    for t, name in steps:
        per_turn.setdefault(t, []).append(name)
    assert max(len(names) for names in per_turn.values()) <= 3  # about two 2 ms steps per turn
    assert len(per_turn) >= 3
    assert ["whole"] in per_turn.values()  # a whole piece of work has a turn of its own
    assert done == ["a", "b"]

    # Queued again under the same key, work replaces what was waiting; a paused queue drops it.
    paused = [False]
    queue = StepQueue(paused=lambda: paused[0])
    ran: list[int] = []
    queue.add("k", lambda: ran.append(1))
    queue.add("k", lambda: ran.append(2))
    queue.add("j", lambda: ran.append(3))
    paused[0] = True
    with qtbot.waitSignal(queue.idle, timeout=2000):
        pass
    assert ran == [] and not queue.pending()


def _regional_like(tmp_path: Path) -> tuple[Path, Path]:
    """The small demo as a bundle, and an empty database of its partnership to import it into."""
    source = Store.init(tmp_path / "demo.db", device_name="Demo laptop")
    build_demo(source, "small")
    export_bundle(source, tmp_path / "demo.prbundle", full=True, plain=True)
    pid = source.partnership_id
    source.close()
    target = tmp_path / "target.db"
    Store.init(target, device_name="Coordinator's laptop", partnership_id=pid).close()
    return tmp_path / "demo.prbundle", target


def test_after_an_import_the_window_catches_up_in_steps(
    app: Any, qtbot: Any, open_window: Any, tmp_path: Path, qtmodeltester: Any
) -> None:
    bundle, target = _regional_like(tmp_path)
    window = open_window(target)
    model = window.model
    assert model.folder("school").children == []
    turns = [0]
    ticker = QTimer(interval=0)
    ticker.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
    with qtbot.waitSignal(window.jobs.ended, timeout=20_000):
        window.import_bundles([bundle])
    # When the job ends the tree has not caught up yet: that is queued, not done in this turn.
    assert model.syncing
    assert window.session.steps.pending(window.detail)
    ticker.start()
    with qtbot.waitSignal(model.resynced, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: not window.session.steps.pending())
    ticker.stop()
    assert turns[0] >= 2  # the event loop turned while the tree caught up
    store = window.session.store
    assert [n.title for n in model.folder("school").children] == [
        r.title for r in sorted(store.list("school"), key=lambda r: r.title.casefold())
    ]
    assert len(model.folder("group").children) == store.count("group")
    assert window.detail.record is not None and window.detail.record.kind == "partnership"
    qtmodeltester.check(model, force_py=True)
    window._last_summary.reject()


def test_an_edit_while_catching_up_is_not_undone_by_it(
    app: Any, qtbot: Any, open_window: Any, tmp_path: Path
) -> None:
    """The re-sync read the store before the edit; the edit's newer name must stay."""
    from peerreview.sync.bundle import import_bundles

    bundle, target = _regional_like(tmp_path)
    with Store.open(target) as store:
        import_bundles(store, [bundle])
    with Store.open(tmp_path / "demo.db") as source:  # the other laptop renames every school
        for school in source.list("school"):
            source.update(school.id, {"name": f"{school.title} (renamed)"})
        export_bundle(source, tmp_path / "renames.prbundle", full=True, plain=True)
    window = open_window(target)
    with qtbot.waitSignal(window.jobs.ended, timeout=20_000):
        window.import_bundles([tmp_path / "renames.prbundle"])
    window._last_summary.reject()
    steps, model = window.session.steps, window.model
    folder = model.folder("school")
    # Step through the catch-up by hand, and rename a school it has not reached yet.
    while sum("(renamed)" in n.title for n in folder.children) < 2:
        steps.step()
    assert model.syncing
    waiting = next(n for n in folder.children if "(renamed)" not in n.title)
    assert window.session.set_field(str(waiting.record_id), "name", "Aardvark Primary School")
    steps.run_all()
    assert not model.syncing
    titles = [n.title for n in folder.children]
    assert titles[0] == "Aardvark Primary School"
    assert sum("(renamed)" in t for t in titles) == len(titles) - 1
    assert titles[1:] == sorted(titles[1:], key=str.casefold)


def test_after_first_paint_runs_after_the_paint_not_before(app: Any, qtbot: Any) -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    from ui.shell.steps import after_first_paint

    order: list[str] = []

    class Painted(QObject):
        def eventFilter(self, _o: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                order.append("paint")
            return False

    widget = QWidget()
    qtbot.addWidget(widget)
    watcher = Painted(widget)
    widget.installEventFilter(watcher)
    QTimer.singleShot(0, lambda: order.append("zero timer"))  # what the app used to rely on
    after_first_paint(widget, lambda: order.append("after first paint"))
    widget.show()
    qtbot.waitUntil(lambda: "after first paint" in order, timeout=2000)
    assert order.index("zero timer") < order.index("paint")  # why a zero timer is not enough
    assert order.index("paint") < order.index("after first paint")
    assert order.count("after first paint") == 1


def test_the_partnership_editor_comes_just_after_the_first_paint(
    app: Any, qtbot: Any, db_path: Path, settings: Any
) -> None:
    from ui.shell.main_window import MainWindow
    from ui.shell.session import Session

    window = MainWindow(Session(Store.open(db_path)), settings)
    qtbot.addWidget(window)
    # Built, not yet painted: a heading and the summary, no editor (and no forms read).
    assert window.detail.editor is None
    assert window.detail.title.text() == "Test Partnership"
    assert window.session._forms is None
    window.show()
    qtbot.waitUntil(lambda: window.detail.editor is not None, timeout=3000)
    assert window.detail.record is not None and window.detail.record.kind == "partnership"
    assert window.status.unexported.text().endswith("not yet exported")
    window.close()
    window.session.store.close()


def test_garbage_collection_resumes_after_the_catch_up(
    app: Any, qtbot: Any, open_window: Any, db_path: Path
) -> None:
    import gc

    from ui.shell.worker import JOB_GC_THRESHOLDS

    def nothing(*, progress: Any, cancelled: Any) -> int:
        return 1

    usual = gc.get_threshold()
    assert usual != JOB_GC_THRESHOLDS
    window = open_window(db_path)
    try:
        with qtbot.waitSignal(window.jobs.ended, timeout=5000):
            window.jobs.start("Working…", nothing)
        assert gc.get_threshold() == JOB_GC_THRESHOLDS  # still: the views are catching up
        # A second job before that finished must not take the job's thresholds for the usual.
        with qtbot.waitSignal(window.jobs.ended, timeout=5000):
            window.jobs.start("Working again…", nothing)
        qtbot.waitUntil(lambda: not window.session.steps.pending(), timeout=5000)
        assert gc.get_threshold() == usual
    finally:
        gc.set_threshold(*usual)


def test_closing_the_window_during_the_catch_up_puts_the_collector_back(
    app: Any, qtbot: Any, open_window: Any, db_path: Path
) -> None:
    import gc

    from ui.shell.worker import JOB_GC_THRESHOLDS

    def nothing(*, progress: Any, cancelled: Any) -> int:
        return 1

    usual = gc.get_threshold()
    window = open_window(db_path)
    try:
        with qtbot.waitSignal(window.jobs.ended, timeout=5000):
            window.jobs.start("Working…", nothing)
        assert window.session.steps.pending()  # the views are still catching up
        assert gc.get_threshold() == JOB_GC_THRESHOLDS
        window.close()
        assert gc.get_threshold() == usual  # not left raised for the rest of the process
    finally:
        gc.set_threshold(*usual)
