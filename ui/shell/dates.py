"""Dates typed as people type them: "4/12/2026", "04122026", "4 Dec", "t" for today.

``DateEdit`` is a ``QDateEdit`` (same signals, same ``date()``/``setDate``, a calendar to pick
from) whose text is read when it is finished (Enter, Tab, leaving the field) rather than digit by
digit, so a date half typed is never saved. ``parse_date`` is the reading, British order: day,
then month, then year; a missing year is the one that puts the date nearest the date shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QDate, QDateTime, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QValidator
from PySide6.QtWidgets import QDateEdit, QLineEdit, QWidget

from ui.shell.signals import emit

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WEEKDAYS = re.compile(r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\b,?", re.IGNORECASE)
_RELATIVE = {"t": 0, "today": 0, "tod": 0, "tomorrow": 1, "tom": 1, "yesterday": -1}
HINT = 'Type a date as you would write it: 4/12/2026, 04122026 or 4 Dec; "t" is today'


def _month(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if len(word) < 3:
        return None
    for n, name in enumerate(MONTHS, start=1):
        if name.startswith(word) or (word == "sept" and n == 9):
            return n
    return None


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if len(text) <= 2 else y


def _make(day: int, month: int, year: int | None, reference: dt.date) -> dt.date | None:
    if year is not None:
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    best: dt.date | None = None
    for y in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = dt.date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - reference).days) < abs((best - reference).days):
            best = candidate
    return best


def parse_date(text: str, reference: dt.date, today: dt.date | None = None) -> dt.date | None:
    """The date ``text`` means, or None.

    Args:
        text: what was typed: "4/12/2026", "4.12.26", "04122026", "041226", "0412", "4 Dec",
            "4 December 2026", "Dec 4", "Thu 4 Dec", "2026-12-04", "t", "today", "tomorrow".
        reference: the date a missing year is chosen near (the date the field showed).
        today: what "t" means (the machine's today when None).
    """
    today = today or dt.date.today()
    t = _WEEKDAYS.sub(" ", text.strip().lower())
    t = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", t).replace(",", " ").replace(" of ", " ")
    t = " ".join(t.split())
    if not t:
        return None
    if t in _RELATIVE:
        return today + dt.timedelta(days=_RELATIVE[t])
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t)  # ISO, as files and exports write it
    if m:
        return _make(int(m[3]), int(m[2]), int(m[1]), reference)
    m = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})(?:[/.\- ](\d{2}|\d{4}))?", t)
    if m:
        return _make(int(m[1]), int(m[2]), _year(m[3]) if m[3] else None, reference)
    m = re.fullmatch(r"(\d{2})(\d{2})(\d{4}|\d{2})?", t)  # 04122026, 041226, 0412
    if m:
        return _make(int(m[1]), int(m[2]), _year(m[3]) if m[3] else None, reference)
    m = re.fullmatch(r"(\d{1,2}) ?([a-z]+\.?)(?: (\d{2}|\d{4}))?", t)  # 4 Dec 2026, 4dec
    if m and _month(m[2]):
        return _make(int(m[1]), _month(m[2]) or 0, _year(m[3]) if m[3] else None, reference)
    m = re.fullmatch(r"([a-z]+\.?) (\d{1,2})(?: (\d{2}|\d{4}))?", t)  # Dec 4 2026
    if m and _month(m[1]):
        return _make(int(m[2]), _month(m[1]) or 0, _year(m[3]) if m[3] else None, reference)
    return None


#: A visit longer than this many days is asked about once: usually a slip of the end date.
LONG_VISIT_DAYS = 5


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class DateEdit(QDateEdit):
    """A date field that reads what was typed when it is finished ("4 Dec", "04122026"), with
    "t" for today, + and - for a day later or earlier, and a calendar (Alt+Down or the arrow).

    Until Enter, Tab or leaving the field, what is typed is only text: the date (and
    ``dateChanged``) moves once, to what the whole text means; text that means no date is put
    back as it was, with a hint in the tooltip.
    """

    #: the person changed the date (typed and finished, a key, the calendar); not when the
    #: program sets it, as ``dateChanged`` also is
    edited = Signal(QDate)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self._finishing = False
        self._tip = ""
        self.setToolTip(HINT)
        self.calendarWidget().clicked.connect(self._picked)
        self.calendarWidget().activated.connect(self._picked)

    def _picked(self, day: QDate) -> None:
        emit(self.edited, day)

    def _set_by_person(self, day: QDate) -> None:
        if day != self.date():
            self.setDate(day)
            emit(self.edited, self.date())

    def setToolTip(self, text: str | None) -> None:  # noqa: N802 - Qt override
        self._tip = text or ""
        super().setToolTip(
            f"{self._tip}\n{HINT}" if self._tip and HINT not in self._tip else self._tip
        )

    # ------------------------------------------------------------------ reading the text

    def _special(self, text: str) -> bool:
        """The text that stands for "no date" (the minimum date shown as special text)."""
        special = self.specialValueText()
        return bool(special) and text.strip().lower() in ("", special.lower())

    def _meaning(self, text: str) -> dt.date | None:
        current = self.date()
        reference = pydate(current) if current.isValid() else dt.date.today()
        return parse_date(text, reference)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if text == self.textFromDateTime(self.dateTime()) or self._special(text):
            return (QValidator.State.Acceptable, text, pos)
        if not self._finishing:
            return (QValidator.State.Intermediate, text, pos)  # typing: not a date yet
        day = self._meaning(text)
        ok = day is not None and self.minimumDate() <= qdate(day) <= self.maximumDate()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate, text, pos)

    def dateTimeFromText(self, text: str) -> QDateTime:  # noqa: N802 - Qt override
        if self._special(text):
            return QDateTime(self.minimumDate(), self.time())
        day = self._meaning(text)
        if day is None:
            return self.dateTime()
        return QDateTime(qdate(day), self.time())

    def fixup(self, text: str) -> str:
        return text

    def _finish(self) -> None:
        """Read the whole text now: a date, the special text, or back to what it was."""
        text = self.text()
        if text == self.textFromDateTime(self.dateTime()):
            return
        day = None if self._special(text) else self._meaning(text)
        if self._special(text):
            self._set_by_person(self.minimumDate())
        elif day is not None and self.minimumDate() <= qdate(day) <= self.maximumDate():
            self._set_by_person(qdate(day))
            super().setToolTip(self._tip or HINT)
        else:
            super().setToolTip(f'"{text}" is not a date this field can take. {HINT}.')
        self.lineEdit().setText(self.textFromDateTime(self.dateTime()))

    # ------------------------------------------------------------------ keys

    def _step(self, days: int = 0, months: int = 0) -> None:
        self._finish()
        current = self.date()
        if current == self.minimumDate() and self.specialValueText():
            current = qdate(dt.date.today())  # from "not set": start from today
            days = months = 0
        self._set_by_person(current.addDays(days).addMonths(months))
        self.lineEdit().selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key, mods = event.key(), event.modifiers()
        plain = not mods & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
        line = self.lineEdit()
        selected = line.selectedText() == self.text() or not self.text()
        if plain and key == Qt.Key.Key_T and selected:
            self._set_by_person(qdate(dt.date.today()))
            line.selectAll()
            return
        steps: dict[int, tuple[int, int]] = {
            Qt.Key.Key_Plus.value: (1, 0),
            Qt.Key.Key_Equal.value: (1, 0),
            Qt.Key.Key_Minus.value: (-1, 0),
            Qt.Key.Key_Up.value: (1, 0),
            Qt.Key.Key_Down.value: (-1, 0),
            Qt.Key.Key_PageUp.value: (0, 1),
            Qt.Key.Key_PageDown.value: (0, -1),
        }
        if plain and key in steps and not (key == Qt.Key.Key_Minus and not selected):
            self._step(*steps[key])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._finish()
            super().keyPressEvent(event)
            return
        # Typing is typing: characters, Backspace, Delete and the cursor keys edit the text as
        # in any box (not a section of the date at a time); the whole text is read at the end.
        text = event.text()
        editing = (
            Qt.Key.Key_Backspace,
            Qt.Key.Key_Delete,
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
        )
        if plain and (key in editing or (text and text.isprintable())):
            QLineEdit.keyPressEvent(line, event)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        # The whole date selected, so that what is typed replaces it (not one part of it).
        QTimer.singleShot(0, self, self.lineEdit().selectAll)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self._finish()
        super().focusOutEvent(event)

    def interpretText(self) -> None:  # noqa: N802 - Qt override
        self._finishing = True
        try:
            super().interpretText()
        finally:
            self._finishing = False


class VisitDates(QObject):
    """A first and a last day kept in step: moving the first day moves the last with it (the
    visit keeps its length), the last day is never before the first, and a visit longer than
    ``LONG_VISIT_DAYS`` days is asked about, once for each length."""

    def __init__(
        self, start: DateEdit, end: DateEdit, ask: Callable[[str], bool], parent: QObject
    ) -> None:
        super().__init__(parent)
        self.start, self.end, self.ask = start, end, ask
        self._before = self._now = start.date()
        self._asked: set[int] = set()
        start.dateChanged.connect(self._start_moved)
        start.edited.connect(self._start_edited)
        end.edited.connect(self._check_length)
        end.setMinimumDate(start.date())

    def _start_moved(self, day: QDate) -> None:
        self._before, self._now = self._now, day
        if self.end.date() >= day:  # (a lower minimum would move the last day before its time)
            self.end.setMinimumDate(day)

    def _start_edited(self, day: QDate) -> None:
        shift = self._before.daysTo(day) if self._before.isValid() else 0
        last = self.end.date().addDays(shift)
        if last < day:
            last = day
        self.end.setDate(last)
        self.end.setMinimumDate(day)
        self._check_length()

    def days(self) -> int:
        return self.start.date().daysTo(self.end.date()) + 1

    def _check_length(self, *_args: object) -> None:
        days = self.days()
        if days <= LONG_VISIT_DAYS or days in self._asked:
            return
        self._asked.add(days)
        first, last = pydate(self.start.date()), pydate(self.end.date())
        question = (
            f"This visit would last {days} days, from {first:%A} {first.day} {first:%B} to "
            f"{last:%A} {last.day} {last:%B %Y}. Most visits are one to three days.\n\n"
            "Keep these dates?"
        )
        if not self.ask(question):
            self.end.setDate(self.start.date())
            emit(self.end.edited, self.end.date())
