"""The grid's table view: a spreadsheet's keys, cells painted wrapped, blocks on the clipboard.

Arrows, Tab and Shift+Tab move (Tab at the last cell leaves the grid); Enter moves down (Shift+Enter
up); typing on a cell replaces its text and F2 edits it in place (Alt+Enter starts a new line inside
a cell); Escape cancels; Delete clears the selected cells; Ctrl+C, Ctrl+X and Ctrl+V copy, cut and
paste blocks of cells as tab-separated text, to and from Excel or Word. The view writes nothing
itself: it hands cells to its ``GridTableModel``'s writer.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from peerreview.sync.grids import Cell
from peerreview.sync.records import Conflict, ConflictValue
from ui.shell.grid_cell import CellEditor, Move
from ui.shell.grid_model import (
    CONFLICT_EDGE,
    CONFLICT_ROLE,
    OTHER_ROLE,
    GridTableModel,
)
from ui.shell.signals import emit
from ui.shell.tsv import format_html, format_tsv, parse_tsv

AnyIndex = QModelIndex | QPersistentModelIndex

#: Padding inside a cell, around its text.
PAD = 5
#: A column is never narrower than this (then the grid scrolls across).
MIN_COLUMN_WIDTH = 110
#: Row labels wrap at this width.
MAX_ROW_LABEL_WIDTH = 160

HELP = (
    "Type to fill a cell; Enter moves down and Tab across; Alt+Enter starts a new line in a "
    "cell; F2 edits a cell's text; Delete clears. Ctrl+C and Ctrl+V copy and paste blocks of "
    "cells with Excel or Word."
)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class GridDelegate(QStyledItemDelegate):
    """Paints a cell's text wrapped (with the other text greyed above it and a conflict marked),
    measures rows to fit, and edits a cell with a ``CellEditor``."""

    def __init__(self, view: GridView) -> None:
        super().__init__(view)
        self.view = view
        #: text to put in the next editor instead of the cell's (typing replaces the text)
        self.pending: str | None = None
        #: the cell editor open now, if any
        self.open_editor: CellEditor | None = None

    # ------------------------------------------------------------------ painting and sizes

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        other = QFont(option.font)
        other.setItalic(True)
        return option.font, other

    def _heights(
        self, option: QStyleOptionViewItem, index: AnyIndex, width: int
    ) -> tuple[int, int]:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        other = str(index.data(OTHER_ROLE) or "")
        font, other_font = self._fonts(option)
        flags = int(Qt.TextFlag.TextWordWrap)
        bounds = QRect(0, 0, max(width, 20), 1_000_000)
        text_h = QFontMetrics(font).boundingRect(bounds, flags, text + " ").height()
        other_h = (
            QFontMetrics(other_font).boundingRect(bounds, flags, other).height() if other else 0
        )
        return other_h, text_h

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        width = (
            option.rect.width()
            if option.rect.width() > 0
            else self.view.columnWidth(index.column())
        )
        inner = width - 2 * PAD
        other_h, text_h = self._heights(option, index, inner)
        line = QFontMetrics(option.font).lineSpacing()
        gap = PAD if other_h else 0
        height = max(2 * line, other_h + gap + text_h) + 2 * PAD
        return QSize(width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        rect = opt.rect.adjusted(PAD, PAD, -PAD, -PAD)
        other = str(index.data(OTHER_ROLE) or "")
        font, other_font = self._fonts(opt)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
            Qt.TextFlag.TextWordWrap
        )
        painter.save()
        if other:
            painter.setFont(other_font)
            painter.setPen(
                palette.color(
                    QPalette.ColorRole.HighlightedText
                    if selected
                    else QPalette.ColorRole.PlaceholderText
                )
            )
            used = painter.boundingRect(rect, flags, other)
            painter.drawText(rect, flags, other)
            rect.setTop(used.bottom() + PAD)
        painter.setFont(font)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        painter.drawText(rect, flags, text)
        conflict = index.data(CONFLICT_ROLE)
        if conflict is not None:
            pen = QPen(CONFLICT_EDGE)
            pen.setWidth(2)
            painter.setPen(pen)
            painter.drawRect(opt.rect.adjusted(1, 1, -2, -2))
            mark = opt.rect.adjusted(0, 2, -4, 0)
            painter.drawText(
                mark, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), "⚠"
            )
        painter.restore()

    # ------------------------------------------------------------------ editing

    def createEditor(  # noqa: N802 - Qt override
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = CellEditor(parent)
        editor.setAccessibleName(f"Edit {self.view.cell_name(index)}")
        editor.finished.connect(lambda move, e=editor: self._finish(e, move))
        self.open_editor = editor
        editor.destroyed.connect(lambda *_: setattr(self, "open_editor", None))
        return editor

    def save_open(self) -> None:
        """Write what is typed in the open cell (if anything changed), leaving it open."""
        editor = self.open_editor
        if editor is not None and editor.loaded and editor.changed:
            emit(self.commitData, editor)
            editor.original = editor.toPlainText()

    def close_open(self) -> None:
        """Save and close the open cell (a job starting, the grid locking)."""
        editor = self.open_editor
        if editor is not None:
            self.save_open()
            self._finish(editor, Move.CANCEL)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        # Only when the editor opens: a reload while someone types must not replace their text.
        if not isinstance(editor, CellEditor) or editor.loaded:
            return
        original = str(index.data(Qt.ItemDataRole.EditRole) or "")
        pending, self.pending = self.pending, None
        if pending is None:
            editor.start(original, replacing=False, original=original)
        else:
            editor.start(pending, replacing=True, original=original)

    def setModelData(  # noqa: N802 - Qt override
        self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex
    ) -> None:
        # Unchanged text is not written: opening a conflicted cell and leaving it must not settle
        # the conflict with whatever it shows.
        if isinstance(editor, CellEditor) and editor.changed:
            model.setData(index, editor.toPlainText())

    def updateEditorGeometry(  # noqa: N802 - Qt override
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        rect = QRect(option.rect)
        other_h, _text_h = self._heights(option, index, rect.width() - 2 * PAD)
        if other_h:  # the greyed text (the prediction) stays in sight while typing
            rect.setTop(rect.top() + other_h + PAD)
        # Room to type a few lines, over the rows below if need be.
        rect.setHeight(max(rect.height(), 4 * QFontMetrics(option.font).lineSpacing()))
        editor.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Keys are the editor's own (Tab, Enter, Escape): Qt's default would open the next
        # cell's editor on Tab. Leaving the editor (a click elsewhere) still saves it.
        if event.type() == QEvent.Type.KeyPress:
            return False
        return super().eventFilter(watched, event)

    def _finish(self, editor: CellEditor, move: Move) -> None:
        if editor is self.open_editor:
            self.open_editor = None
        if move is Move.CANCEL:
            emit(self.closeEditor, editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
            return
        emit(self.commitData, editor)
        emit(self.closeEditor, editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.view.move_cursor_by(move)


class RowLabels(QHeaderView):
    """The row headers, wrapped to at most ``MAX_ROW_LABEL_WIDTH`` (a lesson stage's label can be
    a sentence); the current row's label in bold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setHighlightSections(True)

    def _label(self, logical: int) -> str:
        model = self.model()
        if model is None:
            return ""
        return str(model.headerData(logical, self.orientation()) or "")

    def _flags(self) -> int:
        return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter) | int(
            Qt.TextFlag.TextWordWrap
        )

    def sectionSizeFromContents(self, logical: int) -> QSize:  # noqa: N802 - Qt override
        text = self._label(logical)
        measure = QFont(self.font())
        measure.setBold(True)  # the widest it is drawn (the current row's), so it always fits
        metrics = QFontMetrics(measure)
        natural = metrics.horizontalAdvance(text) + 2 * PAD + 2
        width = min(MAX_ROW_LABEL_WIDTH, natural)
        bounds = QRect(0, 0, width - 2 * PAD, 100_000)
        height = metrics.boundingRect(bounds, self._flags(), text).height() + 2 * PAD
        return QSize(width, height)

    def _font(self, logical: int) -> QFont:
        font = QFont(self.font())
        selection = self.selectionModel()
        if selection is not None and selection.currentIndex().row() == logical:
            font.setBold(True)
        return font

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:  # noqa: N802
        if not rect.isValid():
            return
        opt = QStyleOptionHeader()
        self.initStyleOption(opt)
        opt.rect = rect
        opt.section = logical
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_HeaderSection, opt, painter, self)
        painter.restore()
        painter.save()
        painter.setFont(self._font(logical))
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        painter.drawText(rect.adjusted(PAD, 0, -PAD, 0), self._flags(), self._label(logical))
        painter.restore()


