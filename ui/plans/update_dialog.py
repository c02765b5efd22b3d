"""A progress update: the date, what changed, the RAG rating now, the status, next steps.

One small dialog, filled with the keyboard (Ctrl+Enter records it); the update is one undoable
step through ``plans.add_update``, which moves the action's rating and status on when it is its
newest update.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerreview.plans import plans as pl
from peerreview.plans.plans import ActionStatus, Rag
from peerreview.sync.store import Store
from ui.shell.session import Session


class ProgressUpdateDialog(QDialog):
    """Asks for one progress update of an action and records it."""

    def __init__(
        self,
        session: Session,
        action_id: str,
        *,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("progressUpdate")
        self.session, self.action_id = session, action_id
        self.update_id: str | None = None
        action = session.store.get(action_id)
        self.setWindowTitle("Progress update")
        box = QVBoxLayout(self)
        title = QLabel(str(action.get("title") or "Action"))
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: bold;")
        box.addWidget(title)
        form = QFormLayout()
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("d MMMM yyyy")
        d = today or dt.date.today()
        self.day.setDate(QDate(d.year, d.month, d.day))
        form.addRow("&Date", self.day)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("What has changed since the last update, and the evidence")
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(90)
        form.addRow("What &changed", self.text)
        self.rag = QComboBox()
        self.rag.addItem("Keep as it is", None)
        for r in Rag:
            self.rag.addItem(r.label, r.value)
        current = Rag.of(action.get("rag"))
        form.addRow(f"&RAG now (was {current.label.lower() if current else 'not rated'})", self.rag)
        self.status = QComboBox()
        self.status.addItem("Keep as it is", None)
        for s in ActionStatus:
            self.status.addItem(s.label, s.value)
        form.addRow(
            f"&Status (now {ActionStatus.of(action.get('status')).label.lower()})", self.status
        )
        self.next = QPlainTextEdit()
        self.next.setPlaceholderText("What happens next, and by when")
        self.next.setTabChangesFocus(True)
        self.next.setMaximumHeight(70)
        form.addRow("&Next steps", self.next)
        files = QHBoxLayout()
        self.attach = QPushButton("&Attach evidence…")
        self.attach.setToolTip("Photos of work, documents: kept with the update")
        self.attach.clicked.connect(self._choose_files)
        self.attached = QLabel("")
        self.attached.setWordWrap(True)
        self.link = QPushButton("&Link what the school has…")
        self.link.setToolTip("Notes from reviews and lesson study, indicators, photos, documents")
        self.link.clicked.connect(self._choose_linked)
        files.addWidget(self.attach)
        files.addWidget(self.link)
        files.addStretch(1)
        form.addRow("Evidence", files)
        self.attached.setProperty("role", "help")
        form.addRow("", self.attached)
        self.linked: list[str] = []
        box.addLayout(form)
        self.files: list[Path] = []
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Record the update")
        ok.setShortcut("Ctrl+Return")
        buttons.accepted.connect(self.record)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.resize(560, 420)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Attach evidence")
        self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path]) -> None:
        """Files to attach to the update when it is recorded."""
        self.files += [p for p in paths if p.is_file() and p not in self.files]
        self._show_evidence()

    def _choose_linked(self) -> None:
        from ui.plans.evidence import EvidencePicker

        school = str(self.session.store.get(self.action_id).get("school") or "")
        picker = EvidencePicker(self.session, school, already=self.linked, parent=self)
        if picker.exec() == QDialog.DialogCode.Accepted:
            self.add_linked(picker.chosen())

    def add_linked(self, ids: list[str]) -> None:
        """Records the school already has, to link to the update when it is recorded."""
        self.linked += [i for i in ids if i not in self.linked]
        self._show_evidence()

    def _show_evidence(self) -> None:
        store = self.session.store
        names = [p.name for p in self.files] + [
            self.session.title_of(i) for i in self.linked if store.exists(i)
        ]
        self.attached.setText("; ".join(names))

    def record(self) -> None:
        """Record the update (one undoable step); stays open with the reason when refused."""
        q = self.day.date()
        day = dt.date(q.year(), q.month(), q.day())
        rag = self.rag.currentData()
        status = self.status.currentData()
        store = self.session.store
        with self.session.step("add progress update"):
            made = self.session.create_with(
                lambda: pl.add_update(
                    store,
                    self.action_id,
                    on=day,
                    text=self.text.toPlainText(),
                    rag=Rag(rag) if rag else None,
                    status=ActionStatus(status) if status else None,
                    next_steps=self.next.toPlainText(),
                    evidence=self.linked,
                    move_action=False,
                ),
                "progress_update",
                "progress update",
            )
            for path in self.files if made else []:
                self.session.create_with(
                    _attach(store, str(made), path), "attachment", "attachment"
                )
            if made:
                # The action takes the update's rating and status: undone with the update.
                self.session.write_with(
                    self.action_id,
                    lambda: pl.follow_update(store, made),
                    ("rag", "status", "completed_on"),
                    "add progress update",
                )
        if made:
            self.update_id = made
            self.accept()


def _attach(store: Store, owner: str, path: Path) -> Callable[[], str]:
    """Keeps a file with a progress update (as an attachment record of it)."""

    def attach() -> str:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return store.add_attachment(owner, path.read_bytes(), filename=path.name, media_type=kind)

    return attach
