"""Moving data in and out: export a bundle (all, or chosen schools), import bundles.

The dialogs only ask; the work runs in the window's JobRunner.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import BundleError
from peerreview.sync.bundle import SUFFIX, ImportReport
from peerreview.sync.enrolment import printable
from peerreview.sync.store import Store
from ui.shell.formatting import count

BUNDLE_FILTER = f"PeerReview bundles (*{SUFFIX})"

#: How many of the summary's rows set its columns' widths.
SUMMARY_ROWS_MEASURED = 40

#: Bundles this large in all are imported in a process of their own (see ``import_in_process``).
PROCESS_IMPORT_BYTES = 1_000_000


def documents_dir() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


def default_bundle_name(store: Store, today: dt.date | None = None) -> str:
    """``mrs-patels-laptop-2026-03-03.prbundle``: who it is from and when, at a glance."""
    slug = re.sub(r"[^a-z0-9]+", "-", store.device.name.lower()).strip("-") or "peerreview"
    return f"{slug}-{(today or dt.date.today()).isoformat()}{SUFFIX}"


def path_row(edit: QLineEdit, browse: QPushButton) -> QWidget:
    """A file name box with its Browse… button."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return box


class ExportDialog(QDialog):
    """Choose what to export (everything, or some schools) and where the bundle goes."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export a bundle")
        self.resize(560, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A bundle carries this laptop's work to the partnership's other laptops (by USB "
            "stick, email or a shared folder). Importing it twice does no harm."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.everything = QRadioButton("Everything in this database")
        self.everything.setChecked(True)
        self.some = QRadioButton("Only the schools ticked below (and the partnership's groups)")
        for b in (self.everything, self.some):
            b.setAccessibleName(b.text())
            layout.addWidget(b)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter schools")
        self.filter.setAccessibleName("Filter schools")
        self.filter.textChanged.connect(self._filter)
        layout.addWidget(self.filter)
        self.schools = QListWidget()
        self.schools.setAccessibleName("Schools to export")
        for r in store.list(store.registry.school_kind().name):
            urn = r.values.get("urn")
            title = store.registry.describe(store, r).title
            item = QListWidgetItem(f"{title} (URN {urn})" if urn else f"{title} (no URN)")
            item.setData(Qt.ItemDataRole.UserRole, urn)
            if urn:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("A school without a URN can only go in a bundle of everything.")
            self.schools.addItem(item)
        layout.addWidget(self.schools, 1)
        ticks = QHBoxLayout()
        for text, state in (("Tick all shown", True), ("Untick all", False)):
            tick = QPushButton(text)
            tick.setAccessibleName(text)
            tick.clicked.connect(lambda _=False, s=state: self._tick_all(s))
            ticks.addWidget(tick)
        ticks.addStretch(1)
        layout.addLayout(ticks)
        form = QFormLayout()
        self.path = QLineEdit(str(documents_dir() / default_bundle_name(store)))
        self.path.setAccessibleName("Bundle file")
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Choose where to save the bundle")
        browse.clicked.connect(self._browse)
        form.addRow("Save as", path_row(self.path, browse))
        from peerreview.sync.bundle import audience

        recipients = [d.name for d in audience(store).recipients]
        self.for_laptops = QRadioButton(
            "Encrypted for the partnership's laptops (recommended)"
            if recipients
            else "Encrypted for the partnership's laptops (none enrolled yet)"
        )
        self.for_laptops.setToolTip("Readable only by: " + (", ".join(recipients) or "nobody yet"))
        self.with_passphrase = QRadioButton("Encrypted with a passphrase")
        self.unencrypted = QRadioButton("Not encrypted")
        self.for_laptops.setEnabled(bool(recipients))
        (self.for_laptops if recipients else self.with_passphrase).setChecked(True)
        protection = QWidget()
        column = QVBoxLayout(protection)
        column.setContentsMargins(0, 0, 0, 0)
        for b in (self.for_laptops, self.with_passphrase, self.unencrypted):
            b.setAccessibleName(b.text())
            column.addWidget(b)
        self.recipients = QLabel(
            "Readable only by " + ", ".join(recipients) + "." if recipients else ""
        )
        self.recipients.setWordWrap(True)
        column.addWidget(self.recipients)
        self.warning = QLabel(
            "⚠ Not encrypted: anyone who gets this file can read the names and notes in it. Keep "
            "it off email and shared folders, and delete it once it has been imported."
        )
        self.warning.setWordWrap(True)
        self.warning.setProperty("role", "error")
        self.warning.setAccessibleName("Not encrypted")
        column.addWidget(self.warning)
        #: the one warning shown while "Not encrypted" is chosen
        self.plain_warning = self.warning
        form.addRow("Protection", protection)
        self.full = QCheckBox("Everything, not only what the other laptops have not seen yet")
        self.full.setAccessibleName("Export everything (a full bundle)")
        form.addRow("", self.full)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("At least 8 characters; tell the receiver separately")
        self.passphrase.setAccessibleName("Passphrase to encrypt the bundle")
        self.passphrase.setToolTip(
            "Bundles hold names of staff and pupils' pseudonyms: encrypt them whenever they leave "
            "this laptop by email or USB stick. Leave empty only for a bundle that stays on a "
            "secure shared drive."
        )
        form.addRow("Passphrase", self.passphrase)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.problem = QLabel()
        self.problem.setProperty("role", "error")
        layout.addWidget(self.problem)
        self.everything.toggled.connect(self._mode)
        for b in (self.for_laptops, self.with_passphrase, self.unencrypted):
            b.toggled.connect(self._mode)
        self._mode()

    def _mode(self) -> None:
        some = self.some.isChecked()
        self.schools.setEnabled(some)
        self.filter.setEnabled(some)
        self.passphrase.setEnabled(self.with_passphrase.isChecked())
        self.warning.setVisible(self.unencrypted.isChecked())

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for i in range(self.schools.count()):
            item = self.schools.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _tick_all(self, on: bool) -> None:
        self.some.setChecked(True)
        for i in range(self.schools.count()):
            item = self.schools.item(i)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and (not item.isHidden() or not on):
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the bundle as", self.path.text(), BUNDLE_FILTER
        )
        if name:
            self.path.setText(name if name.endswith(SUFFIX) else name + SUFFIX)

    def chosen_urns(self) -> list[int] | None:
        """None for everything; else the URNs ticked."""
        if self.everything.isChecked():
            return None
        return [
            int(self.schools.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.schools.count())
            if self.schools.item(i).checkState() == Qt.CheckState.Checked
        ]

    def chosen_passphrase(self) -> str | None:
        """The passphrase to encrypt with (None: not encrypted with a passphrase)."""
        return (self.passphrase.text() or None) if self.with_passphrase.isChecked() else None

    def chosen_plain(self) -> bool:
        """True when the person chose a bundle that is not encrypted."""
        return self.unencrypted.isChecked() or (
            self.with_passphrase.isChecked() and not self.passphrase.text()
        )

    def chosen_full(self) -> bool:
        return self.full.isChecked()

    def target(self) -> Path:
        text = self.path.text().strip()
        return Path(text if text.endswith(SUFFIX) else text + SUFFIX)

    def _accept(self) -> None:
        if not self.path.text().strip():
            self.problem.setText("Choose where to save the bundle.")
            return
        if self.chosen_urns() == []:
            self.problem.setText("Tick at least one school, or choose Everything.")
            return
        if self.with_passphrase.isChecked() and len(self.passphrase.text()) < 8:
            self.problem.setText("Use a passphrase of at least 8 characters.")
            return
        if self.unencrypted.isChecked() and not self._plain_agreed():
            return
        self.accept()

    def _plain_agreed(self) -> bool:
        """A bundle of people's names and notes leaves unencrypted only on purpose."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            "Export without encryption?",
            "This bundle is not encrypted: it holds staff names and review notes, and anyone "
            "who gets the file can read them. Encrypt any bundle sent by email or on a USB "
            "stick, for the partnership's laptops or with a passphrase.\n\n"
            "Export it without encryption anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


