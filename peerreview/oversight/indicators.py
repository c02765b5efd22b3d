"""Indicators per school: typed in, or imported from a CSV checked whole before anything is written.

Partnerships read outcomes, attendance, suspensions and exclusions, disadvantage and SEND beside
what they know of each school, never as a league table. An indicator has a school, a measure, the
date it was published or taken, the period it covers, a value, a source and an interpretation.

The CSV has a header row with the columns URN, Measure, Date, Value and Source, and optionally
Period and Interpretation (any order, any case). Measures are named by their label or id
("Attendance" or "attendance"); dates as people write them ("3 March 2026", "03/03/2026"); values
are numbers ("94.2", "94.2%"), except an inspection outcome, which is words. A file with the wrong
columns, or any bad row (named by its line), is refused with one sentence and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass

from peerreview.csvfiles import parse_date, read_rows
from peerreview.errors import ValidationError
from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.sync.ids import new_id
from peerreview.sync.records import Record
from peerreview.sync.store import Edit, Store


@dataclass(frozen=True)
class Measure:
    """Something partnerships track about a school."""

    id: str
    label: str
    unit: str = ""  # "%", "" for a score or a count
    numeric: bool = True
    #: True when a higher value is better, False when lower is, None when neither
    higher_is_better: bool | None = True

    def format(self, value: str) -> str:
        return f"{value}{self.unit}" if self.unit == "%" else value


MEASURES: tuple[Measure, ...] = (
    Measure("attendance", "Attendance", "%"),
    Measure("persistent_absence", "Persistent absence", "%", higher_is_better=False),
    Measure("suspensions", "Suspensions (rate)", "", higher_is_better=False),
    Measure("exclusions", "Permanent exclusions", "", higher_is_better=False),
    Measure("ks2_rwm", "KS2 reading, writing and maths at the expected standard", "%"),
    Measure("ks4_progress8", "Progress 8"),
    Measure("ks4_attainment8", "Attainment 8"),
    Measure("disadvantaged", "Disadvantaged pupils", "%", higher_is_better=None),
    Measure("fsm", "Pupils eligible for free school meals", "%", higher_is_better=None),
    Measure("send_support", "Pupils with SEN support", "%", higher_is_better=None),
    Measure("ehcp", "Pupils with an EHC plan", "%", higher_is_better=None),
    Measure("inspection", "Inspection outcome", numeric=False, higher_is_better=None),
)
_BY_KEY = {m.id: m for m in MEASURES} | {m.label.casefold(): m for m in MEASURES}

COLUMNS = ("URN", "Measure", "Date", "Value", "Source")
OPTIONAL = ("Period", "Interpretation")


def measure(key: str) -> Measure:
    """A measure by its id or label (any case).

    Raises:
        ValidationError: no such measure.
    """
    found = _BY_KEY.get(key.strip()) or _BY_KEY.get(key.strip().casefold())
    if found is None:
        raise ValidationError(
            f"{key!r} is not a measure. Use one of: {', '.join(m.label for m in MEASURES)}."
        )
    return found


def clean_value(m: Measure, text: str) -> str:
    """A value as stored: a number written plainly ("94.2") or, for words, as typed.

    Raises:
        ValueError: a numeric measure's value is not a number.
    """
    value = text.strip()
    if not value:
        raise ValueError("empty")
    if not m.numeric:
        return value
    number = value.removesuffix("%").replace(",", "").strip()
    float(number)  # raises ValueError when it is not a number
    return number


def add_indicator(
    store: Store,
    school: str,
    measure_id: str,
    *,
    value: str,
    on: dt.date,
    source: str,
    period: str = "",
    interpretation: str = "",
) -> str:
    """Record one indicator of a school."""
    m = measure(measure_id)
    if store.kind_of(school) != store.registry.school_kind().name:
        raise ValidationError("An indicator is of a school; choose one.")
    try:
        stored = clean_value(m, value)
    except ValueError:
        raise ValidationError(
            f"The value of {m.label.lower()} must be a number, not {value!r}."
        ) from None
    if not source.strip():
        raise ValidationError("Say where the figure comes from (its source).")
    return store.create(
        "indicator",
        {
            "school": school,
            "measure": m.id,
            "date": on.isoformat(),
            "period": period.strip(),
            "value": stored,
            "source": source.strip(),
            "interpretation": interpretation.strip(),
        },
    )


def indicators_of(store: Store, school: str) -> list[Record]:
    """A school's indicators, by measure then date."""
    order = {m.id: i for i, m in enumerate(MEASURES)}
    found = store.list("indicator", where={"school": school}, order_by="date")
    return sorted(found, key=lambda r: (order.get(r.get("measure"), 99), r.get("date") or ""))


