"""Light and dark follow the system live; the window is sharp at high DPI (SVG icons)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPalette

from ui.shell.icons import icon


@pytest.fixture
def scheme_restored(app: Any) -> Iterator[Any]:
    """Whatever a test switches to, the light palette is back afterwards."""
    yield app.styleHints().colorSchemeChanged
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)


def _lightness(palette: QPalette, role: QPalette.ColorRole) -> int:
    return palette.color(role).lightness()


def test_switching_to_dark_and_back_changes_the_open_window(
    app: Any, open_window: Any, db_path: Path, scheme_restored: Any
) -> None:
    window = open_window(db_path)
    tree = window.tree
    assert _lightness(window.palette(), QPalette.ColorRole.Window) > 180  # light to start with
    # The platform says the person switched to dark: the signal the theme follows.
    scheme_restored.emit(Qt.ColorScheme.Dark)
    assert _lightness(app.palette(), QPalette.ColorRole.Window) < 80
    assert _lightness(window.palette(), QPalette.ColorRole.Window) < 80
    assert _lightness(tree.palette(), QPalette.ColorRole.Base) < 60  # the navigator, live
    assert _lightness(tree.palette(), QPalette.ColorRole.Text) > 180
    dark = window.grab().toImage()
    assert _colour_at(dark, 5, window.height() - 5).lightness() < 80  # it really paints dark
    scheme_restored.emit(Qt.ColorScheme.Light)
    assert _lightness(window.palette(), QPalette.ColorRole.Window) > 180
    assert _lightness(tree.palette(), QPalette.ColorRole.Base) > 200


def _colour_at(image: Any, x: int, y: int) -> Any:
    from PySide6.QtGui import QColor

    return QColor(image.pixel(x, y))


def test_a_selected_rows_icon_is_drawn_in_the_highlighted_text_colour(app: Any) -> None:
    """Qt tints a selected icon with the highlight colour: a blue icon on blue would vanish."""
    school = icon("school")
    normal = school.pixmap(QSize(16, 16), 1.0, QIcon.Mode.Normal).toImage()
    selected = school.pixmap(QSize(16, 16), 1.0, QIcon.Mode.Selected).toImage()
    highlighted_text = app.palette().color(QPalette.ColorRole.HighlightedText)
    inked = [(x, y) for x in range(16) for y in range(16) if normal.pixelColor(x, y).alpha() > 200]
    assert inked
    for x, y in inked:
        colour = selected.pixelColor(x, y)
        assert colour.rgb() == highlighted_text.rgb(), (x, y)
        assert colour.alpha() == normal.pixelColor(x, y).alpha()  # the same shape
    assert normal.pixelColor(*inked[0]).rgb() != highlighted_text.rgb()


HIGH_DPI = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
from peerreview.sync.store import Store
from ui.shell.app import make_application
from ui.shell.icons import icon
from ui.shell.main_window import MainWindow
from ui.shell.navigator import TAG_ROLE
from ui.shell.session import Session
from ui.shell.settings import AppSettings

app = make_application()
folder = Path(sys.argv[1])
store = Store.init(folder / "p.db", device_name="Laptop", partnership_name="High DPI Trio")
store.create("school", {"name": "Coundon Court"})
settings = AppSettings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
window = MainWindow(Session(Store.open(folder / "p.db")), settings)
window.resize(800, 500)
window.show()
for _ in range(5):
    app.processEvents()
shot = window.grab()
model = window.model
schools = model.index(1, 0, model.index(0, 0))
school = model.index(0, 0, schools)
assert model.data(school, TAG_ROLE) == "school"
decoration = model.data(school, Qt.ItemDataRole.DecorationRole)
native = decoration.pixmap(QSize(16, 16), 2.0).toImage()  # what the navigator paints at 2x
small = decoration.pixmap(QSize(16, 16), 1.0).toImage()
blown_up = small.scaled(32, 32, Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.FastTransformation)
differing = sum(
    native.pixel(x, y) != blown_up.pixel(x, y) for x in range(32) for y in range(32)
)
print(json.dumps({
    "screen_dpr": window.screen().devicePixelRatio(),
    "shot_dpr": shot.devicePixelRatio(),
    "shot": [shot.width(), shot.height()],
    "window": [window.width(), window.height()],
    "icon_px": [native.width(), native.height()],
    "icon_dpr": native.devicePixelRatio(),
    "differing": differing,
    "same_as_svg": native == icon("school").pixmap(QSize(16, 16), 2.0).toImage(),
}))
window.close()
"""


def test_the_window_renders_sharp_at_twice_the_scale(tmp_path: Path, probe: Any) -> None:
    seen = probe(
        HIGH_DPI,
        str(tmp_path),
        QT_SCALE_FACTOR="2",
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    assert seen["screen_dpr"] == 2.0
    assert seen["shot_dpr"] == 2.0
    assert seen["shot"] == [2 * seen["window"][0], 2 * seen["window"][1]]  # every device pixel
    assert seen["icon_px"] == [32, 32] and seen["icon_dpr"] == 2.0
    assert seen["same_as_svg"]
    # Drawn from the SVG at 32 px, not a 16 px bitmap blown up: many pixels differ.
    assert seen["differing"] > 40
