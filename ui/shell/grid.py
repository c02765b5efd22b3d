"""The grid editor: one grid of one record, filled like a spreadsheet and saved through the session.

Every edit, clear or paste is one undoable step; the grid follows the store (another window's edit,
an import, a case pupil added); a cell two laptops filled differently is marked on the cell, named
in its tooltip and settled from its context menu (or by typing the agreed text). The record editor
builds one for each grid field of a form (``grid_binding``); a feature's own workspace can build one
directly, with read-only "other" texts beside the cells (the predictions beside an observation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.form_grids import grid_layout, grid_name, watched_kinds
from peerreview.forms import Field, FormDefinition
from peerreview.sync.grids import Cell, Grid, GridLayout, cell_field, cell_values, read_grid
from peerreview.sync.records import ConflictValue, Record
from ui.shell.binding import Binding
from ui.shell.grid_model import GridTableModel
from ui.shell.grid_view import HELP, GridView
from ui.shell.privacy import HIDDEN
from ui.shell.session import Session
from ui.shell.signals import emit


class GridEditor(QWidget):
    """One grid of one record, edited through the session: each edit, clear or paste one undoable
    step; the grid follows the store (another window's edit, an import, a pupil added)."""

    def __init__(
        self,
        session: Session,
        record_id: str,
        layout: Callable[[], GridLayout],
        *,
        label: str,
        watch_kinds: Iterable[str] = (),
        other: Callable[[], Mapping[Cell, str]] | None = None,
        other_label: str = "",
        other_records: Iterable[str] = (),
        hidden: bool = False,
        empty_text: str = "",
        show_help: bool = True,
        fit_to_contents: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """
        Args:
            session: the open database.
            record_id: the record holding the grid.
            layout: the grid's rows and columns now (asked again when they may have changed).
            label: the grid's name, for undo steps and the accessible name.
            watch_kinds: kinds whose edits can change the rows or columns (stages, case pupils).
            other: read-only texts shown greyed in the cells (the predictions beside an
                observation), asked again when a record of ``other_records`` changes.
            other_label: what the other texts are ("Predicted").
            hidden: privacy mode hides the cells.
            empty_text: what to say when the grid has no rows or no columns yet.
            show_help: show the keys under the grid.
            fit_to_contents: as tall as all its rows (inside a scrolling form) rather than
                scrolling itself.
        """
        super().__init__(parent)
        self.session = session
        self.record_id = record_id
        self._layout = layout
        self.label = label
        self._watch = frozenset(watch_kinds)
        self._other = other
        self._other_records = frozenset(other_records)
        self.empty_text = empty_text or f"{label} has no rows or no columns yet."

        layout_box = QVBoxLayout(self)
        layout_box.setContentsMargins(0, 0, 0, 0)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setProperty("role", "help")
        self.problem.hide()
        layout_box.addWidget(self.problem)
        self.view = GridView()
        self.view.setAccessibleName(label)
        if fit_to_contents:
            self.view.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
            self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout_box.addWidget(self.view, 1)
        self.help = QLabel(HELP)
        self.help.setWordWrap(True)
        self.help.setProperty("role", "help")
        self.help.setVisible(show_help)
        layout_box.addWidget(self.help)

        self.model = GridTableModel(
            self._read(),
            write=self._write,
            label=label,
            other=self._read_other(),
            other_label=other_label,
            hidden=hidden,
            who=self._who,
            parent=self,
        )
        self.view.setModel(self.model)
        self._show_problem()
        self.view.message.connect(lambda text: emit(session.message, text))
        self.view.settle_requested.connect(self.settle)
        session.record_changed.connect(self._record_changed)
        session.records_reset.connect(self.reload)
        session.flush_requested.connect(self.save_pending)
        session.busy_changed.connect(self._busy_changed)
        self._busy_changed(session.busy)

    # ------------------------------------------------------------------ reading

    def _read(self) -> Grid:
        self._problem = ""
        try:
            layout = self._layout()
            return read_grid(self.session.store, self.record_id, layout)
        except PeerReviewError as exc:
            self._problem = exc.message
            return Grid(self.record_id, GridLayout("unavailable", (), ()))

    def _read_other(self) -> Mapping[Cell, str]:
        if self._other is None:
            return {}
        try:
            return self._other()
        except PeerReviewError:
            return {}

    def _show_problem(self) -> None:
        grid = self.model.grid
        empty = not grid.rows or not grid.columns
        text = self._problem or (self.empty_text if empty else "")
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.view.setVisible(not empty)

    def reload(self) -> None:
        """Show the store's grid now, keeping the current cell (by its row and column ids)."""
        model = self.model
        current = self.view.currentIndex()
        keep = model.cell(current) if current.isValid() else None
        before = (tuple(r.id for r in model.grid.rows), tuple(c.id for c in model.grid.columns))
        model.set_grid(self._read())
        model.set_other(self._read_other())
        after = (tuple(r.id for r in model.grid.rows), tuple(c.id for c in model.grid.columns))
        if before != after and keep is not None:
            place = model.position(keep)
            if place is not None:
                self.view.setCurrentIndex(model.index(*place))
        self._show_problem()

    def _record_changed(self, record_id: str, kind: str) -> None:
        if record_id == self.record_id or record_id in self._other_records or kind in self._watch:
            self.reload()

    def _busy_changed(self, busy: bool) -> None:
        self.set_read_only(busy)

    def save_pending(self) -> None:
        """Write what is being typed in a cell now (before undo, a job, closing)."""
        self.view.delegate.save_open()

    def set_read_only(self, read_only: bool) -> None:
        if read_only:
            self.view.delegate.close_open()  # saved first, unless the session refuses it now
        self.model.set_read_only(read_only)

    # ------------------------------------------------------------------ writing

    def _write(self, cells: Mapping[Cell, str | None], label: str) -> bool:
        try:
            values = cell_values(self.model.grid.name, cells)
        except PeerReviewError as exc:
            emit(self.session.message, exc.message)
            return False
        return self.session.set_fields(self.record_id, values, label, text=label)

    def settle(self, cell: Cell, value: Any) -> None:
        """Settle a conflicted cell with one of its values (as the conflict review does)."""
        try:
            self.session.resolve(self.record_id, cell_field(self.model.grid.name, *cell), value)
        except PeerReviewError as exc:
            emit(self.session.message, exc.message)

    def _who(self, value: ConflictValue) -> str:
        privacy = self.session.privacy
        this = value.device_id == self.session.store.device.id
        return f"{privacy.author(value.author)} on {privacy.device(value.device_name, this)}"


class GridBinding(Binding[GridEditor]):
    """A grid field of a form in the record editor. The grid writes each edit itself, one cell or
    one pasted block at a time (through the session, each an undoable step), and marks conflicts
    on their cells; so the binding has no value of its own to save or to mark."""

    debounced = False

    @property
    def editor(self) -> GridEditor:
        return self.widget

    def _connect(self) -> None:
        pass  # the grid saves its own edits

    def value(self) -> Any:
        return None

    def _show(self, value: Any) -> None:
        pass

    def load(self, record: Record | None = None) -> None:
        self._update_editable()  # cells are read and marked by the grid itself

    def save(self) -> None:
        pass

    def focus_widget(self) -> QWidget:
        return self.widget.view

    def _hide(self) -> None:
        self.widget.view.setToolTip(HIDDEN)

    def _set_editable(self, editable: bool) -> None:
        self.widget.set_read_only(not editable)


def grid_binding(
    session: Session, record: Record, form: FormDefinition, field: Field
) -> GridBinding:
    """The binding of a form's grid field on ``record`` (rows and columns looked up as it shows)."""
    store = session.store
    name = grid_name(form, field)
    hidden = session.hides(record.kind, name, field.personal)

    def layout() -> GridLayout:
        return grid_layout(store, record.id, form, field, hide_names=session.privacy.enabled)

    editor = GridEditor(
        session,
        record.id,
        layout,
        label=field.label,
        watch_kinds=watched_kinds(field),
        hidden=hidden,
        fit_to_contents=True,
    )
    return GridBinding(
        session,
        editor,
        name,
        record=record,
        label=field.label,
        kind=record.kind,
        personal=field.personal,
    )
