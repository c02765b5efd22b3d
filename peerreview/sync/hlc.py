"""Hybrid logical clock: a 64-bit stamp (milliseconds << 16 | counter) that respects causality.

Clocks order changes for display and break ties; correctness never depends on a laptop's clock
being right.
"""

from __future__ import annotations

import time
from collections.abc import Callable

COUNTER_BITS = 16
_COUNTER_MASK = (1 << COUNTER_BITS) - 1


def pack(wall_ms: int, counter: int = 0) -> int:
    """Build a stamp from wall-clock milliseconds and a logical counter."""
    return (wall_ms << COUNTER_BITS) | (counter & _COUNTER_MASK)


def wall_ms(stamp: int) -> int:
    """The wall-clock part of a stamp, in milliseconds since the Unix epoch."""
    return stamp >> COUNTER_BITS


class HybridClock:
    """A clock that never goes backwards and moves past every stamp it has seen."""

    def __init__(self, last: int = 0, now_ms: Callable[[], int] | None = None) -> None:
        self.last = last
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)

    def tick(self) -> int:
        """A new stamp for a local change: later than every stamp seen so far."""
        physical = pack(self._now_ms())
        self.last = max(physical, self.last + 1)
        if self.last >= 1 << 62:
            raise OverflowError("the clock stamp is out of range")
        return self.last

    def observe(self, stamp: int) -> None:
        """Move past a stamp received from another device."""
        if stamp > self.last:  # stamps are bounded (changes.MAX_HLC) so ticking never overflows
            self.last = stamp
