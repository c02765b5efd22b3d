"""The start painted from the last session's note (ui/shell/start_cache.py, docs/start.md): the
note is left on closing, used by the next start of the same unchanged database, ignored when the
database changed or is another, replaced by the real rows when the window goes live, and no input
reaches the window before then. No names are left behind in privacy mode."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QPushButton

from peerreview.forms import forms_dir, load_forms
from peerreview.review import reviews as rv
from peerreview.sync.store import Store
from ui.shell import start_cache


def _review_today(path: Path) -> None:
    store = Store.open(path)
    school = store.list("school")[0].id
    fw = rv.Framework.from_form(load_forms(forms_dir()).get("review-estimates"))
    rv.plan_review(store, fw, school=school, start_date=dt.date.today(), focus="Reading")
    store.close()


def _launcher(settings: Any, *, from_note: bool = True) -> Any:
    from ui.shell.app import Launcher

    return Launcher(settings, from_note=from_note)


def _session_then_close(settings: Any, db_path: Path, qtbot: Any) -> None:
    """A session on ``db_path`` (opened as usual), closed: it leaves its note."""
    first = _launcher(settings, from_note=False)
    assert first.open_database(db_path)
    first.shutdown()


def _start(settings: Any, db_path: Path) -> Any:
    launcher = _launcher(settings)
    assert launcher.start(db_path)
    return launcher


def test_closing_leaves_a_note_the_next_start_paints_from(
    app: Any, settings: Any, db_path: Path, qtbot: Any
) -> None:
    _review_today(db_path)
    _session_then_close(settings, db_path, qtbot)
    path = start_cache.cache_path(settings)
    assert path.is_file()
    assert path.parent == Path(settings.qsettings.fileName()).parent  # beside the settings
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # names of schools: this user's only
    note = json.loads(path.read_text(encoding="utf-8"))
    assert note["database"] == str(db_path.resolve())
    assert [r["text"] for r in note["rows"]][0] == "Test Partnership"

    launcher = _start(settings, db_path)
    window = launcher.window
    assert window is not None and not window.live and launcher.session is None
    # The real window, painted from the note: its title, the menus' names, the rows, the
    # partnership's page with today's visit.
    assert window.windowTitle() == "Test Partnership — PeerReview"
    assert "&Review" in [a.text() for a in window.menuBar().actions()]
    model = window.tree.model()
    top = model.index(0, 0)
    assert top.data() == "Test Partnership"
    assert window.tree.isExpanded(top)
    assert [model.index(r, 0, top).data() for r in range(model.rowCount(top))] == [
        "Groups",
        "Schools",
    ]
    today = window.start_frame.page.findChild(QPushButton, "todaysVisit")
    assert today is not None and "Today: review of Coundon Court, day 1 of 1" in today.text()
    window.grab()  # painted
    sizes = window.splitter.sizes()

    qtbot.waitUntil(lambda: window.live, timeout=5000)
    assert launcher.session is not None and window.session is launcher.session
    assert window.start_frame is None
    live = window.tree.model()
    assert live is window.model and live.index(0, 0).data() == "Test Partnership"
    assert window.tree.isExpanded(live.index(0, 0))
    assert window.tree.currentIndex() == live.index(0, 0)
    # The page is the real one at once (not held): today's visit is there, live.
    qtbot.waitUntil(
        lambda: window.detail.findChild(QPushButton, "todaysVisit") is not None, timeout=3000
    )
    assert window.splitter.widget(1) is window.detail
    assert window.splitter.sizes() == sizes  # the real page in the noted one's place and size
    launcher.shutdown()


def test_no_input_reaches_the_window_until_it_is_live(
    app: Any, settings: Any, db_path: Path, qtbot: Any
) -> None:
    _session_then_close(settings, db_path, qtbot)
    launcher = _start(settings, db_path)
    window = launcher.window
    assert not window.live
    tree, viewport = window.tree, window.tree.viewport()
    top = tree.model().index(0, 0)
    schools = tree.visualRect(tree.model().index(1, 0, top)).center()
    press = QMouseEvent(
        QEvent.Type.MouseButtonPress,
        QPointF(schools),
        viewport.mapToGlobal(QPointF(schools)),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, press)
    down = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tree, down)
    assert tree.currentIndex() == top  # neither the click nor the key moved to a noted row
    assert window.start_frame.gate.held >= 2
    qtbot.waitUntil(lambda: window.live, timeout=5000)
    QApplication.sendEvent(tree, down)
    live_top = window.model.index(0, 0)
    assert tree.currentIndex() == window.model.index(0, 0, live_top)  # live: the key moves
    launcher.shutdown()


def test_a_changed_database_is_opened_as_usual_and_its_note_removed(
    app: Any, settings: Any, db_path: Path, qtbot: Any
) -> None:
    _session_then_close(settings, db_path, qtbot)
    store = Store.open(db_path)  # another program (the command line) changes it meanwhile
    store.create("school", {"name": "Finham Park", "urn": 137133}, form=("school", 1))
    store.close()
    assert start_cache.load(settings, db_path) is None
    assert not start_cache.cache_path(settings).exists()
    launcher = _start(settings, db_path)
    assert launcher.window.live  # opened as before: no note to paint from
    launcher.shutdown()


def test_another_databases_note_is_not_used_and_is_kept(
    app: Any, settings: Any, db_path: Path, tmp_path: Path, qtbot: Any
) -> None:
    _session_then_close(settings, db_path, qtbot)
    other = tmp_path / "other.db"
    Store.init(other, device_name="Test laptop", partnership_name="Other Partnership").close()
    launcher = _start(settings, other)
    assert launcher.window.live  # another database: opened as usual
    assert launcher.window.windowTitle().startswith("Other Partnership")
    launcher._release()  # closing it leaves its own note in place of the first's
    note = json.loads(start_cache.cache_path(settings).read_text(encoding="utf-8"))
    assert note["database"] == str(other.resolve())
    assert start_cache.load(settings, db_path) is None


def test_a_note_from_another_day_does_not_offer_that_days_visit(
    app: Any, settings: Any, db_path: Path, qtbot: Any
) -> None:
    _review_today(db_path)
    _session_then_close(settings, db_path, qtbot)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    note = start_cache.load(settings, db_path, today=tomorrow)
    assert note is not None and note.page is not None
    assert note.page.today == [] and note.page.title == "Test Partnership"


def test_a_partnership_with_many_actions_leaves_a_note_that_fits(
    app: Any, settings: Any, db_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its due actions are read on a worker (a regional partnership's 15,000): closing stops the
    session's reads before taking the note, so taking it starts none, whose connection, closed
    after the note was stamped, would change the database file and so make the note never fit."""
    import threading

    from ui.plans import due

    monkeypatch.setattr(due, "READ_HERE_UP_TO", -1)  # every partnership has many
    reading = due.due_and_overdue

    def slow_read(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)  # as long as a regional partnership's, and more
        return reading(*args, **kwargs)

    monkeypatch.setattr(due, "due_and_overdue", slow_read)
    first = _launcher(settings, from_note=False)
    assert first.open_database(db_path)
    qtbot.waitUntil(lambda: first.window.detail.findChild(due.DueActions) is not None)
    due_lists = first.window.detail.findChild(due.DueActions)
    assert due_lists.reads is not None
    if due_lists.reads.pending:
        with qtbot.waitSignal(due_lists.reads.settled, timeout=5000):
            pass
    first.shutdown()
    qtbot.waitUntil(
        lambda: not any(t.name == "background reads" for t in threading.enumerate()),
        timeout=5000,
    )
    assert start_cache.load(settings, db_path) is not None


