"""Shared test set-up: Qt runs offscreen; a fresh database per test."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from peerreview.forms import FormLibrary, forms_dir, load_forms

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def disk_full_error() -> sqlite3.OperationalError:
    """The error Python's sqlite3 raises when SQLite finds the disk full (SQLITE_FULL, 13)."""
    exc = sqlite3.OperationalError("database or disk is full")
    exc.sqlite_errorcode = 13  # type: ignore[attr-defined]
    exc.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
    return exc


class FullDiskConnection:
    """A sqlite3 connection whose VACUUM fails as SQLite fails it when the disk is full."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.strip().upper() == "VACUUM":
            raise disk_full_error()
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every database connection opened from now on finds the disk full when it compacts."""
    from peerreview.sync import store as store_module

    connect = store_module._connect

    def connect_full(path: Path) -> sqlite_utils.Database:
        db = connect(path)
        db.conn = FullDiskConnection(db.conn)  # type: ignore[assignment]
        return db

    monkeypatch.setattr(store_module, "_connect", connect_full)


@pytest.fixture(scope="session")
def library() -> FormLibrary:
    """The forms shipped with the app (frameworks, proformas), read once for the whole run."""
    return load_forms(forms_dir())
