"""Linking what a school already has as evidence of progress: a picker, and the list it fills.

The picker searches the school's notes, observation notes, indicators, photos and documents (the
kinds that say they can be evidence), named as the registry describes them; the list shows what a
progress update or impact review links, each opened with a double-click or Enter (in the
navigator, or the record it belongs to when it has no place there of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerreview.plans import evidence as ev
from peerreview.sync.store import Store
from ui.shell.session import Session

RECORD = Qt.ItemDataRole.UserRole

#: Shows a record in the navigator and the detail pane; False when it is shown nowhere.
OpenRecord = Callable[[str], bool]


def _item(e: ev.Evidence) -> QListWidgetItem:
    item = QListWidgetItem(f"{e.title}\n{e.what}" + (f" · {e.context}" if e.context else ""))
    item.setData(RECORD, e.id)
    item.setToolTip(f"{e.what}: {e.title}" + (f"\n{e.context}" if e.context else ""))
    return item


class EvidencePicker(QDialog):
    """Chooses records of one school to link as evidence (several at once; Enter links them)."""

    def __init__(
        self,
        session: Session,
        school: str,
        *,
        already: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidencePicker")
        self.setWindowTitle("Link evidence the school already has")
        self.session = session
        already_set = set(already)
        self.items = [
            e
            for e in ev.candidates(session.store, school, hide_names=session.privacy.enabled)
            if e.id not in already_set
        ]
        box = QVBoxLayout(self)
        intro = QLabel(
            "Notes from reviews and lesson study, indicators, photos and documents of "
            f"{session.store.title(school)}. Select what shows the progress (Ctrl+click for "
            "several)."
        )
        intro.setWordWrap(True)
        box.addWidget(intro)
        line = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type words to find: an activity, a subject, a file name…")
        self.search.setAccessibleName("Find evidence")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        find = QLabel("&Find")
        find.setBuddy(self.search)
        line.addWidget(find)
        line.addWidget(self.search, 1)
        self.what = QComboBox()
        self.what.setAccessibleName("Kind of evidence")
        self.what.addItem("Everything", None)
        for kind in ev.evidence_kinds(session.store):
            if any(e.kind == kind.name for e in self.items):
                plural = session.store.registry.label(kind.name, plural=True)
                self.what.addItem(plural.capitalize(), kind.name)
        self.what.currentIndexChanged.connect(self._filter)
        line.addWidget(self.what)
        box.addLayout(line)
        self.list = QListWidget()
        self.list.setAccessibleName("Evidence to link")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self.list.itemSelectionChanged.connect(self._selection_changed)
        box.addWidget(self.list, 1)
        self.count = QLabel("")
        self.count.setProperty("role", "help")
        box.addWidget(self.count)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Link the evidence chosen")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.resize(640, 520)
        self._filter()
        self.search.setFocus()

    def _filter(self) -> None:
        words = self.search.text()
        kind = self.what.currentData()
        shown = [e for e in ev.search(self.items, words) if kind is None or e.kind == kind]
        self.list.setUpdatesEnabled(False)
        self.list.clear()
        for e in shown:
            self.list.addItem(_item(e))
        self.list.setUpdatesEnabled(True)
        if not self.items:
            self.count.setText("This school has no notes, indicators or files to link yet.")
        elif not shown:
            self.count.setText(
                f"Nothing of the {len(self.items)} matches: try fewer or other words."
            )
        else:
            self.count.setText(f"{len(shown)} of {len(self.items)} shown.")
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.ok.setEnabled(bool(self.list.selectedItems()))

    def chosen(self) -> list[str]:
        """The ids of the records chosen, in the list's order."""
        return [
            str(self.list.item(i).data(RECORD))
            for i in range(self.list.count())
            if self.list.item(i).isSelected()
        ]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Down from the search box goes into the list, as in a search field anywhere.
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus() and self.list.count():
            self.list.setFocus()
            self.list.setCurrentRow(0)
            return
        super().keyPressEvent(event)


