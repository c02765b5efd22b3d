"""Record identity: UUIDv7 ids minted where a record is created, so two laptops never share one."""

from __future__ import annotations

import re

_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def new_id() -> str:
    """Return a new UUIDv7 as lowercase text (time-ordered, random in its low bits)."""
    import uuid6  # imported on first use: it costs start-up time the app does not need to pay

    return str(uuid6.uuid7())


def is_uuid(value: object) -> bool:
    """True when ``value`` is a UUID in canonical lowercase text form."""
    return isinstance(value, str) and _UUID_RE.match(value) is not None


def derived_id(*parts: str) -> str:
    """A UUID (version 8) derived from ``parts``, the same on every laptop for the same parts.

    Used for records that must be one per something (the agreed judgement of one area of one
    review), so that two laptops creating it concurrently edit the same record, and their edits meet
    as an ordinary field conflict instead of two rival records.
    """
    import hashlib
    import uuid

    digest = bytearray(hashlib.sha256("\x1f".join(parts).encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x80  # version 8
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    return str(uuid.UUID(bytes=bytes(digest)))
