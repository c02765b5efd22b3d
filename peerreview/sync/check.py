"""Integrity and invariant checks of a database: the log verifies and each derived table agrees."""

from __future__ import annotations

from peerreview.progress import CancelCheck, Progress
from peerreview.sync.storage.integrity import run_checks
from peerreview.sync.store import Store


def check(
    store: Store, *, progress: Progress | None = None, cancelled: CancelCheck | None = None
) -> list[str]:
    """Run every check; returns the problems found (empty when all hold)."""
    return run_checks(store.db, store.registry.kinds, progress, cancelled)
