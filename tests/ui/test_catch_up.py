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


def _imported_window(tmp_path: Path, open_window: Any, qtbot: Any) -> Any:
    """A window on an empty database that has just imported the small demo (its summary
    dismissed): the catch-up is queued, not yet run."""
    bundle, target = _regional_like(tmp_path)
    window = open_window(target)
    with qtbot.waitSignal(window.jobs.ended, timeout=20_000):
        window.import_bundles([bundle])
    window._last_summary.reject()
    return window


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


def _nothing(*, progress: Any, cancelled: Any) -> int:
    """A job that ends at once: what follows it is the views' catch-up."""
    return 1


def test_garbage_collection_resumes_after_the_catch_up(
    app: Any, qtbot: Any, open_window: Any, db_path: Path
) -> None:
    import gc

    from ui.shell.worker import JOB_GC_THRESHOLDS

    usual = gc.get_threshold()
    assert usual != JOB_GC_THRESHOLDS
    window = open_window(db_path)
    try:
        with qtbot.waitSignal(window.jobs.ended, timeout=5000):
            window.jobs.start("Working…", _nothing)
        assert gc.get_threshold() == JOB_GC_THRESHOLDS  # still: the views are catching up
        # A second job before that finished must not take the job's thresholds for the usual.
        with qtbot.waitSignal(window.jobs.ended, timeout=5000):
            window.jobs.start("Working again…", _nothing)
        qtbot.waitUntil(lambda: not window.session.steps.pending(), timeout=5000)
        assert gc.get_threshold() == usual
    finally:
        gc.set_threshold(*usual)


def test_closing_the_window_during_the_catch_up_puts_the_collector_back(
    app: Any, qtbot: Any, open_window: Any, db_path: Path
) -> None:
    import gc

    from ui.shell.worker import JOB_GC_THRESHOLDS

    usual = gc.get_threshold()
    window = open_window(db_path)
    try:
        with qtbot.waitSignal(window.jobs.ended, timeout=5000):
            window.jobs.start("Working…", _nothing)
        assert window.session.steps.pending()  # the views are still catching up
        assert gc.get_threshold() == JOB_GC_THRESHOLDS
        window.close()
        assert gc.get_threshold() == usual  # not left raised for the rest of the process
    finally:
        gc.set_threshold(*usual)


def _tree(node: Any) -> list[Any]:
    """A navigator's rows as nested (role, title, note, closed, children), to compare two trees."""
    return [(n.role, n.title, n.note, n.closed, _tree(n)) for n in node.children]


def test_the_navigator_ends_up_with_every_group_member_after_a_catch_up_in_steps(
    app: Any, qtbot: Any, open_window: Any, tmp_path: Path, qtmodeltester: Any
) -> None:
    """The catch-up lists each group's member schools in a step of its own (a regional
    partnership's every member at once was one long step); stepped through to the end, with a
    group renamed halfway, the tree is the one a window opened afterwards builds."""
    from peerreview.partnership.memberships import member_schools
    from ui.shell.navigator import NavigatorModel

    window = _imported_window(tmp_path, open_window, qtbot)
    steps, model, store = window.session.steps, window.model, window.session.store
    groups = model.folder("group")
    navigator_steps = 0
    while not groups.children:
        steps.step()
        navigator_steps += 1
    renamed = groups.children[0]
    assert window.session.set_field(str(renamed.record_id), "name", "Aardvark cluster")
    while steps.pending(model):
        steps.step()
        navigator_steps += 1
    steps.run_all()
    members = member_schools(store, [r.id for r in store.list("group")])
    assert sum(map(len, members.values())) > store.count("group")  # groups with members
    for group in groups.children:
        listed = [n.record_id for n in group.children if n.role == "member"]
        assert sorted(listed) == sorted(members[str(group.record_id)]), group.title
    assert any(n.title == "Aardvark cluster" and n.children for n in groups.children)
    # More steps than groups: not every member in one.
    assert navigator_steps > store.count("group")
    assert _tree(model.root) == _tree(NavigatorModel(window.session).root)
    qtmodeltester.check(model, force_py=True)


