"""Every control has an accessible name; every action's shortcut is in its menu and in Help."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from ui.features import SPECS
from ui.shell.shortcuts import ShortcutsDialog, shortcut_rows

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractItemView,
    QAbstractSpinBox,
    QAbstractSlider,
    QTabBar,
)


def _reads_as_words(text: str) -> bool:
    """A button's text names it only when it has letters ("Change…", not "▶" or "…")."""
    return any(ch.isalpha() for ch in text.replace("&", ""))


def _controls(root: QWidget) -> list[QWidget]:
    return [
        w for w in root.findChildren(QWidget) if isinstance(w, CONTROLS) and w.isVisibleTo(root)
    ]


def _unnamed(root: QWidget, at_least: int = 1) -> list[str]:
    """Visible controls a screen reader could not name (at least ``at_least`` are looked at, so
    a walk that finds nothing to check fails rather than passes)."""
    missing = []
    controls = _controls(root)
    assert len(controls) >= at_least, f"only {len(controls)} controls in {type(root).__name__}"
    for w in controls:
        if isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox | QAbstractSpinBox):
            continue  # the editor inside a drop-down or date box: the outer control is named
        if isinstance(w, QScrollBar) or type(w).__name__ == "QHeaderView":
            continue
        if isinstance(w, QTabBar):  # (a tab widget's own bar is called qt_tabwidget_tabbar)
            if any(not _reads_as_words(w.tabText(i)) for i in range(w.count())):
                missing.append(f"a tab without words in {type(w.parent()).__name__}")
            continue
        if w.objectName().startswith("qt_"):
            continue
        if w.accessibleName():
            continue
        if isinstance(w, QAbstractButton) and _reads_as_words(w.text()):
            continue
        missing.append(f"{type(w).__name__} {w.objectName()!r} in {type(w.parent()).__name__}")
    return missing


def test_every_control_is_named(open_window: Any, demo_copy: Path) -> None:
    window = open_window(demo_copy)
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


def test_every_control_is_named_in_every_dialog(
    open_window: Any, demo_copy: Path, tmp_path: Path, qtbot: Any, settings: Any
) -> None:
    """The welcome screen and every dialog the window opens, as a person would meet them."""
    from ui.partnership.create import NewRecordDialog
    from ui.partnership.gias import GiasImportDialog
    from ui.shell.crash import CrashDialog
    from ui.shell.transfer import ExportDialog, ImportSummaryDialog
    from ui.shell.welcome import NewDatabaseDialog, WelcomeWindow

    path = demo_copy
    welcome = WelcomeWindow([path, tmp_path / "other.db"])
    qtbot.addWidget(welcome)
    welcome.show()
    assert _unnamed(welcome, at_least=8) == [], "welcome screen"
    welcome.close()

    window = open_window(path)
    store = window.session.store
    school = store.list("school")[0]
    window.select_record(school.id)
    from peerreview.sync.bundle import ImportReport

    report = ImportReport("a.prbundle", "Mrs Patel's laptop", 10, 2, 1, False)
    dialogs = {
        "export": ExportDialog(store, window),
        "GIAS import": GiasImportDialog(window),
        "new school": NewRecordDialog(window.session, "school", parent=window),
        "new person": NewRecordDialog(window.session, "person", school_id=school.id, parent=window),
        "new group": NewRecordDialog(window.session, "group", parent=window),
        "new database": NewDatabaseDialog(window),
        "shortcuts": ShortcutsDialog(window.menuBar(), window),
        "crash": CrashDialog("Traceback (most recent call last):\n  ...\nValueError: x", window),
        "import summary": ImportSummaryDialog([report], 1, window),
    }
    for name, dialog in dialogs.items():
        dialog.show()
        assert _unnamed(dialog, at_least=2) == [], name
        if name == "export":
            dialog.some.setChecked(True)  # the list of schools shows
            assert _unnamed(dialog) == [], "export, chosen schools"
        dialog.close()


def test_every_tab_of_the_review_workspace_is_named(open_window: Any, demo_copy: Path) -> None:
    """A review opened from the navigator, in the window: every tab, and visit mode."""
    window = open_window(demo_copy)
    store = window.session.store
    review = store.list("review")[0]
    assert window.select_record(review.id)
    workspace = window.detail.workspace
    assert workspace is not None
    for tab in ("plan", "self_evaluation", "evidence", "judgements", "report"):
        workspace.show_tab(tab)
        page = workspace.tabs.currentWidget()
        assert _unnamed(page, at_least=3) == [], tab
        assert _unnamed(window) == [], tab
    workspace.show_tab("evidence")
    workspace.start_visit()
    assert _unnamed(window) == [], "visit mode"


def test_the_walk_finds_unnamed_controls(app: Any) -> None:
    """The check itself: a glyph-only button, a bare text box and an unnamed tab are caught."""
    from PySide6.QtWidgets import QPushButton, QTabWidget, QVBoxLayout

    root = QWidget()
    layout = QVBoxLayout(root)
    layout.addWidget(QPushButton("▶"))
    layout.addWidget(QLineEdit())
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "…")
    layout.addWidget(tabs)
    named = QPushButton("Keep this value")
    layout.addWidget(named)
    missing = _unnamed(root)
    assert len(missing) == 3, missing
    assert any("QPushButton" in m for m in missing) and any("QLineEdit" in m for m in missing)
    assert any("tab" in m for m in missing)
