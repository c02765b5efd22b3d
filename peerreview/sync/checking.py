"""A bundle's changes checked line by line: here, or half of them by a helper on a second core."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import orjson

from peerreview.errors import ValidationError
from peerreview.sync.changes import HLC_HEADROOM, MAX_HLC, PURGED, checked_row
from peerreview.sync.kinds import Kind

#: Changes files from this size up are checked on two cores (a helper process costs about a
#: fifth of a second to start: below this it would not pay).
TWO_CORES_BYTES = 24 * 1024 * 1024
#: ... and up to this size: above it the helper's half of the file and its rows cost as much
#: memory again (the whole region's 790 MB: 2.9 GB here and 2.1 GB in the helper at once), and a
#: window beside an import that long needs the other core.
TWO_CORES_MAX_BYTES = 256 * 1024 * 1024


class Lines(Protocol):
    """Which lines of a changes file (by number) are left out."""

    def __contains__(self, line: int) -> bool: ...


def second_core_free() -> bool:
    """Whether another core is likely idle (the load of the last minute leaves one): on a
    machine whose other cores are busy a helper only adds its start and its pipe to the wait."""
    cores = os.cpu_count() or 1
    if cores < 2:
        return False
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has no load average
        return True
    return load <= cores - 0.5


@dataclass(frozen=True)
class Who:
    """What the per-line checks need to know of the bundle's sender and this laptop."""

    sender: str
    me: str
    #: the sender may bring others' changes (it is this laptop, or a coordinator's)
    relays: bool
    #: the newest clock stamp of this laptop's own changes
    own_max: int
    #: stamps above this are ahead of this laptop's clock by more than a day
    future: int


@dataclass
class Part:
    """What checking some lines of changes.jsonl found (their rows when kept)."""

    ids: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    kinds_of: dict[str, str] = field(default_factory=dict)
    max_hlc: int = 0
    #: each author's newest stamp
    authors: dict[str, int] = field(default_factory=dict)
    purgers: set[str] = field(default_factory=set)
    #: ids of changes the sender may bring only if this laptop has them already
    suspect: list[str] = field(default_factory=list)
    skipped: int = 0


def loads(line: bytes) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise ValidationError(f"a change is not valid JSON ({exc.msg})") from None


def check_lines(
    lines: Iterable[bytes],
    first: int,
    kinds: Mapping[str, Kind],
    who: Who,
    skip: Lines | None,
    keep: bool,
    tick: Callable[[int], None] | None = None,
    row_of: Callable[[dict[str, Any]], tuple[Any, ...]] = checked_row,
) -> Part:
    """Parse and check each line (the ``first`` of the file onwards) against the schema, and
    note who wrote it; lines in ``skip`` (known already) are only counted. ``row_of`` checks a
    change's shape and makes its log row (``changes.checked_row``).

    Raises:
        ValidationError: at the first line that is not a valid change.
    """
    from peerreview.sync.enrolment import printable

    part = Part()
    ids, rows, kinds_of, authors, suspect = (
        part.ids,
        part.rows,
        part.kinds_of,
        part.authors,
        part.suspect,
    )
    sender, me, relays, own_max, future = who.sender, who.me, who.relays, who.own_max, who.future
    # The same checks of every line, with what repeats done once: each record and device id is
    # checked as a UUID the first time it is met.
    uuids: set[str] | None = set() if row_of is checked_row else None
    parse = orjson.loads
    max_hlc = 0
    try:
        for i, line in enumerate(lines, first):
            if skip is not None and i in skip:
                part.skipped += 1
                continue
            body = parse(line)
            row = row_of(body) if uuids is None else checked_row(body, uuids)
            kind_name = row[2]
            field_name = row[3]
            kind = kinds.get(kind_name)
            if kind is None:
                raise ValidationError(
                    "it names a kind of record "
                    f"({printable(kind_name[:60])!r}) this version does not know"
                )
            if row[4] is not None:
                # A field the kind declares is checked by its spec directly (Kind.check would
                # look it up again); the rest (local, dynamic, unknown) through the kind.
                spec = kind.by_name.get(field_name)
                if spec is not None:
                    spec.check(kind.label, body["value"])
                else:
                    kind.check(field_name, body["value"])
            elif kind.spec(field_name) is None and not kind.dynamic:
                raise ValidationError(f"a {kind.label} has no field called {field_name!r}")
            if kinds_of.setdefault(row[1], kind_name) != kind_name:
                raise ValidationError(f"record {row[1]} is given two different kinds")
            author = row[8]
            hlc = row[7]
            if authors.get(author, -1) < hlc:
                authors[author] = hlc
            if field_name == PURGED and row[4] == "true":
                part.purgers.add(author)
            if (author != sender and not relays) or (
                author == me and sender != me and (hlc <= own_max or not relays)
            ):
                suspect.append(row[0])
            ids.append(row[0])
            if keep:
                rows.append(row)
            if hlc > max_hlc:
                max_hlc = hlc
                if max_hlc >= MAX_HLC - HLC_HEADROOM:
                    raise ValidationError("it has a clock stamp centuries in the future")
                if max_hlc > future:
                    raise ValidationError(
                        "it has changes stamped "
                        f"{dt.datetime.fromtimestamp((max_hlc >> 16) / 1000, dt.UTC):%-d %B %Y}, "
                        "ahead of this laptop's clock; the laptop that made them has its clock "
                        "wrong"
                    )
            if tick is not None and i % 20000 == 0:
                tick(i)
    except orjson.JSONDecodeError as exc:  # only ``parse`` raises it
        raise ValidationError(f"a change is not valid JSON ({exc.msg})") from None
    part.max_hlc = max_hlc
    return part


