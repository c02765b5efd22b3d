"""An open database as the GUI sees it: the store, the undo stack, the forms and privacy mode.

One Session per open window, passed to every widget that needs the data (no globals). Widgets write
only through the session, so every edit is one undoable command and every view hears about it.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from peerreview.errors import FormError, PeerReviewError
from peerreview.forms import FormLibrary
from peerreview.sync.kinds import KINDS
from peerreview.sync.records import Record
from peerreview.sync.store import Store
from ui.shell.commands import CreateRecordCommand, DeleteRecordsCommand, SetFieldCommand
from ui.shell.privacy import PrivacyMode
from ui.shell.signals import emit
from ui.shell.steps import StepQueue

log = logging.getLogger(__name__)


def load_form_library() -> tuple[FormLibrary, str]:
    """The shipped forms and the partnership's own, or an empty library and the reason when they
    cannot be read."""
    from peerreview.form_library import library

    try:
        return library(), ""
    except FormError as exc:
        log.warning("forms not loaded: %s", exc.message)
        return FormLibrary(), exc.message


def owned_records(store: Store, record: Record) -> list[tuple[str, str]]:
    """Records that belong to ``record`` and go with it when it is deleted (a school's people).

    Belonging means: the record's school field points at it (person.school, membership.school,
    attachment.owner), or it is a membership of it. A headteacher reference does not count.
    """
    out: list[tuple[str, str]] = []
    seen = {record.id}
    queue = [record]
    while queue:
        current = queue.pop(0)
        for kind in KINDS.values():
            fields = {kind.school_field} - {"", "id"}
            if kind.name == "membership":
                fields |= {"group", "school", "person"}
            for name in sorted(fields):
                spec = kind.spec(name)
                if spec is None or (spec.ref_kind not in (None, current.kind)):
                    continue
                for rec in store.list(kind.name, where={name: current.id}, order_by="id"):
                    if rec.id not in seen:
                        seen.add(rec.id)
                        out.append((rec.id, rec.kind))
                        queue.append(rec)
    return out


class Session(QObject):
    """The open database and everything the widgets share about it."""

    #: a record was written (by an edit, undo or redo): (record id, kind)
    record_changed = Signal(str, str)
    #: many records may have changed at once (an import, the demo, GIAS): views reload
    records_reset = Signal()
    #: the unexported or conflict counts may have moved
    counters_changed = Signal()
    #: a long job started (True) or ended (False); edits are blocked while True
    busy_changed = Signal(bool)
    #: editors must save what is pending now (before undo, a job, closing)
    flush_requested = Signal()
    #: a sentence for the status bar
    message = Signal(str)
    #: some editor has typing not yet saved (True) or none has (False)
    pending_changed = Signal(bool)

    def __init__(
        self,
        store: Store,
        *,
        forms: FormLibrary | None = None,
        privacy: PrivacyMode | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._forms = forms
        self._forms_problem = ""
        self.privacy = privacy or PrivacyMode(parent=self)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        self._busy = False
        self._gradual = False
        self._pending: set[int] = set()
        #: views' catch-up after a gradual reset, a few milliseconds per turn of the event loop
        self.steps = StepQueue(self, paused=lambda: self._busy)

    # ------------------------------------------------------------------ state

    @property
    def forms(self) -> FormLibrary:
        """The forms, read when first needed (the first editor, just after the window paints)."""
        if self._forms is None:
            self._forms, self._forms_problem = load_form_library()
        return self._forms

    @property
    def forms_problem(self) -> str:
        """Why the shipped forms could not be read ("" when they could)."""
        _ = self.forms
        return self._forms_problem

    @property
    def busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            emit(self.busy_changed, busy)

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def set_pending(self, editor: QObject, pending: bool) -> None:
        """An editor has (or no longer has) typing not yet saved; Undo is possible meanwhile."""
        before = self.has_pending
        (self._pending.add if pending else self._pending.discard)(id(editor))
        if self.has_pending != before:
            emit(self.pending_changed, self.has_pending)

    def flush(self) -> None:
        """Ask every editor to write what it has pending (synchronously)."""
        emit(self.flush_requested)

    def _notify(self, record_id: str, kind: str) -> None:
        emit(self.record_changed, record_id, kind)
        emit(self.counters_changed)

    def _report(self, sentence: str) -> None:
        emit(self.message, sentence)

    def reset(self, *, gradual: bool = False) -> None:
        """After bulk work: every view reloads, and undo history no longer applies.

        Args:
            gradual: views may catch up over several turns of the event loop, queued on
                ``steps`` (after a long job, when hundreds of rows may have changed), so the
                window never stalls. Without it, every view is up to date when this returns.
        """
        self.undo_stack.clear()
        self._gradual = gradual
        try:
            emit(self.records_reset)
        finally:
            self._gradual = False
        emit(self.counters_changed)

    @property
    def gradual_reset(self) -> bool:
        """True while ``records_reset`` is being delivered for a gradual reset."""
        return self._gradual

    # ------------------------------------------------------------------ edits

    def set_field(self, record_id: str, field: str, value: Any, label: str = "") -> bool:
        """Write one field as an undoable edit. Returns False (and says why) when refused."""
        if self._busy:
            emit(
                self.message, "Please wait until the current job finishes; the edit was not saved."
            )
            return False
        try:
            record = self.store.get(record_id)
            old = record.values.get(field)
            stored = None if value == "" else value
            if old == stored and field not in record.conflicts:
                return True
            self.store.update(record_id, {field: value})
        except PeerReviewError as exc:
            emit(self.message, exc.message)
            return False
        self.undo_stack.push(
            SetFieldCommand(
                self.store,
                self._notify,
                self._report,
                record_id=record_id,
                kind=record.kind,
                field=field,
                old=old,
                new=stored,
                label=label or field.replace("_", " "),
            )
        )
        self._notify(record_id, record.kind)
        return True

    def create(
        self, kind: str, values: dict[str, Any], *, form: tuple[str, int] | None = None
    ) -> str | None:
        """Make a record as an undoable edit; returns its id, or None when refused."""
        if self._busy:
            return None
        try:
            record_id = self.store.create(kind, values, form=form)
        except PeerReviewError as exc:
            emit(self.message, exc.message)
            return None
        label = KINDS[kind].label
        self.undo_stack.push(
            CreateRecordCommand(
                self.store, self._notify, self._report, record_id=record_id, kind=kind, label=label
            )
        )
        self._notify(record_id, kind)
        return record_id

    def delete(self, record_id: str) -> bool:
        """Delete a record and what belongs to it, as one undoable edit."""
        if self._busy:
            return False
        try:
            record = self.store.get(record_id)
            records = [(record.id, record.kind), *owned_records(self.store, record)]
            with self.store.transaction():
                for rid, _kind in reversed(records):
                    self.store.delete(rid)
        except PeerReviewError as exc:
            emit(self.message, exc.message)
            return False
        label = f"{KINDS[record.kind].label} {self.display_title(record)}"
        self.undo_stack.push(
            DeleteRecordsCommand(
                self.store, self._notify, self._report, records=records, label=label
            )
        )
        for rid, kind in records:
            self._notify(rid, kind)
        return True

    def resolve(self, record_id: str, field: str, value: Any) -> None:
        """Settle a conflict (not undoable: see ui/shell/conflicts.py).

        Raises:
            PeerReviewError: the conflict cannot be settled that way (the dialog says why).
        """
        self.flush()
        self.store.resolve(record_id, field, value)
        self._notify(record_id, self.store.get(record_id).kind)

    # ------------------------------------------------------------------ reading for display

    def display_title(self, record: Record) -> str:
        """The record's name as it may be shown now (privacy mode hides people's names)."""
        if record.kind == "review":
            from peerreview.review.report import visit_dates

            return f"{record.get('title', 'Peer review')} · {visit_dates(record)}"
        return self.privacy.title(record.kind, record.title, record.values)

    def title_of(self, record_id: str) -> str:
        try:
            return self.display_title(self.store.get(record_id))
        except PeerReviewError:
            return "(missing record)"
