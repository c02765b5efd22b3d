"""One way to bind a widget to a field of a record: shown from the store, saved as the person works.

A binding ties one widget to one field of one record, or of a record not made yet. Typing is saved
``DEBOUNCE_MS`` after the last keystroke, at least every ``MAX_WAIT_MS`` while it carries on, at
once when focus leaves the widget and when the session asks (``Session.flush``); choices, ticks and
pickers are saved at once. Each save is ``Session.set_field``: one undoable command, and saves of
one field merge into one undo step (``ui.shell.commands``). A field in conflict is marked on its
caption; a value privacy mode hides never reaches the widget; nothing is editable while a job runs.
A binding with no record yet makes it (``ensure``) on the first real edit, in the same undo step.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.sync.records import Record
from ui.shell.pickers import RecordPicker
from ui.shell.privacy import HIDDEN
from ui.shell.session import Session
from ui.shell.signals import emit

#: Save this long after the last keystroke...
DEBOUNCE_MS = 700
#: ...and at least this often while typing carries on (so a crash loses under a second).
MAX_WAIT_MS = 900

#: How a field in conflict is marked: on its caption (the label naming it), else on the widget.
CONFLICT_MARK = "⚠ "
CONFLICT_TIP = "Laptops disagree about this value: review the conflict to settle it."

#: QDateEdit cannot be empty; this date stands for "not set" and shows as the special text.
NO_DATE = QDate(1900, 1, 1)

#: The record a binding writes to, asked at each save (None: not made yet).
RecordRef = Callable[[], "str | None"]

W = TypeVar("W", bound=QWidget)

_UNDO_KEYS: tuple[QKeySequence, ...] = ()


def is_undo_key(event: QKeyEvent) -> bool:
    """Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y (read once a QGuiApplication exists)."""
    global _UNDO_KEYS
    if not _UNDO_KEYS:
        _UNDO_KEYS = tuple(
            seq
            for key in (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
            for seq in QKeySequence.keyBindings(key)
            if seq.count() == 1
        ) + (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))
    return QKeySequence(event.keyCombination()) in _UNDO_KEYS


def decode_json(value: Any) -> Any:
    """Lists and tables kept in a dynamic field come back from the store as JSON text."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def same_value(a: Any, b: Any) -> bool:
    """Equal as stored values (empty text, empty lists and None alike; JSON text decoded)."""
    a = None if empty(a) else a
    b = None if empty(b) else b
    if isinstance(a, list | dict) and isinstance(b, str):
        b = decode_json(b)
    elif isinstance(b, list | dict) and isinstance(a, str):
        a = decode_json(a)
    return bool(a == b)


