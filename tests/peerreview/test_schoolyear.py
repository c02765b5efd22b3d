"""The English school year: years from September, terms hinged on Easter, months that add up."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerreview.errors import ValidationError
from peerreview.schoolyear import SchoolYear, Season, Term, add_months, easter_sunday

D = dt.date


def test_easter_sundays_match_the_calendar() -> None:
    assert easter_sunday(2024) == D(2024, 3, 31)
    assert easter_sunday(2025) == D(2025, 4, 20)
    assert easter_sunday(2026) == D(2026, 4, 5)
    assert easter_sunday(2027) == D(2027, 3, 28)
    assert easter_sunday(2028) == D(2028, 4, 16)


def test_a_school_year_runs_from_september() -> None:
    year = SchoolYear.of(D(2025, 9, 1))
    assert year.name == "2025-26" and str(year) == "2025-26"
    assert SchoolYear.of(D(2025, 8, 31)).name == "2024-25"
    assert SchoolYear.of(D(2026, 8, 31)) == year
    assert year.first_day == D(2025, 9, 1) and year.last_day == D(2026, 8, 31)
    assert SchoolYear.of(D(2099, 12, 31)).name == "2099-00"
    assert D(2026, 2, 14) in year and D(2026, 9, 1) not in year


def test_school_years_are_read_as_people_write_them() -> None:
    assert SchoolYear.parse("2025-26") == SchoolYear(2025)
    assert SchoolYear.parse(" 2025/26 ") == SchoolYear(2025)
    assert SchoolYear.parse("2025-2026") == SchoolYear(2025)
    assert SchoolYear.parse("1999-00") == SchoolYear(1999)
    for bad in ("2025-27", "2025", "twenty", "2025-2027", ""):
        with pytest.raises(ValidationError, match="not a school year"):
            SchoolYear.parse(bad)


def test_terms_meet_at_the_new_year_and_at_easter() -> None:
    autumn, spring, summer = SchoolYear(2025).terms()
    assert (autumn.first_day, autumn.last_day) == (D(2025, 9, 1), D(2025, 12, 31))
    assert (spring.first_day, spring.last_day) == (D(2026, 1, 1), D(2026, 4, 5))
    assert (summer.first_day, summer.last_day) == (D(2026, 4, 6), D(2026, 8, 31))
    assert Term.of(D(2025, 12, 31)) == autumn and Term.of(D(2026, 1, 1)) == spring
    assert Term.of(D(2026, 4, 5)) == spring and Term.of(D(2026, 4, 6)) == summer
    assert Term.of(D(2026, 8, 31)) == summer and Term.of(D(2026, 9, 1)).season is Season.AUTUMN
    assert summer.next() == Term(SchoolYear(2026), Season.AUTUMN)
    assert autumn.previous() == Term(SchoolYear(2024), Season.SUMMER)
    assert spring.name == "Spring term 2026" and autumn.name == "Autumn term 2025"


def test_leap_days_belong_to_the_spring_term() -> None:
    assert Term.of(D(2028, 2, 29)) == Term(SchoolYear(2027), Season.SPRING)
    assert Term.of(D(2024, 2, 29)).season is Season.SPRING


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)))
def test_every_day_is_in_exactly_one_term_of_its_year(day: dt.date) -> None:
    year = SchoolYear.of(day)
    holding = [t for t in year.terms() if day in t]
    assert len(holding) == 1 and Term.of(day) == holding[0]
    term = holding[0]
    assert term.next().first_day == term.last_day + dt.timedelta(days=1)


def test_months_are_added_keeping_inside_short_months() -> None:
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2028, 2, 29), 12) == D(2029, 2, 28)
    assert add_months(D(2026, 3, 3), -12) == D(2025, 3, 3)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
    assert add_months(D(2026, 1, 15), -1) == D(2025, 12, 15)
