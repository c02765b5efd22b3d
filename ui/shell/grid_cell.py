"""A grid cell being typed: Enter, Tab and the arrows finish it and say where to go next."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ui.shell.signals import emit


class Move(enum.Enum):
    """Where the cursor goes when an edit is finished."""

    DOWN = "down"
    UP = "up"
    RIGHT = "right"
    LEFT = "left"
    STAY = "stay"
    CANCEL = "cancel"


class CellEditor(QPlainTextEdit):
    """The text of one cell while it is typed: Enter, Tab and (when typing replaced the text)
    the arrows finish it and move on; Alt+Enter is a new line; Escape cancels."""

    #: the person finished (or cancelled) the edit: a Move
    finished = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gridCellEditor")
        self.setStyleSheet(
            "#gridCellEditor { border: 2px solid palette(highlight); padding: 1px; }"
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabChangesFocus(False)
        #: the text the cell held when editing began (an unchanged cell is not written)
        self.original = ""
        #: True when typing replaced the text: the arrows then move to the next cell (Excel's
        #: "enter" mode); False after F2 or a double-click: the arrows move within the text
        self.replacing = False
        self.loaded = False

    def start(self, text: str, *, replacing: bool, original: str) -> None:
        self.original = original
        self.replacing = replacing
        self.setPlainText(text)
        self.moveCursor(self.textCursor().MoveOperation.End)
        self.loaded = True

    @property
    def changed(self) -> bool:
        return self.toPlainText() != self.original

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        mods = event.modifiers()
        move: Move | None = None
        if key == Qt.Key.Key_Escape:
            move = Move.CANCEL
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods & Qt.KeyboardModifier.AltModifier:
                self.insertPlainText("\n")
                return
            if mods & Qt.KeyboardModifier.ShiftModifier:
                move = Move.UP
            elif mods & Qt.KeyboardModifier.ControlModifier:
                move = Move.STAY
            else:
                move = Move.DOWN
        elif key == Qt.Key.Key_Tab:
            move = Move.RIGHT
        elif key == Qt.Key.Key_Backtab:
            move = Move.LEFT
        elif key == Qt.Key.Key_F2:
            self.replacing = not self.replacing
            return
        elif self.replacing and not mods & ~Qt.KeyboardModifier.KeypadModifier:
            move = {
                Qt.Key.Key_Down: Move.DOWN,
                Qt.Key.Key_Up: Move.UP,
                Qt.Key.Key_Right: Move.RIGHT,
                Qt.Key.Key_Left: Move.LEFT,
            }.get(Qt.Key(key))
        if move is not None:
            emit(self.finished, move)
            return
        super().keyPressEvent(event)
