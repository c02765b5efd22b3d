"""The integrity checks' queries: the log verifies and each derived table agrees with it."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Mapping

import orjson
import sqlite_utils

from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.sync.changes import change_id, value_hash
from peerreview.sync.kinds import Kind


def run_checks(
    db: sqlite_utils.Database,
    kinds: Mapping[str, Kind],
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> list[str]:
    """Run every check; returns the problems found (empty when all hold)."""
    ex = db.conn.execute
    problems: list[str] = []
    steps = 7

    def step(n: int) -> None:
        check_cancelled(cancelled)
        if progress:
            progress(n, steps)

    def count(sql: str, params: tuple[str, ...] = ()) -> int:
        return int(ex(sql, params).fetchone()[0])

    def found(n: int, problem: str) -> None:
        """``problem`` (its number as ``{n}``) is one of the problems, unless ``n`` is 0."""
        if n:
            problems.append(problem.replace("{n}", str(n)))

    try:
        result = ex("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return [f"SQLite integrity check failed: {exc}"]
    if result != [("ok",)]:
        # A damaged file: the checks below would read garbage (or fail half-way), so stop here.
        return [f"SQLite integrity: {r[0]}" for r in result[:10]]
    found(len(ex("PRAGMA foreign_key_check").fetchall()), "{n} rows break a foreign key")
    step(1)

    # Every change's id is the hash of its content.
    bad = 0
    for row in ex(
        "SELECT id, record, kind, field, value, parents, seen, hlc, device, author, purged_hash"
        " FROM changes"
    ):
        cid, record, kind, field, value, parents, seen, hlc, device, author, purged = row
        vh = purged if purged is not None else value_hash(orjson.loads(value))
        p = tuple(orjson.loads(parents))
        s = tuple(orjson.loads(seen)) if seen else ()
        if change_id(record, kind, field, vh, p, s, hlc, device, author) != cid:
            bad += 1
    found(bad, "{n} changes do not match their ids (the log has been altered)")
    step(2)

    # Heads are exactly the changes no other change of the same field lists as a parent.
    ex("DROP TABLE IF EXISTS temp.check_heads")
    ex("DROP TABLE IF EXISTS temp.check_edges")
    ex(
        "CREATE TEMP TABLE check_edges AS SELECT d.record, d.field, j.value AS parent"
        " FROM changes d, json_each(d.parents) j"
    )
    ex("CREATE INDEX temp.check_edges_i ON check_edges(parent, record, field)")
    ex(
        "CREATE TEMP TABLE check_heads AS SELECT c.record, c.field, c.id AS change FROM changes c"
        " WHERE NOT EXISTS (SELECT 1 FROM temp.check_edges e"
        "  WHERE e.parent = c.id AND e.record = c.record AND e.field = c.field)"
    )
    diff = _differ(
        ex,
        "SELECT record, field, change FROM temp.check_heads",
        "SELECT record, field, change FROM heads",
    )
    found(diff, "{n} field heads disagree with the log")
    step(3)

    # Each record has one kind, and the records table agrees.
    multi = count(
        "SELECT count(*) FROM"
        " (SELECT record FROM changes GROUP BY record HAVING count(DISTINCT kind) > 1)"
    )
    found(multi, "{n} records are given more than one kind")
    missing = count(
        "SELECT count(*) FROM (SELECT DISTINCT record, kind FROM changes"
        " EXCEPT SELECT id, kind FROM records)"
    )
    found(missing, "{n} records in the log are missing from the records table")
    step(4)

    # Materialised values are the provisional winners.
    ex("DROP TABLE IF EXISTS temp.check_winners")
    ex(
        "CREATE TEMP TABLE check_winners AS SELECT record, field, value FROM ("
        " SELECT h.record, h.field, c.value, row_number() OVER (PARTITION BY h.record, h.field"
        "   ORDER BY c.hlc DESC, c.device DESC, c.id DESC) AS rn"
        " FROM heads h JOIN changes c ON c.id = h.change) WHERE rn = 1"
    )
    ex("CREATE INDEX temp.check_winners_i ON check_winners(field, record)")
    for kind in kinds.values():
        for spec in kind.fields:
            col = f'"{spec.name}"'
            default = "0" if spec.name == "deleted" else "NULL"
            stale = count(
                f'SELECT count(*) FROM "{kind.name}" t LEFT JOIN temp.check_winners w'
                f" ON w.record = t.id AND w.field = ?"
                f" WHERE t.{col} IS NOT coalesce(w.value ->> '$', {default})",
                (spec.name,),
            )
            found(stale, "{n} " + f"{kind.label} records show a stale {spec.name}")
    dyn = count(
        "SELECT count(*) FROM dynamic_values d LEFT JOIN temp.check_winners w"
        " ON w.record = d.record AND w.field = d.field WHERE d.value IS NOT (w.value ->> '$')"
    )
    found(dyn, "{n} form answers are stale")
    step(5)

    # Conflicts: fields with distinct concurrent values, and deleted records with unseen edits.
    ex("DROP TABLE IF EXISTS temp.check_conflicts")
    ex(
        "CREATE TEMP TABLE check_conflicts AS SELECT h.record, h.field FROM heads h"
        " JOIN changes c ON c.id = h.change GROUP BY h.record, h.field"
        " HAVING count(DISTINCT coalesce(c.value, c.id)) > 1"
        " UNION SELECT DISTINCT h.record, 'deleted' FROM heads h JOIN records r"
        " ON r.id = h.record AND r.deleted = 1 WHERE h.field != 'deleted' AND NOT EXISTS"
        " (SELECT 1 FROM heads dh JOIN changes dc ON dc.id = dh.change, json_each(dc.seen) j"
        "  WHERE dh.record = h.record AND dh.field = 'deleted' AND j.value = h.change)"
    )
    from peerreview.sync.changelog import owner_links

    for kind, name in owner_links(kinds):
        # Records alive under a deleted owner (created there concurrently with the delete).
        ex(
            "INSERT INTO temp.check_conflicts SELECT t.id, 'deleted'"
            f' FROM "{kind}" t JOIN records o ON o.id = t."{name}" AND o.deleted = 1'
            " WHERE t.deleted = 0 AND NOT EXISTS (SELECT 1 FROM temp.check_conflicts x"
            "  WHERE x.record = t.id AND x.field = 'deleted')"
        )
    ex("DELETE FROM temp.check_conflicts WHERE record IN (SELECT id FROM records WHERE purged = 1)")
    cdiff = _differ(
        ex, "SELECT record, field FROM temp.check_conflicts", "SELECT record, field FROM conflicts"
    )
    found(cdiff, "{n} conflict flags disagree with the log")
    step(6)

    # Attachments are whole.
    for sha, size, data in ex("SELECT sha256, size, data FROM blobs"):
        if hashlib.sha256(data).hexdigest() != sha or len(data) != size:
            problems.append(f"attachment {sha[:12]} is damaged")
    orphans = count(
        "SELECT count(*) FROM attachment a WHERE a.deleted = 0 AND a.sha256 IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = a.sha256)"
    )
    found(orphans, "{n} attachments have no file")
    if count("SELECT count(*) FROM device") != 1:
        problems.append("the database does not have exactly one device identity")
    for t in ("check_edges", "check_heads", "check_winners", "check_conflicts"):
        ex(f"DROP TABLE IF EXISTS temp.{t}")
    step(7)
    return problems


def _differ(ex: Callable[..., sqlite3.Cursor], a: str, b: str) -> int:
    """How many rows are in one query's result but not the other's (both ways)."""
    one = ex(f"SELECT count(*) FROM ({a} EXCEPT {b})").fetchone()[0]
    two = ex(f"SELECT count(*) FROM ({b} EXCEPT {a})").fetchone()[0]
    return int(one) + int(two)
