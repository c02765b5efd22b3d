"""The plan dialog keeps its size when the first day moves (it grew to 1,039 pixels, and moved
under the cursor, as the follow-up of the last review came and went)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from peerreview.review import reviews as rv
from peerreview.sync.store import Store
from ui.review.new_review import NewReviewDialog
from ui.shell.privacy import PrivacyMode
from ui.shell.session import Session


def test_moving_the_first_day_keeps_the_dialog_s_size(app: Any, demo_copy: Path) -> None:
    store = Store.open(demo_copy)
    try:
        session = Session(store, privacy=PrivacyMode())
        # A school whose last review has been agreed: its next steps show beside the form.
        review = next(r for r in store.list("review") if r.get("status") == rv.Status.AGREED.value)
        last = dt.date.fromisoformat(review["start_date"])
        dialog = NewReviewDialog(session, review["school"], today=last + dt.timedelta(days=200))
        dialog.show()
        QApplication.processEvents()
        size = dialog.size()
        screen = dialog.screen().availableGeometry()
        assert size.height() <= screen.height()
        # Before the last review: nothing to follow up; after it: its next steps; and back.
        for day in (last - dt.timedelta(days=30), last + dt.timedelta(days=60)):
            dialog.start.setDate(day)
            QApplication.processEvents()
            assert dialog.size() == size, day
        dialog.close()
    finally:
        store.close()
