"""What "clipped" means on a small screen, checked on a shown widget tree.

A window fits when nothing in it needs more room than it has:

* no horizontal scroll bar anywhere, and no table whose columns run past its edge unseen;
* every widget inside its window (and, inside a scroll area, inside the area's width: pages may
  scroll down, never sideways);
* no text cut: a label or button at least as wide as its text (a wrapping label as tall as its
  lines), every tab of a tab bar in sight, and an item of a list, table or tree whose text does not
  fit its cell has the whole text in its tooltip;
* the window itself no larger than the screen it is on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QGroupBox,
    QLabel,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QTabBar,
    QTableView,
    QTreeView,
    QWidget,
)

#: Pixels of slack before something counts as cut (rounding in styles and fonts).
SLACK = 2

Say = Callable[[QWidget, str], None]


def name_of(widget: QWidget) -> str:
    """How a problem names a widget: its accessible name, text or object name, and class."""
    bits = [type(widget).__name__]
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text()
    label = widget.accessibleName() or widget.objectName() or text
    if label:
        bits.append(repr(label[:60]))
    parent = widget.parentWidget()
    while parent is not None and not (parent.accessibleName() or parent.objectName()):
        parent = parent.parentWidget()
    if parent is not None:
        bits.append(f"in {parent.accessibleName() or parent.objectName()}")
    return " ".join(bits)


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.width() > 0 and widget.height() > 0


def _clip_box(widget: QWidget, top: QWidget) -> tuple[QWidget, bool]:
    """The widget that clips ``widget``: the viewport of the nearest scroll area holding it
    (True: it may run below that), else the window."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            return parent, True
        parent = parent.parentWidget()
    return top, False


def _in_view(widget: QWidget, top: QWidget) -> bool:
    """False when the widget is scrolled out of its scroll area's sight (not cut, just below)."""
    box, scrolls = _clip_box(widget, top)
    if not scrolls:
        return True
    rect = QRect(widget.mapTo(box, widget.rect().topLeft()), widget.size())
    return rect.intersects(box.rect())


def problems(top: QWidget, where: str, screen: QRect) -> list[str]:
    """Everything clipped in the shown window ``top`` (``where`` names the screen)."""
    out: list[str] = []

    def say(widget: QWidget, what: str) -> None:
        out.append(f"{where}: {name_of(widget)}: {what}")

    if top.width() > screen.width() + SLACK or top.height() > screen.height() + SLACK:
        size = f"{screen.width()}x{screen.height()}"
        say(top, f"is {top.width()}x{top.height()}, larger than the screen's {size}")
    if top.minimumSizeHint().width() > screen.width() + SLACK:
        say(top, f"needs {top.minimumSizeHint().width()} pixels across, more than the screen has")
    widgets = [w for w in top.findChildren(QWidget) if _shown(w, top)]
    for w in widgets:
        if isinstance(w, QScrollBar):
            continue
        if isinstance(w, QAbstractScrollArea):
            bar = w.horizontalScrollBar()
            if bar.isVisibleTo(top) and bar.maximum() > 0:
                say(w, f"scrolls sideways ({bar.maximum()} pixels hidden)")
            _check_view(w, top, say)
            if isinstance(w, QScrollArea) and w.widget() is not None:
                inner = w.widget()
                if inner.width() > w.viewport().width() + SLACK and not bar.isVisibleTo(top):
                    say(w, f"its page is {inner.width() - w.viewport().width()} pixels wider")
        box, scrolls = _clip_box(w, top)
        rect = QRect(w.mapTo(box, w.rect().topLeft()), w.size())
        if rect.right() > box.width() + SLACK or rect.left() < -SLACK:
            if _in_view(w, top) or not scrolls:
                say(w, f"runs {rect.right() - box.width()} pixels past the right edge")
        if not scrolls and rect.bottom() > box.height() + SLACK:
            say(w, f"runs {rect.bottom() - box.height()} pixels below the window's edge")
        if not _in_view(w, top):
            continue
        if isinstance(w, QLabel) and w.text():
            _check_label(w, say)
        elif isinstance(w, QAbstractButton) and w.text() and not isinstance(w, QTabBar):
            need = w.sizeHint().width()
            if isinstance(w, QCheckBox | QRadioButton):
                need = w.minimumSizeHint().width()
            if w.width() + SLACK < need:
                say(w, f"is {w.width()} pixels wide; its text needs {need}")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i) and w.tabRect(i).right() > w.width() + SLACK:
                    say(w, f"tab {w.tabText(i)!r} is out of sight")
    return out


def _check_label(w: QLabel, say: Say) -> None:
    if w.wordWrap():
        need = w.heightForWidth(w.width())
        if need > 0 and w.height() + SLACK < need:
            say(w, f"shows {w.height()} of the {need} pixels its text needs")
    else:
        need = w.minimumSizeHint().width()
        if w.width() + SLACK < need:
            say(w, f"is {w.width()} pixels wide; its text needs {need}")


