"""Dates typed as people type them; the last day follows the first; a long visit asks once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.shell.dates import DateEdit, VisitDates, parse_date

REF = dt.date(2026, 11, 20)
TODAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("4/12/2026", dt.date(2026, 12, 4)),
        ("04/12/2026", dt.date(2026, 12, 4)),
        ("4.12.26", dt.date(2026, 12, 4)),
        ("4-12-2026", dt.date(2026, 12, 4)),
        ("04122026", dt.date(2026, 12, 4)),
        ("041226", dt.date(2026, 12, 4)),
        ("0412", dt.date(2026, 12, 4)),
        ("4/12", dt.date(2026, 12, 4)),
        ("4 Dec", dt.date(2026, 12, 4)),
        ("4 december 2026", dt.date(2026, 12, 4)),
        ("4th December", dt.date(2026, 12, 4)),
        ("Thu 4 Dec", dt.date(2026, 12, 4)),
        ("Dec 4", dt.date(2026, 12, 4)),
        ("2026-12-04", dt.date(2026, 12, 4)),
        ("5 Jan", dt.date(2027, 1, 5)),  # nearest the date shown: the coming January
        ("t", TODAY),
        ("today", TODAY),
        ("tomorrow", TODAY + dt.timedelta(days=1)),
        ("31/2/2026", None),
        ("someday", None),
        ("", None),
    ],
)
def test_dates_read_as_written(typed: str, meant: dt.date | None) -> None:
    assert parse_date(typed, REF, today=TODAY) == meant


def test_a_year_is_chosen_nearest_the_date_shown() -> None:
    assert parse_date("5 Jan", dt.date(2026, 12, 20)) == dt.date(2027, 1, 5)
    assert parse_date("20 Dec", dt.date(2027, 1, 3)) == dt.date(2026, 12, 20)


@pytest.fixture
def fields(app: Any, qtbot: Any) -> tuple[QWidget, DateEdit, DateEdit, QLineEdit]:
    page = QWidget()
    box = QVBoxLayout(page)
    start, end, other = DateEdit(), DateEdit(), QLineEdit()
    for w in (start, end, other):
        box.addWidget(w)
    qtbot.addWidget(page)
    start.setDate(QDate(2026, 3, 3))
    end.setDate(QDate(2026, 3, 4))
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    return page, start, end, other


def type_into(edit: DateEdit, text: str) -> None:
    edit.setFocus()
    edit.lineEdit().selectAll()
    QTest.keyClicks(edit, text)


def test_typing_changes_the_date_once_when_finished(fields: Any, qtbot: Any) -> None:
    _page, start, _end, other = fields
    seen: list[str] = []
    start.dateChanged.connect(lambda d: seen.append(d.toString("yyyy-MM-dd")))
    type_into(start, "4/12/2026")
    assert seen == []  # half typed is never a date
    other.setFocus()
    qtbot.waitUntil(lambda: seen == ["2026-12-04"], timeout=2000)
    assert start.text() == "04/12/2026"
    type_into(start, "04122026")
    QTest.keyClick(start, Qt.Key.Key_Plus)  # a day later
    assert start.date() == QDate(2026, 12, 5)
    type_into(start, "nonsense")
    QTest.keyClick(start, Qt.Key.Key_Return)
    assert start.date() == QDate(2026, 12, 5) and start.text() == "05/12/2026"
    assert "is not a date" in start.toolTip()
    start.lineEdit().selectAll()
    QTest.keyClick(start, Qt.Key.Key_T)
    assert start.date() == QDate.currentDate()


def test_the_last_day_follows_the_first_and_a_long_visit_asks_once(fields: Any) -> None:
    page, start, end, _other = fields
    asked: list[str] = []
    answers = [True]
    VisitDates(start, end, lambda q: asked.append(q) or answers[0], page)
    type_into(start, "10/3/2026")
    QTest.keyClick(start, Qt.Key.Key_Return)
    assert end.date() == QDate(2026, 3, 11)  # still a two-day visit
    type_into(end, "24/3/2026")
    QTest.keyClick(end, Qt.Key.Key_Return)
    assert len(asked) == 1 and "15 days" in asked[0]  # asked, and kept
    assert end.date() == QDate(2026, 3, 24)
    type_into(start, "11/3/2026")  # the same length again: not asked twice
    QTest.keyClick(start, Qt.Key.Key_Return)
    assert len(asked) == 1 and end.date() == QDate(2026, 3, 25)
    answers[0] = False
    type_into(end, "31/3/2026")
    QTest.keyClick(end, Qt.Key.Key_Return)
    assert len(asked) == 2 and end.date() == start.date()  # not meant: one day
