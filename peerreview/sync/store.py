"""The store: one SQLite file per device, every edit through one write path into the change log.

store = Store.init("partnership.db", device_name="Mrs Patel's laptop", partnership_name="Coventry")
school = store.create("school", {"name": "Grace Academy", "urn": 135335})
store.update(school, {"phase": "Secondary"})
store.get(school)["name"]
"""

from __future__ import annotations

import bisect
import builtins
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import sqlite_utils

from peerreview.errors import (
    Cancelled,
    ConflictError,
    DatabaseLockedError,
    NewerDatabaseError,
    PurgeError,
    RecordNotFound,
    StoreError,
    ValidationError,
)
from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.sync import changelog
from peerreview.sync.changes import DELETED, PURGED, Change
from peerreview.sync.device import Device, new_key_pair
from peerreview.sync.hlc import HybridClock
from peerreview.sync.ids import is_uuid, new_id
from peerreview.sync.kinds import FieldSpec, FieldType, Kind
from peerreview.sync.migrations import SCHEMA_VERSION, feature_versions, migrate, newer_than
from peerreview.sync.records import (
    MATCH_END,
    MATCH_START,
    ApplyResult,
    Conflict,
    ConflictValue,
    Record,
    SearchHit,
)
from peerreview.sync.registry import record_title_field
from peerreview.sync.storage import compaction, exchange, filecopy, reading, writeback
from peerreview.sync.storage.exchange import EVERYTHING, Selection
from peerreview.sync.storage.names import NameIndex
from peerreview.sync.storage.reading import TextMatch

if TYPE_CHECKING:
    from peerreview.sync.registry import Registry

BACKUPS_KEPT = 10

#: A purge's progress: compacting the file is nearly all of it; then the markers and the search
#: index, the write-ahead log, the backups.
PURGE_STEPS = 100
PURGE_COMPACTED = 85
PURGE_WRITTEN = 97

#: Text not worth searching: ids, dates, hashes, file types, form ids, contact details.
_UNSEARCHED = frozenset({"form_id", "sha256", "media_type", "website", "telephone", "email"})


def _default_registry(registry: Registry | None) -> Registry:
    if registry is not None:
        return registry
    from peerreview.features import default_registry  # the features this app is built with

    return default_registry()


@dataclass(frozen=True)
class Edit:
    """One field of one record to set (a local edit, before it becomes a change)."""

    record: str
    kind: str
    field: str
    value: Any


def _now_text() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _connect(path: Path) -> sqlite_utils.Database:
    try:
        # A connection belongs to the thread that opened it (Python checks): long work in another
        # thread opens its own (``Store.open_again``).
        conn = sqlite3.connect(str(path), isolation_level=None)
        # No sqlite-utils plugins: scanning installed packages for them costs start-up time for
        # nothing.
        db = sqlite_utils.Database(conn, execute_plugins=False)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 5000")
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute("PRAGMA cache_size = -65536")  # 64 MB at most
    except sqlite3.OperationalError as exc:
        if _is_write_failure(exc):
            raise _write_error(exc) from None
        raise StoreError(
            f"{path.name} could not be opened ({exc}). Open another file or restore a backup."
        ) from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path.name} is not a PeerReview database or is damaged ({exc}). "
            "Open another file or restore a backup."
        ) from None
    return db


def _create_failed(path: Path, exc: BaseException) -> str:
    """One sentence for a database that could not be created."""
    text = str(exc).lower()
    errno_ = getattr(exc, "errno", None)
    if "full" in text or errno_ == 28:
        why = "the disk is full. Free some space, then try again"
    elif "read-only" in text or "readonly" in text or errno_ in (1, 13, 30):
        why = "that folder is read-only. Choose a folder you may write to"
    else:
        why = f"{exc}. Check the folder, then try again"
    return f"Could not create {path.name}: {why}. Nothing was left behind."


def _probe(path: Path, registry: Registry) -> None:
    """Refuse a file that is not a PeerReview database (or is a newer one) without writing to it."""
    not_ours = StoreError(f"{path.name} is not a PeerReview database. Open another file.")
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"{path.name} could not be read ({exc.strerror}).") from None
    if header != b"SQLite format 3\x00":
        raise not_ours
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            features = feature_versions(sqlite_utils.Database(conn, execute_plugins=False))
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise not_ours from None
    if row is None:
        raise not_ours
    if int(row[0]) > SCHEMA_VERSION or newer_than(features, registry):
        raise NewerDatabaseError(
            "This database was made by a newer version of PeerReview. "
            "Install the update, then open it again. Nothing was changed."
        )


_BUSY = (
    "The database is in use by another PeerReview window or command. "
    "Close it, or wait a moment and try again. Nothing was changed."
)


@contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[None]:
    """A transaction that takes the write lock at the start; savepoints when nested."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseLockedError(_BUSY) from None
        raise _write_error(exc) from None
    try:
        yield
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError) and _is_write_failure(exc):
            raise _write_error(exc) from None
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseLockedError(_BUSY) from None
        raise _write_error(exc) from None


def _is_write_failure(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text or "full" in text or "unable to open" in text


def _write_error(exc: sqlite3.OperationalError) -> StoreError:
    """One accurate sentence for a write SQLite refused: read-only, full, or something else."""
    text = str(exc).lower()
    if "full" in text:
        return StoreError(
            "The disk is full, so nothing could be saved. Free some space, then try again. "
            "Nothing was changed."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreError(
            "This database (or its folder) is read-only, so nothing could be saved. Copy it to a "
            "folder you may write to, or ask for write access. Nothing was changed."
        )
    return StoreError(f"The change could not be saved ({exc}). Nothing was changed.")


class Store:
    """A PeerReview database, opened as this device."""

    def __init__(self, db: sqlite_utils.Database, path: Path, registry: Registry) -> None:
        self.db = db
        self.path = path
        #: the features (and so the kinds of record) this store is opened with
        self.registry = registry
        row = db.execute("SELECT id, name, author, public_key, hlc FROM device").fetchone()
        if row is None:
            raise StoreError(f"{path.name} has no device identity; it is not a usable database.")
        self.device = Device(id=row[0], name=row[1], author=row[2], public_key=row[3])
        self.clock = HybridClock(last=int(row[4]))
        #: records read while ``reading()`` is active (None otherwise): see ``reading``
        self._memo: dict[str, Record] | None = None
        #: the names search finds records by (``find_by_name``), indexed when first needed
        self._names: NameIndex | None = None
        #: sends a bulk write's pages to the disk as it goes, until its transaction ends
        self._behind: writeback.WriteBehind | None = None
        # Which fields are not searched: derived from the kinds, for this connection only.
        db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS search_skip"
            " (kind TEXT NOT NULL, field TEXT NOT NULL, PRIMARY KEY (kind, field)) WITHOUT ROWID"
        )
        db.execute("DELETE FROM temp.search_skip")
        db.conn.executemany(
            "INSERT INTO temp.search_skip(kind, field) VALUES (?, ?)",
            [
                (kind.name, f.name)
                for kind in registry.kinds.values()
                for f in kind.fields
                if f.type is not FieldType.TEXT or f.name in _UNSEARCHED
            ],
        )

    # ----------------------------------------------------------------- opening and creating

    @classmethod
    def init(
        cls,
        path: str | os.PathLike[str],
        *,
        device_name: str,
        author: str | None = None,
        partnership_name: str | None = None,
        partnership_id: str | None = None,
        registry: Registry | None = None,
    ) -> Store:
        """Create a new database for this device.

        Args:
            path: where the file goes; it must not exist yet.
            device_name: the laptop's human name, e.g. "Mrs Patel's laptop".
            author: who is using the laptop (shown beside their edits); defaults to the device name.
            partnership_name: create a new partnership with this name.
            partnership_id: join an existing partnership (its first imported bundle fills it in).
            registry: the features to open it with (default: those this app is built with).
        """
        reg = _default_registry(registry)
        p = Path(path)
        if p.exists() and p.stat().st_size > 0:
            raise StoreError(f"{p} already exists. Choose another file name, or open it instead.")
        if not device_name.strip():
            raise ValidationError('Give this laptop a name, such as "Mrs Patel\'s laptop".')
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            db = _connect(p)
        except OSError as exc:
            raise StoreError(_create_failed(p, exc)) from None
        try:
            migrate(db, lambda reason: None, reg)
            private, public = new_key_pair()
            with immediate(db):
                db.execute(
                    "INSERT INTO device(id, name, author, private_key, public_key)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [
                        new_id(),
                        device_name.strip(),
                        (author or device_name).strip(),
                        private,
                        public,
                    ],
                )
                db.execute("INSERT INTO meta(key, value) VALUES ('created', ?)", [_now_text()])
            store = cls(db, p, reg)
            if partnership_name:
                from peerreview.sync.enrolment import found
                from peerreview.sync.trust import partnership_id_for

                # A new partnership's id is derived from its founder's key: knowing the id is not
                # enough to pose as the laptop that founded it.
                pid = partnership_id or partnership_id_for(public)
                store.set_partnership_id(pid)
                found(store)
                root = reg.root_kind().name
                store.write([Edit(pid, root, "name", partnership_name.strip())])
            elif partnership_id:
                store.set_partnership_id(partnership_id)
            return store
        except BaseException as exc:
            # Nothing half-made is left behind (a full disk, a read-only folder).
            db.close()
            for leftover in (p, p.with_name(p.name + "-wal"), p.with_name(p.name + "-shm")):
                leftover.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.OperationalError | OSError):
                raise StoreError(_create_failed(p, exc)) from None
            raise

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, registry: Registry | None = None) -> Store:
        """Open an existing database, migrating it (after a backup) if it is older than this app."""
        reg = _default_registry(registry)
        p = Path(path)
        if not p.is_file():
            raise StoreError(
                f"There is no database at {p}. Check the path, or create one with init."
            )
        _probe(p, reg)
        db = _connect(p)
        try:
            migrate(db, lambda reason: backup_database(db, p, reason), reg)
            store = cls(db, p, reg)
            if store.partnership_id is not None and store.local_value("trust.anchor") is None:
                from peerreview.sync.enrolment import adopt_legacy_trust

                adopt_legacy_trust(store)
            return store
        except sqlite3.OperationalError as exc:
            db.close()
            if _is_write_failure(exc):
                raise _write_error(exc) from None
            raise StoreError(
                f"{p.name} could not be opened ({exc}). Open another file or restore a backup."
            ) from None
        except sqlite3.DatabaseError as exc:
            db.close()
            raise StoreError(
                f"{p.name} is not a PeerReview database or is damaged ({exc}). "
                "Open another file or restore a backup."
            ) from None
        except BaseException:
            db.close()
            raise

    def open_again(self) -> Store:
        """Another connection to this database, as this device, for another thread (a job's).

        It neither probes nor migrates (this store did both); close it in the thread that opened
        it. Each sees what the other has committed (WAL lets one read while the other writes).
        """
        db = _connect(self.path)
        try:
            return type(self)(db, self.path, self.registry)
        except BaseException:
            db.close()
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- identity and meta

    @property
    def partnership_id(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'partnership'").fetchone()
        return row[0] if row else None

    def set_partnership_id(self, partnership_id: str) -> None:
        """Bind this database to a partnership (once; bundles of other partnerships are refused)."""
        current = self.partnership_id
        if current is not None and current != partnership_id:
            raise StoreError("This database already belongs to another partnership.")
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('partnership', ?)",
                [partnership_id],
            )

    def private_key(self) -> bytes:
        return bytes(self.db.execute("SELECT private_key FROM device").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (nested calls become savepoints).

        The outermost one takes the write lock at once (BEGIN IMMEDIATE), so that a database busy in
        another window waits up to the busy timeout and then says so, instead of failing half-way.
        """
        if self._memo is not None:
            self._memo.clear()  # what ``reading`` kept may be about to change
        outermost = not self.db.conn.in_transaction
        try:
            with immediate(self.db):
                yield
        finally:
            # After the commit: its checkpoint writes the database file, behind as well.
            if outermost and self._behind is not None:
                behind, self._behind = self._behind, None
                behind.stop()

    # ----------------------------------------------------------------- the write path

    def _observe(self, stamp: int) -> None:
        self.clock.observe(stamp)
        # max(): another connection to this file may have moved the clock further meanwhile.
        self.db.execute("UPDATE device SET hlc = max(hlc, ?)", [self.clock.last])

    def write(self, edits: Sequence[Edit]) -> list[Change]:
        """Turn local edits into changes (what this laptop has seen as parents) and apply them."""
        changes: list[Change] = []
        with self.transaction():
            # Another connection to this file (a job's import) may have moved the clock on.
            self.clock.observe(int(self.db.execute("SELECT hlc FROM device").fetchone()[0]))
            # What this laptop has seen of every field being edited, fetched a few hundred records
            # at a time.
            pending = self._heads_of({e.record for e in edits})
            for e in edits:
                kind = self.registry.kind(e.kind)
                kind.check(e.field, e.value)
                key = (e.record, e.field)
                parents = pending.get(key, ())
                seen: tuple[str, ...] = ()
                if e.field == DELETED:
                    seen = tuple(
                        h
                        for (r, f), hs in pending.items()
                        if r == e.record and f != DELETED
                        for h in hs
                    )
                change = Change.make(
                    record=e.record,
                    kind=e.kind,
                    field=e.field,
                    value=e.value,
                    parents=parents,
                    seen=seen,
                    hlc=self.clock.tick(),
                    device=self.device.id,
                    author=self.device.author,
                )
                pending[key] = (change.id,)
                changes.append(change)
            changelog.apply(self.db, self.registry.kinds, changes)
            self._observe(self.clock.last)
            if changes:
                self.db.execute("UPDATE device SET own_hlc = ?", [self.clock.last])
            if changes:
                self.db.conn.execute(
                    "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'unexported'",
                    [len(changes)],
                )
        return changes

    def _heads_of(self, records: set[str]) -> dict[tuple[str, str], tuple[str, ...]]:
        out: dict[tuple[str, str], tuple[str, ...]] = {}
        ids = list(records)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for record, field, change in self.db.conn.execute(
                f"SELECT record, field, change FROM heads WHERE record IN ({marks})", chunk
            ):
                out[(record, field)] = out.get((record, field), ()) + (change,)
        return out

    def _all_heads(self, record: str) -> list[tuple[str, str]]:
        return [
            (r[0], r[1])
            for r in self.db.execute("SELECT field, change FROM heads WHERE record = ?", [record])
        ]

    # ----------------------------------------------------------------- record API

    def create(
        self,
        kind: str,
        values: Mapping[str, Any],
        *,
        form: tuple[str, int] | None = None,
        record_id: str | None = None,
    ) -> str:
        """Create a record of ``kind`` with ``values``; returns its new id.

        Args:
            form: the (form id, version) the record was made with, stored on the record.
        """
        k = self.registry.kind(kind)
        if record_id is None and k.identity is not None:
            record_id = k.identity(values)
        rid = record_id or new_id()
        if not is_uuid(rid):
            raise ValidationError(f"{rid!r} is not a valid record id.")
        if self._kind_of(rid) is not None:
            raise ValidationError(f"A record with id {rid} already exists.")
        fields = {name: v for name, v in values.items() if v is not None and v != ""}
        if form is not None:
            fields["form_id"], fields["form_version"] = form[0], form[1]
        if not fields:
            raise ValidationError(f"A new {k.label} needs at least one value.")
        k.check_dates({}, fields)
        self.registry.check_edit(self, k.name, rid, {}, fields)
        self.write([Edit(rid, kind, name, v) for name, v in fields.items()])
        return rid

    def update(self, record_id: str, values: Mapping[str, Any]) -> list[Change]:
        """Set fields of an existing record; fields whose value is unchanged are not written."""
        rec = self.get(record_id)
        if rec.deleted:
            raise ValidationError(f"This {rec.kind} has been deleted; restore it before editing.")
        wanted = {name: None if v == "" else v for name, v in values.items()}
        self.registry.kind(rec.kind).check_dates(rec.values, wanted)
        self.registry.check_edit(self, rec.kind, record_id, rec.values, wanted)
        edits = [
            Edit(record_id, rec.kind, name, v)
            for name, v in wanted.items()
            if name != DELETED and (rec.values.get(name) != v or name in rec.conflicts)
        ]
        return self.write(edits) if edits else []

    def set(self, record_id: str, field: str, value: Any) -> list[Change]:
        """Set one field of an existing record."""
        return self.update(record_id, {field: value})

    def delete(self, record_id: str) -> list[Change]:
        """Delete a record (a tombstone change; its history stays, and it can be restored)."""
        kind = self._require_kind(record_id)
        return self.write([Edit(record_id, kind, DELETED, True)])

    def purge(
        self,
        record_id: str,
        *,
        progress: Progress | None = None,
        cancelled: CancelCheck | None = None,
    ) -> list[Change]:
        """Erase a record's values for good (data-protection erasure, end of retention).

        Its values are blanked in the log, the tables and the search index on this laptop, and on
        every laptop that imports the purge; ids, links and history stay. The record is deleted.
        No copy of the values may linger: the file is compacted first (leftovers of earlier edits
        in free space go), then the purge is written with whatever it frees overwritten by zeros
        and the search index rewritten without the words, the write-ahead log is emptied, and the
        backups taken before (which hold the values) are removed. Compacting is the long part:
        it needs free disk space about the size of the database, and may be cancelled.

        Raises:
            PurgeError: the disk refused (full, read-only): nothing was changed; or the values
                were erased but a copy could not be removed (the sentence says which).
            Cancelled: asked to stop while compacting; nothing was changed.
        """
        kind = self._require_kind(record_id)
        if self.local_value("trust.anchor") is not None:
            from peerreview.sync.enrolment import is_coordinator

            if not is_coordinator(self):
                # Every other laptop refuses a purge from a laptop that is not a coordinator's.
                raise ValidationError(
                    "Only a coordinator's laptop can erase a record for good. Ask your "
                    "coordinator to purge it. Nothing was changed."
                )
        label = self.registry.label(kind)
        report: Progress = progress or (lambda _done, _total: None)
        need = compaction.used_bytes(self.db)
        if shutil.disk_usage(self.path.parent).free < need:
            raise PurgeError(_no_room(label, need, self.path))
        try:
            compaction.checkpoint(self.db)  # the log starts empty, so compacting needs no more
            compaction.vacuum(
                self.db,
                progress=lambda share: report(int(share * PURGE_COMPACTED), PURGE_STEPS),
                cancelled=cancelled,
            )
            check_cancelled(cancelled)
            report(PURGE_COMPACTED, PURGE_STEPS)
            with compaction.overwriting_freed_space(self.db), self.transaction():
                changes = self.write(
                    [Edit(record_id, kind, PURGED, True), Edit(record_id, kind, DELETED, True)]
                )
                compaction.forget_deleted_search_terms(self.db)
        except sqlite3.Error as exc:
            # SQLite has rolled back; give back the space the unfinished work took in the log.
            with suppress(sqlite3.Error):
                compaction.checkpoint(self.db)
            if compaction.interrupted(exc):
                raise Cancelled() from None
            if compaction.disk_full(exc):
                raise PurgeError(_no_room(label, need, self.path)) from None
            raise PurgeError(
                f"The {label} was not erased, because {compaction.refusal(exc)}. "
                "Nothing was changed."
            ) from None
        report(PURGE_WRITTEN, PURGE_STEPS)
        try:
            emptied = compaction.checkpoint(self.db)
            why = "another PeerReview window or command kept the file busy"
        except sqlite3.Error as exc:
            emptied, why = False, compaction.refusal(exc)
        if not emptied:
            raise PurgeError(
                f"The {label}'s values were erased, but copies of them stay in the database's "
                f"working file until PeerReview is next closed, because {why}."
            )
        report(PURGE_WRITTEN + 1, PURGE_STEPS)
        folder = backups_dir(self.path)
        kept: list[str] = []
        for old in folder.glob(f"{self.path.stem}-2*.db"):
            try:
                old.unlink(missing_ok=True)
            except OSError as exc:
                kept.append(exc.strerror or str(exc))
        if kept:
            raise PurgeError(
                f"The {label}'s values were erased, but {len(kept)} backup(s) holding them could "
                f"not be removed ({kept[0]}): delete the files in {folder} whose names start "
                f"with {self.path.stem}-."
            )
        report(PURGE_STEPS, PURGE_STEPS)
        return changes

    def compact(self) -> None:
        """Rewrite the file without free pages (and empty the write-ahead log)."""
        compaction.checkpoint(self.db)
        compaction.vacuum(self.db, progress=lambda _share: None)
        compaction.checkpoint(self.db)

    def restore(self, record_id: str) -> list[Change]:
        """Undo a delete."""
        kind = self._require_kind(record_id)
        return self.write([Edit(record_id, kind, DELETED, False)])

    def _kind_of(self, record_id: str) -> str | None:
        memo = self._memo
        if memo is not None:  # reading many (see ``reading``): a record read is not asked again
            found = memo.get(record_id)
            if found is not None:
                return found.kind
        row = self.db.execute("SELECT kind FROM records WHERE id = ?", [record_id]).fetchone()
        return row[0] if row else None

    def _require_kind(self, record_id: str) -> str:
        kind = self._kind_of(record_id)
        if kind is None:
            raise RecordNotFound(f"There is no record with id {record_id}.")
        return kind

    def kind_of(self, record_id: str) -> str | None:
        """The kind of a record, or None when there is no such record."""
        return self._kind_of(record_id)

    def exists(self, record_id: str) -> bool:
        return self._kind_of(record_id) is not None

    def get(self, record_id: str) -> Record:
        """The record's current values (provisional winners where a field is in conflict)."""
        memo = self._memo
        if memo is not None:
            found = memo.get(record_id)
            if found is None:
                found = memo[record_id] = self._read(record_id)
            return found
        return self._read(record_id)

    def get_many(self, record_ids: Sequence[str]) -> dict[str, Record]:
        """The records with these ids (deleted ones too), read one kind at a time; ids of no
        record are left out."""
        found = reading.records_by_id(self.db, self.registry.kinds, record_ids, self._values)
        if self._memo is not None:
            self._memo.update(found)
        return found

    def ids(self, kind: str, *, where: Mapping[str, Any] | None = None) -> builtins.list[str]:
        """The ids of ``kind``'s records (not deleted), filtered by exact field values as in
        ``list``: for reading many records a few at a time (``get_many``), each part short."""
        k = self.registry.kind(kind)
        clauses, params = ["deleted = 0"], []
        for name, value in (where or {}).items():
            if k.spec(name) is None:
                raise ValidationError(f"A {k.label} has no field called {name!r}.")
            clauses.append(f'"{name}" IS ?')
            params.append(value)
        sql = f'SELECT id FROM "{k.name}" WHERE {" AND ".join(clauses)} ORDER BY id'
        return [str(row[0]) for row in self.db.conn.execute(sql, params)]

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Within, each record is read once: ``get`` (and ``get_many``) keep what they read.

        For describing many records together (search results name each note's review and school:
        the same few, read once). Any write through this store forgets what was kept.
        """
        if self._memo is not None:
            yield
            return
        self._memo = {}
        try:
            yield
        finally:
            self._memo = None

    def _read(self, record_id: str) -> Record:
        kind = self.registry.kind(self._require_kind(record_id))
        cur = self.db.execute(f'SELECT * FROM "{kind.name}" WHERE id = ?', [record_id])
        names = [d[0] for d in cur.description]
        row = cur.fetchone()
        rec = dict(zip(names, row, strict=True))
        values = self._values(kind, rec)
        if kind.dynamic:
            for name, raw in self.db.execute(
                "SELECT field, value FROM dynamic_values WHERE record = ?", [record_id]
            ):
                if raw is not None:
                    values[name] = raw
        conflicts = frozenset(
            r[0]
            for r in self.db.execute("SELECT field FROM conflicts WHERE record = ?", [record_id])
        )
        return Record(record_id, kind.name, values, bool(rec.get(DELETED)), conflicts)

    def list(
        self,
        kind: str,
        *,
        include_deleted: bool = False,
        where: Mapping[str, Any] | None = None,
        ranges: Mapping[str, tuple[Any, Any]] | None = None,
        order_by: str = "name",
        descending: bool = False,
        limit: int | None = None,
        any_of: Mapping[str, Sequence[Any]] | None = None,
    ) -> list[Record]:
        """Records of ``kind``, optionally filtered by exact field values, by ranges
        (``{"start_date": (None, "2026-12-02")}``: from, to, both included; None leaves that end
        open; an empty field is never in a range) and by sets of values (``any_of={"school":
        [a, b]}``), sorted by a field (``descending``: last first), at most ``limit`` of them."""
        k = self.registry.kind(kind)
        clauses = [] if include_deleted else ["deleted = 0"]
        params: list[Any] = []
        for name, value in (where or {}).items():
            if k.spec(name) is None:
                raise ValidationError(f"A {k.label} has no field called {name!r}.")
            clauses.append(f'"{name}" IS ?')
            params.append(value)
        for name, (low, high) in (ranges or {}).items():
            if k.spec(name) is None:
                raise ValidationError(f"A {k.label} has no field called {name!r}.")
            clauses.append(f'"{name}" IS NOT NULL')
            for op, bound in ((">=", low), ("<=", high)):
                if bound is not None:
                    clauses.append(f'"{name}" {op} ?')
                    params.append(bound)
        for name, wanted in (any_of or {}).items():
            if k.spec(name) is None:
                raise ValidationError(f"A {k.label} has no field called {name!r}.")
            chosen = list(dict.fromkeys(wanted))[:30000]
            clauses.append(f'"{name}" IN ({",".join("?" * len(chosen))})' if chosen else "0")
            params.extend(chosen)
        if order_by not in k.by_name and order_by != "id":
            order_by = "id"
        sql = f'SELECT * FROM "{k.name}"'
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        way = " DESC" if descending else ""
        if order_by == "id":
            # Ids are lowercase text: the primary key's order, read from its index. With COLLATE
            # NOCASE SQLite sorted the whole table first (56 MB and 64 ms for the regional
            # demo's evidence, to return one row).
            sql += f" ORDER BY id{way}"
        else:
            sql += f' ORDER BY "{order_by}" COLLATE NOCASE{way}, id{way}'
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        cur = self.db.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
        # Conflicts and form answers of the whole kind in one query each, not one per record.
        # Open conflicts are few: read them all and keep this kind's (CROSS JOIN keeps that order;
        # starting from the kind's records reads thousands of index and table pages instead).
        conflicts: dict[str, set[str]] = {}
        for record, field in self.db.conn.execute(
            "SELECT c.record, c.field FROM conflicts c CROSS JOIN records r ON r.id = c.record"
            " WHERE r.kind = ?",
            [kind],
        ):
            conflicts.setdefault(record, set()).add(field)
        dynamic: dict[str, dict[str, Any]] = {}
        if k.dynamic and rows and (where or ranges or limit is not None):
            # A few records of the kind (a lesson's stages): their own form answers and grid
            # cells, a few hundred ids at a time, not every record's of the kind.
            at = names.index("id")
            ids = [r[at] for r in rows]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for record, field, value in self.db.conn.execute(
                    "SELECT record, field, value FROM dynamic_values"
                    f" WHERE record IN ({marks}) AND value IS NOT NULL",
                    chunk,
                ):
                    dynamic.setdefault(record, {})[field] = value
        elif k.dynamic and rows:
            for record, field, value in self.db.conn.execute(
                "SELECT d.record, d.field, d.value FROM dynamic_values d JOIN records r"
                " ON r.id = d.record WHERE r.kind = ? AND d.value IS NOT NULL",
                [kind],
            ):
                dynamic.setdefault(record, {})[field] = value
        out = []
        for row in rows:
            rec = dict(zip(names, row, strict=True))
            values = self._values(k, rec)
            values.update(dynamic.get(rec["id"], {}))
            out.append(
                Record(
                    rec["id"],
                    k.name,
                    values,
                    bool(rec.get(DELETED)),
                    frozenset(conflicts.get(rec["id"], ())),
                )
            )
        return out

    @staticmethod
    def _values(kind: Kind, row: Mapping[str, Any]) -> dict[str, Any]:
        """Typed values from a kind-table row (booleans and lists decoded, empty fields omitted)."""
        values: dict[str, Any] = {}
        for name, raw in row.items():
            spec = kind.by_name.get(name)
            if raw is None or spec is None or name == DELETED:
                continue
            if spec.type is FieldType.BOOLEAN:
                values[name] = bool(raw)
            elif spec.type is FieldType.JSON:
                values[name] = orjson.loads(raw)
            else:
                values[name] = raw
        return values

    def count(self, kind: str, *, include_deleted: bool = False, at_most: int | None = None) -> int:
        """How many records of ``kind`` there are; with ``at_most``, counting stops there (a
        quick "more than a few?" on a kind of 15,000 records)."""
        k = self.registry.kind(kind)
        sql = f'SELECT 1 FROM "{k.name}"' + ("" if include_deleted else " WHERE deleted = 0")
        if at_most is None:
            sql = sql.replace("SELECT 1", "SELECT count(*)", 1)
            return int(self.db.execute(sql).fetchone()[0])
        return int(
            self.db.execute(f"SELECT count(*) FROM ({sql} LIMIT ?)", [at_most]).fetchone()[0]
        )

    def tally(
        self, kind: str, list_field: str, where: Mapping[str, Any] | None = None
    ) -> dict[Any, int]:
        """How many records of ``kind`` (not deleted, matching ``where``) hold each value of a
        list field (the evidence notes bearing on each area)."""
        k = self.registry.kind(kind)
        spec = k.spec(list_field)
        if spec is None or spec.type is not FieldType.JSON:
            raise ValidationError(f"A {k.label} has no list field called {list_field!r}.")
        clauses = ["t.deleted = 0"]
        params: list[Any] = []
        for name, value in (where or {}).items():
            if k.spec(name) is None:
                raise ValidationError(f"A {k.label} has no field called {name!r}.")
            clauses.append(f't."{name}" IS ?')
            params.append(value)
        rows = self.db.conn.execute(
            f'SELECT j.value, count(*) FROM "{k.name}" t, json_each(t."{list_field}") j'
            f" WHERE {' AND '.join(clauses)} GROUP BY j.value",
            params,
        )
        return {value: int(n) for value, n in rows}

    def rows(
        self,
        kind: str,
        fields: Sequence[str],
        *,
        where: Mapping[str, Any] | None = None,
        ranges: Mapping[str, tuple[Any, Any]] | None = None,
    ) -> builtins.list[tuple[Any, ...]]:
        """Just some fields of the records of ``kind`` (not deleted), as tuples in that order, for
        a figure over thousands of records: ``id`` first if asked for. ``where`` and ``ranges`` as
        for :meth:`list`, except that a ``where`` value that is a tuple means any of its values
        (None among them: or empty), and ``where`` may name ``id``.
        Lists (JSON fields) are decoded; values are as stored (no conflict flags)."""
        k = self.registry.kind(kind)
        columns = []
        for name in fields:
            if name != "id" and (k.spec(name) is None or name == DELETED):
                raise ValidationError(f"A {k.label} has no field called {name!r}.")
            columns.append(f'"{name}"')
        clauses, params = self._filters(k, where, ranges)
        sql = f'SELECT {", ".join(columns)} FROM "{k.name}" WHERE {" AND ".join(clauses)}'
        rows = self.db.conn.execute(sql, params).fetchall()
        decode = [
            i
            for i, name in enumerate(fields)
            if name != "id" and k.by_name[name].type in (FieldType.JSON, FieldType.BOOLEAN)
        ]
        if not decode:
            return rows
        out = []
        for row in rows:
            values = builtins.list(row)
            for i in decode:
                raw = values[i]
                if raw is not None:
                    json = k.by_name[fields[i]].type is FieldType.JSON
                    values[i] = orjson.loads(raw) if json else bool(raw)
            out.append(tuple(values))
        return out

    def count_by(
        self,
        kind: str,
        field: str,
        *,
        where: Mapping[str, Any] | None = None,
        ranges: Mapping[str, tuple[Any, Any]] | None = None,
    ) -> dict[Any, int]:
        """How many records of ``kind`` (not deleted, filtered as for :meth:`rows`) hold each value
        of ``field`` (the overdue actions of each school)."""
        k = self.registry.kind(kind)
        if k.spec(field) is None:
            raise ValidationError(f"A {k.label} has no field called {field!r}.")
        clauses, params = self._filters(k, where, ranges)
        rows = self.db.conn.execute(
            f'SELECT "{field}", count(*) FROM "{k.name}" WHERE {" AND ".join(clauses)}'
            f' GROUP BY "{field}"',
            params,
        )
        return {value: int(n) for value, n in rows}

    @staticmethod
    def _filters(
        k: Kind,
        where: Mapping[str, Any] | None,
        ranges: Mapping[str, tuple[Any, Any]] | None,
    ) -> tuple[builtins.list[str], builtins.list[Any]]:
        clauses = ["deleted = 0"]
        params: builtins.list[Any] = []
        for name, value in (where or {}).items():
            if name != "id" and k.spec(name) is None:
                raise ValidationError(f"A {k.label} has no field called {name!r}.")
            if isinstance(value, tuple):
                present = [v for v in value if v is not None]
                alternatives = []
                if present:
                    alternatives.append(f'"{name}" IN ({", ".join("?" * len(present))})')
                    params.extend(present)
                if len(present) < len(value):  # None among them: an empty field matches too
                    alternatives.append(f'"{name}" IS NULL')
                clauses.append("(" + " OR ".join(alternatives) + ")" if alternatives else "0")
            else:
                clauses.append(f'"{name}" IS ?')
                params.append(value)
        for name, (low, high) in (ranges or {}).items():
            if k.spec(name) is None:
                raise ValidationError(f"A {k.label} has no field called {name!r}.")
            clauses.append(f'"{name}" IS NOT NULL')
            for op, bound in ((">=", low), ("<=", high)):
                if bound is not None:
                    clauses.append(f'"{name}" {op} ?')
                    params.append(bound)
        return clauses, params

    # ----------------------------------------------------------------- search

    def search(self, text: str, *, limit: int = 200) -> builtins.list[SearchHit]:
        """Records whose text contains every word of ``text`` (word prefixes match), the most
        recently written first, each with its title."""
        hits = []
        titles: dict[str, str] = {}
        for m in self.matches(text, limit=limit):
            if m.record_id not in titles:
                titles[m.record_id] = self.title(m.record_id)
            hits.append(SearchHit(m.record_id, m.kind, m.field, titles[m.record_id], m.snippet))
        return hits

    def matches(self, text: str, *, limit: int = 200) -> builtins.list[TextMatch]:
        """Fields whose text contains every word of ``text`` (word prefixes match, accents and case
        ignored), the most recently written first; the match is marked in each snippet."""
        return reading.recent_matches(self.db, text, (MATCH_START, MATCH_END), limit)

    def find_by_name(
        self, kinds: Sequence[str], words: Sequence[str], *, limit: int
    ) -> dict[str, builtins.list[tuple[str, str]]]:
        """{kind: (id, name) of at most ``limit`` of its records with every one of ``words`` at a
        word's start in their name}, for each of ``kinds`` (case and accents ignored). The names
        are indexed when first asked for (or ahead: ``index_names``), then kept in step."""
        index = self._name_index(kinds)
        index.refresh()
        return {kind: index.find(kind, words, limit) for kind in index.fields}

    def index_names(self, kinds: Sequence[str]) -> Iterator[None]:
        """Index the names ``find_by_name`` looks in ahead of the first search, a kind at a
        time (a step between two turns of a window's event loop)."""
        yield from self._name_index(kinds).build_steps()

    def _name_index(self, kinds: Sequence[str]) -> NameIndex:
        fields = {}
        for kind in kinds:
            field = record_title_field(self.registry.kind(kind))
            if field:
                fields[kind] = field
        index = self._names
        if index is None or index.fields != fields:
            index = self._names = NameIndex(self.db, fields)
        return index

    def title(self, record_id: str) -> str:
        """A short human name for a record: its name, file name or caption, else as its feature
        describes it (never its id)."""
        kind = self._kind_of(record_id)
        if kind is None:
            return "A record that is not here"
        k = self.registry.kind(kind)
        col = record_title_field(k)
        memo = self._memo
        if col is not None and memo is not None and record_id in memo:
            value = memo[record_id].get(col)
            if value:
                return str(value)
        elif col is not None:
            row = self.db.execute(
                f'SELECT "{col}" FROM "{kind}" WHERE id = ?', [record_id]
            ).fetchone()
            if row and row[0]:
                return str(row[0])
        return self.registry.describe(self, self.get(record_id)).title

    # ----------------------------------------------------------------- conflicts

    def conflict_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM conflicts").fetchone()[0])

    def conflicts(self) -> builtins.list[Conflict]:
        """Every open conflict, each with its competing values, authors, devices and times."""
        rows = self.db.execute(
            "SELECT c.record, c.field, r.kind FROM conflicts c JOIN records r ON r.id = c.record"
            " ORDER BY r.kind, c.record, c.field"
        ).fetchall()
        return [self.conflict(record, field) for record, field, _ in rows]

    def conflict(self, record_id: str, field: str) -> Conflict:
        """One open conflict."""
        if not self.db.execute(
            "SELECT 1 FROM conflicts WHERE record = ? AND field = ?", [record_id, field]
        ).fetchone():
            raise ConflictError("That field is not in conflict any more.")
        rec = self.get(record_id)
        names = dict(self.db.execute("SELECT id, name FROM known_devices").fetchall())
        names[self.device.id] = self.device.name
        heads = self.db.execute(
            "SELECT c.id, c.value, c.author, c.device, c.hlc FROM heads h JOIN changes c"
            " ON c.id = h.change WHERE h.record = ? AND h.field = ?"
            " ORDER BY c.hlc DESC, c.device DESC, c.id DESC",
            [record_id, field],
        ).fetchall()
        values = tuple(
            ConflictValue(
                change_id=cid,
                value=None if v is None else orjson.loads(v),
                author=author,
                device_id=device,
                device_name=names.get(device, device[:8]),
                hlc=hlc,
                winner=i == 0,
            )
            for i, (cid, v, author, device, hlc) in enumerate(heads)
        )
        edited: tuple[str, ...] = ()
        if field == DELETED and rec.deleted:
            seen = {
                s
                for (_f, cid) in self._all_heads(record_id)
                if _f == DELETED
                for s in self._seen_of(cid)
            }
            edited = tuple(
                sorted(
                    {f for (f, h) in self._all_heads(record_id) if f != DELETED and h not in seen}
                )
            )
        return Conflict(record_id, rec.kind, field, rec.title, values, edited)

    def _seen_of(self, change_id: str) -> builtins.list[str]:
        row = self.db.execute("SELECT seen FROM changes WHERE id = ?", [change_id]).fetchone()
        return list(orjson.loads(row[0])) if row and row[0] else []

    def resolve(self, record_id: str, field: str, value: Any) -> builtins.list[Change]:
        """Settle a conflicted field with ``value`` (one of the competing values, or a merged one).

        For a delete conflict (``field == "deleted"``), ``value`` True keeps the record deleted
        and False restores it with every edit kept.
        """
        conflict = self.conflict(record_id, field)
        kind = self.registry.kind(conflict.kind)
        kind.check(field, value)
        rec = self.get(record_id)
        if field == DELETED and not rec.deleted:
            if value is False:
                # Alive under an owner deleted elsewhere: "restore" brings the owner back.
                owners = self._deleted_owners(rec)
                with self.transaction():
                    out = [
                        c
                        for owner, k in owners
                        for c in self.write([Edit(owner, k, DELETED, False)])
                    ]
                    if not owners:
                        out = self.write([Edit(record_id, conflict.kind, field, value)])
                return out
            return self.write([Edit(record_id, conflict.kind, field, value)])
        # An ordinary edit whose parents are all heads: it supersedes every competing value.
        edits = [Edit(record_id, conflict.kind, field, value)]
        if rec.deleted and field != DELETED and DELETED not in rec.conflicts:
            # Settling a field of a record that stays deleted: a delete that has seen the settled
            # value keeps it deleted without raising the delete conflict again.
            edits.append(Edit(record_id, conflict.kind, DELETED, True))
        # The settling change is what is returned; the delete written beside it only records
        # that the delete has seen it.
        return [c for c in self.write(edits) if c.field == field]

    def _deleted_owners(self, rec: Record) -> builtins.list[tuple[str, str]]:
        """The deleted records ``rec`` belongs to (through its kind's owner fields)."""
        kind = self.registry.kind(rec.kind)
        out = []
        for name in kind.owned_by:
            owner = rec.values.get(name)
            owner_kind = self._kind_of(owner) if isinstance(owner, str) else None
            if owner_kind is not None and self.get(str(owner)).deleted:
                out.append((str(owner), owner_kind))
        return out

    # ----------------------------------------------------------------- history and counters

    def history(self, record_id: str, field: str | None = None) -> builtins.list[Change]:
        """Every change made to a record (or one field of it), oldest first."""
        sql = (
            "SELECT id, record, kind, field, value, parents, seen, hlc, device, author, purged_hash"
            " FROM changes WHERE record = ?"
        )
        params: list[Any] = [record_id]
        if field is not None:
            sql += " AND field = ?"
            params.append(field)
        sql += " ORDER BY hlc, id"
        return [row_to_change(r) for r in self.db.execute(sql, params)]

    def change_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM changes").fetchone()[0])

    def unexported_count(self) -> int:
        """Changes made on this laptop since its last full export.

        Kept as a running count in ``meta`` (device-local) by the write path, so the status bar can
        show it at once on a database of millions of changes; counted from the log only the first
        time.
        """
        row = self.db.conn.execute("SELECT value FROM meta WHERE key = 'unexported'").fetchone()
        if row is not None:
            return int(row[0])
        n = int(
            self.db.conn.execute(
                "SELECT count(*) FROM changes WHERE device = ?"
                " AND seq > (SELECT exported_seq FROM device)",
                [self.device.id],
            ).fetchone()[0]
        )
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('unexported', ?)", [str(n)]
            )
        return n

    def mark_exported(self, seq: int) -> None:
        with self.transaction():
            self.db.execute("UPDATE device SET exported_seq = max(exported_seq, ?)", [seq])
            # Local changes written after ``seq`` (none while an export holds the store) stay
            # counted.
            self.db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('unexported', (SELECT count(*)"
                " FROM changes WHERE device = ? AND seq > ?))",
                [self.device.id, seq],
            )

    def iter_changes(self, selection: Selection = EVERYTHING) -> Iterator[Change]:
        """Stream changes from the log (all, or a selection's) in causal (clock) order."""
        for _seq, change in self.iter_changes_at(selection):
            yield change

    def iter_changes_at(self, selection: Selection = EVERYTHING) -> Iterator[tuple[int, Change]]:
        """``iter_changes`` with each change's position in this laptop's log (``seq``)."""
        for seq, row in exchange.change_rows_at(self.db, selection):
            yield seq, row_to_change(row)

    # ----------------------------------------------------------------- exchange with other laptops

    def select_schools(self, school_ids: Sequence[str]) -> Selection:
        """What an export of chosen schools carries: them, every partnership-wide record, and
        what belongs to those (valid until the next selection on this store)."""
        return exchange.select_schools(self.db, self.registry.kinds, school_ids)

    def mark_restricted(self, roots: Mapping[str, str], changed: Sequence[str]) -> None:
        """Mark the records restricted to a school (record id: school id), and those whose
        restriction changed, with what belongs to them (for the next selection's ``restricted``)."""
        exchange.mark_restricted(self.db, self.registry.kinds, roots, changed)

    def restriction_changes(
        self, kind: str, fields: Sequence[str], from_seq: int
    ) -> builtins.list[str]:
        """Records of ``kind`` whose ``fields`` changed after position ``from_seq`` of the log."""
        return exchange.restriction_changes(self.db, kind, fields, from_seq)

    def selected_values(self, kind: str, field: str) -> builtins.list[Any]:
        """One field of the records of ``kind`` in the last selection (the schools' URNs)."""
        k = self.registry.kind(kind)
        if k.spec(field) is None:
            raise ValidationError(f"A {k.label} has no field called {field!r}.")
        return exchange.selected_values(self.db, k.name, field)

    def count_changes(self, selection: Selection = EVERYTHING) -> int:
        return exchange.count_changes(self.db, selection)

    def count_records(self, selection: Selection = EVERYTHING) -> int:
        """How many records the selection's changes are about."""
        return exchange.count_records(self.db, selection)

    def attachment_hashes(self, selection: Selection = EVERYTHING) -> builtins.list[str]:
        """The files held here that the selection's attachments point at."""
        return exchange.attachment_hashes(self.db, selection)

    def last_seq(self) -> int:
        """The position of the newest change in this laptop's log (exports mark up to it)."""
        return changelog.max_seq(self.db)

    def imported(self, bundle_sha256: str) -> exchange.LedgerEntry | None:
        """The import ledger's entry for a bundle file with these bytes, if it was imported."""
        return exchange.imported(self.db, bundle_sha256)

    def known_devices(self) -> builtins.list[exchange.KnownDevice]:
        """Every other laptop whose bundles were imported here, with its newest bundle (from the
        import ledger), by name."""
        return exchange.known_devices(self.db)

    def known_device_key(self, device_id: str) -> str | None:
        """The public key another laptop's first bundle came with (trust on first use)."""
        return exchange.known_device_key(self.db, device_id)

    def knows_all(self, change_ids: Sequence[str]) -> bool:
        """True when every one of these changes is already in the log."""
        return exchange.knows_all(self.db, change_ids)

    @contextmanager
    def import_batch(self) -> Iterator[ImportBatch]:
        """One bundle's import, in one transaction: add its rows and files, then ``finish``.

        Nothing is visible (or kept, if anything fails) until the block ends.
        """
        with self.transaction():
            if self._behind is None:  # until the outermost transaction (a batch's) has ended
                self._behind = writeback.WriteBehind(self.path)
            yield ImportBatch(self)

    # ----------------------------------------------------------------- this laptop's own values

    def local_value(self, key: str) -> str | None:
        """A value kept on this laptop only (never in a bundle): a marker, a setting."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [_local(key)]).fetchone()
        return str(row[0]) if row else None

    def set_local_value(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [_local(key), value]
            )

    # ----------------------------------------------------------------- device-local fields

    def _local_spec(self, record_id: str, field: str) -> FieldSpec:
        kind = self.registry.kind(self._require_kind(record_id))
        spec = kind.local_spec(field)
        if spec is None:
            raise ValidationError(f"A {kind.label} keeps no field called {field!r} on this laptop.")
        return spec

    def local_field(self, record_id: str, field: str) -> Any:
        """A record's device-local field (declared in ``Kind.local_fields``), or None.

        Such values are never changes: no bundle, dump, search or report of the shared records
        holds them, and other laptops never see them.
        """
        self._local_spec(record_id, field)
        row = self.db.execute(
            "SELECT value FROM local_fields WHERE record = ? AND field = ?", [record_id, field]
        ).fetchone()
        return orjson.loads(row[0]) if row else None

    def local_fields(self, record_ids: Sequence[str], field: str) -> dict[str, Any]:
        """One device-local field of several records: {record id: value} for those that have it."""
        out: dict[str, Any] = {}
        ids = list(record_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for record, value in self.db.execute(
                f"SELECT record, value FROM local_fields WHERE field = ? AND record IN ({marks})",
                [field, *chunk],
            ):
                out[record] = orjson.loads(value)
        return out

    def set_local_field(self, record_id: str, field: str, value: Any) -> None:
        """Set (or, with None or "", clear) a record's device-local field, on this laptop only."""
        spec = self._local_spec(record_id, field)
        if value == "":
            value = None
        spec.check(self.registry.kind(self._require_kind(record_id)).label, value)
        if self.get(record_id).deleted and value is not None:
            raise ValidationError("This record has been deleted; restore it before editing.")
        with self.transaction():
            if value is None:
                self.db.execute(
                    "DELETE FROM local_fields WHERE record = ? AND field = ?", [record_id, field]
                )
            else:
                self.db.execute(
                    "INSERT OR REPLACE INTO local_fields(record, field, value) VALUES (?, ?, ?)",
                    [record_id, field, orjson.dumps(value).decode()],
                )

    # ----------------------------------------------------------------- attachments

    def add_blob(self, data: bytes) -> str:
        """Keep a file's bytes (immutable, addressed by SHA-256); returns the hash."""
        digest = hashlib.sha256(data).hexdigest()
        with self.transaction():
            exchange.add_blob(self.db, digest, data)
        return digest

    def add_attachment(
        self, owner: str, data: bytes, *, filename: str, media_type: str, caption: str = ""
    ) -> str:
        """Store an immutable file (addressed by SHA-256) and an attachment record for it."""
        self._require_kind(owner)
        with self.transaction():
            digest = self.add_blob(data)
            values: dict[str, Any] = {
                "sha256": digest,
                "filename": filename,
                "media_type": media_type,
                "size": len(data),
                "owner": owner,
            }
            if caption:
                values["caption"] = caption
            return self.create("attachment", values)

    def blob(self, sha256: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
        return bytes(row[0]) if row else None

    def backup(self, reason: str) -> Path:
        """Copy the live database to the backups folder beside it (a consistent snapshot).

        The file itself is copied (the kernel's copy, several times faster than SQLite's page by
        page backup) while the write lock keeps it still; SQLite's backup is the fallback when
        another window's reading kept the write-ahead log from being emptied into the file.
        """
        if not self.db.conn.in_transaction:
            settled = self.settle_for_backup()
            with self.transaction():
                copy = self.start_backup(reason, settled)
                if copy is not None:
                    return self.finish_backup(copy)
        return backup_database(self.db, self.path, reason)

    def settle_for_backup(self) -> int | None:
        """Empty the write-ahead log into the file before a write transaction that will back the
        database up (``start_backup``); outside any transaction."""
        return filecopy.settle(self.db)

    def start_backup(self, reason: str, settled: int | None) -> filecopy.FileCopy | None:
        """Start copying the database file into the backups folder, in a thread; inside this
        store's write transaction, begun after ``settle_for_backup`` returned ``settled``.

        The copy is of the last commit before the transaction (this transaction's own writes go
        to the write-ahead log until it commits): call ``finish_backup`` before committing.
        None when the file alone does not hold every commit (use ``backup`` after committing).
        """
        if not filecopy.still(self.db, settled):
            return None
        try:
            return filecopy.FileCopy(self.path, _backup_target(self.path, reason))
        except OSError as exc:
            raise StoreError(_backup_failed(exc)) from None

    def finish_backup(self, copy: filecopy.FileCopy) -> Path:
        """Wait for a backup ``start_backup`` began, and keep it (the newest few of each)."""
        try:
            target = copy.finish()
        except OSError as exc:
            raise StoreError(_backup_failed(exc)) from None
        _prune_backups(self.path)
        return target

    @property
    def kinds(self) -> Mapping[str, Kind]:
        return self.registry.kinds

    @property
    def schema_version(self) -> int:
        return SCHEMA_VERSION


#: Keys of ``meta`` the engine itself uses, which ``local_value`` keys may not be.
_ENGINE_META = frozenset({"schema_version", "partnership", "created", "unexported"})


def _no_room(label: str, need: int, path: Path) -> str:
    free = shutil.disk_usage(path.parent).free
    return (
        f"The {label} was not erased, because the disk is full: erasing compacts the database, "
        f"which needs about {_megabytes(need)} free and there are {_megabytes(free)}. "
        "Free some space and try again. Nothing was changed."
    )


def _megabytes(n: int) -> str:
    return f"{max(1, round(n / 1_000_000)):,} MB"


def _local(key: str) -> str:
    if not key or len(key) > 200 or key in _ENGINE_META or key.startswith("schema_version"):
        raise ValidationError(f"{key[:40]!r} cannot be a key of a value kept on this laptop.")
    return key


class ImportBatch:
    """The rows and files of one bundle being imported (see ``Store.import_batch``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._before = changelog.max_seq(store.db)
        self._offered = 0
        self._parts: builtins.list[tuple[int, int]] = []
        #: the rows of a first import into an empty log, when they came as one list: ``finish``
        #: builds heads, tables and the search index from them (``changelog.integrate_new_log``)
        self._first: builtins.list[tuple[Any, ...]] | None = None
        #: rows offered by the parts ended so far
        self._ended = 0

    def add_rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Append checked log rows (``changes.checked_row``); known changes are skipped.

        A list given to the first call into an empty log is kept until ``finish``: the caller
        must not change it before then."""
        first = self._before == 0 and self._offered == 0 and not self._parts
        self._first = rows if first and isinstance(rows, builtins.list) else None
        self._offered += changelog.append_rows(self.store.db, rows)

    def add_blob(self, sha256: str, data: bytes) -> None:
        exchange.add_blob(self.store.db, sha256, data)

    def finish(self, source: exchange.BundleSource, max_hlc: int, skipped: int = 0) -> ApplyResult:
        """Fold the new rows into heads, tables, conflicts and search; move this laptop's clock
        past the bundle's; remember the sender and the bundle in the ledger. ``skipped`` changes
        of the bundle were known already and not added: they count as known."""
        store = self.store
        first, self._first = self._first, None
        result = None
        if first is not None:
            result = changelog.integrate_new_log(
                store.db, store.registry.kinds, first, self._offered
            )
        if result is None:
            result = changelog.integrate(
                store.db, store.registry.kinds, self._before, self._offered
            )
        result = ApplyResult(result.new, result.known + skipped, result.conflicts)
        store._observe(max_hlc)
        exchange.record_import(store.db, source, result.new, result.known, result.conflicts)
        return result

    def end_part(self) -> tuple[int, int]:
        """End one bundle's rows when several are added before one ``finish_parts``: how many
        it offered and how far the log now reaches."""
        offered = self._offered - self._ended
        self._ended = self._offered
        self._parts.append((offered, changelog.max_seq(self.store.db)))
        return self._parts[-1]

    def finish_parts(
        self, sources: Sequence[exchange.BundleSource], max_hlc: int, skipped: Sequence[int]
    ) -> builtins.list[ApplyResult]:
        """``finish`` for several bundles' rows at once (each ended with ``end_part``): one
        set-based pass over all of them, each bundle's new, known and raised conflicts told apart
        (a change two bundles bring is new in the first; a conflict is the last raiser's)."""
        store = self.store
        if len(sources) != len(self._parts):
            raise ValueError("every bundle's rows must be ended with end_part")
        result = changelog.integrate(store.db, store.registry.kinds, self._before, self._offered)
        ends = [end for _, end in self._parts]
        raised = [0] * len(ends)
        if result.new:
            for seq in changelog.raised_at(store.db, self._before):
                raised[min(bisect.bisect_left(ends, seq), len(ends) - 1)] += 1
        store._observe(max_hlc)
        results = []
        start = self._before
        parts = zip(sources, self._parts, raised, skipped, strict=True)
        for source, (offered, end), conflicts, known_before in parts:
            new = end - start
            start = end
            known = offered - new + known_before
            results.append(ApplyResult(new=new, known=known, conflicts=conflicts))
            exchange.record_import(store.db, source, new, known, conflicts)
        return results


def row_to_change(row: Sequence[Any]) -> Change:
    cid, record, kind, field, value, parents, seen, hlc, device, author, purged_hash = row
    return Change(
        id=cid,
        record=record,
        kind=kind,
        field=field,
        value=None if value is None else orjson.loads(value),
        parents=tuple(orjson.loads(parents)),
        seen=tuple(orjson.loads(seen)) if seen else (),
        hlc=hlc,
        device=device,
        author=author,
        purged=purged_hash is not None,
        value_sha256=purged_hash,
    )


def backups_dir(path: Path) -> Path:
    return path.parent / "backups"


def backup_database(db: sqlite_utils.Database, path: Path, reason: str) -> Path:
    """Snapshot ``db`` with SQLite's backup API into backups/, keeping the newest few of each."""
    target = _backup_target(path, reason)
    partial = target.with_suffix(".partial")
    try:
        dest = sqlite3.connect(str(partial))
        with dest:
            db.conn.backup(dest)
        dest.close()
        os.replace(partial, target)  # a backup interrupted half-way never looks like a real one
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(_backup_failed(exc)) from None
    _prune_backups(path)
    return target


def _backup_target(path: Path, reason: str) -> Path:
    folder = backups_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return folder / f"{path.stem}-{stamp}-{reason}.db"


def _backup_failed(exc: BaseException) -> str:
    return (
        f"Could not take a backup before changing the database ({exc}). "
        "Free some disk space and try again. Nothing was changed."
    )


def _prune_backups(path: Path) -> None:
    old = sorted(backups_dir(path).glob(f"{path.stem}-2*.db"))
    for stale in old[:-BACKUPS_KEPT]:
        stale.unlink(missing_ok=True)
