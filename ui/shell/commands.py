"""Undoable edits: each QUndoCommand wraps exactly one kind of core call on the store.

The first ``redo`` is skipped: the session writes before pushing, so a value the core refuses never
reaches the undo stack.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from peerreview.errors import PeerReviewError
from peerreview.sync.store import Store

#: Consecutive saves of one field within this many seconds undo as one step (a run of typing).
MERGE_SECONDS = 8.0

Notify = Callable[[str, str], None]  # (record id, kind) after a write
Report = Callable[[str], None]  # a sentence for the status bar when an undo cannot be done


class _StoreCommand(QUndoCommand):
    def __init__(self, store: Store, notify: Notify, report: Report, text: str) -> None:
        super().__init__(text)
        self.store = store
        self.notify = notify
        self.report = report
        self._first = True

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except PeerReviewError as exc:
            self.report(exc.message)


class SetFieldCommand(_StoreCommand):
    """Set one field of one record: ``store.update(id, {field: value})``."""

    MERGE_ID = 1001

    def __init__(
        self,
        store: Store,
        notify: Notify,
        report: Report,
        *,
        record_id: str,
        kind: str,
        field: str,
        old: Any,
        new: Any,
        label: str,
    ) -> None:
        super().__init__(store, notify, report, f"edit {label}")
        self.record_id, self.kind, self.field = record_id, kind, field
        self.old, self.new = old, new
        self.at = time.monotonic()

    def _set(self, value: Any) -> None:
        self._guard(lambda: self.store.update(self.record_id, {self.field: value}))
        self.notify(self.record_id, self.kind)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetFieldCommand):
            return False
        if (other.record_id, other.field) != (self.record_id, self.field):
            return False
        if other.at - self.at > MERGE_SECONDS:
            return False
        self.new, self.at = other.new, other.at
        return True


class CreateRecordCommand(_StoreCommand):
    """A record made from the GUI; undo deletes it, redo restores it."""

    def __init__(
        self, store: Store, notify: Notify, report: Report, *, record_id: str, kind: str, label: str
    ) -> None:
        super().__init__(store, notify, report, f"add {label}")
        self.record_id, self.kind = record_id, kind

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._guard(lambda: self.store.restore(self.record_id))
        self.notify(self.record_id, self.kind)

    def undo(self) -> None:
        self._guard(lambda: self.store.delete(self.record_id))
        self.notify(self.record_id, self.kind)


class DeleteRecordsCommand(_StoreCommand):
    """Delete a record and the records that belong to it (a school's people), in one transaction."""

    def __init__(
        self,
        store: Store,
        notify: Notify,
        report: Report,
        *,
        records: Sequence[tuple[str, str]],
        label: str,
    ) -> None:
        super().__init__(store, notify, report, f"delete {label}")
        self.records = list(records)  # (id, kind), the chosen record first

    def _each(self, write: Callable[[str], object], order: Sequence[tuple[str, str]]) -> None:
        def run() -> None:
            with self.store.transaction():
                for rid, _kind in order:
                    write(rid)

        self._guard(run)
        for rid, kind in order:
            self.notify(rid, kind)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._each(self.store.delete, list(reversed(self.records)))

    def undo(self) -> None:
        self._each(self.store.restore, self.records)


class SetFieldsCommand(_StoreCommand):
    """Set several fields of one record in one transaction (a block of grid cells pasted):
    ``store.update(id, values)``. Never merged with another edit: each paste is one step."""

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
        label: str,
    ) -> None:
        super().__init__(store, notify, report, label)
        self.record_id, self.kind = record_id, kind
        self.old, self.new = dict(old), dict(new)

    def _set(self, values: Mapping[str, Any]) -> None:
        def write() -> None:
            self.store.update(self.record_id, values)

        self._guard(write)
        self.notify(self.record_id, self.kind)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)