class Binding(QObject, Generic[W]):
    """One widget showing and saving one field of one record.

    Args:
        session: the open database; every save goes through it (undoable).
        widget: the widget (it owns the binding).
        field: the store's name of the field.
        record: the record's id, or a function giving it (None while it is not made yet), or the
            record as just read (shown without reading it again).
        ensure: makes (or brings back) the record on the first real edit, and returns its id.
        label: the field in words, for the undo menu ("Undo edit focus").
        kind: the record's kind, so privacy mode knows the fields the store declares personal.
        personal: the value names a person (privacy mode hides it whatever the kind says).
        caption: the label naming the field (the conflict marker goes there); found from the
            labels' buddies when not given.
    """

    #: the value was written to the store
    saved = Signal()
    #: the person changed the value (before it is saved)
    edited = Signal()
    #: True for what is typed character by character (saved after a pause, and on leaving)
    debounced: ClassVar[bool] = True

    def __init__(
        self,
        session: Session,
        widget: W,
        field: str,
        *,
        record: str | RecordRef | Record | None,
        ensure: RecordRef | None = None,
        label: str = "",
        kind: str = "",
        personal: bool = False,
        caption: QLabel | None = None,
    ) -> None:
        super().__init__(widget)
        self.session = session
        self.widget: W = widget
        self.field = field
        if callable(record):
            self._record: RecordRef = record
        else:
            fixed = record.id if isinstance(record, Record) else record
            self._record = lambda: fixed
        self.ensure = ensure
        self.label = label or field.replace("_", " ")
        self.caption = caption
        #: edited since the last save (typing here wins over a reload until it is saved)
        self.pending = False
        self._saving = False  # writing now: the notices of its own write do not reload it
        #: shown but not editable (a framework once evidence exists)
        self.locked = False
        #: privacy mode hides the value: it is never put in the widget
        self.hidden = session.hides(kind, field, personal)
        #: the field is in conflict (marked on the caption)
        self.conflicted = False
        self._gone = False  # the record is deleted and cannot be brought back from here
        self._marked: QWidget | None = None
        self._tip = ""
        # Made on the first keystroke: most fields of an open editor are never typed in.
        self._debounce: QTimer | None = None
        self._max_wait: QTimer | None = None
        focus = self.focus_widget()
        focus.installEventFilter(self)
        if not focus.accessibleName():
            focus.setAccessibleName(self.label.capitalize())
        self._connect()
        session.flush_requested.connect(self.save)
        session.record_changed.connect(self._record_changed)
        session.busy_changed.connect(self._busy_changed)
        if self.hidden:
            self._hide()
        self.load(record if isinstance(record, Record) else None)

    # ------------------------------------------------------------------ per widget type

    def _connect(self) -> None:
        """Connect the widget's "changed by the person" signal to ``_on_edit``."""
        raise NotImplementedError

    def value(self) -> Any:
        """The value the widget holds now, as it would be stored."""
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _hide(self) -> None:
        """Privacy mode: say the value is hidden (the value itself is never shown)."""
        self.widget.setToolTip(HIDDEN)

    def _set_editable(self, editable: bool) -> None:
        self.widget.setEnabled(editable)

    def focus_widget(self) -> QWidget:
        """The widget that takes keyboard focus (and the accessible name)."""
        return self.widget

    def _signal_widgets(self) -> Sequence[QObject]:
        """The widgets whose signals report edits (silenced while a stored value is shown)."""
        return [self.focus_widget()]

    # ------------------------------------------------------------------ showing

    def record_id(self) -> str | None:
        return self._record()

    def record(self) -> Record | None:
        """The bound record as stored now, or None while it is not made."""
        rid = self.record_id()
        return None if rid is None else self.session.read(rid)

    def show(self, value: Any) -> None:
        """Show ``value`` without it counting as an edit (never when privacy mode hides it)."""
        if self.hidden:
            return
        widgets = self._signal_widgets()
        blocked = [w.blockSignals(True) for w in widgets]
        try:
            self._show(value)
        finally:
            for w, was in zip(widgets, blocked, strict=True):
                w.blockSignals(was)

    def load(self, record: Record | None = None) -> None:
        """Show the stored value and its conflict, unless the person is typing here.

        Args:
            record: the record as just read (else it is read now).
        """
        record = record or self.record()
        self._show_conflict(record is not None and self.field in record.conflicts)
        # A deleted record reads as not made yet where the binding can bring it back.
        self._gone = record is not None and record.deleted and self.ensure is None
        self._update_editable()
        if self.hidden or self.pending or self._saving or record is None:
            return
        value = (
            None if record.deleted and self.ensure is not None else record.values.get(self.field)
        )
        if not same_value(value, self.value()):
            self.show(value)

    def _record_changed(self, record_id: str, _kind: str) -> None:
        if record_id == self.record_id():
            self.load()

    # ------------------------------------------------------------------ editable or not

    def _update_editable(self) -> None:
        self._set_editable(not (self.hidden or self.locked or self._gone or self.session.busy))

    def set_locked(self, locked: bool) -> None:
        """Shown but not editable (or editable again)."""
        self.locked = locked
        self._update_editable()

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self.save()
        self._update_editable()

    # ------------------------------------------------------------------ conflicts

    def _caption_label(self) -> QWidget:
        """Where the conflict marker goes: the label naming the field, else the field itself."""
        focus = self.focus_widget()
        if self.caption is not None:
            return focus if self.caption.isHidden() else self.caption
        for candidate in focus.window().findChildren(QLabel):
            if candidate.buddy() is focus and not candidate.isHidden():
                return candidate
        return focus

    def _show_conflict(self, on: bool) -> None:
        if on == self.conflicted and (not on or self._marked is not self.focus_widget()):
            return  # shown already (looked for again only while the widget itself carries it)
        if self._marked is not None:
            self._mark(self._marked, False)
            self._marked = None
        self.conflicted = on
        if on:
            self._marked = self._caption_label()
            self._mark(self._marked, True)

    def _mark(self, target: QWidget, on: bool) -> None:
        if on:
            self._tip = target.toolTip()
        target.setProperty("conflict", on)
        target.setToolTip(CONFLICT_TIP if on else self._tip)
        if isinstance(target, QLabel):
            text = target.text()
            if on and not text.startswith(CONFLICT_MARK):
                target.setText(CONFLICT_MARK + text)
            elif not on and text.startswith(CONFLICT_MARK):
                target.setText(text[len(CONFLICT_MARK) :])
        target.style().unpolish(target)  # the style sheet's [conflict="true"] rule applies now
        target.style().polish(target)

    # ------------------------------------------------------------------ saving

    def _on_edit(self, *_args: Any) -> None:
        if self.hidden:
            return
        self.pending = True
        self.session.set_pending(self, True)
        emit(self.edited)
        if not self.debounced:
            self.save()
            return
        if self._debounce is None or self._max_wait is None:
            self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
            self._debounce.timeout.connect(self.save)
            # Not restarted by keystrokes: typing without a pause is still saved this often.
            self._max_wait = QTimer(self, singleShot=True, interval=MAX_WAIT_MS)
            self._max_wait.timeout.connect(self.save)
        self._debounce.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def save(self) -> None:
        """Write the value now if it was edited since the last save."""
        if self._debounce is not None and self._max_wait is not None:
            self._debounce.stop()
            self._max_wait.stop()
        if not self.pending:
            return
        self.pending = False
        self.session.set_pending(self, False)
        value = self.value()
        rid = self.record_id()
        record = self.record()
        session = self.session
        self._saving = True  # e.g. the record made first must not blank what is being saved
        try:
            if record is None or record.deleted:
                if self.ensure is None or (empty(value) and rid is None):
                    return  # nothing to write to, or nothing worth making a record for
                with session.step(f"edit {self.label}") as step:
                    rid = self.ensure()
                    if rid is not None:
                        step.key = (rid, self.field)  # more typing here joins this step
                    ok = rid is not None and session.set_field(rid, self.field, value, self.label)
            else:
                ok = session.set_field(record.id, self.field, value, self.label)
        except PeerReviewError as exc:
            emit(session.message, exc.message)
            return
        finally:
            self._saving = False
        if ok:
            emit(self.saved)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            self.save()
        elif kind == QEvent.Type.Show and self.conflicted:
            self._show_conflict(True)  # its caption may not have existed when it was bound
        elif (
            kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
            and is_undo_key(event)
        ):
            # Ctrl+Z belongs to the app's undo stack, never to the widget's own undo (which would
            # change the text behind the store's back).
            return True
        return super().eventFilter(watched, event)


