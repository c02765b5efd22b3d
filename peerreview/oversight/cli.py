"""``peerreview coverage`` and ``peerreview indicators``: the partnership view's figures at the
command line, and the indicators CSV import."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from peerreview.arguments import iso_date
from peerreview.csvfiles import csv_bytes
from peerreview.errors import PeerReviewError
from peerreview.reports.model import long_date
from peerreview.sync.store import Store


def configure_coverage(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--months", type=int, default=12, help="flag schools with nothing for this many months"
    )
    parser.add_argument(
        "--today", type=iso_date, metavar="YYYY-MM-DD", help="the day to judge from"
    )
    parser.add_argument("--csv", action="store_true", help="write CSV (UTF-8 with BOM, for Excel)")


def run_coverage(args: argparse.Namespace, store: Store) -> int:
    from peerreview.oversight.figures import COVERAGE_COLUMNS, coverage

    if args.months < 1:
        raise PeerReviewError("--months is a number of months, 1 or more.")
    today = args.today or dt.date.today()
    cov = coverage(store, today, args.months)

    def day(d: dt.date | None) -> str:
        return long_date(d) if d is not None else "Never"

    rows = [
        (
            s.name,
            s.urn if s.urn is not None else "",
            *(day(d) for d in s.last),
            day(s.last_any),
            s.months_since(today) if s.last_any is not None else "",
            long_date(s.next_planned) if s.next_planned else "",
        )
        for s in cov.schools
    ]
    if args.csv:
        sys.stdout.buffer.write(csv_bytes(COVERAGE_COLUMNS, rows))
        sys.stdout.buffer.flush()
        return 0
    quiet = cov.without()
    print(
        f"{len(quiet)} of {len(cov.schools)} schools have had no review, visit, lesson study or "
        f"contact since {long_date(cov.since)}:"
    )
    for s in quiet:
        last = f"last {long_date(s.last_any)}" if s.last_any else "nothing recorded"
        print(f"  {s.name}" + (f" ({s.urn})" if s.urn else "") + f": {last}")
    return 0


def configure_indicators(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "csv",
        help="a CSV with the columns URN, Measure, Date, Value, Source (and Period, "
        "Interpretation); checked whole before anything is written",
    )


def run_indicators(args: argparse.Namespace, store: Store) -> int:
    from peerreview.oversight.indicators import import_indicators

    print(import_indicators(store, args.csv).summary())
    return 0
