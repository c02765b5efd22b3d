"""Field-level changes: the unit of the append-only log, content-addressed by SHA-256.

A change's id is the SHA-256 of its canonical header, which carries the SHA-256 of its value rather
than the value itself. That is what lets a data-protection purge remove a value from the log while
every id (and every parent link) still verifies.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import orjson

from peerreview.errors import ValidationError

#: The field a delete (tombstone) or a restore is written to.
DELETED = "deleted"
#: The field a data-protection purge is written to: every replica that applies it blanks the
#: record's values in its log, tables and search index (ids and links stay).
PURGED = "purged"

_SORT = orjson.OPT_SORT_KEYS

#: Longest text a single field may hold (a huge paste is refused, not truncated).
MAX_VALUE_BYTES = 1_000_000
MAX_AUTHOR_CHARS = 200
#: The longest field name a change may have: a grid's cell is named by its form, grid, row id and
#: column id (``lesson_study_research_plan.predictions.<uuid>.<uuid>``, 112 characters).
MAX_FIELD_CHARS = 255
#: Stamps from other laptops are accepted up to the start of the year 2200 (milliseconds << 16):
#: a clock moved past the latest of them still has centuries of room to tick, far below SQLite's
#: 64-bit limit, so one broken bundle cannot stop a laptop (or the partnership) syncing.
MAX_HLC = 7_258_118_400_000 << 16
#: A bundle is refused if it would move this laptop's clock within this many ticks of MAX_HLC, so
#: that the changes made here afterwards are still accepted everywhere.
HLC_HEADROOM = 1 << 40


def canonical(obj: Any) -> bytes:
    """The one byte encoding of a JSON value: UTF-8, sorted keys, no spaces."""
    return orjson.dumps(obj, option=_SORT)


def value_hash(value: Any) -> str:
    """SHA-256 (hex) of a value's canonical encoding."""
    return hashlib.sha256(canonical(value)).hexdigest()


def change_id(
    record: str,
    kind: str,
    field: str,
    value_sha256: str,
    parents: tuple[str, ...],
    seen: tuple[str, ...],
    hlc: int,
    device: str,
    author: str,
) -> str:
    """The id of a change: SHA-256 of its canonical header."""
    header = _header(
        record, kind, field, value_sha256, list(parents), list(seen), hlc, device, author
    )
    return hashlib.sha256(canonical(header)).hexdigest()


def _header(
    record: str,
    kind: str,
    field: str,
    value_sha256: str,
    parents: list[str],
    seen: list[str],
    hlc: int,
    device: str,
    author: str,
) -> dict[str, Any]:
    """What a change's id is the hash of (``seen`` appears only on deletes that saw something),
    its keys already in sorted order (``checked_row`` hashes it without sorting)."""
    header: dict[str, Any] = {
        "author": author,
        "device": device,
        "field": field,
        "hlc": hlc,
        "kind": kind,
        "parents": parents,
        "record": record,
    }
    if seen:
        header["seen"] = seen
    header["value_sha256"] = value_sha256
    return header


@dataclass(frozen=True, slots=True)
class Change:
    """One field of one record set to one value, with what its author had seen of that field."""

    id: str
    record: str
    kind: str
    field: str
    value: Any
    parents: tuple[str, ...]
    seen: tuple[str, ...]
    hlc: int
    device: str
    author: str
    purged: bool = False
    value_sha256: str | None = None

    @classmethod
    def make(
        cls,
        *,
        record: str,
        kind: str,
        field: str,
        value: Any,
        parents: tuple[str, ...] | list[str] = (),
        seen: tuple[str, ...] | list[str] = (),
        hlc: int,
        device: str,
        author: str,
    ) -> Change:
        """Build a new change and compute its id."""
        p = tuple(sorted(set(parents)))
        s = tuple(sorted(set(seen)))
        try:
            encoded = canonical(value)
        except orjson.JSONEncodeError:
            raise ValidationError(
                f"The {field.replace('_', ' ')} of this {kind} holds characters or numbers that "
                "cannot be saved. Retype it, or paste it as plain text."
            ) from None
        if len(encoded) > MAX_VALUE_BYTES:
            # Every laptop refuses a bigger value on import, so it must never enter the log here.
            raise ValidationError(
                f"The {field.replace('_', ' ')} of this {kind} is too large to save (over 1 MB). "
                "Shorten it or attach it as a document."
            )
        vh = hashlib.sha256(encoded).hexdigest()
        cid = change_id(record, kind, field, vh, p, s, hlc, device, author)
        return cls(cid, record, kind, field, value, p, s, hlc, device, author)

    def to_line(self) -> bytes:
        """The change as one canonical JSON line for a bundle (without trailing newline)."""
        body: dict[str, Any] = {
            "author": self.author,
            "device": self.device,
            "field": self.field,
            "hlc": self.hlc,
            "kind": self.kind,
            "parents": list(self.parents),
            "record": self.record,
        }
        if self.seen:
            body["seen"] = list(self.seen)
        if self.purged:
            body["purged"] = True
            body["value_sha256"] = self.value_sha256
        else:
            body["value"] = self.value
        return canonical(body)

    @classmethod
    def from_mapping(cls, body: dict[str, Any]) -> Change:
        """Check the shape of a decoded change and compute its id."""
        row = checked_row(body)
        return cls(
            row[0],
            row[1],
            row[2],
            row[3],
            None if row[4] is None else body["value"],
            tuple(body["parents"]),
            tuple(body.get("seen", ())),
            row[7],
            row[8],
            row[9],
            row[10] is not None,
            row[10],
        )


