"""Choosing a school or a person by typing part of the name (a drop-down with a completer)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from peerreview.errors import PeerReviewError
from peerreview.sync.records import Record
from peerreview.sync.store import Store
from ui.shell.privacy import PrivacyMode
from ui.shell.signals import emit

NOT_SET = ""  # the empty choice: the box shows its placeholder


def picker_label(store: Store, record: Record, privacy: PrivacyMode) -> str:
    """How a record reads in a picker: as its feature lists it (a person with their role, a
    school with its town), by role only in privacy mode."""
    return store.registry.describe(store, record, hide_names=privacy.enabled).list_label


class RecordPicker(QComboBox):
    """A drop-down of records of one kind; type to filter, Enter or click to choose.

    The list is read from the store the first time it is needed, so an editor with a picker opens
    as fast as one without.
    """

    #: the person chose another record (or cleared the choice)
    chosen = Signal()

    def __init__(
        self,
        store: Store,
        privacy: PrivacyMode,
        kind: str,
        *,
        where: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.privacy, self.kind, self.where = store, privacy, kind, where
        self._loaded = False
        self.setEditable(True)
        line = self.lineEdit()
        assert line is not None  # an editable box always has its line edit
        #: where the person types (typed: ``lineEdit()`` may be None for a box that is not editable)
        self.line_edit: QLineEdit = line
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(24)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        label = store.registry.label(kind)
        self.line_edit.setPlaceholderText(f"Not set: type part of a {label}'s name")
        self.addItem(NOT_SET, None)
        self.currentIndexChanged.connect(self._index_changed)
        self.line_edit.editingFinished.connect(self._settle_text)

    # ------------------------------------------------------------------ loading

    def ensure_loaded(self) -> None:
        """Fill the list with every record of the kind (once)."""
        if self._loaded:
            return
        self._loaded = True
        current = self.record_id()
        blocked = self.blockSignals(True)
        try:
            self.clear()
            self.addItem(NOT_SET, None)
            try:
                records = self.store.list(self.kind, where=self.where)
            except PeerReviewError:
                records = []
            ids = {r.id for r in records}
            if current and current not in ids:
                try:
                    records.append(self.store.get(current))
                except PeerReviewError:
                    pass
            for rec in records:
                self.addItem(picker_label(self.store, rec, self.privacy), rec.id)
            i = self.findData(current) if current else 0
            self.setCurrentIndex(max(i, 0))
        finally:
            self.blockSignals(blocked)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self.ensure_loaded()
        super().focusInEvent(event)

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        self.ensure_loaded()
        super().showPopup()

    # ------------------------------------------------------------------ value

    def record_id(self) -> str | None:
        data = self.currentData()
        return str(data) if data else None

    def set_record_id(self, record_id: str | None) -> None:
        blocked = self.blockSignals(True)
        try:
            if not record_id:
                self.setCurrentIndex(0)
                return
            i = self.findData(record_id)
            if i < 0:
                try:
                    rec = self.store.get(record_id)
                    label = picker_label(self.store, rec, self.privacy)
                except PeerReviewError:
                    label = "(missing record)"
                self.addItem(label, record_id)
                i = self.count() - 1
            self.setCurrentIndex(i)
        finally:
            self.blockSignals(blocked)

    def _index_changed(self, _index: int) -> None:
        emit(self.chosen)

    def _settle_text(self) -> None:
        """Leaving the box: an exact name chooses it, empty clears it, anything else is undone."""
        text = self.line_edit.text().strip()
        if not text:
            if self.currentIndex() != 0:
                self.setCurrentIndex(0)
            else:
                self.setEditText(NOT_SET)
            return
        i = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if i >= 0 and i != self.currentIndex():
            self.setCurrentIndex(i)
        elif i < 0:
            self.setEditText(self.itemText(self.currentIndex()))
