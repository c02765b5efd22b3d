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
    """The changes an export carries: all of them, or those of chosen schools (a temp table),
    optionally only a range of this laptop's log, only one device's, and only or never the records
    restricted to a school (``temp.restricted``, see ``mark_restricted``)."""

    everything: bool
    school_ids: tuple[str, ...] = ()
    from_seq: int = 0
    to_seq: int | None = None
    #: only the changes this device made (a laptop that is not a coordinator relays no others')
    device: str | None = None
    #: "" all records; "exclude" none restricted to a school; a school id: only those restricted
    #: to it
    restricted: str = ""

    @property
    def where(self) -> str:
        clauses = ["1" if self.everything else "record IN (SELECT id FROM temp.export_ids)"]
        changed = "record IN (SELECT id FROM temp.scope_changed)"
        if self.from_seq > 0 or self.to_seq is not None:
            window = f"seq > {int(self.from_seq)}"
            if self.to_seq is not None:
                window += f" AND seq <= {int(self.to_seq)}"
            clauses.append(f"(({window}) OR {changed})" if self.restricted else f"({window})")
        if self.device is not None:
            clauses.append("device = ?")
        if self.restricted == "exclude":
            clauses.append("record NOT IN (SELECT id FROM temp.restricted)")
        elif self.restricted:
            clauses.append("record IN (SELECT id FROM temp.restricted WHERE school = ?)")
        return " AND ".join(clauses)

    @property
    def params(self) -> list[Any]:
        out: list[Any] = []
        if self.device is not None:
            out.append(self.device)
        if self.restricted and self.restricted != "exclude":
            out.append(self.restricted)
        return out

    def within(self, **changes: Any) -> Selection:
        """The same selection narrowed (a range, a device, a restriction)."""
        from dataclasses import replace

        return replace(self, **changes)


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
    links = _links(kinds)
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


def _links(kinds: Mapping[str, Kind]) -> list[tuple[str, str]]:
    """(kind, field) pairs by which a record belongs to another: its school field, and the fields
    by which it is owned by a record that is not partnership-wide."""
    links: list[tuple[str, str]] = []
    for kind in kinds.values():
        fields = {kind.school_field} - {"", "id"}
        for name in kind.owned_by:
            spec = kind.spec(name)
            target = kinds.get(spec.ref_kind or "") if spec is not None else None
            if target is None or not target.partnership_wide:
                fields.add(name)
        links += [(kind.name, f) for f in sorted(fields)]
    return links


def mark_restricted(
    db: sqlite_utils.Database,
    kinds: Mapping[str, Kind],
    roots: Mapping[str, str],
    changed_roots: Sequence[str],
) -> None:
    """Fill ``temp.restricted`` with the records restricted to a school (``roots``: record id to
    school id) and what belongs to them, and ``temp.scope_changed`` with the records whose
    restriction changed (``changed_roots``) and what belongs to them."""
    links = _links(kinds)
    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS restricted (id TEXT PRIMARY KEY, school TEXT NOT NULL)"
        " WITHOUT ROWID"
    )
    db.execute("CREATE TEMP TABLE IF NOT EXISTS scope_changed (id TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("DELETE FROM temp.restricted")
    db.execute("DELETE FROM temp.scope_changed")
    db.conn.executemany("INSERT OR IGNORE INTO temp.restricted VALUES (?, ?)", list(roots.items()))
    db.conn.executemany(
        "INSERT OR IGNORE INTO temp.scope_changed VALUES (?)", [(r,) for r in changed_roots]
    )
    for table_name, with_school in (("restricted", True), ("scope_changed", False)):
        while True:
            before = db.execute(f"SELECT count(*) FROM temp.{table_name}").fetchone()[0]
            for table, col in links:
                cols = "t.id, r.school" if with_school else "t.id"
                db.execute(
                    f"INSERT OR IGNORE INTO temp.{table_name} SELECT {cols} FROM"
                    f' temp.{table_name} r JOIN "{table}" t ON t."{col}" = r.id'
                )
            if db.execute(f"SELECT count(*) FROM temp.{table_name}").fetchone()[0] == before:
                break


def restriction_changes(
    db: sqlite_utils.Database, kind: str, fields: Sequence[str], from_seq: int
) -> list[str]:
    """Records of ``kind`` with a change to one of ``fields`` after ``from_seq`` in the log."""
    if not fields:
        return []
    marks = ", ".join("?" * len(fields))
    return [
        str(r[0])
        for r in db.execute(
            "SELECT DISTINCT record FROM changes WHERE seq > ? AND kind = ?"
            f" AND field IN ({marks})",
            [from_seq, kind, *fields],
        )
    ]


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
    sql = f"SELECT count(*) FROM changes WHERE {selection.where}"
    return int(db.execute(sql, selection.params).fetchone()[0])


def count_records(db: sqlite_utils.Database, selection: Selection) -> int:
    sql = f"SELECT count(DISTINCT record) FROM changes WHERE {selection.where}"
    return int(db.execute(sql, selection.params).fetchone()[0])


CHANGE_COLUMNS = "id, record, kind, field, value, parents, seen, hlc, device, author, purged_hash"


def change_rows_at(
    db: sqlite_utils.Database, selection: Selection
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Log rows of the selection in causal (clock) order, each with its position in this
    laptop's log."""
    for row in db.execute(
        f"SELECT seq, {CHANGE_COLUMNS} FROM changes WHERE {selection.where} ORDER BY hlc, id",
        selection.params,
    ):
        yield int(row[0]), tuple(row[1:])


def attachment_hashes(db: sqlite_utils.Database, selection: Selection) -> list[str]:
    """The files the selection's attachments point at (those this laptop holds)."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT a.sha256 FROM attachment a JOIN blobs b ON b.sha256 = a.sha256"
            f" WHERE a.id IN (SELECT record FROM changes WHERE {selection.where})"
            " ORDER BY a.sha256",
            selection.params,
        )
    ]


def iter_blobs(db: sqlite_utils.Database) -> Iterable[tuple[str, int, bytes]]:
    yield from db.execute("SELECT sha256, size, data FROM blobs")
