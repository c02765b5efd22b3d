"""The status bar: this laptop's name, changes not yet exported, open conflicts, privacy mode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QLabel, QStatusBar, QToolButton, QWidget

from ui.shell.formatting import count
from ui.shell.icons import icon
from ui.shell.steps import after_first_paint

if TYPE_CHECKING:
    from ui.shell.session import Session


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class StatusPanel(QWidget):
    """Owns the permanent widgets of the window's status bar and keeps their counts fresh."""

    conflicts_clicked = Signal()
    unexported_clicked = Signal()

    def __init__(self, session: Session, bar: QStatusBar, privacy_action: QAction) -> None:
        super().__init__(bar)
        self.session = session
        self.bar = bar
        self.device = QLabel()
        self.device.setAccessibleName("This laptop")
        self.unexported = QToolButton()
        self.unexported.setAutoRaise(True)
        self.unexported.setAccessibleName("Changes not yet exported")
        self.unexported.setToolTip(
            "Changes made on this laptop since its last full export. Click to export a bundle."
        )
        self.unexported.clicked.connect(self.unexported_clicked)
        self.conflicts = QToolButton()
        self.conflicts.setAutoRaise(True)
        self.conflicts.setIcon(icon("conflict"))
        self.conflicts.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.conflicts.setAccessibleName("Open conflicts")
        self.conflicts.setToolTip("Values two laptops changed at the same time. Click to review.")
        self.conflicts.clicked.connect(self.conflicts_clicked)
        self.privacy = QToolButton()
        self.privacy.setDefaultAction(privacy_action)
        self.privacy.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.privacy.setAutoRaise(True)
        self.privacy.setAccessibleName("Privacy mode")
        bar.addPermanentWidget(self.device)
        bar.addPermanentWidget(_separator())
        bar.addPermanentWidget(self.unexported)
        self.conflicts_separator = _separator()
        bar.addPermanentWidget(self.conflicts_separator)
        bar.addPermanentWidget(self.conflicts)
        bar.addPermanentWidget(_separator())
        bar.addPermanentWidget(self.privacy)
        self._stopped = False
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.refresh)
        session.counters_changed.connect(self._timer.start)
        session.privacy.changed.connect(lambda _on: self.refresh())
        session.busy_changed.connect(lambda busy: None if busy else self._timer.start())
        session.message.connect(lambda text: bar.showMessage(text, 8000))
        self.device.setText(session.privacy.device(session.store.device.name, this_device=True))
        self.conflicts.hide()
        self.conflicts_separator.hide()
        after_first_paint(bar, self.refresh)  # the counts come just after the window first paints

    def stop(self) -> None:
        """The window is closing: read nothing more from the store."""
        self._stopped = True
        self._timer.stop()

    def refresh(self) -> None:
        """Read the counts again (cheap queries). Not while a job runs: they move only when it
        ends, and the first count of unexported changes is written down, which would wait for
        the job's write."""
        if self.session.busy or self._stopped:
            return
        store = self.session.store
        self.device.setText(self.session.privacy.device(store.device.name, this_device=True))
        n = store.unexported_count()
        self.unexported.setText(
            "Everything exported" if n == 0 else f"{count(n, 'change')} not yet exported"
        )
        c = store.conflict_count()
        self.conflicts.setText(count(c, "conflict"))
        self.conflicts.setVisible(c > 0)
        self.conflicts_separator.setVisible(c > 0)
        self.conflict_count = c
        self.unexported_count = n
