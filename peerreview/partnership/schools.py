"""Schools from the DfE register: upsert GIAS establishment rows into the store by URN."""

from __future__ import annotations

import os
from dataclasses import dataclass

from peerreview.partnership.gias import GIAS_FIELDS, read_gias
from peerreview.partnership.kinds import school_id
from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.sync.records import Record
from peerreview.sync.store import Edit, Store

SCHOOL_FORM = ("school", 1)


def school_by_urn(store: Store, urn: int) -> Record | None:
    """The school with this URN (the one not deleted, if two were made before URNs gave ids)."""
    found = store.list("school", where={"urn": urn}, include_deleted=True, order_by="id")
    found.sort(key=lambda r: (r.deleted, r.id))
    return found[0] if found else None


@dataclass(frozen=True)
class SchoolImportReport:
    read: int
    added: int
    updated: int
    unchanged: int
    closed: int
    skipped_other_la: int

    def summary(self) -> str:
        return (
            f"{self.added} schools added, {self.updated} updated, {self.unchanged} unchanged "
            f"({self.closed} closed;"
            f" {self.skipped_other_la} rows from other local authorities skipped)."
        )


def import_schools(
    store: Store,
    source: str | os.PathLike[str] | bytes,
    *,
    la: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> SchoolImportReport:
    """Read a GIAS CSV completely, then add or update its schools in one transaction.

    Running it again updates, never duplicates: schools are matched by URN. Closed schools are kept,
    marked closed.
    """
    result = read_gias(source, la=la, progress=progress, cancelled=cancelled)
    check_cancelled(cancelled)
    # By URN; where two records share one (made before ids came from URNs), the one not deleted.
    existing = {
        int(r.values["urn"]): r.id
        for r in sorted(
            store.list("school", include_deleted=True, order_by="id"),
            key=lambda r: (r.deleted, r.id),
            reverse=True,
        )
        if r.values.get("urn") is not None
    }
    added = updated = unchanged = closed = 0
    edits: list[Edit] = []
    for school in result.schools:
        values = school.fields()
        closed += bool(school.closed)
        rid = existing.get(school.urn)
        if rid is None:
            rid = school_id(school.urn)
            edits += [Edit(rid, "school", k, v) for k, v in values.items()]
            edits += [
                Edit(rid, "school", "form_id", SCHOOL_FORM[0]),
                Edit(rid, "school", "form_version", SCHOOL_FORM[1]),
            ]
            added += 1
            continue
        current = store.get(rid)
        changed = [
            Edit(rid, "school", k, v) for k, v in values.items() if current.values.get(k) != v
        ]
        # What the register no longer holds is cleared, not kept from an older download.
        changed += [
            Edit(rid, "school", k, None)
            for k in GIAS_FIELDS
            if k not in values and current.values.get(k) not in (None, "")
        ]
        if current.deleted:
            changed.append(Edit(rid, "school", "deleted", False))
        if changed:
            edits += changed
            updated += 1
        else:
            unchanged += 1
    with store.transaction():
        store.write(edits)
    return SchoolImportReport(
        read=result.rows_read,
        added=added,
        updated=updated,
        unchanged=unchanged,
        closed=closed,
        skipped_other_la=result.skipped_other_la,
    )
