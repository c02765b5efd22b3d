"""The record editor: a form built from a FormDefinition, saved as it is typed, with no Save button.

Each field is written through the session (one undoable command per save) 700 ms after the last
keystroke, at least once a second while typing goes on, and as soon as focus leaves the field.
Choices, dates picked from the calendar and ticks are saved at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.forms import Field, FormDefinition
from peerreview.forms import FieldType as F
from peerreview.sync.records import Record
from ui.shell.fields import (
    BooleanBinder,
    ChecklistBinder,
    ChoiceBinder,
    DateBinder,
    FieldBinder,
    LongTextBinder,
    NumberBinder,
    PickerBinder,
    TextBinder,
    decode_json,
)
from ui.shell.form_source import form_for, store_field
from ui.shell.grid import grid_binder
from ui.shell.pickers import RecordPicker
from ui.shell.rows_field import RowsBinder
from ui.shell.session import Session
from ui.shell.signals import emit

#: Save this long after the last keystroke...
DEBOUNCE_MS = 700
#: ...and at least this often while typing carries on (so a crash loses under a second).
MAX_WAIT_MS = 900

_SIMPLE = {
    F.TEXT: TextBinder,
    F.LONGTEXT: LongTextBinder,
    F.NUMBER: NumberBinder,
    F.CHOICE: ChoiceBinder,
    F.SCALE: ChoiceBinder,
    F.BOOLEAN: BooleanBinder,
    F.DATE: DateBinder,
    F.CHECKLIST: ChecklistBinder,
    F.ROWS: RowsBinder,
}


def _same(a: Any, b: Any) -> bool:
    """Equal as stored values (empty text, empty lists and None alike; JSON text decoded)."""
    a = None if a in ("", []) else a
    b = None if b in ("", []) else b
    if isinstance(a, list | dict) and isinstance(b, str):
        b = decode_json(b)
    elif isinstance(b, list | dict) and isinstance(a, str):
        a = decode_json(a)
    return bool(a == b)


def _is_undo_key(event: QKeyEvent) -> bool:
    combo = event.keyCombination()
    for key in (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo):
        if any(seq.count() and combo == seq[0] for seq in QKeySequence.keyBindings(key)):
            return True
    return combo in (QKeySequence("Ctrl+Shift+Z")[0], QKeySequence("Ctrl+Y")[0])


def section_heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


class RecordEditor(QWidget):
    """Edits one record with the form it was made with; writes through the session."""

    #: lets the detail pane recognise an editor without importing this module to start up
    is_record_editor = True

    #: the person asked to see the conflicts of this record
    review_conflicts_requested = Signal()
    #: a field was written to the store: (store field name)
    field_saved = Signal(str)

    def __init__(self, session: Session, record: Record, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.record = record
        self.kind = session.store.registry.kind(record.kind)
        self.form: FormDefinition = form_for(session.forms, record, session.store.kinds)
        self.binders: dict[str, FieldBinder] = {}
        self.labels: dict[str, QLabel] = {}
        self._pending: set[str] = set()
        self._saving: set[str] = set()

        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.save_pending)
        self._max_wait = QTimer(self, singleShot=True, interval=MAX_WAIT_MS)
        self._max_wait.timeout.connect(self.save_pending)

        self._build()
        self._load(record)
        session.flush_requested.connect(self.save_pending)
        session.record_changed.connect(self._record_changed)
        session.busy_changed.connect(self._busy_changed)
        self._busy_changed(session.busy)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("editorBody")
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(4, 4, 16, 16)
        self.body_layout.setSpacing(10)
        for section in self.form.sections:
            self.body_layout.addWidget(section_heading(section.title))
            if section.help:
                help_label = QLabel(section.help)
                help_label.setWordWrap(True)
                help_label.setProperty("role", "help")
                self.body_layout.addWidget(help_label)
            form = QFormLayout()
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for field in section.fields:
                binder = self._binder(field)
                name = binder.store_name
                self.binders[name] = binder
                label = QLabel(field.label + (" *" if field.required else ""))
                label.setBuddy(binder.focus_widget())
                self.labels[name] = label
                if field.type in (F.LONGTEXT, F.ROWS, F.CHECKLIST, F.GRID):
                    if len(section.fields) > 1 or field.label != section.title:
                        form.addRow(label)  # else the section's heading already says it
                    else:
                        label.hide()
                    form.addRow(binder.widget)
                else:
                    form.addRow(label, binder.widget)
                binder.edited.connect(lambda n=name: self._edited(n))
                binder.focus_widget().installEventFilter(self)
            self.body_layout.addLayout(form)
        # One label column for every section, so fields line up down the whole form.
        inline = [
            lb
            for n, lb in self.labels.items()
            if self.binders[n].field.type not in (F.LONGTEXT, F.ROWS, F.CHECKLIST, F.GRID)
        ]
        width = max((lb.sizeHint().width() for lb in inline), default=0)
        for lb in inline:
            lb.setMinimumWidth(width)
            lb.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.extra_layout = QVBoxLayout()
        self.body_layout.addLayout(self.extra_layout)
        self.body_layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)

    def _binder(self, field: Field) -> FieldBinder:
        if field.type is F.GRID:  # a grid saves its own cells, each edit one undoable step
            grid = grid_binder(self.session, self.record, self.form, field)
            grid.setParent(self)
            return grid
        name = store_field(self.kind, self.form, field)
        if field.type in (F.PERSON, F.SCHOOL):
            where = None
            if field.type is F.PERSON and self.record.kind == "school":
                where = {"school": self.record.id}  # a school's headteacher is one of its people
            picker = RecordPicker(
                self.session.store, self.session.privacy, field.type.value, where=where
            )
            binder: FieldBinder = PickerBinder(field, name, picker)
        else:
            binder = _SIMPLE[field.type](field, name)
        binder.setParent(self)
        hide = self.session.hides(self.record.kind, name, field.personal) or (
            self.session.privacy.enabled and any(c.personal for c in field.columns)
        )
        if hide:
            binder.hide_value()
        return binder

    def add_panel(self, panel: QWidget) -> None:
        """Add a specialised panel below the form (a group's member schools)."""
        self.extra_layout.addWidget(panel)

    # ------------------------------------------------------------------ showing values

    def _load(self, record: Record) -> None:
        self.record = record
        for name, binder in self.binders.items():
            if binder.hidden:
                continue
            if name in self._pending or name in self._saving:
                continue  # the person is typing here: their text wins until it is saved
            if not _same(binder.value(), record.values.get(name)):
                binder.set_value(record.values.get(name))
        for name, label in self.labels.items():
            conflicted = name in record.conflicts
            label.setProperty("conflict", conflicted)
            text = self.binders[name].field.label + (
                " *" if self.binders[name].field.required else ""
            )
            label.setText(f"⚠ {text}" if conflicted else text)
            label.setToolTip(
                "Laptops disagree about this value: review the conflict to settle it."
                if conflicted
                else ""
            )

    def _record_changed(self, record_id: str, _kind: str) -> None:
        if record_id != self.record.id:
            return
        try:
            record = self.session.store.get(record_id)
        except PeerReviewError:
            return
        self._load(record)

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self.save_pending()
        for binder in self.binders.values():
            binder.set_read_only(busy or self.record.deleted)

    # ------------------------------------------------------------------ saving

    def _edited(self, name: str) -> None:
        binder = self.binders[name]
        if binder.hidden:
            return
        self._pending.add(name)
        self.session.set_pending(self, True)
        if not binder.debounced:
            self.save_pending()
            return
        self._debounce.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def save_pending(self) -> None:
        """Write every field edited since the last save (one undoable command each)."""
        self._debounce.stop()
        self._max_wait.stop()
        if not self._pending:
            return
        # Read every value first: writing one field reloads the others from the store.
        values = {name: self.binders[name].value() for name in sorted(self._pending)}
        self._saving = set(values)
        self._pending = set()
        self.session.set_pending(self, False)
        try:
            for name, value in values.items():
                binder = self.binders[name]
                if self.session.set_field(self.record.id, name, value, binder.field.label):
                    emit(self.field_saved, name)
        finally:
            self._saving = set()

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            self.save_pending()
        elif kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            # Ctrl+Z / Ctrl+Shift+Z belong to the app-wide undo stack, never to the widget's own
            # undo (which would change the text behind the store's back).
            if _is_undo_key(event):
                return True
        return super().eventFilter(watched, event)

    def focus_first_field(self) -> None:
        for binder in self.binders.values():
            w = binder.focus_widget()
            if w.isEnabled():
                w.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def binder_for(self, store_name: str) -> FieldBinder:
        return self.binders[store_name]

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.save_pending()
        super().closeEvent(event)
