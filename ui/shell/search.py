"""Search everything (Ctrl+F): results grouped by kind, the matched words in bold.

Searching happens as you type (after a short pause), over the store's full-text index.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPalette, QShowEvent, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.sync.records import MATCH_END, MATCH_START, SearchHit
from ui.shell.formatting import count
from ui.shell.labels import field_label
from ui.shell.privacy import HIDDEN
from ui.shell.registry import UIRegistry
from ui.shell.session import Session
from ui.shell.signals import emit

AnyIndex = QModelIndex | QPersistentModelIndex

HTML_ROLE = Qt.ItemDataRole.UserRole + 10
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 11

SEARCH_DELAY_MS = 200


def snippet_html(snippet: str) -> str:
    """Escape the snippet as HTML, then turn the core's match marks into bold."""
    return html.escape(snippet).replace(MATCH_START, "<b>").replace(MATCH_END, "</b>")


def snippet_text(snippet: str) -> str:
    return snippet.replace(MATCH_START, "").replace(MATCH_END, "")


@dataclass
class _Row:
    kind: str
    title: str
    hit: SearchHit | None = None
    html: str = ""
    text: str = ""
    parent: _Row | None = None
    children: list[_Row] | None = None


class SearchResultsModel(QAbstractItemModel):
    """Two levels: one row per kind ("Schools (3)"), the matching records under it."""

    def __init__(
        self, session: Session, features: UIRegistry | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        if features is None:
            from ui.features import default_ui_registry

            features = default_ui_registry(session.store.registry)
        self.features = features
        self.groups: list[_Row] = []
        self.query = ""

    def search(self, text: str) -> int:
        """Run a search; returns the number of records found."""
        self.query = text
        hits: list[SearchHit] = []
        if text.strip():
            try:
                hits = self.session.store.search(text)
            except PeerReviewError as exc:
                emit(self.session.message, exc.message)
        self.beginResetModel()
        self.groups = self._group(hits)
        self.endResetModel()
        return sum(len(g.children or []) for g in self.groups)

    def _group(self, hits: list[SearchHit]) -> list[_Row]:
        by_kind: dict[str, list[_Row]] = {}
        seen: set[str] = set()
        for hit in hits:
            if hit.record_id in seen:
                continue  # the best-ranked field of each record only
            try:
                record = self.session.store.get(hit.record_id)
            except PeerReviewError:
                continue
            if record.deleted:
                continue
            seen.add(hit.record_id)
            title = self.session.display_title(record)
            label = field_label(self.session, hit.kind, hit.field)
            if self.session.hides(hit.kind, hit.field):
                snippet_h = snippet_t = f"{label}: {HIDDEN}"
            else:
                snippet_h = f"{html.escape(label)}: {snippet_html(hit.snippet)}"
                snippet_t = f"{label}: {snippet_text(hit.snippet)}"
            row = _Row(
                hit.kind,
                title,
                hit=hit,
                html=f"<b>{html.escape(title)}</b> — {snippet_h}",
                text=f"{title} — {snippet_t}",
            )
            by_kind.setdefault(hit.kind, []).append(row)
        groups = []
        for kind in self.features.heading_order(list(by_kind)):
            rows = by_kind[kind]
            name = self.features.heading(kind)
            group = _Row(kind, f"{name} ({len(rows)})", children=rows)
            for r in rows:
                r.parent = group
            groups.append(group)
        return groups

    # ------------------------------------------------------------------ Qt model

    def _row(self, index: AnyIndex) -> _Row | None:
        if not index.isValid():
            return None
        row = index.internalPointer()
        assert isinstance(row, _Row)
        return row

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        p = self._row(parent)
        items = self.groups if p is None else (p.children or [])
        return self.createIndex(row, 0, items[row]) if row < len(items) else QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        row = self._row(index)
        if row is None or row.parent is None:
            return QModelIndex()
        return self.createIndex(self.groups.index(row.parent), 0, row.parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        if parent.column() > 0:
            return 0
        p = self._row(parent)
        return len(self.groups) if p is None else len(p.children or [])

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        return 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row(index)
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.title if row.hit is None else row.text
        if role == HTML_ROLE:
            return f"<b>{html.escape(row.title)}</b>" if row.hit is None else row.html
        if role == RECORD_ID_ROLE:
            return row.hit.record_id if row.hit else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def first_hit(self) -> QModelIndex:
        if self.groups and self.groups[0].children:
            return self.index(0, 0, self.index(0, 0))
        return QModelIndex()


class HtmlDelegate(QStyledItemDelegate):
    """Paints an item's HTML_ROLE text (the bold match) with the palette's colours."""

    def _document(self, option: QStyleOptionViewItem, index: AnyIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(2)
        doc.setDefaultFont(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colour = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        doc.setHtml(f'<span style="color:{colour.name()}">{index.data(HTML_ROLE) or ""}</span>')
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        painter.save()
        painter.translate(text_rect.topLeft())
        painter.setClipRect(QRectF(0, 0, text_rect.width(), text_rect.height()))
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()) + 8, int(doc.size().height()) + 2)


class _SearchBox(QLineEdit):
    """Down arrow moves into the results; Enter opens the first (or selected) one."""

    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Down:
            emit(self.down)
            return
        super().keyPressEvent(event)


class SearchDialog(QDialog):
    """Type to search everything; Enter or double-click opens the record."""

    #: open this record in the navigator and detail pane
    open_record = Signal(str)

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, features: UIRegistry | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Search everything")
        self.resize(640, 480)
        layout = QVBoxLayout(self)
        self.box = _SearchBox()
        self.box.setPlaceholderText("Search schools, people, groups and notes…")
        self.box.setAccessibleName("Search text")
        self.box.setClearButtonEnabled(True)
        layout.addWidget(self.box)
        self.status = QLabel("Type a word or part of a name.")
        self.status.setProperty("role", "help")
        layout.addWidget(self.status)
        self.model = SearchResultsModel(session, features, self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setAccessibleName("Search results")
        self.view.setItemDelegate(HtmlDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformRowHeights(True)
        self.view.activated.connect(self._activate)
        self.view.doubleClicked.connect(self._activate)
        layout.addWidget(self.view, 1)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.box.textChanged.connect(lambda _t: self._timer.start())
        self.box.returnPressed.connect(self._enter)
        self.box.down.connect(self._into_results)

    def run_search(self) -> None:
        self._timer.stop()
        text = self.box.text()
        n = self.model.search(text)
        self.view.expandAll()
        if not text.strip():
            self.status.setText("Type a word or part of a name.")
        elif n == 0:
            self.status.setText(f"Nothing matches “{text.strip()}”.")
        else:
            self.status.setText(f"{count(n, 'record')} found. Enter or double-click opens one.")
        first = self.model.first_hit()
        if first.isValid():
            self.view.setCurrentIndex(first)

    def _into_results(self) -> None:
        self.view.setFocus()
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.first_hit())

    def _enter(self) -> None:
        if self._timer.isActive():
            self.run_search()
        index = self.view.currentIndex()
        self._activate(index if index.isValid() else self.model.first_hit())

    def _activate(self, index: QModelIndex) -> None:
        record_id = index.data(RECORD_ID_ROLE) if index.isValid() else None
        if record_id:
            emit(self.open_record, record_id)
            self.accept()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.box.setFocus()
        self.box.selectAll()
