"""Importing schools from GIAS (File → Import schools from GIAS…): the dialog, and the job.

The dialog only asks; the work (``peerreview.partnership.schools.import_schools``) runs in the
window's JobRunner.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.shell.registry import Shell
from ui.shell.transfer import documents_dir, path_row

if TYPE_CHECKING:  # the import itself is loaded when first used
    from peerreview.partnership.schools import SchoolImportReport


class GiasImportDialog(QDialog):
    """Choose a GIAS establishment CSV and, optionally, one local authority."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import schools from GIAS")
        self.resize(560, 220)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Download the establishment CSV from Get Information about Schools "
            "(get-information-schools.service.gov.uk → Downloads). Schools are matched by URN: "
            "importing again updates them and never makes duplicates."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.path = QLineEdit()
        self.path.setAccessibleName("GIAS CSV file")
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Choose the GIAS CSV file")
        browse.clicked.connect(self._browse)
        form.addRow("CSV file", path_row(self.path, browse))
        self.la = QLineEdit()
        self.la.setPlaceholderText("e.g. Coventry (leave empty for every school in the file)")
        self.la.setAccessibleName("Local authority")
        form.addRow("Local authority", self.la)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setProperty("role", "error")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "GIAS establishment CSV", str(documents_dir()), "CSV files (*.csv);;All files (*)"
        )
        if name:
            self.path.setText(name)

    def csv_path(self) -> Path:
        return Path(self.path.text().strip())

    def local_authority(self) -> str | None:
        return self.la.text().strip() or None

    def _accept(self) -> None:
        if not self.path.text().strip() or not self.csv_path().is_file():
            self.problem.setText("Choose the CSV file you downloaded from GIAS.")
            return
        self.accept()


def import_gias(shell: Shell) -> None:
    """Ask for the GIAS file, then import it."""
    dialog = GiasImportDialog(shell.dialog_parent())
    if dialog.exec() != GiasImportDialog.DialogCode.Accepted:
        return
    start_gias(shell, dialog.csv_path(), dialog.local_authority())


def start_gias(shell: Shell, path: Path, la: str | None) -> None:
    """Import the schools of a GIAS file (of one local authority) as long work."""
    from peerreview.partnership.schools import import_schools

    def done(report: SchoolImportReport) -> None:
        QMessageBox.information(shell.dialog_parent(), "Schools imported", report.summary())

    shell.jobs.start(
        f"Importing schools from {path.name}…",
        import_schools,
        shell.session.store,
        path,
        la=la,
        on_done=done,
    )
