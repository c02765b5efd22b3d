"""Make the lesson-study screenshots in docs/screenshots (lesson-study-*.png) from the small demo.

    .venv/bin/python docs/screenshots/make_lessonstudy.py

Runs offscreen in a temporary folder: builds the small demo (whose observers' notes were merged
from three laptops' bundles), opens the main window at 1366 x 768 (a school laptop's screen) on a
cycle in the middle of its work, and saves the prediction grid of research lesson 2 with lesson 1's
"what we will change" beside it, the merged observation grid of lesson 1, observation mode, the
discussion on one case pupil, the cycle tab, and the cycle tab in privacy mode.
"""

from __future__ import annotations

import sys

import shots

WORK = shots.private_home("peerreview-lessonstudy-shots-")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from peerreview.demo import build_demo  # noqa: E402
from peerreview.lessonstudy import cycles as cy  # noqa: E402
from peerreview.sync.store import Store  # noqa: E402
from ui.lessonstudy.workspace import CycleWorkspace  # noqa: E402
from ui.shell.app import make_application  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.privacy import PrivacyMode  # noqa: E402
from ui.shell.session import Session  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402

SIZE = (1366, 768)


def save(app: QApplication, widget: QWidget, name: str) -> None:
    shots.save(app, widget, shots.HERE / f"lesson-study-{name}.png", rounds=4)


def main() -> int:
    app = make_application()
    db = WORK / "demo.db"
    store = Store.init(db, device_name="Stoneleigh's laptop", author="Aoife Lewis")
    build_demo(store, "small")
    store.close()
    session = Session(Store.open(db), privacy=PrivacyMode())
    settings = AppSettings(QSettings(str(WORK / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(session, settings)
    window.resize(*SIZE)
    window.show()
    shots.settle(app, window, rounds=4)
    window.splitter.setSizes([330, SIZE[0] - 330])  # the navigator dragged narrower, as a team
    shots.settle(app, window, rounds=4)  # planning on a 1366 x 768 laptop would
    store = session.store
    # A cycle after its first research lesson, planning the second, with its real names here.
    cycle = next(
        c
        for c in store.list("cycle", order_by="id")
        if cy.Status.of(c) is cy.Status.RL2 and c.get("form_id") == "lesson-study-dudley"
    )
    window.select_record(cycle.id)
    shots.settle(app, window, rounds=4)
    workspace = window.detail.workspace
    assert isinstance(workspace, CycleWorkspace)
    rl1, rl2 = cy.lessons(store, cycle.id)[:2]
    workspace.show_lesson(rl2.id)
    workspace.show_tab("plan")
    if workspace.plan_tab.grid is not None:
        view = workspace.plan_tab.grid.editor.view
        view.setFocus()
        view.setCurrentIndex(view.model().index(1, 1))
    save(app, window, "grid")
    workspace.show_lesson(rl1.id)
    workspace.show_tab("observe")
    workspace.observe_tab.grid.setCurrentIndex(workspace.observe_tab.model.index(1, 0))
    save(app, window, "observe")
    workspace.observe_tab.mode_button.toggle()
    workspace.observe_tab.mode.show_stage(1)
    workspace.observe_tab.mode.columns[1].entry.setPlainText('Underlined "hid" and then')
    save(app, window, "observation-mode")
    workspace.observe_tab.mode_button.toggle()
    workspace.show_tab("discussion")
    workspace.discussion_tab.go(3)
    save(app, window, "discussion")
    # The cycle whose case pupils' real names this laptop keeps: shown here, hidden on a projector.
    named = store.list("cycle", order_by="id")[0]
    window.select_record(named.id)
    shots.settle(app, window, rounds=4)
    for shot, private in (("cycle", False), ("privacy", True)):
        window.set_privacy(private)
        shots.settle(app, window, rounds=4)
        workspace = window.detail.workspace
        assert isinstance(workspace, CycleWorkspace)
        workspace.show_tab("cycle")
        shots.settle(app, workspace, rounds=4)
        workspace.cycle_tab.ensure_pupils_visible()
        save(app, window, shot)
    window.close()
    session.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
