"""Make the start screenshots (start-from-note-1366x768.png, start-live-1366x768.png).

    .venv/bin/python docs/screenshots/make_start.py

Runs offscreen in a temporary folder at 1366 x 768: builds the small demo, opens it as usual and
closes it (which leaves the start note, docs/start.md), then starts again and saves the window
as first painted from the note (before the database is open) and once it is live.
"""

from __future__ import annotations

import shots

WORK = shots.private_home("peerreview-start-shots-")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from peerreview.demo import build_demo  # noqa: E402
from peerreview.sync.store import Store  # noqa: E402
from ui.shell.app import Launcher, make_application  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402

SIZE = (1366, 768)


def main() -> int:
    db = WORK / "demo.db"
    with Store.init(db, device_name="Demo laptop") as store:
        build_demo(store, "small")
    app = make_application()
    settings = AppSettings(QSettings(str(WORK / "settings.ini"), QSettings.Format.IniFormat))
    first = Launcher(settings, from_note=False)
    assert first.open_database(db) and first.window is not None
    first.window.resize(*SIZE)
    QTest.qWait(800)
    first.shutdown()  # leaves the note

    launcher = Launcher(settings, from_note=True)
    assert launcher.start(db) and launcher.window is not None
    window = launcher.window
    window.resize(*SIZE)
    assert not window.live
    window.grab().save(str(shots.HERE / "start-from-note-1366x768.png"))  # as first painted
    print("wrote docs/screenshots/start-from-note-1366x768.png")
    for _ in range(100):
        if window.live:
            break
        QTest.qWait(50)
    shots.save(app, window, shots.HERE / "start-live-1366x768.png", rounds=10, wait_ms=100)
    launcher.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
