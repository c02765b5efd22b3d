"""Starting the desktop app: ``peerreview`` and ``peerreview --db FILE`` call ``run``.

Sets up the application (British English, high DPI, Fusion light/dark, logging, the exception
dialog), then opens the database asked for, the last one used, or the welcome screen. One app
instance per database (a lock file beside it).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from peerreview import __version__
from peerreview.errors import PeerReviewError
from peerreview.paths import data_dir
from peerreview.sync.store import Store
from ui.shell.crash import ExceptionHook
from ui.shell.icons import icon
from ui.shell.lock import DatabaseLock
from ui.shell.logs import setup_logging
from ui.shell.main_window import MainWindow
from ui.shell.privacy import PrivacyMode
from ui.shell.session import Session
from ui.shell.settings import AppSettings
from ui.shell.steps import after_first_paint
from ui.shell.theme import apply_theme
from ui.shell.worker import JobRunner

if TYPE_CHECKING:
    from ui.shell.welcome import NewDatabase, WelcomeWindow

log = logging.getLogger(__name__)

BRITISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
DEMO_NAME = "demo.db"
SWITCH_INTERVAL_S = 0.002


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, set up once: names for QSettings, British locale, theme, icon."""
    existing = QApplication.instance()
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv if argv is not None else sys.argv[:1])
    else:
        assert isinstance(existing, QApplication)
        app = existing
    app.setApplicationName("PeerReview")
    app.setOrganizationName("PeerReview")
    app.setApplicationDisplayName("PeerReview")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("peerreview")
    app.setWindowIcon(icon("app"))
    QLocale.setDefault(BRITISH)  # dates and numbers British whatever the laptop says
    # A job thread running Python holds the GIL for up to the switch interval at a time; 2 ms
    # (not 5) keeps the window responsive while an import runs.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    apply_theme(app)
    return app


