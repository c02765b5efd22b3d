"""The record editor: a form built from a FormDefinition, saved as it is typed, with no Save button.

Each field is a binding (``ui.shell.binding``), as in every other editor: saved through the session
(one undoable command per save) 700 ms after the last keystroke, at least every 900 ms while typing
goes on, and as soon as focus leaves the field; choices, ticks and pickers at once. A field in
conflict is marked on its label.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peerreview.forms import Field, FormDefinition
from peerreview.forms import FieldType as F
from peerreview.sync.records import Record
from ui.shell.binding import Binding
from ui.shell.fields import bind_form_field
from ui.shell.form_source import form_for, store_field
from ui.shell.grid import grid_binding
from ui.shell.session import Session

#: Field types laid out full width under their label.
_WIDE = (F.LONGTEXT, F.ROWS, F.CHECKLIST, F.GRID)


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

    def __init__(self, session: Session, record: Record, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.record = record
        self.kind = session.store.registry.kind(record.kind)
        self.form: FormDefinition = form_for(session.forms, record, session.store.kinds)
        self.binders: dict[str, Binding[Any]] = {}
        self.labels: dict[str, QLabel] = {}
        self._types: dict[str, F] = {}
        self._build()
        session.record_changed.connect(self._record_changed)

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
                label = QLabel(field.label + (" *" if field.required else ""))
                wide = field.type in _WIDE
                if wide and len(section.fields) == 1 and field.label == section.title:
                    label.hide()  # the section's heading says it (a conflict marks the field)
                binding = self._bind(field, label)
                name = binding.field
                self.binders[name] = binding
                self.labels[name] = label
                if wide:
                    if not label.isHidden():
                        form.addRow(label)
                    form.addRow(binding.widget)
                else:
                    form.addRow(label, binding.widget)
            self.body_layout.addLayout(form)
        # One label column for every section, so fields line up down the whole form.
        inline = [lb for n, lb in self.labels.items() if self._field_type(n) not in _WIDE]
        width = max((lb.sizeHint().width() for lb in inline), default=0)
        for lb in inline:
            lb.setMinimumWidth(width)
            lb.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.extra_layout = QVBoxLayout()
        self.body_layout.addLayout(self.extra_layout)
        self.body_layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)

    def _bind(self, field: Field, label: QLabel) -> Binding[Any]:
        if field.type is F.GRID:  # the grid saves its own cells, each edit one undoable step
            grid = grid_binding(self.session, self.record, self.form, field)
            label.setBuddy(grid.focus_widget())
            self._types[grid.field] = field.type
            return grid
        name = store_field(self.kind, self.form, field)
        binding = bind_form_field(self.session, field, name, self.record, caption=label)
        label.setBuddy(binding.focus_widget())
        self._types[name] = field.type
        return binding

    def _field_type(self, name: str) -> F:
        return self._types[name]

    def add_panel(self, panel: QWidget) -> None:
        """Add a specialised panel below the form (a group's member schools)."""
        self.extra_layout.addWidget(panel)

    # ------------------------------------------------------------------ following the store

    def _record_changed(self, record_id: str, _kind: str) -> None:
        if record_id == self.record.id:
            self.record = self.session.read(record_id) or self.record

    # ------------------------------------------------------------------ saving

    def save_pending(self) -> None:
        """Write every field edited since the last save (one undoable command each)."""
        for binding in self.binders.values():
            binding.save()

    @property
    def has_pending(self) -> bool:
        return any(b.pending for b in self.binders.values())

    def focus_first_field(self) -> None:
        for binding in self.binders.values():
            w = binding.focus_widget()
            if w.isEnabled():
                w.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def binder_for(self, store_name: str) -> Binding[Any]:
        return self.binders[store_name]

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_pending()
        super().closeEvent(event)
