"""Open every screen the app can show, at one screen size, and report what does not fit (JSON).

    python tests/ui/laptop/walk.py OUT.json [--shots FOLDER] [--with-contact-log]

``tests/ui/test_fits_the_laptop.py`` runs it in a fresh process whose offscreen screen is a school
laptop's (1366 x 768 at 100%, or 1600 x 900 at 125%: 1280 x 720 logical pixels). Nothing here
names a screen: it walks what the registries give the window.

* the main window, sized to the screen less a taskbar, on each kind of row the navigator shows
  (folders, and a record of each kind: the one with the longest name), every tab of what opens,
  and each mode a page can be switched to (a button ending in "mode");
* records the navigator does not list but a feature reveals in its owner's view (a note, a view);
* every command of the menus (the shell's and each feature's), from the partnership's page and
  from a school's; every button of a page that opens a window (text ending "…", or the
  ``opensWindow`` property), and every button of the dialogs those open, one level down;
* privacy mode, search with results, the conflict review with conflicts, an import's summary,
  and the welcome screen with its own dialogs.

Every screen is also read for a record's id or a kind's internal name where a person can see it
(the navigator's rows, search hits, the conflicts, the import's summary...): "ids" in the output.

A dialog is checked as it shows itself (its own size, which must fit the screen), then cancelled.
The demo is made harder than usual first: a school with the longest name, whose last review agreed
a next step in every area of an eight-area framework, and conflicts from a second laptop.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ui"))
WORK = Path(tempfile.mkdtemp(prefix="peerreview-laptop-"))
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(WORK / _var.lower())

from PySide6.QtCore import QModelIndex, QRect, QSettings, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QWidget,
)

from laptop.clipping import id_like, mnemonic_clashes, problems  # noqa: E402
from peerreview.demo import build_demo  # noqa: E402
from peerreview.review import reviews as rv  # noqa: E402
from peerreview.sync.bundle import export_bundle, import_bundles  # noqa: E402
from peerreview.sync.enrolment import enrol  # noqa: E402
from peerreview.sync.store import Store  # noqa: E402

#: The taskbar a laptop's screen keeps (Windows: 40 pixels at 100%).
TASKBAR = 40
#: Commands not walked: they close, destroy, undo, or hand over to the launcher.
SKIPPED = {
    "quit",
    "delete",
    "purge",
    "undo",
    "redo",
    "new_database",
    "open_database",
    "focus_navigator",
    "focus_details",
    "privacy",
}
#: Buttons never pressed: they change or destroy data, or leave the app.
DANGEROUS = re.compile(r"delete|remove|erase|agree|open it|open in", re.IGNORECASE)
LONG_EBI = (
    "Leaders at every level check the impact of their plans on what pupils know and can do, "
    "not only on what was planned, and share what they find with governors each term."
)


def settle(app: QApplication) -> None:
    for _ in range(4):
        app.processEvents()


class Walker:
    """Walks the screens; ``problems`` collects what is clipped, ``screens`` what was seen."""

    def __init__(self, app: QApplication, usable: QRect, shots: Path | None) -> None:
        self.app = app
        self.usable = usable
        self.shots = shots
        self.problems: list[str] = []
        self.clashes: list[str] = []  # two things one Alt+letter reaches
        self.ids: list[str] = []  # a record's id or a kind's internal name, in sight
        self.kinds: tuple[str, ...] = ()
        self.screens: list[str] = []
        self._depth = 0
        self._seen_dialogs: set[str] = set()

    # ------------------------------------------------------------------ checking

    def check(self, widget: QWidget, where: str) -> None:
        settle(self.app)
        self.wait_for_charts(widget)
        self.screens.append(where)
        self.problems += problems(widget, where, self.usable)
        self.clashes += mnemonic_clashes(widget, where)
        self.ids += id_like(widget, where, self.kinds)
        if self.shots is not None:
            name = re.sub(r"[^a-z0-9]+", "-", where.lower()).strip("-")[:90]
            widget.grab().save(str(self.shots / f"{len(self.screens):03d}-{name}.png"))

    # ------------------------------------------------------------------ dialogs

    def patch_dialogs(self) -> None:
        walker = self

        def exec_(dialog: QDialog) -> int:
            walker.dialog(dialog)
            return int(QDialog.DialogCode.Rejected)

        def open_(dialog: QDialog) -> None:
            walker.dialog(dialog)

        from PySide6.QtPrintSupport import QPrintDialog

        for cls in (QDialog, QMessageBox, QPrintDialog, QFileDialog):
            cls.exec = exec_  # type: ignore[method-assign, assignment]
            cls.open = open_  # type: ignore[method-assign, assignment]
        for name in ("question", "warning", "information", "critical", "about", "aboutQt"):
            setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
        QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: ("", ""))  # type: ignore
        QFileDialog.getOpenFileNames = staticmethod(lambda *a, **k: ([], ""))  # type: ignore
        QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: ("", ""))  # type: ignore
        QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: "")  # type: ignore

        def ask(empty: Any) -> Callable[..., Any]:
            """QInputDialog's static askers: the dialog is checked as it shows, then cancelled."""

            def run(parent: QWidget | None, title: str, label: str, *a: Any, **k: Any) -> Any:
                dialog = QInputDialog(parent)
                dialog.setWindowTitle(title)
                dialog.setLabelText(label)
                walker.dialog(dialog)
                dialog.deleteLater()
                return (empty, False)

            return staticmethod(run)

        for name, empty in (
            ("getText", ""),
            ("getMultiLineText", ""),
            ("getItem", ""),
            ("getInt", 0),
            ("getDouble", 0.0),
        ):
            setattr(QInputDialog, name, ask(empty))

    def dialog(self, dialog: QDialog) -> None:
        """Check a dialog as it shows itself, press what opens further windows, then cancel."""
        title = dialog.windowTitle() or type(dialog).__name__
        dialog.show()
        settle(self.app)
        where = f"dialog {title!r}"
        if where not in self._seen_dialogs or self._depth == 0:
            self._seen_dialogs.add(where)
            self.check(dialog, where)
            # Qt's own dialogs (printing, files) open theirs from C++, out of this walk's reach.
            if self._depth < 1 and not type(dialog).__module__.startswith("PySide6"):
                self._depth += 1
                try:
                    self.press_openers(dialog, where)
                finally:
                    self._depth -= 1
        dialog.hide()
        dialog.setResult(int(QDialog.DialogCode.Rejected))

    def openers(self, root: QWidget) -> list[QAbstractButton]:
        """Buttons of ``root`` that open a window: "…" at the end, or the opensWindow property."""
        out = []
        for button in root.findChildren(QAbstractButton):
            text = button.text().replace("&", "")
            if not button.isVisibleTo(root) or not button.isEnabled() or DANGEROUS.search(text):
                continue
            if text.endswith("…") or text.endswith("...") or button.property("opensWindow"):
                out.append(button)
        return out

    def press_openers(self, root: QWidget, where: str) -> None:
        for button in self.openers(root):
            before = set(QApplication.topLevelWidgets())
            button.click()
            self.wait_for_jobs()
            self.new_windows(before, f"{where} → {button.text().replace('&', '')!r}")

    def new_windows(self, before: set[QWidget], where: str) -> None:
        for top in QApplication.topLevelWidgets():
            if top in before or not top.isVisible() or isinstance(top, QDialog):
                continue
            name = f"window {top.windowTitle()!r} from {where}"
            self.check(top, name)
            if self._depth < 1:  # its own buttons' windows and dialogs, one level down
                self._depth += 1
                try:
                    self.press_openers(top, name)
                finally:
                    self._depth -= 1
            top.close()

    def wait_for_charts(self, widget: QWidget) -> None:
        """Charts are drawn in a process of their own: the page is checked once each picture has
        come and the layout has taken it in (up to 10 s), as a person sees it a moment later."""
        import time

        from ui.shell.chart import ChartView

        for _ in range(500):
            views = [v for v in widget.findChildren(ChartView) if v.isVisibleTo(widget)]
            waiting = [
                v
                for v in views
                if v.chart is not None
                and (v.pixmap().isNull() or v.height() != v.heightForWidth(v.width()))
            ]
            if not waiting:
                return
            time.sleep(0.02)
            settle(self.app)

    def wait_for_jobs(self) -> None:
        from ui.shell.worker import JobRunner

        for _ in range(600):
            settle(self.app)
            runners = [
                r for top in QApplication.topLevelWidgets() for r in top.findChildren(JobRunner)
            ]
            if not any(r.running for r in runners):
                return
            QTimer.singleShot(20, lambda: None)
            self.app.processEvents()
            import time

            time.sleep(0.02)