# ---------------------------------------------------------------------- one per widget type


class LineBinding(Binding[QLineEdit]):
    """A one-line text box; empty (or only spaces) is stored as nothing."""

    def _connect(self) -> None:
        self.widget.textEdited.connect(self._on_edit)

    def value(self) -> Any:
        text = self.widget.text()
        return text if text.strip() else None

    def _show(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))

    def _hide(self) -> None:
        super()._hide()
        self.widget.setText("")
        self.widget.setPlaceholderText(HIDDEN)


class NumberBinding(LineBinding):
    """A whole number typed in a one-line box (its validator refuses anything else)."""

    def value(self) -> Any:
        text = self.widget.text().strip()
        return int(text) if text else None


def show_plain_text(w: QPlainTextEdit, value: Any) -> None:
    """Show a stored value in a text box without moving the cursor of someone typing there."""
    text = "" if value is None else str(value)
    if w.toPlainText() != text:
        position = w.textCursor().position()
        w.setPlainText(text)
        cursor = w.textCursor()
        cursor.setPosition(min(position, len(text)))
        w.setTextCursor(cursor)


class TextBinding(Binding[QPlainTextEdit]):
    """Long text (Tab moves on, as in every other field; Ctrl+Z is the app's)."""

    def _connect(self) -> None:
        self.widget.setTabChangesFocus(True)
        self.widget.setUndoRedoEnabled(False)
        self.widget.textChanged.connect(self._on_edit)

    def value(self) -> Any:
        text = self.widget.toPlainText()
        return text if text.strip() else None

    def _show(self, value: Any) -> None:
        show_plain_text(self.widget, value)

    def _hide(self) -> None:
        super()._hide()
        self.widget.setPlainText("")
        self.widget.setPlaceholderText(HIDDEN)


