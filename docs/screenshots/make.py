"""Make the screenshots in docs/screenshots from the demo partnership.

    .venv/bin/python docs/screenshots/make.py

Runs offscreen (no display needed) in a temporary folder: builds the demo with
``peerreview demo --db X --no-gui``, opens it, and saves each screen with ``widget.grab()``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(tempfile.mkdtemp(prefix="peerreview-shots-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
    os.environ[var] = str(WORK / var.lower())

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from peerreview.bundle import export_bundle, import_bundles  # noqa: E402
from peerreview.store import Store  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.conflicts import ConflictReviewDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.privacy import PrivacyMode  # noqa: E402
from ui.session import Session  # noqa: E402
from ui.settings import AppSettings  # noqa: E402
from ui.welcome import WelcomeWindow  # noqa: E402

SIZE = (1280, 800)


def settle(app: QApplication, widget: QWidget) -> None:
    for _ in range(5):
        app.processEvents()
    widget.repaint()
    app.processEvents()


def save(app: QApplication, widget: QWidget, name: str) -> None:
    settle(app, widget)
    path = HERE / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(HERE.parents[1])}")


def make_conflicts(db: Path) -> None:
    """A colleague's laptop edits the same notes and deletes a person the demo laptop edits."""
    with Store.open(db) as mine:
        export_bundle(mine, WORK / "mine.prbundle")
        pid = mine.partnership_id
        school = next(s for s in mine.list("school") if s.values.get("phase") == "Primary")
        person = mine.list("person", where={"school": school.id})[1]
    other = Store.init(
        WORK / "other.db",
        device_name="Mrs Patel's laptop",
        author="Amira Patel",
        partnership_id=pid,
    )
    import_bundles(other, [WORK / "mine.prbundle"])
    other.update(
        school.id,
        {
            "notes": "Reading for pleasure is a strength: every class visits the "
            "library weekly. Next step: phonics catch-up in Year 3."
        },
    )
    other.update(school.id, {"postcode": "CV6 2AJ"})
    other.delete(person.id)
    export_bundle(other, WORK / "other.prbundle")
    other.close()
    with Store.open(db) as mine:
        mine.update(
            school.id,
            {
                "notes": "Strong reading culture. Year 3 phonics needs a "
                "catch-up programme before Easter."
            },
        )
        mine.update(school.id, {"postcode": "CV6 2AE"})
        mine.update(person.id, {"role": "English lead"})
        import_bundles(mine, [WORK / "other.prbundle"])


def main() -> int:
    db = WORK / "demo.db"
    subprocess.run(
        [sys.executable, "-m", "peerreview.cli", "demo", "--db", str(db), "--no-gui"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    app = make_application()
    settings = AppSettings(QSettings(str(WORK / "settings.ini"), QSettings.Format.IniFormat))

    welcome = WelcomeWindow([db])  # at its own default size
    welcome.show()
    save(app, welcome, "welcome")
    welcome.close()

    session = Session(Store.open(db), privacy=PrivacyMode())
    window = MainWindow(session, settings)
    window.resize(*SIZE)
    window.show()
    store = session.store
    school = next(s for s in store.list("school") if s.values.get("phase") == "Primary")
    window.select_record(school.id)
    window.tree.expand(window.model.index_for_record(school.id))
    window.tree.expand(window.model.child_folder_index(school.id, "person"))
    window.tree.setFocus()
    save(app, window, "main-window")

    group = store.list("group")[0]
    window.select_record(group.id)
    save(app, window, "group")

    search = window.show_search()
    search.box.setText("kineton")
    search.run_search()
    save(app, search, "search")
    search.close()

    person = store.list("person", where={"school": school.id})[0]
    window.actions["privacy"].setChecked(True)
    window.select_record(person.id)
    save(app, window, "privacy-mode")
    window.actions["privacy"].setChecked(False)

    window.close()
    store.close()
    make_conflicts(db)
    session = Session(Store.open(db), privacy=PrivacyMode())
    window = MainWindow(session, settings)
    window.resize(*SIZE)
    window.show()
    dialog = ConflictReviewDialog(session, window)
    dialog.show()
    save(app, dialog, "conflicts")
    dialog.list.setCurrentRow(dialog.list.count() - 1)
    save(app, dialog, "conflicts-delete")
    dialog.close()
    window.close()
    session.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
