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
from peerreview.sync.search import Found, Hit, Hits
from ui.shell.formatting import count
from ui.shell.labels import field_label
from ui.shell.privacy import HIDDEN
from ui.shell.registry import UIRegistry
from ui.shell.session import Session
from ui.shell.signals import emit

AnyIndex = QModelIndex | QPersistentModelIndex

HTML_ROLE = Qt.ItemDataRole.UserRole + 10
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 11
#: how many lines an item's HTML has (known before the hit is described: its size needs no more)
LINES_ROLE = Qt.ItemDataRole.UserRole + 12

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
    #: a record found, not yet described (described when first shown)
    hit: Hit | None = None
    #: the record found (kept: described again when privacy mode is turned on or off)
    found: Hit | None = None


#: Hits described with the search itself: a screenful (the dialog shows about 15 with headings).
FIRST_DESCRIBED = 20
#: Hits described together when one further down is first shown (as the list scrolls).
DESCRIBED_AT_ONCE = 20


class SearchResultsModel(QAbstractItemModel):
    """Two levels: one row per kind of record ("Evidence notes (12)"), the records found under it,
    each named as a person would say it and where it belongs.

    Every hit is counted and grouped at once, but described (its records and what they belong to
    read, its title and context worded) only when first shown: the first screenful with the
    search, the rest a batch at a time as the list scrolls to them. Describing all of a
    two-letter search's 300 hits took most of its time on the regional database."""

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
        #: the hits' rows in the order shown (groups in turn), and each one's place in it
        self._shown: list[_Row] = []
        self._place: dict[int, int] = {}
        self._words: tuple[str, ...] = ()
        self._hide_names = False
        session.privacy.changed.connect(self._privacy_changed)

    def _privacy_changed(self, on: bool) -> None:
        """Hits are described again, in privacy mode without the names (the list stays open)."""
        if on == self._hide_names or not self._shown:
            return
        emit(self.layoutAboutToBeChanged)  # a hit's lines may change: a hidden name shows one
        self._hide_names = on
        for row in self._shown:
            row.hit = row.found
        self._describe(0, FIRST_DESCRIBED)
        emit(self.layoutChanged)

    def search(self, text: str) -> int:
        """Run a search; returns the number of records found."""
        self.query = text
        hits: Hits | None = None
        if text.strip():
            try:
                hits = self.session.searcher.find(text)
            except PeerReviewError as exc:
                emit(self.session.message, exc.message)
        self.beginResetModel()
        self._words = hits.words if hits else ()
        self._hide_names = self.session.privacy.enabled
        self.groups = self._group(hits.hits if hits else ())
        self._shown = [row for group in self.groups for row in group.children or []]
        self._place = {id(row): i for i, row in enumerate(self._shown)}
        self.more = bool(hits and hits.more)
        self._describe(0, FIRST_DESCRIBED)
        self.endResetModel()
        return len(self._shown)

    def _describe(self, start: int, n: int) -> None:
        """Describe the hits not yet described among ``n`` shown from ``start``."""
        rows = [r for r in self._shown[start : start + n] if r.hit is not None]
        if not rows:
            return
        hits = [r.hit for r in rows if r.hit is not None]
        try:
            found = self.session.searcher.describe(hits, self._words, hide_names=self._hide_names)
        except PeerReviewError as exc:
            emit(self.session.message, exc.message)
            found = [None] * len(rows)
        for row, item in zip(rows, found, strict=True):
            self._fill(row, item)

    def _label(self, kind: str, field: str) -> str:
        key = (kind, field)
        if key not in self._labels:
            self._labels[key] = field_label(self.session, kind, field)
        return self._labels[key]

    def _fill(self, row: _Row, found: Found | None) -> None:
        """Word a hit's row from its description (a record no longer here: by its kind)."""
        row.hit = None
        if found is None:
            title = self.session.store.registry.label(row.kind).capitalize()
            row.title, row.html, row.text = title, f"<b>{html.escape(title)}</b>", title
            return
        record = found.record
        title, context = found.description.title, found.description.context
        head_h = f"<b>{html.escape(title)}</b>"
        head_t = title
        if context:
            head_h += f' <span style="color:gray">· {html.escape(context)}</span>'
            head_t += f" · {context}"
        row.title = title
        if self._matched_line(record.kind, found.field):
            label = self._label(record.kind, found.field)
            if self.session.hides(record.kind, found.field):
                snippet_h = snippet_t = f"{label}: {HIDDEN}"
            else:
                snippet_h = f"{html.escape(label)}: {snippet_html(found.snippet)}"
                snippet_t = f"{label}: {snippet_text(found.snippet)}"
            row.html, row.text = f"{head_h}<br>{snippet_h}", f"{head_t} — {snippet_t}"
        else:
            row.html, row.text = head_h, head_t

    def _group(self, hits: Sequence[Hit]) -> list[_Row]:
        by_kind: dict[str, list[_Row]] = {}
        for hit in hits:
            row = _Row(hit.kind, "", hit.record_id, hit=hit, found=hit)
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

    def _described(self, row: _Row) -> _Row:
        """The row, described first if it was not yet, with the hits around it (a list is
        scrolled either way: its end is reached from the bottom up)."""
        if row.hit is not None:
            at = self._place[id(row)]
            half = DESCRIBED_AT_ONCE // 2
            self._describe(max(0, at - half), DESCRIBED_AT_ONCE)
        return row

    def _matched_line(self, kind: str, field: str) -> bool:
        """A hit found in ``field`` has a line saying what matched: unless it was found by what
        it belongs to, or by its name shown (a name found is in the title already)."""
        if not field:
            return False
        named = field == record_title_field(self.session.store.registry.kind(kind))
        return not named or self.session.hides(kind, field)

    def _lines(self, row: _Row) -> int:
        """A row's lines: its title, and what matched when that is not the title itself."""
        hit = row.hit
        if hit is None:
            return row.html.count("<br>") + 1 if row.record_id else 1
        return 2 if self._matched_line(hit.kind, hit.field) else 1

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
            return row.title if not row.record_id else self._described(row).text
        if role == HTML_ROLE:
            if not row.record_id:
                return f"<b>{html.escape(row.title)}</b>"
            return self._described(row).html
        if role == RECORD_ID_ROLE:
            return row.record_id or None
        if role == LINES_ROLE:
            return self._lines(row)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def first_hit(self) -> QModelIndex:
        if self.groups and self.groups[0].children:
            return self.index(0, 0, self.index(0, 0))
        return QModelIndex()


