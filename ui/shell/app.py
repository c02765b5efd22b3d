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

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from peerreview import __version__
from peerreview.errors import PeerReviewError
from peerreview.paths import data_dir
from ui.shell import start_cache
from ui.shell.crash import ExceptionHook
from ui.shell.icons import icon
from ui.shell.lock import DatabaseLock
from ui.shell.logs import EarlyRecords, setup_logging
from ui.shell.main_window import MainWindow
from ui.shell.settings import AppSettings
from ui.shell.steps import after_first_paint
from ui.shell.theme import apply_theme, check_scheme

if TYPE_CHECKING:
    from peerreview.sync.store import Store
    from ui.shell.session import Session
    from ui.shell.welcome import NewDatabase, WelcomeWindow
    from ui.shell.worker import JobRunner

# The store, the session and the features are imported once a window needs them: a window painted
# from its start note (ui/shell/start_cache.py) is painted before any of them.

log = logging.getLogger(__name__)

BRITISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
DEMO_NAME = "demo.db"
SWITCH_INTERVAL_S = 0.002


def _names() -> None:
    """The app's names, which QSettings files are named after (before the app exists, too)."""
    QCoreApplication.setApplicationName("PeerReview")
    QCoreApplication.setOrganizationName("PeerReview")


def make_application(argv: list[str] | None = None, *, dark: bool | None = None) -> QApplication:
    """The QApplication, set up once: names for QSettings, British locale, theme, icon.

    ``dark``: the colour scheme to start in (the start note's), instead of asking the system
    before the window paints (``apply_theme``)."""
    existing = QApplication.instance()
    if existing is None:
        # Fractional scaling as the screen asks (125% stays 125%). It is Qt 6's default; said
        # through the environment because naming the policy builds all of Qt's enums (15 ms).
        os.environ.setdefault("QT_SCALE_FACTOR_ROUNDING_POLICY", "PassThrough")
        app = QApplication(argv if argv is not None else sys.argv[:1])
    else:
        assert isinstance(existing, QApplication)
        app = existing
    _names()
    app.setApplicationDisplayName("PeerReview")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("peerreview")
    app.setWindowIcon(icon("app"))
    QLocale.setDefault(BRITISH)  # dates and numbers British whatever the laptop says
    # A job thread running Python holds the GIL for up to the switch interval at a time; 2 ms
    # (not 5) keeps the window responsive while an import runs.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    apply_theme(app, dark)
    return app


