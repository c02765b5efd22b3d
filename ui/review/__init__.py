"""Peer reviews in the desktop app: the review workspace, evidence capture and planning a review.

The lead mounts :class:`ReviewWorkspace` in the detail pane when a review is selected, and opens
:class:`NewReviewDialog` from a school. ``REVIEWS_FOLDER`` adds a school's reviews to the navigator.
"""

from __future__ import annotations

from peerreview.sync.records import Record
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
