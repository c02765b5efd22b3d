"""Search everything (Ctrl+F): results grouped by kind, the matched words in bold.

Searching happens as you type (after a short pause), over the store's full-text index.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
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
from peerreview.sync.records import MATCH_END, MATCH_START
from peerreview.sync.registry import record_title_field
from peerreview.sync.search import Found, Results
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
    record_id: str = ""
    html: str = ""
    text: str = ""
    parent: _Row | None = None
    children: list[_Row] | None = None


class SearchResultsModel(QAbstractItemModel):
    """Two levels: one row per kind of record ("Evidence notes (12)"), the records found under it,
    each named as a person would say it and where it belongs."""

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
        #: more records matched than are listed
        self.more = False
        self._labels: dict[tuple[str, str], str] = {}

    def search(self, text: str) -> int:
        """Run a search; returns the number of records found."""
        self.query = text
        results: Results | None = None
        if text.strip():
            try:
                results = self.session.searcher.search(
                    text, hide_names=self.session.privacy.enabled
                )
            except PeerReviewError as exc:
                emit(self.session.message, exc.message)
        self.beginResetModel()
        self.groups = self._group(results.found if results else ())
        self.more = bool(results and results.more)
        self.endResetModel()
        return sum(len(g.children or []) for g in self.groups)

    def _label(self, kind: str, field: str) -> str:
        key = (kind, field)
        if key not in self._labels:
            self._labels[key] = field_label(self.session, kind, field)
        return self._labels[key]

    def _row(self, found: Found) -> _Row:
        record = found.record
        title, context = found.description.title, found.description.context
        head_h = f"<b>{html.escape(title)}</b>"
        head_t = title
        if context:
            head_h += f' <span style="color:gray">· {html.escape(context)}</span>'
            head_t += f" · {context}"
        hidden = bool(found.field) and self.session.hides(record.kind, found.field)
        named = found.field == record_title_field(self.session.store.registry.kind(record.kind))
        if found.field and (hidden or not named):  # a name found is in the title already
            label = self._label(record.kind, found.field)
            if hidden:
                snippet_h = snippet_t = f"{label}: {HIDDEN}"
            else:
                snippet_h = f"{html.escape(label)}: {snippet_html(found.snippet)}"
                snippet_t = f"{label}: {snippet_text(found.snippet)}"
            return _Row(
                record.kind,
                title,
                record.id,
                html=f"{head_h}<br>{snippet_h}",
                text=f"{head_t} — {snippet_t}",
            )
        return _Row(record.kind, title, record.id, html=head_h, text=head_t)

    def _group(self, found: Sequence[Found]) -> list[_Row]:
        by_kind: dict[str, list[_Row]] = {}
        for item in found:
            by_kind.setdefault(item.record.kind, []).append(self._row(item))
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

    def _at(self, index: AnyIndex) -> _Row | None:
        if not index.isValid():
            return None
        row = index.internalPointer()
        assert isinstance(row, _Row)
        return row

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        p = self._at(parent)
        items = self.groups if p is None else (p.children or [])
        return self.createIndex(row, 0, items[row]) if row < len(items) else QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        row = self._at(index)
        if row is None or row.parent is None:
            return QModelIndex()
        return self.createIndex(self.groups.index(row.parent), 0, row.parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        if parent.column() > 0:
            return 0
        p = self._at(parent)
        return len(self.groups) if p is None else len(p.children or [])

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        return 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._at(index)
        if row is None:
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,  # whole, where a narrow window cuts it
        ):
            return row.title if not row.record_id else row.text
        if role == HTML_ROLE:
            return f"<b>{html.escape(row.title)}</b>" if not row.record_id else row.html
        if role == RECORD_ID_ROLE:
            return row.record_id or None
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
        self.box.setPlaceholderText("Search schools, people, reviews and notes…")
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
        self.view.setUniformRowHeights(False)  # a hit is two lines: what it is, what matched
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
        elif self.model.more:
            self.status.setText(
                f"The first {count(n, 'record')} found, newest first; more words narrow it down. "
                "Enter or double-click opens one."
            )
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
