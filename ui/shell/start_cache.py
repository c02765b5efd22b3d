"""The window's first paint from a small cache of how the last session started (docs/start.md).

On closing, the window notes what its next start will show first: the title, the menus' names, the
navigator's rows as the start shows them (the partnership and its folders), the partnership's
page (its heading, summary and today's visit). The next start paints the real window from that
before it imports the store or any feature, then opens the database and makes the window live,
replacing the noted rows with real ones; until then it takes no input. The note is kept in the
app's private folder beside its settings, never in the shared database, and is ignored (and
removed) when the database file is not exactly as it was left, or is another database.

This module imports nothing of the store or the features: it is what the start runs before them.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QGuiApplication, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.shell.icons import icon_file, icons_dir

if TYPE_CHECKING:
    import datetime as dt

    from ui.shell.settings import AppSettings

CACHE_NAME = "start-cache.json"
#: bump when what is noted changes: an older note is then ignored
VERSION = 1


@dataclass
class StartRow:
    """One navigator row as the start shows it."""

    text: str
    depth: int
    icon: str = ""  # the SVG it is drawn with (relative to the app's icons, or a feature's own)
    bold: bool = False
    greyed: bool = False
    children: bool = False  # drawn with an arrow
    expanded: bool = False


@dataclass
class StartButton:
    """A button on the partnership's page (today's visit) or in its heading."""

    text: str
    name: str = ""  # objectName
    style: str = ""  # its own style sheet


@dataclass
class StartPage:
    """The partnership's page as the start shows it."""

    title: str
    subtitle: str = ""
    summary: str = ""
    buttons: list[StartButton] = field(default_factory=list)  # in the heading
    today: list[StartButton] = field(default_factory=list)  # today's visit, on this day only
    day: str = ""  # ISO date the page was read on


@dataclass
class StartCache:
    """What the next start paints before the database is open."""

    database: str
    window_title: str
    menus: list[str]
    rows: list[StartRow]
    page: StartPage | None = None
    status_height: int = 0  # the status bar's, with its texts (which come with the database)
    dark: bool = False  # painted in the dark palette (the start paints in it before asking)
    stamp: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"version": VERSION, **asdict(self)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> StartCache:
        raw = json.loads(text)
        if raw.pop("version", None) != VERSION:
            raise ValueError("another version")
        page = raw.pop("page", None)
        rows = [StartRow(**r) for r in raw.pop("rows")]
        cache = cls(rows=rows, **raw)
        if page is not None:
            buttons = [StartButton(**b) for b in page.pop("buttons", [])]
            today = [StartButton(**b) for b in page.pop("today", [])]
            cache.page = StartPage(buttons=buttons, today=today, **page)
        return cache


# ---------------------------------------------------------------------- where, and whether current


def cache_folder(settings: AppSettings) -> Path:
    """The app's private folder beside its settings (the user's own, never shared).

    A settings file's folder; where settings live in the registry (Windows), the local (not
    roaming) app-data folder.
    """
    name = settings.qsettings.fileName()
    if sys.platform.startswith("win") and not Path(name).is_file():
        from PySide6.QtCore import QStandardPaths

        location = QStandardPaths.StandardLocation.AppLocalDataLocation
        return Path(QStandardPaths.writableLocation(location))
    return Path(name).parent


def cache_path(settings: AppSettings) -> Path:
    return cache_folder(settings) / CACHE_NAME


def file_stamp(database: Path) -> dict[str, Any] | None:
    """What changes whenever the database file does: its identity, size and times, its write-
    ahead log's, and SQLite's own change counter; None when it cannot be read."""
    try:
        info = database.stat()
        with database.open("rb") as f:
            header = f.read(100)
    except OSError:
        return None
    wal = Path(f"{database}-wal")
    try:
        wal_info = wal.stat()
        wal_stamp: list[int] | None = [wal_info.st_size, wal_info.st_mtime_ns]
    except OSError:
        wal_stamp = None
    return {
        "file": [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns],
        "wal": wal_stamp,
        "counter": header[24:28].hex() + header[92:96].hex(),
    }


