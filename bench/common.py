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
sys.path.insert(0, str(ROOT))


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


def regional_db(folder: Path) -> Path:
    """Build (once per folder) the regional demo database every benchmark runs on."""
    from peerreview.demo import build_demo
    from peerreview.store import Store

    path = folder / "regional.db"
    if not path.exists():
        store = Store.init(path, device_name="Benchmark laptop")
        build_demo(store, "regional", seed=1)
        store.close()
    return path
