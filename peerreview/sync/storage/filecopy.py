"""Backups by copying the database file while this connection's write lock keeps it still."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import sqlite_utils

_CHUNK = 64 * 1024 * 1024


def settle(db: sqlite_utils.Database) -> int | None:
    """Copy the write-ahead log into the database file, without waiting for anyone.

    Returns the connection's data version when every committed page is in the file (None when a
    reader kept part of the log from being copied). Call it outside a transaction, then take the
    write lock and pass the number to ``still``.
    """
    conn = db.conn
    if conn.in_transaction:
        return None
    version = int(conn.execute("PRAGMA data_version").fetchone()[0])
    try:
        busy, log, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except sqlite3.Error:
        return None
    # log is -1 when the database is not in WAL mode: its writes would reach the file at once.
    if busy or log < 0 or done != log:
        return None
    return version


def still(db: sqlite_utils.Database, version: int | None) -> bool:
    """True when, under this connection's write lock, the database file alone holds every commit:
    nothing was committed by another connection since ``settle`` emptied the log into it.

    While the lock is held no one can commit, and this connection's own writes go to the log (the
    file changes only at a checkpoint, after a commit), so the file stays as it is until then.
    """
    if version is None:
        return False
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0]) == version


class FileCopy:
    """Copy a database file to ``target`` in a thread (the kernel copies; Python's lock is free).

    The caller keeps the file still (``still``) until ``finish`` returns.
    """

    def __init__(self, source: Path, target: Path) -> None:
        self.source = source
        self.target = target
        self.partial = target.with_suffix(".partial")
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="backup copy", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with open(self.source, "rb") as src, open(self.partial, "wb") as dst:
                size = os.fstat(src.fileno()).st_size
                done = 0
                while done < size and not self._stop.is_set():
                    n = _copy_range(src.fileno(), dst.fileno(), min(_CHUNK, size - done), done)
                    if n == 0:
                        raise OSError("the database file ended before its size")
                    _write_back(dst.fileno(), done, n)
                    done += n
                # A backup must be on the disk before the change it guards against is.
                os.fsync(dst.fileno())
                _forget(dst.fileno(), 0, 0)
        except BaseException as exc:  # reported by finish(), on the caller's thread
            self._error = exc

    def finish(self) -> Path:
        """Wait for the copy; the finished backup (it appears under its name only when whole).

        Raises:
            OSError: the copy failed (the disk is full, the folder is read-only).
        """
        self._thread.join()
        if self._error is not None:
            self.partial.unlink(missing_ok=True)
            raise self._error
        os.replace(self.partial, self.target)
        return self.target

    def abandon(self) -> None:
        """Stop copying and remove what was copied (nothing new came: nothing to keep)."""
        self._stop.set()
        self._thread.join()
        self.partial.unlink(missing_ok=True)


def _write_back(fd: int, offset: int, count: int) -> None:
    """Start writing a chunk just copied to the disk, and let the chunk two before it go from
    memory (written by now).

    Left to itself the kernel keeps the whole copy (gigabytes) in memory as unwritten pages until
    the final fsync, throttles the copy once there are too many, and evicts the live database's
    pages to hold them; started as it goes, the writing overlaps the copy and the fsync finds
    little left (a 2.2 GB copy: 1.2-1.5 s against 1.5-6 s). The fsync still makes it durable.
    """
    _forget(fd, offset, count)  # for pages not yet written, Linux starts writing them
    if offset >= 2 * _CHUNK:
        _forget(fd, offset - 2 * _CHUNK, _CHUNK)


def _forget(fd: int, offset: int, count: int) -> None:
    if hasattr(os, "posix_fadvise"):  # not on Windows or macOS: the copy is as before there
        try:
            os.posix_fadvise(fd, offset, count, os.POSIX_FADV_DONTNEED)
        except OSError:
            pass  # advice only


def _copy_range(src: int, dst: int, count: int, offset: int) -> int:
    try:
        return os.copy_file_range(src, dst, count, offset, offset)
    except OSError:
        # Not every filesystem copies in the kernel: read and write instead.
        data = os.pread(src, count, offset)
        os.pwrite(dst, data, offset)
        return len(data)
