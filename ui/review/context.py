"""What every page of a review workspace shares: the review, its framework and areas, and writes.

The core offers reviews as functions (``reviews.add_member``, ``reviews.set_view``, ...). The
session makes ``set_field``, ``create`` and ``delete`` undoable; this module does the same for
records made by those core functions, for views of an area made on first edit (a derived id, the
same record on every laptop), and for agreement (several fields written by one core call).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from peerreview.errors import PeerReviewError
from peerreview.review import reviews as rv
from peerreview.sync.records import Record
from ui.shell.commands import CreateRecordCommand
from ui.shell.privacy import HIDDEN
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


def undoable_create(session: Session, make: Callable[[], str], kind: str, label: str) -> str | None:
    """Run a core function that makes one record, and push it as one undoable edit.

    Returns the new id, or None when the core refused (the reason goes to the status bar).
    """

    def notify(record_id: str, kind_: str) -> None:
        emit(session.record_changed, record_id, kind_)
        emit(session.counters_changed)

    def report(sentence: str) -> None:
        emit(session.message, sentence)

    if session.busy:
        report("Please wait until the current job finishes; nothing was added.")
        return None
    try:
        record_id = make()
    except PeerReviewError as exc:
        report(exc.message)
        return None
    session.undo_stack.push(
        CreateRecordCommand(
            session.store, notify, report, record_id=record_id, kind=kind, label=label
        )
    )
    notify(record_id, kind)
    return record_id


class RestoreRecordCommand(QUndoCommand):
    """A deleted record brought back by a core call (a view of an area edited again)."""

    def __init__(self, ctx: ReviewContext, record_id: str, kind: str, label: str) -> None:
        super().__init__(f"edit {label}")
        self.ctx, self.record_id, self.kind = ctx, record_id, kind
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.ctx.guard(lambda: self.ctx.store.restore(self.record_id))
        self.ctx.notify(self.record_id, self.kind)

    def undo(self) -> None:
        self.ctx.guard(lambda: self.ctx.store.delete(self.record_id))
        self.ctx.notify(self.record_id, self.kind)


class FieldsCommand(QUndoCommand):
    """Several fields of one record written by one core call (agreeing a report)."""

    def __init__(
        self,
        ctx: ReviewContext,
        record_id: str,
        kind: str,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        label: str,
    ) -> None:
        super().__init__(label)
        self.ctx, self.record_id, self.kind = ctx, record_id, kind
        self.old, self.new = dict(old), dict(new)
        self._first = True

    def _write(self, values: Mapping[str, Any]) -> None:
        self.ctx.guard(lambda: self.ctx.store.update(self.record_id, values))
        self.ctx.notify(self.record_id, self.kind)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._write(self.new)

    def undo(self) -> None:
        self._write(self.old)


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
    def store(self) -> Any:
        return self.session.store

    @property
    def privacy(self) -> Any:
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
        return rec.get("review") == self.review_id

    def _reset(self) -> None:
        emit(self.reset)

    def _changed(self, record_id: str, kind: str) -> None:
        if self.belongs(record_id, kind):
            emit(self.record_changed, record_id, kind)

    # ------------------------------------------------------------------ writing

    def notify(self, record_id: str, kind: str) -> None:
        emit(self.session.record_changed, record_id, kind)
        emit(self.session.counters_changed)

    def report(self, sentence: str) -> None:
        emit(self.session.message, sentence)

    def guard(self, action: Callable[[], Any]) -> bool:
        try:
            action()
        except PeerReviewError as exc:
            self.report(exc.message)
            return False
        return True

    def create(self, make: Callable[[], str], kind: str, label: str) -> str | None:
        """Make a record with a core function, as one undoable edit; its id, or None if refused."""
        return undoable_create(self.session, make, kind, label)

    def view_id(self, area: str, stage: rv.Stage, reviewer: str = "") -> str:
        return rv.view_id(self.review_id, area, stage, reviewer)

    def view(self, area: str, stage: rv.Stage, reviewer: str = "") -> Record | None:
        return rv.get_view(self.store, self.review_id, area, stage, reviewer)

    def ensure_view(
        self, area: str, stage: rv.Stage, reviewer: str = "", reviewer_name: str = ""
    ) -> str | None:
        """The view record, made (or brought back) on first edit as one undoable step."""
        rid = self.view_id(area, stage, reviewer)
        label = "view of an area"
        if self.store.exists(rid):
            if self.store.get(rid).deleted:
                if not self.guard(lambda: self.store.restore(rid)):
                    return None
                self.session.undo_stack.push(RestoreRecordCommand(self, rid, "area_view", label))
                self.notify(rid, "area_view")
            return rid
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
        """Several fields as one undo step."""
        stack = self.session.undo_stack
        stack.beginMacro(f"edit {label}")
        try:
            ok = all(self.session.set_field(record_id, k, v, label) for k, v in values.items())
        finally:
            stack.endMacro()
        return ok

    def write_with(self, action: Callable[[], Any], fields: tuple[str, ...], label: str) -> bool:
        """Run a core call that writes ``fields`` of the review, as one undoable edit."""
        if self.session.busy:
            self.report("Please wait until the current job finishes; nothing was changed.")
            return False
        before = self.review()
        old = {f: before.values.get(f) for f in fields}
        if not self.guard(action):
            return False
        after = self.review()
        new = {f: after.values.get(f) for f in fields}
        self.session.undo_stack.push(FieldsCommand(self, self.review_id, "review", old, new, label))
        self.notify(self.review_id, "review")
        return True