def test_no_step_of_the_navigators_catch_up_grows_with_the_partnership(
    app: Any, qtbot: Any, open_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """Each step reads, makes and inserts at most ``STEP_ROWS`` records' rows (here 3), so the
    600 schools of a regional partnership are never one long step; the tree still ends complete."""
    from ui.shell import navigator

    monkeypatch.setattr(navigator, "STEP_ROWS", 3)
    window = _imported_window(tmp_path, open_window, qtbot)
    steps, model, store = window.session.steps, window.model, window.session.store
    made, read, listed = [0], [0], [0]
    record_node, get_many, list_all = model._record_node, store.get_many, store.list

    def counting_node(record: Any) -> Any:
        made[0] += 1
        return record_node(record)

    def counting_get_many(ids: Any) -> Any:
        read[0] += len(ids)
        return get_many(ids)

    def counting_list(kind: str, **kwargs: Any) -> Any:
        listed[0] += not kwargs.get("where")  # a whole kind (one group's memberships is fine)
        return list_all(kind, **kwargs)

    monkeypatch.setattr(model, "_record_node", counting_node)
    monkeypatch.setattr(store, "get_many", counting_get_many)
    monkeypatch.setattr(store, "list", counting_list)
    schools = model.folder("school")
    per_step = []
    while steps.pending(model):
        before = (made[0], read[0], len(schools.children))
        steps.step()
        grown = len(schools.children) - before[2]
        per_step.append((made[0] - before[0], read[0] - before[1], grown))
    assert max(m for m, _r, _i in per_step) <= 3  # rows made
    assert max(r for _m, r, _i in per_step) <= 3  # records read
    assert max(i for _m, _r, i in per_step) <= 3  # rows inserted
    assert listed[0] == 0  # no kind read whole
    assert sum(m for m, _r, _i in per_step) >= store.count("school") + store.count("group")
    steps.run_all()
    assert [n.record_id for n in schools.children] == [
        r.id for r in sorted(store.list("school"), key=lambda r: (r.title.casefold(), r.id))
    ]


def test_the_forms_are_read_on_a_thread_while_a_job_runs(
    app: Any, qtbot: Any, open_window: Any, db_path: Path
) -> None:
    """A long job's end opens an editor; the forms it needs are read meanwhile, off the window's
    thread, and asking for them early waits for that reading rather than reading twice."""
    import threading

    from ui.shell import session as session_module

    window = open_window(db_path)
    session = window.session
    session._forms = None
    threads: list[str] = []
    real = session_module.load_form_library

    def reading() -> Any:
        threads.append(threading.current_thread().name)
        return real()

    started = threading.Event()
    under_way = threading.Event()

    def job(*, progress: Any, cancelled: Any) -> int:
        under_way.wait(5)
        progress(0, 1)  # under way: its process, when it has one, is up
        started.wait(5)
        return 1

    original = session_module.load_form_library
    session_module.load_form_library = reading
    try:
        with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
            window.jobs.start("Working…", job)
            # Not as the job starts (its process starting takes the other core) ...
            qtbot.wait(50)
            assert session._forms_thread is None
            under_way.set()
            # ... but once it is under way.
            qtbot.waitUntil(lambda: session._forms_thread is not None, timeout=5_000)
            assert session._forms_thread is not None  # reading while the job runs
            session._forms_thread.join(5)
            started.set()
        assert session.forms.get("review-estimates") is not None
        assert threads == ["peerreview-forms"]  # once, and not on the window's thread
    finally:
        session_module.load_form_library = original


def test_what_the_start_made_is_left_out_of_full_collections(
    app: Any, qtbot: Any, open_window: Any, db_path: Path
) -> None:
    """Once the window has started (its first paint, the search's preparation), what is alive is
    frozen out of Python's full collections, which otherwise walk it every time; when the window
    closes it is put back, so that the next window's collections free the last one's garbage."""
    import gc

    gc.unfreeze()  # (an earlier test's window may have been left open)
    window = open_window(db_path)
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=10_000)
    window.close()
    assert gc.get_freeze_count() == 0