class GridView(QTableView):
    """The table of cells, with a spreadsheet's keys and the clipboard in Excel's format."""

    #: a sentence for the status bar (a paste refused, nothing to copy)
    message = Signal(str)
    #: settle a conflicted cell with a value: (cell, value)
    settle_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.delegate = GridDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setWordWrap(True)
        self.setTabKeyNavigation(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setCornerButtonEnabled(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        across = self.horizontalHeader()
        across.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        across.setMinimumSectionSize(MIN_COLUMN_WIDTH)
        across.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        down = RowLabels(self)
        self.setVerticalHeader(down)
        down.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        down.setMaximumWidth(MAX_ROW_LABEL_WIDTH)
        # Rows are as tall as their text at the columns' width: measured again when it changes.
        self._refit = QTimer(self, singleShot=True, interval=0)
        self._refit.timeout.connect(self.resizeRowsToContents)
        across.sectionResized.connect(lambda *_: self._refit.start())

    def grid_model(self) -> GridTableModel:
        model = self.model()
        assert isinstance(model, GridTableModel)
        return model

    def cell_name(self, index: AnyIndex) -> str:
        """ "Stage 2, Pupil B": a cell in words."""
        model = self.grid_model()
        row = model.headerData(index.row(), Qt.Orientation.Vertical)
        column = model.headerData(index.column(), Qt.Orientation.Horizontal)
        return f"{row}, {column}"

    # ------------------------------------------------------------------ moving

    def move_cursor_by(self, move: Move) -> None:
        """Move the current cell after an edit (wrapping at the ends of rows, like Tab)."""
        model = self.model()
        rows, columns = model.rowCount(), model.columnCount()
        current = self.currentIndex()
        if not current.isValid() or move in (Move.STAY, Move.CANCEL):
            return
        r, c = current.row(), current.column()
        if move is Move.DOWN:
            r = min(r + 1, rows - 1)
        elif move is Move.UP:
            r = max(r - 1, 0)
        elif move is Move.RIGHT:
            if c + 1 < columns:
                c += 1
            elif r + 1 < rows:
                r, c = r + 1, 0
        elif move is Move.LEFT:
            if c > 0:
                c -= 1
            elif r > 0:
                r, c = r - 1, columns - 1
        self.setCurrentIndex(model.index(r, c))

    def start_editing(self, text: str | None = None) -> bool:
        """Open the current cell's editor (with ``text`` replacing the cell's, when given)."""
        index = self.currentIndex()
        if not index.isValid() or not (self.model().flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        self.delegate.pending = text
        self.edit(index)
        self.delegate.pending = None
        return self.state() == QAbstractItemView.State.EditingState

    # ------------------------------------------------------------------ keys

    _OWN_KEYS = (
        QKeySequence.StandardKey.Copy,
        QKeySequence.StandardKey.Cut,
        QKeySequence.StandardKey.Paste,
        QKeySequence.StandardKey.Delete,
        QKeySequence.StandardKey.SelectAll,
    )

    def event(self, event: QEvent) -> bool:
        # Keys the grid uses are the grid's while it has focus, not the window's shortcuts
        # (Delete there deletes the whole record).
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self.state() != QAbstractItemView.State.EditingState and (
                any(event.matches(k) for k in self._OWN_KEYS)
                or event.key()
                in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_F2, Qt.Key.Key_Return)
            ):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.state() == QAbstractItemView.State.EditingState:
            super().keyPressEvent(event)
            return
        key = event.key()
        mods = event.modifiers()
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Cut):
            if self.copy_selection():
                self.clear_selection("cut")
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif key == Qt.Key.Key_Delete:
            self.clear_selection("clear")
        elif key == Qt.Key.Key_Backspace:
            self.start_editing("")
        elif key == Qt.Key.Key_F2:
            self.start_editing()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            up = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            self.move_cursor_by(Move.UP if up else Move.DOWN)
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self._leaves(event):
            forward = key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ShiftModifier
            # Out of the grid to the next control, so the keyboard is never trapped in it.
            self.setTabKeyNavigation(False)
            try:
                self.focusNextPrevChild(forward)
            finally:
                self.setTabKeyNavigation(True)
            event.accept()
        elif self._types_text(event):
            self.start_editing(event.text())
        else:
            super().keyPressEvent(event)

    def _leaves(self, event: QKeyEvent) -> bool:
        """Tab at the last cell, Shift+Tab at the first, or Ctrl with either: leave the grid."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return True
        model = self.model()
        current = self.currentIndex()
        if not current.isValid():
            return True
        backwards = event.key() == Qt.Key.Key_Backtab or bool(
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if backwards:
            return current.row() == 0 and current.column() == 0
        last = (model.rowCount() - 1, model.columnCount() - 1)
        return (current.row(), current.column()) == last

    @staticmethod
    def _types_text(event: QKeyEvent) -> bool:
        text = event.text()
        if not text or not text.isprintable():
            return False
        mods = event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        return ctrl == alt  # neither, or both (AltGr on Windows: €, é)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        if not self.currentIndex().isValid() and self.model() and self.model().rowCount():
            self.setCurrentIndex(self.model().index(0, 0))

    # ------------------------------------------------------------------ the selection as a block

    def selected_block(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) of the selected cells (or the current one), inclusive."""
        indexes = self.selectionModel().selectedIndexes() if self.selectionModel() else []
        if not indexes:
            current = self.currentIndex()
            if not current.isValid():
                return None
            indexes = [current]
        rows = [i.row() for i in indexes]
        columns = [i.column() for i in indexes]
        return min(rows), min(columns), max(rows), max(columns)

    def select_block(self, top: int, left: int, bottom: int, right: int) -> None:
        model = self.model()
        selection = QItemSelection(model.index(top, left), model.index(bottom, right))
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def copy_selection(self) -> bool:
        """Put the selected block on the clipboard as Excel does (tab-separated text and HTML)."""
        model = self.grid_model()
        block = self.selected_block()
        if block is None:
            return False
        if model.hidden:
            emit(self.message, "These cells are hidden in privacy mode; nothing was copied.")
            return False
        top, left, bottom, right = block
        rows = [
            [model.text(model.index(r, c)) for c in range(left, right + 1)]
            for r in range(top, bottom + 1)
        ]
        mime = QMimeData()
        mime.setText(format_tsv(rows))
        mime.setHtml(format_html(rows))
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def clear_selection(self, verb: str) -> bool:
        """Empty the selected cells (one undoable step)."""
        model = self.grid_model()
        block = self.selected_block()
        if block is None or not model.editable:
            return False
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        cells = {model.cell(i): None for i in indexes if model.text(i)}
        if not cells:
            return True
        return model.write(cells, f"{verb} {_plural(len(cells), 'cell')} of {model.label}")

    def paste(self, text: str | None = None) -> bool:
        """Paste a block of tab-separated text (the clipboard's, or ``text``) from the current
        cell, or one value into every selected cell; a block larger than the room left is
        refused, changing nothing."""
        model = self.grid_model()
        if not model.editable:
            emit(self.message, "This grid cannot be changed now; nothing was pasted.")
            return False
        if text is None:
            text = QGuiApplication.clipboard().text()
        block = parse_tsv(text)
        place = self.selected_block()
        if not block or place is None:
            return False
        top, left, bottom, right = place
        height, width = len(block), max(len(row) for row in block)
        cells: dict[Cell, str | None] = {}
        if height == 1 and width == 1 and (bottom > top or right > left):
            # One value into every selected cell, as Excel fills a selection.
            indexes = self.selectionModel().selectedIndexes()
            for index in indexes:
                cells[model.cell(index)] = block[0][0]
        else:
            room_down, room_across = model.rowCount() - top, model.columnCount() - left
            if height > room_down or width > room_across:
                emit(
                    self.message,
                    f"The copied block is {_plural(height, 'row')} by {_plural(width, 'column')},"
                    f" but from {self.cell_name(model.index(top, left))} the grid has room for "
                    f"{_plural(room_down, 'row')} by {_plural(room_across, 'column')}; nothing "
                    "was pasted.",
                )
                return False
            bottom, right = top + height - 1, left + width - 1
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    cells[model.cell(model.index(top + r, left + c))] = value
        label = f"paste {_plural(len(cells), 'cell')} into {model.label}"
        if not model.write(cells, label):
            return False
        self.select_block(top, left, bottom, right)
        return True

    # ------------------------------------------------------------------ the context menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            index = self.indexAt(event.pos())
            if index.isValid() and not self.selectionModel().isSelected(index):
                self.setCurrentIndex(index)
        index = self.currentIndex()
        if not index.isValid():
            return
        menu = self.context_menu(index)
        where = (
            event.globalPos()
            if event.reason() == QContextMenuEvent.Reason.Mouse
            else self.viewport().mapToGlobal(self.visualRect(index).center())
        )
        menu.exec(where)

    def context_menu(self, index: QModelIndex) -> QMenu:
        """Copy, cut, paste and clear; for a cell in conflict, keep one of its values."""
        model = self.grid_model()
        menu = QMenu(self)
        conflict: Conflict | None = model.conflict(index)
        if conflict is not None and model.editable:
            heading = menu.addAction("Laptops disagree about this cell:")
            heading.setEnabled(False)
            cell = model.cell(index)
            for value in conflict.values:
                action = menu.addAction(f"Keep {self._value_words(value)}")
                action.triggered.connect(
                    lambda _=False, v=value.value: emit(self.settle_requested, cell, v)
                )
            menu.addSeparator()
        for text, shortcut, slot, enabled in (
            ("Copy", QKeySequence.StandardKey.Copy, self.copy_selection, not model.hidden),
            (
                "Cut",
                QKeySequence.StandardKey.Cut,
                lambda: self.copy_selection() and self.clear_selection("cut"),
                model.editable,
            ),
            ("Paste", QKeySequence.StandardKey.Paste, self.paste, model.editable),
            ("Clear", QKeySequence("Del"), lambda: self.clear_selection("clear"), model.editable),
        ):
            action = QAction(text, menu)
            action.setShortcut(QKeySequence(shortcut))
            action.setEnabled(enabled)
            action.triggered.connect(lambda _=False, s=slot: s())
            menu.addAction(action)
        return menu

    def _value_words(self, value: ConflictValue) -> str:
        shown = "" if value.value is None else str(value.value).replace("\n", " ")
        words = f"“{shown[:50]}{'…' if len(shown) > 50 else ''}”" if shown.strip() else "it empty"
        return f"{words} ({self.grid_model().who(value)})"
