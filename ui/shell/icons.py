"""The app's icons, read from resources/icons (SVG, so they stay sharp at any scaling).

Where a row or a menu item is selected its background is the highlight colour, and Qt's own
"selected" version of an icon is the icon tinted with that colour: a blue icon on blue vanishes.
The icons here draw themselves in the highlighted text's colour (white) when selected instead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap

from peerreview.paths import package_data


def icons_dir() -> Path:
    return package_data("resources") / "icons"


class SvgIconEngine(QIconEngine):
    """An SVG icon as drawn, and as a silhouette in the highlighted text's colour when selected."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.svg = QIcon(path)  # Qt's own SVG engine draws it, sharp at any size and scale
        self._selected: dict[tuple[int, int, float, int, int], QPixmap] = {}

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self.path)

    def isNull(self) -> bool:  # noqa: N802 - Qt override
        return self.svg.isNull()

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:  # noqa: N802
        return self.svg.actualSize(size, mode, state)

    def availableSizes(  # noqa: N802 - Qt override
        self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off
    ) -> list[QSize]:
        return self.svg.availableSizes(mode, state)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(  # noqa: N802 - Qt override
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        if mode != QIcon.Mode.Selected:
            return self.svg.pixmap(size, scale, mode, state)
        colour = QGuiApplication.palette().color(QPalette.ColorRole.HighlightedText)
        key = (size.width(), size.height(), scale, int(state.value), colour.rgba())
        cached = self._selected.get(key)
        if cached is None:
            drawn = self.svg.pixmap(size, scale, QIcon.Mode.Normal, state)
            cached = QPixmap(drawn.size())
            cached.setDevicePixelRatio(drawn.devicePixelRatio())
            cached.fill(QColor(0, 0, 0, 0))  # transparent (Qt's enums cost the start 15 ms)
            painter = QPainter(cached)
            painter.drawPixmap(0, 0, drawn)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            painter.fillRect(QRect(0, 0, cached.width(), cached.height()), colour)
            painter.end()
            self._selected[key] = cached
        return cached

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))


def icon(name: str) -> QIcon:
    """The icon called ``name`` (an empty icon when there is no such file)."""
    return icon_file(icons_dir() / f"{name}.svg")


def icon_file(path: Path) -> QIcon:
    """The icon drawn by an SVG file (a feature's own); an empty icon when there is none."""
    return QIcon(SvgIconEngine(str(path))) if path.is_file() else QIcon()
