"""``peerreview actions``: actions with school, owner's role, due date and status (or as CSV)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from peerreview.arguments import iso_date
from peerreview.csvfiles import csv_bytes
from peerreview.errors import PeerReviewError
from peerreview.plans.due import ACTION_COLUMNS, action_lines, action_row, select
from peerreview.reports.model import long_date
from peerreview.sync.store import Store


def school_by_urn(store: Store, key: str) -> str:
    """A school's record id from its URN (or its id)."""
    school = store.registry.school_kind()
    if store.kind_of(key) == school.name:
        return key
    if key.isdigit() and school.key_field and int(key) < 2**63:
        found = store.rows(school.name, ["id"], where={school.key_field: int(key)})
        if found:
            return str(found[0][0])
    raise PeerReviewError(f"There is no {school.label} with URN {key} in this database.")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--school", metavar="URN", help="only this school's actions")
    parser.add_argument(
        "--due-within", type=int, metavar="DAYS", help="only open actions due within DAYS days"
    )
    parser.add_argument(
        "--overdue", action="store_true", help="only open actions past their due date"
    )
    parser.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the day due and overdue are judged against (default: today)",
    )
    parser.add_argument(
        "--csv", action="store_true", help="write CSV (UTF-8 with BOM, as Excel opens it)"
    )


def run(args: argparse.Namespace, store: Store) -> int:
    today: dt.date = args.today or dt.date.today()
    if args.due_within is not None and args.due_within < 0:
        raise PeerReviewError("--due-within is a number of days from today, 0 or more.")
    schools = [school_by_urn(store, args.school)] if args.school else None
    lines = select(
        action_lines(store, schools=schools),
        today,
        due_within=args.due_within,
        overdue=args.overdue,
    )
    rows = [action_row(a, today) for a in lines]
    if args.csv:
        sys.stdout.buffer.write(csv_bytes(ACTION_COLUMNS, rows))
        sys.stdout.buffer.flush()
        return 0
    if not rows:
        print("No actions match.")
        return 0
    for row in rows:
        school, urn, _priority, action, owner, _start, due, status, rag, late = (
            str(c) for c in row
        )
        where = f"{school} ({urn})" if urn else school
        state = ", ".join(x for x in (status, rag, f"overdue by {late}" if late else "") if x)
        print(f"{where} | {action} | {owner} | due {due or 'not set'} | {state}")
    n = len(rows)
    print(f"{n} action{'s' if n != 1 else ''}, judged on {long_date(today)}.")
    return 0
