"""Modules the window will soon need, imported on a thread of their own while it waits.

Only the core's: see ``preload`` for why a module defining a Qt class never is.

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
    needed. A module that fails to import is logged here and fails again where it is used.

    Only modules of the core (``peerreview``, which never imports Qt): a module that defines a
    Qt class, imported on a thread, registers that class with shiboken while the window's thread
    looks classes up in the same table without Python's lock (Qt asks a Python object for its
    ``metaObject()`` from C++); on Python 3.11 that table is one unguarded ``unordered_map``,
    and a lookup during an insertion found no entry and crashed the window (a segfault in
    ``MetaObjectBuilder::update``, twice in the import benchmark). Import those on the window's
    thread (``Session.job_under_way``).
    """
    names = list(names)
    outside = [name for name in names if not is_core(name)]
    if outside:
        raise ValueError(f"only the core's modules may be imported on a thread: {outside}")
    missing = [name for name in names if name not in sys.modules]
    if not missing:
        return None
    thread = threading.Thread(
        target=_import, args=(missing,), name="peerreview-preload", daemon=True
    )
    thread.start()
    return thread


def is_core(name: str) -> bool:
    """Whether ``name`` is a module of the core, which defines no Qt class."""
    return name.split(".")[0] == "peerreview"


def _import(names: list[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - reported again by the import where it is needed
            log.exception("preloading %s failed", name)
