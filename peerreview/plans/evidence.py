"""Evidence linked to a progress update or an impact review: records the school already has.

A progress update's evidence is a list of record ids (its ``evidence`` field, so the links travel in
bundles with the update and merge as one field): a review's evidence notes, a lesson study's
observation notes, an indicator, a photo or document. Which kinds may be linked is the kinds' own
say (``Kind.evidence``); they are found through each kind's school field, so a school's evidence
is what belongs to it, however deep. Each is named as the registry describes it, never by an id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peerreview.errors import RecordNotFound, ValidationError
from peerreview.sync.kinds import Kind
from peerreview.sync.records import Record
from peerreview.sync.store import Store

#: The kinds of record that keep a list of evidence linked to them.
LINKING_KINDS = ("progress_update", "impact_review")


@dataclass(frozen=True)
class Evidence:
    """One record offered or linked as evidence, as a person reads it."""

    id: str
    kind: str
    what: str  # "Evidence note", "Indicator", "Attachment"
    title: str
    context: str

    def matches(self, words: str) -> bool:
        """True when every word typed appears in its title, context or kind (any case)."""
        text = f"{self.title} {self.context} {self.what}".casefold()
        return all(w in text for w in words.casefold().split())


def evidence_kinds(store: Store) -> list[Kind]:
    """The kinds whose records may be linked as evidence, in the registry's order."""
    return [k for k in store.registry.kinds.values() if k.evidence]


def _ids_of_school(store: Store, kind: Kind, school: str, memo: dict[str, list[str]]) -> list[str]:
    """The ids of the school's records of ``kind``, following its school field up to the school."""
    if kind.name in memo:
        return memo[kind.name]
    memo[kind.name] = []  # a kind's chain never loops; this guards a badly declared one
    school_kind = store.registry.school_kind().name
    field = kind.school_field
    spec = kind.spec(field) if field and field != "id" else None
    found: list[str] = []
    if spec is not None and spec.ref_kind == school_kind:
        found = [r[0] for r in store.rows(kind.name, ["id"], where={field: school})]
    elif spec is not None and spec.ref_kind is not None and spec.ref_kind in store.registry.kinds:
        parent = store.registry.kind(spec.ref_kind)
        parents = _ids_of_school(store, parent, school, memo)
        if parents:
            found = [r[0] for r in store.rows(kind.name, ["id"], where={field: tuple(parents)})]
    memo[kind.name] = found
    return found


def _owner_field(kind: Kind) -> str | None:
    """For a kind that may belong to a record of any kind (an attachment): the field naming it."""
    field = kind.school_field
    spec = kind.spec(field) if field and field != "id" else None
    return field if spec is not None and spec.ref_kind is None else None


def candidates(store: Store, school: str, *, hide_names: bool = False) -> list[Evidence]:
    """Every record of the school that may be linked as evidence, kind by kind."""
    memo: dict[str, list[str]] = {}
    ids: list[str] = []
    for kind in evidence_kinds(store):
        owner = _owner_field(kind)
        if owner is None:
            ids += _ids_of_school(store, kind, school, memo)
            continue
        # Files belong to any record: those of the school's records (its reviews' notes, updates)
        owners: list[str] = []
        for other in store.registry.kinds.values():
            if other.name != kind.name and _owner_field(other) is None:
                owners += _ids_of_school(store, other, school, memo)
        owners.append(school)
        for start in range(0, len(owners), 900):  # SQLite's limit on one query's values
            chunk = tuple(owners[start : start + 900])
            ids += [r[0] for r in store.rows(kind.name, ["id"], where={owner: chunk})]
    return [describe(store, store.get(i), hide_names=hide_names) for i in ids]


def describe(store: Store, record: Record, *, hide_names: bool = False) -> Evidence:
    """The record as the registry names it; a file takes its context from the record it is of."""
    registry = store.registry
    d = registry.describe(store, record, hide_names=hide_names)
    context = d.context
    owner = _owner_field(registry.kind(record.kind))
    of = record.get(owner) if owner else None
    if not context and isinstance(of, str) and store.exists(of):
        context = registry.describe(store, store.get(of), hide_names=hide_names).title
    what = registry.label(record.kind).capitalize()
    return Evidence(record.id, record.kind, what, d.list_label, context)


def search(items: Iterable[Evidence], words: str) -> list[Evidence]:
    return [e for e in items if e.matches(words)]


def _require_linking(store: Store, record_id: str) -> Record:
    if not store.exists(record_id):
        raise RecordNotFound(f"There is no record with id {record_id}.")
    rec = store.get(record_id)
    if rec.kind not in LINKING_KINDS:
        raise ValidationError(
            f"Evidence is linked to a progress update or an impact review, not to a "
            f"{store.registry.label(rec.kind)}."
        )
    return rec


def linked_ids(store: Store, record_id: str) -> list[str]:
    value = store.get(record_id).get("evidence")
    return [str(v) for v in value] if isinstance(value, list) else []


def linked(store: Store, record_id: str, *, hide_names: bool = False) -> list[Evidence]:
    """The evidence a progress update or impact review links (less records since deleted)."""
    out = []
    for rid in linked_ids(store, record_id):
        if store.exists(rid) and not (rec := store.get(rid)).deleted:
            out.append(describe(store, rec, hide_names=hide_names))
    return out


def link(store: Store, record_id: str, evidence: Sequence[str]) -> list[str]:
    """Link records as evidence of a progress update or impact review (kept once, in order).

    Raises:
        RecordNotFound: no such record.
        ValidationError: the record keeps no evidence, or one of ``evidence`` cannot be evidence.
    """
    _require_linking(store, record_id)
    kinds = {k.name for k in evidence_kinds(store)}
    for rid in evidence:
        if not store.exists(rid):
            raise RecordNotFound(f"There is no record with id {rid} to link as evidence.")
        kind = store.get(rid).kind
        if kind not in kinds:
            raise ValidationError(
                f"A {store.registry.label(kind)} cannot be linked as evidence: link a note, a "
                "photo or document, or an indicator."
            )
    now = linked_ids(store, record_id)
    new = now + [r for r in dict.fromkeys(evidence) if r not in now]
    if new != now:
        store.update(record_id, {"evidence": new})
    return new


def unlink(store: Store, record_id: str, evidence: str) -> list[str]:
    """Take one record off the evidence of a progress update or impact review."""
    _require_linking(store, record_id)
    now = linked_ids(store, record_id)
    new = [r for r in now if r != evidence]
    if new != now:
        store.update(record_id, {"evidence": new or None})
    return new
