"""The partnership's laptops: who is enrolled, bundles held for approval, invitations, joining,
and the shared folder this laptop syncs with ("Sync now", and on start).

The dialogs ask; the core (peerreview.sync.enrolment, sync_folders) does the work.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.sync import enrolment
from peerreview.sync.enrolment import INVITATION_SUFFIX, printable
from peerreview.sync.store import Store
from peerreview.sync.trust import fingerprint
from ui.shell.formatting import count

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

#: This laptop's shared folder (a value kept on this laptop only).
SYNC_FOLDER = "sync.folder"
ROLE_LABELS = {"member": "Member", "coordinator": "Coordinator", "": "Not enrolled"}
STATE_LABELS = {
    "trusted": "Trusted",
    "held": "Waiting for approval",
    "revoked": "Revoked",
}


def _words(words: str) -> QLabel:
    """A key's fingerprint, large enough to read aloud and compare."""
    label = QLabel(words)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setAccessibleName("Key fingerprint")
    return label


class LaptopsDialog(QDialog):
    """Every laptop of the partnership this one knows, with what a coordinator can do."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.store: Store = window.session.store
        self.setWindowTitle("The partnership's laptops")
        self.resize(820, 460)
        layout = QVBoxLayout(self)
        state = enrolment.trust_state(self.store)
        self.coordinator = enrolment.is_coordinator(self.store, state)
        role = enrolment.role(self.store, state)
        intro = QLabel(
            f"This laptop, {printable(self.store.device.name)}, is "
            + (
                f"enrolled as {ROLE_LABELS[role].lower()}."
                if role
                else "not enrolled yet: join with your coordinator's invitation."
            )
            + " Its key, to read out when a coordinator approves it:"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        layout.addWidget(_words(fingerprint(self.store.device.public_key)))
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Laptop", "Role", "Schools", "State", "Key"])
        self.table.setAccessibleName("Laptops")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._enable)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.approve_button = QPushButton("Approve…")
        self.reject_button = QPushButton("Reject")
        self.revoke_button = QPushButton("Revoke…")
        self.invite_button = QPushButton("Invite a laptop…")
        self.join_button = QPushButton("Join with an invitation…")
        for b, slot in (
            (self.approve_button, self.approve),
            (self.reject_button, self.reject_selected),
            (self.revoke_button, self.revoke),
            (self.invite_button, self.invite),
            (self.join_button, self.join),
        ):
            b.setAccessibleName(b.text().rstrip("…"))
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.problem = QLabel()
        self.problem.setProperty("role", "error")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.invite_button.setVisible(self.coordinator)
        self.join_button.setVisible(role is None)
        self.refresh()

    def refresh(self) -> None:
        school_kind = self.store.registry.school_kind().name
        names = {r.id: r.title for r in self.store.list(school_kind, include_deleted=True)}
        rows = enrolment.devices(self.store)
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            me = " (this laptop)" if r.id == self.store.device.id else ""
            held = f", {count(r.held, 'bundle')} held" if r.held else ""
            cells = [
                printable(r.name) + me,
                ROLE_LABELS.get(r.role, r.role),
                ", ".join(printable(names.get(s, s[:8])) for s in r.schools)
                or ("All schools" if r.role else "—"),
                STATE_LABELS.get(r.state, r.state) + held,
                r.fingerprint,
            ]
            for col, text in enumerate(cells):
                self.table.setItem(i, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self._enable()

    def selected(self) -> enrolment.DeviceRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _enable(self) -> None:
        row = self.selected()
        other = row is not None and row.id != self.store.device.id
        self.approve_button.setEnabled(self.coordinator and other and row.state == "held")  # type: ignore[union-attr]
        self.reject_button.setEnabled(self.coordinator and other and row.state == "held")  # type: ignore[union-attr]
        self.revoke_button.setEnabled(self.coordinator and other and row.state == "trusted")  # type: ignore[union-attr]

    def _run(self, work: Any) -> Any:
        try:
            return work()
        except PeerReviewError as exc:
            self.problem.setText(exc.message)
            return None

    def approve(self, *, role: str | None = None) -> None:
        from peerreview.sync.bundle import import_held

        row = self.selected()
        if row is None:
            return
        if role is None:
            dialog = ApproveDialog(self.store, row, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            role = dialog.role.currentData()
        if self._run(lambda: enrolment.approve(self.store, row.id, role=role)) is None:
            return
        results = import_held(self.store, row.id)
        self.window_.session.reset()
        self.problem.setText("")
        self.refresh()
        self.window_.statusBar().showMessage(
            f"Approved {printable(row.name)}; {count(len(results), 'held bundle')} imported.", 12000
        )

    def reject_selected(self) -> None:
        row = self.selected()
        if row is not None and self._run(lambda: enrolment.reject(self.store, row.id)) is not None:
            self.refresh()

    def revoke(self, *, confirm: bool = True) -> None:
        row = self.selected()
        if row is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                "Revoke a laptop",
                f"Revoke {printable(row.name)}? Every laptop that imports your next bundle "
                "refuses the changes it makes from now on (for a lost or stolen laptop).",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        if self._run(lambda: enrolment.revoke(self.store, row.id)) is not None:
            self.refresh()

    def invite(self, path: Path | None = None, role: str = "member") -> Path | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, "Save the invitation as", "invitation" + INVITATION_SUFFIX
            )
            if not name:
                return None
            path = Path(name)
        written: Path | None = self._run(
            lambda: enrolment.make_invitation(self.store, path, role=role)
        )
        if written is not None:
            self.problem.setText("")
            QMessageBox.information(
                self,
                "Invitation written",
                f"Send {written.name} to the new laptop (it works once, for 14 days). When they "
                "join, they will see this laptop's key as these words; read them out to check:\n\n"
                + fingerprint(self.store.device.public_key),
            )
        return written

    def join(self, path: Path | None = None) -> bool:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "Open the invitation", "", f"Invitations (*{INVITATION_SUFFIX})"
            )
            if not name:
                return False
            path = Path(name)
        invitation = self._run(lambda: enrolment.read_invitation(path))
        if invitation is None:
            return False
        dialog = JoinDialog(invitation, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if self._run(lambda: enrolment.join(self.store, path)) is None:
            return False
        self.window_.session.reset()
        self.problem.setText("")
        self.refresh()
        return True


class ApproveDialog(QDialog):
    """Approve a laptop: check its key's words with its owner, and choose its role."""

    def __init__(self, store: Store, row: enrolment.DeviceRow, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Approve a laptop")
        layout = QVBoxLayout(self)
        text = QLabel(
            f"Ask the owner of {printable(row.name)} to read out the words PeerReview shows for "
            "their laptop's key. Approve only if they match:"
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(text)
        layout.addWidget(_words(row.fingerprint))
        form = QFormLayout()
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        self.role.addItem("Member", "member")
        self.role.addItem("Coordinator", "coordinator")
        form.addRow("Role", self.role)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton("Approve", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class JoinDialog(QDialog):
    """Before joining: whose invitation this is, and the coordinator's key words to compare."""

    def __init__(self, invitation: enrolment.Invitation, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Join a partnership")
        layout = QVBoxLayout(self)
        partnership = printable(invitation.partnership_name) or "a partnership"
        text = QLabel(
            f"This invitation is to join {partnership}"
            f" as {ROLE_LABELS[invitation.role].lower()}, from "
            f"{printable(invitation.coordinator_name)} (valid until {invitation.expires[:10]}). "
            "Check with your coordinator that their laptop's key reads:"
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(text)
        self.words = _words(invitation.coordinator_fingerprint)
        layout.addWidget(self.words)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton("Join", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


# ===================================================================== the shared folder


def sync_folder_of(store: Store) -> Path | None:
    value = store.local_value(SYNC_FOLDER)
    return Path(value) if value else None


def choose_sync_folder(window: MainWindow, folder: Path | None = None) -> Path | None:
    """Ask for (or set) the shared folder this laptop exchanges bundles through."""
    store = window.session.store
    if folder is None:
        current = sync_folder_of(store)
        name = QFileDialog.getExistingDirectory(
            window, "Choose the shared folder", str(current or Path.home())
        )
        if not name:
            return None
        folder = Path(name)
    store.set_local_value(SYNC_FOLDER, str(folder))
    window.statusBar().showMessage(
        f"Bundles are exchanged through {folder}. Sync now with F9; PeerReview also syncs when "
        "it starts.",
        12000,
    )
    return folder


def sync_now(window: MainWindow, *, on_start: bool = False) -> bool:
    """Import the other laptops' bundles from the shared folder and write this laptop's."""
    from peerreview.sync.sync_folders import sync_folder

    folder = sync_folder_of(window.session.store)
    if folder is None:
        if on_start:
            return False
        folder = choose_sync_folder(window)
        if folder is None:
            return False

    def done(result: Any) -> None:
        window.statusBar().showMessage(result.summary(), 15000)
        held_or_refused = [
            r for r in result.imported if getattr(r, "held", False) or isinstance(r, Exception)
        ]
        if held_or_refused and not on_start:
            from ui.shell.transfer import ImportSummaryDialog

            dialog = ImportSummaryDialog(
                list(result.imported), window.session.store.conflict_count(), window
            )
            dialog.open()

    def failed(exc: BaseException) -> bool:
        if isinstance(exc, PeerReviewError):
            window.statusBar().showMessage(exc.message, 15000)
            return True
        return False

    from peerreview.sync.sync_folders import BUNDLE_GLOB
    from ui.shell.transfer import import_in_process

    job = window.jobs.start(
        f"Syncing with {folder.name}…",
        sync_folder,
        window.session.store,
        folder,
        on_done=done,
        on_failed=failed,
        # A coordinator's folder of a partnership's bundles, as File → Import decides.
        in_process=import_in_process(list(folder.glob(BUNDLE_GLOB))),
    )
    return job is not None
