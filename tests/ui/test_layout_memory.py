"""Window size, splitter and privacy mode are remembered (UI state only, in QSettings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.app import Launcher


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
