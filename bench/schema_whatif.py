"""Issue 13 (a): what the schema changes proposed for the import would save, measured.

The import's bulk integrate writes heads keyed by (record, field, 64-hex change id) text and a
full-text index that stores each text again, plus a map from its rows to (record, field). Both are
rebuilt here, on the regional demo's own rows and in one durable transaction each, as they are now
and as the proposal would have them: heads keyed by integers (the record's row number, a field
number, the change's log position) and a contentless FTS5 index whose rows are the changes' log
positions (no map: the change's row says its record and field). Beside them, in the same run, the
floor of (a) (SHA-256 over the changes and ``executemany`` of them into a table with an integer
key and a unique index on the change id, durable), so each is a share of that floor.

    .venv/bin/python bench/schema_whatif.py [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, regional_db  # noqa: E402

PRAGMAS = ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA cache_size = -65536")
TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def _timed(path: Path, schema: str, inserts: list[tuple[str, list[tuple[object, ...]]]]) -> float:
    conn = _connect(path)
    conn.executescript(schema)
    started = time.perf_counter()
    conn.execute("BEGIN")
    for sql, rows in inserts:
        conn.executemany(sql, rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0, help="only the first N changes")
    args = parser.parse_args()
    print(machine())
    source = sqlite3.connect(regional_db())
    limit = f" LIMIT {args.limit}" if args.limit else ""
    print("reading the regional demo's rows...", flush=True)
    changes = source.execute(
        "SELECT seq, id, record, kind, field, value, parents, seen, hlc, device, author"
        f" FROM changes ORDER BY seq{limit}"
    ).fetchall()
    seqs = {row[1]: row[0] for row in changes}
    record_no = dict(source.execute("SELECT id, rowid FROM records"))
    fields: dict[str, int] = {}
    heads_now = sorted(
        row for row in source.execute("SELECT record, field, change FROM heads") if row[2] in seqs
    )
    heads_int = sorted(
        (record_no[record], fields.setdefault(field, len(fields) + 1), seqs[change])
        for record, field, change in heads_now
    )
    head_of = {(record, field): seqs[change] for record, field, change in heads_now}
    search_now = [
        row
        for row in source.execute(
            "SELECT s.rowid, s.text, s.record, s.kind, s.field FROM search s"
            " JOIN search_map m ON m.docid = s.rowid ORDER BY s.rowid"
        )
        if (row[2], row[4]) in head_of
    ]
    search_map = [(docid, record, field) for docid, _t, record, _k, field in search_now]
    search_int = sorted(
        (head_of[(record, field)], text) for _d, text, record, _k, field in search_now
    )
    source.close()
    changes_bytes = b"\n".join(repr(row).encode() for row in changes)  # (as much to hash)
    print(
        f"{len(changes):,} changes, {len(heads_now):,} heads, {len(search_now):,} texts indexed",
        flush=True,
    )

    with tempfile.TemporaryDirectory(dir=Path(__file__).parent) as folder:
        work = Path(folder)

        floor_rows = [row[1:] for row in changes]
        started = time.perf_counter()
        hashlib.sha256(changes_bytes).hexdigest()
        floor = (time.perf_counter() - started) + _timed(
            work / "floor.db",
            "CREATE TABLE t (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record, kind,"
            " field, value, parents, seen, hlc, device, author)",
            [
                (
                    "INSERT INTO t (id, record, kind, field, value, parents, seen, hlc, device,"
                    " author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    floor_rows,
                )
            ],
        )
        del floor_rows
        heads_now_s = _timed(
            work / "heads-now.db",
            "CREATE TABLE heads (record TEXT NOT NULL, field TEXT NOT NULL, change TEXT NOT NULL,"
            " PRIMARY KEY (record, field, change)) WITHOUT ROWID",
            [("INSERT INTO heads VALUES (?, ?, ?)", heads_now)],
        )
        heads_int_s = _timed(
            work / "heads-int.db",
            "CREATE TABLE heads (record INTEGER NOT NULL, field INTEGER NOT NULL,"
            " change INTEGER NOT NULL, PRIMARY KEY (record, field, change)) WITHOUT ROWID",
            [("INSERT INTO heads VALUES (?, ?, ?)", heads_int)],
        )
        search_now_s = _timed(
            work / "search-now.db",
            "CREATE VIRTUAL TABLE search USING fts5(text, record UNINDEXED, kind UNINDEXED,"
            f" field UNINDEXED, {TOKENIZE});"
            "CREATE TABLE search_map (docid INTEGER PRIMARY KEY, record TEXT NOT NULL,"
            " field TEXT NOT NULL, UNIQUE (record, field))",
            [
                (
                    "INSERT INTO search (rowid, text, record, kind, field) VALUES (?, ?, ?, ?, ?)",
                    search_now,
                ),
                ("INSERT INTO search_map VALUES (?, ?, ?)", search_map),
            ],
        )
        search_int_s = _timed(
            work / "search-int.db",
            f"CREATE VIRTUAL TABLE search USING fts5(text, content='', {TOKENIZE})",
            [("INSERT INTO search (rowid, text) VALUES (?, ?)", search_int)],
        )

    print(f"floor of (a): {floor:.1f} s")
    for name, seconds in (
        ("heads, as now (record, field, 64-hex id: text)", heads_now_s),
        ("heads, proposed (record no., field no., log position)", heads_int_s),
        ("search index and map, as now", search_now_s),
        ("search index, proposed (contentless, rows = log positions, no map)", search_int_s),
    ):
        print(f"  {name}: {seconds:.1f} s, {seconds / floor:.2f} of the floor")
    now, proposed = heads_now_s + search_now_s, heads_int_s + search_int_s
    print(
        f"heads and search: {now:.1f} s now, {proposed:.1f} s proposed: saves {now - proposed:.1f}"
        f" s, {(now - proposed) / floor:.2f} of the floor"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
