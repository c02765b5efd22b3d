"""The peer review feature: its kinds, folder, how reviews are named, the report, the demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from peerreview.review import kinds
from peerreview.sync.records import Record
from peerreview.sync.registry import (
    Describer,
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


def _named_by(kind: str) -> Describer:
    """``kind``'s describer in peerreview/review/naming.py, imported when first used: naming
    reads forms and the report's dates, which opening a store does not need."""

    def describe(store: Store, record: Record, hide_names: bool) -> Description:
        from peerreview.review.naming import DESCRIBERS

        return DESCRIBERS[kind](store, record, hide_names)

    return describe


#: The kinds peerreview/review/naming.py names (a test checks it names these and no others).
NAMED = (
    "review",
    "review_member",
    "review_activity",
    "enquiry_line",
    "evidence",
    "area_view",
    "excellence",
)


def _report(store: Store, library: FormLibrary, request: ReportRequest) -> Report:
    from peerreview.review.report import build_review_report

    assert request.record_id is not None
    return build_review_report(store, library, request.record_id)


def _demo(store: Store, ctx: DemoContext) -> dict[str, int]:
    from peerreview.review.demo import build

    return build(store, ctx)


def _events(store: Store, start: dt.date | None, end: dt.date | None) -> Iterator[Event]:
    """Peer reviews (their first day), for the partnership view's coverage and calendar."""
    low = start.isoformat() if start else None
    high = end.isoformat() if end else None
    for rid, school, title, day in store.rows(
        "review", ["id", "school", "title", "start_date"], ranges={"start_date": (low, high)}
    ):
        if school:
            yield Event(
                dt.date.fromisoformat(day), school, "review", str(title or "Peer review"), rid
            )


FEATURE = Feature(
    name="review",
    title="Peer review",
    kinds=kinds.KINDS,
    # The tables of these kinds were made by the engine's migrations 2 to 4 (written before
    # features had their own); this feature's own migrations start after them.
    migrations=(),
    folders=(
        Folder(
            "school",
            "review",
            "Reviews",
            link_field="school",
            empty_text="No peer reviews of this school yet. Plan one with Review → Plan a peer "
            "review…",
            what=("review", "reviews"),
        ),
    ),
    # Every kind named in people's words (peerreview/review/naming.py), never by kind or id.
    describers={kind: _named_by(kind) for kind in NAMED},
    found_by=(("review", "school"),),
    reports=(ReportBuilder("review", "Peer review report", _report, record_kind="review"),),
    demo=_demo,
    demo_weight=4,
    events=_events,
)