class Launcher(QObject):
    """Which database is open, in which window; the welcome screen when none is."""

    def __init__(
        self, settings: AppSettings, parent: QObject | None = None, *, from_note: bool = False
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        #: at the process's start, paint the window from the last session's note (``run`` does)
        self.from_note = from_note
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
                return self.open_from_note(db_path) or self.open_database(db_path)
            self.show_welcome(target=db_path)  # a new file: create it there
            return True
        last = self.settings.last_database()
        if last is not None and last.exists() and self.open_from_note(last, quiet_sync=True):
            return True
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
        from PySide6.QtWidgets import QMessageBox

        log.warning("%s", text)
        QMessageBox.warning(self._parent(), "PeerReview", text)

    # ------------------------------------------------------------------ opening

    def open_requested(self, path: Path | None) -> bool:
        if path is None:
            start = str(self.settings.last_database() or data_dir())
            from PySide6.QtWidgets import QFileDialog

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

    def _confirm_folder(self, path: Path) -> bool:
        """False when ``path`` is in a synchronised folder and the person would rather not."""
        from peerreview.sync.sync_folders import synchronised_folder

        if synchronised_folder(path) is not None:
            from ui.shell.welcome import confirm_folder

            return confirm_folder(self._parent(), path, opening=True)
        return True

    def _session(self, store: Store) -> Session:
        from ui.shell.privacy import PrivacyMode
        from ui.shell.session import Session

        privacy = PrivacyMode(self.settings.flag("view/privacy"))
        session = Session(store, privacy=privacy)
        privacy.setParent(session)
        return session

    def open_database(self, path: Path, quiet_sync: bool = False) -> bool:
        """Lock and open ``path`` in a new main window (closing the current one)."""
        from peerreview.sync.store import Store

        path = path.resolve()
        if self.session is not None and self.session.store.path.resolve() == path:
            assert self.window is not None
            self.window.raise_()
            return True
        if not quiet_sync and not self._confirm_folder(path):
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
        session = self._session(store)
        window = MainWindow(session, self.settings)
        self._wire(window)
        self.window, self.session, self.lock = window, session, lock
        window.show()
        self._dispose(*old)  # after the new window shows, so the app never has no window
        self._opened(window, session, path)
        return True

    def _wire(self, window: MainWindow) -> None:
        window.open_database_requested.connect(self.open_requested)
        window.new_database_requested.connect(self.new_database)
        window.closed.connect(lambda w=window: self._window_closed(w))

    def _opened(self, window: MainWindow, session: Session, path: Path) -> None:
        if self.welcome is not None:
            self.welcome.close()
            self.welcome.deleteLater()
            self.welcome = None
        self.settings.add_recent(path)
        after_first_paint(window.tree.viewport(), lambda: self._forms_problem(window, session))
        log.info("opened %s as %s", path, session.store.device.name)

    def open_from_note(self, path: Path, quiet_sync: bool = False) -> bool:
        """At the start: paint the window from the note the last session left for ``path``
        (before importing the store or the features), then open it and make the window live.
        False when there is no note that fits (the database changed since, or another one), or
        the database is open elsewhere: then it opens as usual."""
        if not self.from_note or self.window is not None or self.settings.flag("view/privacy"):
            return False
        note = start_cache.load(self.settings, path)
        if note is None:
            return False
        path = path.resolve()
        lock = DatabaseLock(path)
        if not lock.acquire():
            return False  # open_database says why
        window = MainWindow(None, self.settings, start=note)
        self._wire(window)
        self.window, self.session, self.lock = window, None, lock
        window.show()
        after_first_paint(window.tree.viewport(), lambda: self._go_live(window, path, quiet_sync))
        return True

    def _go_live(self, window: MainWindow, path: Path, quiet_sync: bool) -> None:
        """Open the database behind a window painted from its note, and make it live."""
        from peerreview.sync.store import Store

        if window is not self.window or window.live:
            return  # closed meanwhile
        if not quiet_sync and not self._confirm_folder(path):
            self._abandon(quit_app=True)
            return
        try:
            store = Store.open(path)
        except PeerReviewError as exc:
            start_cache.forget(self.settings)
            self._abandon(quit_app=not quiet_sync)
            self._error(exc.message)
            if quiet_sync:
                self.show_welcome()
            return
        session = self._session(store)
        self.session = session
        window.go_live(session)
        self._opened(window, session, path)
        if quiet_sync:
            QTimer.singleShot(0, lambda: self._remind_synchronised(window, path))

    def _abandon(self, quit_app: bool) -> None:
        """A window painted from its note whose database is not to be opened after all."""
        self._release()
        if quit_app:
            QApplication.exit(1)  # as when ``peerreview --db FILE`` cannot open it

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

    def _dispose(
        self, window: MainWindow | None, session: Session | None, lock: DatabaseLock | None
    ) -> None:
        """Close a window (it saves what is pending), then its store, then drop its lock; and
        leave the next start its note, as the database file now is."""
        if window is not None:
            window.close()
            window.deleteLater()
        note = window.closing_note if window is not None else None
        path = session.store.path if session is not None else None
        if session is not None:
            session.flush()
            # Before the note is stamped with the file: a reader's connection closed after that
            # (the last to close empties the write-ahead log) would change the file under it.
            if not session.read_workers.stop():
                note = None  # one still reads: the note would not fit the file it leaves
            session.store.close()
            session.deleteLater()
        if lock is not None:
            lock.release()
        if path is not None:
            if note is not None:
                start_cache.save(self.settings, note, path)
            else:
                # Privacy mode (no names left behind), or a note that would not fit.
                start_cache.forget(self.settings)

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
        from peerreview.sync.store import Store

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
                "Now open the invitation your coordinator sent you: Join with an invitation…",
                20000,
            )
            QTimer.singleShot(200, window, window.show_laptops)
        return opened

    def explore_demo(self) -> None:
        """Open the demo partnership, building it first (in a worker) if it is not there yet."""
        from peerreview.demo import build_demo
        from peerreview.sync.store import Store
        from ui.shell.worker import JobRunner

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


def _start_note(settings: AppSettings, db_path: Path | None) -> start_cache.StartCache | None:
    """The note the start will paint from, if any (the database asked for, or the last one)."""
    path = db_path if db_path is not None else settings.last_database()
    if path is None or not path.is_file() or settings.flag("view/privacy"):
        return None
    return start_cache.load(settings, path)


def run(db_path: Path | None) -> int:
    """Start the app; returns the process exit code (1 when the database cannot be opened)."""
    _names()
    settings = AppSettings()
    note = _start_note(settings, Path(db_path) if db_path is not None else None)
    app = make_application(dark=note.dark if note is not None else None)
    early = EarlyRecords()  # the log file is set up once the window has painted
    hook = ExceptionHook()
    hook.install()
    log.info("PeerReview %s starting", __version__)
    launcher = Launcher(settings, from_note=True)
    started = launcher.start(Path(db_path) if db_path is not None else None)

    def log_to_file() -> None:
        path = setup_logging()
        early.replay()
        log.info("logging to %s", path)
        if note is not None:
            check_scheme(app)  # started in the note's colours: the system's may have changed

    window = launcher.window
    shown = window.tree.viewport() if window is not None else launcher.welcome
    if started and shown is not None:
        after_first_paint(shown, log_to_file)
    else:
        log_to_file()
    if not started:
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
