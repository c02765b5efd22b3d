"""Fixtures for the desktop app's tests: offscreen Qt, private folders and settings, a database,
an open main window, and dialogs that answer themselves (recorded, so tests can read them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from peerreview.sync.store import Store  # noqa: E402

#: Harmless messages of the offscreen platform plugin (there is no window manager to ask).
OFFSCREEN_NOISE = ("propagateSizeHints", "QFont::setPointSizeF", "This plugin does not support")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs (data, logs) and QSettings point into the test's own folder."""
    home = tmp_path / "home"
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    return home


@pytest.fixture(autouse=True)
def deferred_deletes() -> Iterator[None]:
    """Carry out each test's deleteLater()s before the next test starts."""
    yield
    if QApplication.instance() is not None:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(scope="session", autouse=True)
def clipboard_emptied_at_the_end() -> Iterator[None]:
    """Qt's offscreen platform crashes as the interpreter exits when the clipboard still holds
    QMimeData an app set (copying grid cells does): the run would end in a segfault, exit code 139,
    after every test passed. Empty it once the tests are done. (On a real desktop, X11 included,
    the clipboard is handed over as it should be.)"""
    yield
    if QApplication.instance() is not None:
        QApplication.clipboard().clear()


@pytest.fixture(scope="session")
def app(qapp: QApplication) -> QApplication:
    """The test QApplication set up exactly as the real app sets itself up."""
    from ui.shell.app import make_application

    return make_application()


@pytest.fixture
def settings(tmp_path: Path) -> Any:
    from ui.shell.settings import AppSettings

    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A new partnership database with one school, made by the core."""
    path = tmp_path / "partnership.db"
    store = Store.init(
        path, device_name="Test laptop", author="Amira Patel", partnership_name="Test Partnership"
    )
    store.create(
        "school", {"name": "Coundon Court", "urn": 103712, "phase": "Secondary"}, form=("school", 1)
    )
    store.close()
    return path


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo partnership, built once for the run: tests open a copy (``demo_copy``)."""
    from peerreview.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store.init(path, device_name="Demo laptop", author="Demo user") as store:
        build_demo(store, "small")
    return path


@pytest.fixture
def demo_copy(demo_file: Path, tmp_path: Path) -> Path:
    """The test's own copy of the small demo partnership."""
    copy = tmp_path / "demo.db"
    copy.write_bytes(demo_file.read_bytes())
    return copy


@pytest.fixture
def shared_folder(db_path: Path, tmp_path: Path) -> Path:
    """The partnership's shared folder (as SharePoint keeps it), holding a member laptop's
    bundle that brings one new school, "Shared through the folder"."""
    from peerreview.sync.enrolment import enrol
    from peerreview.sync.sync_folders import sync_folder

    folder = tmp_path / "SharePoint - Partnership"
    folder.mkdir()
    with Store.open(db_path) as first:
        member = Store.init(tmp_path / "m.db", device_name="Member laptop")
        enrol(first, member)
    member.create("school", {"name": "Shared through the folder", "urn": 999777})
    sync_folder(member, folder)
    member.close()
    return folder


class Dialogs:
    """Stands in for QMessageBox's static functions; answers Yes and records every message."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes

    def record(self, kind: str) -> Any:
        def show(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            self.messages.append((kind, text))
            return self.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return show

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, t in self.messages if kind is None or k == kind]


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    d = Dialogs()
    for kind in ("question", "warning", "information", "critical", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(d.record(kind)))
    return d


@pytest.fixture
def open_window(app: QApplication, qtbot: Any, settings: Any) -> Iterator[Any]:
    """``open_window(path)`` opens a database in a MainWindow; every window is closed afterwards."""
    from ui.shell.main_window import MainWindow
    from ui.shell.session import Session

    opened: list[Any] = []

    def open_(path: Path, privacy: bool = False) -> MainWindow:
        from ui.shell.privacy import PrivacyMode

        session = Session(Store.open(path), privacy=PrivacyMode(privacy))
        window = MainWindow(session, settings)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        opened.append(window)
        return window

    yield open_
    for window in opened:
        if window.isVisible():
            window.close()
        window.session.store.close()


@pytest.fixture
def reopen(open_window: Any) -> Any:
    """``reopen(window)``: close a window as the person would, then open its database again."""

    def again(window: Any) -> Any:
        path = window.session.store.path
        window.close()
        window.session.store.close()
        return open_window(path)

    return again


def run_probe(code: str, *args: str, **env: str) -> dict[str, Any]:
    """Run ``code`` in a fresh Python (so start-up settings such as the locale or the scale take
    effect) with ``env`` added; returns the JSON object it prints last."""
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]), **env),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def probe() -> Any:
    """``run_probe``, for tests that must see a fresh process."""
    return run_probe
