"""The fields of an evidence note that need more than a plain binding, and visit mode's style.

The note's time is shown as HH:mm but stored with its day; a year group typed as "4" is saved as
"Year 4"; the note box asks for little height so nothing around it is squeezed; visit mode's large
text is a style sheet (fonts set with setFont do not reach children that a style sheet styles).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from PySide6.QtCore import QSize, QTime
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPlainTextEdit, QTimeEdit

from ui.review.capture_parts import normalise_year
from ui.review.context import ReviewContext
from ui.shell.binding import Binding, LineBinding

VISIT_FONT_SCALE = 1.4


def visit_style(base: QFont) -> str:
    """Visit mode's large text, as a style sheet (fonts set with setFont do not reach children
    that a style sheet styles)."""
    unit, size = ("pt", base.pointSizeF()) if base.pointSizeF() > 0 else ("px", base.pixelSize())

    def px(factor: float) -> str:
        return f"{size * factor:.1f}{unit}"

    return (
        f"QWidget {{ font-size: {px(VISIT_FONT_SCALE)}; }}"
        f'QLabel[role="cardTitle"] {{ font-size: {px(VISIT_FONT_SCALE * 1.25)}; }}'
        f'QLabel[role="muted"] {{ font-size: {px(VISIT_FONT_SCALE * 0.85)}; }}'
    )


class NoteDay(Protocol):
    """The capture screen as the time binding sees it: the day the current note is on."""

    ctx: ReviewContext
    note_date: dt.date


class NoteEdit(QPlainTextEdit):
    """The note: as tall as the space allows, but asks for little (so nothing else is squeezed)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, 120)


class NoteTimeBinding(Binding[QTimeEdit]):
    """The note's time (HH:mm) on its day, stored as ``2026-03-03T10:40``."""

    def __init__(self, capture: NoteDay, widget: QTimeEdit, **kw: Any) -> None:
        self.capture = capture
        super().__init__(capture.ctx.session, widget, "time", **kw)

    def _connect(self) -> None:
        self.widget.timeChanged.connect(self._on_edit)

    def value(self) -> Any:
        t = self.widget.time()
        moment = dt.datetime.combine(self.capture.note_date, dt.time(t.hour(), t.minute()))
        return moment.isoformat(timespec="minutes")

    def _show(self, value: Any) -> None:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return
        self.capture.note_date = moment.date()
        self.widget.setTime(QTime(moment.hour, moment.minute))


class YearBinding(LineBinding):
    """Year group: "4" is saved and shown as "Year 4" when the person moves on."""

    def value(self) -> Any:
        value = super().value()
        return normalise_year(value) if value else None

    def save(self) -> None:
        w = self.widget
        tidy = normalise_year(w.text())
        if tidy != w.text() and not w.hasFocus():
            self.show(tidy)
        super().save()