# ====================================================================== the demo, made harder


def make_demo(db: Path) -> None:
    with Store.init(db, device_name="Demo laptop", author="Demo user") as store:
        build_demo(store, "small")
        harden(store)
    make_conflicts(db)


def harden(store: Store) -> None:
    """The school with the longest name gets, as its latest review, one that agreed a next step
    in every area of the framework with the most areas (planning its next review shows them)."""
    from peerreview.forms import forms_dir, load_forms

    school = max(store.list("school"), key=lambda s: len(str(s.get("name", ""))))
    library = load_forms(forms_dir())
    framework = max(rv.frameworks(library), key=lambda f: len(f.areas))
    latest = rv.latest_review(store, school.id)
    day = dt.date.fromisoformat(latest["start_date"]) if latest else dt.date.today()
    day = min(day + dt.timedelta(days=2), dt.date.today() + dt.timedelta(days=7))
    review = rv.plan_review(store, framework, school=school.id, start_date=day)
    store.update(review, {"areas_excluded": [], "status": rv.Status.AGREED.value})
    for area in framework.areas:
        rv.set_view(
            store,
            review,
            area.id,
            rv.Stage.AGREED,
            judgement=area.scale.levels[1].value if area.scale else "",
            ebi=LONG_EBI,
            www="Pupils talk about their learning with confidence.",
        )


