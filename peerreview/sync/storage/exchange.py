"""What bundles need of the database: the import ledger, known devices, blobs, and selections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from peerreview.sync.kinds import Kind


@dataclass(frozen=True)
class LedgerEntry:
    """A bundle file imported before (recognised by the SHA-256 of its bytes)."""

    device_name: str
    changes: int


def imported(db: sqlite_utils.Database, bundle_sha256: str) -> LedgerEntry | None:
    row = db.execute(
        "SELECT device_name, new + known FROM imports WHERE bundle_sha256 = ?", [bundle_sha256]
    ).fetchone()
    return LedgerEntry(str(row[0]), int(row[1])) if row else None


def known_device_key(db: sqlite_utils.Database, device_id: str) -> str | None:
    row = db.execute("SELECT public_key FROM known_devices WHERE id = ?", [device_id]).fetchone()
    return str(row[0]) if row else None


@dataclass(frozen=True)
class KnownDevice:
    """Another laptop, as the import ledger knows it."""

    id: str
    name: str
    #: when its first bundle was imported here (UTC, ISO 8601)
    first_seen: str
    #: when its newest bundle imported here was made, by its own clock (UTC, ISO 8601)
    last_bundle: str
    #: when a bundle of it was last imported here (UTC, ISO 8601); "" if none is in the ledger
    last_imported: str
    #: how many of its bundles were imported here
    bundles: int


def known_devices(db: sqlite_utils.Database) -> list[KnownDevice]:
    rows = db.execute(
        "SELECT k.id, k.name, k.first_seen, k.last_bundle, max(i.imported_at), count(i.id)"
        " FROM known_devices k LEFT JOIN imports i ON i.device = k.id"
        " GROUP BY k.id ORDER BY k.name COLLATE NOCASE, k.id"
    ).fetchall()
    return [
        KnownDevice(str(a), str(b), str(c), str(d), str(e or ""), int(f))
        for a, b, c, d, e, f in rows
    ]


def knows_all(db: sqlite_utils.Database, ids: Sequence[str]) -> bool:
    """True if every one of ``ids`` is already in the log."""
    ex = db.conn.execute
    for start in range(0, len(ids), 500):
        chunk = set(ids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT count(*) FROM changes WHERE id IN ({marks})"
        if ex(sql, list(chunk)).fetchone()[0] < len(chunk):
            return False
    return True


def add_blob(db: sqlite_utils.Database, sha256: str, data: bytes) -> None:
    db.execute(
        "INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)",
        [sha256, len(data), data],
    )


@dataclass(frozen=True)
class BundleSource:
    """Where an imported bundle came from, as its manifest says, for the ledger."""

    bundle_sha256: str
    filename: str
    device_id: str
    device_name: str
    public_key: str
    created: str


def record_import(
    db: sqlite_utils.Database, source: BundleSource, new: int, known: int, conflicts: int
) -> None:
    """Remember the sending laptop (name, key, its newest bundle) and the bundle in the ledger."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    db.execute(
        "INSERT INTO known_devices(id, name, public_key, first_seen, last_bundle)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
        " last_bundle = max(last_bundle, excluded.last_bundle)",
        [source.device_id, source.device_name, source.public_key, now, source.created],
    )
    db.execute(
        "INSERT INTO imports(bundle_sha256, filename, device, device_name, created,"
        " imported_at, new, known, conflicts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            source.bundle_sha256,
            source.filename,
            source.device_id,
            source.device_name,
            source.created,
            now,
            new,
            known,
            conflicts,
        ],
    )


# ===================================================================== selections


@dataclass(frozen=True)
class Selection:
    """The records an export carries: all of them, or those of chosen schools (a temp table)."""

    everything: bool
    school_ids: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return "1" if self.everything else "record IN (SELECT id FROM temp.export_ids)"


EVERYTHING = Selection(True)


