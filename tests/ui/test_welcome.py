"""First run: the welcome screen creates a partnership database, opens one, or explores the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCommandLinkButton, QFileDialog, QMessageBox

from peerreview.paths import data_dir
from peerreview.sync.store import Store
from ui.shell.app import Launcher
from ui.shell.welcome import WelcomeWindow, confirm_folder, suggested_path


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
    [
        ("OneDrive - Coventry City Council", "OneDrive"),
        ("Dropbox", "Dropbox"),
        ("iCloud Drive", "iCloud"),
        ("Local", None),
    ],
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


class SyncWarnings:
    """Answers the synchronised-folder warning: "Choose another folder" or go ahead anyway."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[str] = []
        self.go_ahead = False
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self._answer(box))

    def _answer(self, box: QMessageBox) -> int:
        self.shown.append(box.text())
        buttons = [b for b in box.buttons() if b is not box.defaultButton()]
        (buttons[0] if self.go_ahead else box.defaultButton()).click()
        return 0


def _synced_database(tmp_path: Path) -> Path:
    path = tmp_path / "Dropbox (Coventry)" / "partnership.db"
    path.parent.mkdir()
    Store.init(path, device_name="Test laptop", partnership_name="Synced").close()
    return path


def test_opening_a_database_in_a_synchronised_folder_warns(
    settings: Any, tmp_path: Path, launchers: Any, monkeypatch: pytest.MonkeyPatch
):
    """Every way of opening an existing database: the welcome screen's recent list, its Open
    button, and File → Open in a window."""
    synced = _synced_database(tmp_path)
    warnings = SyncWarnings(monkeypatch)
    settings.add_recent(synced)
    launcher = Launcher(settings)
    launchers.append(launcher)
    settings.forget_last()
    assert launcher.start(None)
    welcome = launcher.welcome
    assert welcome is not None
    recent = [b for b in welcome.findChildren(QCommandLinkButton) if b.toolTip() == str(synced)]
    recent[0].click()
    assert launcher.window is None  # "Choose another folder"
    assert warnings.shown == [f"{synced.parent} is synchronised by Dropbox."]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(synced), ""))
    welcome.open_button.click()
    assert launcher.window is None and len(warnings.shown) == 2

    warnings.go_ahead = True
    welcome.open_button.click()
    assert launcher.window is not None
    assert launcher.session.store.path == synced.resolve()

    # File → Open… in the window, onto another synchronised database.
    other = tmp_path / "OneDrive - Trust" / "other.db"
    other.parent.mkdir()
    Store.init(other, device_name="Test laptop", partnership_name="Other").close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    warnings.go_ahead = False
    launcher.window.actions["open_database"].trigger()
    assert warnings.shown[-1] == f"{other.parent} is synchronised by OneDrive."
    assert launcher.session.store.path == synced.resolve()  # still the first one


def test_reopening_the_last_database_reminds_without_a_dialog(
    settings: Any, tmp_path: Path, launchers: Any, monkeypatch: pytest.MonkeyPatch, qtbot: Any
):
    synced = _synced_database(tmp_path)
    warnings = SyncWarnings(monkeypatch)
    settings.add_recent(synced)
    launcher = Launcher(settings)
    launchers.append(launcher)
    assert launcher.start(None) and launcher.window is not None
    assert warnings.shown == []  # chosen before, anyway: no dialog at every start
    bar = launcher.window.statusBar()
    qtbot.waitUntil(lambda: "synchronised by Dropbox" in bar.currentMessage(), timeout=2000)


def test_creating_at_a_given_path_in_a_synchronised_folder_warns(
    settings: Any, tmp_path: Path, launchers: Any, monkeypatch: pytest.MonkeyPatch
):
    """peerreview --db FILE with FILE in a synchronised folder: warned before it is made."""
    target = tmp_path / "OneDrive - Coventry City Council" / "mine.db"
    target.parent.mkdir()
    warnings = SyncWarnings(monkeypatch)
    launcher = Launcher(settings)
    launchers.append(launcher)
    assert launcher.start(target)
    form = launcher.welcome.form
    form.partnership.setText("Trio")
    form.device.setText("Staffroom laptop")
    form.create_button.click()
    assert warnings.shown == [f"{target.parent} is synchronised by OneDrive."]
    assert not target.exists() and launcher.window is None
    assert "another folder" in form.problem.text()
    warnings.go_ahead = True
    form.create_button.click()
    assert target.exists() and launcher.window is not None
    assert len(warnings.shown) == 2


def test_welcome_screen_is_as_tall_as_its_content(app: Any, tmp_path: Path, qtbot: Any) -> None:
    recent = [tmp_path / "north-trio.db", tmp_path / "demo.db"]
    welcome = WelcomeWindow(recent)
    qtbot.addWidget(welcome)
    welcome.show()
    needed = welcome.layout().totalHeightForWidth(welcome.width())
    assert needed <= welcome.height() <= needed + 24  # no empty bottom third
    links = welcome.findChildren(QCommandLinkButton)
    assert len(links) == 2 and all(not b.icon().isNull() for b in links)  # not a bare arrow


def test_joining_opens_the_laptops_dialog_unless_the_window_has_gone(
    settings: Any, launchers: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A laptop created to join a partnership is shown where its invitation goes (Laptops…), a
    moment after its window opens; a window closed in that moment gets nothing."""
    from ui.shell.laptops import LaptopsDialog
    from ui.shell.welcome import NewDatabase

    shown: list[Any] = []
    monkeypatch.setattr(LaptopsDialog, "exec", lambda dialog: shown.append(dialog.parent()))
    launcher = Launcher(settings)
    launchers.append(launcher)
    request = NewDatabase(tmp_path / "joining.db", "Mr Okafor's laptop", "Sam Okafor", None)
    assert launcher.create_database(request)
    window = launcher.window
    assert window is not None
    assert "Join with an invitation" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert shown == [window]
    launcher.shutdown()

    shown.clear()
    again = Launcher(settings)
    launchers.append(again)
    request = NewDatabase(tmp_path / "joining-2.db", "Mr Okafor's laptop", "Sam Okafor", None)
    assert again.create_database(request)
    again.shutdown()  # closed (and deleted) before the dialog's moment
    qtbot.wait(400)
    assert shown == []
