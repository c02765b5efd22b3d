"""A long write's pages sent to the disk as they are made, not all at once when it commits.

Left to itself Linux keeps a bulk import's pages (gigabytes: the write-ahead log, then the
database file at the checkpoint) in memory until the commit's fsync, and writes them all then. On
ext4 each finished write is followed by kernel work that marks the written extents as written
(``ext4_end_io_rsv_work``); after one huge write that work runs for 30-160 ms at a time on one
core, and on a kernel without preemption nothing else runs on that core meanwhile: the window's
thread waited 20-27 ms for a processor behind it at the end of a whole-region import (issue 13
(d); measured with ``perf sched``). Asking for the pages to be written every few milliseconds
keeps each piece of that work under about 5 ms (a 2 GB write: 163 ms at most -> 5 ms; the kernel's
total conversion work 385 -> 78 ms), and the commit's fsync finds little left to do.

The asking uses SQLite's own file descriptors (found in ``/proc/self/fd``): opening and closing the
database file here would drop the POSIX locks SQLite holds on it. Linux only (``sync_file_range``);
elsewhere nothing is started.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

#: How often the pages written since are sent on their way (each piece of the kernel's work after
#: them then stays a few milliseconds long).
INTERVAL_S = 0.02

_SYNC_FILE_RANGE_WRITE = 2

#: A file written whole (a bundle) goes to the disk in pieces of this size.
_PIECE = 16 * 1024 * 1024


def _sync_file_range() -> Callable[[int, int, int, int], int] | None:
    """libc's ``sync_file_range``, or None where there is none (not Linux)."""
    if not os.path.isdir("/proc/self/fd"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_SYNC = _sync_file_range()


def write_all(out: BinaryIO, data: bytes) -> None:
    """Write ``data`` to ``out``, each ``_PIECE`` sent to the disk as soon as it is written (the
    caller's fsync still makes it durable): an exported bundle of hundreds of megabytes would
    otherwise reach the disk all at its fsync, with the kernel's long work after it."""
    view = memoryview(data)
    base = out.tell()
    for start in range(0, len(view), _PIECE):
        piece = view[start : start + _PIECE]
        out.write(piece)
        if _SYNC is not None:
            out.flush()
            _SYNC(out.fileno(), base + start, len(piece), _SYNC_FILE_RANGE_WRITE)


def open_descriptors(paths: list[Path]) -> dict[Path, int]:
    """This process's open file descriptors on ``paths`` (the first found for each)."""
    wanted = {os.path.realpath(p): p for p in paths}
    found: dict[Path, int] = {}
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return found
    for name in fds:
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue  # closed since the listing
        path = wanted.get(target)
        if path is not None and path not in found:
            found[path] = int(name)
    return found


class WriteBehind:
    """While it runs, the pages written to ``database`` and its write-ahead log go to the disk
    every ``INTERVAL_S`` (see the module's docstring). ``stop`` ends it."""

    def __init__(self, database: Path) -> None:
        self.paths = [database, database.with_name(database.name + "-wal")]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if _SYNC is not None:
            self._thread = threading.Thread(target=self._run, name="write behind", daemon=True)
            self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        sync = _SYNC
        assert sync is not None
        fds: dict[Path, int] = {}
        while not self._stop.wait(INTERVAL_S):
            if len(fds) < len(self.paths):  # the log appears at the transaction's first write
                fds = open_descriptors(self.paths)
            for fd in fds.values():
                # Advice only: a descriptor closed meanwhile fails harmlessly (EBADF).
                sync(fd, 0, 0, _SYNC_FILE_RANGE_WRITE)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
