"""A scripted typist for the crash test (only when PEERREVIEW_TEST_SCRIPT names a JSON file).

The test starts the real app in a subprocess with a script:
``{"record": id, "field": "notes", "text": "...", "interval_ms": 50, "log": "typed.log"}``,
optionally with ``"quit_after_ms"``: then the main window is closed (File → Quit) at that time.

For the benchmarks, ``{"report_paint": "out.json"}`` writes the moment the navigator was first
painted (from the start note, when there is one), the moment it was first painted live, and the
process's resident memory a moment after that, then quits.
The app opens the record, focuses the field and types one character every ``interval_ms`` as a
person would (real key events). Each character is logged with the time it was typed, flushed at
once, so after the test kills the process it knows exactly what had been typed when.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from ui.shell.app import Launcher


class _FirstPaint(QObject):
    """Notes the first paint of a widget, and its first paint once the window is live (the same
    paint when it was not painted from its start note); reports ``settle_ms`` after that and
    quits."""

    def __init__(self, out: Path, settle_ms: int) -> None:
        super().__init__()
        self.out, self.settle_ms = out, settle_ms
        self.painted_at = self.live_at = 0.0
        self.live = False

    def went_live(self) -> None:
        self.live = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            if not self.painted_at:
                self.painted_at = time.time()
            if self.live and not self.live_at:
                self.live_at = time.time()
                QTimer.singleShot(self.settle_ms, self.report)
        return False

    def report(self) -> None:
        import psutil

        rss = psutil.Process().memory_info().rss
        self.out.write_text(
            json.dumps({"painted_at": self.painted_at, "live_at": self.live_at, "rss": rss})
        )
        QApplication.quit()


def _when_live(launcher: Launcher, then: Callable[[], None]) -> None:
    """Call ``then`` once the window shows the open database (at once when it does)."""
    window = launcher.window
    assert window is not None
    if window.live:
        then()
    else:
        window.went_live.connect(then)


def start_script(launcher: Launcher, script_path: Path) -> None:
    script: dict[str, Any] = json.loads(script_path.read_text(encoding="utf-8"))
    if "report_paint" in script:
        assert launcher.window is not None
        watcher = _FirstPaint(Path(script["report_paint"]), int(script.get("settle_ms", 500)))
        watcher.setParent(launcher.window)
        _when_live(launcher, watcher.went_live)
        launcher.window.tree.viewport().installEventFilter(watcher)
        return
    log = open(script["log"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives with the app
    state: dict[str, Any] = {"typed": 0}
    text: str = script["text"]

    def begin() -> None:
        window = launcher.window
        assert window is not None
        window.select_record(script["record"])
        editor = window.detail.editor
        assert editor is not None
        widget = editor.binder_for(script["field"]).focus_widget()
        widget.setFocus()
        log.write(f"ready\t{time.time():.4f}\n")
        timer = QTimer(window)
        timer.setInterval(int(script.get("interval_ms", 50)))

        def type_one() -> None:
            from PySide6.QtTest import QTest

            i = state["typed"]
            if i >= len(text):
                timer.stop()
                return
            QTest.keyClicks(widget, text[i])
            state["typed"] = i + 1
            log.write(f"{time.time():.4f}\t{i + 1}\n")

        timer.timeout.connect(type_one)
        timer.start()
        state["timer"] = timer

    _when_live(launcher, lambda: QTimer.singleShot(300, begin))
    if "quit_after_ms" in script:

        def quit_app() -> None:
            typing = state.get("timer")
            if isinstance(typing, QTimer):
                typing.stop()  # a person stops typing before choosing Quit
            log.write(f"quit\t{time.time():.4f}\n")
            if launcher.window is not None:
                launcher.window.actions["quit"].trigger()

        after = int(script["quit_after_ms"])
        _when_live(launcher, lambda: QTimer.singleShot(after, quit_app))
