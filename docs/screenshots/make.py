"""Make the screenshots in docs/screenshots from the demo partnership.

    .venv/bin/python docs/screenshots/make.py

Runs offscreen (no display needed) in a temporary folder: builds the demo with
``peerreview demo --db X --no-gui``, opens it, and saves each screen with ``widget.grab()``.
The welcome screen is shown as on Mrs Patel's laptop (her home folder, not the temporary one);
``main-window-2x.png`` comes from a second run of this script at ``QT_SCALE_FACTOR=2``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import shots

HERE = shots.HERE
WORK = shots.private_home("peerreview-shots-")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from peerreview.sync.bundle import export_bundle, import_bundles  # noqa: E402
from peerreview.sync.store import Store  # noqa: E402
from ui.shell.app import make_application  # noqa: E402
from ui.shell.conflicts import ConflictReviewDialog  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.privacy import PrivacyMode  # noqa: E402
from ui.shell.session import Session  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402
from ui.shell.theme import follow_scheme  # noqa: E402
from ui.shell.welcome import WelcomeWindow  # noqa: E402

SIZE = (1280, 800)
SIZE_2X = (1000, 640)  # logical pixels: the 2x picture is 2000 x 1280
#: Where the welcome screen says things are kept: a headteacher's laptop, not /tmp.
HOME = Path("/home/mrs.patel")
NOTES = {
    "Primary": "Joined the partnership in 2023. Early reading is a strength: the Year 1 and 2 "
    "team lead the cluster's phonics network. Next step: writing stamina in Key Stage 2, "
    "the focus of this year's lesson study.",
    "Secondary": "Hosts the partnership's maths hub. The new head of English starts in "
    "January; reviews of the English department wait until the summer term.",
}


def settle(app: QApplication, widget: QWidget) -> None:
    for _ in range(5):
        app.processEvents()
    widget.repaint()
    app.processEvents()


def save(app: QApplication, widget: QWidget, name: str, folder: Path = HERE) -> None:
    settle(app, widget)
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path}")


def make_conflicts(db: Path) -> None:
    """A colleague's laptop edits the same notes and deletes a person the demo laptop edits."""
    with Store.open(db) as mine:
        export_bundle(mine, WORK / "mine.prbundle", full=True, plain=True)
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
    export_bundle(other, WORK / "other.prbundle", full=True, plain=True)
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


def fill_notes(db: Path) -> None:
    """The demo leaves schools' notes empty; a few realistic ones for the pictures."""
    with Store.open(db) as store:
        for school in store.list("school"):
            note = NOTES.get(str(school.values.get("phase")))
            if note and not school.values.get("notes"):
                store.update(school.id, {"notes": note})


def shoot_welcome(app: QApplication) -> None:
    data = HOME / ".local" / "share"
    before = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(data)  # platformdirs reads it: "Kept in" shows her folder
    try:
        folder = data / "PeerReview"
        recent = [folder / "coventry-and-warwickshire-schools.db", folder / "demo.db"]
        welcome = WelcomeWindow(recent)  # at its own default size
        welcome.show()
        save(app, welcome, "welcome")
        welcome.close()
    finally:
        if before is None:
            del os.environ["XDG_DATA_HOME"]
        else:
            os.environ["XDG_DATA_HOME"] = before


def open_main(db: Path, settings: AppSettings, size: tuple[int, int]) -> MainWindow:
    session = Session(Store.open(db), privacy=PrivacyMode())
    window = MainWindow(session, settings)
    window.resize(*size)
    window.show()
    return window


def show_school(window: MainWindow) -> None:
    store = window.session.store
    school = next(s for s in store.list("school") if s.values.get("phase") == "Primary")
    window.select_record(school.id)
    window.tree.expand(window.model.index_for_record(school.id))
    window.tree.expand(window.model.child_folder_index(school.id, "person"))
    window.tree.setFocus()


def shoot_2x(db: Path) -> int:
    """Run at QT_SCALE_FACTOR=2 (see main): the main window at twice the pixels."""
    app = make_application()
    settings = AppSettings(QSettings(str(WORK / "settings-2x.ini"), QSettings.Format.IniFormat))
    window = open_main(db, settings, SIZE_2X)
    show_school(window)
    assert window.grab().devicePixelRatio() == 2
    save(app, window, "main-window-2x")
    window.close()
    window.session.store.close()
    return 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--2x":
        return shoot_2x(Path(sys.argv[2]))
    db = WORK / "demo.db"
    subprocess.run(
        [sys.executable, "-m", "peerreview.cli", "demo", "--db", str(db), "--no-gui"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    fill_notes(db)
    app = make_application()
    settings = AppSettings(QSettings(str(WORK / "settings.ini"), QSettings.Format.IniFormat))

    shoot_welcome(app)

    window = open_main(db, settings, SIZE)
    session = window.session
    store = session.store
    show_school(window)
    save(app, window, "main-window")

    follow_scheme(app, Qt.ColorScheme.Dark)  # as when the laptop switches to dark
    save(app, window, "main-window-dark")
    follow_scheme(app, Qt.ColorScheme.Light)

    # The headteacher group: its members are schools and their heads.
    group = store.list("group", where={"type": "Headteacher group"})[0]
    window.select_record(group.id)
    save(app, window, "group")

    search = window.show_search()
    search.box.setText("kineton")
    search.run_search()
    save(app, search, "search")
    search.close()

    school = next(s for s in store.list("school") if s.values.get("phase") == "Primary")
    person = store.list("person", where={"school": school.id})[0]
    window.actions["privacy"].setChecked(True)
    window.select_record(person.id)
    save(app, window, "privacy-mode")
    window.actions["privacy"].setChecked(False)

    window.close()
    store.close()
    shutil.copyfile(db, WORK / "demo-2x.db")  # before the conflicts below
    make_conflicts(db)
    window = open_main(db, settings, SIZE)
    dialog = ConflictReviewDialog(window.session, window)
    dialog.show()
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    dialog.list.setCurrentRow(next(i for i, t in enumerate(rows) if t.startswith("Notes")))
    save(app, dialog, "conflicts")
    dialog.list.setCurrentRow(next(i for i, t in enumerate(rows) if t.startswith("Postcode")))
    save(app, dialog, "conflicts-one-line", WORK)  # to look at; not in the docs
    dialog.close()
    # Opened afresh on the delete (a dialog only grows while open, so as not to jump about).
    person = next(c.record_id for c in window.session.store.conflicts() if c.is_delete)
    dialog = ConflictReviewDialog(window.session, window, record_id=person)
    dialog.show()
    save(app, dialog, "conflicts-delete")
    dialog.close()
    window.close()
    window.session.store.close()

    env = dict(os.environ, QT_SCALE_FACTOR="2")
    twice = [sys.executable, __file__, "--2x", str(WORK / "demo-2x.db")]
    subprocess.run(twice, check=True, env=env)
    return 0


if __name__ == "__main__":
    code = main()
    # Every file is written and closed by now. Leaving the Qt objects to the interpreter's own
    # teardown, in no particular order, crashed it at exit (after the work, but a non-zero code).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
