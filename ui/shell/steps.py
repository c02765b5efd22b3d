"""Work that can wait a few turns of the event loop, done a few milliseconds per turn; and work
that can wait until the window has first painted.

After a long job hundreds of rows may have to catch up (the navigator's re-sync, the detail pane).
Done at once that stalls the window; queued here, it runs in small steps with the event loop
turning (painting, typing, timers) between them. One queue per session, so two views' catch-up
never lands in the same turn.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from ui.shell.signals import emit

#: Steps run until this much time has gone in one turn; a longer step ends the turn by itself.
#: A callable (one piece of work of unknown size) only ever starts a turn.
STEP_BUDGET_S = 0.008

Work = Iterator[None] | Callable[[], Any]


class StepQueue(QObject):
    """Runs queued work a step at a time: a callable is one step, a generator one per ``yield``."""

    #: everything queued has been done (or dropped)
    idle = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        paused: Callable[[], bool] = lambda: False,
        budget_s: float = STEP_BUDGET_S,
    ) -> None:
        super().__init__(parent)
        self._queue: list[tuple[object, Work, Callable[[], None] | None]] = []
        self._paused = paused
        self.budget_s = budget_s
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._run)

    def add(self, key: object, work: Work, on_done: Callable[[], None] | None = None) -> None:
        """Queue ``work`` (replacing unfinished work queued under the same ``key``)."""
        self.cancel(key)
        self._queue.append((key, work, on_done))
        self._timer.start()

    def cancel(self, key: object) -> None:
        self._queue = [item for item in self._queue if item[0] is not key]

    def clear(self) -> None:
        """Drop everything queued (the window is closing)."""
        self._queue.clear()
        self._timer.stop()

    def pending(self, key: object | None = None) -> bool:
        """Is work (under ``key``, or any) still waiting?"""
        return any(key is None or k is key for k, _w, _d in self._queue)

    def run_all(self) -> None:
        """Do everything queued now."""
        while self._queue:
            self._step()
        self._timer.stop()
        emit(self.idle)

    def step(self) -> None:
        """Do one step now, whatever the time (tests step through catch-up work this way)."""
        if self._queue:
            self._step()

    def _run(self) -> None:
        if not self._queue:
            return  # done meanwhile by ``step`` or ``run_all``
        if self._paused():
            # A job is running: what was queued is moot (the job's end queues it again).
            self._queue.clear()
            emit(self.idle)
            return
        deadline = time.perf_counter() + self.budget_s
        self._step()  # at least one step a turn
        while self._queue and time.perf_counter() < deadline:
            if callable(self._queue[0][1]):
                break  # a whole piece of work (of unknown size) starts a turn of its own
            self._step()
        if self._queue:
            self._timer.start()
        else:
            emit(self.idle)

    def _step(self) -> None:
        item = self._queue[0]
        _key, work, on_done = item
        if callable(work):
            work()
        else:
            try:
                next(work)
                return
            except StopIteration:
                pass
        # Done: drop it (unless the work itself cancelled or replaced it meanwhile).
        self._queue = [i for i in self._queue if i is not item]
        if on_done is not None:
            on_done()


class _FirstPaint(QObject):
    def __init__(self, widget: QObject, fn: Callable[[], Any], fallback_ms: int) -> None:
        super().__init__(widget)
        self.widget, self.fn, self.done = widget, fn, False
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._run)  # a window that is never painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and not self.done:
            # Posted now, so it runs once this paint (and the rest of the window's) is done.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        if not self.done:
            self.done = True
            self.widget.removeEventFilter(self)
            self.fn()


def cancel_first_paint_work(root: QObject) -> None:
    """Drop work waiting for a first paint under ``root`` (a window closing: its store goes)."""
    for child in root.findChildren(QObject):
        if isinstance(child, _FirstPaint) and not child.done:
            child.done = True
            child.widget.removeEventFilter(child)


def after_first_paint(widget: QObject, fn: Callable[[], Any], fallback_ms: int = 1000) -> None:
    """Call ``fn`` once, just after ``widget`` is first painted (or after ``fallback_ms``).

    ``QTimer.singleShot(0, fn)`` is not enough: queued before the window shows, it runs before
    the window's first paint, which then waits for it.
    """
    _FirstPaint(widget, fn, fallback_ms)
