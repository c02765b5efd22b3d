"""The canonical JSON of a database's shared state: equal for replicas that saw the same changes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from peerreview.errors import StoreError
from peerreview.sync.storage.integrity import file_sound
from peerreview.sync.storage.snapshot import iter_dump as _iter_dump
from peerreview.sync.store import Store


def iter_dump(store: Store) -> Iterator[bytes]:
    """Yield the dump in pieces (it can be large): every record, field and conflict, keys sorted.

    Device-local data (this laptop's identity, import ledger, backups, export marks) is left out.
    """
    return _iter_dump(store.db, store.partnership_id)


def dump(store: Store, out: IO[bytes], *, verify: bool = False) -> None:
    """Write the canonical dump to a binary stream.

    Args:
        verify: first check that every page of the file reads soundly (a dump is compared with
            other laptops': one of a damaged file would mislead), raising StoreError if not.
    """
    if verify and not file_sound(store.db):
        raise StoreError(
            f"{store.path.name} is damaged, so its dump would not be its true state. Restore the "
            "newest copy from its backups folder, or import your partnership's latest bundle into "
            "a new database."
        )
    for piece in iter_dump(store):
        out.write(piece)


def dump_bytes(store: Store) -> bytes:
    return b"".join(iter_dump(store))