def _prepared_during_a_job(window: Any, qtbot: Any, *modules: str) -> None:
    """Run a job that reports it is under way, ask for ``modules`` for its end, and let it end
    once the last of them has been imported."""
    import threading

    release = threading.Event()

    def job(*, progress: Any, cancelled: Any) -> int:
        progress(0, 1)  # under way
        release.wait(5)
        return 1

    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.jobs.start("Working…", job)
        window.session.after_job_needs(*modules)
        qtbot.waitUntil(lambda: modules[-1] in sys.modules, timeout=5_000)
        release.set()


def test_the_window_imports_its_own_modules_on_its_own_thread(
    app: Any, qtbot: Any, open_window: Any, db_path: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """What a job's end needs is prepared once the job is under way; a module that is not the
    core's (it may define Qt classes) is imported on the window's thread, never on a thread of
    its own: shiboken's table of classes is not safe to change beside the window's thread (a
    segfault in MetaObjectBuilder::update); and the preload thread refuses such a module."""
    import threading

    from ui.shell.preload import preload

    (tmp_path / "window_part_probe.py").write_text(
        "import threading\nTHREAD = threading.current_thread().name\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "window_part_probe", raising=False)
    _prepared_during_a_job(open_window(db_path), qtbot, "window_part_probe")
    assert sys.modules["window_part_probe"].THREAD == threading.current_thread().name
    assert threading.current_thread() is threading.main_thread()
    with pytest.raises(ValueError, match="only the core"):
        preload(["ui.shell.editors"])


def test_the_window_s_modules_are_imported_one_a_turn(
    app: Any, qtbot: Any, open_window: Any, db_path: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """Each of the window's modules a job's end needs is imported in a turn of its own (together
    they stalled the window for 28-34 ms): what the first one's import queued runs before the
    second is imported."""

    (tmp_path / "turn_probe_a.py").write_text(
        "from PySide6.QtCore import QTimer\n"
        "TURNS = []\n"
        "QTimer.singleShot(0, lambda: TURNS.append('a turn between'))\n"
    )
    (tmp_path / "turn_probe_b.py").write_text(
        "import turn_probe_a\nSEEN = list(turn_probe_a.TURNS)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("turn_probe_a", "turn_probe_b"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    _prepared_during_a_job(open_window(db_path), qtbot, "turn_probe_a", "turn_probe_b")
    assert sys.modules["turn_probe_b"].SEEN == ["a turn between"]


def test_the_editor_s_module_list_is_whole(probe: Any) -> None:
    """Imported in ``detail.EDITOR_MODULES``'s order beside a started window, each of its turns
    brings in no module of the window's but its own: a module added to the editor and not to the
    list would be imported in someone else's turn, and make it long again."""
    result = probe(
        """
import json, os, sys, tempfile
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from peerreview.sync.store import Store
from ui.shell.main_window import MainWindow
from ui.shell.session import Session
from ui.shell.settings import AppSettings
from ui.shell.detail import EDITOR_MODULES
folder = Path(tempfile.mkdtemp())
store = Store.init(folder / "x.db", device_name="Probe laptop")
settings = AppSettings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
window = MainWindow(Session(store), settings)
window.show()
for _ in range(50):
    app.processEvents()
turns = {}
for name in EDITOR_MODULES:
    before = set(sys.modules)
    __import__(name)
    turns[name] = sorted(m for m in set(sys.modules) - before if m.startswith("ui.") and m != name)
print(json.dumps({"turns": turns, "last": EDITOR_MODULES[-1]}))
"""
    )
    assert result["last"] == "ui.shell.editors"
    assert {name: extra for name, extra in result["turns"].items() if extra} == {}
