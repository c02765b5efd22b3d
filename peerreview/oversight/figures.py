"""The partnership view's figures, computed offline from what has been merged.

"Who would know if a school was getting into difficulty?" Each figure answers part of it and opens
the records behind it:

- **coverage**: when each school last had a peer review, a lesson-study cycle, a visit or a contact,
  from every feature's events (the registry's, so lesson study counts without this package
  knowing it); schools with nothing for N months;
- **follow-through**: EBIs without a response and overdue actions, by school (counts only);
- **laptops**: each laptop's last bundle, from the import ledger; those silent for a month;
- **themes** (``themes.py``) and the **calendar** of what is coming;
- **indicators**: which schools have figures for each measure, and how recent, never ranked.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from peerreview.csvfiles import write_csv
from peerreview.oversight.indicators import MEASURES, Measure
from peerreview.reports.model import long_date
from peerreview.schoolyear import add_months
from peerreview.sync.registry import Event
from peerreview.sync.store import Store

#: Coverage's columns: what counts as each (event categories from every feature).
COVERAGE_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Peer review", frozenset({"review"})),
    ("Lesson study", frozenset({"lesson study", "research lesson", "cycle"})),
    ("Visit", frozenset({"visit", "workshop", "impact review", "support"})),
    ("Contact", frozenset({"contact"})),
)
ANY = "Anything"
SILENT_DAYS = 30


@dataclass(frozen=True)
class SchoolCoverage:
    school: str
    name: str
    urn: int | None
    last: tuple[dt.date | None, ...]  # one per COVERAGE_GROUPS
    last_any: dt.date | None
    next_planned: dt.date | None
    #: the record of the last event of each group, to open ("" when none)
    last_records: tuple[str, ...] = field(default=())

    def months_since(self, today: dt.date) -> int | None:
        if self.last_any is None:
            return None
        return (today.year - self.last_any.year) * 12 + today.month - self.last_any.month


@dataclass(frozen=True)
class Coverage:
    today: dt.date
    months: int
    since: dt.date  # nothing on or after this day counts as "not for N months"
    groups: tuple[str, ...]
    schools: tuple[SchoolCoverage, ...]  # by name

    def without(self, group: str | None = None) -> list[SchoolCoverage]:
        """Schools with nothing of ``group`` (or of anything) since ``since``."""
        if group is None or group == ANY:
            return [s for s in self.schools if s.last_any is None or s.last_any < self.since]
        i = self.groups.index(group)
        return [s for s in self.schools if s.last[i] is None or s.last[i] < self.since]  # type: ignore[operator]


def _schools(store: Store) -> list[tuple[str, str, int | None]]:
    school = store.registry.school_kind()
    rows = store.rows(school.name, ["id", "name", school.key_field or "id", "closed"])
    out = [
        (sid, str(name or ""), urn if isinstance(urn, int) else None)
        for sid, name, urn, closed in rows
        if not closed
    ]
    out.sort(key=lambda s: (s[1].casefold(), s[0]))
    return out


def coverage(store: Store, today: dt.date, months: int = 12) -> Coverage:
    """When each open school last had each kind of contact, and who has had none for ``months``."""
    past = store.registry.events(store, None, today)
    ahead = store.registry.events(store, today + dt.timedelta(days=1), None)
    groups = tuple(name for name, _ in COVERAGE_GROUPS)
    last: dict[str, list[dt.date | None]] = {}
    records: dict[str, list[str]] = {}
    last_any: dict[str, dt.date] = {}
    column = {c: i for i, (_, categories) in enumerate(COVERAGE_GROUPS) for c in categories}
    empty: list[dt.date | None] = [None] * len(groups)
    for e in past:  # in date order: the last one wins
        i = column.get(e.category)
        if i is not None:
            slots = last.get(e.school)
            if slots is None:
                slots = last[e.school] = list(empty)
                records[e.school] = [""] * len(groups)
            slots[i] = e.day
            records[e.school][i] = e.record_id
        last_any[e.school] = e.day
    upcoming: dict[str, dt.date] = {}
    for e in ahead:
        upcoming.setdefault(e.school, e.day)
    rows = tuple(
        SchoolCoverage(
            sid,
            name,
            urn,
            tuple(last.get(sid, [None] * len(groups))),
            last_any.get(sid),
            upcoming.get(sid),
            tuple(records.get(sid, [""] * len(groups))),
        )
        for sid, name, urn in _schools(store)
    )
    return Coverage(today, months, add_months(today, -months), groups, rows)


def quiet_schools(store: Store, today: dt.date, months: int = 12) -> list[str]:
    """The open schools with nothing at all in the last ``months`` (reads only those months'
    events: what a count needs, without each school's history)."""
    recent = {e.school for e in store.registry.events(store, add_months(today, -months), today)}
    return [sid for sid, _name, _urn in _schools(store) if sid not in recent]


COVERAGE_COLUMNS = (
    "School",
    "URN",
    *(name for name, _ in COVERAGE_GROUPS),
    "Last of anything",
    "Months since",
    "Next planned",
)


def write_coverage_csv(path: str | os.PathLike[str], cov: Coverage) -> Path:
    """Coverage as a CSV Excel opens correctly (UTF-8 with BOM, "3 March 2026")."""

    def day(d: dt.date | None) -> str:
        return long_date(d) if d is not None else "Never"

    rows = (
        (
            s.name,
            s.urn if s.urn is not None else "",
            *(day(d) for d in s.last),
            day(s.last_any),
            s.months_since(cov.today) if s.last_any is not None else "",
            long_date(s.next_planned) if s.next_planned else "",
        )
        for s in cov.schools
    )
    return write_csv(path, COVERAGE_COLUMNS, rows)


# ===================================================================== laptops


@dataclass(frozen=True)
class Laptop:
    id: str
    name: str
    last_bundle: dt.date | None
    bundles: int
    silent: bool


@dataclass(frozen=True)
class Laptops:
    today: dt.date
    laptops: tuple[Laptop, ...]

    @property
    def silent(self) -> list[Laptop]:
        return [lap for lap in self.laptops if lap.silent]


def laptops(store: Store, today: dt.date, silent_days: int = SILENT_DAYS) -> Laptops:
    """Every laptop whose bundles were imported here: its last bundle, and whether it has been
    silent for ``silent_days`` days."""
    out = []
    for device in store.known_devices():
        day = _day(device.last_bundle)
        out.append(
            Laptop(
                device.id,
                device.name,
                day,
                device.bundles,
                day is None or (today - day).days > silent_days,
            )
        )
    return Laptops(today, tuple(out))


def _day(stamp: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(stamp[:10])
    except ValueError:
        return None


# ===================================================================== calendar


@dataclass(frozen=True)
class CalendarEntry:
    day: dt.date
    school: str
    school_name: str
    category: str
    title: str
    record_id: str


def calendar(store: Store, today: dt.date, weeks: int = 8) -> tuple[CalendarEntry, ...]:
    """Reviews, workshops, impact reviews, research lessons and other events in the coming weeks."""
    names = {sid: name for sid, name, _ in _schools(store)}
    found: Sequence[Event] = store.registry.events(store, today, today + dt.timedelta(weeks=weeks))
    return tuple(
        CalendarEntry(e.day, e.school, names.get(e.school, ""), e.category, e.title, e.record_id)
        for e in found
        if e.school in names
    )


# ===================================================================== indicators


@dataclass(frozen=True)
class MeasureOverview:
    measure: Measure
    schools: int  # schools with at least one value
    latest: dt.date | None
    improved: int  # schools whose latest value is better than their one before
    declined: int
    unchanged: int


def indicator_overview(store: Store) -> tuple[MeasureOverview, ...]:
    """For each measure: how many schools have figures, how recent, and how many moved which way
    since their previous figure. Counts of schools, never a ranking of them."""
    by: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for school, measure, day, value in store.rows(
        "indicator", ["school", "measure", "date", "value"]
    ):
        by.setdefault((measure, school), []).append((day or "", str(value or "")))
    out = []
    for m in MEASURES:
        series = {school: sorted(v) for (mid, school), v in by.items() if mid == m.id}
        if not series:
            continue
        moves: Counter[str] = Counter()
        for values in series.values():
            if len(values) < 2 or not m.numeric or m.higher_is_better is None:
                continue
            try:
                before, after = float(values[-2][1]), float(values[-1][1])
            except ValueError:
                continue
            if after == before:
                moves["same"] += 1
            elif (after > before) == m.higher_is_better:
                moves["better"] += 1
            else:
                moves["worse"] += 1
        latest = max((v[-1][0] for v in series.values() if v), default="")
        out.append(
            MeasureOverview(
                m,
                len(series),
                _day(latest) if latest else None,
                moves["better"],
                moves["worse"],
                moves["same"],
            )
        )
    return tuple(out)