def select_schools(
    db: sqlite_utils.Database, kinds: Mapping[str, Kind], school_ids: Sequence[str]
) -> Selection:
    """The chosen schools, every partnership-wide record, and what belongs to them, transitively.

    A record belongs to another through its kind's school field, and through a field by which it is
    owned by a record that is not partnership-wide (a membership travels with its person, not with
    its group, which is the whole partnership's). A selected record also takes the records its
    kind ``carries`` (a school's part in a cycle takes the cycle, and so all of the cycle).
    """
    db.execute("CREATE TEMP TABLE IF NOT EXISTS export_ids (id TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("DELETE FROM temp.export_ids")
    for sid in school_ids:
        db.execute("INSERT OR IGNORE INTO temp.export_ids VALUES (?)", [sid])
    for kind in kinds.values():
        if kind.partnership_wide:
            db.execute(
                "INSERT OR IGNORE INTO temp.export_ids SELECT id FROM records WHERE kind = ?",
                [kind.name],
            )
    links: list[tuple[str, str]] = []
    for kind in kinds.values():
        fields = {kind.school_field} - {"", "id"}
        for name in kind.owned_by:
            spec = kind.spec(name)
            target = kinds.get(spec.ref_kind or "") if spec is not None else None
            if target is None or not target.partnership_wide:
                fields.add(name)
        links += [(kind.name, f) for f in sorted(fields)]
    carried = [(kind.name, f) for kind in kinds.values() for f in kind.carries]
    while True:
        before = db.execute("SELECT count(*) FROM temp.export_ids").fetchone()[0]
        for table, col in links:
            db.execute(
                f'INSERT OR IGNORE INTO temp.export_ids SELECT id FROM "{table}"'
                f' WHERE "{col}" IN (SELECT id FROM temp.export_ids)'
            )
        for table, col in carried:  # the other way: a selected record takes what it carries
            db.execute(
                f'INSERT OR IGNORE INTO temp.export_ids SELECT "{col}" FROM "{table}"'
                f' WHERE id IN (SELECT id FROM temp.export_ids) AND "{col}" IS NOT NULL'
            )
        if db.execute("SELECT count(*) FROM temp.export_ids").fetchone()[0] == before:
            break
    return Selection(False, tuple(school_ids))


def selected_values(db: sqlite_utils.Database, kind: str, field: str) -> list[Any]:
    """The values of one field of the selected records of ``kind`` (their URNs, say)."""
    return [
        r[0]
        for r in db.execute(
            f'SELECT "{field}" FROM "{kind}" WHERE id IN (SELECT id FROM temp.export_ids)'
        )
        if r[0] is not None
    ]


def count_changes(db: sqlite_utils.Database, selection: Selection) -> int:
    return int(db.execute(f"SELECT count(*) FROM changes WHERE {selection.where}").fetchone()[0])


def count_records(db: sqlite_utils.Database, selection: Selection) -> int:
    return int(
        db.execute(
            f"SELECT count(DISTINCT record) FROM changes WHERE {selection.where}"
        ).fetchone()[0]
    )


CHANGE_COLUMNS = "id, record, kind, field, value, parents, seen, hlc, device, author, purged_hash"


def change_rows(db: sqlite_utils.Database, selection: Selection) -> Iterator[tuple[Any, ...]]:
    """Log rows of the selection in causal (clock) order."""
    yield from db.execute(
        f"SELECT {CHANGE_COLUMNS} FROM changes WHERE {selection.where} ORDER BY hlc, id"
    )


def attachment_hashes(db: sqlite_utils.Database, selection: Selection) -> list[str]:
    """The files the selection's attachments point at (those this laptop holds)."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT a.sha256 FROM attachment a JOIN blobs b ON b.sha256 = a.sha256"
            f" WHERE a.id IN (SELECT record FROM changes WHERE {selection.where})"
            " ORDER BY a.sha256"
        )
    ]


def iter_blobs(db: sqlite_utils.Database) -> Iterable[tuple[str, int, bytes]]:
    yield from db.execute("SELECT sha256, size, data FROM blobs")
