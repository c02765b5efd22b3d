"""An open database as the GUI sees it: the store, the undo stack, the forms and privacy mode.

One Session per open window, passed to every widget that needs the data (no globals). Widgets write
only through the session, so every edit is one undoable command and every view hears about it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from peerreview.errors import FormError, PeerReviewError
from peerreview.forms import FormLibrary
from peerreview.sync.cascade import delete_record
from peerreview.sync.records import Record
from peerreview.sync.registry import Description
from peerreview.sync.store import Store
from ui.shell.commands import (
    CreateRecordCommand,
    DeleteRecordsCommand,
    SetFieldCommand,
    SetFieldsCommand,
)
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

    def set_fields(self, record_id: str, values: Mapping[str, Any], label: str) -> bool:
        """Write several fields of one record in one transaction, as one undoable edit (a block
        of grid cells). Fields whose value is unchanged (and not in conflict) are left alone.
        Returns False (and says why) when refused."""
        if self._busy:
            emit(
                self.message, "Please wait until the current job finishes; the edit was not saved."
            )
            return False
        try:
            record = self.store.get(record_id)
            stored = {name: None if v == "" else v for name, v in values.items()}
            old = {
                name: record.values.get(name)
                for name, v in stored.items()
                if record.values.get(name) != v or name in record.conflicts
            }
            if not old:
                return True
            new = {name: stored[name] for name in old}
            self.store.update(record_id, new)
        except PeerReviewError as exc:
            emit(self.message, exc.message)
            return False
        self.undo_stack.push(
            SetFieldsCommand(
                self.store,
                self._notify,
                self._report,
                record_id=record_id,
                kind=record.kind,
                old=old,
                new=new,
                label=label,
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
        label = self.store.registry.label(kind)
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
            records = delete_record(self.store, record_id)
        except PeerReviewError as exc:
            emit(self.message, exc.message)
            return False
        label = f"{self.store.registry.label(record.kind)} {self.display_title(record)}"
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
        return self.describe(record).title

    def short_title(self, record: Record) -> str:
        """The record's name where its kind and place are plain (a navigator folder)."""
        return self.describe(record).short_title

    def describe(self, record: Record) -> Description:
        """The record as its feature names it, with names hidden in privacy mode."""
        return self.store.registry.describe(self.store, record, hide_names=self.privacy.enabled)

    def hides(self, kind: str, field: str, form_personal: bool = False) -> bool:
        """True when the value of this field must not be shown now (privacy mode)."""
        return self.privacy.hides(self.store.registry.kinds, kind, field, form_personal)

    def title_of(self, record_id: str) -> str:
        try:
            return self.display_title(self.store.get(record_id))
        except PeerReviewError:
            return "(missing record)"
