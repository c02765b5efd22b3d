"""The pieces of the evidence capture screen: activity picker, area chips, coverage strip, keys.

Each is usable from the keyboard alone: number keys or the first letters choose an activity,
Alt+1..9 toggles the areas a note bears on, and the coverage strip shows the gaps at a glance.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence

from PySide6.QtCore import QEvent, QKeyCombination, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from peerreview.review.reviews import ACTIVITIES, Area
from ui.review.widgets import AreaPill, FlowLayout
from ui.shell.signals import emit

YEAR_GROUPS = (
    "Nursery",
    "Reception",
    *(f"Year {n}" for n in range(1, 14)),
    "Key Stage 1",
    "Key Stage 2",
    "Key Stage 3",
    "Key Stage 4",
    "Sixth form",
    "Whole school",
    "Mixed years",
)
SUBJECTS = (
    "English",
    "Reading",
    "Writing",
    "Phonics",
    "Maths",
    "Science",
    "History",
    "Geography",
    "Art and design",
    "Music",
    "PE",
    "RE",
    "Computing",
    "French",
    "Spanish",
    "German",
    "Design and technology",
    "PSHE",
    "RSHE",
    "Citizenship",
    "Drama",
    "Business",
    "Early years",
)


def normalise_year(text: str) -> str:
    """ "4" reads as "Year 4" and "r" as "Reception": quicker to type in a corridor."""
    t = text.strip()
    if t.isdigit() and 1 <= int(t) <= 13:
        return f"Year {int(t)}"
    if t.casefold() in ("r", "rec"):
        return "Reception"
    if t.casefold().startswith("y") and t[1:].strip().isdigit():
        return f"Year {int(t[1:].strip())}"
    return t


class ActivityPicker(QFrame):
    """The eight activities as buttons: keys 1-8, or type the first letters; arrows move."""

    changed = Signal()
    #: chosen with a number key or Enter: the capture moves on to the next field
    chosen_by_key = Signal()

    TYPE_AHEAD_S = 1.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityPicker")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Activity")
        self.setToolTip(
            'Keys 1 to 8, or type the first letters ("pu" for Pupil voice); '
            "arrows move; Enter moves on"
        )
        self._value: str | None = None
        self._typed, self._typed_at = "", 0.0
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(2, 2, 2, 2)
        self.grid.setSpacing(6)
        self.buttons: list[QPushButton] = []
        for n, name in enumerate(ACTIVITIES):
            b = QPushButton(f"{n + 1}  {name}")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setToolTip(f"{name} (key {n + 1})")
            b.clicked.connect(lambda _c=False, a=name: self._click(a))
            self.buttons.append(b)
        self.columns = 0
        self._regrid(4)
        self._describe()

    def _regrid(self, columns: int) -> None:
        """The buttons in ``columns`` columns (four on a wide screen, two on a narrow one)."""
        if columns == self.columns:
            return
        self.columns = columns
        for b in self.buttons:
            self.grid.removeWidget(b)
        for n, b in enumerate(self.buttons):
            self.grid.addWidget(b, n // columns, n % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        widest = max(b.sizeHint().width() for b in self.buttons) + self.grid.spacing()
        self._regrid(4 if event.size().width() >= 4 * widest else 2)
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # As narrow as two columns; as tall as the rows it has now.
        widest = max(b.sizeHint().width() for b in self.buttons) + self.grid.spacing()
        return QSize(2 * widest + 4, self.grid.sizeHint().height())

    def value(self) -> str | None:
        return self._value

    def set_value(self, value: str | None) -> None:
        self._value = value if value in ACTIVITIES else None
        for b, name in zip(self.buttons, ACTIVITIES, strict=True):
            b.setChecked(name == self._value)
        self._describe()

    def _describe(self) -> None:
        self.setAccessibleDescription(
            f"Chosen: {self._value or 'none'}. Keys 1 to 8: "
            + ", ".join(f"{n} {a}" for n, a in enumerate(ACTIVITIES, start=1))
        )

    def choose(self, value: str) -> None:
        changed = value != self._value
        self.set_value(value)
        if changed:
            emit(self.changed)

    def _click(self, value: str) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.choose(value)
        self.set_value(value)  # a click on the chosen one keeps it chosen

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        plain = not (
            event.modifiers()
            & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
        )
        current = ACTIVITIES.index(self._value) if self._value in ACTIVITIES else -1
        if plain and Qt.Key.Key_1 <= key <= Qt.Key.Key_8:
            self.choose(ACTIVITIES[key - Qt.Key.Key_1])
            emit(self.chosen_by_key)
            return
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            step = 4 if key == Qt.Key.Key_Down else 1
            self.choose(
                ACTIVITIES[min(current + step, len(ACTIVITIES) - 1)]
                if current >= 0
                else ACTIVITIES[0]
            )
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Up) and current > 0:
            self.choose(ACTIVITIES[max(current - (4 if key == Qt.Key.Key_Up else 1), 0)])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            emit(self.chosen_by_key)
            return
        text = event.text()
        if plain and text and text.isprintable() and not text.isdigit():
            now = time.monotonic()
            if now - self._typed_at > self.TYPE_AHEAD_S:
                self._typed = ""
            self._typed_at = now
            self._typed += text.casefold()
            match = next((a for a in ACTIVITIES if a.casefold().startswith(self._typed)), None)
            if match is None:
                match = next((a for a in ACTIVITIES if self._typed in a.casefold()), None)
            if match is not None:
                self.choose(match)
            return
        super().keyPressEvent(event)


class AreaChips(QWidget):
    """The areas a note bears on, as chips with their evidence counts (Alt+1..9 toggles)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = FlowLayout(self, spacing=6)
        self.chips: list[AreaPill] = []
        self.area_ids: list[str] = []
        self.show_counts = False
        self.setAccessibleName("Areas this note bears on")

    def set_show_counts(self, on: bool) -> None:
        """Counts on the chips (visit mode, where the coverage strip is hidden)."""
        self.show_counts = on
        for chip in self.chips:
            chip.set_show_count(on)

    def set_areas(self, areas: Sequence[Area], counts: dict[str, int]) -> None:
        chosen = set(self.value() or [])
        self.flow.clear()
        self.chips, self.area_ids = [], []
        for n, area in enumerate(areas, start=1):
            hint = f"Alt+{n}" if n <= 9 else ""
            chip = AreaPill(area.title, counts.get(area.id, 0), hint, max_text=230)
            chip.set_show_count(self.show_counts)
            chip.setChecked(area.id in chosen)
            chip.toggled.connect(lambda _on: emit(self.changed))
            self.flow.add(chip)
            self.chips.append(chip)
            self.area_ids.append(area.id)
        self.updateGeometry()

    def set_counts(self, counts: dict[str, int]) -> None:
        for chip, area in zip(self.chips, self.area_ids, strict=True):
            chip.set_count(counts.get(area, 0))

    def toggle(self, n: int) -> None:
        """Toggle the n-th area (1-based), as Alt+n does."""
        if 1 <= n <= len(self.chips):
            self.chips[n - 1].toggle()

    def value(self) -> list[str]:
        return [a for a, c in zip(self.area_ids, self.chips, strict=True) if c.isChecked()]

    def set_value(self, value: Iterable[str] | None) -> None:
        chosen = set(value or [])
        for area, chip in zip(self.area_ids, self.chips, strict=True):
            was = chip.blockSignals(True)
            chip.setChecked(area in chosen)
            chip.blockSignals(was)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self.flow.heightForWidth(width)