def open_evidence(store: Store, open_record: OpenRecord, record_id: str) -> bool:
    """Shows a linked record; one with no place in the navigator (a photo of a note) shows the
    nearest record it belongs to."""
    seen: set[str] = set()
    current: str | None = record_id
    while current and current not in seen and store.exists(current):
        if open_record(current):
            return True
        seen.add(current)
        rec = store.get(current)
        field = store.registry.kind(rec.kind).school_field
        up = rec.get(field) if field and field != "id" else None
        current = up if isinstance(up, str) else None
    return False


class EvidenceList(QWidget):
    """The evidence linked to a progress update or impact review: link more, open, take off."""

    def __init__(
        self,
        session: Session,
        record_id: str,
        *,
        open_record: OpenRecord,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceList")
        self.session, self.record_id, self.open_record = session, record_id, open_record
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 8, 0, 0)
        heading = QLabel("Evidence linked")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        box.addWidget(heading)
        self.list = QListWidget()
        self.list.setAccessibleName("Evidence linked")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda item: self.open(str(item.data(RECORD))))
        box.addWidget(self.list)
        self.empty = QLabel(
            "None yet. Link notes, indicators, photos or documents the school already has."
        )
        self.empty.setProperty("role", "help")
        self.empty.setWordWrap(True)
        box.addWidget(self.empty)
        row = QHBoxLayout()
        self.link_button = QPushButton("&Link evidence…")
        self.link_button.setToolTip("Choose notes, indicators, photos or documents of the school")
        self.link_button.clicked.connect(self.choose)
        self.open_button = QPushButton("&Open")
        self.open_button.clicked.connect(self._open_current)
        self.remove_button = QPushButton("&Take off the list")
        self.remove_button.clicked.connect(self._remove_current)
        for b in (self.link_button, self.open_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        box.addLayout(row)
        self.list.currentRowChanged.connect(lambda _r: self._buttons())
        session.record_changed.connect(self._changed)
        self.load()

    def load(self) -> None:
        store = self.session.store
        if not store.exists(self.record_id):
            return
        linked = ev.linked(store, self.record_id, hide_names=self.session.privacy.enabled)
        self.list.clear()
        for e in linked:
            self.list.addItem(_item(e))
        self.list.setVisible(bool(linked))
        self.empty.setVisible(not linked)
        if linked:  # as tall as its rows, up to six
            rows = min(len(linked), 6)
            frame = 2 * self.list.frameWidth()
            self.list.setFixedHeight(rows * self.list.sizeHintForRow(0) + frame)
        self._buttons()

    def _buttons(self) -> None:
        has = self.list.currentRow() >= 0
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _changed(self, record_id: str, _kind: str) -> None:
        if record_id == self.record_id:
            self.load()

    def texts(self) -> list[str]:
        """What the list shows, row by row (as read)."""
        return [self.list.item(i).text() for i in range(self.list.count())]

    def choose(self) -> list[str]:
        """Ask which records to link, and link them (one undoable step)."""
        store = self.session.store
        school = str(store.get(self.record_id).get("school") or "")
        picker = EvidencePicker(
            self.session, school, already=ev.linked_ids(store, self.record_id), parent=self
        )
        if picker.exec() != QDialog.DialogCode.Accepted:
            return []
        chosen = picker.chosen()
        if chosen:
            self.link(chosen)
        return chosen

    def link(self, ids: Sequence[str]) -> None:
        store = self.session.store
        self.session.write_with(
            self.record_id,
            lambda: ev.link(store, self.record_id, ids),
            ("evidence",),
            "link evidence",
        )
        self.load()

    def open(self, record_id: str) -> bool:
        return open_evidence(self.session.store, self.open_record, record_id)

    def _open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.open(str(item.data(RECORD)))

    def _remove_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        store = self.session.store
        rid = str(item.data(RECORD))
        self.session.write_with(
            self.record_id,
            lambda: ev.unlink(store, self.record_id, rid),
            ("evidence",),
            "take evidence off",
        )
        self.load()
