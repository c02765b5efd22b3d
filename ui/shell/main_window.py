"""The main window: the navigator on the left, the selected record on the right, a status bar.

It wires actions to the session (edits), the job runner (imports, exports) and dialogs. Opening
another database is the launcher's business: the window only asks for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Qt's namespace is reached through QtCore when used: naming it at import builds all its enums
# (15 ms) before a window painted from its start note has painted.
from PySide6 import QtCore
from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeView,
    QWidget,
)

from peerreview import __version__
from peerreview.errors import PeerReviewError
from ui.shell.formatting import count
from ui.shell.icons import icon
from ui.shell.roles import FOLDER, MEMBER, RECORD, TOP
from ui.shell.settings import AppSettings
from ui.shell.signals import emit
from ui.shell.start_cache import StartCache, StartFrame, StartPage
from ui.shell.steps import after_first_paint, cancel_first_paint_work
from ui.shell.theme import DARK

if TYPE_CHECKING:
    from PySide6.QtCore import QItemSelection, QUrl
    from PySide6.QtGui import (
        QAction,
        QCloseEvent,
        QDragEnterEvent,
        QDropEvent,
        QKeyEvent,
        QShowEvent,
    )

    from peerreview.errors import BundleError
    from peerreview.sync.bundle import ExportResult, ImportReport
    from peerreview.sync.cascade import RecordRef
    from peerreview.sync.records import Record
    from peerreview.sync.registry import Registry
    from ui.shell.conflicts import ConflictReviewDialog
    from ui.shell.navigator import Node
    from ui.shell.registry import UIRegistry
    from ui.shell.search import SearchDialog
    from ui.shell.session import Session

# Dialogs and the core's bundle and GIAS modules are imported when first used, and the store, the
# core's kinds and the job runner only once the window goes live: a window painted from its start
# cache (ui/shell/start_cache.py) needs none of them.

BUNDLE_SUFFIX = ".prbundle"  # peerreview.sync.bundle.SUFFIX, without importing the module at start

log = logging.getLogger(__name__)


def _bundle_paths(urls: Iterable[QUrl]) -> list[Path]:
    return [
        Path(u.toLocalFile())
        for u in urls
        if u.isLocalFile() and u.toLocalFile().lower().endswith(BUNDLE_SUFFIX)
    ]


def _what_goes_with(registry: Registry, owned: Sequence[RecordRef]) -> str:
    """ " Its 5 people and 2 group memberships will be deleted with it." (or nothing)."""
    by_kind: dict[str, int] = {}
    for _id, kind in owned:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    if not by_kind:
        return ""
    parts = [
        count(n, registry.label(kind), registry.label(kind, plural=True))
        for kind, n in by_kind.items()
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f" Its {listed} will be deleted with it."


class MainWindow(QMainWindow):
    """One open database."""

    #: File → Open… or a recent database was chosen (None: ask for a file)
    open_database_requested = Signal(object)
    #: File → New database…
    new_database_requested = Signal()
    #: the window closed (the launcher releases the database)
    closed = Signal()
    #: the window painted from its start note now shows the open database
    went_live = Signal()

    #: the window's commands by name (``window.actions["delete"]``). The name hides Qt's
    #: ``QWidget.actions()``, which nothing calls on this window; it stays because the tests, the
    #: scripts and the features' helpers all reach the commands by it.
    actions: dict[str, QAction]  # type: ignore[assignment]

    def __init__(
        self,
        session: Session | None,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        features: UIRegistry | None = None,
        start: StartCache | None = None,
    ):
        """A window on ``session``; or, with no session yet, painted from ``start`` (the last
        session's note, ui/shell/start_cache.py) until ``go_live`` gives it the open database."""
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self._search: SearchDialog | None = None
        self._last_summary: QWidget | None = None
        self._import_paths: list[Path] = []
        #: bundles done before asking for a passphrase
        self._pending_results: list[ImportReport | BundleError] = []
        self._remembered: str | None = None
        self._fit_navigator = False  # no remembered splitter: size it when the window shows
        self._frozen = False  # what its start made is out of Python's collections

        self.tree = QTreeView()
        self.tree.setObjectName("navigator")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName("Navigator")
        self.tree.setAccessibleDescription("The partnership's groups, schools and their records")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree)
        #: the content painted from the start note, until the window goes live
        self.start_frame: StartFrame | None = None
        self.closing_note: StartCache | None = None
        if session is None:
            if start is None:
                raise ValueError("a window with no database yet is painted from a start note")
            self.start_frame = StartFrame(self, self.tree, start)
            self._frame_splitter(self.start_frame.page)
            self._restore_layout()
            return
        self.go_live(session, features)

    @property
    def live(self) -> bool:
        """The window shows the open database (not the start note) and takes input."""
        return self.start_frame is None and hasattr(self, "session")

    def _frame_splitter(self, detail: QWidget) -> None:
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

    def go_live(self, session: Session, features: UIRegistry | None = None) -> None:
        """Show the open database: the real menus, rows and page, in one turn of the event loop
        (so nothing half-replaced is ever painted); a window painted from its start note then
        takes input."""
        from ui.shell.actions import SPECS, build_actions, build_menus
        from ui.shell.detail import DetailPane
        from ui.shell.navigator import NavigatorModel
        from ui.shell.status import StatusPanel
        from ui.shell.worker import JobRunner

        frame = self.start_frame
        self.session = session
        if features is None:
            from ui.features import default_ui_registry

            features = default_ui_registry(session.store.registry)
        #: what the features show in this window (the core's kinds are ``session.store.registry``)
        self.features = features
        self.jobs = JobRunner(self, session)

        if frame is not None:
            self.menuBar().clear()  # the noted menus' names: the real menus take their places
        specs = [*SPECS, *(a.spec for a in features.actions())]
        self.actions = build_actions(self, self._handlers(), specs)
        self.recent_menu = QMenu(self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        build_menus(self.menuBar(), self.actions, self.recent_menu, features.menus())

        self.model = NavigatorModel(session, features, self)
        self.tree.setModel(self.model)
        self.tree.addAction(self.actions["delete"])  # Del works while the navigator has focus
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree.expanded.connect(self._expanded)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)

        self.detail = DetailPane(self, self.actions, features)
        self.detail.setObjectName("detailPane")
        self.detail.review_conflicts_requested.connect(
            lambda: self.review_conflicts(self.detail.record.id if self.detail.record else None)
        )
        if frame is None:
            self._frame_splitter(self.detail)
        else:
            # Built out of sight; it takes the noted page's place once it shows the page in full.
            self.detail.setParent(self)
            self.detail.hide()
        self.setTabOrder(self.tree, self.detail)

        self.status = StatusPanel(session, self.statusBar(), self.actions["privacy"])
        self.status.conflicts_clicked.connect(lambda: self.review_conflicts())
        self.status.unexported_clicked.connect(self.export_bundle)

        session.undo_stack.canUndoChanged.connect(self._update_undo)
        session.undo_stack.canRedoChanged.connect(self._update_undo)
        session.undo_stack.indexChanged.connect(self._update_undo)
        session.pending_changed.connect(self._update_undo)
        session.busy_changed.connect(self._busy_changed)
        session.record_changed.connect(self._title_changed)
        session.records_reset.connect(self._update_title)  # joined: the partnership's name
        session.privacy.changed.connect(self.actions["privacy"].setChecked)
        session.privacy.changed.connect(lambda _on: self._update_title())
        self.actions["privacy"].setChecked(session.privacy.enabled)
        self._update_undo()
        self._update_title()
        if frame is None:
            self._restore_layout()
        self.tree.expand(self.model.index(0, 0))
        # The partnership's editor comes just after the window first paints (not before).
        self.detail.hold()
        self.tree.setCurrentIndex(self.model.index(0, 0))
        if frame is not None:
            self.start_frame = None
            frame.finish(self)
        after_first_paint(self.tree.viewport(), lambda: self._release_detail(frame))
        after_first_paint(self.tree.viewport(), lambda: self.sync_now(on_start=True))
        # So that the first search is as quick as the rest, in small steps once the window shows;
        # then what the start made is left out of Python's full collections.
        after_first_paint(
            self.tree.viewport(),
            lambda: session.steps.add(
                session.searcher,
                session.searcher.prepare_steps(),
                on_done=lambda: session.steps.add(self, self._leave_out_of_collections),
            ),
        )
        emit(self.went_live)

    def _leave_out_of_collections(self) -> None:
        from ui.shell.worker import leave_out_of_collections

        if not self._frozen:
            self._frozen = True
            leave_out_of_collections()

    def _release_detail(self, frame: StartFrame | None) -> None:
        """Show the page in full; after a start from the note, in the noted page's place."""
        self.detail.release()
        if frame is not None:
            sizes = self.splitter.sizes()
            self.splitter.replaceWidget(1, self.detail)
            self.detail.show()  # before the sizes: a hidden widget is given none
            self.splitter.setSizes(sizes)  # the same place and size (it shares out afresh)
            frame.drop_page()

    def start_note(self) -> StartCache | None:
        """What the next start paints first (None when nothing should be noted: privacy mode).

        The start shows the partnership and its folders, and the partnership's page: noted as
        the start will show them, whatever is open now.
        """
        if not self.live or self.session.privacy.enabled:
            return None
        from ui.shell.start_cache import StartRow

        model = self.model
        top = model.index(0, 0)
        rows: list[StartRow] = []
        for index, depth in [(top, 0)] + [
            (model.index(r, 0, top), 1) for r in range(model.rowCount(top))
        ]:
            node = model.node_at(index)
            if node is None:
                continue
            font = model.data(index, QtCore.Qt.ItemDataRole.FontRole)
            rows.append(
                StartRow(
                    text=str(model.data(index)),
                    depth=depth,
                    icon=str(model.icon_source(node)),
                    bold=bool(font is not None and font.bold()),
                    greyed=node.closed,
                    children=model.hasChildren(index),
                    expanded=depth == 0,
                )
            )
        store = self.session.store
        pid = store.partnership_id
        record = store.get(pid) if pid and store.exists(pid) else None
        page: StartPage | None = None  # with a conflict banner: the page comes with the database
        if record is None or not record.conflicts:
            page = self._start_page(record)
        return StartCache(
            database="",
            window_title=self.windowTitle(),
            menus=[a.text() for a in self.menuBar().actions() if a.menu() is not None],
            rows=rows,
            page=page,
            status_height=self.statusBar().height(),
            dark=bool(app.property(DARK)) if (app := QApplication.instance()) else False,
        )

    def _start_page(self, record: Record | None) -> StartPage:
        """The partnership's page as the next start will show it (``record``: the partnership)."""
        import datetime as dt

        from ui.shell.detail import page_heading, page_summary
        from ui.shell.start_cache import StartButton

        summaries = [summarise(self.session) for summarise in self.features.summaries()]
        title, subtitle = page_heading(self.session, record)
        page = StartPage(
            title=title,
            subtitle=subtitle,
            summary=page_summary(summaries),
            buttons=[
                StartButton(self.actions[b].text())
                for s in summaries
                for b in s.buttons
                if b in self.actions
            ],
            day=dt.date.today().isoformat(),
        )
        for make in self.features.start_widgets():
            for widget in make(self):
                if isinstance(widget, QPushButton):  # today's visit; not lists of actions
                    page.today.append(
                        StartButton(widget.text(), widget.objectName(), widget.styleSheet())
                    )
                widget.deleteLater()
        return page

    # ================================================================== wiring

    def _handlers(self) -> dict[str, Callable[..., object]]:
        features = {a.spec.name: (lambda run=a.run: run(self)) for a in self.features.actions()}
        return {
            **features,
            "new_database": self.new_database_requested.emit,
            "open_database": lambda: emit(self.open_database_requested, None),
            "import_bundles": self.import_bundles,
            "export_bundle": self.export_bundle,
            "review_conflicts": self.review_conflicts,
            "sync_now": self.sync_now,
            "sync_folder": self.choose_sync_folder,
            "laptops": self.show_laptops,
            "quit": self.close,
            "undo": self.undo,
            "redo": self.redo,
            "delete": self.delete_selected,
            "purge": self.purge_selected,
            "search": self.show_search,
            "privacy": self.set_privacy,
            "focus_navigator": lambda: self.tree.setFocus(
                QtCore.Qt.FocusReason.ShortcutFocusReason
            ),
            "focus_details": self.focus_details,
            "shortcuts": self.show_shortcuts,
            "about": self.show_about,
        }

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        current = self.session.store.path.resolve()
        recent = [p for p in self.settings.recent_databases() if p.resolve() != current]
        for n, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{n} {path.name}  ({path.parent})")
            action.triggered.connect(lambda _c=False, p=path: emit(self.open_database_requested, p))
        if not recent:
            empty = self.recent_menu.addAction("No other recent databases")
            empty.setEnabled(False)

    def _update_title(self) -> None:
        store = self.session.store
        pid = store.partnership_id
        name = "New partnership"
        if pid and store.exists(pid):
            name = self.session.display_title(store.get(pid))
        privacy = " (privacy mode)" if self.session.privacy.enabled else ""
        self.setWindowTitle(f"{name}{privacy} — PeerReview")

    def _title_changed(self, _record_id: str, kind: str) -> None:
        if kind == self.model.root_kind:
            self._update_title()

    def _update_delete(self) -> None:
        node = self.current_node()
        deletable = node is not None and node.record_id is not None and node.role != TOP
        self.actions["delete"].setEnabled(deletable and not self.session.busy)

    def _update_undo(self, *_args: Any) -> None:
        stack = self.session.undo_stack
        undo, redo = self.actions["undo"], self.actions["redo"]
        can_undo = stack.canUndo() or self.session.has_pending  # typing not yet saved
        undo.setEnabled(can_undo and not self.session.busy)
        redo.setEnabled(stack.canRedo() and not self.session.busy)
        undo.setText(f"&Undo {stack.undoText()}" if stack.canUndo() else "&Undo")
        redo.setText(f"&Redo {stack.redoText()}" if stack.canRedo() else "&Redo")

    def _busy_changed(self, busy: bool) -> None:
        for name in (
            "import_bundles",
            "export_bundle",
            "delete",
            "purge",
            "review_conflicts",
            "open_database",
            "new_database",
            *(a.spec.name for a in self.features.actions()),
        ):
            self.actions[name].setEnabled(not busy)
        self._update_undo()
        self._update_delete()

    # ================================================================== layout memory

    def _restore_layout(self) -> None:
        geometry = self.settings.bytes_value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            # 1200 x 780, or nine tenths of a small laptop screen (1366 x 768 is common in schools).
            screen = self.screen().availableGeometry() if self.screen() else None
            width, height = 1200, 780
            if screen is not None:
                width = min(width, int(screen.width() * 0.9))
                height = min(height, int(screen.height() * 0.9))
            self.resize(width, height)
        state = self.settings.bytes_value("window/state")
        if state is not None:
            self.restoreState(state)
        sizes = self.settings.bytes_value("window/splitter")
        if sizes is None or not self.splitter.restoreState(sizes):
            # Fitted to the window's width when it first shows (it may be resized before then).
            self._fit_navigator = True
            navigator = self.default_navigator_width(self.width())
            self.splitter.setSizes([navigator, self.width() - navigator])

    def default_navigator_width(self, window_width: int) -> int:
        """Wide enough for the longest school's name, but at most two fifths of the window
        (longer names are cut short with "…" and shown whole in their tooltip)."""
        plain = self.tree.fontMetrics()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        widths = []
        named = self.start_frame.named_rows() if self.start_frame else self.model.named_rows()
        for title, depth in named:
            metrics = QFontMetrics(bold) if depth == 0 else plain
            # indentation per level (plus the root's), the icon and its gap, the margins
            widths.append(metrics.horizontalAdvance(title) + (depth + 1) * self.tree.indentation())
        wanted = max(widths, default=0) + 16 + 6 + 24
        return max(300, min(wanted, int(window_width * 0.4)))

    def save_layout(self) -> None:
        self.settings.set_bytes("window/geometry", self.saveGeometry())
        self.settings.set_bytes("window/state", self.saveState())
        self.settings.set_bytes("window/splitter", self.splitter.saveState())
        self.settings.set_flag("view/privacy", self.session.privacy.enabled)
        self.settings.sync()

    # ================================================================== navigation

    def current_node(self) -> Node | None:
        return self.model.node_at(self.tree.currentIndex())

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        node = self.model.node_at(indexes[0]) if indexes else None
        if node is not None and node.role == FOLDER and not node.loaded:
            self.model.fetchMore(indexes[0])
        self.detail.show_node(node)
        self._update_delete()

    def _expanded(self, index: QModelIndex) -> None:
        node = self.model.node_at(index)
        if node is not None and node.role == RECORD:  # its folders show how many they hold
            for row in range(self.model.rowCount(index)):
                child = self.model.index(row, 0, index)
                if self.model.canFetchMore(child):
                    self.model.fetchMore(child)

    def _remember_selection(self) -> None:
        node = self.current_node()
        self._remembered = node.record_id if node else None

    def _restore_selection(self) -> None:
        top = self.model.index(0, 0)
        self.tree.expand(top)
        index = self.model.index_for_record(self._remembered) if self._remembered else QModelIndex()
        self.select_index(index if index.isValid() else top)

    def select_index(self, index: QModelIndex) -> None:
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        if self.current_node() is not None and self.current_node() is not self.detail.node:
            self.detail.show_node(self.current_node())

    def select_record(self, record_id: str) -> bool:
        """Show a record in the navigator and its editor; one the navigator does not list (an
        evidence note, a membership) in the view of what it belongs to, shown at the record
        when its feature can (the note open on its review's Evidence tab). False when it is
        shown nowhere."""
        index = self.model.index_for_record(record_id)
        below: list[str] = [record_id]  # the record and its owners under the row selected
        for owner in [] if index.isValid() else self._owners(record_id):
            index = self.model.index_for_record(owner)
            if index.isValid():
                break
            below.append(owner)
        if not index.isValid():
            self.statusBar().showMessage(
                "That record belongs to nothing shown here (it may have been deleted).", 6000
            )
            return False
        self.select_index(index)
        node = self.model.node_at(index)
        if node is not None and node.record_id == record_id:
            return True  # it has a row of its own
        for inner in below:
            try:
                record = self.session.store.get(inner)
            except PeerReviewError:
                continue
            reveal = self.features.revealer(record.kind)
            if reveal is not None and reveal(self, record):
                return True
        return True

    def focus_details(self) -> None:
        if self.detail.editor is not None:
            self.detail.editor.focus_first_field()
        else:
            self.detail.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)

    # ================================================================== editing

    def undo(self) -> None:
        self.session.flush()  # typing not yet saved becomes the step that is undone
        self.session.undo_stack.undo()

    def redo(self) -> None:
        self.session.flush()
        self.session.undo_stack.redo()

    def _owners(self, record_id: str) -> list[str]:
        """The records ``record_id`` belongs to (its kind's owner fields), nearest first."""
        store = self.session.store
        out: list[str] = []
        queue = [record_id]
        while queue and len(out) < 20:
            try:
                record = store.get(queue.pop(0))
            except PeerReviewError:
                continue
            for name in store.registry.kind(record.kind).owned_by:
                owner = record.values.get(name)
                if owner and owner not in out:
                    out.append(str(owner))
                    queue.append(str(owner))
        return out

    # ================================================================== what features ask of it

    def dialog_parent(self) -> QWidget:
        return self

    def show_message(self, text: str, msecs: int = 6000) -> None:
        self.statusBar().showMessage(text, msecs)

    def current_view(self) -> QWidget | None:
        return self.detail.workspace

    def record_in_context(self, kind: str) -> str | None:
        """The record of ``kind`` the selection belongs to: the selected row's, or one its record
        names (a person's school), or its parent's, up the tree."""
        from peerreview.sync.kinds import FieldType

        store = self.session.store
        node = self.current_node()
        while node is not None:
            if node.record_id and node.role in (TOP, RECORD, MEMBER):
                if node.kind == kind:
                    return node.record_id
                try:
                    record = store.get(node.record_id)
                except PeerReviewError:
                    record = None
                for spec in store.registry.kind(node.kind).fields if record else ():
                    if spec.type is FieldType.REF and spec.ref_kind == kind:
                        value = record.values.get(spec.name) if record else None
                        if value:
                            return str(value)
            node = node.parent
        return None

    def new_record(self, kind: str, values: Mapping[str, Any] | None = None) -> str | None:
        """Ask for a new record's name (unless ``values`` are given), create it and open it."""
        if values is None:
            asker = self.features.asker(kind)
            values = asker(self, kind) if asker is not None else {}
            if values is None:
                return None
        from ui.shell.form_source import form_for_new

        record_id = self.session.create(
            kind,
            dict(values),
            form=form_for_new(self.session.forms, kind, self.session.store.kinds).key,
        )
        if record_id is None:
            return None
        self.select_record(record_id)
        if self.detail.editor is not None:
            self.detail.editor.focus_first_field()
        self.statusBar().showMessage("Added. Everything is saved as you type; Ctrl+Z undoes.", 6000)
        return record_id

    def delete_selected(self, confirm: bool = True) -> bool:
        node = self.current_node()
        if node is None or node.record_id is None or node.role == TOP:
            return False
        record_id = node.record_id
        if node.role == MEMBER:
            # Listed here as a member of another record; deleting it here would surprise.
            if node.folder is not None and node.folder.member_text:
                self.statusBar().showMessage(node.folder.member_text, 8000)
            return False
        record = self.session.store.get(record_id)
        label = self.session.store.registry.label(record.kind)
        if confirm:
            from peerreview.sync.cascade import deleted_with

            extra = _what_goes_with(
                self.session.store.registry, deleted_with(self.session.store, record.id)
            )
            answer = QMessageBox.question(
                self,
                f"Delete {label}",
                f"Delete the {label} {self.session.display_title(record)}?{extra}\n\n"
                "You can undo this with Ctrl+Z.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self.session.delete(record_id)

    def purge_selected(self) -> bool:
        """Erase the selected record's values for good, after one clear warning (no undo)."""
        node = self.current_node()
        if node is None or node.record_id is None or node.role in (TOP, MEMBER):
            return False
        record = self.session.store.get(node.record_id)
        label = self.session.store.registry.label(record.kind)
        answer = QMessageBox.question(
            self,
            f"Erase {label} for good",
            f"Erase the {label} {self.session.display_title(record)} for good?\n\n"
            "Its names, notes and other values are removed from this laptop, its backups, and "
            "every laptop that imports your next bundle. Links and history stay, with the values "
            "blank. This cannot be undone: use it for data-protection requests and when retention "
            "ends.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        from peerreview.sync.store import Store

        def done(_changes: Any) -> None:
            self.statusBar().showMessage(
                "Erased. Export a bundle so the other laptops erase their copies too.", 12000
            )

        # Long work (compacting the file): in the job's thread, with progress, Cancel and errors.
        job = self.jobs.start(
            f"Erasing the {label} for good…",
            Store.purge,
            self.session.store,
            record.id,
            on_done=done,
        )
        return job is not None

    def set_privacy(self, on: bool) -> None:
        self.session.flush()
        self.session.privacy.set_enabled(on)
        self.statusBar().showMessage(
            "Privacy mode: names of pupils and staff are hidden."
            if on
            else "Names are shown again.",
            5000,
        )

    # ================================================================== dialogs

    def show_search(self) -> SearchDialog:
        from ui.shell.search import SearchDialog

        if self._search is None:
            self._search = SearchDialog(self.session, self, features=self.features)
            self._search.open_record.connect(self.select_record)
        self._search.show()
        self._search.raise_()
        self._search.activateWindow()
        return self._search

    def review_conflicts(self, record_id: str | None = None) -> ConflictReviewDialog:
        from ui.shell.conflicts import ConflictReviewDialog

        self.session.flush()
        dialog = ConflictReviewDialog(self.session, self, record_id=record_id)
        dialog.open()
        return dialog

    def show_shortcuts(self) -> None:
        from ui.shell.shortcuts import ShortcutsDialog

        ShortcutsDialog(self.menuBar(), self).exec()

    def show_about(self) -> None:
        store = self.session.store
        QMessageBox.about(
            self,
            "About PeerReview",
            f"<h3>PeerReview {__version__}</h3>"
            "<p>School-to-school peer review and lesson study for partnerships, offline first.</p>"
            f"<p>Database: {store.path}<br>This laptop: {store.device.name}</p>",
        )

    # ================================================================== long work

    def import_bundles(self, paths: list[Path] | None = None) -> None:
        from ui.shell.transfer import ask_bundles

        paths = paths if paths is not None else ask_bundles(self)
        if not paths:
            return
        self._start_import(paths, None)

    def _start_import(self, paths: list[Path], passphrase: str | None) -> None:
        from peerreview.sync.bundle import import_bundles
        from ui.shell.transfer import import_in_process

        title = f"Importing {count(len(paths), 'bundle')}…"
        self._import_paths = list(paths)
        # What ``_imported`` reads, which an import in a process of its own leaves unimported here.
        self.session.after_job_needs("peerreview.sync.encryption")
        self.jobs.start(
            title,
            import_bundles,
            self.session.store,
            paths,
            passphrase=passphrase,
            on_done=self._imported,
            in_process=import_in_process(paths),
        )

    def _imported(self, results: list[ImportReport | BundleError]) -> None:
        from peerreview.errors import BundleError
        from peerreview.sync.encryption import PassphraseNeeded, WrongPassphrase
        from ui.shell.transfer import ImportSummaryDialog, ask_passphrase

        # An encrypted bundle with no passphrase yet, or one that did not open it: asked (again)
        # for the same files, never chosen again.
        locked = [
            path
            for path, r in zip(self._import_paths, results, strict=False)
            if isinstance(r, PassphraseNeeded | WrongPassphrase)
        ]
        if locked:
            again = any(isinstance(r, WrongPassphrase) for r in results)
            names = [p.name for p in locked]
            passphrase = (
                ask_passphrase(self, names, again=True) if again else ask_passphrase(self, names)
            )
            if passphrase:
                done = [r for r in results if not isinstance(r, PassphraseNeeded | WrongPassphrase)]
                self._pending_results += done
                self._start_import(locked, passphrase)
                return
        results = self._pending_results + list(results)
        self._pending_results = []

        dialog = ImportSummaryDialog(results, self.session.store.conflict_count(), self)
        self._last_summary = dialog
        dialog.finished.connect(
            lambda _r: dialog.review_requested and QTimer.singleShot(0, self.review_conflicts)
        )
        dialog.open()
        refused = sum(isinstance(r, BundleError) for r in results)
        log.info("imported %d bundles (%d refused)", len(results), refused)

    def export_bundle(self) -> None:
        from ui.shell.transfer import ExportDialog

        self.session.flush()
        dialog = ExportDialog(self.session.store, self)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        self.start_export(
            dialog.target(),
            dialog.chosen_urns(),
            dialog.chosen_passphrase(),
            plain=dialog.chosen_plain(),
            full=dialog.chosen_full(),
        )

    def start_export(
        self,
        target: Path,
        urns: list[int] | None,
        passphrase: str | None = None,
        *,
        plain: bool = False,
        full: bool = False,
    ) -> None:
        from peerreview.sync.bundle import export_bundle

        def done(result: ExportResult) -> None:
            readers = ", ".join(result.recipients)
            how = {
                "recipients": f"encrypted for the partnership's laptops ({readers})"
                if readers
                else "encrypted for the partnership's laptops",
                "passphrase": "encrypted with your passphrase (send the passphrase separately, "
                "not with the file)",
            }.get(result.encryption, "not encrypted (keep it on a secure drive)")
            if result.incremental:
                how += ", only what they have not seen"
            self.statusBar().showMessage(
                f"Wrote {result.path.name}, {how}: {count(result.changes, 'change')}. "
                "Importing it twice does no harm.",
                15000,
            )

        self.jobs.start(
            f"Exporting to {target.name}…",
            export_bundle,
            self.session.store,
            target,
            school_urns=urns,
            passphrase=passphrase,
            plain=plain,
            full=full,
            on_done=done,
            changes_records=False,
        )

    # ================================================================== laptops and shared folder

    def show_laptops(self) -> None:
        from ui.shell.laptops import LaptopsDialog

        LaptopsDialog(self).exec()

    def choose_sync_folder(self) -> None:
        from ui.shell.laptops import choose_sync_folder

        choose_sync_folder(self)

    def sync_now(self, *, on_start: bool = False) -> bool:
        from ui.shell.laptops import sync_now

        return sync_now(self, on_start=on_start)

    # ================================================================== drops and closing

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and _bundle_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = _bundle_paths(event.mimeData().urls())
        if paths and self.live and not self.jobs.running:
            event.acceptProposedAction()
            QTimer.singleShot(0, self, lambda: self.import_bundles(paths))

    def ask_open_file(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self,
            "Open a PeerReview database",
            str(self.session.store.path.parent),
            "PeerReview databases (*.db *.sqlite);;All files (*)",
        )
        return Path(name) if name else None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.live:  # closed while painted from its note: no database open yet
            cancel_first_paint_work(self)
            super().closeEvent(event)
            emit(self.closed)
            return
        if self.jobs.running:
            answer = QMessageBox.question(
                self,
                "PeerReview",
                "A job is still running. Cancel it and close?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.jobs.wait()
        self.session.flush()
        self.session.steps.clear()  # catch-up work queued for views that are going away
        self.jobs.collect_as_usual()  # (one of those steps would have done it)
        cancel_first_paint_work(self)  # and work waiting for a first paint that never came
        self.save_layout()
        # No view's read is wanted now: stopped first, so that taking the note (which builds the
        # start widgets) starts none; the launcher waits for them before it stamps the note.
        self.session.read_workers.stop(0)
        try:
            #: what the next start paints first; the launcher writes it once the store has closed
            self.closing_note = self.start_note()
        except Exception:  # noqa: BLE001 - a note not taken only makes the next start slower
            log.exception("the start note was not taken")
            self.closing_note = None
        self.status.stop()
        stack = self.session.undo_stack
        for signal in (
            stack.canUndoChanged,
            stack.canRedoChanged,
            stack.indexChanged,
            self.session.pending_changed,
        ):
            signal.disconnect(self._update_undo)
        if self._search is not None:
            self._search.close()
        if self._frozen:
            from ui.shell.worker import collect_all_again

            self._frozen = False
            collect_all_again()
        super().closeEvent(event)
        emit(self.closed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._fit_navigator:
            self._fit_navigator = False
            navigator = self.default_navigator_width(self.width())
            self.splitter.setSizes([navigator, max(self.width() - navigator, 1)])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        from PySide6.QtGui import QKeySequence  # (its 70 standard keys: built when first used)

        if event.matches(QKeySequence.StandardKey.Cancel) and self.tree.hasFocus() is False:
            self.tree.setFocus()
            return
        super().keyPressEvent(event)
