"""Sync wording: plain exports of personal data warn; encrypted exports say so; a wrong passphrase
asks again without choosing the file again; the window title follows the partnership's name; the
conflict dialog's sentences agree with each other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QMessageBox

from peerreview.sync.bundle import export_bundle
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from ui.shell.transfer import ExportDialog, ImportSummaryDialog

SECRET = "correct horse battery staple"


def test_a_plain_export_warns_and_asks_once(
    open_window: Any, db_path: Path, dialogs: Any, tmp_path: Path
) -> None:
    window = open_window(db_path)
    dialog = ExportDialog(window.session.store, window)
    dialog.show()
    assert not dialog.plain_warning.isVisible()  # encrypted unless chosen otherwise
    dialog.unencrypted.setChecked(True)
    assert dialog.plain_warning.isVisible()
    assert "Not encrypted" in dialog.plain_warning.text()
    dialog.path.setText(str(tmp_path / "plain.prbundle"))
    dialogs.answer = QMessageBox.StandardButton.No
    dialog._accept()
    assert dialog.result() != QDialog.DialogCode.Accepted  # not without saying yes
    assert "not encrypted" in dialogs.texts("question")[-1]
    dialog.with_passphrase.setChecked(True)
    dialog.passphrase.setText(SECRET)
    assert not dialog.plain_warning.isVisible()
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(dialogs.texts("question")) == 1  # encrypted: nothing to ask


def test_an_encrypted_export_says_so(
    open_window: Any, db_path: Path, qtbot: Any, tmp_path: Path
) -> None:
    window = open_window(db_path)
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.start_export(tmp_path / "secret.prbundle", None, SECRET)
    assert "encrypted with your passphrase" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.start_export(tmp_path / "plain.prbundle", None, None, plain=True)
    assert "not encrypted" in window.statusBar().currentMessage()


def test_a_wrong_passphrase_asks_again_for_the_same_file(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any, monkeypatch: Any
) -> None:
    first = Store.open(db_path)
    pid = first.partnership_id
    other = Store.init(tmp_path / "other.db", device_name="Other", partnership_id=pid)
    enrol(first, other)
    first.close()
    other.create("school", {"name": "Ysgol y Graig", "urn": 400001})
    export_bundle(other, tmp_path / "secret.prbundle", passphrase=SECRET)
    other.close()
    asked: list[tuple[list[str], bool]] = []
    answers = iter(["wrong passphrase", SECRET])

    def ask(_parent: Any, names: list[str], *, again: bool = False) -> str:
        asked.append((names, again))
        return next(answers)

    monkeypatch.setattr("ui.shell.transfer.ask_passphrase", ask)
    window = open_window(db_path)
    window.import_bundles([tmp_path / "secret.prbundle"])  # chosen once
    qtbot.waitUntil(
        lambda: isinstance(getattr(window, "_last_summary", None), ImportSummaryDialog),
        timeout=20_000,
    )
    assert asked == [(["secret.prbundle"], False), (["secret.prbundle"], True)]
    assert "Ysgol y Graig" in [s["name"] for s in window.session.store.list("school")]


def test_the_window_title_follows_the_partnership_joined(
    open_window: Any, tmp_path: Path, qtbot: Any
) -> None:
    coordinator = Store.init(
        tmp_path / "coord.db", device_name="Coordinator", partnership_name="Kineton Partnership"
    )
    joining = tmp_path / "new.db"
    laptop = Store.init(
        joining, device_name="New laptop", partnership_id=coordinator.partnership_id
    )
    enrol(coordinator, laptop)
    laptop.close()
    export_bundle(coordinator, tmp_path / "invite.prbundle", full=True, plain=True)
    coordinator.close()
    window = open_window(joining)
    assert window.windowTitle().startswith("New partnership")
    with qtbot.waitSignal(window.jobs.ended, timeout=20_000):
        window.import_bundles([tmp_path / "invite.prbundle"])
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Kineton Partnership"), timeout=5000)


def test_the_conflict_dialog_says_one_thing(open_window: Any, db_path: Path) -> None:
    window = open_window(db_path)
    dialog = window.review_conflicts()
    text = (
        dialog.heading.text()
        + " "
        + " ".join(w.text() for w in dialog.findChildren(type(dialog.heading)) if w.isVisible())
    )
    assert "merged cleanly" in dialog.heading.text()
    assert "settled" not in text  # nothing was in conflict, so nothing was settled
    dialog.close()