def _reading_until_stopped(monkeypatch: pytest.MonkeyPatch, seconds: float) -> Any:
    """The due actions always read on a worker, in one statement that runs for about ``seconds``
    unless it is stopped; the event is set once such a read has begun."""
    import threading

    from ui.plans import due

    monkeypatch.setattr(due, "READ_HERE_UP_TO", -1)
    begun = threading.Event()
    reading = due.due_and_overdue

    def long_read(store: Store, *args: Any, **kwargs: Any) -> Any:
        begun.set()
        # Counts to a number that takes about ``seconds`` (SQLite counts some millions a second).
        count = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) "
        store.db.execute(count + "SELECT count(*) FROM c", [int(seconds * 5_000_000)]).fetchall()
        return reading(store, *args, **kwargs)

    monkeypatch.setattr(due, "due_and_overdue", long_read)
    return begun


def _no_reads_left(qtbot: Any) -> None:
    import threading

    qtbot.waitUntil(
        lambda: not any(t.name == "background reads" for t in threading.enumerate()),
        timeout=20_000,
    )


def test_a_read_still_running_at_close_no_longer_voids_the_note(
    app: Any, settings: Any, db_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feature's read on a worker, still running when the window closes, is stopped (its
    statement interrupted, its connection closed) before the note is stamped: the note fits."""
    begun = _reading_until_stopped(monkeypatch, seconds=3)
    first = _launcher(settings, from_note=False)
    assert first.open_database(db_path)
    qtbot.waitUntil(begun.is_set, timeout=5000)  # the start page's due actions: reading now
    first.shutdown()
    _no_reads_left(qtbot)
    assert start_cache.load(settings, db_path) is not None
    launcher = _start(settings, db_path)
    assert not launcher.window.live  # painted from the note
    launcher.shutdown()


def test_a_read_that_does_not_stop_in_time_leaves_no_note(
    app: Any, settings: Any, db_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that goes on past the wait (Python work between statements) would change the file
    after the note was stamped: no note is left, rather than one that never fits."""
    from ui.plans import due
    from ui.shell import background

    _session_then_close(settings, db_path, qtbot)
    assert start_cache.cache_path(settings).exists()  # the last session's, to be removed
    monkeypatch.setattr(due, "READ_HERE_UP_TO", -1)
    monkeypatch.setattr(background, "STOP_WITHIN", 0.0)
    begun, released = threading.Event(), threading.Event()
    reading = due.due_and_overdue

    def slow_read(*args: Any, **kwargs: Any) -> Any:
        begun.set()
        released.wait(10)  # Python work, no statement: nothing to interrupt
        return reading(*args, **kwargs)

    monkeypatch.setattr(due, "due_and_overdue", slow_read)
    first = _launcher(settings, from_note=False)
    assert first.open_database(db_path)
    qtbot.waitUntil(begun.is_set, timeout=5000)
    first.shutdown()
    released.set()
    assert not start_cache.cache_path(settings).exists()
    _no_reads_left(qtbot)


