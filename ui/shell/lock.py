"""One app instance per database: a QLockFile beside the database (``<db>.lock``).

Two processes writing one SQLite file is safe for SQLite but not for people: each would show stale
records and undo the other's edits. A lock left by a crashed process is noticed (its process is
gone) and taken over.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile


class DatabaseLock:
    """Holds ``<db>.lock`` while a window has the database open."""

    def __init__(self, database: Path) -> None:
        self.path = Path(str(database) + ".lock")
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age

    def acquire(self) -> bool:
        """Take the lock now; False when another live process holds it."""
        # tryLock itself takes over a lock whose process has gone (a crash, a flat battery).
        return bool(self._lock.tryLock(0))

    def holder(self) -> str:
        """Who holds the lock, for the message shown to the second instance."""
        info = self._lock.getLockInfo()
        if isinstance(info, tuple) and len(info) >= 2 and info[0]:
            pid, host = info[0], info[1]
            return f"process {pid} on {host or 'this laptop'}"
        return "another PeerReview window"

    def message(self, database: Path) -> str:
        return (
            f"{database.name} is already open in another PeerReview window ({self.holder()}). "
            "Switch to that window, or close it and try again."
        )

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()
