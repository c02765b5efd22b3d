"""The partnership view feature: indicators and contacts, the figures, the reports, the commands."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from peerreview.oversight import kinds
from peerreview.sync.records import Record
from peerreview.sync.registry import (
    Command,
    Description,
    Event,
    Feature,
    Folder,
    ReportBuilder,
    ReportRequest,
)
from peerreview.sync.store import Store

if TYPE_CHECKING:
    from peerreview.forms import FormLibrary
    from peerreview.reports.model import Report
    from peerreview.sync.registry import DemoContext


def _indicator(store: Store, record: Record, hide_names: bool) -> Description:
    from peerreview.oversight.indicators import measure

    try:
        m = measure(str(record.get("measure") or ""))
        label, value = m.label, m.format(str(record.get("value") or ""))
    except Exception:  # noqa: BLE001 - a measure from a newer app: shown as stored
        label, value = str(record.get("measure") or "Indicator"), str(record.get("value") or "")
    when = str(record.get("period") or record.get("date") or "")
    # In a school's folder of indicators: which measure, and when (not "Attendance" three times).
    return Description(f"{label}: {value}", when, short=f"{label}, {when}" if when else label)


def _contact(store: Store, record: Record, hide_names: bool) -> Description:
    from peerreview.plans.plans import date_text

    kind = str(record.get("type") or "Contact")
    return Description(
        f"{kind}, {date_text(record.get('date'), 'undated')}", str(record.get("note") or "")
    )


def _year(request: ReportRequest) -> object:
    from peerreview.oversight.report import report_year
    from peerreview.schoolyear import SchoolYear

    if request.year:
        return SchoolYear.parse(request.year)
    return report_year(request.today or dt.date.today())


def _partnership_report(store: Store, library: FormLibrary, request: ReportRequest) -> Report:
    from peerreview.oversight.report import build_partnership_report
    from peerreview.schoolyear import SchoolYear

    year = _year(request)
    assert isinstance(year, SchoolYear)
    return build_partnership_report(store, library, year, today=request.today)


def _themes_report(store: Store, library: FormLibrary, request: ReportRequest) -> Report:
    from peerreview.oversight.report import build_themes_summary
    from peerreview.schoolyear import SchoolYear

    year = _year(request)
    assert isinstance(year, SchoolYear)
    return build_themes_summary(store, library, year, today=request.today)


def _events(store: Store, start: dt.date | None, end: dt.date | None) -> Iterator[Event]:
    """The coordinator's contacts (a visit counts as one)."""
    low = start.isoformat() if start else None
    high = end.isoformat() if end else None
    for rid, school, day, kind, note in store.rows(
        "contact", ["id", "school", "date", "type", "note"], ranges={"date": (low, high)}
    ):
        category = "visit" if str(kind or "").casefold() == "visit" else "contact"
        yield Event(
            dt.date.fromisoformat(day), school, category, str(note or kind or "Contact"), rid
        )


def _demo(store: Store, ctx: DemoContext) -> dict[str, int]:
    from peerreview.oversight.demo import build

    return build(store, ctx)


def _configure_coverage(parser: argparse.ArgumentParser) -> None:
    from peerreview.oversight.cli import configure_coverage

    configure_coverage(parser)


def _run_coverage(args: argparse.Namespace, store: Store) -> int:
    from peerreview.oversight.cli import run_coverage

    return run_coverage(args, store)


def _configure_indicators(parser: argparse.ArgumentParser) -> None:
    from peerreview.oversight.cli import configure_indicators

    configure_indicators(parser)


def _run_indicators(args: argparse.Namespace, store: Store) -> int:
    from peerreview.oversight.cli import run_indicators

    return run_indicators(args, store)


FEATURE = Feature(
    name="oversight",
    title="Partnership view",
    kinds=kinds.KINDS,
    migrations=kinds.MIGRATIONS,
    folders=(
        Folder(
            "school",
            "indicator",
            "Indicators",
            link_field="school",
            empty_text="No indicators for this school yet. Add one, or import a CSV with "
            "File → Import indicators…",
            what=("indicator", "indicators"),
        ),
        Folder(
            "school",
            "contact",
            "Contacts",
            link_field="school",
            empty_text="No contacts with this school recorded yet.",
            what=("contact", "contacts"),
        ),
    ),
    describers={"indicator": _indicator, "contact": _contact},
    reports=(
        ReportBuilder("partnership", "The partnership report for the board", _partnership_report),
        ReportBuilder("themes", "Anonymous summary of the year's review themes", _themes_report),
    ),
    demo=_demo,
    demo_weight=1,
    events=_events,
    commands=(
        Command(
            "coverage",
            "Schools with no review, visit, lesson study or contact for N months (or all, as CSV).",
            _configure_coverage,
            _run_coverage,
        ),
        Command(
            "import-indicators",
            "Import indicators per school from a CSV, checked whole before anything is written.",
            _configure_indicators,
            _run_indicators,
        ),
    ),
)