class CoverageStrip(QWidget):
    """How many notes bear on each area so far; areas with none stand out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = FlowLayout(self, spacing=6)
        self.pills: dict[str, AreaPill] = {}
        self.setAccessibleName("Evidence per area")

    def set_areas(self, areas: Sequence[Area], counts: dict[str, int]) -> None:
        self.flow.clear()
        self.pills = {}
        for area in areas:
            pill = AreaPill(area.title, counts.get(area.id, 0), checkable=False, max_text=200)
            self.flow.add(pill)
            self.pills[area.id] = pill
        self.updateGeometry()

    def set_counts(self, counts: dict[str, int]) -> None:
        for area, pill in self.pills.items():
            pill.set_count(counts.get(area, 0))

    def gaps(self) -> list[str]:
        """The titles of areas with no evidence yet."""
        return [p.title for p in self.pills.values() if p.count == 0]

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self.flow.heightForWidth(width)


def combo(text: str) -> QKeyCombination:
    # PySide6's stubs leave out QKeySequence.__getitem__ (Qt's operator[]), which it has.
    first: QKeyCombination = QKeySequence(text)[0]  # type: ignore[index]
    return first


class KeyCatcher(QObject):
    """Keys that belong to the capture screen while it is shown, before any window shortcut.

    Ctrl+E is also the window's Export bundle and Ctrl+Shift+N its New person; while the capture
    screen has focus, they start a note. Accepting the ShortcutOverride keeps the window's
    shortcut from firing; the key press that follows is handled here.
    """

    def __init__(
        self, owner: QWidget, handlers: Mapping[QKeyCombination, Callable[[], object]]
    ) -> None:
        super().__init__(owner)
        self.owner = owner
        #: where the keys work (the whole review workspace while the capture is shown)
        self.scope: QWidget | None = None
        self.handlers = handlers
        self.installed = False

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self.installed:
            app.installEventFilter(self)
            self.installed = True

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None and self.installed:
            app.removeEventFilter(self)
            self.installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(watched, QWidget) or not isinstance(event, QKeyEvent):
            return False
        scope = self.scope or self.owner
        if not (watched is scope or scope.isAncestorOf(watched)):
            return False
        handler = self.handlers.get(event.keyCombination())
        if handler is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        handler()
        return True
