"""Peer reviews in the desktop app: the review workspace, evidence capture and planning a review.

The lead mounts :class:`ReviewWorkspace` in the detail pane when a review is selected, and opens
:class:`NewReviewDialog` from a school. ``REVIEWS_FOLDER`` adds a school's reviews to the navigator.
"""

from __future__ import annotations

import datetime as dt

from peerreview.sync.records import Record
from peerreview.sync.store import Store
from ui.shell.navigator import ChildKind

REVIEWS_FOLDER = ChildKind(
    "school",
    "review",
    "Reviews",
    "school",
    "No peer reviews of this school yet. Plan one with Review → Plan a peer review…",
)


def review_title(record: Record) -> str:
    """How a review reads in lists: "Peer review 2026 · 25 and 26 November 2026"."""
    from peerreview.review.report import visit_dates  # not needed to start the app

    title = record.get("title") or "Peer review"
    return f"{title} · {visit_dates(record)}"


def __getattr__(name: str) -> object:
    # The widgets are imported when first asked for, so importing the package stays cheap.
    if name == "ReviewWorkspace":
        from ui.review.workspace import ReviewWorkspace

        return ReviewWorkspace
    if name == "NewReviewDialog":
        from ui.review.new_review import NewReviewDialog

        return NewReviewDialog
    raise AttributeError(name)


def todays_visits(store: Store, today: dt.date) -> list[tuple[Record, int, int]]:
    """Reviews whose visit includes ``today``: (review, day n, of days), for the start screen."""
    day = today.isoformat()
    # Only the reviews that can include today are read (not five years of them).
    candidates = {
        r.id: r
        for r in store.list("review", ranges={"start_date": (None, day), "end_date": (day, None)})
    }
    for r in store.list("review", where={"start_date": day, "end_date": None}):
        candidates[r.id] = r
    out = []
    ordered = sorted(candidates.values(), key=lambda r: (r.get("start_date") or "", r.id))
    for review in ordered:
        start, end = review.get("start_date"), review.get("end_date") or review.get("start_date")
        if start and start <= today.isoformat() <= end:
            first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
            out.append((review, (today - first).days + 1, (last - first).days + 1))
    return out
