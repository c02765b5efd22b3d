"""Observation mode: for a teacher standing at the back of a classroom. Large text, one stage at a
time, the case pupils side by side, each with the prediction greyed, the notes so far and a box for
the next note. Ctrl+1 to Ctrl+6 choose a pupil, Ctrl+Enter adds the note (Ctrl+Shift+Enter as a
quote), Ctrl+Page Down and Ctrl+Page Up move between stages; a photo dropped on a pupil is added."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peerreview.lessonstudy import cycles as cy
from peerreview.sync.records import Record
from ui.lessonstudy.context import CycleContext, label

#: Text in observation mode is this much larger than the app's (readable at arm's length).
SCALE = 1.35

AddNote = Callable[..., "str | None"]
AddPhoto = Callable[[str, str, Path], "str | None"]


def _bigger(font: QFont, factor: float = SCALE) -> QFont:
    out = QFont(font)
    if font.pointSizeF() > 0:
        out.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        out.setPixelSize(round(font.pixelSize() * factor))
    return out


class PupilColumn(QFrame):
    """One case pupil at the stage shown: the prediction, the notes so far, the next note."""

    def __init__(self, mode: ObservationMode, index: int, pupil: Record, title: str) -> None:
        super().__init__()
        self.mode, self.index, self.pupil = mode, index, pupil
        self.setProperty("card", True)
        self.setAcceptDrops(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 10, 12, 12)
        head = label(f"{title}  (Ctrl+{index + 1})", "cardTitle")
        head.setFont(_bigger(head.font(), SCALE * 1.1))
        box.addWidget(head)
        self.prediction = label("")
        self.prediction.setProperty("role", "muted")
        self.prediction.setFont(_bigger(self.prediction.font()))
        box.addWidget(self.prediction)
        self.notes = label("")
        self.notes.setFont(_bigger(self.notes.font()))
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(self.notes)
        box.addWidget(area, 1)
        self.entry = QPlainTextEdit()
        self.entry.setTabChangesFocus(True)
        self.entry.setFont(_bigger(self.entry.font()))
        self.entry.setMaximumHeight(110)
        self.entry.setPlaceholderText("What did the pupil do or say?")
        self.entry.setAccessibleName(f"Note on {title}")
        box.addWidget(self.entry)
        row = QHBoxLayout()
        add = QPushButton("Add note")
        add.setToolTip("Ctrl+Enter")
        add.clicked.connect(lambda: mode.add_from(self, False))
        quote = QPushButton("Quote")
        quote.setToolTip("Ctrl+Shift+Enter")
        quote.clicked.connect(lambda: mode.add_from(self, True))
        row.addWidget(add)
        row.addWidget(quote)
        box.addLayout(row)

    def show_cell(self, prediction: str, lines: list[str]) -> None:
        self.prediction.setText(f"Predicted: {prediction}" if prediction else "No prediction")
        self.notes.setText("\n".join(lines) if lines else "No notes yet.")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.mode.add_photo(self, Path(url.toLocalFile()))
        event.acceptProposedAction()


class ObservationMode(QWidget):
    """One stage at a time, the pupils side by side (see the module's docstring)."""

    def __init__(
        self,
        ctx: CycleContext,
        add_note: AddNote,
        add_photo: AddPhoto,
        drafts: Any,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.drafts = drafts
        self._drafts_of: str | None = None  # the stage whose drafts the boxes hold
        self._draft_timer = QTimer(self, singleShot=True, interval=700)
        self._draft_timer.timeout.connect(self.save_drafts)
        self._add_note, self._add_photo = add_note, add_photo
        self.stage_index = 0
        self.columns: list[PupilColumn] = []
        self.stages: list[Record] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        nav = QHBoxLayout()
        self.previous_button = QPushButton("◀ Previous stage")
        self.previous_button.setToolTip("Ctrl+Page Up")
        self.previous_button.clicked.connect(lambda: self.show_stage(self.stage_index - 1))
        self.next_button = QPushButton("Next stage ▶")
        self.next_button.setToolTip("Ctrl+Page Down")
        self.next_button.clicked.connect(lambda: self.show_stage(self.stage_index + 1))
        self.stage_title = QLabel()
        self.stage_title.setProperty("role", "pageTitle")
        self.stage_title.setFont(_bigger(self.stage_title.font(), SCALE * 1.2))
        self.stage_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stage_title.setWordWrap(True)
        nav.addWidget(self.previous_button)
        nav.addWidget(self.stage_title, 1)
        nav.addWidget(self.next_button)
        layout.addLayout(nav)
        self.activity = label("", "muted")
        self.activity.setFont(_bigger(self.activity.font()))
        layout.addWidget(self.activity)
        self.row = QHBoxLayout()
        self.row.setSpacing(10)
        layout.addLayout(self.row, 1)
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.show_stage(self.stage_index + s))
        for n in range(cy.MAX_PUPILS):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=n: self.focus_pupil(i))

    def reload(self) -> None:
        from ui.lessonstudy.observe import read_cells, stage_title

        stages, pupils, cells = read_cells(self.ctx)
        self.stages = stages
        real = self.ctx.real_names()
        if [c.pupil.id for c in self.columns] != [p.id for p in pupils]:
            focused = next((c.index for c in self.columns if c.entry.hasFocus()), None)
            drafts = {c.pupil.id: c.entry.toPlainText() for c in self.columns}
            for column in self.columns:
                self.row.removeWidget(column)
                column.deleteLater()
            self.columns = [
                PupilColumn(self, n, p, self.ctx.pupil_label(p, real)) for n, p in enumerate(pupils)
            ]
            for column in self.columns:
                column.entry.setPlainText(drafts.get(column.pupil.id, ""))
                column.entry.textChanged.connect(self._draft_timer.start)
                self.row.addWidget(column, 1)
            if focused is not None:
                self.focus_pupil(focused)
        self.stage_index = max(0, min(self.stage_index, len(stages) - 1))
        if not stages:
            self.stage_title.setText("Add the stages of the lesson on the Plan tab.")
            self.activity.setText("")
            for column in self.columns:
                column.show_cell("", [])
            return
        stage = stages[self.stage_index]
        if self._drafts_of != stage.id:  # another stage: its own drafts in the boxes
            self.save_drafts()
            for column in self.columns:
                was = column.entry.blockSignals(True)
                column.entry.setPlainText(self.drafts.get(stage.id, column.pupil.id))
                column.entry.blockSignals(was)
            self._drafts_of = stage.id
        self.stage_title.setText(
            f"Stage {self.stage_index + 1} of {len(stages)}: "
            + stage_title(stage, self.stage_index + 1).split(". ", 1)[-1]
        )
        self.activity.setText(stage.get("activity", ""))
        for column in self.columns:
            cell = cells.get((stage.id, column.pupil.id))
            column.show_cell(cell.prediction if cell else "", cell.lines() if cell else [])
        self.previous_button.setEnabled(self.stage_index > 0)
        self.next_button.setEnabled(self.stage_index < len(stages) - 1)

    def show_stage(self, index: int) -> None:
        if self.stages or index == 0:
            self.stage_index = max(0, min(index, max(len(self.stages) - 1, 0)))
        self.reload()

    def focus_pupil(self, index: int) -> None:
        if 0 <= index < len(self.columns):
            self.columns[index].entry.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_from_focus(self, quote: bool) -> None:
        column = next((c for c in self.columns if c.entry.hasFocus()), None)
        if column is not None:
            self.add_from(column, quote)

    def add_from(self, column: PupilColumn, quote: bool) -> str | None:
        text = column.entry.toPlainText().strip()
        if not text or not self.stages:
            return None
        stage = self.stages[self.stage_index]
        made = self._add_note(stage.id, column.pupil.id, text, quote=quote)
        if made:
            was = column.entry.blockSignals(True)
            column.entry.clear()
            column.entry.blockSignals(was)
            self.drafts.put(stage.id, column.pupil.id, "")
            column.entry.setFocus(Qt.FocusReason.OtherFocusReason)
        return made

    def forget_drafts(self) -> None:
        """Another lesson: the boxes are filled again from that lesson's drafts."""
        self._drafts_of = None

    def save_drafts(self) -> None:
        """Keep what is typed in each pupil's box (for the stage it was typed at)."""
        self._draft_timer.stop()
        if self._drafts_of is None:
            return
        for column in self.columns:
            self.drafts.put(self._drafts_of, column.pupil.id, column.entry.toPlainText())

    def add_photo(self, column: PupilColumn, path: Path) -> str | None:
        if not self.stages:
            return None
        return self._add_photo(self.stages[self.stage_index].id, column.pupil.id, path)
