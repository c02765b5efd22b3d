"""Window size, splitter and privacy mode are remembered (UI state only, in QSettings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.shell.app import Launcher


def test_layout_and_privacy_are_remembered(settings: Any, db_path: Path, qtbot: Any) -> None:
    first = Launcher(settings)
    assert first.start(db_path)
    window = first.window
    window.resize(720, 520)  # within the offscreen screen
    window.splitter.setSizes([420, 580])
    window.actions["privacy"].trigger()
    sizes = window.splitter.sizes()
    first.shutdown()

    again = Launcher(settings)
    assert again.start(None)  # the last database, without asking
    window = again.window
    assert window.session.store.path == db_path.resolve()
    assert (window.size().width(), window.size().height()) == (720, 520)
    assert window.splitter.sizes() == sizes
    assert window.session.privacy.enabled and window.actions["privacy"].isChecked()
    assert "(privacy mode)" in window.windowTitle()
    # Nothing about records is kept in the settings.
    keys = settings.qsettings.allKeys()
    assert all(k.startswith(("databases/", "window/", "view/")) for k in keys), keys
    again.shutdown()


def test_first_run_navigator_fits_long_names(
    app: Any, settings: Any, tmp_path: Path, qtbot: Any
) -> None:
    """No remembered layout: the navigator is as wide as its longest school name needs (up to
    two fifths of the window); a name cut short anyway is whole in its tooltip."""
    from PySide6.QtCore import Qt

    from peerreview.sync.store import Store
    from ui.shell.main_window import MainWindow
    from ui.shell.session import Session

    long_name = "St Augustine's Church of England Primary School, Meriden"
    path = tmp_path / "p.db"
    store = Store.init(path, device_name="Laptop", partnership_name="Long Names")
    store.create("school", {"name": long_name, "urn": 103700})
    store.create("school", {"name": "Ansty School"})
    store.close()
    window = MainWindow(Session(Store.open(path)), settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)  # after it is made, before it shows (as the screenshots do)
    window.show()
    qtbot.waitExposed(window)
    text_width = window.tree.fontMetrics().horizontalAdvance(long_name)
    navigator = window.splitter.sizes()[0]
    assert navigator >= text_width + 3 * window.tree.indentation() + 16  # indent, icon: it fits
    assert navigator <= 0.4 * 1280
    window.tree.expandAll()
    index = window.model.index_for_record(
        next(s.id for s in window.session.store.list("school") if s.title == long_name)
    )
    tip = window.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[0] == long_name and "URN 103700" in tip
    window.close()
    window.session.store.close()
