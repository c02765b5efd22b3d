"""Two halves of a page side by side on a wide screen, one above the other on a laptop's."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QBoxLayout, QSplitter, QVBoxLayout, QWidget


class Flip(QObject):
    """Lays a box layout's two halves side by side while its widget is at least ``width``
    pixels wide, else one above the other: a laptop's narrow pane gets one column, not a
    sideways scroll bar. (A splitter given instead turns from across to down.)"""

    def __init__(
        self, widget: QWidget, layout: QBoxLayout | QSplitter, width: int, spacing: int = 14
    ) -> None:
        super().__init__(widget)
        self.layout, self.width, self.spacing = layout, width, spacing
        widget.installEventFilter(self)
        self.apply(widget.width())

    @classmethod
    def columns(
        cls, page: QWidget, width: int, stretch: tuple[int, int]
    ) -> tuple[Flip, QVBoxLayout, QVBoxLayout]:
        """A tab's page as two columns (``stretch``: their shares of its width), side by side
        while it is at least ``width`` pixels wide; returns the flip and the two columns."""
        halves = QBoxLayout(QBoxLayout.Direction.LeftToRight, page)
        halves.setContentsMargins(0, 8, 0, 0)
        halves.setSpacing(14)
        left, right = QVBoxLayout(), QVBoxLayout()
        for column, share in zip((left, right), stretch, strict=True):
            column.setSpacing(12)
            halves.addLayout(column, share)
        return cls(page, halves, width), left, right

    @property
    def across(self) -> bool:
        if isinstance(self.layout, QSplitter):
            return self.layout.orientation() == Qt.Orientation.Horizontal
        return self.layout.direction() == QBoxLayout.Direction.LeftToRight

    def apply(self, width: int) -> None:
        across = width >= self.width
        if across == self.across:
            return
        if isinstance(self.layout, QSplitter):
            self.layout.setOrientation(
                Qt.Orientation.Horizontal if across else Qt.Orientation.Vertical
            )
            return
        self.layout.setDirection(
            QBoxLayout.Direction.LeftToRight if across else QBoxLayout.Direction.TopToBottom
        )
        self.layout.setSpacing(self.spacing if across else 12)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self.apply(watched.width() if isinstance(watched, QWidget) else 0)
        return False
