"""Areas of excellence: practice the host school may offer to share with the partnership."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerreview.review import reviews as rv
from ui.review.context import ReviewContext
from ui.review.widgets import card, label, scrolling_page
from ui.shell.binding import Binding, LineBinding, TextBinding
from ui.shell.fields import GrowingTextEdit


class ExcellencePanel(QWidget):
    """Add, edit and remove the review's areas of excellence (each saved as it is typed)."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bindings: list[Binding[Any]] = []
        self.titles: dict[str, QLineEdit] = {}
        self.descriptions: dict[str, GrowingTextEdit] = {}
        self._ids: list[str] = []
        self.box = scrolling_page(self)
        self.box.addWidget(label("Areas of excellence", "pageTitle"))
        self.box.addWidget(
            label(
                "Practice the host school is willing to share with other schools "
                "in the partnership. The school decides what goes here.",
                "muted",
            )
        )
        self.list_box = QVBoxLayout()
        self.list_box.setSpacing(10)
        self.box.addLayout(self.list_box)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add area of excellence")
        self.add_button.setAccessibleName("Add area of excellence")
        self.add_button.clicked.connect(self.add)
        row.addWidget(self.add_button)
        row.addStretch(1)
        self.box.addLayout(row)
        self.box.addStretch(1)
        self.rebuild()
        ctx.record_changed.connect(self._changed)

    def records(self) -> list[str]:
        return [r.id for r in rv.excellence(self.ctx.store, self.ctx.review_id)]

    def rebuild(self) -> None:
        self.flush()
        while self.list_box.count():
            item = self.list_box.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.hide()
                w.deleteLater()
        self.bindings, self.titles, self.descriptions = [], {}, {}
        current = self.records()
        self._ids = [r for r in self._ids if r in current] + [
            r for r in current if r not in self._ids
        ]
        if not self._ids:
            self.list_box.addWidget(label("None recorded yet.", "muted"))
        for rid in self._ids:
            frame, box = card()
            top = QHBoxLayout()
            title = QLineEdit()
            title.setPlaceholderText("Name the practice, e.g. Early reading")
            title.setAccessibleName("Area of excellence")
            f = title.font()
            f.setBold(True)
            title.setFont(f)
            top.addWidget(title, 1)
            remove = QPushButton("Remove")
            remove.setAccessibleName("Remove this area of excellence")
            remove.setToolTip("Remove it (Undo brings it back)")
            remove.clicked.connect(lambda _c=False, r=rid: self.ctx.session.delete(r))
            top.addWidget(remove)
            box.addLayout(top)
            text = GrowingTextEdit(2, 10)
            text.setPlaceholderText("What makes it excellent, and who other schools should ask")
            text.setAccessibleName("What makes it excellent")
            box.addWidget(text)
            self.bindings.append(
                LineBinding(self.ctx.session, title, "title", record=rid, label="title")
            )
            self.bindings.append(
                TextBinding(self.ctx.session, text, "description", record=rid, label="description")
            )
            self.titles[rid] = title
            self.descriptions[rid] = text
            self.list_box.addWidget(frame)

    def add(self) -> str | None:
        ctx = self.ctx
        rid = ctx.create(
            lambda: rv.add_excellence(ctx.store, ctx.review_id, title=""),
            "excellence",
            "area of excellence",
        )
        if rid is not None and rid in self.titles:
            self.titles[rid].setFocus(Qt.FocusReason.OtherFocusReason)
        return rid

    def _changed(self, _record_id: str, kind: str) -> None:
        if kind == "excellence" and set(self.records()) != set(self._ids):
            self.rebuild()

    def flush(self) -> None:
        for b in self.bindings:
            b.save()
