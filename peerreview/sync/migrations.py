"""Schema migrations as ordered functions; the database is backed up before any of them runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from peerreview.errors import NewerDatabaseError
from peerreview.sync.kinds import KINDS, FieldType, Kind

_UNSEARCHED = frozenset({"form_id", "sha256", "media_type", "website", "telephone", "email"})

Migration = Callable[[sqlite_utils.Database], None]

_CORE = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE device (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, author TEXT NOT NULL,
    private_key BLOB NOT NULL, public_key TEXT NOT NULL,
    hlc INTEGER NOT NULL DEFAULT 0, exported_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE known_devices (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, public_key TEXT NOT NULL,
    first_seen TEXT NOT NULL, last_bundle TEXT NOT NULL
);
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL, kind TEXT NOT NULL, field TEXT NOT NULL,
    value TEXT, parents TEXT NOT NULL, seen TEXT,
    hlc INTEGER NOT NULL, device TEXT NOT NULL, author TEXT NOT NULL,
    purged_hash TEXT
);
CREATE TABLE superseded (
    record TEXT NOT NULL, field TEXT NOT NULL, change TEXT NOT NULL,
    PRIMARY KEY (record, field, change)
) WITHOUT ROWID;
CREATE TABLE heads (
    record TEXT NOT NULL, field TEXT NOT NULL, change TEXT NOT NULL,
    PRIMARY KEY (record, field, change)
) WITHOUT ROWID;
CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX records_kind ON records(kind);
CREATE TABLE conflicts (
    record TEXT NOT NULL, field TEXT NOT NULL, PRIMARY KEY (record, field)
) WITHOUT ROWID;
CREATE TABLE dynamic_values (
    record TEXT NOT NULL, field TEXT NOT NULL, value, PRIMARY KEY (record, field)
) WITHOUT ROWID;
CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL);
CREATE VIRTUAL TABLE search USING fts5(
    text, record UNINDEXED, kind UNINDEXED, field UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE search_map (
    docid INTEGER PRIMARY KEY, record TEXT NOT NULL, field TEXT NOT NULL, UNIQUE (record, field)
);
CREATE TABLE search_skip (kind TEXT NOT NULL, field TEXT NOT NULL, PRIMARY KEY (kind, field))
    WITHOUT ROWID;
CREATE TABLE imports (
    id INTEGER PRIMARY KEY, bundle_sha256 TEXT NOT NULL UNIQUE, filename TEXT NOT NULL,
    device TEXT NOT NULL, device_name TEXT NOT NULL, created TEXT NOT NULL,
    imported_at TEXT NOT NULL, new INTEGER NOT NULL, known INTEGER NOT NULL,
    conflicts INTEGER NOT NULL
);
"""


def kind_table_sql(kind: Kind) -> str:
    """CREATE TABLE for a kind's materialised table."""
    cols = ", ".join(
        f'"{f.name}" {f.type.sql_type}' + (" NOT NULL DEFAULT 0" if f.name == "deleted" else "")
        for f in kind.fields
    )
    return (
        f'CREATE TABLE IF NOT EXISTS "{kind.name}"'
        f" (id TEXT PRIMARY KEY REFERENCES records(id), {cols})"
    )


def sync_kind_tables(db: sqlite_utils.Database) -> None:
    """Create each kind's table and add any declared column it lacks (fields are only added)."""
    for kind in KINDS.values():
        db.execute(kind_table_sql(kind))
        have = {c.name for c in db[kind.name].columns}
        for f in kind.fields:
            if f.name not in have:
                db.execute(f'ALTER TABLE "{kind.name}" ADD COLUMN "{f.name}" {f.type.sql_type}')
    # Text that is not worth searching: ids, dates, hashes, file types, form ids.
    db.execute("DELETE FROM search_skip")
    for kind in KINDS.values():
        for f in kind.fields:
            if f.type is not FieldType.TEXT or f.name in _UNSEARCHED:
                db.execute(
                    "INSERT INTO search_skip(kind, field) VALUES (?, ?)", [kind.name, f.name]
                )
    db.execute("CREATE INDEX IF NOT EXISTS school_urn ON school(urn)")
    # (indexes on kinds added by later migrations are made by those migrations)
    db.execute("CREATE INDEX IF NOT EXISTS person_school ON person(school)")
    db.execute('CREATE INDEX IF NOT EXISTS membership_group ON membership("group")')


def _m001_core(db: sqlite_utils.Database) -> None:
    for statement in _CORE.split(";"):
        if statement.strip():
            db.execute(statement)
    sync_kind_tables(db)


def _m002_peer_review(db: sqlite_utils.Database) -> None:
    """Peer review: reviews, their team, schedule, lines of enquiry, evidence, views, excellence."""
    sync_kind_tables(db)
    db.execute("CREATE INDEX IF NOT EXISTS review_school ON review(school)")
    for table in (
        "review_member",
        "review_activity",
        "enquiry_line",
        "evidence",
        "area_view",
        "excellence",
    ):
        db.execute(f"CREATE INDEX IF NOT EXISTS {table}_review ON {table}(review)")


def _m003_review_areas(db: sqlite_utils.Database) -> None:
    """Reviews record the framework areas that do not apply (no early years, no sixth form)."""
    sync_kind_tables(db)


def _m004_purge(db: sqlite_utils.Database) -> None:
    """Purge: a marker field on every kind, and the records table knows which records are purged."""
    sync_kind_tables(db)
    have = {c.name for c in db["records"].columns}
    if "purged" not in have:
        db.execute("ALTER TABLE records ADD COLUMN purged INTEGER NOT NULL DEFAULT 0")


MIGRATIONS: tuple[Migration, ...] = (_m001_core, _m002_peer_review, _m003_review_areas, _m004_purge)

#: The schema this version of the app writes; bundles carry it.
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    """The number of migrations applied to ``db`` (0 for an empty file)."""
    if "meta" not in db.table_names():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(db: sqlite_utils.Database, backup: Callable[[str], Path | None]) -> int:
    """Bring ``db`` up to SCHEMA_VERSION, backing it up first if it already holds data.

    Returns:
        The number of migrations applied.

    Raises:
        NewerDatabaseError: the file was written by a newer PeerReview.
    """
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise NewerDatabaseError(
            "This database was made by a newer version of PeerReview. "
            "Install the update, then open it again. Nothing was changed."
        )
    if current == SCHEMA_VERSION:
        return 0
    if current > 0:
        backup(f"before-migration-{current}-to-{SCHEMA_VERSION}")
    for number in range(current, SCHEMA_VERSION):
        with db.atomic():  # the store is not open yet: nothing else writes during a migration
            MIGRATIONS[number](db)
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                [str(number + 1)],
            )
    return SCHEMA_VERSION - current
