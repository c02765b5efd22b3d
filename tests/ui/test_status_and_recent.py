"""The File menu's recent databases, and the status bar's counts, driven through the GUI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QMenu

from peerreview.sync.bundle import export_bundle, import_bundles
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from ui.shell.app import Launcher
from ui.shell.transfer import ExportDialog


@pytest.fixture
def launcher(app: Any, settings: Any) -> Any:
    made = Launcher(settings)
    yield made
    made.shutdown()


def _database(path: Path, partnership: str) -> Path:
    store = Store.init(path, device_name="Test laptop", partnership_name=partnership)
    store.create("school", {"name": f"{partnership} School"})
    store.close()
    return path


def _file_menu(window: Any) -> QMenu:
    menu = window.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu) and menu.title() == "&File"
    return menu


def test_recent_databases_in_the_file_menu(launcher: Any, tmp_path: Path, qtbot: Any) -> None:
    north = _database(tmp_path / "north.db", "North Trio")
    south = _database(tmp_path / "south.db", "South Hub")
    assert launcher.open_database(north)
    assert launcher.open_database(south)  # in turn: the window now shows South Hub
    window = launcher.window
    assert window.windowTitle() == "South Hub — PeerReview"

    # File → Open recent, as a person would: open the File menu, then its submenu.
    file_menu = _file_menu(window)
    file_menu.popup(window.mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(file_menu.isVisible)
    recent_action = next(a for a in file_menu.actions() if a.menu() is window.recent_menu)
    assert recent_action.text().replace("&", "") == "Open recent"
    file_menu.setActiveAction(recent_action)
    QTest.keyClick(file_menu, Qt.Key.Key_Right)  # opens the submenu, which fills itself as it shows
    qtbot.waitUntil(window.recent_menu.isVisible)
    entries = [a.text() for a in window.recent_menu.actions()]
    # The database open now is not offered; the other one is, with its folder.
    assert entries == [f"&1 north.db  ({north.parent.resolve()})"]
    window.recent_menu.actions()[0].trigger()
    file_menu.hide()
    window = launcher.window
    assert window.windowTitle() == "North Trio — PeerReview"
    assert launcher.session.store.path == north.resolve()
    assert [n.title for n in window.model.folder("school").children] == ["North Trio School"]

    # And back: now South Hub is the one offered.
    window.recent_menu.popup(window.mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(window.recent_menu.isVisible)
    assert [a.text() for a in window.recent_menu.actions()] == [
        f"&1 south.db  ({south.parent.resolve()})"
    ]
    window.recent_menu.hide()


def _export_through_the_dialog(window: Any, target: Path, monkeypatch: Any, qtbot: Any) -> None:
    """File → Export bundle…, everything, saved as ``target``, as a person fills the dialog."""

    def fill_and_accept(dialog: ExportDialog) -> int:
        assert dialog.everything.isChecked()
        dialog.path.setText(str(target))
        dialog.unencrypted.setChecked(True)  # the colleague below is not enrolled to decrypt it
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", fill_and_accept)
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.actions["export_bundle"].trigger()


def test_status_bar_counts_follow_edits_exports_and_conflicts(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any, monkeypatch: Any
) -> None:
    window = open_window(db_path)
    status = window.status
    qtbot.waitUntil(lambda: status.unexported.text() != "")
    before = window.session.store.unexported_count()
    assert before > 0 and status.unexported.text() == f"{before} changes not yet exported"
    assert not status.conflicts.isVisible()

    # Typing in a field: the count goes up once the edit is saved.
    school = window.session.store.list("school")[0]
    window.select_record(school.id)
    town = window.detail.editor.binder_for("town").focus_widget()
    town.setFocus()
    QTest.keyClicks(town, "Coventry")
    window.session.flush()
    qtbot.waitUntil(lambda: status.unexported.text() == f"{before + 1} changes not yet exported")

    # Export everything from the GUI: everything is exported.
    _export_through_the_dialog(window, tmp_path / "everything.prbundle", monkeypatch, qtbot)
    assert (tmp_path / "everything.prbundle").exists()
    qtbot.waitUntil(lambda: status.unexported.text() == "Everything exported")

    # A colleague edits the same field without seeing ours; importing that makes a conflict.
    other = Store.init(
        tmp_path / "other.db",
        device_name="Mr Okafor's laptop",
        author="Chidi Okafor",
        partnership_id=window.session.store.partnership_id,
    )
    enrol(window.session.store, other)
    import_bundles(other, [tmp_path / "everything.prbundle"])
    other.update(school.id, {"town": "City of Coventry"})
    export_bundle(other, tmp_path / "other.prbundle", full=True, plain=True)
    other.close()
    window.session.set_field(school.id, "town", "Coventry (city)")
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.import_bundles([tmp_path / "other.prbundle"])
    window._last_summary.reject()
    qtbot.waitUntil(status.conflicts.isVisible)
    assert status.conflicts.text() == "1 conflict"
    assert status.conflicts.accessibleName() == "Open conflicts"
