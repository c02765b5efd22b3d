"""Encrypted bundles from the GUI: a passphrase when exporting, asked for once when importing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peerreview.sync.bundle import export_bundle
from peerreview.sync.encryption import is_encrypted
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from ui.shell.transfer import ExportDialog, ImportSummaryDialog

SECRET = "a short sentence only we know"


def test_import_asks_for_the_passphrase_once(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any, monkeypatch: Any
) -> None:
    first = Store.open(db_path)
    pid = first.partnership_id
    other = Store.init(tmp_path / "other.db", device_name="Other", partnership_id=pid)
    enrol(first, other)
    first.close()
    other.create("school", {"name": "Ysgol y Graig", "urn": 400001})
    export_bundle(other, tmp_path / "secret.prbundle", passphrase=SECRET, full=True)
    other.close()
    asked: list[list[str]] = []

    def ask(_parent: Any, names: list[str]) -> str:
        asked.append(names)
        return SECRET

    monkeypatch.setattr("ui.shell.transfer.ask_passphrase", ask)
    window = open_window(db_path)
    window.import_bundles([tmp_path / "secret.prbundle"])
    qtbot.waitUntil(
        lambda: isinstance(getattr(window, "_last_summary", None), ImportSummaryDialog),
        timeout=20_000,
    )
    assert asked == [["secret.prbundle"]]
    assert "Ysgol y Graig" in [s["name"] for s in window.session.store.list("school")]


def test_export_dialog_encrypts_with_the_passphrase(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any
) -> None:
    window = open_window(db_path)
    dialog = ExportDialog(window.session.store, window)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "out.prbundle"))
    dialog.passphrase.setText("short")
    dialog._accept()
    assert "at least 8 characters" in dialog.problem.text()
    dialog.passphrase.setText(SECRET)
    dialog._accept()
    assert dialog.result() == ExportDialog.DialogCode.Accepted
    with qtbot.waitSignal(window.jobs.ended, timeout=20_000):
        window.start_export(dialog.target(), dialog.chosen_urns(), dialog.chosen_passphrase())
    assert is_encrypted(tmp_path / "out.prbundle")