def make_conflicts(db: Path) -> None:
    """A second laptop edits what this one edits: a school's notes, a review's focus."""
    with Store.open(db) as mine:
        other = Store.init(
            WORK / "other.db",
            device_name="Mrs Patel's laptop",
            author="Amira Patel",
            partnership_id=mine.partnership_id,
        )
        enrol(mine, other)
        export_bundle(mine, WORK / "mine.prbundle", full=True, plain=True)
        school = mine.list("school")[0]
        review = mine.list("review")[0]
    import_bundles(other, [WORK / "mine.prbundle"])
    other.update(school.id, {"notes": "Reading for pleasure is a strength of the school."})
    other.update(review.id, {"focus": "Writing across the curriculum, from Year 3 to Year 6."})
    export_bundle(other, WORK / "other.prbundle", full=True, plain=True)
    other.close()
    with Store.open(db) as mine:
        mine.update(school.id, {"notes": "A strong reading culture; phonics catch-up in Year 3."})
        mine.update(review.id, {"focus": "Reading across the curriculum."})
        import_bundles(mine, [WORK / "other.prbundle"])


# ====================================================================== the walk


def navigator_rows(window: Any) -> Iterator[QModelIndex]:
    """Every row of the navigator, folders opened (two levels of records deep)."""
    model = window.model

    def rows(parent: QModelIndex, depth: int) -> Iterator[QModelIndex]:
        if model.canFetchMore(parent):
            model.fetchMore(parent)
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            yield index
            if depth < 5:
                yield from rows(index, depth + 1)

    yield from rows(QModelIndex(), 0)


def representatives(window: Any) -> list[tuple[str, QModelIndex]]:
    """One row of each sort the navigator shows: the one with the longest text."""
    chosen: dict[str, QModelIndex] = {}
    for index in navigator_rows(window):
        node = window.model.node_at(index)
        if node is None:
            continue
        key = f"{node.role}:{node.kind}:{node.folder.title if node.folder else ''}"
        if node.record_id and window.session.store.exists(node.record_id):
            # Records made with different forms show different screens (an enquiry's review).
            key += ":" + str(window.session.store.get(node.record_id).get("form_id", ""))
        text = str(index.data() or "")
        if key not in chosen or len(text) > len(str(chosen[key].data() or "")):
            chosen[key] = index
    return sorted(chosen.items())


def walk_page(walker: Walker, window: Any, where: str) -> None:
    """The page shown for a selection: each tab (and each mode), and its window-opening buttons."""
    walker.check(window, where)
    detail = window.detail
    for tabs in detail.findChildren(QTabWidget):
        if not tabs.isVisibleTo(window):
            continue
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            name = f"{where}, tab {tabs.tabText(i).replace('&', '')!r}"
            walker.check(window, name)
            page = tabs.widget(i)
            for button in page.findChildren(QPushButton):
                if button.isCheckable() and button.text().lower().endswith("mode"):
                    if button.isVisibleTo(window) and not button.isChecked():
                        mode = button.text().replace("&", "")
                        button.click()
                        walker.check(window, f"{name}, {mode}")
                        for off in page.findChildren(QPushButton):
                            if off.isCheckable() and off.isChecked() and "mode" in off.text():
                                off.click()
            walker.press_openers(page, name)
        tabs.setCurrentIndex(0)
    walker.press_openers(detail, where)