def load(settings: AppSettings, database: Path, today: dt.date | None = None) -> StartCache | None:
    """The note for ``database`` when the file is exactly as it was left; else None (and a note
    that no longer matches is removed)."""
    path = cache_path(settings)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        cache = StartCache.from_json(text)
    except (ValueError, TypeError, KeyError, AttributeError):
        forget(settings)
        return None
    if cache.database != str(database.resolve()):
        return None  # another database's: it stays for that one
    stamp = file_stamp(database)
    if stamp is None or stamp != cache.stamp:
        forget(settings)  # changed since: by another program, a crash, a copy
        return None
    day = today.isoformat() if today is not None else time.strftime("%Y-%m-%d")
    if cache.page is not None and cache.page.day != day:
        cache.page.today = []  # yesterday's visit is not today's
    return cache


def save(settings: AppSettings, cache: StartCache, database: Path) -> bool:
    """Write the note for ``database`` as its file is now (after the store has closed it)."""
    stamp = file_stamp(database)
    if stamp is None:
        forget(settings)
        return False
    cache.database = str(database.resolve())
    cache.stamp = stamp
    path = cache_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        # Names of schools: readable by this user only.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(cache.to_json())
        os.replace(temporary, path)
    except OSError:
        return False
    return True


def forget(settings: AppSettings) -> None:
    with contextlib.suppress(OSError):
        cache_path(settings).unlink(missing_ok=True)


# ---------------------------------------------------------------------- painting from the note


def rows_model(rows: list[StartRow], parent: QObject | None = None) -> QStandardItemModel:
    """The noted rows as a tree model drawn as the navigator's is."""
    model = QStandardItemModel(parent)
    stack: list[QStandardItem] = [model.invisibleRootItem()]
    grey = QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    icons: dict[str, Any] = {}
    made: list[tuple[StartRow, QStandardItem]] = []
    for row in rows:
        item = QStandardItem(row.text)
        item.setEditable(False)
        if row.icon:
            if row.icon not in icons:
                icons[row.icon] = icon_file(icons_dir() / row.icon)  # a full path stays whole
            item.setIcon(icons[row.icon])
        if row.bold:
            font = QFont()
            font.setBold(True)
            item.setFont(font)
        if row.greyed:
            item.setForeground(grey)
        del stack[row.depth + 1 :]
        stack[-1].appendRow(item)
        stack.append(item)
        made.append((row, item))
    # A row noted with children but closed still shows its arrow: an empty child, never seen.
    for row, item in made:
        if row.children and not row.expanded and not item.hasChildren():
            item.appendRow(QStandardItem())
    return model


#: The detail pane's margins (ui/shell/detail.py), which the noted page is laid out with too.
PAGE_MARGINS = (16, 12, 8, 8)


def heading_labels() -> tuple[QLabel, QLabel]:
    """A page's title and subtitle, as the detail pane and the noted page both show them."""
    title = QLabel()
    title.setObjectName("detailTitle")
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    title.setFont(font)
    title.setWordWrap(True)
    subtitle = QLabel()
    subtitle.setObjectName("detailSubtitle")
    subtitle.setProperty("role", "help")
    return title, subtitle


def page_widget(page: StartPage | None, fallback_title: str) -> QWidget:
    """The partnership's page as the detail pane lays it out (ui/shell/detail.py)."""
    pane = QWidget()
    pane.setObjectName("startPage")
    layout = QVBoxLayout(pane)
    layout.setContentsMargins(*PAGE_MARGINS)
    head = QHBoxLayout()
    head.setContentsMargins(0, 0, 0, 0)
    titles = QVBoxLayout()
    title, subtitle = heading_labels()
    title.setText(page.title if page else fallback_title)
    subtitle.setText(page.subtitle if page else "")
    titles.addWidget(title)
    titles.addWidget(subtitle)
    head.addLayout(titles, 1)
    buttons = QHBoxLayout()
    buttons.setContentsMargins(0, 0, 0, 0)
    box = QWidget()
    box.setLayout(buttons)
    if page is not None and page.buttons:
        # Qt's namespace of enums costs 15 ms to build: only when there are buttons to place.
        from PySide6.QtCore import Qt

        for noted in page.buttons:
            button = QToolButton()
            button.setText(noted.text)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        head.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    else:
        head.addWidget(box)
    layout.addLayout(head)
    body = QVBoxLayout()
    if page is not None:
        summary = QLabel(page.summary)
        summary.setWordWrap(True)
        summary.setObjectName("emptyState")
        body.addWidget(summary)
        for noted in page.today:
            today = QPushButton(noted.text)
            today.setObjectName(noted.name)
            if noted.style:
                today.setStyleSheet(noted.style)
            body.addWidget(today)
    body.addStretch(1)
    layout.addLayout(body, 1)
    return pane


