"""The app's icons, read from resources/icons (SVG, so they stay sharp at any scaling)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

from peerreview.paths import package_data


def icons_dir() -> Path:
    return package_data("resources") / "icons"


def icon(name: str) -> QIcon:
    """The icon called ``name`` (an empty icon when there is no such file)."""
    path = icons_dir() / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
