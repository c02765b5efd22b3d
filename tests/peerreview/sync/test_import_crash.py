"""Killing an import at any moment leaves the database as before or as after: nothing between.

Each trial copies a prepared database, starts ``peerreview import`` on it in a child process,
SIGKILLs the child after a delay spread over the import's duration, then opens the database: every
check must pass and its dump must equal either the dump before the import or that of a reference
database that finished it.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from peerreview.demo import build_demo
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.check import check
from peerreview.sync.dump import dump_bytes
from peerreview.sync.ids import new_id
from peerreview.sync.store import Edit, Store

pytestmark = pytest.mark.slow

EXTRA_PEOPLE = 5000  # ~20,000 more changes: an import long enough for a kill to land inside it
TRIALS = 24


@dataclass
class Prepared:
    folder: Path
    target: Path  # the database to import into (closed, no WAL beside it)
    bundle: Path
    before: bytes  # its dump before the import
    after: bytes  # the dump of a copy that finished the import in-process
    imports_before: int
    full_seconds: float  # wall time of a whole `peerreview import` child process


def _run_import(db: Path, bundle: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "peerreview.cli", "import", "--db", str(db), str(bundle)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    folder = tmp_path_factory.mktemp("crash")
    src = Store.init(folder / "source.db", device_name="Coordinator", partnership_name="Coventry")
    build_demo(src, "small")
    early = folder / "early.prbundle"
    export_bundle(
        src, early, full=True, plain=True
    )  # the target has seen the demo already; the big bundle repeats it
    school_ids = [s.id for s in src.list("school")]
    edits = []
    for i in range(EXTRA_PEOPLE):
        rid = new_id()
        edits += [
            Edit(rid, "person", "name", f"Teacher {i}"),
            Edit(rid, "person", "role", "Class teacher"),
            Edit(rid, "person", "email", f"teacher{i}@example.sch.uk"),
            Edit(rid, "person", "school", school_ids[i % len(school_ids)]),
        ]
    with src.transaction():
        src.write(edits)
    # Some edits the target will meet concurrently (conflicts are part of what the import writes).
    school = school_ids[0]
    src.set(school, "notes", "Coordinator's note")
    bundle = folder / "big.prbundle"
    export_bundle(src, bundle, full=True, plain=True)
    src.close()

    target = folder / "target.db"
    t = Store.init(target, device_name="School laptop", partnership_id=None)
    import_bundle(t, early)
    t.create("school", {"name": "Target's own school", "urn": 999001})
    t.set(school, "notes", "School laptop's note")
    before = dump_bytes(t)
    imports_before = t.db.execute("SELECT count(*) FROM imports").fetchone()[0]
    t.close()
    assert not Path(f"{target}-wal").exists()

    ref_dir = folder / "reference"
    ref_dir.mkdir()
    shutil.copy(target, ref_dir / "target.db")
    with Store.open(ref_dir / "target.db") as ref:
        report = import_bundle(ref, bundle)
        assert report.new == 4 * EXTRA_PEOPLE + 1 and report.conflicts == 1
        after = dump_bytes(ref)
        assert check(ref) == []
    assert after != before

    timing_dir = folder / "timing"
    timing_dir.mkdir()
    shutil.copy(target, timing_dir / "target.db")
    started = time.perf_counter()
    proc = _run_import(timing_dir / "target.db", bundle)
    _, err = proc.communicate(timeout=120)
    full = time.perf_counter() - started
    assert proc.returncode == 0, err.decode()
    with Store.open(timing_dir / "target.db") as done:
        assert dump_bytes(done) == after
    return Prepared(folder, target, bundle, before, after, imports_before, full)


def _trial(prepared: Prepared, k: int, delay: float) -> str:
    """Kill an import after ``delay`` seconds; returns which state the database was left in."""
    trial = prepared.folder / f"trial-{k}"
    trial.mkdir()
    db = trial / "target.db"
    shutil.copy(prepared.target, db)
    proc = _run_import(db, prepared.bundle)
    time.sleep(delay)
    proc.kill()  # SIGKILL: no cleanup, no finally blocks, no atexit
    proc.wait(timeout=30)
    with Store.open(db) as store:
        problems = check(store)
        assert problems == [], (k, delay, problems)
        dump = dump_bytes(store)
        ledger = store.db.execute("SELECT count(*) FROM imports").fetchone()[0]
    shutil.rmtree(trial)
    if dump == prepared.before:
        assert ledger == prepared.imports_before
        return "before"
    if dump == prepared.after:
        assert ledger == prepared.imports_before + 1
        return "after"
    pytest.fail(
        f"trial {k} (killed after {delay:.3f}s) left a state that is neither before nor after"
    )


def test_killed_import_is_all_or_nothing(prepared: Prepared) -> None:
    rng = random.Random(20240901)
    full = prepared.full_seconds
    # One delay in each of TRIALS equal slices of [0.05, 1.15] x the full run: most land mid-import,
    # the last few after the commit.
    delays = [full * (0.05 + 1.10 * (k + rng.random()) / TRIALS) for k in range(TRIALS)]
    rng.shuffle(delays)
    outcomes: dict[str, list[float]] = {"before": [], "after": []}
    for k, delay in enumerate(delays):
        outcomes[_trial(prepared, k, delay)].append(round(delay / full, 2))
    # On a loaded machine the children may run slower than the timed one: wait longer, a few times.
    extra = 0
    while not outcomes["after"] and extra < 4:
        delay = full * (1.5 + extra)
        outcomes[_trial(prepared, TRIALS + extra, delay)].append(round(delay / full, 2))
        extra += 1
    print(
        f"\nimport takes {full:.2f}s; {len(outcomes['before'])} trials landed before, "
        f"{len(outcomes['after'])} after; before at {sorted(outcomes['before'])}, "
        f"after at {sorted(outcomes['after'])}"
    )
    # Every trial was one of the two states (checked in _trial); kills spread over the run hit both.
    assert outcomes["before"], outcomes
    assert outcomes["after"], outcomes


_MARKED = """
import sys
from peerreview.sync import changelog
from peerreview import cli
_append = changelog.append_rows
def _marked(*args, **kwargs):
    print("in-transaction", flush=True)  # the write transaction is open: the kill lands inside it
    return _append(*args, **kwargs)
changelog.append_rows = _marked
sys.exit(cli.main(sys.argv[1:]))
"""


def test_killed_inside_the_write_transaction_rolls_back(prepared: Prepared) -> None:
    """Kills timed from the moment the child has begun writing, so they are known to land inside."""
    import select

    rng = random.Random(7)
    outcomes = []
    for k in range(8):
        trial = prepared.folder / f"inside-{k}"
        trial.mkdir()
        db = trial / "target.db"
        shutil.copy(prepared.target, db)
        proc = subprocess.Popen(
            [sys.executable, "-c", _MARKED, "import", "--db", str(db), str(prepared.bundle)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready and proc.stdout.readline().strip() == b"in-transaction"
        time.sleep(rng.random() * 0.05 * prepared.full_seconds)
        proc.kill()
        proc.wait(timeout=30)
        with Store.open(db) as store:
            assert check(store) == []
            dump = dump_bytes(store)
        assert dump in (prepared.before, prepared.after), k
        outcomes.append("before" if dump == prepared.before else "after")
        shutil.rmtree(trial)
    # Killed with the transaction open and not yet committed: the database is as it was.
    assert "before" in outcomes, outcomes
