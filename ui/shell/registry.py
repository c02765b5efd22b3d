"""The UI's feature registry: what each feature shows in the window, declared once and asked by all.

The core registry (``peerreview.sync.registry``) says what a feature's records are: kinds,
navigator folders, titles, reports. This one says how the window works with them: the widget that
opens a record of a kind, the commands a feature adds to the menus (with their shortcuts), the
buttons on a record's or a folder's page, the dialog that asks for a new record's name, what the
feature adds to the partnership's page, icons, and what a navigator row shows beside its title.

The shell (window, navigator, detail pane, search) asks a :class:`UIRegistry` and never branches
on a kind's name. There is no global: the window is given one (``MainWindow(..., features=...)``),
``ui.features.default_ui_registry`` makes the app's own, and each feature package declares its part
as one ``FEATURE_UI`` in its ``feature.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ui.shell.actions import SHELL_MENUS, SLOTS, SPECS, ActionSpec

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from peerreview.sync.records import Record
    from peerreview.sync.registry import Registry
    from ui.shell.session import Session
    from ui.shell.worker import JobRunner


class Shell(Protocol):
    """What a feature's widgets and commands may ask of the window they are shown in."""

    session: Session
    jobs: JobRunner

    def dialog_parent(self) -> QWidget:
        """The widget a feature's dialogs belong to (the window)."""
        ...

    def select_record(self, record_id: str) -> bool:
        """Show a record in the navigator and the detail pane; False when it is shown nowhere."""
        ...

    def record_in_context(self, kind: str) -> str | None:
        """The record of ``kind`` that what is selected belongs to (a school, from one of its
        people or reviews, or from the school itself); None when there is none."""
        ...

    def new_record(self, kind: str, values: Mapping[str, Any] | None = None) -> str | None:
        """Ask for a new record of ``kind`` (unless ``values`` are given), make it and open it."""
        ...

    def current_view(self) -> QWidget | None:
        """The workspace the detail pane shows for the selected record (None for an editor)."""
        ...

    def show_message(self, text: str, msecs: int = 6000) -> None:
        """A sentence in the status bar."""
        ...


#: Makes the widget that opens a record in the detail pane: an editor or a workspace. A workspace
#: that holds unsaved typing has a ``flush()`` method, called before it is replaced.
Opener = Callable[[Shell, "Record"], "QWidget"]

#: Asks for what a new record of a kind cannot exist without (its name...); None when cancelled.
Asker = Callable[[Shell, str], "Mapping[str, Any] | None"]

#: Runs a command: a menu item, its shortcut, a button.
Run = Callable[[Shell], object]

#: Shows a record the navigator does not list inside the view of what it belongs to (the window
#: has opened that already): an evidence note on its review's Evidence tab. True when shown.
Reveal = Callable[[Shell, "Record"], bool]


@dataclass(frozen=True)
class FeatureAction:
    """A command a feature adds to the window, with its menu item and shortcuts.

    ``place`` is a slot of the shell's menus (``"new"``: Edit → New…; ``"import"``: File → the
    imports), or the title of a menu of the feature's own ("&Review"), shown before Help.
    """

    spec: ActionSpec
    run: Run = field(compare=False)
    place: str


@dataclass(frozen=True)
class PageButton:
    """An action offered as a button at the top of a page of the detail pane.

    On the page of a record of ``kind`` (``folder`` False), or of a folder of such records.
    Buttons are shown by ``order``, then as registered; the shell's Delete comes last.
    """

    action: str
    kind: str
    folder: bool = False
    order: int = 100


#: One column's cells for many records at once: (text shown, key it sorts by) for each record.
ColumnValues = Callable[["Session", "Sequence[Record]"], "Sequence[tuple[str, Any]]"]


@dataclass(frozen=True)
class ListColumn:
    """A column of the list of ``kind``'s records on a folder's page (a school's last review).

    ``values`` is asked for every record of the list at once, so it can read what it needs in
    one query, not one per row."""

    kind: str
    header: str
    values: ColumnValues = field(compare=False)
    #: shown by order, then as registered
    order: int = 100


