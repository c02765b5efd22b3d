"""First run: the welcome screen creates a partnership database, opens one, or explores the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from peerreview.paths import data_dir
from peerreview.store import Store
from ui.app import Launcher
from ui.welcome import WelcomeWindow, confirm_folder, suggested_path


@pytest.fixture
def launchers(app: Any) -> Any:
    """Launchers made by a test; each is shut down (windows closed, databases released) after."""
    made: list[Launcher] = []
    yield made
    for launcher in made:
        launcher.shutdown()
        if launcher.welcome is not None:
            launcher.welcome.close()


def test_first_run_shows_welcome_and_creates_a_database(settings: Any, launchers: Any):
    launcher = Launcher(settings)
    launchers.append(launcher)
    assert launcher.start(None)
    welcome = launcher.welcome
    assert isinstance(welcome, WelcomeWindow) and launcher.window is None
    form = welcome.form
    form.create_button.click()
    assert form.problem.text() == "Give the partnership a name."
    QTest.keyClicks(form.partnership, "Coventry Schools Partnership")
    form.device.setText("Mrs Patel's laptop")
    form.author.setText("Amira Patel")
    expected = data_dir() / "coventry-schools-partnership.db"
    assert form.where.full_text() == str(expected)
    form.create_button.click()
    window = launcher.window
    assert window is not None
    assert window.windowTitle() == "Coventry Schools Partnership — PeerReview"
    assert window.session.store.device.name == "Mrs Patel's laptop"
    assert window.status.device.text() == "Mrs Patel's laptop"
    # An empty partnership says what to do next.
    assert "No schools yet" in window.detail._content.findChild(type(form.problem)).text()
    assert settings.last_database() == expected.resolve()
    launcher.shutdown()

    # Next start opens where they left off.
    again = Launcher(settings)
    launchers.append(again)
    assert again.start(None) and again.window is not None
    assert again.session.store.path == expected.resolve()
    assert [p.name for p in settings.recent_databases()] == [expected.name]
    again.shutdown()


def test_db_path_that_does_not_exist_creates_it_there(
    settings: Any, tmp_path: Path, launchers: Any
):
    target = tmp_path / "new" / "mine.db"
    launcher = Launcher(settings)
    launchers.append(launcher)
    assert launcher.start(target)
    launcher.welcome.form.partnership.setText("Trio")
    launcher.welcome.form.device.setText("Staffroom laptop")
    assert launcher.welcome.form.where.full_text() == str(target)
    launcher.welcome.form.create_button.click()
    assert launcher.window is not None and target.exists()
    launcher.shutdown()


def test_explore_the_demo(settings: Any, qtbot: Any, launchers: Any):
    launcher = Launcher(settings)
    launchers.append(launcher)
    launcher.start(None)
    launcher.welcome.demo_button.click()
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=15_000)
    assert launcher.session.store.count("school") == 12
    assert len(launcher.window.model.folder("school").children) == 12
    launcher.shutdown()


def test_suggested_path_never_overwrites(tmp_path: Path):
    Store.init(tmp_path / "north-trio.db", device_name="x").close()
    assert suggested_path("North Trio", tmp_path).name == "north-trio-2.db"


@pytest.mark.parametrize(
    ("folder", "service"),
    [("OneDrive - Coventry City Council", "OneDrive"), ("Dropbox", "Dropbox"), ("Local", None)],
)
def test_synchronised_folders_are_warned_against(
    app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str, service: str | None
):
    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        box.defaultButton().click()  # "Choose another folder"
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    ok = confirm_folder(None, tmp_path / folder / "p.db")
    if service is None:
        assert ok and not shown
    else:
        assert not ok and service in shown[0]
