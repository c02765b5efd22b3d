"""The one write path: append changes to the log and bring heads, conflicts and tables up to date.

Local edits and imported bundles both arrive here, inside the caller's transaction. The work is
set-based (a handful of SQL statements per batch, not per change) so that a bundle of millions of
changes applies at close to the speed SQLite can insert rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

import orjson
import sqlite_utils

from peerreview.errors import ValidationError
from peerreview.sync.changes import DELETED, PURGED, Change
from peerreview.sync.kinds import Kind, purgeable
from peerreview.sync.records import ApplyResult

BATCH = 20_000

_INSERT = (
    "INSERT OR IGNORE INTO changes"
    " (id, record, kind, field, value, parents, seen, hlc, device, author, purged_hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

_TEMP = """
CREATE TEMP TABLE IF NOT EXISTS touched (
    record TEXT NOT NULL, field TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (record, field)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS winners (
    record TEXT NOT NULL, field TEXT NOT NULL, kind TEXT NOT NULL, value TEXT,
    heads INTEGER NOT NULL, PRIMARY KEY (record, field)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS temp.winners_field ON winners(field, kind);
CREATE TEMP TABLE IF NOT EXISTS touched_records (record TEXT PRIMARY KEY, kind TEXT NOT NULL)
    WITHOUT ROWID;
"""


def change_row(c: Change) -> tuple[Any, ...]:
    """The changes-table row of a change."""
    return (
        c.id,
        c.record,
        c.kind,
        c.field,
        None if c.purged else orjson.dumps(c.value, option=orjson.OPT_SORT_KEYS).decode(),
        orjson.dumps(list(c.parents)).decode(),
        orjson.dumps(list(c.seen)).decode() if c.seen else None,
        c.hlc,
        c.device,
        c.author,
        c.value_sha256 if c.purged else None,
    )


def _chunks(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def max_seq(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])


def append(db: sqlite_utils.Database, changes: Iterable[Change]) -> tuple[int, int]:
    """Insert changes into the log (known ones are ignored). Returns (offered, seq before)."""
    before = max_seq(db)
    return append_rows(db, (change_row(c) for c in changes)), before


def append_rows(db: sqlite_utils.Database, rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert ready-made change rows (see change_row); returns how many were offered."""
    offered = 0
    for chunk in _chunks(rows, BATCH):
        offered += len(chunk)
        db.conn.executemany(_INSERT, chunk)
    return offered


def integrate(
    db: sqlite_utils.Database, kinds: Mapping[str, Kind], before: int, offered: int
) -> ApplyResult:
    """Fold the changes appended after ``before`` into heads, conflicts and the kind tables.

    Must run inside the same transaction as the append.
    """
    ex = db.conn.execute
    new = int(ex("SELECT count(*) FROM changes WHERE seq > ?", [before]).fetchone()[0])
    if new == 0:
        return ApplyResult(new=0, known=offered, conflicts=0)
    _check_kinds(db, before)
    for statement in _TEMP.split(";"):
        if statement.strip():
            ex(statement)
    ex("DELETE FROM temp.touched")
    ex("DELETE FROM temp.winners")
    ex("DELETE FROM temp.touched_records")
    # The fields in conflict before this batch (few), to count the ones it puts in conflict: a batch
    # may settle one conflict and raise another, and both must show.
    ex(
        "CREATE TEMP TABLE IF NOT EXISTS conflicts_before"
        " (record TEXT NOT NULL, field TEXT NOT NULL,"
        " PRIMARY KEY (record, field)) WITHOUT ROWID"
    )
    ex("DELETE FROM temp.conflicts_before")
    ex("INSERT INTO temp.conflicts_before SELECT record, field FROM conflicts")

    # 1. What each new change supersedes (same record and field only), and the new heads.
    ex(
        "INSERT OR IGNORE INTO superseded(record, field, change)"
        " SELECT c.record, c.field, j.value FROM changes c, json_each(c.parents) j"
        " WHERE c.seq > ?",
        [before],
    )
    ex(
        "DELETE FROM heads WHERE (record, field, change) IN"
        " (SELECT c.record, c.field, j.value FROM changes c, json_each(c.parents) j"
        " WHERE c.seq > ?)",
        [before],
    )
    ex(
        "INSERT OR IGNORE INTO heads(record, field, change)"
        " SELECT c.record, c.field, c.id FROM changes c WHERE c.seq > ? AND NOT EXISTS"
        " (SELECT 1 FROM superseded s WHERE s.record = c.record AND s.field = c.field"
        "  AND s.change = c.id)",
        [before],
    )

    # 2. The fields touched, and their provisional winners: the same on every replica.
    if before == 0:
        # Into an empty log (a laptop's first import): every field touched is new, and its heads
        # are the changes of this batch no other supersedes. One pass over the new rows counts
        # them and takes the value as it lies (the one head's, for nearly every field).
        ex(
            "INSERT INTO temp.winners(record, field, kind, value, heads)"
            " SELECT c.record, c.field, c.kind, c.value, 1 FROM changes c WHERE c.seq > ?"
            " AND NOT EXISTS (SELECT 1 FROM superseded s WHERE s.record = c.record"
            "  AND s.field = c.field AND s.change = c.id)"
            " ON CONFLICT(record, field) DO UPDATE SET heads = heads + 1",
            [before],
        )
        ex("UPDATE temp.winners SET heads = 0 WHERE heads = 1")
        ex(
            "INSERT INTO temp.touched(record, field, kind)"
            " SELECT record, field, kind FROM temp.winners"
        )
    else:
        ex(
            "INSERT OR IGNORE INTO temp.touched(record, field, kind)"
            " SELECT record, field, kind FROM changes WHERE seq > ?",
            [before],
        )
        # Count each touched field's heads (walking the heads index in order, without the log);
        # most have one, a change of this batch, whose value is read from the new rows as they
        # lie. Only fields with several heads (or an older head) are looked up and ordered.
        ex(
            "INSERT INTO temp.winners(record, field, kind, value, heads)"
            " SELECT t.record, t.field, t.kind, NULL, count(*) FROM temp.touched t"
            " CROSS JOIN heads h ON h.record = t.record AND h.field = t.field"
            " GROUP BY t.record, t.field"
        )
        ex(
            "UPDATE temp.winners SET value = c.value, heads = 0 FROM changes c"
            " WHERE c.seq > ? AND winners.heads = 1 AND winners.field = c.field"
            " AND winners.record = c.record AND EXISTS (SELECT 1 FROM heads h"
            "   WHERE h.record = c.record AND h.field = c.field AND h.change = c.id)",
            [before],
        )
    ex(
        "UPDATE temp.winners SET value ="
        " (SELECT c.value FROM heads h JOIN changes c ON c.id = h.change"
        "   WHERE h.record = winners.record AND h.field = winners.field"
        "   ORDER BY c.hlc DESC, c.device DESC, c.id DESC LIMIT 1) WHERE heads != 0"
    )
    ex(
        "INSERT OR IGNORE INTO temp.touched_records(record, kind)"
        " SELECT record, kind FROM temp.touched"
    )

    # 3. Materialise into records and the kind tables.
    ex("INSERT OR IGNORE INTO records(id, kind) SELECT record, kind FROM temp.touched_records")
    ex(
        "UPDATE records SET deleted = coalesce(w.value ->> '$', 0) FROM temp.winners w"
        " WHERE w.field = 'deleted' AND w.record = records.id"
    )
    # Each kind's fields touched, read in one pass over the touched fields (not one per kind).
    touched_fields: dict[str, list[str]] = {}
    for kind_name, name in ex("SELECT DISTINCT kind, field FROM temp.touched").fetchall():
        touched_fields.setdefault(kind_name, []).append(name)
    dynamic: list[tuple[str, str]] = []
    for kind_name, fields in touched_fields.items():
        kind = kinds[kind_name]
        table = f'"{kind.name}"'
        ex(
            f"INSERT OR IGNORE INTO {table}(id)"
            " SELECT record FROM temp.touched_records WHERE kind = ?",
            [kind_name],
        )
        for name in fields:
            spec = kind.spec(name)
            if spec is None:
                dynamic.append((kind_name, name))
                continue
            value = "coalesce(w.value ->> '$', 0)" if name == DELETED else "w.value ->> '$'"
            ex(
                f'UPDATE {table} SET "{name}" = {value} FROM temp.winners w'
                f" WHERE w.field = ? AND w.kind = ? AND w.record = {table}.id",
                [name, kind_name],
            )

    if dynamic:
        # Fields without a column (a form's grid cells: thousands of names) in one statement,
        # not one each.
        # Columns in the key's order: SQLite 3.40's quick_check misreads a WITHOUT ROWID table
        # whose key lists its columns in another order (it reports NULLs that are not there).
        ex(
            "CREATE TEMP TABLE IF NOT EXISTS dynamic_fields (field TEXT NOT NULL,"
            " kind TEXT NOT NULL, PRIMARY KEY (field, kind)) WITHOUT ROWID"
        )
        ex("DELETE FROM temp.dynamic_fields")
        db.conn.executemany("INSERT INTO temp.dynamic_fields(kind, field) VALUES (?, ?)", dynamic)
        ex(
            "INSERT OR REPLACE INTO dynamic_values(record, field, value)"
            " SELECT w.record, w.field, w.value ->> '$' FROM temp.dynamic_fields d"
            " CROSS JOIN temp.winners w ON w.field = d.field AND w.kind = d.kind"
        )

    _blank_purged(db, kinds)
    _reindex(db)

    # 4. Conflicts: concurrent distinct values of one field, and edits a delete did not see.
    ex("DELETE FROM conflicts WHERE (record, field) IN (SELECT record, field FROM temp.touched)")
    ex(
        "INSERT OR IGNORE INTO conflicts(record, field)"
        " SELECT w.record, w.field FROM temp.winners w"
        " WHERE w.heads > 1 AND (SELECT count(DISTINCT coalesce(c.value, c.id)) FROM heads h"
        "        JOIN changes c ON c.id = h.change"
        "        WHERE h.record = w.record AND h.field = w.field) > 1"
    )
    ex(
        "INSERT OR IGNORE INTO conflicts(record, field)"
        " SELECT DISTINCT h.record, 'deleted' FROM temp.touched_records tr"
        " CROSS JOIN records r ON r.id = tr.record AND r.deleted = 1"
        " CROSS JOIN heads h ON h.record = tr.record AND h.field != 'deleted'"
        " WHERE NOT EXISTS (SELECT 1 FROM heads dh JOIN changes dc ON dc.id = dh.change,"
        "   json_each(dc.seen) j WHERE dh.record = h.record AND dh.field = 'deleted'"
        "   AND j.value = h.change)"
    )
    _orphans(db, kinds, set(touched_fields))
    # A purged record's blanked values are not a disagreement anyone can settle.
    ex(
        "DELETE FROM conflicts WHERE record IN (SELECT tr.record FROM temp.touched_records tr"
        " CROSS JOIN records r ON r.id = tr.record AND r.purged = 1)"
    )
    raised = ex(
        "SELECT count(*) FROM conflicts c WHERE NOT EXISTS (SELECT 1 FROM temp.conflicts_before b"
        " WHERE b.record = c.record AND b.field = c.field)"
    ).fetchone()[0]
    return ApplyResult(new=new, known=offered - new, conflicts=int(raised))


def raised_at(db: sqlite_utils.Database, before: int) -> list[int]:
    """For each conflict the last ``integrate`` raised, the position of the newest change after
    ``before`` on its field (or, for a delete conflict an orphan raised, on its record; past
    every position when none, so the last bundle counts it): which of several bundles
    integrated together raised it."""
    ex = db.conn.execute
    ex(
        "CREATE TEMP TABLE IF NOT EXISTS raised (record TEXT NOT NULL, field TEXT NOT NULL,"
        " seq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (record, field)) WITHOUT ROWID"
    )
    ex("DELETE FROM temp.raised")
    ex(
        "INSERT INTO temp.raised(record, field) SELECT c.record, c.field FROM conflicts c"
        " WHERE NOT EXISTS (SELECT 1 FROM temp.conflicts_before b"
        " WHERE b.record = c.record AND b.field = c.field)"
    )
    # One pass over the new rows (the conflicts are few; the rows may be many).
    ex(
        "UPDATE temp.raised SET seq = m.seq FROM (SELECT r.record, r.field, max(c.seq) AS seq"
        " FROM changes c JOIN temp.raised r ON r.record = c.record AND r.field = c.field"
        " WHERE c.seq > ? GROUP BY r.record, r.field) m"
        " WHERE m.record = raised.record AND m.field = raised.field",
        [before],
    )
    ex(
        "UPDATE temp.raised SET seq = m.seq FROM (SELECT c.record, max(c.seq) AS seq"
        " FROM changes c WHERE c.seq > ? AND c.record IN"
        " (SELECT record FROM temp.raised WHERE seq = 0) GROUP BY c.record) m"
        " WHERE raised.seq = 0 AND m.record = raised.record",
        [before],
    )
    return [int(r[0]) if r[0] else 1 << 62 for r in ex("SELECT seq FROM temp.raised")]


def owner_links(kinds: Mapping[str, Kind]) -> list[tuple[str, str]]:
    """(kind, field): the reference fields by which a record belongs to another (its owner)."""
    links = []
    for kind in kinds.values():
        for name in kind.owned_by:
            spec = kind.spec(name)
            if spec is not None and spec.type.value == "ref":
                links.append((kind.name, name))
    return links


def _orphans(db: sqlite_utils.Database, kinds: Mapping[str, Kind], touched: set[str]) -> None:
    """A record alive under an owner another laptop deleted at the same time (a note added to a
    review deleted elsewhere) is a delete conflict on the record: keep it deleted, or restore
    its owner. Checked for the records this batch touched (of the kinds in ``touched``) and for
    those their owners own; only the kinds found are looked at (an autosave touches one or two
    of the 37 links, and each link is two statements)."""
    ex = db.conn.execute
    ex("CREATE TEMP TABLE IF NOT EXISTS orphan_check (record TEXT PRIMARY KEY) WITHOUT ROWID")
    ex("DELETE FROM temp.orphan_check")
    links = owner_links(kinds)
    checked = set()
    for kind, name in links:
        found = ex(
            f'INSERT OR IGNORE INTO temp.orphan_check SELECT t.id FROM "{kind}" t'
            f' WHERE t."{name}" IN (SELECT record FROM temp.touched_records)'
        ).rowcount
        if found > 0:
            checked.add(kind)
        if kind in touched:
            checked.add(kind)
            ex(
                "INSERT OR IGNORE INTO temp.orphan_check"
                " SELECT record FROM temp.touched_records WHERE kind = ?",
                [kind],
            )
    if not checked:
        return
    # Settled (owner restored, or the record deleted): flags that only an orphan raised go.
    ex(
        "DELETE FROM conflicts WHERE field = 'deleted'"
        " AND record IN (SELECT record FROM temp.orphan_check)"
        " AND record IN (SELECT id FROM records WHERE deleted = 0)"
        " AND (SELECT count(DISTINCT coalesce(c.value, c.id)) FROM heads h"
        "      JOIN changes c ON c.id = h.change"
        "      WHERE h.record = conflicts.record AND h.field = 'deleted') <= 1"
    )
    for kind, name in links:
        if kind not in checked:
            continue
        ex(
            "INSERT OR IGNORE INTO conflicts(record, field)"
            f" SELECT t.id, 'deleted' FROM temp.orphan_check oc"
            f' CROSS JOIN "{kind}" t ON t.id = oc.record'
            f' CROSS JOIN records o ON o.id = t."{name}" AND o.deleted = 1'
            " WHERE t.deleted = 0"
        )


def _blank_purged(db: sqlite_utils.Database, kinds: Mapping[str, Kind]) -> None:
    """Blank every value of purged records touched by this batch: log, kind tables, form answers.

    The log keeps each change's id, parents and value hash (so ids still verify); the value is gone.
    Changes that arrive later for a purged record (a concurrent edit) are blanked as they arrive.
    """
    ex = db.conn.execute
    ex(
        "UPDATE records SET purged = 1 FROM temp.winners w"
        " WHERE w.field = 'purged' AND w.value = 'true' AND w.record = records.id"
    )
    purged = ex(
        "SELECT tr.record, tr.kind FROM temp.touched_records tr"
        " CROSS JOIN records r ON r.id = tr.record AND r.purged = 1"
    ).fetchall()
    for record, kind_name in purged:
        kind = kinds[kind_name]
        rows = ex(
            "SELECT seq, field, value FROM changes WHERE record = ? AND value IS NOT NULL", [record]
        ).fetchall()
        blanked = [
            (hashlib.sha256(value.encode()).hexdigest(), seq)
            for seq, field, value in rows
            if purgeable(kind, field)
        ]
        db.conn.executemany(
            "UPDATE changes SET value = NULL, purged_hash = ? WHERE seq = ?", blanked
        )
        cols = [f.name for f in kind.fields if purgeable(kind, f.name)]
        sets = ", ".join(f'"{c}" = NULL' for c in cols)
        ex(f'UPDATE "{kind.name}" SET {sets} WHERE id = ?', [record])
        ex("DELETE FROM dynamic_values WHERE record = ?", [record])
        ex("DELETE FROM local_fields WHERE record = ?", [record])
        ex(
            "UPDATE temp.winners SET value = NULL"
            " WHERE record = ? AND field NOT IN ('deleted', 'purged')"
            " AND field NOT IN (SELECT value FROM json_each(?))",
            [record, orjson.dumps([f for f in kind.by_name if not purgeable(kind, f)]).decode()],
        )


def _reindex(db: sqlite_utils.Database) -> None:
    """Keep the full-text index in step: touched text fields, and records deleted or restored."""
    ex = db.conn.execute
    ex(
        "CREATE TEMP TABLE IF NOT EXISTS reindex (record TEXT NOT NULL, field TEXT NOT NULL,"
        " kind TEXT NOT NULL, value TEXT, PRIMARY KEY (record, field)) WITHOUT ROWID"
    )
    ex("DELETE FROM temp.reindex")
    # Records whose deleted flag changed lose (or regain) every field's entry.
    ex("CREATE TEMP TABLE IF NOT EXISTS flipped (record TEXT PRIMARY KEY, kind TEXT) WITHOUT ROWID")
    ex("DELETE FROM temp.flipped")
    ex("INSERT INTO temp.flipped SELECT record, kind FROM temp.touched WHERE field = 'deleted'")
    ex("CREATE TEMP TABLE IF NOT EXISTS stale_docs (docid INTEGER PRIMARY KEY)")
    ex("DELETE FROM temp.stale_docs")
    ex(
        "INSERT OR IGNORE INTO temp.stale_docs SELECT m.docid FROM temp.flipped f"
        " CROSS JOIN search_map m ON m.record = f.record"
    )
    ex(
        "INSERT OR IGNORE INTO temp.stale_docs SELECT m.docid FROM temp.touched t"
        " CROSS JOIN search_map m ON m.record = t.record AND m.field = t.field"
    )
    ex("DELETE FROM search WHERE rowid IN (SELECT docid FROM temp.stale_docs)")
    ex("DELETE FROM search_map WHERE docid IN (SELECT docid FROM temp.stale_docs)")
    ex(
        "INSERT OR IGNORE INTO temp.reindex(record, field, kind, value)"
        " SELECT w.record, w.field, w.kind, w.value FROM temp.winners w"
        " JOIN records r ON r.id = w.record AND r.deleted = 0"
        " WHERE w.field != 'deleted' AND substr(w.value, 1, 1) = '\"'"
    )
    ex(
        "INSERT OR IGNORE INTO temp.reindex(record, field, kind, value)"
        " SELECT h.record, h.field, f.kind,"
        " (SELECT c.value FROM heads h2 JOIN changes c ON c.id = h2.change"
        "   WHERE h2.record = h.record AND h2.field = h.field"
        "   ORDER BY c.hlc DESC, c.device DESC, c.id DESC LIMIT 1)"
        " FROM temp.flipped f CROSS JOIN records r ON r.id = f.record AND r.deleted = 0"
        " CROSS JOIN heads h ON h.record = f.record"
        " WHERE h.field != 'deleted' GROUP BY h.record, h.field"
    )
    ex(
        "DELETE FROM temp.reindex WHERE (kind, field) IN (SELECT kind, field FROM search_skip)"
        " OR value IS NULL OR json_type(value) != 'text' OR value = '\"\"'"
    )
    ex("INSERT INTO search_map(record, field) SELECT record, field FROM temp.reindex")
    ex(
        "INSERT INTO search(rowid, text, record, kind, field)"
        " SELECT m.docid, r.value ->> '$', r.record, r.kind, r.field FROM temp.reindex r"
        " JOIN search_map m ON m.record = r.record AND m.field = r.field"
    )


def _check_kinds(db: sqlite_utils.Database, before: int) -> None:
    """A record keeps the kind it was created with, on every laptop."""
    ex = db.conn.execute
    bad = ex(
        "SELECT c.record FROM changes c JOIN records r ON r.id = c.record"
        " WHERE c.seq > ? AND r.kind != c.kind LIMIT 1",
        [before],
    ).fetchone()
    if bad is None:
        bad = ex(
            "SELECT record FROM changes WHERE seq > ? GROUP BY record"
            " HAVING count(DISTINCT kind) > 1 LIMIT 1",
            [before],
        ).fetchone()
    if bad is not None:
        raise ValidationError(f"Record {bad[0]} is given two different kinds.")


def apply(
    db: sqlite_utils.Database, kinds: Mapping[str, Kind], changes: Sequence[Change]
) -> ApplyResult:
    """Append and integrate ``changes`` (inside the caller's transaction)."""
    offered, before = append(db, changes)
    return integrate(db, kinds, before, offered)


# ============================================================ a first import into an empty log

#: Rows per executemany of the bulk path (a statement's rows in key order: appended B-tree pages).
_BULK = 50_000


def integrate_new_log(
    db: sqlite_utils.Database,
    kinds: Mapping[str, Kind],
    rows: Sequence[tuple[Any, ...]],
    offered: int,
) -> ApplyResult | None:
    """``integrate`` for the first bundle into an empty database, from its rows in memory.

    The same heads, winners, kind tables, search index and conflicts as ``integrate`` computes
    (a test compares the two databases), but built in one pass over the rows already in memory
    and written in key order, instead of by statements joining the log with temporary tables.
    ``rows`` are the rows just appended (``changes.checked_row``), in the log's order.

    Returns None, having written nothing, when the database is not empty or the rows are not
    all new (the caller then runs ``integrate``); so also for purges, which are rare enough to
    take the general path.
    """
    ex = db.conn.execute
    if not rows or len(rows) != offered:
        return None
    if int(ex("SELECT count(*) FROM changes").fetchone()[0]) != len(rows):
        return None  # the log was not empty, or the bundle held a change twice
    if ex(
        "SELECT EXISTS (SELECT 1 FROM records) OR EXISTS (SELECT 1 FROM heads)"
        " OR EXISTS (SELECT 1 FROM superseded) OR EXISTS (SELECT 1 FROM conflicts)"
        " OR EXISTS (SELECT 1 FROM dynamic_values) OR EXISTS (SELECT 1 FROM search_map)"
    ).fetchone()[0]:
        return None

    # One pass: each record's kind, and what each change supersedes (its field's parents).
    kind_of: dict[str, str] = {}
    superseded: set[tuple[str, str, str]] = set()
    for r in rows:
        if r[10] is not None or r[3] == PURGED:
            return None
        if kind_of.setdefault(r[1], r[2]) != r[2]:
            raise ValidationError(f"Record {r[1]} is given two different kinds.")
        if r[5] != "[]":
            for parent in orjson.loads(r[5]):
                superseded.add((r[1], r[3], parent))
    if not all(k in kinds for k in set(kind_of.values())):
        return None

    # Heads: the changes no change of the same field supersedes. Winner: the newest head (by
    # clock stamp, then device, then id: the order ``integrate`` and the dump use). Each
    # record's fields, with the winning row of each (its value is the row's [4]).
    fields_of: dict[str, dict[str, tuple[Any, ...]]] = {}
    several: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for r in rows:
        if superseded and (r[1], r[3], r[0]) in superseded:
            continue
        fields = fields_of.get(r[1])
        if fields is None:
            fields = fields_of[r[1]] = {}
        best = fields.get(r[3])
        if best is None:
            fields[r[3]] = r
            continue
        key = (r[1], r[3])
        several.setdefault(key, [best]).append(r)
        if (r[7], r[8], r[0]) > (best[7], best[8], best[0]):
            fields[r[3]] = r

    many = db.conn.executemany
    for chunk in _chunks(sorted(superseded), _BULK):
        many("INSERT INTO superseded(record, field, change) VALUES (?, ?, ?)", chunk)
    # In key order, sorted by SQLite: appended pages rather than a page split at every row.
    ex(
        "INSERT INTO heads(record, field, change) SELECT c.record, c.field, c.id FROM changes c"
        " WHERE NOT EXISTS (SELECT 1 FROM superseded s WHERE s.record = c.record"
        " AND s.field = c.field AND s.change = c.id) ORDER BY 1, 2, 3"
    )

    # Records, and each kind's table: one row a record with the winners' values, converted by
    # SQLite exactly as ``integrate`` converts them (``value ->> '$'``).
    records = sorted(kind_of.items())
    for chunk in _chunks(
        (
            (record, kind, deleted[4] if (deleted := fields_of[record].get(DELETED)) else None)
            for record, kind in records
        ),
        _BULK,
    ):
        many("INSERT INTO records(id, kind, deleted) VALUES (?, ?, coalesce(? ->> '$', 0))", chunk)
    dead = {r for (r,) in ex("SELECT id FROM records WHERE NOT deleted = 0")}
    by_kind: dict[str, list[str]] = {}
    for record, kind in records:
        by_kind.setdefault(kind, []).append(record)
    dynamic: list[tuple[str, str, str]] = []
    for kind_name, ids in by_kind.items():
        _bulk_kind_table(db, kinds[kind_name], ids, fields_of, dynamic)
    dynamic.sort()
    for chunk in _chunks(dynamic, _BULK):
        many("INSERT INTO dynamic_values(record, field, value) VALUES (?, ?, ? ->> '$')", chunk)
    del dynamic

    # The search index: every winning text of a live record, as ``_reindex`` picks them, given
    # docids in (record, field) order as ``_reindex`` gives them.
    skip = {(k, f) for k, f in ex("SELECT kind, field FROM search_skip")}
    mapped: list[tuple[int, str, str]] = []
    texts: list[tuple[int, str, str, str, str]] = []
    for record, kind in records:
        if record in dead:
            continue
        fields = fields_of[record]
        for field in sorted(fields):
            value = fields[field][4]
            if (
                value[:1] == '"'
                and value != '""'
                and field != DELETED
                and (kind, field) not in skip
            ):
                docid = len(mapped) + 1
                mapped.append((docid, record, field))
                texts.append((docid, value, record, kind, field))
    for chunk in _chunks(mapped, _BULK):
        many("INSERT INTO search_map(docid, record, field) VALUES (?, ?, ?)", chunk)
    del mapped
    for chunk in _chunks(texts, _BULK):
        many(
            "INSERT INTO search(rowid, text, record, kind, field) VALUES (?, ? ->> '$', ?, ?, ?)",
            chunk,
        )
    del texts

    # Conflicts: concurrent distinct values of one field; edits a delete did not see; records
    # alive under an owner deleted (every record is new, so every owner link is checked).
    conflicts: set[tuple[str, str]] = {
        key for key, rs in several.items() if len({r[4] for r in rs}) > 1
    }
    if dead:
        seen_by: dict[str, set[str]] = {}
        others: dict[str, list[str]] = {}
        for record in dead:
            seen_by[record] = set()
            others[record] = []
        for r in rows:
            record = r[1]
            if record not in dead or (superseded and (record, r[3], r[0]) in superseded):
                continue
            if r[3] == DELETED:
                if r[6] is not None:
                    seen_by[record].update(orjson.loads(r[6]))
            else:
                others[record].append(r[0])
        for record in dead:
            if any(cid not in seen_by[record] for cid in others[record]):
                conflicts.add((record, DELETED))
    many("INSERT INTO conflicts(record, field) VALUES (?, ?)", sorted(conflicts))
    for kind_name, name in owner_links(kinds):
        if kind_name in by_kind:
            ex(
                "INSERT OR IGNORE INTO conflicts(record, field)"
                f" SELECT t.id, 'deleted' FROM \"{kind_name}\" t"
                f' CROSS JOIN records o ON o.id = t."{name}" AND o.deleted = 1'
                " WHERE t.deleted = 0"
            )
    raised = int(ex("SELECT count(*) FROM conflicts").fetchone()[0])
    return ApplyResult(new=len(rows), known=offered - len(rows), conflicts=raised)


def _bulk_kind_table(
    db: sqlite_utils.Database,
    kind: Kind,
    ids: list[str],
    fields_of: Mapping[str, Mapping[str, tuple[Any, ...]]],
    dynamic: list[tuple[str, str, str]],
) -> None:
    """Insert a kind's new records into its table (``ids`` sorted), their declared fields'
    winning values in its columns and the others in ``dynamic``. A column a record's changes
    do not touch keeps its default, as ``integrate``'s updates leave it."""
    table = f'"{kind.name}"'
    defaults = {
        row[1]
        for row in db.conn.execute(f"PRAGMA table_info({table})")
        if row[4] is not None and row[1] != DELETED
    }
    declared_names = kind.by_name
    declared: set[str] = set()
    groups: dict[tuple[str, ...], list[tuple[str, Mapping[str, str]]]] = {}
    for record in ids:
        fields = {name: r[4] for name, r in fields_of[record].items()}
        for name, value in fields.items():
            if name in declared_names:
                declared.add(name)
            else:
                dynamic.append((record, name, value))
        shape = tuple(sorted(c for c in fields if c in defaults)) if defaults else ()
        groups.setdefault(shape, []).append((record, fields))
    for shape, members in groups.items():
        cols = [c for c in sorted(declared) if c not in defaults or c in shape]
        names = ", ".join(["id", *(f'"{c}"' for c in cols)])
        marks = ", ".join(
            ["?", *("coalesce(? ->> '$', 0)" if c == DELETED else "? ->> '$'" for c in cols)]
        )
        sql = f"INSERT INTO {table}({names}) VALUES ({marks})"
        for chunk in _chunks(
            ((record, *(fields.get(c) for c in cols)) for record, fields in members), _BULK
        ):
            db.conn.executemany(sql, chunk)