@dataclass(frozen=True)
class StartSummary:
    """A feature's part of the partnership's page: paragraphs, and buttons for its heading."""

    lines: tuple[str, ...] = ()
    buttons: tuple[str, ...] = ()


#: A feature's summary on the partnership's page (read as the window first paints: keep it cheap).
Summarise = Callable[["Session"], StartSummary]

#: Widgets a feature adds below the summary ("Today: review of …"), once the window has painted.
StartWidgets = Callable[[Shell], "Sequence[QWidget]"]


@dataclass(frozen=True)
class RowLook:
    """What a navigator row shows besides its title: a tooltip, and whether it is closed."""

    tooltip: str = ""
    #: shown greyed with "(closed)" (a school that has closed)
    closed: bool = False


#: How a record's row looks in the navigator (pure: reads only the record).
Looks = Callable[["Record"], RowLook]

#: A few words after a row's title that need more than the record to know ("changed after
#: agreement"); "" for none. Asked when the row is read and when a record it owns changes.
RowNote = Callable[["Session", "Record"], str]


@dataclass(frozen=True)
class FeatureUI:
    """Everything one feature shows in the window, declared once.

    ``name`` is the name of the core feature (``peerreview.sync.registry.Feature``) it is the face
    of. Kinds it says nothing about get the shell's defaults: a form editor built from ``forms/``,
    no buttons besides Delete, the kind's name as its icon.
    """

    name: str
    #: kind → what opens its records (the default is the record's form editor)
    openers: Mapping[str, Opener] = field(default_factory=dict, compare=False)
    #: kind → the dialog asking for a new record's name (the default makes it with no values)
    askers: Mapping[str, Asker] = field(default_factory=dict, compare=False)
    #: kind → how a record the navigator does not list is shown in its owner's view
    revealers: Mapping[str, Reveal] = field(default_factory=dict, compare=False)
    actions: tuple[FeatureAction, ...] = ()
    buttons: tuple[PageButton, ...] = ()
    summary: Summarise | None = field(default=None, compare=False)
    start_widgets: StartWidgets | None = field(default=None, compare=False)
    #: kind → an icon: the name of an SVG in resources/icons, or a file of the feature's own
    icons: Mapping[str, str | Path] = field(default_factory=dict)
    looks: Mapping[str, Looks] = field(default_factory=dict, compare=False)
    #: kind → a note after its rows' titles, read from the store (a review changed after agreement)
    notes: Mapping[str, RowNote] = field(default_factory=dict, compare=False)
    #: kind → how a list of its records is headed (search results), in the order they are listed
    headings: Mapping[str, str] = field(default_factory=dict)
    #: columns this feature adds to lists of records on folders' pages (of its kinds or others')
    columns: tuple[ListColumn, ...] = ()