#: what a person does to a window; none of it reaches a window painted from its note
_INPUT = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.Wheel,
    QEvent.Type.ContextMenu,
    QEvent.Type.DragEnter,
    QEvent.Type.DragMove,
    QEvent.Type.Drop,
    QEvent.Type.TouchBegin,
}


class InputGate(QObject):
    """Holds back input to the widgets of a window painted from its note until it is live.

    Each widget that takes input is watched itself (the window for its shortcuts and keys, the
    menu bar, the navigator, the page's buttons), not the whole application: a filter on the
    application would run Python for every event of the start.
    """

    def __init__(self, widgets: list[QWidget]) -> None:
        super().__init__()
        self.widgets = list(widgets)
        self.held = 0
        for widget in self.widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT:
            self.held += 1
            return True
        return False

    def release(self, widgets: list[QWidget]) -> None:
        """Let input reach ``widgets`` again."""
        for widget in widgets:
            widget.removeEventFilter(self)
        self.widgets = [w for w in self.widgets if w not in widgets]

    def open(self) -> None:
        self.release(list(self.widgets))


class StartFrame(QObject):
    """A main window's content painted from its note, until the window goes live."""

    def __init__(self, window: QMainWindow, tree: QTreeView, cache: StartCache) -> None:
        super().__init__(window)
        self.cache = cache
        window.setWindowTitle(cache.window_title)
        # The menus' names, in their places; their commands come with the features.
        self.menus = [QMenu(title, window) for title in cache.menus]
        for menu in self.menus:
            window.menuBar().addMenu(menu)
        self.model = rows_model(cache.rows, self)
        tree.setModel(self.model)
        self._expand(tree)
        tree.setCurrentIndex(self.model.index(0, 0))
        title = cache.rows[0].text if cache.rows else ""
        self.page = page_widget(cache.page, title)
        # There, as tall as with its texts (they come with the database), so that nothing moves.
        window.statusBar().setMinimumHeight(cache.status_height)
        #: the page's own widgets that take input (its buttons)
        self.page_inputs: list[QWidget] = [
            *self.page.findChildren(QToolButton),
            *self.page.findChildren(QPushButton),
        ]
        self.gate = InputGate(
            [window, window.menuBar(), tree, tree.viewport(), self.page, *self.page_inputs]
        )

    def _expand(self, tree: QTreeView) -> None:
        index = self.model.index(0, 0)
        rows = iter(self.cache.rows)
        while index.isValid():
            row = next(rows, None)
            if row is None:
                break
            if row.expanded:
                tree.expand(index)
            index = tree.indexBelow(index)

    def named_rows(self) -> list[tuple[str, int]]:
        return [(r.text, r.depth) for r in self.cache.rows]

    def finish(self, window: QMainWindow) -> None:
        """The window is live: the noted menus and rows go and input goes through, except to
        the noted page, which stays until the real one is built (``drop_page``)."""
        window.statusBar().setMinimumHeight(0)
        for menu in self.menus:
            menu.deleteLater()
        self.model.deleteLater()
        self.gate.release([w for w in self.gate.widgets if w not in self.page_inputs])

    def drop_page(self) -> None:
        """The real page has taken the noted one's place."""
        self.gate.open()
        self.gate.deleteLater()
        self.page.hide()
        self.page.deleteLater()
        self.deleteLater()
