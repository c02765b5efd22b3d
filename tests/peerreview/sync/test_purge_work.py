"""Purge as long work: progress, Cancel, and the disk's refusals (full, read-only) as one sentence
with the database unchanged and usable.

A full disk is simulated where SQLite reports it (the ``full_disk`` fixture of tests/conftest.py):
the connection's VACUUM fails with the ``sqlite3.OperationalError`` ("database or disk is full",
SQLITE_FULL) SQLite raises when a write finds no space. ``test_a_really_full_disk`` makes a small
tmpfs instead, where this machine allows mounting one (root in a container that may mount), and
fills it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from peerreview.errors import Cancelled, PurgeError
from peerreview.sync import store as store_module
from peerreview.sync.check import check
from peerreview.sync.dump import dump_bytes
from peerreview.sync.ids import new_id
from peerreview.sync.store import Edit, Store

NAME = "Xanthippe Quorn-Wetherby"


def _database(path: Path) -> tuple[Store, str]:
    store = Store.init(path, device_name="A", partnership_name="P")
    school = store.create("school", {"name": "Coundon Court", "urn": 103712})
    for n in range(40):
        store.create("person", {"name": f"Person {n}", "notes": "lorem ipsum " * 40})
    person = store.create("person", {"name": NAME, "notes": "zebrafish", "school": school})
    store.set(person, "notes", "zebrafish and quokkas")
    store.backup("test")
    return store, person


def _files_hold(path: Path, word: bytes) -> bool:
    return any(word in p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())


def test_purge_reports_progress_and_leaves_no_word_behind(tmp_path: Path) -> None:
    store, person = _database(tmp_path / "a.db")
    # Not every SQLite build overwrites deleted content by default: the purge must ask for it.
    store.db.execute("PRAGMA secure_delete = 0")
    seen: list[tuple[int, int]] = []
    store.purge(person, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (100, 100)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert {t for _d, t in seen} == {100}
    assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == 0  # as it was
    # The search index keeps words folded to lower case; none of them may stay in the file.
    for word in (b"Xanthippe", b"xanthippe", b"wetherby", b"zebrafish", b"quokkas"):
        assert not _files_hold(store.path, word), word
    assert not store.search("zebrafish")
    assert store.search("lorem")  # the rest of the index is whole
    assert check(store) == []
    assert not list((tmp_path / "backups").glob("a-*.db"))


def test_a_full_disk_while_compacting_changes_nothing(tmp_path: Path, full_disk: None) -> None:
    store, person = _database(tmp_path / "a.db")
    before = dump_bytes(store)
    with pytest.raises(PurgeError) as caught:
        store.purge(person)
    message = caught.value.message
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith("The person was not erased, because the disk is full")
    assert message.endswith("Nothing was changed.")
    assert dump_bytes(store) == before
    assert store.get(person)["name"] == NAME and not store.get(person).deleted
    assert list((tmp_path / "backups").glob("a-*.db"))  # the backups are kept too
    assert check(store) == []
    store.set(person, "role", "Teacher")  # and the database is usable
    assert store.get(person)["role"] == "Teacher"


def test_too_little_space_is_found_before_anything_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, person = _database(tmp_path / "a.db")
    before = dump_bytes(store)
    real = shutil.disk_usage
    monkeypatch.setattr(store_module.shutil, "disk_usage", lambda p: real(p)._replace(free=4096))
    with pytest.raises(PurgeError, match="which needs about .* MB free and there are 1 MB"):
        store.purge(person)
    assert dump_bytes(store) == before


def test_a_read_only_database_is_refused_in_a_sentence(tmp_path: Path) -> None:
    store, person = _database(tmp_path / "a.db")
    before = dump_bytes(store)
    store.db.execute("PRAGMA query_only = 1")  # SQLite refuses every write: SQLITE_READONLY
    with pytest.raises(PurgeError) as caught:
        store.purge(person)
    assert caught.value.message == (
        "The person was not erased, because the database file is read-only (check it may be "
        "changed, and its folder too). Nothing was changed."
    )
    store.db.execute("PRAGMA query_only = 0")
    assert dump_bytes(store) == before


def test_cancel_while_compacting_changes_nothing(tmp_path: Path) -> None:
    store, person = _database(tmp_path / "a.db")
    # Many rows, so SQLite asks more than once while compacting (it asks per instructions run).
    store.write([Edit(new_id(), "person", "name", f"Filler {n}") for n in range(3000)])
    before = dump_bytes(store)
    asked = [0]

    def cancelled() -> bool:
        asked[0] += 1
        return asked[0] > 1  # as soon as SQLite asks during the VACUUM

    with pytest.raises(Cancelled):
        store.purge(person, cancelled=cancelled)
    assert asked[0] >= 2
    assert dump_bytes(store) == before


def test_backups_that_cannot_be_removed_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, person = _database(tmp_path / "a.db")
    unlink = Path.unlink

    def refuse(self: Path, missing_ok: bool = False) -> None:
        if self.parent.name == "backups":
            raise PermissionError(13, "Permission denied")
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    with pytest.raises(PurgeError) as caught:
        store.purge(person)
    assert caught.value.message.startswith(
        "The person's values were erased, but 1 backup(s) holding them could not be removed "
        "(Permission denied): delete the files in "
    )
    assert "name" not in store.get(person).values  # the erasure itself stands


def test_the_command_line_says_one_sentence_and_exits_1(
    tmp_path: Path, full_disk: None, capsys: Any
) -> None:
    from peerreview.cli import main

    store, person = _database(tmp_path / "a.db")
    before = dump_bytes(store)
    store.close()
    assert main(["purge", "--db", str(tmp_path / "a.db"), "--record", person]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("peerreview: The person was not erased, because the disk is full")
    assert err.count("\n") == 1 and "Traceback" not in err
    with Store.open(tmp_path / "a.db") as again:
        assert dump_bytes(again) == before


# ------------------------------------------------------------------ a real full disk


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs mounted in the test's folder (skipped where mounting is not allowed)."""
    where = tmp_path / "small-disk"
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        # Lazily: a connection a failed test left open must not keep the mount.
        subprocess.run(["umount", "-l", str(where)], check=True)