_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_IDS_RE = re.compile(r"(?:[0-9a-f]{64}(?:,[0-9a-f]{64})*)?")


_KEYS = frozenset(
    {
        "author",
        "device",
        "field",
        "hlc",
        "kind",
        "parents",
        "record",
        "value",
        "seen",
        "purged",
        "value_sha256",
    }
)


def _id_list(ids: Any, what: str) -> tuple[str, ...]:
    if type(ids) is not list:
        raise ValidationError(f"a change has bad {what} ids")
    if not ids:
        return ()
    if not all(type(i) is str for i in ids) or not _IDS_RE.fullmatch(",".join(ids)):
        raise ValidationError(f"a change has bad {what} ids")
    t = tuple(ids)
    if len(t) > 1 and list(t) != sorted(set(t)):
        raise ValidationError(f"a change's {what} ids are not sorted and unique")
    return t


def checked_row(body: dict[str, Any], uuids: set[str] | None = None) -> tuple[Any, ...]:
    """Check a decoded change and return its row for the log (see changelog.change_row), id first.

    This is the import hot path: it builds no objects beyond the row itself. ``uuids``: strings
    already found to be UUIDs (a bundle names each record and device many times), added to as
    more are found; the caller keeps it for one file.

    Raises:
        ValidationError: the change is malformed.
    """
    try:
        record = body["record"]
        kind = body["kind"]
        field = body["field"]
        parents = body["parents"]
        hlc = body["hlc"]
        device = body["device"]
        author = body["author"]
    except KeyError as exc:
        raise ValidationError(f"a change has no {exc.args[0]!r}") from None
    except TypeError:
        raise ValidationError("a change is not a JSON object") from None
    if len(body) > 10 or not _KEYS.issuperset(body):
        raise ValidationError("a change has unexpected keys")
    if uuids is None:
        uuids = set()
    if type(record) is not str or (record not in uuids and not _UUID_RE.fullmatch(record)):
        raise ValidationError("a change names a record id that is not a UUID")
    if type(device) is not str or (device not in uuids and not _UUID_RE.fullmatch(device)):
        raise ValidationError("a change names a device id that is not a UUID")
    if type(kind) is not str or type(field) is not str or not field or len(field) > MAX_FIELD_CHARS:
        raise ValidationError("a change has a bad kind or field name")
    if type(author) is not str or len(author) > MAX_AUTHOR_CHARS:
        raise ValidationError("a change has a bad author")
    if type(hlc) is not int or hlc < 0 or hlc >= MAX_HLC:
        raise ValidationError("a change has a bad clock stamp")
    _id_list(parents, "parent")
    seen: Any = body.get("seen")  # decoded JSON: checked by _id_list before it is used
    s: tuple[str, ...] = ()
    if seen is not None:
        s = _id_list(seen, "seen")
        if field != DELETED:
            raise ValidationError("only a delete may list what it has seen")
    if body.get("purged") is True:
        vh = body.get("value_sha256")
        if type(vh) is not str or not _IDS_RE.fullmatch(vh) or not vh or "value" in body:
            raise ValidationError("a purged change is malformed")
        value_text = None
        purged: str | None = vh
    else:
        if "value" not in body or "purged" in body or "value_sha256" in body:
            raise ValidationError("a change has no value")
        encoded = orjson.dumps(body["value"], option=_SORT)
        if len(encoded) > MAX_VALUE_BYTES:
            raise ValidationError("a change holds a value larger than 1 MB")
        vh = hashlib.sha256(encoded).hexdigest()
        value_text = encoded.decode()
        purged = None
    header = _header(record, kind, field, vh, parents, seen if s else [], hlc, device, author)
    cid = hashlib.sha256(orjson.dumps(header)).hexdigest()  # keys in order: no sorting needed
    uuids.add(record)
    uuids.add(device)
    return (
        cid,
        record,
        kind,
        field,
        value_text,
        orjson.dumps(parents).decode() if parents else "[]",
        orjson.dumps(seen).decode() if s else None,
        hlc,
        device,
        author,
        purged,
    )
