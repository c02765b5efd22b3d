"""A realistic demo partnership: each feature adds its part, through the ordinary write path.

``small`` is a town partnership of 12 schools; ``regional`` is the scale in DESIGN.md section 9
(600 schools in 60 groups, 3,000 people, five years of reviews), the size every benchmark runs on.
"""

from __future__ import annotations

import random

from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.sync.registry import DemoContext
from peerreview.sync.store import Store

SIZE_NAMES = ("small", "regional")


def build_demo(
    store: Store,
    size: str = "small",
    *,
    seed: int = 1,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> dict[str, int]:
    """Fill ``store`` with a demo partnership. Returns counts of what was made, by kind.

    Every feature of the store's registry adds its part, in registration order, drawing from one
    stream of random numbers. Building the same demo into the same database again adds nothing
    (so ``peerreview demo`` can be run twice); an empty dict says so.
    """
    marker = f"demo:{size}:{seed}"
    if store.local_value(marker):
        return {}
    builders = [f for f in store.registry.features if f.demo is not None]
    total = sum(f.demo_weight for f in builders) * 1000 or 1
    counts: dict[str, int] = {}
    rng = random.Random(seed)
    done = 0
    for feature in builders:

        def part(n: int, of: int, start: int = done, weight: int = feature.demo_weight) -> None:
            if progress:
                progress(start + int(weight * 1000 * n / (of or 1)), total)

        ctx = DemoContext(size, rng, part, cancelled)
        assert feature.demo is not None
        counts.update(feature.demo(store, ctx))
        done += feature.demo_weight * 1000
        check_cancelled(cancelled)
        if progress:
            progress(done, total)
    store.set_local_value(marker, "1")
    return counts
