"""Actions across schools: what is due within a fortnight, what is overdue, and the CSV of them.

Leaders and governors look at these first. An action is **overdue** when it is open (not started
or in progress) and its due date is before today; it is **due within N days** when it is open and
falls due from today to N days on, both included. Dates are plain calendar dates, so a fortnight
from 15 February 2028 is 29 February 2028, and an action due on the last day of a term is overdue on
the first day of the next.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from peerreview.csvfiles import write_csv
from peerreview.plans.plans import ActionStatus, Rag, as_date
from peerreview.reports.model import long_date
from peerreview.sync.store import Store

#: What "due soon" means on the start screen and in governors' summaries.
FORTNIGHT = 14


@dataclass(frozen=True)
class ActionLine:
    """One action as a list shows it: no names, the owner by role."""

    id: str
    school: str  # the school's record id
    school_name: str
    urn: int | None
    plan: str
    priority: str
    priority_title: str
    title: str
    owner_role: str
    start: dt.date | None
    due: dt.date | None
    status: ActionStatus
    rag: Rag | None

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today and self.status.open

    def due_within(self, today: dt.date, days: int) -> bool:
        return (
            self.due is not None
            and self.status.open
            and today <= self.due <= today + dt.timedelta(days=days)
        )

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due).days if self.due is not None and self.overdue(today) else 0


def action_lines(
    store: Store,
    *,
    schools: Iterable[str] | None = None,
    open_due_by: dt.date | None = None,
) -> list[ActionLine]:
    """Every action (of the given schools, if any), by school name, then due date; only the open
    ones due by a day when ``open_due_by`` is given (what due and overdue lists need)."""
    where: dict[str, object] = {}
    ranges: dict[str, tuple[object, object]] = {}
    if schools is not None:
        where["school"] = tuple(schools)
    if open_due_by is not None:
        where["status"] = (*(s.value for s in ActionStatus if s.open), None)
        ranges["due_date"] = (None, open_due_by.isoformat())
    rows = store.rows(
        "action",
        [
            "id",
            "school",
            "plan",
            "priority",
            "title",
            "owner_role",
            "start_date",
            "due_date",
            "status",
            "rag",
        ],
        where=where,
        ranges=ranges,
    )
    names = {
        sid: (name or "", urn) for sid, name, urn in store.rows("school", ["id", "name", "urn"])
    }
    priority_ids = tuple({r[3] for r in rows})
    titles = {
        pid: title or ""
        for pid, title in store.rows("priority", ["id", "title"], where={"id": priority_ids})
    }
    out = []
    for aid, school, plan, priority, title, role, start, due, status, rag in rows:
        name, urn = names.get(school, ("Unknown school", None))
        out.append(
            ActionLine(
                id=aid,
                school=school or "",
                school_name=name,
                urn=urn,
                plan=plan or "",
                priority=priority or "",
                priority_title=titles.get(priority, ""),
                title=title or "",
                owner_role=role or "",
                start=as_date(start),
                due=as_date(due),
                status=ActionStatus.of(status),
                rag=Rag.of(rag),
            )
        )
    out.sort(key=lambda a: (a.school_name.casefold(), a.due or dt.date.max, a.title, a.id))
    return out


@dataclass(frozen=True)
class DueList:
    """What the start screen and governors see first."""

    today: dt.date
    within: int
    overdue: tuple[ActionLine, ...]  # longest overdue first
    due_soon: tuple[ActionLine, ...]  # soonest first


def due_and_overdue(
    store: Store,
    today: dt.date,
    *,
    within: int = FORTNIGHT,
    schools: Iterable[str] | None = None,
) -> DueList:
    """The open actions due within ``within`` days of ``today``, and the overdue ones."""
    lines = action_lines(store, schools=schools, open_due_by=today + dt.timedelta(days=within))
    late = sorted(
        (a for a in lines if a.overdue(today)), key=lambda a: (a.due, a.school_name, a.title)
    )
    soon = sorted(
        (a for a in lines if a.due_within(today, within)),
        key=lambda a: (a.due, a.school_name, a.title),
    )
    return DueList(today, within, tuple(late), tuple(soon))


def select(
    lines: Sequence[ActionLine],
    today: dt.date,
    *,
    due_within: int | None = None,
    overdue: bool = False,
) -> list[ActionLine]:
    """The lines asked for: overdue ones, ones due within N days, or both (either), or all."""
    if due_within is None and not overdue:
        return list(lines)
    return [
        a
        for a in lines
        if (overdue and a.overdue(today))
        or (due_within is not None and a.due_within(today, due_within))
    ]


#: This laptop's own choice of the schools it works with (device-local: never in a bundle).
MY_SCHOOLS = "plans:my-schools"


def my_schools(store: Store) -> list[str] | None:
    """The schools this laptop works with, as chosen on it; None for every school (a
    coordinator's laptop, or one where nobody has chosen)."""
    raw = store.local_value(MY_SCHOOLS)
    if not raw:
        return None
    try:
        found = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return (
        [s for s in found if isinstance(s, str) and store.exists(s)]
        if isinstance(found, list)
        else None
    )


def set_my_schools(store: Store, schools: Sequence[str] | None) -> None:
    """Choose the schools this laptop works with (None or empty: every school)."""
    store.set_local_value(MY_SCHOOLS, orjson.dumps(list(schools or [])).decode())


ACTION_COLUMNS = (
    "School",
    "URN",
    "Priority",
    "Action",
    "Owner (role)",
    "Start",
    "Due",
    "Status",
    "RAG",
    "Overdue",
)


def action_row(line: ActionLine, today: dt.date) -> tuple[object, ...]:
    """One action as a row of the actions CSV (and of ``peerreview actions``)."""
    return (
        line.school_name,
        line.urn if line.urn is not None else "",
        line.priority_title,
        line.title,
        line.owner_role or "No owner",
        long_date(line.start) if line.start else "",
        long_date(line.due) if line.due else "",
        line.status.label,
        line.rag.label if line.rag else "",
        _days(line.days_overdue(today)) if line.overdue(today) else "",
    )


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def write_actions_csv(
    path: str | os.PathLike[str], lines: Sequence[ActionLine], today: dt.date
) -> Path:
    """The actions as a CSV Excel opens correctly (UTF-8 with BOM, "3 March 2026")."""
    return write_csv(path, ACTION_COLUMNS, (action_row(a, today) for a in lines))
