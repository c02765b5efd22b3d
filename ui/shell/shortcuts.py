"""Help → Keyboard shortcuts: generated from the window's actions, so it cannot drift from them."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: Keys that belong to widgets rather than actions, listed so people can find them too.
WIDGET_KEYS = (
    ("Everywhere", "Move to the next or previous control", "Tab, Shift+Tab"),
    ("Navigator", "Open or close a folder", "Right, Left"),
    ("Navigator", "Jump to a name", "Type its first letters"),
    ("Search", "Move into the results / open one", "Down, Enter"),
    ("Drop-downs", "Choose by typing", "Type part of the name, then Enter"),
    ("Review evidence", "Start a new note", "Ctrl+E"),
    ("Review evidence", "Finish the note and start the next", "Ctrl+Enter"),
    ("Review evidence", "Choose the activity", "1 to 8"),
    ("Review evidence", "Mark the areas the note bears on", "Alt+1 to Alt+9"),
    ("Review evidence", "Visit mode (large text, one column)", "F11"),
    ("Lesson study: observe", "Start a note on the chosen cell", "Ctrl+E"),
    ("Lesson study: observe", "Add the note / add it as a quote", "Ctrl+Enter / Ctrl+Shift+Enter"),
    ("Lesson study: observe", "Observation mode (large text, one stage at a time)", "F11"),
    ("Observation mode", "Choose a case pupil", "Ctrl+1 to Ctrl+6"),
    ("Observation mode", "Next or previous stage", "Ctrl+Page Down, Ctrl+Page Up"),
    ("Lesson study: discussion", "Next or previous step", "Ctrl+Page Down, Ctrl+Page Up"),
    ("Grids", "Fill a cell (replacing its text) / edit it in place", "Type / F2"),
    ("Grids", "Save the cell and move down, up or across", "Enter, Shift+Enter, Tab"),
    ("Grids", "A new line inside a cell", "Alt+Enter"),
    ("Grids", "Clear the selected cells", "Delete"),
    ("Grids", "Copy, cut or paste a block (with Excel or Word)", "Ctrl+C, Ctrl+X, Ctrl+V"),
    ("Grids", "Leave the grid", "Tab at its last cell, or Ctrl+Tab"),
)


def shortcut_rows(menubar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every action in the menus that has a shortcut."""
    rows: list[tuple[str, str, str]] = []

    def visit(menu_title: str, actions: list[QAction]) -> None:
        for action in actions:
            sub = action.menu()  # typed QObject: QtGui's QAction does not know QtWidgets' QMenu
            if isinstance(sub, QMenu):
                visit(menu_title, sub.actions())
                continue
            keys = action.shortcuts()
            if action.isSeparator() or not keys:
                continue
            text = action.text().replace("&", "").rstrip("…")
            native = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            rows.append((menu_title, text, native))

    for top in menubar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            visit(top.text().replace("&", ""), menu.actions())
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, menubar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Everything in PeerReview can be done from the keyboard."))
        rows = shortcut_rows(menubar) + list(WIDGET_KEYS)
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels(["Where", "What", "Keys"])
        table.setAccessibleName("Keyboard shortcuts")
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table = table
        layout.addWidget(table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
