"""Unexpected errors: logged in full, shown with "Copy details", never a silent exit."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("peerreview.crash")


class CrashDialog(QDialog):
    """Says something went wrong, that work is saved, and offers the details to copy."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("PeerReview: something went wrong")
        self.details = details
        layout = QVBoxLayout(self)
        text = QLabel(
            "<b>Something went wrong inside PeerReview.</b><br><br>"
            "Everything you had typed up to the last second has been saved. You can carry on, "
            "or close and reopen the app. If it happens again, copy the details below and send "
            "them to whoever supports PeerReview in your partnership."
        )
        text.setWordWrap(True)
        from PySide6.QtCore import Qt  # the Qt namespace: not needed to start (app.py)

        text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(text)
        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Error details")
        self.text.setMinimumSize(560, 200)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setAccessibleName("Copy the error details to the clipboard")
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.accept)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText("Copied")


class ExceptionHook:
    """``sys.excepthook``: log the traceback, then show it (once at a time) instead of dying."""

    def __init__(self) -> None:
        self._showing = False
        self.previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self

    def uninstall(self) -> None:
        sys.excepthook = self.previous

    def __call__(
        self,
        kind: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        log.error("unhandled exception:\n%s", details)
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        app = QApplication.instance()
        if app is None or self._showing:
            sys.__stderr__.write(details) if sys.__stderr__ else None
            return
        self._showing = True
        try:
            parent = QApplication.activeWindow()
            CrashDialog(details, parent).exec()
        finally:
            self._showing = False
