"""One editor widget per form field type, each with the same small interface (a field binder).

A binder owns its widget, turns the stored value into what the widget shows and back, and says
``edited`` when the person changes something. It never writes: the record editor decides when.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
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
from ui.shell.pickers import RecordPicker
from ui.shell.privacy import HIDDEN
from ui.shell.signals import emit

#: QDateEdit cannot be empty; this date stands for "not set" and shows as the special text.
NO_DATE = QDate(1900, 1, 1)


class FieldBinder(QObject):
    """Shows one field's value in a widget and reports when the person edits it."""

    #: the person changed the value (the editor debounces text; others commit at once)
    edited = Signal()

    #: True for types typed character by character (saved after a pause, and on leaving)
    debounced = True

    def __init__(self, field: Field, store_name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.store_name = store_name
        self.hidden = False
        self.widget: QWidget = self._build()
        self.focus_widget().setAccessibleName(field.label)
        if field.help:
            self.widget.setToolTip(field.help)
            self.focus_widget().setAccessibleDescription(field.help)

    # --- to implement
    def _build(self) -> QWidget:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    # --- shared
    def focus_widget(self) -> QWidget:
        """The widget that takes keyboard focus (and the accessible name)."""
        return self.widget

    def set_value(self, value: Any) -> None:
        """Show ``value`` without reporting an edit."""
        blocker = [w.blockSignals(True) for w in self._signal_widgets()]
        try:
            self._show(value)
        finally:
            for w, was in zip(self._signal_widgets(), blocker, strict=True):
                w.blockSignals(was)

    def _signal_widgets(self) -> Sequence[QObject]:
        return [self.focus_widget()]

    def hide_value(self) -> None:
        """Privacy mode: show that the value is hidden, and never put the value in the widget."""
        self.hidden = True
        self.widget.setEnabled(False)
        self.widget.setToolTip(HIDDEN)

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setEnabled(not read_only and not self.hidden)


class TextBinder(FieldBinder):
    def _build(self) -> QWidget:
        w = QLineEdit()
        w.textEdited.connect(self.edited)
        return w

    def value(self) -> Any:
        text = self.widget.text()  # type: ignore[attr-defined]
        return text if text.strip() else None

    def _show(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))  # type: ignore[attr-defined]

    def hide_value(self) -> None:
        super().hide_value()
        self.widget.setText("")  # type: ignore[attr-defined]
        self.widget.setPlaceholderText(HIDDEN)  # type: ignore[attr-defined]


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

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()


def show_plain_text(w: QPlainTextEdit, value: Any) -> None:
    """Show a stored value in a text box without moving the cursor of someone typing there."""
    text = "" if value is None else str(value)
    if w.toPlainText() != text:
        position = w.textCursor().position()
        w.setPlainText(text)
        cursor = w.textCursor()
        cursor.setPosition(min(position, len(text)))
        w.setTextCursor(cursor)


class LongTextBinder(FieldBinder):
    def _build(self) -> QWidget:
        w = GrowingTextEdit()
        w.setTabChangesFocus(True)  # Tab moves on, as in every other field
        w.setUndoRedoEnabled(False)  # Ctrl+Z belongs to the app-wide undo stack
        w.textChanged.connect(self.edited)
        return w

    def value(self) -> Any:
        text = self.widget.toPlainText()  # type: ignore[attr-defined]
        return text if text.strip() else None

    def _show(self, value: Any) -> None:
        show_plain_text(self.widget, value)  # type: ignore[arg-type]

    def hide_value(self) -> None:
        super().hide_value()
        self.widget.setPlainText("")  # type: ignore[attr-defined]
        self.widget.setPlaceholderText(HIDDEN)  # type: ignore[attr-defined]


class NumberBinder(TextBinder):
    def _build(self) -> QWidget:
        w = QLineEdit()
        w.setValidator(QIntValidator(0, 2_000_000_000, w))
        w.setMaximumWidth(160)
        w.textEdited.connect(self.edited)
        return w

    def value(self) -> Any:
        text = self.widget.text().strip()  # type: ignore[attr-defined]
        return int(text) if text else None


