"""Widgets bound to one field of one record: shown from the store, saved as the person works.

The same pattern as ``ui/shell/editors.py``: text is saved 700 ms after the last keystroke, at
least every 900 ms while typing goes on, and at once when focus leaves; choices are saved at once.
Every save is ``session.set_field`` (one undoable command). A binding may have no record yet (a
view of an area, a new evidence note): ``ensure`` makes it on the first real edit, in the same undo
step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QPlainTextEdit, QWidget

from peerreview.errors import PeerReviewError
from ui.review.context import ReviewContext
from ui.shell.editors import DEBOUNCE_MS, MAX_WAIT_MS
from ui.shell.fields import show_plain_text
from ui.shell.privacy import HIDDEN
from ui.shell.signals import emit

RecordRef = Callable[[], "str | None"]

_UNDO_KEYS: tuple[Any, ...] = ()


def is_undo_key(event: QKeyEvent) -> bool:
    """Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y (read once a QGuiApplication exists)."""
    global _UNDO_KEYS
    if not _UNDO_KEYS:
        _UNDO_KEYS = tuple(
            seq[0]
            for key in (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
            for seq in QKeySequence.keyBindings(key)
            if seq.count()
        ) + (QKeySequence("Ctrl+Shift+Z")[0], QKeySequence("Ctrl+Y")[0])
    return event.keyCombination() in _UNDO_KEYS


def empty(value: Any) -> bool:
    return value is None or value == "" or value == []


class Binding(QObject):
    """One widget showing and saving one field."""

    #: the value was written to the store
    saved = Signal()
    #: the person changed the value (before it is saved)
    edited = Signal()
    debounced = True

    def __init__(
        self,
        ctx: ReviewContext,
        widget: QWidget,
        field: str,
        *,
        record: str | RecordRef,
        ensure: RecordRef | None = None,
        label: str = "",
        personal: bool = False,
    ) -> None:
        super().__init__(widget)
        self.ctx, self.widget, self.field = ctx, widget, field
        self._record = (lambda: record) if isinstance(record, str) else record
        self.ensure = ensure
        self.label = label or field.replace("_", " ")
        self.pending = False
        #: shown but not editable (a framework once evidence exists)
        self.locked = False
        self.hidden = personal and ctx.privacy.enabled
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.save)
        self._max_wait = QTimer(self, singleShot=True, interval=MAX_WAIT_MS)
        self._max_wait.timeout.connect(self.save)
        widget.installEventFilter(self)
        if not widget.accessibleName():
            widget.setAccessibleName(self.label.capitalize())
        self._connect_widget()
        ctx.session.flush_requested.connect(self.save)
        ctx.record_changed.connect(self._record_changed)
        ctx.session.busy_changed.connect(self._busy)
        if ctx.session.busy:  # opened while a job runs: typing would be refused until it ends
            self.widget.setEnabled(False)
        if self.hidden:
            self._hide()
        else:
            self.load()

    # --- to implement
    def _connect_widget(self) -> None:
        raise NotImplementedError

    def read(self) -> Any:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _hide(self) -> None:
        self.widget.setEnabled(False)
        self.widget.setToolTip(HIDDEN)

    # --- shared
    def record_id(self) -> str | None:
        return self._record()

    def show(self, value: Any) -> None:
        """Show ``value`` without it counting as an edit."""
        was = self.widget.blockSignals(True)
        try:
            self._show(value)
        finally:
            self.widget.blockSignals(was)

    def stored(self) -> Any:
        rid = self.record_id()
        if rid is None or not self.ctx.store.exists(rid):
            return None
        rec = self.ctx.store.get(rid)
        return None if rec.deleted else rec.values.get(self.field)

    def load(self) -> None:
        """Show the stored value (unless the person is typing here: their text wins until saved)."""
        if self.hidden or self.pending or self.record_id() is None:
            return
        value = self.stored()
        if (None if empty(value) else value) != (None if empty(self.read()) else self.read()):
            self.show(value)

    def _record_changed(self, record_id: str, _kind: str) -> None:
        if record_id == self.record_id():
            self.load()

    def _busy(self, busy: bool) -> None:
        if busy:
            self.save()
        self.widget.setEnabled(not busy and not self.hidden and not self.locked)

    def set_locked(self, locked: bool) -> None:
        self.locked = locked
        self.widget.setEnabled(not locked and not self.hidden and not self.ctx.session.busy)

    def _on_edit(self, *_args: Any) -> None:
        if self.hidden:
            return
        self.pending = True
        self.ctx.session.set_pending(self, True)
        emit(self.edited)
        if not self.debounced:
            self.save()
            return
        self._debounce.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def save(self) -> None:
        """Write the value now if it was edited since the last save."""
        self._debounce.stop()
        self._max_wait.stop()
        if not self.pending:
            return
        self.pending = False
        self.ctx.session.set_pending(self, False)
        value = self.read()
        rid = self.record_id()
        session = self.ctx.session
        try:
            if rid is None or not self.ctx.store.exists(rid) or self.ctx.store.get(rid).deleted:
                if self.ensure is None or (empty(value) and rid is None):
                    return
                stack = session.undo_stack
                stack.beginMacro(f"edit {self.label}")
                try:
                    rid = self.ensure()
                    ok = rid is not None and session.set_field(rid, self.field, value, self.label)
                finally:
                    stack.endMacro()
            else:
                ok = session.set_field(rid, self.field, value, self.label)
        except PeerReviewError as exc:
            self.ctx.report(exc.message)
            return
        if ok:
            emit(self.saved)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            self.save()
        elif (
            kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
            and is_undo_key(event)
        ):
            # Ctrl+Z belongs to the app's undo stack, never to the widget's own undo.
            return True
        return super().eventFilter(watched, event)


class LineBinding(Binding):
    def _connect_widget(self) -> None:
        self.widget.textEdited.connect(self._on_edit)  # type: ignore[attr-defined]

    def read(self) -> Any:
        text = self.widget.text()  # type: ignore[attr-defined]
        return text if text.strip() else None

    def _show(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))  # type: ignore[attr-defined]

    def _hide(self) -> None:
        super()._hide()
        w: QLineEdit = self.widget  # type: ignore[assignment]
        w.setText("")
        w.setPlaceholderText(HIDDEN)


class TextBinding(Binding):
    """A QPlainTextEdit (Tab moves on; Ctrl+Z is the app's)."""

    def _connect_widget(self) -> None:
        w: QPlainTextEdit = self.widget  # type: ignore[assignment]
        w.setTabChangesFocus(True)
        w.setUndoRedoEnabled(False)
        w.textChanged.connect(self._on_edit)

    def read(self) -> Any:
        text = self.widget.toPlainText()  # type: ignore[attr-defined]
        return text if text.strip() else None

    def _show(self, value: Any) -> None:
        show_plain_text(self.widget, value)  # type: ignore[arg-type]

    def _hide(self) -> None:
        super()._hide()
        w: QPlainTextEdit = self.widget  # type: ignore[assignment]
        w.setPlainText("")
        w.setPlaceholderText(HIDDEN)


class ComboBinding(Binding):
    """A drop-down whose items carry the stored values as their data; saved at once."""

    debounced = False

    def _connect_widget(self) -> None:
        self.widget.currentIndexChanged.connect(self._on_edit)  # type: ignore[attr-defined]

    def read(self) -> Any:
        return self.widget.currentData()  # type: ignore[attr-defined]

    def _show(self, value: Any) -> None:
        w: QComboBox = self.widget  # type: ignore[assignment]
        i = w.findData(value)
        if i < 0 and value is not None:
            w.addItem(str(value), value)
            i = w.count() - 1
        w.setCurrentIndex(max(i, 0))


class DateBinding(Binding):
    """A British date (dd/MM/yyyy), saved after a pause (typing changes it digit by digit)."""

    def _connect_widget(self) -> None:
        w: QDateEdit = self.widget  # type: ignore[assignment]
        w.setDisplayFormat("dd/MM/yyyy")
        w.dateChanged.connect(self._on_edit)

    def read(self) -> Any:
        return self.widget.date().toString("yyyy-MM-dd")  # type: ignore[attr-defined]

    def _show(self, value: Any) -> None:
        if value:
            d = QDate.fromString(str(value)[:10], "yyyy-MM-dd")
            if d.isValid():
                self.widget.setDate(d)  # type: ignore[attr-defined]


class ValueBinding(Binding):
    """A widget with ``value()``, ``set_value()`` and ``changed`` (scale pickers, chips)."""

    debounced = False

    def _connect_widget(self) -> None:
        self.widget.changed.connect(self._on_edit)  # type: ignore[attr-defined]

    def read(self) -> Any:
        return self.widget.value()  # type: ignore[attr-defined]

    def _show(self, value: Any) -> None:
        self.widget.set_value(value)  # type: ignore[attr-defined]


def flush_all(bindings: list[Binding]) -> None:
    for b in bindings:
        b.save()
