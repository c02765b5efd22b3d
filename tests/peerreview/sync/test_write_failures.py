"""A read-only database or folder and a full disk are named as such, never as "damaged"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from peerreview.errors import StoreError
from peerreview.sync import store as store_module
from peerreview.sync.store import Store


def test_a_read_only_database_is_named_read_only(tmp_path: Path) -> None:
    s = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    s.db.execute("PRAGMA query_only = 1")  # as a read-only file or folder answers a write
    with pytest.raises(StoreError, match="read-only") as caught:
        s.create("school", {"name": "Grace Academy"})
    assert "damaged" not in caught.value.message
    s.db.execute("PRAGMA query_only = 0")
    assert s.list("school") == []


def test_a_full_disk_is_named_full(tmp_path: Path) -> None:
    s = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    pages = s.db.execute("PRAGMA page_count").fetchone()[0]
    s.db.execute(f"PRAGMA max_page_count = {pages}")  # as a full disk answers a write
    with pytest.raises(StoreError, match="disk is full") as caught:
        s.create("school", {"name": "x" * 100_000})
    assert "damaged" not in caught.value.message


def test_init_on_a_full_disk_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = store_module._connect

    def tiny(path: Path) -> object:
        db = connect(path)
        db.execute("PRAGMA max_page_count = 3")  # the disk fills while the tables are made
        return db

    monkeypatch.setattr(store_module, "_connect", tiny)
    with pytest.raises(StoreError, match="disk is full"):
        Store.init(tmp_path / "new.db", device_name="A", partnership_name="P")
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_names_a_full_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerreview.cli import main

    Store.init(tmp_path / "a.db", device_name="A", partnership_name="P").close()

    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "purge", full)
    s = Store.open(tmp_path / "a.db")
    school = s.create("school", {"name": "Grace"})
    s.close()
    assert main(["purge", "--db", str(tmp_path / "a.db"), "--record", school]) == 1
    err = capsys.readouterr().err
    assert "disk is full" in err and "damaged" not in err
