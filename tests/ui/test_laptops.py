"""The partnership's laptops from the GUI: invite, join (comparing the key's words), approve a held
bundle, revoke; the shared folder synced from File → Sync now; export encrypted by default."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog

from peerreview.sync import enrolment
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.store import Store
from peerreview.sync.trust import fingerprint
from ui.shell.laptops import JoinDialog, LaptopsDialog, choose_sync_folder
from ui.shell.transfer import ExportDialog

# The dialogs are painted on every run; written to docs/screenshots only when asked (the keys'
# words differ each run, so a plain test run leaves the working tree as it was).
SHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("PEERREVIEW_SCREENSHOTS")
    else Path(tempfile.mkdtemp(prefix="peerreview-shots-"))
)


def _stranger(db_path: Path, tmp_path: Path) -> Path:
    """A laptop that learnt the partnership from a bundle but was never enrolled; its bundle."""
    with Store.open(db_path) as first:
        export_bundle(first, tmp_path / "seed.prbundle", full=True, plain=True)
    x = Store.init(tmp_path / "x.db", device_name="Mr Okafor's laptop")
    import_bundle(x, tmp_path / "seed.prbundle")
    x.create("school", {"name": "Typed on the new laptop", "urn": 999123})
    export_bundle(x, tmp_path / "x.prbundle", full=True, plain=True)
    x.close()
    return tmp_path / "x.prbundle"


def test_a_coordinator_approves_a_held_laptop_then_revokes_it(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any, dialogs: Any
) -> None:
    bundle = _stranger(db_path, tmp_path)
    window = open_window(db_path)
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.import_bundles([bundle])
    summary = window._last_summary
    from PySide6.QtWidgets import QLabel

    texts = " ".join(label.text() for label in summary.findChildren(QLabel))
    assert "held, not applied" in texts and "Mr Okafor's laptop" in texts
    summary.close()

    dialog = LaptopsDialog(window)
    qtbot.addWidget(dialog)
    states = {dialog.table.item(r, 0).text(): dialog.table.item(r, 3).text() for r in range(2)}
    assert states["Mr Okafor's laptop"].startswith("Waiting for approval")
    assert states["Test laptop (this laptop)"] == "Trusted"
    dialog.resize(820, 460)
    dialog.grab().save(str(SHOTS / "laptops.png"))
    row = next(i for i, r in enumerate(dialog.rows) if r.state == "held")
    dialog.table.selectRow(row)
    assert dialog.approve_button.isEnabled() and not dialog.revoke_button.isEnabled()
    dialog.approve(role="member")
    assert "Typed on the new laptop" in [s.title for s in window.session.store.list("school")]
    row = next(i for i, r in enumerate(dialog.rows) if r.name == "Mr Okafor's laptop")
    dialog.table.selectRow(row)
    assert dialog.table.item(row, 3).text() == "Trusted"
    dialog.revoke()  # the confirmation is answered Yes
    assert dialog.table.item(row, 3).text() == "Revoked"


def test_invite_then_join_showing_the_coordinators_words(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any, dialogs: Any, monkeypatch: Any
) -> None:
    window = open_window(db_path)
    dialog = LaptopsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.invite_button.isVisibleTo(dialog) and not dialog.join_button.isVisibleTo(dialog)
    invitation = dialog.invite(tmp_path / "new.prinvite")
    assert invitation is not None and invitation.exists()
    words = fingerprint(window.session.store.device.public_key)
    assert words in dialogs.texts("information")[-1]

    newcomer = Store.init(tmp_path / "new.db", device_name="New laptop")
    newcomer.close()
    second = open_window(tmp_path / "new.db")
    joining = LaptopsDialog(second)
    qtbot.addWidget(joining)
    assert joining.join_button.isVisibleTo(joining)
    shown: list[str] = []

    def accept(self: JoinDialog) -> int:
        shown.append(self.words.text())
        self.resize(520, 220)
        self.grab().save(str(SHOTS / "join.png"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(JoinDialog, "exec", accept)
    assert joining.join(invitation)
    assert shown == [words]
    assert enrolment.role(second.session.store) == "member"


def test_sync_now_through_a_shared_folder(
    open_window: Any, db_path: Path, shared_folder: Path, qtbot: Any
) -> None:
    folder = shared_folder
    window = open_window(db_path)
    choose_sync_folder(window, folder)
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        assert window.sync_now()
    assert "Shared through the folder" in [s.title for s in window.session.store.list("school")]
    assert "1 new change" in window.statusBar().currentMessage() or "new" in (
        window.statusBar().currentMessage()
    )
    assert any(p.name.startswith(window.session.store.device.id) for p in folder.iterdir())


def test_the_export_dialog_encrypts_for_the_partnership_by_default(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any
) -> None:
    with Store.open(db_path) as first:
        member = Store.init(tmp_path / "m.db", device_name="Member laptop")
        enrolment.enrol(first, member)
        member.close()
    window = open_window(db_path)
    dialog = ExportDialog(window.session.store, window)
    qtbot.addWidget(dialog)
    assert dialog.for_laptops.isChecked() and "Member laptop" in dialog.recipients.text()
    assert dialog.chosen_passphrase() is None and not dialog.chosen_plain()
    assert not dialog.warning.isVisibleTo(dialog)
    dialog.unencrypted.setChecked(True)
    assert dialog.warning.isVisibleTo(dialog) and dialog.chosen_plain()
    dialog.for_laptops.setChecked(True)
    # The picture shows a path as a person's laptop has it, not the test's temporary folder.
    dialog.path.setText("C:/Users/head/Documents/Coundon Court, week 3.prbundle")
    dialog.resize(560, 640)
    dialog.grab().save(str(SHOTS / "export-encrypted.png"))
    dialog.path.setText(str(tmp_path / "out.prbundle"))
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.start_export(dialog.target(), dialog.chosen_urns(), dialog.chosen_passphrase())
    from peerreview.sync.encryption import is_encrypted

    assert is_encrypted(tmp_path / "out.prbundle")
