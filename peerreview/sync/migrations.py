"""Schema migrations: the engine's, as ordered functions, then each feature's, as frozen steps.

Each migration makes what it made when it was written: the SQL below is history, never generated
from today's kinds. The engine's version is ``schema_version`` in ``meta``; each feature's is
``schema_version.<feature>``. The database is backed up before any migration runs, and each one
runs in its own transaction with its version, so a failure leaves the file as it was before it.

The engine's first four migrations also made the tables of the partnership's and peer review's
kinds: they were written before features had migrations of their own. Those two features' own
lists start after them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from peerreview.errors import NewerDatabaseError
from peerreview.sync.schema import AddColumns, CreateKindTable, Step

if TYPE_CHECKING:
    from peerreview.sync.registry import Registry

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

#: The columns of the first release's kind tables (before ``purged``, which 4 added to all).
_V1_KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "partnership": (("name", "TEXT"), ("description", "TEXT"), ("coordinator", "TEXT")),
    "school": (
        ("urn", "INTEGER"),
        ("name", "TEXT"),
        ("type", "TEXT"),
        ("type_group", "TEXT"),
        ("phase", "TEXT"),
        ("status", "TEXT"),
        ("closed", "INTEGER"),
        ("local_authority", "TEXT"),
        ("street", "TEXT"),
        ("locality", "TEXT"),
        ("town", "TEXT"),
        ("postcode", "TEXT"),
        ("open_date", "TEXT"),
        ("close_date", "TEXT"),
        ("trust", "TEXT"),
        ("diocese", "TEXT"),
        ("religious_character", "TEXT"),
        ("website", "TEXT"),
        ("telephone", "TEXT"),
        ("headteacher_name", "TEXT"),
        ("headteacher", "TEXT"),
        ("pupils", "INTEGER"),
        ("low_age", "INTEGER"),
        ("high_age", "INTEGER"),
        ("notes", "TEXT"),
    ),
    "person": (
        ("name", "TEXT"),
        ("role", "TEXT"),
        ("email", "TEXT"),
        ("telephone", "TEXT"),
        ("school", "TEXT"),
        ("notes", "TEXT"),
    ),
    "group": (("name", "TEXT"), ("type", "TEXT"), ("description", "TEXT")),
    "membership": (
        ("group", "TEXT"),
        ("school", "TEXT"),
        ("person", "TEXT"),
        ("role", "TEXT"),
        ("start", "TEXT"),
        ("end", "TEXT"),
    ),
    "attachment": (
        ("sha256", "TEXT"),
        ("filename", "TEXT"),
        ("media_type", "TEXT"),
        ("size", "INTEGER"),
        ("owner", "TEXT"),
        ("caption", "TEXT"),
    ),
}

#: Peer review's tables as migration 2 made them.
_V2_KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "review": (
        ("school", "TEXT"),
        ("title", "TEXT"),
        ("framework_id", "TEXT"),
        ("framework_version", "INTEGER"),
        ("start_date", "TEXT"),
        ("end_date", "TEXT"),
        ("focus", "TEXT"),
        ("enquiry_question", "TEXT"),
        ("context", "TEXT"),
        ("status", "TEXT"),
        ("sharing", "TEXT"),
        ("host_comments", "TEXT"),
        ("previous_review", "TEXT"),
        ("agreed_by", "TEXT"),
        ("agreed_on", "TEXT"),
        ("agreed_hash", "TEXT"),
    ),
    "review_member": (
        ("review", "TEXT"),
        ("person", "TEXT"),
        ("name", "TEXT"),
        ("school", "TEXT"),
        ("role", "TEXT"),
    ),
    "review_activity": (
        ("review", "TEXT"),
        ("day", "TEXT"),
        ("start", "TEXT"),
        ("end", "TEXT"),
        ("activity", "TEXT"),
        ("description", "TEXT"),
        ("people", "TEXT"),
    ),
    "enquiry_line": (("review", "TEXT"), ("text", "TEXT"), ("position", "INTEGER")),
    "evidence": (
        ("review", "TEXT"),
        ("activity", "TEXT"),
        ("time", "TEXT"),
        ("year_group", "TEXT"),
        ("subject", "TEXT"),
        ("present", "TEXT"),
        ("note", "TEXT"),
        ("areas", "TEXT"),
    ),
    "area_view": (
        ("review", "TEXT"),
        ("area", "TEXT"),
        ("stage", "TEXT"),
        ("reviewer", "TEXT"),
        ("reviewer_name", "TEXT"),
        ("judgement", "TEXT"),
        ("evidence_summary", "TEXT"),
        ("rationale", "TEXT"),
        ("www", "TEXT"),
        ("ebi", "TEXT"),
    ),
    "excellence": (("review", "TEXT"), ("title", "TEXT"), ("description", "TEXT")),
}

#: The columns every kind table had when the first release was written (``purged`` came with 4).
_V1_COMMON = (("form_id", "TEXT"), ("form_version", "INTEGER"))


def _kind_table(name: str, columns: tuple[tuple[str, str], ...], common: str) -> str:
    cols = ", ".join(f'"{c}" {t}' for c, t in columns)
    return (
        f'CREATE TABLE "{name}" (id TEXT PRIMARY KEY REFERENCES records(id), {cols}, '
        f'"deleted" INTEGER NOT NULL DEFAULT 0, {common})'
    )


def _script(db: sqlite_utils.Database, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _m001_core(db: sqlite_utils.Database) -> None:
    """The change log, heads, conflicts, search, blobs, the ledger; the partnership's tables."""
    _script(db, _CORE)
    common = ", ".join(f'"{c}" {t}' for c, t in _V1_COMMON)
    for name, columns in _V1_KINDS.items():
        db.execute(_kind_table(name, columns, common))
    db.execute("CREATE INDEX school_urn ON school(urn)")
    db.execute("CREATE INDEX person_school ON person(school)")
    db.execute('CREATE INDEX membership_group ON membership("group")')


