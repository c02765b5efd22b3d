"""Undoable edits: one family of QUndoCommands, each wrapping exactly one core call on the store.

Set fields of one record (``store.update``), a record made by a core function (undo deletes it,
redo restores it), a record brought back (``store.restore``), and a delete with what belongs to
it (``peerreview.sync.cascade``). An ``EditStep`` holds several of them as one step (a record made
on the first edit of a field, with that edit).

The first ``redo`` is skipped: the session writes before pushing, so a value the core refuses never
reaches the undo stack. One rule merges saves into one step: a save of one field of one record
joins the step on top of the stack when that step last wrote the same field of the same record
less than ``MERGE_SECONDS`` before (a run of typing, its autosaves and the save on leaving).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from peerreview.errors import PeerReviewError
from peerreview.sync import cascade
from peerreview.sync.store import Store

#: Consecutive saves of one field within this many seconds undo as one step (a run of typing).
MERGE_SECONDS = 8.0
#: QUndoStack tries ``mergeWith`` only between commands with the same id; ours decide themselves.
MERGE_ID = 1001

Notify = Callable[[str, str], None]  # (record id, kind) after a write
Report = Callable[[str], None]  # a sentence for the status bar when an undo cannot be done
#: (record id, field): what a step last wrote, for merging the next save of the same field
MergeKey = tuple[str, str]


class EditCommand(QUndoCommand):
    """One undoable edit, already made when it is pushed."""

    def __init__(self, store: Store, notify: Notify, report: Report, text: str) -> None:
        super().__init__(text)
        self.store = store
        self.notify = notify
        self.report = report
        #: the session wrote before pushing: the push's own redo has nothing left to do
        self.skip_redo = True
        #: when it was last written (merging compares these)
        self.at = time.monotonic()

    # --- to implement
    def forward(self) -> None:
        """Do the edit again (redo)."""
        raise NotImplementedError

    def backward(self) -> None:
        """Take the edit back (undo)."""
        raise NotImplementedError

    def touched(self) -> Sequence[tuple[str, str]]:
        """(record id, kind) of every record the edit writes, for the views to follow."""
        raise NotImplementedError

    def merge_key(self) -> MergeKey | None:
        """The one field of one record this edit last wrote, or None when it cannot merge."""
        return None

    # --- shared
    def redo(self) -> None:
        if self.skip_redo:
            self.skip_redo = False
            return
        self._run(self.forward)

    def undo(self) -> None:
        self._run(self.backward)

    def _run(self, action: Callable[[], object]) -> None:
        try:
            action()
        except PeerReviewError as exc:
            self.report(exc.message)  # e.g. the record was purged meanwhile
        for record_id, kind in self.touched():
            self.notify(record_id, kind)

    def id(self) -> int:
        return MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        return False


class SetFieldsCommand(EditCommand):
    """Set fields of one record: ``store.update(id, values)``, or a core call that did the same."""

    def __init__(
        self,
        store: Store,
        notify: Notify,
        report: Report,
        *,
        record_id: str,
        kind: str,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        text: str,
    ) -> None:
        super().__init__(store, notify, report, text)
        self.record_id, self.kind = record_id, kind
        self.old, self.new = dict(old), dict(new)

    def forward(self) -> None:
        self.store.update(self.record_id, self.new)

    def backward(self) -> None:
        self.store.update(self.record_id, self.old)

    def touched(self) -> Sequence[tuple[str, str]]:
        return [(self.record_id, self.kind)]

    def merge_key(self) -> MergeKey | None:
        if len(self.new) != 1:
            return None
        return self.record_id, next(iter(self.new))

    def follows(self, other: QUndoCommand) -> bool:
        """True when ``other`` saves this edit's field again soon enough to join it."""
        return (
            isinstance(other, SetFieldsCommand)
            and other.merge_key() is not None
            and other.merge_key() == self.merge_key()
            and other.at - self.at <= MERGE_SECONDS
        )

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not self.follows(other):
            return False
        assert isinstance(other, SetFieldsCommand)
        self.new, self.at = dict(other.new), other.at
        return True


class CreateRecordCommand(EditCommand):
    """A record made by a core function (``store.create``, ``reviews.add_evidence``, ...).

    The core function ran before the push; undo deletes the record, redo restores it.
    """

    def __init__(
        self, store: Store, notify: Notify, report: Report, *, record_id: str, kind: str, text: str
    ) -> None:
        super().__init__(store, notify, report, text)
        self.record_id, self.kind = record_id, kind

    def forward(self) -> None:
        self.store.restore(self.record_id)

    def backward(self) -> None:
        self.store.delete(self.record_id)

    def touched(self) -> Sequence[tuple[str, str]]:
        return [(self.record_id, self.kind)]


class RestoreRecordCommand(CreateRecordCommand):
    """A deleted record brought back (``store.restore``): a view of an area edited again."""


class DeleteRecordsCommand(EditCommand):
    """Delete a record with what belongs to it (``cascade.delete_record``); undo restores exactly
    what went with it (``cascade.restore_record``), as ``peerreview delete`` and ``restore`` do."""

    def __init__(
        self,
        store: Store,
        notify: Notify,
        report: Report,
        *,
        records: Sequence[cascade.RecordRef],
        text: str,
    ) -> None:
        super().__init__(store, notify, report, text)
        self.records = list(records)  # the chosen record first

    def forward(self) -> None:
        self.records = cascade.delete_record(self.store, self.records[0][0])

    def backward(self) -> None:
        cascade.restore_record(self.store, self.records[0][0])

    def touched(self) -> Sequence[tuple[str, str]]:
        return self.records


class EditStep(EditCommand):
    """Several edits undone and redone as one step, e.g. a record made on the first edit of one of
    its fields, and that edit. Each part still wraps one core call."""

    def __init__(self, store: Store, notify: Notify, report: Report, text: str) -> None:
        super().__init__(store, notify, report, text)
        self.parts: list[EditCommand] = []
        #: the field a binding opened the step for: a later save of it joins the step
        self.key: MergeKey | None = None

    def add(self, part: EditCommand) -> None:
        part.skip_redo = False  # the step skips its own first redo; its parts then always run
        self.parts.append(part)

    def forward(self) -> None:
        for part in self.parts:
            part.redo()

    def backward(self) -> None:
        for part in reversed(self.parts):
            part.undo()

    def _run(self, action: Callable[[], object]) -> None:
        action()  # each part reports and notifies for itself

    def touched(self) -> Sequence[tuple[str, str]]:
        return [t for part in self.parts for t in part.touched()]

    def merge_key(self) -> MergeKey | None:
        last = self.parts[-1].merge_key() if self.parts else None
        return last or self.key

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, SetFieldsCommand) or other.merge_key() is None:
            return False
        if other.merge_key() != self.merge_key() or other.at - self.at > MERGE_SECONDS:
            return False
        last = self.parts[-1] if self.parts else None
        if not (isinstance(last, SetFieldsCommand) and last.mergeWith(other)):
            # Qt deletes ``other`` once merged: keep a copy of it, not it.
            self.add(
                SetFieldsCommand(
                    other.store,
                    other.notify,
                    other.report,
                    record_id=other.record_id,
                    kind=other.kind,
                    old=other.old,
                    new=other.new,
                    text=other.text(),
                )
            )
        self.at = other.at
        return True
