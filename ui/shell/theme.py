"""Look and feel: Fusion everywhere, light or dark following the system, a few quiet accents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

#: the app's property saying whether the dark palette is in use
DARK = "peerreview-dark"

_STYLE = """
QLabel[role="help"] { color: palette(placeholder-text); }
QLabel[role="error"] { color: #c0392b; }
QLabel#emptyState { font-size: 11pt; padding: 8px 0; }
QFrame#conflictBanner { background: rgba(224, 161, 0, 0.18); border: 1px solid #e0a100;
                        border-radius: 4px; }
QFrame#valueCard { border-radius: 6px; }
QFrame#welcomeCard { border: 1px solid palette(mid); border-radius: 8px; }
QLabel[conflict="true"] { color: #b9770e; font-weight: bold; }
QLineEdit[conflict="true"], QPlainTextEdit[conflict="true"], QComboBox[conflict="true"],
QAbstractSpinBox[conflict="true"], QAbstractItemView[conflict="true"] {
    border: 2px solid #e0a100; border-radius: 3px; }
"""


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    disabled = QColor(130, 130, 130)
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor(38, 38, 40)),
        (QPalette.ColorRole.ToolTipBase, window),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, QColor(160, 160, 160)),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, window),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor(255, 90, 90)),
        (QPalette.ColorRole.Link, QColor(100, 170, 240)),
        (QPalette.ColorRole.Highlight, QColor(47, 123, 191)),
        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)),
        (QPalette.ColorRole.Mid, QColor(80, 80, 84)),
        # Bevels and separator lines (the status bar's): Qt's light ones glare on dark.
        (QPalette.ColorRole.Light, QColor(78, 78, 82)),
        (QPalette.ColorRole.Midlight, QColor(62, 62, 66)),
        (QPalette.ColorRole.Dark, QColor(28, 28, 30)),
        (QPalette.ColorRole.Shadow, QColor(12, 12, 12)),
    ):
        p.setColor(role, colour)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def follow_scheme(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """Use the palette for ``scheme``: every window repaints in it at once."""
    from PySide6.QtCore import Qt

    set_dark(app, scheme == Qt.ColorScheme.Dark)


def set_dark(app: QApplication, dark: bool) -> None:
    """The dark palette, or the style's own light one."""
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    app.setProperty(DARK, dark)
    # With a style sheet set, widgets already polished keep their old palette (item views kept
    # a white base in dark mode): setting the sheet again polishes every widget in the new one.
    sheet = app.styleSheet()
    if sheet:
        app.setStyleSheet(sheet)


def apply_theme(app: QApplication, dark: bool | None = None) -> None:
    """Fusion with the system's light or dark scheme; follows later changes of the scheme
    (``QStyleHints.colorSchemeChanged``, which the platform emits when the person switches).

    ``dark`` is the scheme the last session's window was painted in (its start note): asking
    the platform makes Qt build every enum of its namespace (15 ms), which a start painted from
    its note does once it has painted (``check_scheme``)."""
    app.setStyle("Fusion")
    if dark is None:
        follow_scheme(app, app.styleHints().colorScheme())
    else:
        set_dark(app, dark)
    if not app.property("peerreview-follows-scheme"):  # once, however often the app is set up
        app.setProperty("peerreview-follows-scheme", True)
        app.styleHints().colorSchemeChanged.connect(lambda scheme: follow_scheme(app, scheme))
    app.setStyleSheet(_STYLE)


def check_scheme(app: QApplication) -> None:
    """Follow the system's scheme if it is not the one the app was started in."""
    from PySide6.QtCore import Qt

    dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    if dark != bool(app.property(DARK)):
        set_dark(app, dark)
