"""A second connection to an open database (a job's): opened without probing or migrating, each
sees what the other commits, and the window's connection stays in the window's thread."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from peerreview.sync import store as store_module
from peerreview.sync.store import Store


def _store(tmp_path: Path) -> Store:
    store = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    store.create("school", {"name": "Coundon Court", "urn": 103712})
    return store


def test_open_again_neither_probes_nor_migrates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path)

    def refuse(*_args: object) -> None:
        raise AssertionError("opened again as if for the first time")

    monkeypatch.setattr(store_module, "_probe", refuse)
    monkeypatch.setattr(store_module, "migrate", refuse)
    other = store.open_again()
    try:
        assert other is not store and other.db.conn is not store.db.conn
        assert other.device == store.device and other.registry is store.registry
        assert [r.title for r in other.list("school")] == ["Coundon Court"]
        assert other.search("Coundon")  # its own temporary tables are there too
    finally:
        other.close()
    assert not (tmp_path / "backups").exists()


def test_each_connection_sees_what_the_other_commits_and_reads_while_it_writes(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path)
    other = store.open_again()
    try:
        with other.transaction():
            added = other.create("school", {"name": "Grace Academy", "urn": 135335})
            # Not committed yet: the first connection reads the database as it was, unblocked.
            assert [r.title for r in store.list("school")] == ["Coundon Court"]
            assert not store.search("Grace")
        assert store.get(added).title == "Grace Academy"
        store.set(added, "phase", "Secondary")
        assert other.get(added)["phase"] == "Secondary"
    finally:
        other.close()


def test_a_connection_belongs_to_the_thread_that_opened_it(tmp_path: Path) -> None:
    store = _store(tmp_path)
    errors: list[BaseException] = []
    titles: list[str] = []

    def work() -> None:
        try:
            store.list("school")
        except sqlite3.ProgrammingError as exc:
            errors.append(exc)
        own = store.open_again()
        try:
            titles.extend(r.title for r in own.list("school"))
        finally:
            own.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert len(errors) == 1 and "thread" in str(errors[0])
    assert titles == ["Coundon Court"]


def test_a_write_takes_the_clock_another_connection_moved(tmp_path: Path) -> None:
    """An import through a job's connection moves this laptop's clock past the bundle's; the
    window's next edit is stamped later still, though its connection did not take part."""
    from peerreview.sync.bundle import export_bundle, import_bundle

    store = _store(tmp_path)
    ahead = Store.init(tmp_path / "b.db", device_name="B", partnership_id=store.partnership_id)
    wall = ahead.clock._now_ms
    ahead.clock._now_ms = lambda: wall() + 3_600_000  # a laptop whose clock is an hour fast
    theirs = ahead.create("school", {"name": "Grace Academy"})
    export_bundle(ahead, tmp_path / "b.prbundle")
    other = store.open_again()
    try:
        import_bundle(other, tmp_path / "b.prbundle")
    finally:
        other.close()
    stamp = store.history(theirs)[0].hlc
    assert store.clock.last < stamp  # this connection has not looked since
    ours = store.create("school", {"name": "Cardinal Wiseman"})
    assert store.history(ours)[0].hlc > stamp