def test_a_really_full_disk(small_disk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a real, nearly full disk: VACUUM finds no room half-way, SQLite rolls it back."""
    from peerreview.sync.storage import compaction

    refused: list[sqlite3.Error] = []
    vacuum = compaction.vacuum

    def watched(db: sqlite_utils.Database, **kwargs: Any) -> None:
        try:
            vacuum(db, **kwargs)
        except sqlite3.Error as exc:
            refused.append(exc)
            raise

    monkeypatch.setattr(compaction, "vacuum", watched)

    store, person = _database(small_disk / "a.db")
    for n in range(300):  # about 1.5 MB more
        store.create("person", {"name": f"Filler {n}", "notes": "x" * 4000})
    shutil.rmtree(small_disk / "backups")
    compaction.checkpoint(store.db)
    before = dump_bytes(store)
    need = compaction.used_bytes(store.db)
    # Leave just the room the space check asks for: the log of a VACUUM takes a little more
    # (a header per page), so SQLite runs out of space while compacting.
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - need - 4096))
    assert need <= shutil.disk_usage(small_disk).free < need + 3 * 4096
    with pytest.raises(PurgeError) as caught:
        store.purge(person)
    assert caught.value.message.startswith("The person was not erased, because the disk is full")
    assert [getattr(e, "sqlite_errorname", "") for e in refused] == ["SQLITE_FULL"]
    assert dump_bytes(store) == before
    assert check(store) == []
    wal = Path(str(store.path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # the space the attempt took is back
    (small_disk / "filler").unlink()
    store.purge(person)  # with room, the same purge goes through
    assert "name" not in store.get(person).values
    store.close()