class UIRegistry:
    """The UI features a window is built with, over the core registry of its store."""

    def __init__(self, registry: Registry, features: Sequence[FeatureUI]) -> None:
        self.registry = registry
        order = {f.name: n for n, f in enumerate(registry.features)}
        for f in features:
            if f.name not in order:
                raise ValueError(f"There is no feature called {f.name!r} to show.")
        if len({f.name for f in features}) != len(features):
            raise ValueError("A feature is shown twice.")
        #: in the order the core registers them (features build on those before them)
        self.features: tuple[FeatureUI, ...] = tuple(sorted(features, key=lambda f: order[f.name]))
        names = {s.name for s in SPECS}
        for f in self.features:
            for a in f.actions:
                if a.spec.name in names:
                    raise ValueError(f"Two actions are called {a.spec.name!r}.")
                names.add(a.spec.name)
        self._openers = {k: o for f in self.features for k, o in f.openers.items()}
        self._askers = {k: a for f in self.features for k, a in f.askers.items()}
        self._revealers = {k: r for f in self.features for k, r in f.revealers.items()}
        self._icons = {k: i for f in self.features for k, i in f.icons.items()}
        self._looks = {k: lk for f in self.features for k, lk in f.looks.items()}
        self._notes = {k: n for f in self.features for k, n in f.notes.items()}

    # ------------------------------------------------------------------ records

    def opener(self, kind: str) -> Opener | None:
        """What opens records of ``kind``; None for the shell's form editor."""
        return self._openers.get(kind)

    def asker(self, kind: str) -> Asker | None:
        return self._askers.get(kind)

    def revealer(self, kind: str) -> Reveal | None:
        """What shows a record of ``kind`` inside its owner's view; None when nothing does."""
        return self._revealers.get(kind)

    def icon(self, kind: str) -> str | Path:
        """The icon of ``kind``'s records (its name in resources/icons, or a file)."""
        return self._icons.get(kind, kind)

    def look(self, record: Record) -> RowLook:
        looks = self._looks.get(record.kind)
        return looks(record) if looks is not None else RowLook()

    def note(self, session: Session, record: Record) -> str:
        """The note after a record's row title ("" for none)."""
        note = self._notes.get(record.kind)
        return note(session, record) if note is not None else ""

    def has_note(self, kind: str) -> bool:
        return kind in self._notes

    # ------------------------------------------------------------------ commands

    def actions(self) -> tuple[FeatureAction, ...]:
        return tuple(a for f in self.features for a in f.actions)

    def slot(self, place: str) -> list[str]:
        """The actions features put in a slot of the shell's menus, in order."""
        return [a.spec.name for a in self.actions() if a.place == place]

    def menus(self) -> list[tuple[str, tuple[str, ...]]]:
        """The window's menus: the shell's, with the features' slots filled and their own menus
        before the last (Help). Each entry is (title, action names; "-" a separator)."""
        mine: dict[str, list[str]] = {}
        for a in self.actions():
            if a.place not in SLOTS:
                mine.setdefault(a.place, []).append(a.spec.name)
        out: list[tuple[str, tuple[str, ...]]] = []
        for title, names in SHELL_MENUS:
            filled: list[str] = []
            for name in names:
                filled.extend(self.slot(name) if name in SLOTS else [name])
            out.append((title, tuple(filled)))
        own = [(title, tuple(names)) for title, names in mine.items()]
        return [*out[:-1], *own, out[-1]]

    def buttons(self, kind: str, *, folder: bool = False) -> list[str]:
        """Action names for the page of a record of ``kind`` (or a folder of them)."""
        found = [b for f in self.features for b in f.buttons if b.kind == kind]
        ranked = sorted(
            (b for b in found if b.folder == folder), key=lambda b: b.order
        )  # sorted() keeps registration order among equals
        return [b.action for b in ranked]

    def columns(self, kind: str) -> list[ListColumn]:
        """The columns of a list of ``kind``'s records, from every feature, in order."""
        found = [c for f in self.features for c in f.columns if c.kind == kind]
        return sorted(found, key=lambda c: c.order)

    # ------------------------------------------------------------------ the partnership's page

    def summaries(self) -> list[Summarise]:
        return [f.summary for f in self.features if f.summary is not None]

    def start_widgets(self) -> list[StartWidgets]:
        return [f.start_widgets for f in self.features if f.start_widgets is not None]

    # ------------------------------------------------------------------ lists of records

    def heading(self, kind: str) -> str:
        """How a list of ``kind``'s records is headed ("People", "Evidence notes")."""
        for f in self.features:
            if kind in f.headings:
                return f.headings[kind]
        return self.registry.label(kind, plural=True).capitalize()

    def heading_order(self, kinds: Sequence[str]) -> list[str]:
        """``kinds`` in the order their lists are shown: those with declared headings first, as
        declared, then the rest as the core registers them."""
        declared = [k for f in self.features for k in f.headings]
        registered = list(self.registry.kinds)

        def rank(kind: str) -> tuple[int, int, str]:
            if kind in declared:
                return (0, declared.index(kind), kind)
            if kind in registered:
                return (1, registered.index(kind), kind)
            return (2, 0, kind)

        return sorted(kinds, key=rank)