@dataclass(frozen=True)
class ImportResult:
    """What an indicators CSV added."""

    added: int
    schools: int

    def summary(self) -> str:
        return (
            f"Imported {self.added} indicator{'s' if self.added != 1 else ''} "
            f"for {self.schools} school{'s' if self.schools != 1 else ''}."
        )


def import_indicators(
    store: Store,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ImportResult:
    """Check every row of an indicators CSV, then add them all in one transaction.

    Raises:
        ValidationError: wrong columns, or a bad row (named by its line); nothing was written.
    """
    header, rows = read_rows(path)
    name = os.fspath(path).rsplit("/", 1)[-1]
    index = {h.casefold(): i for i, h in enumerate(header)}
    missing = [c for c in COLUMNS if c.casefold() not in index]
    if missing:
        raise ValidationError(
            f"{name} does not have the columns an indicators file needs "
            f"({', '.join(COLUMNS)}; optionally {' and '.join(OPTIONAL)}): "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing. "
            "Nothing was changed."
        )
    school = store.registry.school_kind()
    by_urn = {
        urn: sid
        for sid, urn in store.rows(school.name, ["id", school.key_field or "id"])
        if urn is not None
    }
    edits: list[Edit] = []
    schools: set[str] = set()
    added = 0

    def cell(row: Sequence[str], column: str) -> str:
        i = index.get(column.casefold())
        return row[i].strip() if i is not None and i < len(row) else ""

    for line, row in rows:
        urn_text = cell(row, "URN")
        try:
            urn = int(urn_text)
        except ValueError:
            raise _bad(line, name, f"the URN {urn_text!r} is not a number") from None
        sid = by_urn.get(urn)
        if sid is None:
            raise _bad(line, name, f"there is no school with URN {urn} in this partnership")
        try:
            m = measure(cell(row, "Measure"))
        except ValidationError:
            raise _bad(
                line,
                name,
                f"{cell(row, 'Measure')!r} is not a measure (use one of: "
                f"{', '.join(m.label for m in MEASURES)})",
            ) from None
        try:
            day = parse_date(cell(row, "Date"))
        except ValueError:
            raise _bad(
                line,
                name,
                f"the date {cell(row, 'Date')!r} is not a date (write it like 3 March 2026)",
            ) from None
        try:
            value = clean_value(m, cell(row, "Value"))
        except ValueError:
            raise _bad(
                line, name, f"the value {cell(row, 'Value')!r} of {m.label.lower()} is not a number"
            ) from None
        source = cell(row, "Source")
        if not source:
            raise _bad(line, name, "the source is empty (say where the figure comes from)")
        rid = new_id()
        values = {
            "school": sid,
            "measure": m.id,
            "date": day.isoformat(),
            "period": cell(row, "Period"),
            "value": value,
            "source": source,
            "interpretation": cell(row, "Interpretation"),
        }
        edits += [Edit(rid, "indicator", k, v) for k, v in values.items() if v]
        schools.add(sid)
        added += 1
        if added % 500 == 0:
            check_cancelled(cancelled)
            if progress:
                progress(added, 0)
    if not added:
        raise ValidationError(f"{name} has no rows of indicators. Nothing was changed.")
    check_cancelled(cancelled)
    with store.transaction():
        store.write(edits)
    return ImportResult(added, len(schools))


def _bad(line: int, name: str, what: str) -> ValidationError:
    return ValidationError(f"Line {line} of {name}: {what}. Nothing was changed.")
