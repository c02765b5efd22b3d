"""Observing a research lesson: the grid of stages and case pupils with the predictions greyed and
every observer's notes in time order (one timeline per cell, whichever laptop wrote them), a note
box for the chosen cell, and observation mode for a teacher at the back of the classroom."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peerreview.lessonstudy import cycles as cy
from peerreview.lessonstudy import grid as lg
from peerreview.reports.model import clock_time
from peerreview.sync.records import Record
from ui.lessonstudy.context import CycleContext, card, label
from ui.lessonstudy.observation_mode import ObservationMode
from ui.shell.signals import emit

Index = QModelIndex | QPersistentModelIndex
#: The text of a cell: the prediction (greyed) and each note (for tests and screen readers).
NOTES_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class CellNotes:
    """What one cell shows: the prediction and the notes, time-stamped and named."""

    prediction: str
    notes: tuple[tuple[str, str, str, str], ...]  # (time, observer, type label, text)

    def lines(self) -> list[str]:
        out = []
        for time, who, kind, text in self.notes:
            shown = f"“{text}”" if kind == cy.NoteType.QUOTE.label else text
            extra = f" ({kind.lower()})" if kind != cy.NoteType.NOTE.label else ""
            out.append(f"{time} {who}{extra}: {shown}")
        return out


def read_cells(
    ctx: CycleContext,
) -> tuple[list[Record], list[Record], dict[tuple[str, str], CellNotes]]:
    """Stages, case pupils and every cell of the current lesson, read once."""
    lesson = ctx.lesson()
    if lesson is None:
        return [], [], {}
    stages, pupils = ctx.stages(), ctx.pupils()
    predictions = lg.texts(ctx.store, lesson, lg.PREDICTIONS)
    timeline = cy.timeline(ctx.store, lesson.id)
    numbers: dict[str, int] = {}
    cells: dict[tuple[str, str], CellNotes] = {}
    for stage in stages:
        for pupil in pupils:
            notes = tuple(
                (
                    clock_time(n.get("time", "")),
                    ctx.observer_name(n, numbers),
                    cy.note_type_label(n),
                    n.get("note", ""),
                )
                for n in timeline.get((stage.id, pupil.id), [])
            )
            cells[(stage.id, pupil.id)] = CellNotes(
                predictions.get((stage.id, pupil.id), ""), notes
            )
    return stages, pupils, cells


class Drafts:
    """Notes typed but not yet added, kept on this laptop (never in a bundle), so that closing the
    window, a crash or a flat battery at the back of a classroom loses none of them."""

    def __init__(self, ctx: CycleContext) -> None:
        self.ctx = ctx

    def _key(self, stage: str, pupil: str) -> str | None:
        lesson = self.ctx.lesson_id
        return f"lessonstudy-draft:{lesson}:{stage}:{pupil}" if lesson else None

    def get(self, stage: str, pupil: str) -> str:
        key = self._key(stage, pupil)
        return (self.ctx.store.local_value(key) or "") if key else ""

    def put(self, stage: str, pupil: str, text: str) -> None:
        key = self._key(stage, pupil)
        if key is not None and self.get(stage, pupil) != text:
            self.ctx.store.set_local_value(key, text)


def stage_title(stage: Record, number: int) -> str:
    title = stage.get("title") or f"Stage {number}"
    return f"{number}. {title}" + (f" ({stage['timing']})" if stage.get("timing") else "")


class ObservationGridModel(QAbstractTableModel):
    """Stages down, case pupils across; each cell the prediction and the notes (read-only: notes
    are added with the note box, each a record of its own)."""

    def __init__(self, ctx: CycleContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stages: list[Record] = []
        self.pupils: list[Record] = []
        self.cells: dict[tuple[str, str], CellNotes] = {}
        self.real: dict[str, str] = {}
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.stages, self.pupils, self.cells = read_cells(self.ctx)
        self.real = self.ctx.real_names()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.stages)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.pupils)

    def cell(self, index: Index) -> CellNotes:
        stage, pupil = self.stages[index.row()], self.pupils[index.column()]
        return self.cells.get((stage.id, pupil.id), CellNotes("", ()))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.hasIndex(index.row(), index.column()):
            return None
        cell = self.cell(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            parts = [f"Predicted: {cell.prediction}" if cell.prediction else "No prediction"]
            parts += cell.lines() or ["No notes yet"]
            return "\n".join(parts)
        if role == NOTES_ROLE:
            return cell
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(cell.lines()) or "No notes yet: Ctrl+E starts one"
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.pupils):
                return self.ctx.pupil_label(self.pupils[section], self.real)
            return None
        if 0 <= section < len(self.stages):
            stage = self.stages[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return stage.get("activity", "")
            return stage_title(stage, section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def cell_html(cell: CellNotes, muted: str) -> str:
    """A cell as rich text: the prediction greyed and italic, then the notes (all escaped)."""
    parts = []
    if cell.prediction:
        parts.append(
            f'<p style="color:{muted}; font-style:italic; margin:0 0 4px 0;">'
            f"Predicted: {html.escape(cell.prediction)}</p>"
        )
    for time, who, kind, text in cell.notes:
        shown = f"“{text}”" if kind == cy.NoteType.QUOTE.label else text
        extra = f" ({kind.lower()})" if kind != cy.NoteType.NOTE.label else ""
        parts.append(
            f'<p style="margin:0 0 3px 0;"><b>{html.escape(time)}</b> '
            f'<span style="color:{muted};">{html.escape(who)}{html.escape(extra)}</span> '
            f"{html.escape(shown)}</p>"
        )
    if not cell.notes:
        parts.append(f'<p style="color:{muted}; margin:0;">—</p>')
    return "".join(parts)


class CellDelegate(QStyledItemDelegate):
    """Draws a cell's prediction greyed above its notes, as tall as it needs."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        cell = index.data(NOTES_ROLE)
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        muted = option.palette.color(role).name()
        doc.setHtml(cell_html(cell, muted) if isinstance(cell, CellNotes) else "")
        doc.setTextWidth(max(40, option.rect.width() - 8))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index)
        painter.save()
        painter.translate(option.rect.left() + 4, option.rect.top() + 3)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(
                QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.HighlightedText)
            )
        painter.setClipRect(QRectF(0, 0, option.rect.width() - 4, option.rect.height() - 3))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        view = option.widget
        width = 220
        if isinstance(view, QTableView):
            width = view.columnWidth(index.column())
        opt = QStyleOptionViewItem(option)
        opt.rect.setWidth(width)
        doc = self._document(opt, index)
        return QSize(width, min(int(doc.size().height()) + 8, 420))


