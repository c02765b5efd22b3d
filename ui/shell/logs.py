"""Logging to a rotating file in the user's log folder, Qt's own messages included."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

from peerreview.paths import log_dir

LOG_NAME = "peerreview.log"

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def setup_logging(folder: Path | None = None, *, capture_qt: bool = True) -> Path:
    """Send log records to ``<log dir>/peerreview.log`` (1 MB, five old files kept).

    Args:
        capture_qt: send Qt's own warnings to the log too (off in tests, where pytest-qt
            listens for them).
    """
    import logging.handlers  # (sockets, pickling): not needed before the window first paints

    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if not capture_qt:
        return path
    qt_log = logging.getLogger("qt")

    def qt_handler(kind: QtMsgType, context: object, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.INFO), "%s", message)

    qInstallMessageHandler(qt_handler)
    return path


class EarlyRecords(logging.Handler):
    """Keeps what is logged before the log file is set up (the app sets it up once its window
    has painted), then hands it to the file."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        root = logging.getLogger()
        root.addHandler(self)
        root.setLevel(logging.INFO)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def replay(self) -> None:
        """Stop keeping; write what was kept to the handlers set up since."""
        root = logging.getLogger()
        root.removeHandler(self)
        for record in self.records:
            if record.levelno >= root.level:
                root.handle(record)
        self.records.clear()
