"""What every page of a review workspace shares: the review, its framework and areas, and writes.

The core offers reviews as functions (``reviews.add_member``, ``reviews.set_view``, ...); the
session runs them as undoable edits (``Session.create_with``, ``set_fields``, ``write_with``).
A view of an area has a derived id (the same record on every laptop) and is made, or brought back,
on the first real edit, in the same undo step as that edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal

from peerreview.errors import PeerReviewError
from peerreview.review import reviews as rv
from peerreview.sync.records import Record
from peerreview.sync.store import Store
from ui.shell.privacy import HIDDEN, PrivacyMode
from ui.shell.session import Session
from ui.shell.signals import emit

#: Kinds that belong to a review through their ``review`` field.
REVIEW_KINDS = (
    "review_member",
    "review_activity",
    "enquiry_line",
    "evidence",
    "area_view",
    "excellence",
)

Clock = Callable[[], dt.datetime]


class ReviewContext(QObject):
    """One review as the workspace's pages see it; ``record_changed`` hears only this review."""

    #: a record of this review (or the review itself) was written: (record id, kind)
    record_changed = Signal(str, str)
    #: many records may have changed (an import, a privacy switch): pages reload
    reset = Signal()

    def __init__(
        self,
        session: Session,
        review_id: str,
        clock: Clock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.review_id = review_id
        self.clock: Clock = clock or dt.datetime.now
        self._framework: rv.Framework | None = None
        self._framework_key: tuple[Any, Any] | None = None
        session.record_changed.connect(self._changed)
        session.records_reset.connect(self._reset)

    # ------------------------------------------------------------------ reading

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def privacy(self) -> PrivacyMode:
        return self.session.privacy

    def review(self) -> Record:
        return self.store.get(self.review_id)

    def framework(self) -> rv.Framework:
        review = self.review()
        key = (review.get("framework_id"), review.get("framework_version"))
        if self._framework is None or key != self._framework_key:
            self._framework = rv.framework_of(self.session.forms, review)
            self._framework_key = key
        return self._framework

    def areas(self) -> list[rv.Area]:
        return rv.areas(self.store, self.framework(), self.review_id)

    def team(self) -> list[Record]:
        return rv.team(self.store, self.review_id)

    def reviewers(self) -> list[Record]:
        """Team members who give a provisional view (everyone but the host's link leader)."""
        return [m for m in self.team() if m.get("role") != "Host link leader"]

    def today(self) -> dt.date:
        return self.clock().date()

    def school_name(self) -> str:
        school = self.review().get("school")
        return (
            self.store.title(school) if school and self.store.exists(school) else "Unknown school"
        )

    def member_label(self, member: Record, *, with_role: bool = True) -> str:
        """A team member as shown now: their name and role, or only the role in privacy mode."""
        role = member.get("role", "Reviewer")
        if self.privacy.enabled:
            same = [m.id for m in self.team() if m.get("role") == role]
            return (
                f"{role} {same.index(member.id) + 1}"
                if len(same) > 1 and member.id in same
                else role
            )
        name = member.get("name", "") or "Name not yet given"
        return f"{name} ({role.lower()})" if with_role else name

    def reviewer_key(self, member: Record) -> str:
        """Whose a provisional view is: the member's person record, else the member itself."""
        return str(member.get("person") or member.id)

    def hidden_text(self) -> str:
        return HIDDEN

    def belongs(self, record_id: str, kind: str) -> bool:
        if record_id == self.review_id:
            return True
        if kind not in REVIEW_KINDS and kind != "attachment":
            return False
        try:
            rec = self.store.get(record_id)
        except PeerReviewError:
            return False
        if kind == "attachment":
            owner = rec.get("owner")
            return bool(owner) and self.belongs(owner, "evidence")
        return bool(rec.get("review") == self.review_id)

    def _reset(self) -> None:
        emit(self.reset)

    def _changed(self, record_id: str, kind: str) -> None:
        if self.belongs(record_id, kind):
            emit(self.record_changed, record_id, kind)

    # ------------------------------------------------------------------ writing

    def notify(self, record_id: str, kind: str) -> None:
        """Tell every view that a record was written (by a core call made outside the session)."""
        self.session.notify(record_id, kind)

    def report(self, sentence: str) -> None:
        emit(self.session.message, sentence)

    def create(self, make: Callable[[], str], kind: str, label: str) -> str | None:
        """Make a record with a core function, as one undoable edit; its id, or None if refused."""
        return self.session.create_with(make, kind, label)

    def view_id(self, area: str, stage: rv.Stage, reviewer: str = "") -> str:
        return rv.view_id(self.review_id, area, stage, reviewer)

    def view(self, area: str, stage: rv.Stage, reviewer: str = "") -> Record | None:
        return rv.get_view(self.store, self.review_id, area, stage, reviewer)

    def ensure_view(
        self, area: str, stage: rv.Stage, reviewer: str = "", reviewer_name: str = ""
    ) -> str | None:
        """The view record, made (or brought back) on first edit, undoably."""
        rid = self.view_id(area, stage, reviewer)
        label = "view of an area"
        if self.store.exists(rid):
            return rid if self.session.restore(rid, label) else None
        return self.create(
            lambda: rv.set_view(
                self.store,
                self.review_id,
                area,
                stage,
                reviewer=reviewer,
                reviewer_name=reviewer_name,
            ),
            "area_view",
            label,
        )

    def set_fields(self, record_id: str, values: Mapping[str, Any], label: str) -> bool:
        """Several fields of one record in one core call, as one undo step."""
        return self.session.set_fields(record_id, values, label)

    def write_with(self, action: Callable[[], Any], fields: tuple[str, ...], label: str) -> bool:
        """Run a core call that writes ``fields`` of the review, as one undoable edit."""
        return self.session.write_with(self.review_id, action, fields, label)
