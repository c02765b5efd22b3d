"""Modules the window will soon need, imported on a thread of their own while it waits.

Importing a module on the window's thread stalls it for the whole import: PySide6's import hook
reads every new module's source, and a checkout that may not write bytecode compiles it too
(importing the form editor took 46 ms of a 69 ms stall when the partnership's page was built
after a long import). On another thread the same import takes turns with the window's thread
(Python switches every few milliseconds), so the window keeps painting. A later import on the
window's thread finds the module loaded, or waits for the import under way.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from collections.abc import Iterable

log = logging.getLogger(__name__)


def preload(names: Iterable[str]) -> threading.Thread | None:
    """Import ``names`` (those not yet imported) on a thread; the thread, or None if none was
    needed. A module that fails to import is logged here and fails again where it is used."""
    missing = [name for name in names if name not in sys.modules]
    if not missing:
        return None
    thread = threading.Thread(
        target=_import, args=(missing,), name="peerreview-preload", daemon=True
    )
    thread.start()
    return thread


def _import(names: list[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - reported again by the import where it is needed
            log.exception("preloading %s failed", name)
