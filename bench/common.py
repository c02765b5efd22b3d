"""Shared helpers for benchmarks: timing, machine description, the regional demo database."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # (a job's process is given its parent's path, which may put the
    sys.path.insert(0, str(ROOT))  # app as installed first: see ui_bench.run_as_installed)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def loadavg() -> str:
    """The machine's load average over 1, 5 and 15 minutes, said beside every number."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by a noisy machine)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


CACHE = ROOT / "bench" / ".cache"


def regional_db(folder: Path | None = None) -> Path:
    """The regional demo database every benchmark runs on.

    Building it takes a couple of minutes, so it is kept in bench/.cache (ignored by git), keyed by
    the schema version and a hash of the demo's code; delete the folder to force a rebuild.
    """
    import hashlib
    import shutil

    from peerreview import demo
    from peerreview.sync.migrations import SCHEMA_VERSION
    from peerreview.sync.store import Store

    # Every feature's demo code (peerreview/<feature>/demo*.py), so a change to any rebuilds it.
    sources = [Path(demo.__file__), *sorted((ROOT / "peerreview").glob("*/demo*.py"))]
    code = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:12]
    cached = CACHE / f"regional-v{SCHEMA_VERSION}-{code}.db"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        building = cached.with_suffix(".building")
        for stale in CACHE.glob(building.name + "*"):
            stale.unlink()
        print(f"building the regional demo in {cached} (once; a few minutes)...", flush=True)
        store = Store.init(building, device_name="Benchmark laptop")
        build_demo = demo.build_demo
        build_demo(store, "regional", seed=1)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        building.rename(cached)
    if folder is None:
        return cached
    target = folder / "regional.db"
    if not target.exists():
        shutil.copyfile(cached, target)
    return target
