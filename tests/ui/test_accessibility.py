"""Every control has an accessible name; every action's shortcut is in its menu and in Help."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from peerreview.demo import build_demo
from peerreview.store import Store
from ui.actions import SPECS
from ui.shortcuts import ShortcutsDialog, shortcut_rows

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractItemView,
    QAbstractSpinBox,
)


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or not w.isVisibleTo(root):
            continue
        if isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox | QAbstractSpinBox):
            continue  # the editor inside a drop-down or date box: the outer control is named
        if type(w).__name__ in ("QScrollBar", "QHeaderView") or w.objectName().startswith("qt_"):
            continue
        if not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text()):
            missing.append(f"{type(w).__name__} {w.objectName()!r} in {type(w.parent()).__name__}")
    return missing


def test_every_control_is_named(open_window: Any, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    store = Store.init(path, device_name="Test laptop")
    build_demo(store, "small")
    store.close()
    window = open_window(path)
    store = window.session.store
    for record in (
        store.list("school")[0],
        store.list("person")[0],
        store.list("group")[0],
        store.get(store.partnership_id),
    ):
        assert window.select_record(record.id)
        assert _unnamed(window) == [], record.kind
    window.tree.setFocus()
    for dialog in (window.show_search(), window.review_conflicts()):
        assert _unnamed(dialog) == []
        dialog.close()


def test_tab_order_runs_down_the_form(open_window: Any, db_path: Path) -> None:
    window = open_window(db_path)
    school = window.session.store.list("school")[0]
    window.select_record(school.id)
    editor = window.detail.editor
    order = ["name", "urn", "phase", "type", "status", "local_authority"]
    editor.binder_for(order[0]).focus_widget().setFocus()
    for this, following in zip(order, order[1:], strict=False):
        assert QApplication.focusWidget() is editor.binder_for(this).focus_widget()
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        assert focus is editor.binder_for(following).focus_widget(), (this, following)


def test_shortcuts_are_in_menus_and_help(open_window: Any, db_path: Path) -> None:
    window = open_window(db_path)
    rows = shortcut_rows(window.menuBar())
    listed = {what for _menu, what, _keys in rows}
    for spec in SPECS:
        if spec.shortcuts:
            action = window.actions[spec.name]
            assert action.shortcuts(), spec.name
            assert action.text().replace("&", "").rstrip("…") in listed or spec.name in (
                "undo",
                "redo",
            )
    assert ("Edit", "Undo", "Ctrl+Z") in rows
    assert any(r[1] == "Search everything" and r[2] == "Ctrl+F" for r in rows)
    # All different: no shortcut does two things.
    keys = [k.toString() for a in window.actions.values() for k in a.shortcuts()]
    assert len(keys) == len(set(keys))
    dialog = ShortcutsDialog(window.menuBar(), window)
    assert dialog.table.rowCount() >= len(rows)
    dialog.close()