def _m002_peer_review(db: sqlite_utils.Database) -> None:
    """Peer review: reviews, their team, schedule, lines of enquiry, evidence, views, excellence."""
    common = ", ".join(f'"{c}" {t}' for c, t in _V1_COMMON)
    for name, columns in _V2_KINDS.items():
        db.execute(_kind_table(name, columns, common))
    db.execute("CREATE INDEX review_school ON review(school)")
    for table in _V2_KINDS:
        if table != "review":
            db.execute(f"CREATE INDEX {table}_review ON {table}(review)")


def _m003_review_areas(db: sqlite_utils.Database) -> None:
    """Reviews record the framework areas that do not apply (no early years, no sixth form)."""
    db.execute('ALTER TABLE review ADD COLUMN "areas_excluded" TEXT')


def _m004_purge(db: sqlite_utils.Database) -> None:
    """Purge: a marker field on every kind, and the records table knows which records are purged."""
    for table in (*_V1_KINDS, *_V2_KINDS):
        db.execute(f'ALTER TABLE "{table}" ADD COLUMN "purged" INTEGER')
    db.execute("ALTER TABLE records ADD COLUMN purged INTEGER NOT NULL DEFAULT 0")


def _m005_search_skip_from_kinds(db: sqlite_utils.Database) -> None:
    """Which fields are not searched is read from the kinds when the store opens, not kept."""
    db.execute("DROP TABLE search_skip")


def _m006_local_fields(db: sqlite_utils.Database) -> None:
    """Values kept on this laptop only (a case pupil's real name), beside the shared records."""
    db.execute(
        "CREATE TABLE local_fields (record TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
        " PRIMARY KEY (record, field)) WITHOUT ROWID"
    )


MIGRATIONS: tuple[Migration, ...] = (
    _m001_core,
    _m002_peer_review,
    _m003_review_areas,
    _m004_purge,
    _m005_search_skip_from_kinds,
    _m006_local_fields,
)

#: The engine's schema this version of the app writes; bundles carry it.
SCHEMA_VERSION = len(MIGRATIONS)