class ChoiceBinder(FieldBinder):
    """A choice or a scale level: a drop-down with type-ahead; the first entry is "Not set"."""

    debounced = False

    def _items(self) -> list[tuple[str, str]]:
        if self.field.type is F.SCALE and self.field.scale is not None:
            return [(lv.label, lv.value) for lv in self.field.scale.levels]
        return [(o, o) for o in self.field.options]

    def _build(self) -> QWidget:
        w = QComboBox()
        w.addItem("Not set", None)
        for label, value in self._items():
            w.addItem(label, value)
        if self.field.type is F.SCALE and self.field.scale is not None:
            for i, level in enumerate(self.field.scale.levels, start=1):
                if level.description:
                    w.setItemData(i, level.description, Qt.ItemDataRole.ToolTipRole)
        w.currentIndexChanged.connect(self.edited)
        return w

    def value(self) -> Any:
        return self.widget.currentData()  # type: ignore[attr-defined]

    def _show(self, value: Any) -> None:
        w: QComboBox = self.widget  # type: ignore[assignment]
        i = w.findData(value) if value is not None else 0
        if i < 0:  # a value not among the options (GIAS, an older form): keep showing it
            w.addItem(str(value), value)  # e.g. a GIAS value the form does not list
            i = w.count() - 1
        w.setCurrentIndex(i)


class BooleanBinder(FieldBinder):
    debounced = False

    def _build(self) -> QWidget:
        w = QCheckBox(self.field.label if len(self.field.label) < 40 else "Yes")
        w.toggled.connect(self.edited)
        return w

    def value(self) -> Any:
        return self.widget.isChecked()  # type: ignore[attr-defined]

    def _show(self, value: Any) -> None:
        self.widget.setChecked(bool(value))  # type: ignore[attr-defined]


class DateBinder(FieldBinder):
    """A British date (dd/MM/yyyy) with a calendar, and a button to clear it."""

    def _build(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.date_edit = QDateEdit()
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMinimumDate(NO_DATE)
        self.date_edit.setSpecialValueText("Not set")
        self.date_edit.setDate(NO_DATE)
        self.date_edit.setMinimumWidth(140)
        self.date_edit.dateChanged.connect(self.edited)
        clear = QToolButton()
        clear.setText("Clear")
        clear.setAccessibleName(f"Clear {self.field.label}")
        clear.setToolTip("Clear the date")
        clear.clicked.connect(lambda: self.date_edit.setDate(NO_DATE))
        self.clear_button = clear
        row.addWidget(self.date_edit)
        row.addWidget(clear)
        row.addStretch(1)
        return box

    def focus_widget(self) -> QWidget:
        return self.date_edit

    def value(self) -> Any:
        d = self.date_edit.date()
        return None if d == NO_DATE else d.toString("yyyy-MM-dd")

    def _show(self, value: Any) -> None:
        d = QDate.fromString(str(value)[:10], "yyyy-MM-dd") if value else NO_DATE
        self.date_edit.setDate(d if d.isValid() else NO_DATE)


class PickerBinder(FieldBinder):
    """A person or school, chosen by typing part of the name."""

    debounced = False

    def __init__(self, field: Field, store_name: str, picker: RecordPicker) -> None:
        self._picker = picker
        super().__init__(field, store_name)

    def _build(self) -> QWidget:
        self._picker.chosen.connect(self.edited)
        return self._picker

    def value(self) -> Any:
        return self._picker.record_id()

    def _show(self, value: Any) -> None:
        self._picker.set_record_id(value)

    def _signal_widgets(self) -> Sequence[QObject]:
        return [self._picker]


class ChecklistBinder(FieldBinder):
    """Options to tick; the value is the ticked options in the form's order."""

    debounced = False

    def _build(self) -> QWidget:
        w = QListWidget()
        for option in self.field.options:
            item = QListWidgetItem(option)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            w.addItem(item)
        rows = max(1, len(self.field.options))
        w.setFixedHeight(min(rows, 8) * (w.sizeHintForRow(0) + 2) + 8)
        w.itemChanged.connect(lambda _item: emit(self.edited))
        return w

    def value(self) -> Any:
        w: QListWidget = self.widget  # type: ignore[assignment]
        ticked = [
            w.item(i).text()
            for i in range(w.count())
            if w.item(i).checkState() == Qt.CheckState.Checked
        ]
        return ticked or None

    def _show(self, value: Any) -> None:
        ticked = set(decode_json(value) or [])
        w: QListWidget = self.widget  # type: ignore[assignment]
        for i in range(w.count()):
            item = w.item(i)
            on = item.text() in ticked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def decode_json(value: Any) -> Any:
    """Lists and tables kept in a dynamic field come back from the store as JSON text."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value