class Launcher(QObject):
    """Which database is open, in which window; the welcome screen when none is."""

    def __init__(self, settings: AppSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.window: MainWindow | None = None
        self.session: Session | None = None
        self.lock: DatabaseLock | None = None
        self.welcome: WelcomeWindow | None = None
        self._jobs: JobRunner | None = None

    # ------------------------------------------------------------------ starting

    def start(self, db_path: Path | None) -> bool:
        """Open what ``peerreview [--db FILE]`` asked for; False when the app should exit."""
        if db_path is not None:
            if db_path.exists():
                return self.open_database(db_path)
            self.show_welcome(target=db_path)  # a new file: create it there
            return True
        last = self.settings.last_database()
        if last is not None and last.exists() and self.open_database(last, quiet_sync=True):
            # Reopened without asking (it was chosen anyway before): a reminder, not a dialog.
            window = self.window
            QTimer.singleShot(0, lambda: self._remind_synchronised(window, last))
            return True
        self.show_welcome()
        return True

    def show_welcome(self, target: Path | None = None) -> WelcomeWindow:
        from ui.shell.welcome import WelcomeWindow  # not needed to open a database

        if self.welcome is None:
            self.welcome = WelcomeWindow(self.settings.recent_databases(), target)
            self.welcome.create_requested.connect(self.create_database)
            self.welcome.open_requested.connect(self.open_requested)
            self.welcome.demo_requested.connect(self.explore_demo)
        self.welcome.show()
        self.welcome.raise_()
        return self.welcome

    def _parent(self) -> QWidget | None:
        return self.window or self.welcome

    def _error(self, text: str) -> None:
        log.warning("%s", text)
        QMessageBox.warning(self._parent(), "PeerReview", text)

    # ------------------------------------------------------------------ opening

    def open_requested(self, path: Path | None) -> bool:
        if path is None:
            start = str(self.settings.last_database() or data_dir())
            name, _ = QFileDialog.getOpenFileName(
                self._parent(),
                "Open a PeerReview database",
                start,
                "PeerReview databases (*.db *.sqlite);;All files (*)",
            )
            if not name:
                return False
            path = Path(name)
        return self.open_database(path)

    def open_database(self, path: Path, quiet_sync: bool = False) -> bool:
        """Lock and open ``path`` in a new main window (closing the current one)."""
        path = path.resolve()
        if self.session is not None and self.session.store.path.resolve() == path:
            assert self.window is not None
            self.window.raise_()
            return True
        if not quiet_sync:
            from peerreview.sync.sync_folders import synchronised_folder

            if synchronised_folder(path) is not None:
                from ui.shell.welcome import confirm_folder

                if not confirm_folder(self._parent(), path, opening=True):
                    return False
        lock = DatabaseLock(path)
        if not lock.acquire():
            self._error(lock.message(path))
            return False
        try:
            store = Store.open(path)
        except PeerReviewError as exc:
            lock.release()
            self._error(exc.message)
            return False
        old = (self.window, self.session, self.lock)
        privacy = PrivacyMode(self.settings.flag("view/privacy"))
        session = Session(store, privacy=privacy)
        privacy.setParent(session)
        window = MainWindow(session, self.settings)
        window.open_database_requested.connect(self.open_requested)
        window.new_database_requested.connect(self.new_database)
        window.closed.connect(lambda w=window: self._window_closed(w))
        self.window, self.session, self.lock = window, session, lock
        window.show()
        self._dispose(*old)  # after the new window shows, so the app never has no window
        if self.welcome is not None:
            self.welcome.close()
            self.welcome.deleteLater()
            self.welcome = None
        self.settings.add_recent(path)
        after_first_paint(window.tree.viewport(), lambda: self._forms_problem(window, session))
        log.info("opened %s as %s", path, store.device.name)
        return True

    @staticmethod
    def _forms_problem(window: MainWindow, session: Session) -> None:
        if session.forms_problem:
            window.statusBar().showMessage(session.forms_problem, 15000)

    def _remind_synchronised(self, window: MainWindow | None, path: Path) -> None:
        from peerreview.sync.sync_folders import synchronised_folder

        service = synchronised_folder(path)
        if service is not None and window is not None and window is self.window:
            where = "on" if service.startswith("a network") else "synchronised by"
            window.statusBar().showMessage(
                f"This database is in a folder {where} {service}: move it to a local folder "
                "and share bundles instead.",
                30000,
            )

    @staticmethod
    def _dispose(
        window: MainWindow | None, session: Session | None, lock: DatabaseLock | None
    ) -> None:
        """Close a window (it saves what is pending), then its store, then drop its lock."""
        if window is not None:
            window.close()
            window.deleteLater()
        if session is not None:
            session.flush()
            session.store.close()
            session.deleteLater()
        if lock is not None:
            lock.release()

    def _release(self) -> None:
        old = (self.window, self.session, self.lock)
        self.window = self.session = self.lock = None
        self._dispose(*old)

    def _window_closed(self, window: MainWindow) -> None:
        if window is self.window:
            self._release()

    # ------------------------------------------------------------------ creating

    def new_database(self) -> None:
        from ui.shell.welcome import NewDatabase, NewDatabaseDialog

        dialog = NewDatabaseDialog(self._parent())
        if dialog.exec() == NewDatabaseDialog.DialogCode.Accepted and dialog.request is not None:
            assert isinstance(dialog.request, NewDatabase)
            self.create_database(dialog.request)

    def create_database(self, request: NewDatabase) -> bool:
        try:
            store = Store.init(
                request.path,
                device_name=request.device_name,
                author=request.author,
                partnership_name=request.partnership_name,
            )
            store.close()
        except PeerReviewError as exc:
            self._error(exc.message)
            return False
        opened = self.open_database(request.path, quiet_sync=True)
        if opened and request.partnership_name is None and self.window is not None:
            window = self.window
            window.statusBar().showMessage(
                "Now import the bundle your coordinator sent you (File → Import bundles…).", 20000
            )
            QTimer.singleShot(200, window.import_bundles)
        return opened

    def explore_demo(self) -> None:
        """Open the demo partnership, building it first (in a worker) if it is not there yet."""
        from peerreview.demo import build_demo

        path = data_dir() / DEMO_NAME
        if path.exists():
            self.open_database(path, quiet_sync=True)
            return
        try:
            store = Store.init(path, device_name="Demo laptop", author="Demo user")
        except PeerReviewError as exc:
            self._error(exc.message)
            return
        parent = self._parent()
        assert parent is not None
        self._jobs = JobRunner(parent)

        def done(_counts: object) -> None:
            store.close()
            self.open_database(path, quiet_sync=True)

        def failed(_error: BaseException) -> bool:
            store.close()
            path.unlink(missing_ok=True)
            for extra in ("-wal", "-shm"):
                Path(str(path) + extra).unlink(missing_ok=True)
            return False

        self._jobs.start(
            "Building the demo partnership…",
            build_demo,
            store,
            "small",
            on_done=done,
            on_failed=failed,
        )

    def shutdown(self) -> None:
        self._release()


def run(db_path: Path | None) -> int:
    """Start the app; returns the process exit code (1 when the database cannot be opened)."""
    app = make_application()
    log_path = setup_logging()
    hook = ExceptionHook()
    hook.install()
    log.info("PeerReview %s starting (log: %s)", __version__, log_path)
    launcher = Launcher(AppSettings())
    if not launcher.start(Path(db_path) if db_path is not None else None):
        return 1
    script = os.environ.get("PEERREVIEW_TEST_SCRIPT")
    if script:
        from ui.shell.testhook import start_script

        start_script(launcher, Path(script))
    code = app.exec()
    launcher.shutdown()
    # Delete the windows now, while Qt is whole, rather than during interpreter shutdown.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    hook.uninstall()
    log.info("PeerReview closed normally")
    return int(code)