def test_privacy_mode_leaves_no_note(app: Any, settings: Any, db_path: Path, qtbot: Any) -> None:
    first = _launcher(settings, from_note=False)
    assert first.open_database(db_path)
    first.window.set_privacy(True)
    first.shutdown()
    assert not start_cache.cache_path(settings).exists()
    launcher = _start(settings, db_path)
    assert launcher.window.live  # opened as usual (and with names hidden)
    launcher.shutdown()


def test_a_damaged_note_is_ignored(app: Any, settings: Any, db_path: Path, qtbot: Any) -> None:
    _session_then_close(settings, db_path, qtbot)
    start_cache.cache_path(settings).write_text("{not json", encoding="utf-8")
    launcher = _start(settings, db_path)
    assert launcher.window.live
    launcher.shutdown()


def test_closing_before_it_is_live_opens_nothing(
    app: Any, settings: Any, db_path: Path, qtbot: Any
) -> None:
    _session_then_close(settings, db_path, qtbot)
    launcher = _start(settings, db_path)
    window = launcher.window
    window.close()
    qtbot.wait(50)
    assert launcher.window is None and launcher.session is None
    assert not window.live
    launcher.shutdown()


_PROBE = r"""
import json, os, sys, time
from pathlib import Path
from PySide6.QtCore import QSettings
from ui.shell.app import Launcher, make_application
from ui.shell.settings import AppSettings
db, ini = Path(sys.argv[1]), sys.argv[2]
app = make_application()
launcher = Launcher(AppSettings(QSettings(ini, QSettings.Format.IniFormat)), from_note=True)
assert launcher.start(db)
painted = launcher.window.live
before = sorted(m for m in sys.modules if m.startswith(("sqlite_utils", "peerreview.sync",
    "peerreview.review", "peerreview.partnership", "peerreview.plans", "peerreview.lessonstudy",
    "ui.features", "ui.review", "ui.partnership", "ui.plans", "ui.lessonstudy", "ui.oversight",
    "ui.shell.session", "ui.shell.navigator", "ui.shell.detail", "ui.shell.editors",
    "logging.handlers", "platformdirs", "peerreview.cli")))
window = launcher.window
seen = {}
def went_live():
    seen["live"] = window.live and launcher.session is not None
    app.quit()
window.went_live.connect(went_live)
app.exec()
print(json.dumps({"live_at_once": painted, "before": before, "live": seen.get("live")}))
launcher.shutdown()
"""


def test_the_start_note_path_imports_neither_the_store_nor_the_features(
    app: Any, settings: Any, db_path: Path, qtbot: Any
) -> None:
    """Up to the first paint from the note: no sqlite-utils, store, kinds, features, editors."""
    _session_then_close(settings, db_path, qtbot)
    settings.sync()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(db_path), settings.qsettings.fileName()],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["live_at_once"] is False  # painted from the note
    assert result["before"] == []
    assert result["live"] is True


@pytest.mark.parametrize("argv", [["--db", "x.db"], ["--db=x.db"], []])
def test_the_window_alone_skips_the_command_lines_parser(argv: list[str]) -> None:
    from ui.shell.launcher import _window_only

    assert _window_only(argv) == (Path("x.db") if argv else None)
    assert _window_only(["check", "--db", "x.db"]) is False
    assert _window_only(["--help"]) is False
    assert _window_only(["--db", "--help"]) is False


def test_a_start_in_the_notes_colours_follows_the_system_once_painted(app: Any) -> None:
    """The note says which palette the window was painted in (asking the system before the
    first paint costs Qt's whole namespace of enums); once painted, the system's scheme wins."""
    from ui.shell.theme import DARK, apply_theme, check_scheme

    try:
        apply_theme(app, dark=True)
        assert app.property(DARK) is True
        assert app.palette().window().color().lightness() < 80
        check_scheme(app)  # the offscreen platform's scheme is not dark
        assert app.property(DARK) is False
        assert app.palette().window().color().lightness() > 160
    finally:
        apply_theme(app)


def test_the_note_says_which_colours_the_window_had(
    app: Any, settings: Any, db_path: Path, qtbot: Any
) -> None:
    _session_then_close(settings, db_path, qtbot)
    note = start_cache.load(settings, db_path)
    assert note is not None and note.dark is False
