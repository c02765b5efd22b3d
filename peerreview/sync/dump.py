"""The canonical JSON of a database's shared state: equal for replicas that saw the same changes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from peerreview.sync.storage.snapshot import iter_dump as _iter_dump
from peerreview.sync.store import Store


def iter_dump(store: Store) -> Iterator[bytes]:
    """Yield the dump in pieces (it can be large): every record, field and conflict, keys sorted.

    Device-local data (this laptop's identity, import ledger, backups, export marks) is left out.
    """
    return _iter_dump(store.db, store.partnership_id)


def dump(store: Store, out: IO[bytes]) -> None:
    """Write the canonical dump to a binary stream."""
    for piece in iter_dump(store):
        out.write(piece)


def dump_bytes(store: Store) -> bytes:
    return b"".join(iter_dump(store))