#: The columns every kind table has now, in the order a new kind table gets them.
COMMON_COLUMNS = (
    '"deleted" INTEGER NOT NULL DEFAULT 0, "form_id" TEXT, "form_version" INTEGER, "purged" INTEGER'
)

_FEATURE_KEY = "schema_version."


def schema_version(db: sqlite_utils.Database) -> int:
    """The number of the engine's migrations applied to ``db`` (0 for an empty file)."""
    if "meta" not in db.table_names():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def feature_versions(db: sqlite_utils.Database) -> dict[str, int]:
    """How many of each feature's migrations ``db`` has had."""
    if "meta" not in db.table_names():
        return {}
    rows = db.execute(
        "SELECT key, value FROM meta WHERE key LIKE 'schema\\_version.%' ESCAPE '\\'"
    ).fetchall()
    return {key[len(_FEATURE_KEY) :]: int(value) for key, value in rows}


def newer_than(versions: Mapping[str, int], registry: Registry) -> bool:
    """True when a database or bundle has features (or feature versions) this app does not."""
    known = registry.feature_versions()
    return any(v > known.get(name, 0) for name, v in versions.items())


_NEWER = (
    "This database was made by a newer version of PeerReview. "
    "Install the update, then open it again. Nothing was changed."
)


def migrate(
    db: sqlite_utils.Database, backup: Callable[[str], Path | None], registry: Registry
) -> int:
    """Bring ``db`` up to this app's schema, backing it up first if it already holds data.

    Returns:
        The number of migrations applied.

    Raises:
        NewerDatabaseError: the file was written by a newer PeerReview.
    """
    current = schema_version(db)
    features = feature_versions(db)
    if current > SCHEMA_VERSION or newer_than(features, registry):
        raise NewerDatabaseError(_NEWER)
    pending = [
        (f.name, features.get(f.name, 0), len(f.migrations))
        for f in registry.features
        if features.get(f.name, 0) < len(f.migrations)
    ]
    if current == SCHEMA_VERSION and not pending:
        return 0
    if current > 0:
        if current < SCHEMA_VERSION:
            backup(f"before-migration-{current}-to-{SCHEMA_VERSION}")
        else:
            name, have, want = pending[0]
            backup(f"before-migration-{name}-{have}-to-{want}")
    applied = 0
    for number in range(current, SCHEMA_VERSION):
        with db.atomic():  # the store is not open yet: nothing else writes during a migration
            MIGRATIONS[number](db)
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                [str(number + 1)],
            )
        applied += 1
    for name, have, want in pending:
        feature = registry.feature(name)
        for number in range(have, want):
            with db.atomic():
                for step in feature.migrations[number].steps:
                    _run_step(db, step)
                db.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                    [_FEATURE_KEY + name, str(number + 1)],
                )
            applied += 1
    return applied


def _run_step(db: sqlite_utils.Database, step: Step) -> None:
    if isinstance(step, CreateKindTable):
        cols = ", ".join(f'"{c}" {t}' for c, t in step.columns)
        db.execute(
            f'CREATE TABLE "{step.kind}" (id TEXT PRIMARY KEY REFERENCES records(id), {cols}, '
            f"{COMMON_COLUMNS})"
        )
    elif isinstance(step, AddColumns):
        for c, t in step.columns:
            db.execute(f'ALTER TABLE "{step.kind}" ADD COLUMN "{c}" {t}')
    else:
        fields = ", ".join(f'"{f}"' for f in step.fields)
        db.execute(f'CREATE INDEX "{step.name}" ON "{step.kind}"({fields})')


def table_columns(db: sqlite_utils.Database, table: str) -> dict[str, str]:
    """A table's columns and their declared types (for the schema's own tests and checks)."""
    return {c.name: c.type for c in db.table(table).columns}


def table_indexes(db: sqlite_utils.Database, table: str) -> list[tuple[str, ...]]:
    """The column lists of a table's indexes."""
    return [tuple(ix.columns) for ix in db.table(table).indexes]
