"""An open database as the GUI sees it: the store, the undo stack, the forms and privacy mode.

One Session per open window, passed to every widget that needs the data (no globals). Widgets write
only through the session, so every edit is one undoable command and every view hears about it.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from peerreview.errors import FormError, PeerReviewError
from peerreview.forms import FormLibrary
from peerreview.sync.cascade import delete_record
from peerreview.sync.records import Record
from peerreview.sync.registry import Description
from peerreview.sync.store import Store
from ui.shell.background import ReadWorkers
from ui.shell.commands import (
    CreateRecordCommand,
    DeleteRecordsCommand,
    EditCommand,
    EditStep,
    RestoreRecordCommand,
    SetFieldsCommand,
)
from ui.shell.privacy import PrivacyMode
from ui.shell.signals import emit
from ui.shell.steps import StepQueue

if TYPE_CHECKING:
    from peerreview.sync.search import Searcher

log = logging.getLogger(__name__)


def load_form_library() -> tuple[FormLibrary, str]:
    """The shipped forms and the partnership's own; when those cannot be read, the shipped forms
    alone (or none) and the reason."""
    from peerreview.form_library import library
    from peerreview.forms import forms_dir, load_forms

    try:
        return library(), ""
    except FormError as exc:
        log.warning("forms not loaded: %s", exc.message)
        try:
            return load_forms(forms_dir()), exc.message
        except FormError:
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
        self._forms_thread: threading.Thread | None = None
        self._forms_read: tuple[FormLibrary, str] | None = None
        #: what the running job's end will need (``after_job_needs``), and the forms too
        self._job_end_modules: list[str] = []
        self._job_end_forms = False
        self.privacy = privacy or PrivacyMode(parent=self)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        self._busy = False
        self._gradual = False
        self._pending: set[int] = set()
        self._step: EditStep | None = None
        self._delivering = 0  # notices of a change being delivered now (they may nest)
        self._reads: dict[str, Record | None] = {}  # what they read meanwhile
        #: views' catch-up after a gradual reset, a few milliseconds per turn of the event loop
        self.steps = StepQueue(self, paused=lambda: self._busy)
        self._searcher: Searcher | None = None
        #: the threads views read this database on beside the window (ui.shell.background)
        self.read_workers = ReadWorkers()

    # ------------------------------------------------------------------ state

    @property
    def forms(self) -> FormLibrary:
        """The forms, read when first needed (the first editor, just after the window paints),
        or by ``read_forms_soon``'s thread (waited for when it is still reading)."""
        if self._forms is None:
            thread, self._forms_thread = self._forms_thread, None
            if thread is not None:
                thread.join()
            self._forms, self._forms_problem = self._forms_read or load_form_library()
        return self._forms

    def after_job_needs(self, *modules: str, forms: bool = False) -> None:
        """The running job's end will need ``modules`` (and the forms): prepare them once the job
        is under way (``job_under_way``), not as it starts: the core's modules and the forms on
        a thread, the window's own modules in a turn of the window's thread.

        Imported on the window's thread when the job ends, a module stalls the window for the
        whole import (see ``ui.shell.preload``). Started with the job, the threads that import
        them and read the forms took turns with the window's thread while the job's process was
        starting on the other core: 26-44 ms stalls at the job's first moment (issue 13 (d))."""
        self._job_end_modules += [m for m in modules if m not in self._job_end_modules]
        self._job_end_forms = self._job_end_forms or forms

    def job_under_way(self) -> None:
        """The running job has reported its first progress (its process, when it has one, is up):
        import what its end will need, then read the forms, on one thread beside the window's."""
        from ui.shell.preload import is_core, preload

        modules, self._job_end_modules = self._job_end_modules, []
        forms, self._job_end_forms = self._job_end_forms, False
        if not self._busy:
            return  # ended meanwhile: the catch-up reads what it needs in steps
        # The window's own modules (they define Qt classes: see preload) on this thread, one a
        # turn in the order given (all in one turn: 28-34 ms for the form editor's, as
        # installed), then the core's and the forms on a thread, which would otherwise take
        # turns with those imports.
        windowed = [name for name in modules if not is_core(name)]
        core = [name for name in modules if is_core(name)]

        def prepare(left: list[str]) -> None:
            if left:
                importlib.import_module(left[0])
                QTimer.singleShot(0, self, lambda: prepare(left[1:]))
                return
            imports = preload(core)
            if forms:
                self.read_forms_soon(after=imports)

        QTimer.singleShot(0, self, lambda: prepare(windowed))

    def read_forms_soon(self, after: threading.Thread | None = None) -> None:
        """Read the forms on a thread of their own, when not read yet: a long job is running,
        and its end opens an editor. Read on the window's thread then, they took a step of
        10-26 ms of the catch-up after a whole-region import (parsing and checking the TOML).
        ``after``: a thread to let finish first (two threads of Python beside the window's
        took turns with it and stalled it for 40-65 ms as a job started)."""
        if self._forms is not None or self._forms_thread is not None:
            return

        def read() -> None:
            if after is not None:
                after.join()
            self._forms_read = load_form_library()

        self._forms_thread = threading.Thread(target=read, name="peerreview-forms", daemon=True)
        self._forms_thread.start()

    @property
    def searcher(self) -> Searcher:
        """Search in people's words over this database (it keeps the names it has read)."""
        if self._searcher is None:
            from peerreview.sync.search import Searcher

            self._searcher = Searcher(self.store)
        return self._searcher

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
            if not busy:  # a job that ended before it was under way
                self._job_end_modules, self._job_end_forms = [], False
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

    def notify(self, record_id: str, kind: str) -> None:
        """Tell every view that a record was written (by an edit, undo, redo or a core call)."""
        self._reads = {}  # a write came first: nothing read before it still holds
        self._delivering += 1
        try:
            emit(self.record_changed, record_id, kind)
        finally:
            self._delivering -= 1
            self._reads = {}  # a view may have written while it heard (a nested notice)
        emit(self.counters_changed)

    def read(self, record_id: str) -> Record | None:
        """The record as stored now, or None when there is none.

        While one notice of a change is delivered, the views that follow it share one read (the
        thirteen fields of a school's editor read the school once, not thirteen times).
        """
        if self._delivering and record_id in self._reads:
            return self._reads[record_id]
        try:
            record: Record | None = self.store.get(record_id)
        except PeerReviewError:
            record = None
        if self._delivering:
            self._reads[record_id] = record
        return record

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
    #
    # Each edit makes one core call, then pushes the one command that can undo it (the command
    # skips its first redo), so a value the core refuses never reaches the undo stack.

    def _refused_while_busy(self, outcome: str) -> bool:
        if self._busy:
            emit(self.message, f"Please wait until the current job finishes; {outcome}.")
        return self._busy

    def _push(self, command: EditCommand) -> None:
        touched = list(command.touched())  # read first: a command merged on push is deleted
        if self._step is not None:
            self._step.add(command)
        else:
            self.undo_stack.push(command)
        for record_id, kind in touched:
            self.notify(record_id, kind)

    @contextmanager
    def step(self, label: str) -> Iterator[EditStep]:
        """Edits made inside are one undo step (a step opened inside another joins it)."""
        if self._step is not None:
            yield self._step
            return
        step = EditStep(self.store, self.notify, self._report, label)
        self._step = step
        try:
            yield step
        finally:
            self._step = None  # what was written is in the store: it is pushed, even on an error
            if len(step.parts) == 1 and step.key in (None, step.parts[0].merge_key()):
                only = step.parts[0]
                only.skip_redo = True
                self.undo_stack.push(only)
            elif step.parts:
                self.undo_stack.push(step)

    def set_field(self, record_id: str, field: str, value: Any, label: str = "") -> bool:
        """Write one field as an undoable edit. Returns False (and says why) when refused."""
        return self.set_fields(record_id, {field: value}, label or field.replace("_", " "))

    def set_fields(
        self, record_id: str, values: Mapping[str, Any], label: str, *, text: str = ""
    ) -> bool:
        """Write fields of one record in one core call, as one undoable edit ("edit <label>" in
        the Edit menu, or ``text``: "paste 15 cells into Predicted responses").

        Returns False (and says why on the status bar) when the core refuses.
        """
        if self._refused_while_busy("the edit was not saved"):
            return False
        try:
            record = self.store.get(record_id)
            changed = {
                f: v
                for f, v in values.items()
                if record.values.get(f) != (None if v == "" else v) or f in record.conflicts
            }
        except PeerReviewError as exc:
            emit(self.message, exc.message)
            return False
        if not changed:
            return True
        return self.write_with(
            record_id,
            lambda: self.store.update(record_id, changed),
            tuple(changed),
            text or f"edit {label}",
        )

    def write_with(
        self, record_id: str, action: Callable[[], object], fields: Sequence[str], label: str
    ) -> bool:
        """Run a core call that writes ``fields`` of one record (agreeing a report), as one
        undoable edit. Returns False (and says why) when the core refuses."""
        if self._refused_while_busy("nothing was changed"):
            return False
        try:
            before = self.store.get(record_id)
            action()
            after = self.store.get(record_id)
        except PeerReviewError as exc:
            emit(self.message, exc.message)
            return False
        self._push(
            SetFieldsCommand(
                self.store,
                self.notify,
                self._report,
                record_id=record_id,
                kind=after.kind,
                old={f: before.values.get(f) for f in fields},
                new={f: after.values.get(f) for f in fields},
                text=label,
            )
        )
        return True

    def create(
        self, kind: str, values: dict[str, Any], *, form: tuple[str, int] | None = None
    ) -> str | None:
        """Make a record as an undoable edit; returns its id, or None when refused."""
        return self.create_with(
            lambda: self.store.create(kind, values, form=form),
            kind,
            self.store.registry.label(kind),
        )

    def create_with(self, make: Callable[[], str], kind: str, label: str) -> str | None:
        """Run a core function that makes one record (``reviews.add_evidence``, ...), as one
        undoable edit. Returns the new id, or None when refused (the reason goes to the status
        bar)."""
        if self._refused_while_busy("nothing was added"):
            return None
        try:
            record_id = make()
        except PeerReviewError as exc:
            emit(self.message, exc.message)
            return None
        self._push(
            CreateRecordCommand(
                self.store,
                self.notify,
                self._report,
                record_id=record_id,
                kind=kind,
                text=f"add {label}",
            )
        )
        return record_id

    def restore(self, record_id: str, label: str) -> bool:
        """Bring back a deleted record on its own (a view of an area edited again), undoably."""
        if self._refused_while_busy("nothing was changed"):
            return False
        try:
            record = self.store.get(record_id)
            if not record.deleted:
                return True
            self.store.restore(record_id)
        except PeerReviewError as exc:
            emit(self.message, exc.message)
            return False
        self._push(
            RestoreRecordCommand(
                self.store,
                self.notify,
                self._report,
                record_id=record_id,
                kind=record.kind,
                text=f"restore {label}",
            )
        )
        return True

    def delete(self, record_id: str) -> bool:
        """Delete a record and what belongs to it, as one undoable edit."""
        if self._refused_while_busy("nothing was deleted"):
            return False
        try:
            record = self.store.get(record_id)
            records = delete_record(self.store, record_id)
        except PeerReviewError as exc:
            emit(self.message, exc.message)
            return False
        label = f"{self.store.registry.label(record.kind)} {self.display_title(record)}"
        self._push(
            DeleteRecordsCommand(
                self.store, self.notify, self._report, records=records, text=f"delete {label}"
            )
        )
        return True

    def resolve(self, record_id: str, field: str, value: Any) -> None:
        """Settle a conflict (not undoable: see ui/shell/conflicts.py).

        Raises:
            PeerReviewError: the conflict cannot be settled that way (the dialog says why).
        """
        self.flush()
        self.store.resolve(record_id, field, value)
        self.notify(record_id, self.store.get(record_id).kind)

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