def _check_view(w: QAbstractScrollArea, top: QWidget, say: Say) -> None:
    """Columns out of sight, and items whose text is cut with no tooltip saying it whole."""
    if isinstance(w, QTableView | QTreeView):
        header = w.horizontalHeader() if isinstance(w, QTableView) else w.header()
        if not header.isHidden() or isinstance(w, QTableView):
            sections = [i for i in range(header.count()) if not header.isSectionHidden(i)]
            shown = sum(header.sectionSize(i) for i in sections)
            bar = w.horizontalScrollBar()
            if shown > w.viewport().width() + SLACK and not bar.isVisibleTo(top):
                say(w, f"its columns run {shown - w.viewport().width()} pixels out of sight")
    if not isinstance(w, QAbstractItemView) or w.model() is None:
        return
    model = w.model()
    metrics = w.fontMetrics()
    checked = 0

    def visit(parent: QModelIndex) -> None:
        nonlocal checked
        try:
            columns = model.columnCount(parent)
        except TypeError:  # a list's private model (QListWidget): one column
            columns = 1
        for row in range(min(model.rowCount(parent), 200)):
            for column in range(columns):
                index = model.index(row, column, parent)
                rect = w.visualRect(index)
                if not rect.isValid() or not rect.intersects(w.viewport().rect()):
                    continue
                checked += 1
                text = index.data(Qt.ItemDataRole.DisplayRole)
                if not isinstance(text, str) or not text or "\n" in text:
                    continue
                room = rect.width() - 8
                if (
                    isinstance(w, QTreeView)
                    and column == 0
                    and index.data(Qt.ItemDataRole.DecorationRole) is not None
                ):
                    room -= w.iconSize().width() + 4
                wraps = getattr(w, "wordWrap", lambda: False)()
                if wraps:  # cut only if its lines need more height than the row has
                    flags = int(Qt.TextFlag.TextWordWrap)
                    need = metrics.boundingRect(QRect(0, 0, room, 100000), flags, text).height()
                    if need <= rect.height():
                        continue
                if metrics.horizontalAdvance(text) > room:
                    tip = index.data(Qt.ItemDataRole.ToolTipRole)
                    if not (isinstance(tip, str) and text in tip):
                        say(w, f"cuts {text[:50]!r} with no tooltip giving it whole")
            first = model.index(row, 0, parent)
            if isinstance(w, QTreeView) and w.isExpanded(first):
                visit(first)

    visit(QModelIndex())


def mnemonic(text: str) -> str:
    """The letter Alt+ reaches in a text ("Re&view" → "v"), or ""."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else ""


def mnemonic_clashes(top: QWidget, where: str) -> list[str]:
    """Two things in sight that one Alt+letter reaches (the window's menus included): Alt+R
    opened the Review menu, never the Report tab."""
    from PySide6.QtWidgets import QGroupBox, QMainWindow

    owners: dict[str, list[str]] = {}

    def add(text: str, what: str) -> None:
        letter = mnemonic(text)
        if letter:
            owners.setdefault(letter, []).append(f"{what} {text.replace('&', '')!r}")

    if isinstance(top, QMainWindow):
        for action in top.menuBar().actions():
            if action.isVisible():
                add(action.text(), "the menu")
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top) or w.window() is not top:
            continue
        if isinstance(w, QAbstractButton) and not isinstance(w, QTabBar):
            add(w.text(), "the button")
        elif isinstance(w, QLabel) and w.buddy() is not None and w.buddy().isVisibleTo(top):
            add(w.text(), "the field")
        elif isinstance(w, QGroupBox):
            add(w.title(), "the group")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i) and w.isTabEnabled(i):
                    add(w.tabText(i), "the tab")
    return [
        f"{where}: Alt+{letter.upper()} reaches {' and '.join(found)}"
        for letter, found in sorted(owners.items())
        if len(found) > 1
    ]


#: A record's id or part of one ("evidence 01a2402f", a UUID): eight or more hex digits, letters
#: and digits both, standing alone.
HEX_ID = re.compile(r"(?<![0-9A-Za-z])(?=[0-9a-f-]*[a-f])(?=[0-9a-f-]*[0-9])[0-9a-f]{8}[0-9a-f-]*")


def id_like(top: QWidget, where: str, kinds: Collection[str]) -> list[str]:
    """Text a person can see that names a record by its id or a kind by its internal name
    ("area_view 5da3945b"): in labels, buttons, group boxes, tabs, the window's title, and the
    items (and their tooltips) of lists, tables and trees, expanded or not."""
    internal = re.compile(
        r"\b(" + "|".join(re.escape(k) for k in sorted(kinds) if "_" in k) + r")\b"
        if any("_" in k for k in kinds)
        else r"(?!x)x"
    )
    out: list[str] = []

    def look(text: object, what: str) -> None:
        if not isinstance(text, str) or not text:
            return
        for found in (HEX_ID.search(text), internal.search(text)):
            if found:
                out.append(f"{where}: {what} shows {found.group(0)!r} in {text[:80]!r}")

    look(top.windowTitle(), "the window's title")
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top) or w.window() is not top:
            continue
        name = name_of(w)
        if isinstance(w, QLabel | QAbstractButton):
            look(w.text(), name)
            look(w.toolTip(), f"{name}'s tooltip")
        elif isinstance(w, QGroupBox):
            look(w.title(), name)
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                look(w.tabText(i), name)
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()

            def visit(
                parent: QModelIndex, depth: int, name: str = name, model: Any = model
            ) -> None:
                try:
                    columns = model.columnCount(parent)
                except TypeError:
                    columns = 1
                for row in range(min(model.rowCount(parent), 300)):
                    for column in range(columns):
                        index = model.index(row, column, parent)
                        look(index.data(Qt.ItemDataRole.DisplayRole), name)
                        look(index.data(Qt.ItemDataRole.ToolTipRole), f"{name}'s tooltip")
                    if depth < 6:
                        visit(model.index(row, 0, parent), depth + 1)

            visit(QModelIndex(), 0)
    return out
