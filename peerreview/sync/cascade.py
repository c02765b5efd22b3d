"""What goes with a record when it is deleted, and comes back when it is restored.

A kind declares the reference fields by which its records are owned (``Kind.owned_by``): a school's
people, a review's evidence, an evidence note's photos. Deleting a record deletes what it owns,
transitively, in one transaction; the app's Delete, ``peerreview delete`` and scripts all come
here, so they delete exactly the same records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import orjson

from peerreview.sync.changes import DELETED
from peerreview.sync.records import Record
from peerreview.sync.store import Store

#: This laptop's note of what a delete took with it (device-local, never in a bundle).
_KEY = "deleted-with:"

#: Deletes made by one laptop this close together (clock ticks: milliseconds << 16) belong to one
#: delete of a record and what went with it.
_TOGETHER = 2000 << 16


class RecordRef(NamedTuple):
    """One record a delete or restore took: its id and kind.

    A named tuple rather than a frozen dataclass: callers unpack it (``for rid, kind in ...``)
    and compare it with ``(id, kind)``.
    """

    id: str
    kind: str


def owned_records(store: Store, record: Record, *, include_deleted: bool = False) -> list[Record]:
    """Records that belong to ``record`` and go with it when it is deleted, nearest first.

    A headteacher reference or a review's host school named by a team member does not count: only
    the fields each kind declares as its owners.
    """
    out: list[Record] = []
    seen = {record.id}
    queue = [record]
    while queue:
        current = queue.pop(0)
        for kind, name in store.registry.owners(current.kind):
            found = store.list(
                kind.name, where={name: current.id}, order_by="id", include_deleted=include_deleted
            )
            for rec in found:
                if rec.id not in seen:
                    seen.add(rec.id)
                    out.append(rec)
                    queue.append(rec)
    return out


def deleted_with(store: Store, record_id: str) -> list[RecordRef]:
    """The records a delete of ``record_id`` would take with it."""
    return [RecordRef(r.id, r.kind) for r in owned_records(store, store.get(record_id))]


def delete_record(store: Store, record_id: str) -> list[RecordRef]:
    """Delete a record and what belongs to it, in one transaction.

    Returns:
        (id, kind) of every record deleted, the chosen one first.
    """
    record = store.get(record_id)
    records = [RecordRef(record.id, record.kind), *deleted_with(store, record_id)]
    with store.transaction():
        for rid, _kind in reversed(records):
            store.delete(rid)
        # This laptop remembers what went with it, so a restore here brings back exactly that.
        note = [tuple(r) for r in records]  # orjson writes tuples, not named tuples
        store.set_local_value(_KEY + record_id, orjson.dumps(note).decode())
    return records


def restore_records(store: Store, records: Sequence[tuple[str, str]]) -> None:
    """Bring back records deleted together (the chosen one first), in one transaction."""
    with store.transaction():
        for rid, _kind in records:
            if store.get(rid).deleted:
                store.restore(rid)
        if records:
            store.set_local_value(_KEY + records[0][0], "null")


def restore_record(store: Store, record_id: str) -> list[RecordRef]:
    """Undo a delete: the record and what was deleted with it, in one transaction.

    What was deleted with it: on the laptop that deleted it, exactly what that delete took (it
    keeps a note); elsewhere, the records it owns deleted by the same laptop in the same moment
    as the record's own (within two seconds, with no pause of a second between them). A person
    deleted on their own beforehand stays deleted.

    Returns:
        (id, kind) of every record restored, the chosen one first.
    """
    record = store.get(record_id)
    if not record.deleted:
        return []
    remembered = store.local_value(_KEY + record_id)
    if remembered and remembered != "null":
        noted = [RecordRef(str(rid), str(kind)) for rid, kind in orjson.loads(remembered)]
        restore_records(store, noted)
        return noted
    mark = _delete_change(store, record_id)
    together = [RecordRef(record.id, record.kind)]
    candidates = []
    for rec in owned_records(store, record, include_deleted=True):
        if not rec.deleted:
            continue
        change = _delete_change(store, rec.id)
        if (
            mark is not None
            and change is not None
            and change[0] == mark[0]
            and 0 <= mark[1] - change[1] <= _TOGETHER
        ):
            candidates.append((change[1], rec))
    # The deletes of one cascade follow each other closely; a gap means an earlier delete.
    last = mark[1] if mark is not None else 0
    for stamp, rec in sorted(candidates, key=lambda c: -c[0]):
        if last - stamp > _TOGETHER // 2:
            break
        together.append(RecordRef(rec.id, rec.kind))
        last = stamp
    restore_records(store, together)
    return together


def _delete_change(store: Store, record_id: str) -> tuple[str, int] | None:
    """(device, clock stamp) of the newest change that deleted the record."""
    changes = [c for c in store.history(record_id, DELETED) if c.value is True]
    if not changes:
        return None
    newest = max(changes, key=lambda c: (c.hlc, c.id))
    return newest.device, newest.hlc
