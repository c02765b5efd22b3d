"""The window's own actions and menus, in one table, so menus and Help → Keyboard shortcuts agree.

Each action's shortcut is shown in its menu; the shortcuts dialog is generated from these actions.
Features add theirs (``ui.shell.registry.FeatureAction``) in the slots named here or in menus of
their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from ui.shell.icons import icon

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    tip: str = ""
    checkable: bool = False
    icon: str = ""


#: A slot of the menus where features put their actions: Edit → New school, New person...
NEW = "@new"
#: ...and File → Import schools from GIAS (bringing a feature's data in from elsewhere).
IMPORT = "@import"
SLOTS = frozenset({NEW, IMPORT})

#: (menu title, actions in order; "-" is a separator, "recent" the recent-databases submenu, a slot
#: the features' actions put there). Features' own menus go before the last (Help).
SHELL_MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "&File",
        (
            "new_database",
            "open_database",
            "recent",
            "-",
            "import_bundles",
            "export_bundle",
            "review_conflicts",
            "-",
            "sync_now",
            "sync_folder",
            "laptops",
            "-",
            IMPORT,
            "-",
            "quit",
        ),
    ),
    (
        "&Edit",
        ("undo", "redo", "-", NEW, "-", "delete", "purge"),
    ),
    ("&View", ("search", "privacy", "-", "focus_navigator", "focus_details")),
    ("&Help", ("shortcuts", "about")),
)

SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("new_database", "&New database…", (), "Create a database for a new partnership"),
    ActionSpec("open_database", "&Open…", (Key.Open,), "Open another database on this laptop"),
    ActionSpec(
        "import_bundles",
        "&Import bundles…",
        ("Ctrl+I",),
        "Import bundles from other laptops (you can also drop them on the window)",
    ),
    ActionSpec(
        "export_bundle",
        "&Export bundle…",
        ("Ctrl+E",),
        "Write this laptop's work to a bundle for another laptop",
    ),
    ActionSpec(
        "review_conflicts",
        "Review &conflicts…",
        ("Ctrl+Shift+K",),
        "Settle values that two laptops changed at the same time",
        icon="conflict",
    ),
    ActionSpec(
        "sync_now",
        "S&ync now",
        ("F9",),
        "Exchange bundles with the other laptops through the shared folder",
    ),
    ActionSpec(
        "sync_folder",
        "Shared &folder…",
        (),
        "Choose the shared folder (OneDrive, SharePoint, a network share) bundles go through",
    ),
    ActionSpec(
        "laptops",
        "&Laptops…",
        (),
        "The partnership's laptops: invite, join, approve held bundles, revoke",
    ),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "Close PeerReview (everything is already saved)"),
    ActionSpec("undo", "&Undo", ("Ctrl+Z",), "Undo the last edit"),
    ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the edit just undone"),
    ActionSpec("delete", "&Delete…", ("Del",), "Delete the selected record (you can undo it)"),
    ActionSpec(
        "purge",
        "&Erase for good…",
        (),
        "Data-protection erasure: remove the selected record's values on every laptop (no undo)",
    ),
    ActionSpec("search", "&Search everything…", (Key.Find,), "Search all records", icon="search"),
    ActionSpec(
        "privacy",
        "&Privacy mode",
        ("Ctrl+Shift+P",),
        "Hide pupils' and staff names, e.g. when projecting",
        checkable=True,
        icon="privacy",
    ),
    ActionSpec("focus_navigator", "Go to &navigator", ("Ctrl+1",), "Move to the list on the left"),
    ActionSpec("focus_details", "Go to &details", ("Ctrl+2",), "Move to the details on the right"),
    ActionSpec("shortcuts", "&Keyboard shortcuts", ("F1", "Ctrl+/"), "List every shortcut"),
    ActionSpec("about", "&About PeerReview", (), "Version, database and this laptop"),
)


def build_actions(
    parent: QObject,
    handlers: Mapping[str, Callable[..., object]],
    specs: Sequence[ActionSpec] = SPECS,
) -> dict[str, QAction]:
    """One QAction per spec, connected to ``handlers[name]`` (checkable ones get the new state)."""
    actions: dict[str, QAction] = {}
    for spec in specs:
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{spec.name}")
        keys: list[QKeySequence] = []
        for s in spec.shortcuts:
            if isinstance(s, QKeySequence.StandardKey):
                keys.extend(QKeySequence.keyBindings(s)[:1])
            else:
                keys.append(QKeySequence(s))
        action.setShortcuts(keys)
        action.setToolTip(spec.tip)
        action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        if spec.icon:
            action.setIcon(icon(spec.icon))
        action.setShortcutVisibleInContextMenu(True)
        handler = handlers.get(spec.name)
        if handler is not None:
            if spec.checkable:
                action.toggled.connect(handler)
            else:
                action.triggered.connect(lambda _checked=False, h=handler: h())
        actions[spec.name] = action
    actions["quit"].setMenuRole(QAction.MenuRole.QuitRole)
    actions["about"].setMenuRole(QAction.MenuRole.AboutRole)
    # Del deletes a record only from the navigator, never a character in a field.
    actions["delete"].setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return actions


def _own_letter(title: str, taken: set[str]) -> str:
    """The menu's title as shown: a feature's menu whose Alt+letter an earlier menu already has
    ("P&lans" after "&Lesson study") shows no letter (Alt, then the arrow keys, reaches it), so
    one Alt+letter never opens one of two menus."""
    at = title.replace("&&", "").find("&")
    if at < 0 or at + 1 >= len(title.replace("&&", "")):
        return title
    letter = title.replace("&&", "")[at + 1].lower()
    if letter in taken:
        return title.replace("&&", "\0").replace("&", "").replace("\0", "&&")
    taken.add(letter)
    return title


def build_menus(
    menubar: QMenuBar,
    actions: Mapping[str, QAction],
    recent: QMenu,
    menus: Sequence[tuple[str, Sequence[str]]] = SHELL_MENUS,
) -> None:
    taken: set[str] = set()
    for title, names in menus:
        menu = menubar.addMenu(_own_letter(title, taken))
        for name in names:
            if name == "-":
                menu.addSeparator()
            elif name == "recent":
                recent.setTitle("Open &recent")
                menu.addMenu(recent)
            else:
                menu.addAction(actions[name])
