"""The detail pane: a heading for what is selected in the navigator, and its editor or page.

A record gets what its feature opens it with (a review its workspace, a group its form with its
member schools), else its form editor; a folder or the partnership gets a short page saying what is
there and what to do next, so an empty database is never a blank screen. What each page offers
comes from the UI registry.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from ui.shell.formatting import count
from ui.shell.registry import Shell, StartSummary, UIRegistry
from ui.shell.roles import FOLDER, TOP
from ui.shell.start_cache import PAGE_MARGINS, heading_labels

if TYPE_CHECKING:
    from peerreview.sync.records import Record
    from ui.shell.editors import RecordEditor
    from ui.shell.navigator import Node
    from ui.shell.session import Session

# The editors (and the form machinery under them) are imported when the first editor is made,
# just after the window first paints, so they do not delay it.


def _view_state(widget: QWidget) -> tuple[list[int], object]:
    """Where a workspace is: the current page of each of its tab widgets, and what it says of
    itself (``view_state()``: the note open, the area chosen) when it can."""
    tabs = [t.currentIndex() for t in widget.findChildren(QTabWidget)]
    own = getattr(widget, "view_state", None)
    return tabs, own() if callable(own) else None


def _restore_view_state(widget: QWidget, state: tuple[list[int], object]) -> None:
    tabs, own = state
    found = widget.findChildren(QTabWidget)
    if len(found) == len(tabs):
        for tab_widget, index in zip(found, tabs, strict=True):
            if 0 <= index < tab_widget.count():
                tab_widget.setCurrentIndex(index)
    restore = getattr(widget, "restore_view_state", None)
    if own is not None and callable(restore):
        restore(own)


def page_heading(session: Session, record: Record | None) -> tuple[str, str]:
    """A record's page's title and the line under it; with no record, the partnership's page's
    (the start note takes the same: ``MainWindow.start_note``)."""
    if record is None:
        return session.store.registry.root_kind().label.capitalize(), ""
    return (
        session.display_title(record),
        session.describe(record).context or session.store.registry.label(record.kind).capitalize(),
    )


def page_summary(summaries: Sequence[StartSummary]) -> str:
    """The features' summaries on the partnership's page (and in the start note), one paragraph
    a line."""
    return "\n\n".join(line for s in summaries for line in s.lines)


def open_editor(shell: Shell, record: Record) -> RecordEditor:
    """The shell's way to open a record: its form editor (for kinds no feature opens itself)."""
    from ui.shell.editors import RecordEditor

    editor = RecordEditor(shell.session, record)
    label = shell.session.store.registry.label(record.kind)
    editor.setAccessibleName(f"{label.capitalize()} details")
    return editor


#: The form editor's modules beyond the window's, each importing little that the ones before it
#: have not: imported a module a turn once a long job is under way (``Session.after_job_needs``).
#: All in one turn they stalled the window 28-34 ms at the job's first moment (issue 13 (d)), 12
#: ms of it ``grid_view``'s Qt classes. tests/ui/test_catch_up.py keeps the list whole.
EDITOR_MODULES = (
    "ui.shell.pickers",
    "ui.shell.dates",
    "ui.shell.binding",
    "ui.shell.fields",
    "ui.shell.form_source",
    "ui.shell.grid_model",
    "ui.shell.grid_cell",
    "ui.shell.tsv",
    "ui.shell.grid_view",
    "ui.shell.grid",
    "ui.shell.editors",
)