class ObservationGrid(QTableView):
    """The grid of notes; photos dropped on a cell are added to it."""

    #: a file was dropped on a cell: (row, column, path)
    dropped = Signal(int, int, str)

    def __init__(self, model: ObservationGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(CellDelegate(self))
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Rows are fitted to their cells once the columns have their widths (see _fit_rows):
        # the header's own fitting measures the cells before the columns are stretched.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.verticalHeader().setMaximumWidth(190)
        self.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        )
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setAccessibleName("Predicted and observed, stage by stage and pupil by pupil")
        model.modelReset.connect(self._fit_rows_later)
        self.horizontalHeader().sectionResized.connect(lambda *_: self._fit_rows_later())

    def _fit_rows_later(self) -> None:
        QTimer.singleShot(0, self._fit_rows)

    def _fit_rows(self) -> None:
        for row in range(self.model().rowCount()):
            self.setRowHeight(row, max(self.sizeHintForRow(row), 40))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_rows_later()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        index = self.indexAt(event.position().toPoint())
        if not index.isValid():
            index = self.currentIndex()
        for url in event.mimeData().urls():
            if url.isLocalFile() and index.isValid():
                emit(self.dropped, index.row(), index.column(), url.toLocalFile())
        event.acceptProposedAction()


class ObserveTab(QWidget):
    """The observers' view of a research lesson, and observation mode (F11)."""

    #: observation mode was switched on or off (the window may hide its navigator)
    observation_mode_changed = Signal(bool)

    def __init__(
        self,
        ctx: CycleContext,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.clock = clock
        self.model = ObservationGridModel(ctx, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        top = QHBoxLayout()
        top.addWidget(label("Observing as", "muted"))
        self.observer = QComboBox()
        self.observer.setAccessibleName("Observing as")
        top.addWidget(self.observer)
        top.addStretch(1)
        self.mode_button = QPushButton("Observation mode (F11)")
        self.mode_button.setCheckable(True)
        self.mode_button.setProperty("primary", True)
        self.mode_button.toggled.connect(self.set_observation_mode)
        top.addWidget(self.mode_button)
        layout.addLayout(top)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)

        # The grid, with the note box for the chosen cell below it.
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.grid = ObservationGrid(self.model)
        self.grid.dropped.connect(self._dropped_on_cell)
        self.grid.selectionModel().currentChanged.connect(lambda *_: self._show_cell())
        column.addWidget(self.grid, 1)
        frame, box = card()
        self.cell_title = label("", "cardTitle")
        box.addWidget(self.cell_title)
        entry = QHBoxLayout()
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(70)
        self.note.setPlaceholderText(
            "What the pupil did or said. Ctrl+Enter adds the note, Ctrl+Shift+Enter as a quote."
        )
        self.note.setAccessibleName("Note on the chosen case pupil at the chosen stage")
        entry.addWidget(self.note, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton("Add &note")
        self.add_button.setToolTip("Ctrl+Enter")
        self.add_button.clicked.connect(lambda: self.add_note())
        self.quote_button = QPushButton("Add as &quote")
        self.quote_button.setToolTip("Ctrl+Shift+Enter")
        self.quote_button.clicked.connect(lambda: self.add_note(quote=True))
        self.photo_button = QPushButton("Add ph&oto…")
        self.photo_button.setToolTip("Or drag a photo of the pupil's work onto the cell")
        self.photo_button.clicked.connect(self.choose_photo)
        for b in (self.add_button, self.quote_button, self.photo_button):
            buttons.addWidget(b)
        entry.addLayout(buttons)
        box.addLayout(entry)
        column.addWidget(frame)
        self.stack.addWidget(page)

        self.drafts = Drafts(ctx)
        self._cell: tuple[str, str] | None = None  # the cell the note box is writing about
        self._draft_timer = QTimer(self, singleShot=True, interval=700)
        self._draft_timer.timeout.connect(self._save_draft)
        self.note.textChanged.connect(self._draft_timer.start)
        self.mode = ObservationMode(ctx, self.add_note_to, self.add_photo_to, self.drafts)
        self.stack.addWidget(self.mode)

        for keys, action in (
            ("Ctrl+Return", lambda: self._add_from_keys(False)),
            ("Ctrl+Enter", lambda: self._add_from_keys(False)),
            ("Ctrl+Shift+Return", lambda: self._add_from_keys(True)),
            ("Ctrl+Shift+Enter", lambda: self._add_from_keys(True)),
            ("Ctrl+E", self.start_note),
            ("F11", lambda: self.mode_button.toggle()),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        ctx.lesson_changed.connect(lambda _l: self._lesson_changed())
        ctx.session.record_changed.connect(self._changed)
        ctx.session.records_reset.connect(self.reload)
        ctx.session.flush_requested.connect(self.save)
        self._fill_observers()
        self.reload()

    # ------------------------------------------------------------------ reading

    def _fill_observers(self) -> None:
        self.observer.clear()
        team = self.ctx.team()
        mine = cy.observer_for(self.ctx.store, self.ctx.cycle_id, self.ctx.store.device.author)
        for member in team:
            self.observer.addItem(self.ctx.member_name(member), member.id)
        self.observer.addItem(
            "Someone else (this laptop's user)" if not self.ctx.hide_names else "Observer", None
        )
        if mine is not None:
            self.observer.setCurrentIndex(self.observer.findData(mine.id))
        else:
            self.observer.setCurrentIndex(self.observer.count() - 1)

    def _lesson_changed(self) -> None:
        self._cell = None  # the drafts were saved under the lesson before (see save)
        self.mode.forget_drafts()
        self.reload()

    def reload(self) -> None:
        current = self.grid.currentIndex()
        where = (current.row(), current.column()) if current.isValid() else (0, 0)
        self.model.reload()
        if self.model.rowCount() and self.model.columnCount():
            row = min(where[0], self.model.rowCount() - 1)
            col = min(where[1], self.model.columnCount() - 1)
            self.grid.setCurrentIndex(self.model.index(row, col))
        self.grid._fit_rows()
        self._show_cell()
        self.mode.reload()

    def _changed(self, _record: str, kind: str) -> None:
        if kind in ("observation", "lesson_stage", "case_pupil", "research_lesson", "attachment"):
            self.reload()
        elif kind == "cycle_member":
            self._fill_observers()

    def _show_cell(self) -> None:
        index = self.grid.currentIndex()
        enabled = index.isValid()
        for w in (self.note, self.add_button, self.quote_button, self.photo_button):
            w.setEnabled(enabled and not self.ctx.session.busy)
        if not enabled:
            self.cell_title.setText("Add the stages and case pupils to observe.")
            return
        stage, pupil = self.model.stages[index.row()], self.model.pupils[index.column()]
        if self._cell != (stage.id, pupil.id):
            self._save_draft()
            self._cell = (stage.id, pupil.id)
            was = self.note.blockSignals(True)
            self.note.setPlainText(self.drafts.get(stage.id, pupil.id))
            self.note.blockSignals(was)
        self.cell_title.setText(
            f"{self.ctx.pupil_label(pupil, self.model.real)} · "
            f"{stage_title(stage, index.row() + 1)}"
        )

    # ------------------------------------------------------------------ writing

    def start_note(self) -> None:
        """Ctrl+E: a note on the chosen cell (in observation mode, the first pupil's box)."""
        if self.mode_button.isChecked():
            self.mode.focus_pupil(0)
            return
        if not self.grid.currentIndex().isValid() and self.model.rowCount():
            self.grid.setCurrentIndex(self.model.index(0, 0))
        self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _add_from_keys(self, quote: bool) -> None:
        if self.mode_button.isChecked():
            self.mode.add_from_focus(quote)
        else:
            self.add_note(quote=quote)

    def add_note(self, *, quote: bool = False) -> str | None:
        """Add what is in the note box to the chosen cell, time-stamped and named."""
        index = self.grid.currentIndex()
        text = self.note.toPlainText().strip()
        if not index.isValid() or not text:
            return None
        stage, pupil = self.model.stages[index.row()], self.model.pupils[index.column()]
        made = self.add_note_to(stage.id, pupil.id, text, quote=quote)
        if made:
            self._draft_timer.stop()
            self.note.clear()
            self.drafts.put(stage.id, pupil.id, "")
        return made

    def add_note_to(self, stage: str, pupil: str, text: str, *, quote: bool = False) -> str | None:
        lesson = self.ctx.lesson_id
        if lesson is None:
            return None
        observer = self.observer.currentData()
        session = self.ctx.session
        kind = cy.NoteType.QUOTE if quote else cy.NoteType.NOTE
        made = session.create_with(
            lambda: cy.add_note(
                session.store,
                lesson,
                stage,
                pupil,
                text,
                observer=observer,
                note_type=kind,
                at=self.clock(),
            ),
            "observation",
            "observation note",
        )
        if made:
            emit(session.message, f"✓ {kind.label} added at {self.clock():%H:%M}.")
        return made

    def add_photo_to(self, stage: str, pupil: str, path: Path) -> str | None:
        """Add a photo of the pupil's work (refused, with one sentence, if it is not one)."""
        lesson = self.ctx.lesson_id
        if lesson is None:
            return None
        try:
            data = path.read_bytes()
        except OSError as exc:
            emit(self.ctx.session.message, f"Could not read {path.name} ({exc.strerror}).")
            return None
        observer = self.observer.currentData()
        session = self.ctx.session
        # add_photo refuses a file that is not a photo; create_with says so on the status bar.
        return session.create_with(
            lambda: cy.add_photo(
                session.store,
                lesson,
                stage,
                pupil,
                data,
                path.name,
                observer=observer,
                at=self.clock(),
            ),
            "observation",
            "photo",
        )

    def _dropped_on_cell(self, row: int, column: int, path: str) -> None:
        stage, pupil = self.model.stages[row], self.model.pupils[column]
        self.add_photo_to(stage.id, pupil.id, Path(path))

    def choose_photo(self) -> None:
        index = self.grid.currentIndex()
        if not index.isValid():
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "Add a photo of the pupil's work",
            str(Path.home()),
            "Photos (*.jpg *.jpeg *.png *.heic *.gif *.webp);;All files (*)",
        )
        if chosen:
            self._dropped_on_cell(index.row(), index.column(), chosen)

    # ------------------------------------------------------------------ observation mode

    def set_observation_mode(self, on: bool) -> None:
        """Large text, one stage at a time, the case pupils side by side."""
        self.stack.setCurrentIndex(1 if on else 0)
        self.mode_button.setText("Leave observation mode (F11)" if on else "Observation mode (F11)")
        if on:
            index = self.grid.currentIndex()
            self.mode.show_stage(index.row() if index.isValid() else 0)
            self.mode.focus_pupil(index.column() if index.isValid() else 0)
        emit(self.observation_mode_changed, on)

    @property
    def observation_mode(self) -> bool:
        return self.mode_button.isChecked()

    def _save_draft(self) -> None:
        self._draft_timer.stop()
        if self._cell is not None:
            self.drafts.put(*self._cell, self.note.toPlainText())

    def save(self) -> None:
        """Notes are saved as they are added; what is typed but not added is kept as a draft."""
        self._save_draft()
        self.mode.save_drafts()
