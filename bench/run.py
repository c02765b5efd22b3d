"""Benchmarks of the core on the regional demo, each a ratio to a floor measured in the same run.

    python bench/run.py            # full
    python bench/run.py --quick    # under a minute
    python bench/run.py --quick --repeat 3   # the tenth, best of three (about two minutes)

(a) import throughput of a bundle of all changes into an empty database, against the floor of the
    work any correct import must do (issue 13): SHA-256 over the bundle's changes once, and
    executemany of the same rows into a table with an integer key and a unique index on the change
    id, committed durably, with the import's page cache (goal: at least 0.5 of the floor's rate);
    the old floor (a bare table, no index, no hashing) is printed beside it;
(b) opening the regional database and listing all schools in a fresh process, against starting
    Python and opening the same file with sqlite3.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, best_of, machine, regional_db


def bench_import(folder: Path, repeat: int, share: int) -> dict[str, float]:
    """Import a bundle of all changes (or, with share > 1, of every share-th school's)."""
    from peerreview.sync.bundle import export_bundle, import_bundle
    from peerreview.sync.store import Store

    source = Store.open(regional_db(folder))
    bundle = folder / "all.prbundle"
    urns = None
    if share > 1:
        urns = [r[0] for r in source.db.execute("SELECT urn FROM school ORDER BY urn")][::share]
    result = export_bundle(source, bundle, school_urns=urns, full=True, plain=True)
    n = result.changes
    import zipfile

    with zipfile.ZipFile(bundle) as zf:
        changes_bytes = zf.read("changes.jsonl")
    rows = [
        tuple(r)
        for r in source.db.execute(
            "SELECT id, record, kind, field, value, parents, seen, hlc, device, author FROM changes"
            " LIMIT ?",
            [n],
        )
    ]
    source.close()

    counter = iter(range(10**6))

    from peerreview.sync.enrolment import enrol

    enrollers = Store.open(regional_db(folder))

    def ours() -> None:
        target = Store.init(folder / f"import-{next(counter)}.db", device_name="Target")
        enrol(enrollers, target)  # the demo's partnership may predate derived ids: enrol outright
        import_bundle(target, bundle)
        target.close()

    def required() -> None:
        import hashlib

        hashlib.sha256(changes_bytes).hexdigest()
        path = folder / f"required-{next(counter)}.db"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA cache_size = -65536")  # the import's page cache
        conn.execute(
            "CREATE TABLE t (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record, kind,"
            " field, value, parents, seen, hlc, device, author)"
        )
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO t (id, record, kind, field, value, parents, seen, hlc, device, author)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute("COMMIT")
        conn.close()

    def floor() -> None:
        path = folder / f"floor-{next(counter)}.db"
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(
            "CREATE TABLE t (id, record, kind, field, value, parents, seen, hlc, device, author)"
        )
        with conn:
            conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.close()

    t_ours = best_of(ours, repeat)
    t_floor = best_of(floor, repeat)
    t_required = best_of(required, repeat)
    t_changeset = _changeset_apply(folder, rows, repeat)
    enrollers.close()
    return {
        "changeset_s": t_changeset,
        "ratio_changeset": t_changeset / t_ours if t_changeset else 0.0,
        "changeset_vs_required": t_required / t_changeset if t_changeset else 0.0,
        "changes": n,
        "ours_s": t_ours,
        "ours_per_s": n / t_ours,
        "floor_per_s": n / t_floor,
        "ratio": (n / t_ours) / (n / t_floor),
        "required_s": t_required,
        "required_per_s": n / t_required,
        "ratio_required": t_required / t_ours,
    }


_TABLE = (
    "CREATE TABLE t (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record, kind, field,"
    " value, parents, seen, hlc, device, author)"
)


def _changeset_apply(folder: Path, rows: list[tuple[object, ...]], repeat: int) -> float:
    """What a SQLite user would reach for: the session extension (through apsw) applying a
    changeset of the same rows into an empty database, durably, with the import's page cache.
    It checks nothing and keeps no heads, conflicts or search index. 0 when apsw is missing
    (``pip install -e '.[bench]'``)."""
    try:
        import apsw
    except ImportError:
        return 0.0
    source = apsw.Connection(str(folder / "changeset-source.db"))
    source.execute(_TABLE)
    session = apsw.Session(source, "main")
    session.attach("t")
    with source:
        source.executemany(
            "INSERT INTO t (id, record, kind, field, value, parents, seen, hlc, device, author)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    changeset = session.changeset()
    session.close()
    source.close()
    counter = iter(range(10**6))

    def apply() -> None:
        conn = apsw.Connection(str(folder / f"changeset-{next(counter)}.db"))
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute(_TABLE)
        with conn:
            apsw.Changeset.apply(changeset, conn)
        n = conn.execute("SELECT count(*) FROM t").fetchall()[0][0]
        assert n == len(rows), n
        conn.close()

    return best_of(apply, repeat)


def bench_open(folder: Path, repeat: int) -> dict[str, float]:
    db = regional_db(folder)
    ours = (
        "import sys; from peerreview.sync.store import Store; s = Store.open(sys.argv[1]);"
        " n = len(s.list('school')); assert n >= 600, n"
    )
    floor = (
        "import sys, sqlite3; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT 1').fetchone()"
    )

    def run(code: str) -> None:
        subprocess.run([sys.executable, "-c", code, str(db)], check=True, cwd=ROOT)

    t_ours = best_of(lambda: run(ours), repeat)
    t_floor = best_of(lambda: run(floor), repeat)
    return {"ours_s": t_ours, "floor_s": t_floor, "ratio": t_ours / t_floor}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (under a minute)")
    parser.add_argument("--repeat", type=int, help="runs of each, the best kept (--quick: 1)")
    args = parser.parse_args()
    # --quick: one run of each, importing a tenth of the partnership (every tenth school's records).
    repeat, share = (1, 10) if args.quick else (3, 1)
    repeat = args.repeat or repeat
    print(f"{time.strftime('%Y-%m-%d')} on {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        a = bench_import(folder, repeat, share)
        tenth = " (a tenth of the schools)" if share > 1 else ""
        print(
            f"(a) import {a['changes']:,.0f} changes{tenth}: {a['ours_s']:.1f} s,"
            f" {a['ours_per_s']:,.0f}/s; floor of the required work (hash + unique index,"
            f" durable) {a['required_s']:.1f} s, {a['required_per_s']:,.0f}/s;"
            f" ratio {a['ratio_required']:.2f} (goal >= 0.5)"
        )
        print(f"    old floor, a bare table: {a['floor_per_s']:,.0f}/s; ratio {a['ratio']:.2f}")
        if a["changeset_s"]:
            print(
                f"    beside it, SQLite's session extension (apsw) applying a changeset of the"
                f" same rows: {a['changeset_s']:.1f} s; ours runs at {a['ratio_changeset']:.2f}"
                f" of it; it runs at {a['changeset_vs_required']:.2f} of the floor"
            )
        else:
            print("    (apsw is not installed: the changeset apply was not measured)")
        b = bench_open(folder, repeat)
        print(
            f"(b) open regional db and list schools: {b['ours_s'] * 1000:.0f} ms;"
            f" floor python+sqlite3 {b['floor_s'] * 1000:.0f} ms; ratio {b['ratio']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
