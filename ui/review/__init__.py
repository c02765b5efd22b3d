"""Peer reviews in the desktop app: the review workspace, evidence capture and planning a review.

``feature.py`` declares what the window shows of them (``FEATURE_UI``): the workspace that opens a
review, the Review menu and the "Today: review of …" buttons on the partnership's page.
"""

from __future__ import annotations


def __getattr__(name: str) -> object:
    # The widgets are imported when first asked for, so importing the package stays cheap.
    if name == "ReviewWorkspace":
        from ui.review.workspace import ReviewWorkspace

        return ReviewWorkspace
    if name == "NewReviewDialog":
        from ui.review.new_review import NewReviewDialog

        return NewReviewDialog
    raise AttributeError(name)