def merge(a: Part, b: Part) -> Part | None:
    """Two consecutive parts as one; None when a record has one kind in each."""
    kinds_of = a.kinds_of
    for record, kind in b.kinds_of.items():
        if kinds_of.setdefault(record, kind) != kind:
            return None
    authors = a.authors
    for author, hlc in b.authors.items():
        if authors.get(author, -1) < hlc:
            authors[author] = hlc
    a.ids.extend(b.ids)
    a.rows.extend(b.rows)
    a.purgers |= b.purgers
    a.suspect.extend(b.suspect)
    a.max_hlc = max(a.max_hlc, b.max_hlc)
    a.skipped += b.skipped
    return a


_SERVE = "from peerreview.sync.checking import serve; serve()"


class Helper:
    """A process on another core that checks the second half of a changes file.

    A new Python started with ``-c`` (not a fork: the window's process must never be forked),
    talking pickles over its standard input and output. Anything that goes wrong in it (it
    could not start, a line is not valid) answers None: the caller then checks every line
    itself, in order, which finds and words the fault exactly as a one-core check does.
    """

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        if getattr(sys, "frozen", False):
            return
        try:
            # The same code as this process's (not whatever a current folder holds: -P).
            root = str(Path(__file__).resolve().parents[2])
            code = f"import sys; sys.path.insert(0, {root!r}); {_SERVE}"
            self._proc = subprocess.Popen(
                [sys.executable, "-P", "-c", code],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._proc = None

    def send(
        self, kinds: Mapping[str, Kind], who: Who, first: int, data: bytes, limit: int
    ) -> bool:
        """Give it lines to check (``data``, from line ``first`` of the file; none longer
        than ``limit``)."""
        proc = self._proc
        if proc is None or proc.stdin is None:
            return False
        try:
            pickle.dump((dict(kinds), who, first, data, limit), proc.stdin, pickle.HIGHEST_PROTOCOL)
            proc.stdin.close()
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            self.stop()
            return False
        return True

    def result(self) -> Part | None:
        """Its part, once it has checked every line; None if any line was refused."""
        proc = self._proc
        if proc is None or proc.stdout is None:
            return None
        try:
            answer = pickle.load(proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError):
            answer = None
        self.stop()
        return answer if isinstance(answer, Part) else None

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()


def serve(stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None) -> None:
    """The helper's side: check the lines given, answer the part (or None when refused)."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    kinds, who, first, data, limit = pickle.load(stdin)
    lines = [line for line in data.split(b"\n") if line]
    del data
    answer: Part | None = None
    try:
        if all(len(line) <= limit for line in lines):
            answer = check_lines(lines, first, kinds, who, None, True)
            # Kinds, fields, devices and authors repeat: one string each, pickled once.
            intern = sys.intern
            answer.rows = [
                (
                    r[0],
                    r[1],
                    intern(r[2]),
                    intern(r[3]),
                    r[4],
                    r[5],
                    r[6],
                    r[7],
                    intern(r[8]),
                    intern(r[9]),
                    r[10],
                )
                for r in answer.rows
            ]
            answer.ids = [r[0] for r in answer.rows]
    except (ValidationError, KeyError, TypeError, ValueError, IndexError, RecursionError):
        answer = None
    pickle.dump(answer, stdout, pickle.HIGHEST_PROTOCOL)
    stdout.flush()
