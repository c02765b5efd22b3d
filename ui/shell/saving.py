"""Saving reports: asking where (the Documents folder, a name any laptop can save, the format's
ending), writing in the background, then saying where it went (a workspace: a line and a button
that opens it; a menu's report: the status bar)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QWidget

from peerreview.reporting import render
from peerreview.reports.model import Report
from peerreview.sync.registry import ReportRequest
from ui.shell.worker import Job, JobRunner

if TYPE_CHECKING:
    from ui.shell.registry import Shell

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


def _in_documents(file_name: str) -> str:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return str(Path(folder) / file_name)


def ask_where(parent: QWidget, title: str, file_name: str, fmt: str) -> Path | None:
    """Where a person chose to save (None if they cancelled), ending in the format's ending."""
    suggested = _in_documents(file_name)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, FORMATS[fmt][1])
    return with_ending(Path(chosen), fmt) if chosen else None


def ask_where_and_how(parent: QWidget, title: str, name: str) -> tuple[Path, str] | None:
    """Where a person chose to save a report, and as what (None if they cancelled): PDF or Word
    by the ending typed, else by the type chosen in the dialog; the path ends in its ending.

    Args:
        name: the name suggested, without an ending (PDF's is added).
    """
    chosen, picked = QFileDialog.getSaveFileName(
        parent,
        title,
        _in_documents(f"{name}.pdf"),
        ";;".join(description for _word, description in FORMATS.values()),
    )
    if not chosen:
        return None
    path = Path(chosen)
    typed = [f for f in FORMATS if path.suffix.lower() == f".{f}"]
    fmt = typed[0] if typed else next((f for f, (_, d) in FORMATS.items() if d == picked), "pdf")
    return with_ending(path, fmt), fmt


def save_report(
    shell: Shell,
    kind: str,
    *,
    record_id: str | None = None,
    school: str | None = None,
    year: str | None = None,
    name: str = "Report",
) -> Job | None:
    """Ask where to save a feature's report (``kind``, as the registry's reports name it), then
    write it as a job with its progress dialog; the status bar says where it went.

    Args:
        name: the name suggested (a plan's title...), without an ending: made safe to save.
    """
    suggested = safe_file_name(name, "Report")
    where = ask_where_and_how(shell.dialog_parent(), "Save the report", suggested)
    if where is None:
        return None
    target, fmt = where
    from peerreview.reporting import write_report

    request = ReportRequest(record_id=record_id, school=school, year=year, today=dt.date.today())
    return shell.jobs.start(
        "Writing the report…",
        write_report,
        shell.session.store,
        kind,
        record_id,
        fmt,
        target,
        request=request,
        changes_records=False,
        on_done=lambda written: shell.show_message(f"Wrote {written}."),
    )


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