class ComboBinding(Binding[QComboBox]):
    """A drop-down whose items carry the stored values as their data (the first: not set)."""

    debounced = False

    def _connect(self) -> None:
        self.widget.currentIndexChanged.connect(self._on_edit)

    def value(self) -> Any:
        return self.widget.currentData()

    def _show(self, value: Any) -> None:
        w = self.widget
        i = w.findData(value) if value is not None else 0
        if i < 0:  # a value not among the options (from GIAS, an older form): keep showing it
            w.addItem(str(value), value)
            i = w.count() - 1
        w.setCurrentIndex(max(i, 0))


class CheckBinding(Binding[QCheckBox]):
    """A tick box: yes or no."""

    debounced = False

    def _connect(self) -> None:
        self.widget.toggled.connect(self._on_edit)

    def value(self) -> Any:
        return self.widget.isChecked()

    def _show(self, value: Any) -> None:
        self.widget.setChecked(bool(value))


class DateBinding(Binding[QWidget]):
    """A British date (dd/MM/yyyy), saved after a pause (typing changes it digit by digit).

    The widget is a QDateEdit, or a widget with ``date_edit`` and ``clear_button`` (a date that
    may be not set, shown as ``NO_DATE``).
    """

    def focus_widget(self) -> QWidget:
        return self.date_edit

    @property
    def date_edit(self) -> QDateEdit:
        if isinstance(self.widget, QDateEdit):
            return self.widget
        edit = getattr(self.widget, "date_edit", None)
        assert isinstance(edit, QDateEdit)
        return edit

    @property
    def clear_button(self) -> QWidget | None:
        button = getattr(self.widget, "clear_button", None)
        return button if isinstance(button, QWidget) else None

    def _connect(self) -> None:
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.dateChanged.connect(self._on_edit)

    def value(self) -> Any:
        d = self.date_edit.date()
        return None if d == NO_DATE else d.toString("yyyy-MM-dd")

    def _show(self, value: Any) -> None:
        d = QDate.fromString(str(value)[:10], "yyyy-MM-dd") if value else NO_DATE
        if d.isValid() and d != NO_DATE:
            self.date_edit.setDate(d)
        elif self.clear_button is not None:  # a date that may be not set
            self.date_edit.setDate(NO_DATE)


class ValueBinding(Binding[QWidget]):
    """A widget with ``value()``, ``set_value()`` and a ``changed`` signal (a scale of buttons,
    area chips, the activity picker); saved at once."""

    debounced = False

    def _connect(self) -> None:
        self.widget.changed.connect(self._on_edit)  # type: ignore[attr-defined]

    def value(self) -> Any:
        return self.widget.value()  # type: ignore[attr-defined]

    def _show(self, value: Any) -> None:
        self.widget.set_value(value)  # type: ignore[attr-defined]


class PickerBinding(Binding[RecordPicker]):
    """A person or school, chosen by typing part of the name."""

    debounced = False

    def _connect(self) -> None:
        self.widget.chosen.connect(self._on_edit)

    def value(self) -> Any:
        return self.widget.record_id()

    def _show(self, value: Any) -> None:
        self.widget.set_record_id(value)


class ChecklistBinding(Binding[QListWidget]):
    """Options to tick; the value is the ticked options in the form's order."""

    debounced = False

    def _connect(self) -> None:
        self.widget.itemChanged.connect(self._item_changed)

    def _item_changed(self, _item: QListWidgetItem) -> None:
        self._on_edit()

    def value(self) -> Any:
        w = self.widget
        ticked = [
            w.item(i).text()
            for i in range(w.count())
            if w.item(i).checkState() == Qt.CheckState.Checked
        ]
        return ticked or None

    def _show(self, value: Any) -> None:
        ticked = set(decode_json(value) or [])
        w = self.widget
        for i in range(w.count()):
            item = w.item(i)
            on = item.text() in ticked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
