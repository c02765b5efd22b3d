"""The widgets of a form's fields, and the binding each field type gets (``bind_form_field``).

A form-built editor asks for one bound widget per field; the binding (``ui.shell.binding``) shows
the stored value and saves what the person types, as every other editor's fields do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from peerreview.forms import Field
from peerreview.forms import FieldType as F
from peerreview.sync.records import Record
from ui.shell.binding import (
    NO_DATE,
    Binding,
    CheckBinding,
    ChecklistBinding,
    ComboBinding,
    DateBinding,
    LineBinding,
    NumberBinding,
    PickerBinding,
    TextBinding,
)
from ui.shell.dates import DateEdit
from ui.shell.pickers import RecordPicker
from ui.shell.session import Session

__all__ = ["NO_DATE", "DateField", "GrowingTextEdit", "bind_form_field"]


class GrowingTextEdit(QPlainTextEdit):
    """A text box as tall as its text, between ``min_lines`` and ``max_lines`` (then it scrolls)."""

    def __init__(self, min_lines: int = 4, max_lines: int = 18, parent: QWidget | None = None):
        super().__init__(parent)
        self.min_lines, self.max_lines = min_lines, max_lines
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(lambda _s: self._fit())
        self._fit()

    def _fit(self) -> None:
        line = self.fontMetrics().lineSpacing()
        lines = max(self.min_lines, min(self.max_lines, self.document().lineCount() + 1))
        if self.document().lineCount() and self.width() > 50:
            # Wrapped lines count too: ask the layout how tall the text really is.
            block_lines = int(self.document().documentLayout().documentSize().height())
            lines = max(self.min_lines, min(self.max_lines, block_lines + 1))
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + margins.top() + margins.bottom()
        self.setFixedHeight(lines * line + frame + int(2 * self.document().documentMargin()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()


class DateField(QWidget):
    """A British date (dd/MM/yyyy) with a calendar, and a button to clear it (``NO_DATE``)."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.date_edit = DateEdit()
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMinimumDate(NO_DATE)
        self.date_edit.setSpecialValueText("Not set")
        self.date_edit.setDate(NO_DATE)
        self.date_edit.setMinimumWidth(140)
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear")
        self.clear_button.setAccessibleName(f"Clear {label}")
        self.clear_button.setToolTip("Clear the date")
        self.clear_button.clicked.connect(self.clear)
        row.addWidget(self.date_edit)
        row.addWidget(self.clear_button)
        row.addStretch(1)

    def clear(self) -> None:
        self.date_edit.setDate(NO_DATE)


def _choice_box(field: Field, words: Mapping[str, str] | None = None) -> QComboBox:
    """A choice or a scale level: a drop-down with type-ahead; the first entry is "Not set".

    ``words``: what people read for each stored option (a kind's declared choices), when the
    option is a value ("partner_school") and not the words themselves.
    """
    w = QComboBox()
    w.addItem("Not set", None)
    if field.type is F.SCALE and field.scale is not None:
        for i, level in enumerate(field.scale.levels, start=1):
            w.addItem(level.label, level.value)
            if level.description:
                w.setItemData(i, level.description, Qt.ItemDataRole.ToolTipRole)
    else:
        for option in field.options:
            w.addItem((words or {}).get(option, option), option)
    return w


def _checklist_box(field: Field) -> QListWidget:
    w = QListWidget()
    for option in field.options:
        item = QListWidgetItem(option)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        w.addItem(item)
    rows = max(1, len(field.options))
    w.setFixedHeight(min(rows, 8) * (w.sizeHintForRow(0) + 2) + 8)
    return w


def _number_box() -> QLineEdit:
    w = QLineEdit()
    w.setValidator(QIntValidator(0, 2_000_000_000, w))
    w.setMaximumWidth(160)
    return w


def _picker_where(session: Session, picked: str, record: Record) -> dict[str, str] | None:
    """A picker in a record offers the records that belong to it, when its kind belongs to the
    record's kind (a school's headteacher is one of its people)."""
    kind = session.store.registry.kind(picked)
    for name in kind.owned_by:
        spec = kind.spec(name)
        if spec is not None and spec.ref_kind == record.kind:
            return {name: record.id}
    return None


def bind_form_field(
    session: Session,
    field: Field,
    store_name: str,
    record: Record,
    *,
    caption: QLabel | None = None,
) -> Binding[Any]:
    """A widget for ``field`` of a form, bound to ``store_name`` of ``record`` (shown as read).

    The binding is returned; its ``widget`` goes into the form, its ``focus_widget()`` is the
    buddy of ``caption``, the label that names the field (and marks a conflict).
    """
    from ui.shell.rows_field import RowsBinding, RowsField

    widget: QWidget
    focus: QWidget
    t = field.type
    if t in (F.PERSON, F.SCHOOL):
        where = _picker_where(session, t.value, record)
        widget = focus = RecordPicker(session.store, session.privacy, t.value, where=where)
    elif t is F.DATE:
        widget = DateField(field.label)
        focus = widget.date_edit
    elif t is F.ROWS:
        widget = RowsField(field)
        focus = widget.table
    elif t is F.LONGTEXT:
        widget = focus = GrowingTextEdit()
    elif t is F.NUMBER:
        widget = focus = _number_box()
    elif t in (F.CHOICE, F.SCALE):
        spec = session.store.registry.kind(record.kind).spec(store_name)
        widget = focus = _choice_box(field, dict(spec.choices) if spec is not None else None)
    elif t is F.BOOLEAN:
        widget = focus = QCheckBox(field.label if len(field.label) < 40 else "Yes")
    elif t is F.CHECKLIST:
        widget = focus = _checklist_box(field)
    else:
        widget = focus = QLineEdit()
    focus.setAccessibleName(field.label)
    if field.help:
        widget.setToolTip(field.help)
        focus.setAccessibleDescription(field.help)
    bindings: dict[F, type[Binding[Any]]] = {
        F.PERSON: PickerBinding,
        F.SCHOOL: PickerBinding,
        F.DATE: DateBinding,
        F.ROWS: RowsBinding,
        F.LONGTEXT: TextBinding,
        F.NUMBER: NumberBinding,
        F.CHOICE: ComboBinding,
        F.SCALE: ComboBinding,
        F.BOOLEAN: CheckBinding,
        F.CHECKLIST: ChecklistBinding,
    }
    return bindings.get(t, LineBinding)(
        session,
        widget,
        store_name,
        record=record,
        label=field.label,
        kind=record.kind,
        personal=field.personal or any(c.personal for c in field.columns),
        caption=caption,
    )
