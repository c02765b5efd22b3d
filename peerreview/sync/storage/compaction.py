"""Compacting the database file, emptying its write-ahead log and overwriting freed space: the
storage work of a purge, with progress and Cancel, and the disk's refusals in plain words."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlite_utils

from peerreview.progress import CancelCheck

#: SQLite calls the progress handler every this many virtual-machine instructions (well under a
#: millisecond of work), so Cancel is heard at once.
TICK_INSTRUCTIONS = 20_000

#: Instructions VACUUM runs per page in use, measured on the demo databases (small: 160 on 1,275
#: pages, regional: 163 on 265,005); only for the progress bar.
INSTRUCTIONS_PER_PAGE = 160

#: VACUUM runs its instructions (copying every row into a new file) in about the first half of
#: its time (regional: 5.4 of 11.1 s); the rest copies the new file back and calls no progress
#: handler, so the bar waits at half way meanwhile.
INSTRUCTIONS_SHARE = 0.5


def used_bytes(db: sqlite_utils.Database) -> int:
    """The bytes of the file in use (not free pages): what a compacted copy takes."""
    ex = db.conn.execute
    pages = int(ex("PRAGMA page_count").fetchone()[0]) - int(
        ex("PRAGMA freelist_count").fetchone()[0]
    )
    return pages * int(ex("PRAGMA page_size").fetchone()[0])


def vacuum(
    db: sqlite_utils.Database,
    *,
    progress: Callable[[float], None],
    cancelled: CancelCheck | None = None,
) -> None:
    """Rewrite the file without free pages or leftovers of old rows (VACUUM).

    In WAL mode the new file is written to the write-ahead log first, so this needs about
    ``used_bytes`` of free disk space. Refused (a full disk) or interrupted (``cancelled``), it
    changes nothing: SQLite raises ``sqlite3.OperationalError`` and the file is as it was.

    Args:
        progress: called now and then with the share done so far (an estimate, at most a half).
    """
    pages = used_bytes(db) // int(db.conn.execute("PRAGMA page_size").fetchone()[0])
    expected = max(1.0, pages * INSTRUCTIONS_PER_PAGE / TICK_INSTRUCTIONS)
    ticks = 0

    def tick() -> int:
        nonlocal ticks
        ticks += 1
        if cancelled is not None and cancelled():
            return 1  # SQLite stops the statement and rolls it back ("interrupted")
        progress(min(ticks / expected, 1.0) * INSTRUCTIONS_SHARE)
        return 0

    db.conn.set_progress_handler(tick, TICK_INSTRUCTIONS)
    try:
        db.conn.execute("VACUUM")
    finally:
        db.conn.set_progress_handler(None, 0)


def checkpoint(db: sqlite_utils.Database) -> bool:
    """Copy the write-ahead log into the file and empty it; False when a reader on another
    connection kept it from finishing within the busy timeout (it finishes at a later one)."""
    busy = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return int(busy) == 0


@contextmanager
def overwriting_freed_space(db: sqlite_utils.Database) -> Iterator[None]:
    """Within the block, whatever a write frees (a row's old bytes, a page) is overwritten with
    zeros, so an erased value does not linger in the file's free space."""
    before = int(db.conn.execute("PRAGMA secure_delete").fetchone()[0])
    db.conn.execute("PRAGMA secure_delete = 1")
    try:
        yield
    finally:
        db.conn.execute(f"PRAGMA secure_delete = {before}")


def forget_deleted_search_terms(db: sqlite_utils.Database) -> None:
    """Rewrite the full-text index without the words of deleted entries.

    Deleting an entry only adds a deletion marker: its words stay in the index's older segments
    until they are merged, so an erased name could still be read from the file.
    """
    db.conn.execute("INSERT INTO search(search) VALUES ('optimize')")


def interrupted(exc: sqlite3.Error) -> bool:
    """SQLite stopped because the progress handler asked it to (Cancel)."""
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT" or "interrupt" in str(exc)


def disk_full(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(exc)


def refusal(exc: sqlite3.Error) -> str:
    """Why SQLite refused to write, as words that fit "…, because {refusal}"."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if disk_full(exc):
        return "the disk is full"
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return "the database file is read-only (check it may be changed, and its folder too)"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return "another PeerReview window or command is using the database"
    if name.startswith("SQLITE_IOERR") or "I/O" in text:
        return "the disk could not be written to"
    return f"the database refused ({text})"