#: Items' laid-out documents kept for painting again (a few screenfuls).
KEPT_DOCUMENTS = 120


class HtmlDelegate(QStyledItemDelegate):
    """Paints an item's HTML_ROLE text (the bold match) with the palette's colours."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[tuple[str, int], int] = {}
        self._docs: dict[tuple[str, str], QTextDocument] = {}

    def _document(self, option: QStyleOptionViewItem, index: AnyIndex) -> QTextDocument:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colour = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        text = f'<span style="color:{colour.name()}">{index.data(HTML_ROLE) or ""}</span>'
        key = (option.font.key(), text)
        doc = self._docs.pop(key, None)
        if doc is None:
            doc = QTextDocument()
            doc.setDocumentMargin(2)
            doc.setDefaultFont(option.font)
            doc.setHtml(text)
            if len(self._docs) >= KEPT_DOCUMENTS:
                del self._docs[next(iter(self._docs))]  # the least recently painted
        self._docs[key] = doc  # typing on repaints most of the same hits: laid out once
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
        # From the number of lines alone (one document measured per font and number of lines):
        # measuring each item's own document cost more than describing it, and the tree asks
        # the last page's items too, to size its scroll bar. The one column spans the view.
        lines = index.data(LINES_ROLE) or 1
        key = (option.font.key(), int(lines))
        height = self._heights.get(key)
        if height is None:
            doc = QTextDocument()
            doc.setDocumentMargin(2)
            doc.setDefaultFont(option.font)
            doc.setHtml("<br>".join(["<b>Xg</b>"] * int(lines)))
            height = self._heights[key] = int(doc.size().height()) + 2
        return QSize(max(option.rect.width(), 0), height)


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
