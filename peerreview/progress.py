"""The progress and cancel callbacks every long core function accepts."""

from __future__ import annotations

from collections.abc import Callable

from peerreview.errors import Cancelled

#: progress(done, total): called now and then; total may be 0 when unknown.
Progress = Callable[[int, int], None]
#: cancelled(): True when the person has asked to stop.
CancelCheck = Callable[[], bool]


def check_cancelled(cancelled: CancelCheck | None) -> None:
    """Raise Cancelled when the person has asked to stop."""
    if cancelled is not None and cancelled():
        raise Cancelled()