def import_in_process(paths: Sequence[Path]) -> bool:
    """Whether importing ``paths`` is worth a process of its own (docs/ui.md, "Long work in a
    process of its own").

    On a thread, checking a bundle's changes holds Python's lock the window needs to paint: a
    whole partnership's bundle stalled the window for 50-150 ms at a time. Starting a process
    takes about half a second, longer than importing a few laptops' weekly bundles, which hold
    the lock only briefly: those stay on a thread.
    """
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            continue  # the import itself says what is wrong with it
    return total >= PROCESS_IMPORT_BYTES


def ask_bundles(parent: QWidget) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(
        parent, "Import bundles", str(documents_dir()), f"{BUNDLE_FILTER};;All files (*)"
    )
    return [Path(n) for n in names]


class ImportSummaryDialog(QDialog):
    """What each bundle brought: new, already known, now in conflict; and those refused."""

    def __init__(
        self,
        results: Sequence[ImportReport | BundleError],
        open_conflicts: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished")
        self.resize(680, 360)
        self.review_requested = False
        layout = QVBoxLayout(self)
        reports = [r for r in results if isinstance(r, ImportReport)]
        refused = [r for r in results if isinstance(r, BundleError)]
        new = sum(r.new for r in reports)
        conflicts = sum(r.conflicts for r in reports)
        head = QLabel(
            f"<b>{count(len(reports), 'bundle')} imported</b>: {count(new, 'new change')}, "
            f"{count(conflicts, 'field')} now in conflict."
            + (f" <b>{count(len(refused), 'bundle')} refused.</b>" if refused else "")
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        table = QTableWidget(len(reports), 5)
        table.setHorizontalHeaderLabels(["File", "From", "New", "Already known", "Conflicts"])
        table.setAccessibleName("Imported bundles")
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, r in enumerate(reports):
            known = (
                "held: not enrolled"
                if r.held
                else "already imported"
                if r.already_imported
                else f"{r.known:,}"
            )
            cells = [
                printable(r.filename),
                printable(r.device_name),
                f"{r.new:,}",
                known,
                f"{r.conflicts:,}",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a long file or laptop name is cut in a narrow column
                if col >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(row, col, item)
        header = table.horizontalHeader()
        # The columns' widths from the first rows only: measuring 300 laptops' rows (a
        # coordinator's Friday) took 20 ms of the window's time; a longer name has its tooltip.
        header.setResizeContentsPrecision(SUMMARY_ROWS_MEASURED)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table, 1)
        held = [r for r in reports if r.held]
        if held:
            note = QLabel(
                f"{count(len(held), 'bundle')} held, not applied: "
                + "; ".join(f"{printable(r.device_name)} (key: {r.fingerprint})" for r in held)
                + ". A coordinator can approve or reject them under File → Laptops."
            )
            note.setWordWrap(True)
            note.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(note)
        for error in refused:
            label = QLabel(f"Refused: {printable(error.message)}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setProperty("role", "error")
            layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        self.review_button: QPushButton | None = None
        if open_conflicts:
            self.review_button = buttons.addButton(
                f"Review {count(open_conflicts, 'conflict')}…",
                QDialogButtonBox.ButtonRole.AcceptRole,
            )
            self.review_button.setDefault(True)
            self.review_button.clicked.connect(self._review)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _review(self) -> None:
        self.review_requested = True
        self.accept()


def ask_passphrase(parent: QWidget, names: list[str], *, again: bool = False) -> str | None:
    """Ask for the passphrase of encrypted bundles (``again``: the last one did not open them);
    None when the person cancels."""
    from PySide6.QtWidgets import QInputDialog

    listed = ", ".join(names[:3]) + (" and others" if len(names) > 3 else "")
    verb = "is" if len(names) == 1 else "are"
    text, ok = QInputDialog.getText(
        parent,
        "Encrypted bundle",
        (
            f"That passphrase did not open {listed}. Check it with whoever sent "
            f"{'it' if len(names) == 1 else 'them'}, and enter it again:"
            if again
            else f"{listed} {verb} encrypted. Enter the passphrase it was sent with:"
        ),
        QLineEdit.EchoMode.Password,
    )
    return text if ok and text else None
