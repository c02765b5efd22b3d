"""The English school year and its terms, for due dates, termly updates and yearly reports.

A school year runs from 1 September to 31 August and is written "2025-26". Its three terms follow
the convention schools and the DfE's census use, with Easter as the hinge (term dates differ between
local authorities by a few days; these boundaries never fall inside a holiday that matters for a
plan): the **autumn** term from 1 September to 31 December, the **spring** term from 1 January to
Easter Sunday, and the **summer** term from Easter Monday to 31 August.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peerreview.choices import Choice
from peerreview.errors import ValidationError

_YEAR_RE = re.compile(r"^(\d{4})[-/–](\d{2}|\d{4})$")


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


class Season(Choice):
    """The three terms of the English school year, in order."""

    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


@dataclass(frozen=True, order=True)
class SchoolYear:
    """An English school year, named by the calendar year it starts in (2025 is "2025-26")."""

    start_year: int

    @property
    def name(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start_year, 9, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start_year + 1, 8, 31)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first_day <= day <= self.last_day

    def terms(self) -> tuple[Term, Term, Term]:
        return (Term(self, Season.AUTUMN), Term(self, Season.SPRING), Term(self, Season.SUMMER))

    def next(self) -> SchoolYear:
        return SchoolYear(self.start_year + 1)

    def previous(self) -> SchoolYear:
        return SchoolYear(self.start_year - 1)

    @classmethod
    def of(cls, day: dt.date) -> SchoolYear:
        """The school year a date falls in (August belongs to the year that began the September
        before)."""
        return cls(day.year if day.month >= 9 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """ "2025-26" (or "2025/26", "2025-2026") as a school year.

        Raises:
            ValidationError: not a school year written that way, or the two years do not follow.
        """
        match = _YEAR_RE.match(text.strip())
        if match is not None:
            first = int(match.group(1))
            second = match.group(2)
            follows = (first + 1) % 100 if len(second) == 2 else first + 1
            if int(second) == follows:
                return cls(first)
        raise ValidationError(f"{text!r} is not a school year. Write it like 2025-26.")

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, order=True)
class Term:
    """One term of a school year."""

    year: SchoolYear
    season: Season

    @property
    def first_day(self) -> dt.date:
        y = self.year.start_year
        if self.season is Season.AUTUMN:
            return dt.date(y, 9, 1)
        if self.season is Season.SPRING:
            return dt.date(y + 1, 1, 1)
        return easter_sunday(y + 1) + dt.timedelta(days=1)

    @property
    def last_day(self) -> dt.date:
        y = self.year.start_year
        if self.season is Season.AUTUMN:
            return dt.date(y, 12, 31)
        if self.season is Season.SPRING:
            return easter_sunday(y + 1)
        return dt.date(y + 1, 8, 31)

    @property
    def name(self) -> str:
        """ "Spring term 2026" (the calendar year the term is mostly in)."""
        return f"{self.season.label} term {self.first_day.year}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first_day <= day <= self.last_day

    def next(self) -> Term:
        order = list(Season)
        i = order.index(self.season)
        if i == len(order) - 1:
            return Term(self.year.next(), Season.AUTUMN)
        return Term(self.year, order[i + 1])

    def previous(self) -> Term:
        order = list(Season)
        i = order.index(self.season)
        if i == 0:
            return Term(self.year.previous(), Season.SUMMER)
        return Term(self.year, order[i - 1])

    @classmethod
    def of(cls, day: dt.date) -> Term:
        """The term a date falls in."""
        year = SchoolYear.of(day)
        return next(t for t in year.terms() if day in t)

    def __str__(self) -> str:
        return self.name


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), kept inside shorter months (31 January plus one
    month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))