def walk_window(walker: Walker, window: Any) -> None:
    reps = representatives(window)
    for key, index in reps:
        window.select_index(index)
        walk_page(walker, window, f"navigator {key} {str(index.data())[:40]!r}")
    # Records the navigator does not list, shown where they are worked on.
    store = window.session.store
    for kind in store.registry.kinds:
        if window.features.revealer(kind) is None:
            continue
        for record in store.list(kind, limit=1):
            window.select_record(record.id)
            walker.check(window, f"{kind} revealed")
    # Every command, from the partnership's page, from the longest-named school's, and from each
    # kind of record a feature opens in a workspace of its own (an action plan, a cycle), where
    # commands act on what the workspace has selected.
    school = max(store.list("school"), key=lambda s: len(str(s.get("name", ""))))
    places: list[tuple[str, Callable[[], object]]] = [
        ("partnership", lambda: window.select_index(window.model.index(0, 0))),
        ("school", lambda: window.select_record(school.id)),
    ]
    for kind in store.registry.kinds:
        if kind in ("school", "review") or window.features.opener(kind) is None:
            continue
        for record in store.list(kind, limit=1):
            places.append((kind, lambda rid=record.id: window.select_record(rid)))
    for place, select in places:
        for name, action in sorted(window.actions.items()):
            if name in SKIPPED or not isinstance(action, QAction) or not action.isEnabled():
                continue
            select()
            before = set(QApplication.topLevelWidgets())
            action.trigger()
            walker.wait_for_jobs()
            walker.new_windows(before, f"command {name} from the {place}")
    # Privacy mode, on a review's judgements.
    review = max(store.list("review"), key=lambda r: len(str(r.get("title", ""))))
    window.set_privacy(True)
    window.select_record(review.id)
    walk_page(walker, window, "privacy mode, a review")
    window.set_privacy(False)
    # Search with results.
    search = window.show_search()
    search.box.setText("reading")
    search.run_search()
    walker.check(search, "search with results")
    search.close()
    # The conflict review (the window opens it, as the status bar's link does).
    window.review_conflicts()
    # An import's summary.
    from ui.shell.transfer import ImportSummaryDialog

    with Store.init(WORK / "third.db", device_name="Coordinator's laptop") as third:
        results = import_bundles(third, [WORK / "mine.prbundle", WORK / "other.prbundle"])
        summary = ImportSummaryDialog(results, third.conflict_count(), window)
        summary.open()


def walk_welcome(walker: Walker) -> None:
    from ui.shell.welcome import WelcomeWindow

    recent = [WORK / "coventry-and-warwickshire-schools-partnership.db", WORK / "demo.db"]
    welcome = WelcomeWindow(recent)
    welcome.show()
    walker.check(welcome, "welcome screen")
    walker.press_openers(welcome, "welcome screen")
    welcome.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--shots", type=Path)
    parser.add_argument("--with-contact-log", action="store_true")
    parser.add_argument("--give-up", type=float, default=240, help="seconds before giving up")
    args = parser.parse_args()
    import faulthandler

    faulthandler.dump_traceback_later(args.give_up, exit=True)  # where it hung, if it does

    from ui.shell.app import make_application
    from ui.shell.main_window import MainWindow
    from ui.shell.privacy import PrivacyMode
    from ui.shell.session import Session
    from ui.shell.settings import AppSettings

    app = make_application()
    screen = app.primaryScreen().availableGeometry()
    usable = QRect(0, 0, screen.width(), screen.height() - TASKBAR)
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    walker = Walker(app, usable, args.shots)
    walker.patch_dialogs()

    db = WORK / "demo.db"
    make_demo(db)
    registry = features = None
    forms = None
    if args.with_contact_log:
        from contact_log.feature import FEATURE, FORM
        from contact_log.feature_ui import FEATURE_UI

        from peerreview.features import default_registry
        from peerreview.forms import FormLibrary, forms_dir, load_forms
        from peerreview.sync.registry import Registry
        from ui.features import default_features
        from ui.shell.registry import UIRegistry

        registry = Registry((*default_registry().features, FEATURE))
        features = UIRegistry(registry, (*default_features(), FEATURE_UI))
        forms = FormLibrary([*load_forms(forms_dir()), FORM])
    store = Store.open(db, registry=registry)
    walker.kinds = tuple(store.registry.kinds)
    if args.with_contact_log:
        school = store.list("school")[0]
        store.create("contact_note", {"school": school.id, "summary": "Phoned the head"})
    session = Session(store, forms=forms, privacy=PrivacyMode())
    settings = AppSettings(QSettings(str(WORK / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(session, settings, features=features)
    window.setGeometry(usable)
    window.show()
    settle(app)
    walk_window(walker, window)
    walk_welcome(walker)
    window.close()
    store.close()
    args.out.write_text(
        json.dumps(
            {
                "screens": walker.screens,
                "problems": walker.problems,
                "clashes": walker.clashes,
                "ids": walker.ids,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    code: Callable[[], int] = main
    raise SystemExit(code())