class DetailPane(QWidget):
    """Shows the selected navigator item: a record's editor, or a folder's page."""

    #: the person asked to review conflicts (from the banner)
    review_conflicts_requested = Signal()

    def __init__(
        self,
        shell: Shell,
        actions: Mapping[str, QAction],
        features: UIRegistry,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.shell = shell
        self.session = session = shell.session
        self._actions = actions  # not ``actions``: QWidget.actions() is Qt's
        self.features = features
        #: what a feature opened the record with when it is not a form editor (a review's workspace)
        self.workspace: QWidget | None = None
        self.node: Node | None = None
        self.record: Record | None = None
        self.editor: RecordEditor | None = None
        self._held = False  # the next item is shown light (a summary, no editor)
        self._light = False  # what is shown is light: release() shows it in full
        self._editor_step = object()  # the key of the step that shows it in full
        self._forms_step = object()
        self._content: QWidget | None = None
        #: the partnership's page shown light: (its widget, its layout), until it is completed
        self._light_page: tuple[QWidget, QVBoxLayout] | None = None
        #: the table of a folder's records, when a folder's page is shown
        self.record_list: QWidget | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        # As the start paints them from its note (ui/shell/start_cache.py): nothing moves.
        self.title, self.subtitle = heading_labels()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        self.buttons = QHBoxLayout()
        self.buttons_box = QWidget()  # moves into a workspace that heads its own page
        self.buttons_box.setLayout(self.buttons)
        self.buttons.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.buttons_box, 0, Qt.AlignmentFlag.AlignTop)
        self.head = QWidget()
        self.head.setLayout(head)
        self._head_layout = head
        head.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.head)

        self.banner = QFrame()
        self.banner.setObjectName("conflictBanner")
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(10, 6, 10, 6)
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        review = QPushButton("Review conflicts…")
        review.setAccessibleName("Review the conflicts of this record")
        review.clicked.connect(self.review_conflicts_requested)
        banner_row.addWidget(self.banner_text, 1)
        banner_row.addWidget(review)
        self.banner.hide()
        layout.addWidget(self.banner)

        self.body = QVBoxLayout()
        layout.addLayout(self.body, 1)

        session.record_changed.connect(self._record_changed)
        session.records_reset.connect(self._records_reset)
        session.busy_changed.connect(self._busy_changed)
        session.privacy.changed.connect(self._privacy_changed)
        # Empty until the window selects something (at once, the partnership): reading the
        # partnership's page here as well would do it twice before the window first paints.
        self._page_text("", "", "")

    # ------------------------------------------------------------------ content

    def _set_content(self, widget: QWidget) -> None:
        if self.editor is not None:
            self.editor.save_pending()
        self._restore_head()  # before the old content (which may hold the buttons) goes
        if self._content is not None:
            self.body.removeWidget(self._content)
            self._content.hide()
            self._content.deleteLater()
        if self.workspace is not None and self.workspace is not widget:
            flush = getattr(self.workspace, "flush", None)
            if callable(flush):
                flush()  # what was typed in it and not yet saved
        is_editor = getattr(widget, "is_record_editor", False)
        self.editor = widget if is_editor else None  # type: ignore[assignment]
        self.workspace = None
        self._content = widget
        self.body.addWidget(widget)
        widget.show()  # now, not on the next turn of the event loop

    def _set_buttons(self, names: list[str]) -> None:
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # now: deleteLater only happens on a later turn of the event loop
                widget.deleteLater()
        for name in names:
            action = self._actions.get(name)
            if action is None:
                continue
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            self.buttons.addWidget(button)

    def refresh(self) -> None:
        """Show the same item again (privacy mode changed, or the record was reloaded)."""
        self.show_node(self.node)

    def _privacy_changed(self, _on: bool) -> None:
        """Open what is shown again with names hidden or shown, on the same tab and at the same
        place: a team projecting judgements switches privacy mode and stays where it was."""
        old = self.workspace
        if old is not None and getattr(old, "follows_privacy", False) and self.record is not None:
            self._head(self.record)  # it hides and shows names itself, keeping its place
            return
        state = _view_state(old) if old is not None else None
        self.refresh()
        if state is not None and self.workspace is not None:
            _restore_view_state(self.workspace, state)

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            # A long job: when it ends this pane opens the record shown in full, with the form
            # editor and the forms it is built from, which the window's thread should not have
            # to import and read then (see preload).
            self.session.after_job_needs(*EDITOR_MODULES, forms=True)

    def _records_reset(self) -> None:
        if self.session.gradual_reset:
            # After a long job, in steps of their own: the heading and summary, the forms (when
            # not yet read), then the editor; each would otherwise add to one long stall.
            self.session.steps.add(self, self._refresh_light)
            self.session.steps.add(self._forms_step, lambda: self.session.forms)  # read once
            self.session.steps.add(self._editor_step, self._release_steps())
        else:
            self.refresh()

    def _refresh_light(self) -> None:
        self.hold()
        self.refresh()

    def hold(self) -> None:
        """Show the next item as a heading and a summary only (no editor), until ``release``:
        the window's first paint does not wait for the form machinery."""
        self._held = True

    def release(self) -> None:
        """Show in full what was shown held (called just after the window first paints)."""
        for _ in self._release_steps():
            pass

    def _release_steps(self) -> Iterator[None]:
        """``release`` in parts, each a turn of the event loop of its own (after a long job).

        The partnership's page shown light (its summary) is completed where it stands: its start
        widgets first, then its editor; built again at once, the whole page stalled the window
        for 60-80 ms on a regional database. Any other page is shown in full in one part.
        """
        if not self._light:
            return
        node, page = self.node, self._light_page
        if node is None or node.record_id is None or page is None or page[0] is not self._content:
            self.show_node(node)
            return
        container, box = page
        for make in self.features.start_widgets():
            # Each feature's start widgets in a turn of their own (together: 25-40 ms under load
            # after a whole-region import).
            if self._content is not container or not self._light:
                return  # something else was shown meanwhile
            for widget in make(self.shell):
                box.insertWidget(box.count() - 1, widget)  # before the stretch
                widget.show()  # now, as _set_content shows a page, not on the next turn
            yield
        if self._content is not container or not self._light:
            return  # something else was shown meanwhile
        try:
            record = self.session.store.get(node.record_id)
        except PeerReviewError:
            self.show_node(node)
            return
        self._light, self._light_page = False, None
        self.record = record
        self._head(record)
        content = self._open(record)
        box.takeAt(box.count() - 1)  # the stretch: the editor takes the room below
        box.addWidget(content, 1)
        content.show()
        self._adopt(content)

    def _adopt(self, content: QWidget) -> None:
        """``content``, a record's editor or workspace below the partnership's summary, is the
        one this pane flushes and focuses."""
        if getattr(content, "is_record_editor", False):
            self.editor = content  # type: ignore[assignment]
        else:
            self.workspace = content

    def show_node(self, node: Node | None) -> None:
        if self.editor is not None:
            self.editor.save_pending()
        self.node = node
        self.record = None
        self.banner.hide()
        self._light = self._held
        self._light_page = None
        if self._held:
            self._held = False
            self._page_held(node)
            return
        if node is None:
            self._page_partnership(None)
            return
        if node.role == FOLDER:
            self._page_folder(node)
            return
        if node.record_id is None:
            self._page_partnership(None)
            return
        try:
            record = self.session.store.get(node.record_id)
        except PeerReviewError:
            self._page_text("Not found", "", "This record is no longer in the database.")
            return
        if node.role == TOP:
            self._page_partnership(record)
        else:
            self._show_record(record)

    def _page_held(self, node: Node | None) -> None:
        if node is not None and node.role == TOP:
            self._page_partnership(None, summary_only=True)
            self.title.setText(node.title)
        else:
            self._page_text(node.title if node else "Partnership", "", "")

    def _open(self, record: Record) -> QWidget:
        """The widget the record's feature opens it with, or its form editor."""
        opener = self.features.opener(record.kind) or open_editor
        return opener(self.shell, record)

    def _show_record(self, record: Record) -> None:
        self.record = record
        self._head(record)
        widget = self._open(record)
        self._set_content(widget)
        if self.editor is None:
            self.workspace = widget
        self._set_buttons([*self.features.buttons(record.kind), "delete"])
        # A workspace with a heading of its own (a review's) takes the page's buttons into it,
        # so the page has one heading, not two.
        slot = getattr(widget, "heading_buttons", None)
        if isinstance(slot, QHBoxLayout):
            slot.addWidget(self.buttons_box)
            self.head.hide()
        else:
            self._restore_head()

    def _restore_head(self) -> None:
        if self.buttons_box.parentWidget() is not self.head:
            self._head_layout.addWidget(self.buttons_box, 0, Qt.AlignmentFlag.AlignTop)
        self.head.show()

    def _head(self, record: Record) -> None:
        title, subtitle = page_heading(self.session, record)
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        n = len(record.conflicts)
        if n:
            self.banner_text.setText(
                f"⚠ {count(n, 'field')} of this {self.session.store.registry.label(record.kind)} "
                f"{'has' if n == 1 else 'have'} conflicting values from different laptops. "
                "The value shown is provisional until someone chooses."
            )
            self.banner.show()
        else:
            self.banner.hide()

    def _page_text(self, title: str, subtitle: str, text: str) -> QLabel:
        self.record_list = None
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        label = self._text_label(text)
        self._set_content(label)
        self._set_buttons([])
        return label

    @staticmethod
    def _text_label(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setObjectName("emptyState")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _page_folder(self, node: Node) -> None:
        folder = node.folder
        assert folder is not None
        kind = folder.kind
        words = folder.what
        parent = node.parent
        buttons = self.features.buttons(kind, folder=True)
        ids = [c.record_id for c in node.children if c.record_id]
        if parent is not None and parent.role == TOP:
            n = len(node.children) if folder.link_field else self.session.store.count(kind)
            text = (
                folder.empty_text
                if n == 0
                else (
                    f"{count(n, *words)} in this partnership. Choose one to see and edit its "
                    "details (Enter, or a double-click), or search everything with Ctrl+F."
                )
            )
            self._page_list(node.title, text, kind, ids)
            self._set_buttons(buttons)
            return
        owner = self.session.title_of(parent.record_id) if parent and parent.record_id else ""
        n_shown = len(node.children) if node.loaded else None
        if n_shown == 0:
            text = folder.empty_text or "Nothing here yet."
        elif n_shown is None:
            text = f"Open the folder on the left to see the {words[1]} at {owner}."
        else:
            text = f"{count(n_shown, *words)} at {owner}. Choose one to see and edit it."
        self._page_list(f"{node.title} at {owner}", text, kind, ids)
        self._set_buttons(buttons)

    def _page_list(self, title: str, text: str, kind: str, ids: list[str]) -> None:
        """A folder's page: a sentence, and the table of its records with features' columns."""
        if not ids:
            self._page_text(title, "", text)
            return
        from ui.shell.record_list import RecordList

        self.title.setText(title)
        self.subtitle.setText("")
        records = [r for r in self.session.store.get_many(ids).values() if not r.deleted]
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        label = self._text_label(text)
        label.setSizePolicy(
            label.sizePolicy().horizontalPolicy(), label.sizePolicy().Policy.Maximum
        )
        box.addWidget(label)
        table = RecordList(self.session, self.features, kind, records)
        table.opened.connect(self.shell.select_record)
        box.addWidget(table, 1)
        self._set_content(page)
        self._set_buttons([])
        self.record_list = table

    def _page_partnership(self, record: Record | None, summary_only: bool = False) -> None:
        """The partnership's page: each feature's summary and start widgets ("Today: review of
        …"), then the partnership's own details."""
        summaries = [summarise(self.session) for summarise in self.features.summaries()]
        if record is None:
            title, subtitle = page_heading(self.session, None)
            self.title.setText(title)
            self.subtitle.setText(subtitle)
        else:
            self.record = record
            self._head(record)
        container = QWidget()
        box = QVBoxLayout(container)
        box.setContentsMargins(0, 0, 0, 0)
        summary = QLabel(page_summary(summaries))
        summary.setWordWrap(True)
        summary.setObjectName("emptyState")
        box.addWidget(summary)
        if not summary_only:
            for make in self.features.start_widgets():
                for widget in make(self.shell):
                    box.addWidget(widget)
        if record is not None:
            content = self._open(record)
            box.addWidget(content, 1)
            self._set_content(container)
            self._adopt(content)
        else:
            box.addStretch(1)
            self._set_content(container)
            if summary_only:
                self._light_page = (container, box)  # completed where it stands by release
        self._set_buttons([b for s in summaries for b in s.buttons])

    # ------------------------------------------------------------------ following edits

    def _record_changed(self, record_id: str, _kind: str) -> None:
        if self.record is None or record_id != self.record.id:
            return
        try:
            record = self.session.store.get(record_id)
        except PeerReviewError:
            return
        if record.deleted:
            self._page_text(
                "Deleted", "", "This record has been deleted. Undo (Ctrl+Z) brings it back."
            )
            self.record = record
            return
        root = self.session.store.registry.root_kind().name
        if self.editor is None and self.workspace is None and record.kind != root:
            self._show_record(record)  # restored by undo: show its editor again
            return
        self.record = record
        self._head(record)
