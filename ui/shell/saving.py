"""Saving a workspace's report: asking where (the Documents folder, the format's ending), writing it
in the background, then a line saying where it went and a button that opens it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QWidget

from peerreview.reporting import render
from peerreview.reports.model import Report
from ui.shell.worker import Job, JobRunner

#: A report format's word in buttons and titles, and its file dialog filter.
FORMATS = {"pdf": ("PDF", "PDF document (*.pdf)"), "docx": ("Word", "Word document (*.docx)")}

#: What Windows refuses in a file's name ("/" everywhere): shown as "-" ("3/4 March": "3-4").
_REFUSED = re.compile(r'[\\/:*?"<>|]+')
#: Control characters (a tab or line break pasted into a title, an escape): shown as a space.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
#: Names Windows keeps for its devices, whatever ending follows ("CON.pdf" cannot be made).
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10))}
#: Characters a suggested name keeps (its folder and ending come on top, within Windows' 260).
NAME_LENGTH = 120


def safe_file_name(text: str, fallback: str) -> str:
    """``text`` as a file name every laptop can save (without its ending): what Windows refuses
    as "-", control characters as spaces, runs of spaces as one, at most ``NAME_LENGTH``
    characters, no dot, space or dash at either end (Windows drops a trailing dot, and a leading
    dot hides a file elsewhere), never a device's name; ``fallback`` when nothing is left."""
    name = _REFUSED.sub("-", _CONTROL.sub(" ", text))
    name = " ".join(name.split())[:NAME_LENGTH].strip(" .-")
    device, dot, rest = name.partition(".")
    if device.rstrip().upper() in _RESERVED:
        name = f"{device.rstrip()} file{dot}{rest}"
    return name or fallback


def ask_where(parent: QWidget, title: str, file_name: str, fmt: str) -> Path | None:
    """Where a person chose to save (None if they cancelled), ending in the format's ending."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getSaveFileName(
        parent, title, str(Path(folder) / file_name), FORMATS[fmt][1]
    )
    return with_ending(Path(chosen), fmt) if chosen else None


def with_ending(path: Path, fmt: str) -> Path:
    """``path``, with ``.fmt`` added when it does not already end so (people often leave it off)."""
    return path if path.suffix.lower() == f".{fmt}" else path.with_name(path.name + f".{fmt}")


class SavedReport:
    """The message line and the "Open it" button under a workspace's report buttons."""

    def __init__(self, jobs: JobRunner, *, open_name: str = "Open the saved report") -> None:
        self.jobs = jobs
        self.last_saved: Path | None = None
        self.message = QLabel("")
        self.message.setProperty("role", "muted")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton("Open it")
        self.open_button.setAccessibleName(open_name)
        self.open_button.clicked.connect(self.open_last)
        self.open_button.hide()

    def write(self, doing: str, report: Report, fmt: str, path: Path) -> Job | None:
        """Write ``report`` to ``path`` in the worker; say so meanwhile, and where it went after."""
        self.message.setText(f"Writing {path.name}…")
        return self.jobs.start(
            doing, render, report, fmt, path, on_done=self._saved, changes_records=False
        )

    def _saved(self, path: Any) -> None:
        self.last_saved = Path(path)
        self.message.setText(f"Saved {self.last_saved.name} in {self.last_saved.parent}.")
        self.open_button.show()

    def open_last(self) -> None:
        if self.last_saved is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_saved)))
