"""Field-level changes: the unit of the append-only log, content-addressed by SHA-256.

A change's id is the SHA-256 of its canonical header, which carries the SHA-256 of its value rather than
the value itself. That is what lets a data-protection purge remove a value from the log while every id
(and every parent link) still verifies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

from peerreview.errors import ValidationError
from peerreview.ids import is_change_id, is_uuid

#: The field a delete (tombstone) or a restore is written to.
DELETED = "deleted"

_SORT = orjson.OPT_SORT_KEYS

#: Longest text a single field may hold (a huge paste is refused, not truncated).
MAX_VALUE_BYTES = 1_000_000
MAX_AUTHOR_CHARS = 200


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
    header: dict[str, Any] = {
        "author": author,
        "device": device,
        "field": field,
        "hlc": hlc,
        "kind": kind,
        "parents": list(parents),
        "record": record,
        "value_sha256": value_sha256,
    }
    if seen:
        header["seen"] = list(seen)
    return hashlib.sha256(canonical(header)).hexdigest()


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
        cid = change_id(record, kind, field, value_hash(value), p, s, hlc, device, author)
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
    def from_line(cls, line: bytes) -> Change:
        """Parse and check one bundle line; the id is computed, never trusted.

        Raises:
            ValidationError: the line is not a well-formed change.
        """
        try:
            body = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise ValidationError(f"a change is not valid JSON ({exc.msg})") from None
        if not isinstance(body, dict):
            raise ValidationError("a change is not a JSON object")
        return cls.from_mapping(body)

    @classmethod
    def from_mapping(cls, body: dict[str, Any]) -> Change:
        """Check the shape of a decoded change and compute its id."""
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
        seen = body.get("seen", [])
        if len(body) > 10:
            raise ValidationError("a change has unexpected keys")
        if not is_uuid(record):
            raise ValidationError("a change names a record id that is not a UUID")
        if not is_uuid(device):
            raise ValidationError("a change names a device id that is not a UUID")
        if not isinstance(kind, str) or not isinstance(field, str) or not field or len(field) > 100:
            raise ValidationError("a change has a bad kind or field name")
        if not isinstance(author, str) or len(author) > MAX_AUTHOR_CHARS:
            raise ValidationError("a change has a bad author")
        if type(hlc) is not int or hlc < 0 or hlc >= 1 << 63:
            raise ValidationError("a change has a bad clock stamp")
        if not isinstance(parents, list) or not all(is_change_id(p) for p in parents):
            raise ValidationError("a change has bad parent ids")
        if not isinstance(seen, list) or not all(is_change_id(p) for p in seen):
            raise ValidationError("a change has bad seen ids")
        if seen and field != DELETED:
            raise ValidationError("only a delete may list what it has seen")
        p = tuple(parents)
        s = tuple(seen)
        if list(p) != sorted(set(p)) or list(s) != sorted(set(s)):
            raise ValidationError("a change's parent ids are not sorted and unique")
        if body.get("purged") is True:
            vh = body.get("value_sha256")
            if not is_change_id(vh) or "value" in body:
                raise ValidationError("a purged change is malformed")
            cid = change_id(record, kind, field, vh, p, s, hlc, device, author)
            return cls(cid, record, kind, field, None, p, s, hlc, device, author, True, vh)
        if "value" not in body or "purged" in body or "value_sha256" in body:
            raise ValidationError("a change has no value")
        value = body["value"]
        encoded = canonical(value)
        if len(encoded) > MAX_VALUE_BYTES:
            raise ValidationError("a change holds a value larger than 1 MB")
        vh = hashlib.sha256(encoded).hexdigest()
        cid = change_id(record, kind, field, vh, p, s, hlc, device, author)
        return cls(cid, record, kind, field, value, p, s, hlc, device, author)
