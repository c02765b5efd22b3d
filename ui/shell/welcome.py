"""First run: start a partnership database, open an existing one, or explore the demo partnership.

New databases go in the user's local data folder. Choosing a folder that OneDrive, Dropbox,
Google Drive, iCloud or a network share synchronises is warned against: copying a live database
corrupts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from peerreview.paths import data_dir
from peerreview.sync.sync_folders import synchronised_folder
from ui.shell.icons import icon
from ui.shell.signals import emit


@dataclass(frozen=True)
class NewDatabase:
    """What the person asked for when creating a database."""

    path: Path
    device_name: str
    author: str
    partnership_name: str | None  # None: joining a partnership (its bundle comes next)


def suggested_path(partnership: str, folder: Path | None = None) -> Path:
    """``<data dir>/coventry-schools-partnership.db``, numbered if that name is taken."""
    folder = folder or data_dir()
    slug = re.sub(r"[^a-z0-9]+", "-", partnership.lower()).strip("-")[:60] or "partnership"
    path = folder / f"{slug}.db"
    n = 2
    while path.exists():
        path = folder / f"{slug}-{n}.db"
        n += 1
    return path


class PathLabel(QLabel):
    """A file path on one line, shortened in the middle when it does not fit (full in a tooltip)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setMinimumWidth(80)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_path(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(f"Kept in {text}")
        self._elide()

    def full_text(self) -> str:
        return self._full

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        super().setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideMiddle, self.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()


def confirm_folder(parent: QWidget | None, path: Path, opening: bool = False) -> bool:
    """Warn when ``path`` is in a synchronised folder; True when the person goes ahead anyway."""
    service = synchronised_folder(path)
    if service is None:
        return True
    verb = "open the database" if opening else "keep the database"
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("A synchronised folder")
    network = service.startswith("a network")
    box.setText(f"{path.parent} is {'on' if network else 'synchronised by'} {service}.")
    box.setInformativeText(
        "A live database must not sit in a synchronised folder or on a network share: when the "
        "file is copied or reached over the network while PeerReview is writing, the database is "
        "corrupted. Keep it in a local folder, and share work by exporting bundles (bundles are "
        "safe to put in a shared folder)."
    )
    other = box.addButton("Choose another folder", QMessageBox.ButtonRole.RejectRole)
    box.addButton(f"{verb.capitalize()} there anyway", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(other)
    box.exec()
    return box.clickedButton() is not other


class NewDatabaseForm(QWidget):
    """Partnership name, this laptop's name, your name, and where the file goes."""

    create_requested = Signal(object)  # NewDatabase

    def __init__(self, target: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chosen_path = target
        self._confirmed: Path | None = None  # a synchronised folder the person chose anyway
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.start = QRadioButton("Start a new partnership")
        self.join = QRadioButton("Join a partnership (import the coordinator's bundle next)")
        self.start.setChecked(True)
        for b in (self.start, self.join):
            b.setAccessibleName(b.text())
            layout.addWidget(b)
        form = QFormLayout()
        self.partnership = QLineEdit()
        self.partnership.setPlaceholderText("e.g. Coventry Schools Partnership")
        self.partnership.setAccessibleName("Partnership name")
        form.addRow("&Partnership", self.partnership)
        self.device = QLineEdit()
        self.device.setPlaceholderText("e.g. Mrs Patel's laptop")
        self.device.setAccessibleName("This laptop's name")
        self.device.setToolTip("Shown to colleagues beside the work that comes from this laptop.")
        form.addRow("This &laptop", self.device)
        self.author = QLineEdit()
        self.author.setPlaceholderText("e.g. Amira Patel (optional)")
        self.author.setAccessibleName("Your name")
        form.addRow("&Your name", self.author)
        where = QHBoxLayout()
        self.where = PathLabel()
        self.where.setProperty("role", "help")
        change = QPushButton("Change…")
        change.setAccessibleName("Choose where the database is kept")
        change.clicked.connect(self._choose_path)
        where.addWidget(self.where, 1)
        where.addWidget(change)
        form.addRow("Kept in", where)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setProperty("role", "error")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.create_button = QPushButton("Create and open")
        self.create_button.setAccessibleName("Create the database and open it")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.submit)
        layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight)
        self.partnership.textChanged.connect(self._update_where)
        self.join.toggled.connect(self._mode)
        self._update_where()

    def _mode(self) -> None:
        self.partnership.setEnabled(self.start.isChecked())
        self._update_where()

    def path(self) -> Path:
        if self._chosen_path is not None:
            return self._chosen_path
        name = self.partnership.text().strip() if self.start.isChecked() else "partnership"
        return suggested_path(name or "partnership")

    def _update_where(self) -> None:
        self.where.set_path(str(self.path()))

    def _choose_path(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Keep the database in", str(self.path()), "PeerReview databases (*.db)"
        )
        if not name:
            return
        path = Path(name if name.endswith(".db") else name + ".db")
        if confirm_folder(self, path):
            self._chosen_path = self._confirmed = path
            self._update_where()

    def request(self) -> NewDatabase | None:
        """What to create, or None (and a sentence saying why) when something is missing."""
        partnership = self.partnership.text().strip()
        if self.start.isChecked() and not partnership:
            self.problem.setText("Give the partnership a name.")
            self.partnership.setFocus()
            return None
        device = self.device.text().strip()
        if not device:
            self.problem.setText('Give this laptop a name, such as "Mrs Patel\'s laptop".')
            self.device.setFocus()
            return None
        path = self.path()
        if path.exists():
            self.problem.setText(f"{path.name} already exists. Choose another name or open it.")
            return None
        self.problem.setText("")
        return NewDatabase(
            path=path,
            device_name=device,
            author=self.author.text().strip() or device,
            partnership_name=partnership if self.start.isChecked() else None,
        )

    def submit(self) -> None:
        req = self.request()
        if req is None:
            return
        # A path given on the command line (peerreview --db FILE) has not been checked yet.
        if req.path != self._confirmed and not confirm_folder(self, req.path):
            self.problem.setText("Choose another folder with Change….")
            return
        self._confirmed = req.path
        emit(self.create_requested, req)


def _card(title: str, text: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("welcomeCard")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 14, 16, 14)
    heading = QLabel(title)
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    heading.setFont(font)
    layout.addWidget(heading)
    if text:
        body = QLabel(text)
        body.setWordWrap(True)
        body.setProperty("role", "help")
        layout.addWidget(body)
    return frame, layout


class WelcomeWindow(QWidget):
    """The start screen shown when no database is open."""

    create_requested = Signal(object)  # NewDatabase
    open_requested = Signal(object)  # Path, or None to ask
    demo_requested = Signal()

    def __init__(
        self, recent: list[Path], target: Path | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setWindowTitle("Welcome to PeerReview")
        self.setWindowIcon(icon("app"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.setSpacing(14)
        head = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(56, 56))
        head.addWidget(logo)
        titles = QVBoxLayout()
        title = QLabel("Welcome to PeerReview")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        title.setFont(font)
        titles.addWidget(title)
        sub = QLabel(
            "Peer review and lesson study for school partnerships. It works without a "
            "network; laptops share work by exchanging bundles."
        )
        sub.setWordWrap(True)
        titles.addWidget(sub)
        head.addLayout(titles, 1)
        outer.addLayout(head)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        card, box = _card(
            "Start",
            "Make this laptop's database. Colleagues' laptops each have their own; you share work "
            "by exchanging bundles.",
        )
        self.form = NewDatabaseForm(target)
        self.form.create_requested.connect(self.create_requested)
        box.addWidget(self.form)
        left = QVBoxLayout()
        left.addWidget(card)
        left.addStretch(1)
        columns.addLayout(left, 3)

        right = QVBoxLayout()
        right.setSpacing(16)
        card, box = _card("Open", "A database already on this laptop.")
        self.open_button = QPushButton("Open a database…")
        self.open_button.setAccessibleName("Open a database file")
        self.open_button.clicked.connect(lambda: emit(self.open_requested, None))
        box.addWidget(self.open_button)
        if recent:
            label = QLabel("Recently opened")
            label.setProperty("role", "help")
            box.addWidget(label)
        for path in recent[:4]:
            b = QCommandLinkButton(path.stem.replace("-", " ").capitalize(), str(path.parent))
            b.setIcon(icon("partnership"))  # not the style's bare arrow, which reads as a glyph
            b.setToolTip(str(path))
            b.setAccessibleName(f"Open recent database {path.name}")
            b.clicked.connect(lambda _c=False, p=path: emit(self.open_requested, p))
            box.addWidget(b)
        right.addWidget(card)
        card, box = _card(
            "Explore the demo",
            "A made-up partnership of twelve schools in Coventry and Warwickshire, with groups "
            "and staff, to try everything safely. It is kept apart from your own data.",
        )
        self.demo_button = QPushButton("Explore the demo partnership")
        self.demo_button.setAccessibleName("Explore the demo partnership")
        self.demo_button.clicked.connect(self.demo_requested)
        box.addWidget(self.demo_button)
        right.addWidget(card)
        right.addStretch(1)
        columns.addLayout(right, 2)
        outer.addLayout(columns)
        outer.addStretch(1)  # a taller window keeps the cards together at the top
        self.setTabOrder(self.form.partnership, self.form.device)
        self.setMaximumWidth(16777215)
        # As tall as what it shows at this width (not a fixed height with an empty bottom third).
        self.resize(900, max(outer.totalHeightForWidth(900), 360))


class NewDatabaseDialog(QDialog):
    """File → New database…: the same form as the welcome screen, in a dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New database")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.form = NewDatabaseForm()
        self.form.create_requested.connect(self._accept)
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.request: NewDatabase | None = None

    def _accept(self, request: NewDatabase) -> None:
        self.request = request
        self.accept()
