"""The conflict review: each clashing field with its values side by side (value, who, which laptop,
when), to keep one or write a merged value; and records deleted on one laptop but edited on another.

Resolving is an ordinary edit in the core (it supersedes every competing value). It is not put on
the undo stack: undoing it could not bring the disagreement back, only pick a value again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.sync.kinds import FieldType
from peerreview.sync.records import Conflict, ConflictValue
from ui.shell.fields import GrowingTextEdit
from ui.shell.formatting import count, when_changed
from ui.shell.labels import describe_value, field_label, is_long_text
from ui.shell.session import Session
from ui.shell.signals import emit


class ValueCard(QFrame):
    """One competing value: what it is, who wrote it on which laptop and when, and Keep."""

    keep = Signal(object)

    def __init__(self, session: Session, conflict: Conflict, value: ConflictValue) -> None:
        super().__init__()
        self.setObjectName("valueCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = value
        privacy = session.privacy
        layout = QVBoxLayout(self)
        who = privacy.author(value.author)
        device = privacy.device(value.device_name, value.device_id == session.store.device.id)
        head = QLabel(f"<b>{who}</b><br>{device}<br>{when_changed(value.hlc)}")
        head.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(head)
        if value.winner:
            badge = QLabel("Shown for now (provisional)")
            badge.setProperty("role", "help")
            layout.addWidget(badge)
        text = describe_value(session, conflict.kind, conflict.field, value.value)
        one_line = "\n" not in text and not is_long_text(session, conflict.kind, conflict.field)
        body: QLineEdit | GrowingTextEdit
        if one_line:  # a postcode is one line, not a box of paragraphs
            body = QLineEdit(text)
            body.setCursorPosition(0)
        else:
            body = GrowingTextEdit(min_lines=2, max_lines=12)
            body.setPlainText(text)
        body.setReadOnly(True)
        body.setAccessibleName(f"Value by {who}")
        layout.addWidget(body)
        layout.addStretch(1)  # the Keep buttons line up, badge or not
        self.keep_button = QPushButton("Keep this value")
        self.keep_button.setAccessibleName(f"Keep the value by {who} on {device}")
        self.keep_button.clicked.connect(lambda: emit(self.keep, value.value))
        layout.addWidget(self.keep_button)


class ConflictReviewDialog(QDialog):
    """Go through the open conflicts one by one and settle each."""

    #: a conflict was settled: (record id, field)
    resolved = Signal(str, str)

    def __init__(
        self, session: Session, parent: QWidget | None = None, record_id: str | None = None
    ):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Review conflicts")
        self.resize(900, 400)  # then as tall as its content (_fit_to_content)
        self._column = layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        split = QSplitter()
        self.list = QListWidget()
        self.list.setAccessibleName("Open conflicts")
        self.list.setMinimumWidth(240)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._show_current)
        split.addWidget(self.list)
        self.scroll_area = QScrollArea()  # not ``scroll``: QWidget.scroll() is Qt's
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        split.addWidget(self.scroll_area)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 640])
        layout.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._buttons = buttons
        self._fitted = False
        self.conflicts: list[Conflict] = []
        self.settled = 0  # settled here, since the dialog opened
        self.reload(record_id)

    # ------------------------------------------------------------------ list

    def reload(self, select_record: str | None = None) -> None:
        self.conflicts = self.session.store.conflicts()
        self.list.blockSignals(True)
        self.list.clear()
        for c in self.conflicts:
            title = self.session.title_of(c.record_id)
            what = (
                f"{self.session.store.registry.kind(c.kind).label.capitalize()} deleted and edited"
                if c.is_delete
                else field_label(self.session, c.kind, c.field)
            )
            item = QListWidgetItem(f"{what}\n{title}")
            item.setToolTip(
                f"{self.session.store.registry.kind(c.kind).label.capitalize()}: {title}"
            )
            self.list.addItem(item)
        self.list.blockSignals(False)
        n = len(self.conflicts)
        done = f"No conflicts left: the {count(self.settled, 'conflict')} settled here are saved."
        self.heading.setText(
            ("No conflicts: every edit merged cleanly." if not self.settled else done)
            if n == 0
            else f"{count(n, 'conflict')} to settle. Laptops edited the same thing without "
            "seeing each other's change; both values were kept. Choose which to keep, or write "
            "one that combines them."
        )
        row = 0
        if select_record:
            row = next((i for i, c in enumerate(self.conflicts) if c.record_id == select_record), 0)
        if n:
            self.list.setCurrentRow(row)
        else:
            self._show_panel(self._done_panel())

    def _done_panel(self) -> QWidget:
        # Says the same as the heading: nothing was ever in conflict, or all is settled now.
        label = QLabel(
            "Export a bundle so that the other laptops have the values you kept."
            if self.settled
            else "Nothing to settle."
        )
        label.setWordWrap(True)
        label.setObjectName("emptyState")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _show_panel(self, widget: QWidget) -> None:
        old = self.scroll_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll_area.setWidget(widget)

    def _show_current(self, row: int) -> None:
        if 0 <= row < len(self.conflicts):
            self._show_panel(self._panel(self.conflicts[row]))
            self._fit_to_content()

    def _fit_to_content(self) -> None:
        """As tall as the list and the conflict shown need (a short one leaves no empty half),
        growing when a later one needs more, never beyond most of the screen."""
        panel = self.scroll_area.widget()
        if panel is None:
            return
        gap = 2 * self.list.spacing()
        rows = sum(self.list.sizeHintForRow(i) + gap for i in range(self.list.count()))
        body = max(panel.sizeHint().height(), rows + 2 * self.list.frameWidth(), 220)
        margins = self._column.contentsMargins()
        wanted = (
            self.heading.sizeHint().height()
            + body
            + self._buttons.sizeHint().height()
            + 2 * self._column.spacing()
            + margins.top()
            + margins.bottom()
        )
        screen = self.screen().availableGeometry().height() if self.screen() else 900
        height = min(max(wanted, self.height() if self._fitted else 0), int(screen * 0.85))
        self._fitted = True
        self.resize(self.width(), height)

    # ------------------------------------------------------------------ one conflict

    def _panel(self, c: Conflict) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        title = self.session.title_of(c.record_id)
        kind_label = self.session.store.registry.kind(c.kind).label
        if c.is_delete:
            return self._delete_panel(panel, layout, c, title, kind_label)
        label = field_label(self.session, c.kind, c.field)
        head = QLabel(f"<h3>{label}</h3>of the {kind_label} <b>{title}</b>")
        head.setTextFormat(Qt.TextFormat.RichText)
        head.setWordWrap(True)
        layout.addWidget(head)
        row = QHBoxLayout()
        for value in c.values:
            card = ValueCard(self.session, c, value)
            card.keep.connect(lambda v, c=c: self.resolve(c, v))
            row.addWidget(card, 1)
        layout.addLayout(row)
        spec = self.session.store.registry.kind(c.kind).spec(c.field)
        is_text = (spec is None or spec.type is FieldType.TEXT) and all(
            isinstance(v.value, str | None) for v in c.values
        )
        if is_text and not self.session.hides(c.kind, c.field):
            if is_long_text(self.session, c.kind, c.field):
                # Paragraphs: offer both, one after the other, to edit into one.
                layout.addWidget(QLabel("Or write a value that combines them:"))
                merged = GrowingTextEdit(min_lines=3, max_lines=12)
                merged.setAccessibleName("Merged value")
                merged.setPlainText("\n\n".join(str(v.value) for v in c.values if v.value))
                layout.addWidget(merged)
                value_of: Any = lambda: merged.toPlainText().strip() or None  # noqa: E731
                self.merged_edit: QWidget = merged
                words = "Use the merged value"
            else:
                # One line (a postcode, a name): two values joined make no sense; start from
                # the one shown for now.
                layout.addWidget(QLabel("Or type the right value:"))
                shown = next((v.value for v in c.values if v.winner), None)
                line = QLineEdit("" if shown is None else str(shown))
                line.setAccessibleName("Value to keep")
                layout.addWidget(line)
                value_of = lambda: line.text().strip() or None  # noqa: E731
                self.merged_edit = line
                words = "Use this value"
            use = QPushButton(words)
            use.setAccessibleName(words)
            use.clicked.connect(lambda: self.resolve(c, value_of()))
            layout.addWidget(use, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return panel

    def _delete_panel(
        self, panel: QWidget, layout: QVBoxLayout, c: Conflict, title: str, kind_label: str
    ) -> QWidget:
        deleter = c.values[0] if c.values else None
        privacy = self.session.privacy
        who = privacy.author(deleter.author) if deleter else "Someone"
        where = (
            privacy.device(deleter.device_name, deleter.device_id == self.session.store.device.id)
            if deleter
            else "another laptop"
        )
        when = when_changed(deleter.hlc) if deleter else ""
        labels = [field_label(self.session, c.kind, f).lower() for f in c.edited_fields]
        edited = "its " + ", ".join(labels) if labels else "it"
        text = QLabel(
            f"<h3>{title}</h3>{who} deleted this {kind_label} on {where} ({when}), "
            f"but on another laptop someone edited {edited} without seeing the delete. Keep it "
            "deleted, or bring it back with those edits."
        )
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        layout.addWidget(text)
        row = QHBoxLayout()
        keep = QPushButton("Keep deleted")
        keep.setAccessibleName(f"Keep the {kind_label} deleted")
        keep.clicked.connect(lambda: self.resolve(c, True))
        restore = QPushButton("Restore with the edits")
        restore.setAccessibleName(f"Restore the {kind_label} with the edits")
        restore.clicked.connect(lambda: self.resolve(c, False))
        row.addWidget(keep)
        row.addWidget(restore)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return panel

    def resolve(self, conflict: Conflict, value: Any) -> bool:
        """Settle ``conflict`` with ``value``, then move to the next one."""
        try:
            self.session.resolve(conflict.record_id, conflict.field, value)
        except PeerReviewError as exc:
            self.heading.setText(exc.message)
            return False
        self.settled += 1
        emit(self.resolved, conflict.record_id, conflict.field)
        self.reload()
        return True
