"""Trust: which laptops belong to a partnership, their schools and roles, as signed statements.

The trust list is replicated data, like the change log, but it counts only where a coordinator
signed it. Its root is the **founder**: the laptop that created the partnership, whose public key
the partnership's id is derived from (so knowing the id is not enough to pose as its founder).
Statements, each signed:

- ``founder``: the founding laptop, by its own key;
- ``device``: a laptop enrolled (name, keys, role, schools), by a coordinator;
- ``revoke``: a laptop's changes stamped after ``cutoff`` are refused, by a coordinator;
- ``invitation``: a single-use invitation with an expiry, by a coordinator;
- ``claim``: a laptop taking up an invitation, by the new laptop's own key.

Every laptop replays the statements it holds in one order (their stamps, then ids), so laptops
that hold the same statements agree on who is trusted.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from peerreview.errors import ValidationError
from peerreview.sync.changes import canonical
from peerreview.sync.device import sign, verify
from peerreview.sync.ids import is_uuid

COORDINATOR = "coordinator"
MEMBER = "member"
ROLES = (COORDINATOR, MEMBER)
ROLE_LABELS = {COORDINATOR: "coordinator", MEMBER: "member"}

MAX_STATEMENT_BYTES = 64 * 1024
MAX_SCHOOLS = 1000

_TYPES = ("founder", "device", "revoke", "invitation", "claim")


def _key_bits(public_key: str) -> int:
    """74 bits of the SHA-256 of a founder's key: the random part of its partnership's id."""
    digest = hashlib.sha256(b"peerreview-partnership\x1f" + public_key.encode("ascii")).digest()
    return int.from_bytes(digest[:10], "big") >> 6


def partnership_id_for(public_key: str, now_ms: int | None = None) -> str:
    """The id of a partnership founded by the laptop with this Ed25519 key (base64): a UUIDv7
    whose random bits are the key's hash, so the id names its founder and cannot be claimed by
    another key (finding one would take some 2**74 tries)."""
    import time
    import uuid

    ms = (time.time_ns() // 1_000_000 if now_ms is None else now_ms) & ((1 << 48) - 1)
    bits = _key_bits(public_key)
    rand_a, rand_b = bits >> 62, bits & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))


def founded_by(partnership: str, public_key: str) -> bool:
    """True when ``partnership``'s id was made from this founder's key."""
    import uuid

    try:
        value = uuid.UUID(partnership).int
    except ValueError:
        return False
    rand_a, rand_b = (value >> 64) & 0xFFF, value & ((1 << 62) - 1)
    return (value >> 76) & 0xF == 7 and ((rand_a << 62) | rand_b) == _key_bits(public_key)


def _is_key(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 44:
        return False
    try:
        return len(base64.b64decode(value, validate=True)) == 32
    except ValueError:
        return False


def _is_age(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("age1") and 50 < len(value) < 100


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 200


def _is_stamp(value: Any) -> bool:
    return type(value) is int and 0 <= value < 1 << 62


def _schools(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= MAX_SCHOOLS
        and all(is_uuid(v) for v in value)
        and value == sorted(set(value))
    )


_SHAPES: dict[str, dict[str, Any]] = {
    "founder": {
        "partnership": is_uuid,
        "device": is_uuid,
        "name": _is_name,
        "public_key": _is_key,
        "age": _is_age,
        "at": _is_stamp,
    },
    "device": {
        "partnership": is_uuid,
        "device": is_uuid,
        "name": _is_name,
        "public_key": _is_key,
        "age": _is_age,
        "role": lambda v: v in ROLES,
        "schools": _schools,
        "by": is_uuid,
        "at": _is_stamp,
    },
    "revoke": {
        "partnership": is_uuid,
        "device": is_uuid,
        "cutoff": _is_stamp,
        "by": is_uuid,
        "at": _is_stamp,
    },
    "invitation": {
        "partnership": is_uuid,
        "id": is_uuid,
        "role": lambda v: v in ROLES,
        "schools": _schools,
        "expires": lambda v: isinstance(v, str) and _parse_time(v) is not None,
        "by": is_uuid,
        "at": _is_stamp,
    },
    "claim": {
        "partnership": is_uuid,
        "invitation": is_uuid,
        "device": is_uuid,
        "name": _is_name,
        "public_key": _is_key,
        "age": _is_age,
        "at": _is_stamp,
    },
}


def _parse_time(text: str) -> dt.datetime | None:
    try:
        when = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC)


def time_text(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: Signatures already checked in this process: (statement id, signature, key) -> valid.
_VERIFIED: dict[tuple[str, bytes, str], bool] = {}
#: Statements already parsed in this process (each import replays the whole list).
_PARSED: dict[tuple[bytes, bytes], Statement] = {}


@dataclass(frozen=True)
class Statement:
    """One signed trust statement: its canonical body, signature and decoded content."""

    id: str
    body: bytes
    signature: bytes
    data: Mapping[str, Any] = field(compare=False, repr=False)

    @property
    def type(self) -> str:
        return str(self.data["type"])

    @property
    def at(self) -> int:
        return int(self.data["at"])

    @classmethod
    def make(cls, data: Mapping[str, Any], private_key: bytes) -> Statement:
        """Sign a new statement (checked as any received one is)."""
        body = canonical(dict(data))
        return cls.parse(body, sign(private_key, body))

    @classmethod
    def parse(cls, body: bytes, signature: bytes) -> Statement:
        """Check a statement's shape (not yet who signed it).

        Raises:
            ValidationError: the statement is malformed.
        """
        key = (body, signature)
        found = _PARSED.get(key)
        if found is None:
            found = cls._parse(body, signature)
            if len(_PARSED) > 100_000:
                _PARSED.clear()
            _PARSED[key] = found
        return found

    @classmethod
    def _parse(cls, body: bytes, signature: bytes) -> Statement:
        if len(body) > MAX_STATEMENT_BYTES or len(signature) != 64:
            raise ValidationError("a trust statement is malformed")
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise ValidationError("a trust statement is not valid JSON") from None
        if not isinstance(data, dict) or data.get("type") not in _TYPES:
            raise ValidationError("a trust statement is malformed")
        shape = _SHAPES[data["type"]]
        if set(data) != {"type", *shape} or not all(ok(data[k]) for k, ok in shape.items()):
            raise ValidationError("a trust statement is malformed")
        if canonical(data) != body:
            raise ValidationError("a trust statement is not in canonical form")
        return cls(hashlib.sha256(body).hexdigest(), body, signature, data)

    def signed_by(self, public_key: str) -> bool:
        # Every import replays the trust list: a coordinator merging three hundred laptops'
        # bundles would check the same signatures hundreds of times over.
        key = (self.id, self.signature, public_key)
        known = _VERIFIED.get(key)
        if known is None:
            known = verify(public_key, self.signature, self.body)
            if len(_VERIFIED) > 100_000:
                _VERIFIED.clear()
            _VERIFIED[key] = known
        return known

    def to_line(self) -> bytes:
        """The statement as one line of a bundle's ``trust.jsonl``."""
        return canonical(
            {
                "body": base64.b64encode(self.body).decode(),
                "sig": base64.b64encode(self.signature).decode(),
            }
        )

    @classmethod
    def from_line(cls, line: bytes) -> Statement:
        try:
            obj = orjson.loads(line)
            if not isinstance(obj, dict) or set(obj) != {"body", "sig"}:
                raise ValueError
            body = base64.b64decode(obj["body"], validate=True)
            sig = base64.b64decode(obj["sig"], validate=True)
        except (orjson.JSONDecodeError, ValueError, TypeError):
            raise ValidationError("a trust statement is malformed") from None
        return cls.parse(body, sig)


@dataclass(frozen=True)
class TrustedDevice:
    """A laptop the partnership trusts, as far as this laptop knows."""

    id: str
    name: str
    public_key: str
    age_recipient: str
    role: str
    schools: tuple[str, ...]
    #: "founder", "statement" (a coordinator enrolled it) or "invitation" (its claim of one)
    via: str
    #: its changes stamped after this are refused (None: not revoked)
    revoked_after: int | None = None
    invitation: str | None = None

    @property
    def coordinator(self) -> bool:
        return self.role == COORDINATOR

    @property
    def revoked(self) -> bool:
        return self.revoked_after is not None

    @property
    def scope_key(self) -> str:
        """What this laptop may receive, as one string (a change resets its acknowledgements)."""
        return f"{self.role}:{','.join(self.schools)}:{'r' if self.revoked else ''}"


@dataclass
class TrustState:
    """Who is trusted, from the statements a laptop holds."""

    partnership: str | None
    anchor: str | None
    devices: dict[str, TrustedDevice] = field(default_factory=dict)
    invitations: dict[str, Statement] = field(default_factory=dict)
    #: invitations taken up, by which device
    claimed: dict[str, str] = field(default_factory=dict)
    #: claims of a device whose key or invitation did not hold, by device id
    pending: dict[str, Statement] = field(default_factory=dict)

    def device(self, device_id: str) -> TrustedDevice | None:
        return self.devices.get(device_id)

    def trusts(self, device_id: str, public_key: str) -> bool:
        d = self.devices.get(device_id)
        return d is not None and d.public_key == public_key and not d.revoked

    def coordinators(self) -> list[TrustedDevice]:
        return [d for d in self.devices.values() if d.coordinator and not d.revoked]

    def active(self) -> list[TrustedDevice]:
        return [d for d in self.devices.values() if not d.revoked]

    def school_devices(self, school: str) -> list[TrustedDevice]:
        return [d for d in self.active() if school in d.schools]


def evaluate(
    partnership: str | None,
    anchor: str | None,
    statements: Iterable[Statement],
    now: dt.datetime | None = None,
) -> TrustState:
    """Replay the statements a laptop holds into who is trusted.

    Args:
        partnership: the partnership's id (statements of another are ignored).
        anchor: the founder's public key, when this laptop knows it already (a partnership made
            before trust statements existed has an id not derived from any key).
        now: the time invitations expire against (this laptop's clock).
    """
    now = now or dt.datetime.now(dt.UTC)
    mine = [s for s in statements if s.data.get("partnership") == partnership]
    founders = [
        s
        for s in mine
        if s.type == "founder"
        and s.signed_by(str(s.data["public_key"]))
        and (
            s.data["public_key"] == anchor
            or (
                anchor is None
                and partnership is not None
                and founded_by(partnership, str(s.data["public_key"]))
            )
        )
    ]
    state = TrustState(partnership, anchor)
    if not founders:
        return state
    founder = min(founders, key=lambda s: (s.at, s.id))
    f = founder.data
    state.anchor = str(f["public_key"])
    state.devices[str(f["device"])] = TrustedDevice(
        str(f["device"]),
        str(f["name"]),
        str(f["public_key"]),
        str(f["age"]),
        COORDINATOR,
        (),
        "founder",
    )
    for s in sorted(
        (s for s in mine if s.type in ("device", "revoke", "invitation")),
        key=lambda s: (s.at, s.id),
    ):
        signer = state.devices.get(str(s.data["by"]))
        if (
            signer is None
            or not signer.coordinator
            or (signer.revoked_after is not None and s.at > signer.revoked_after)
            or not s.signed_by(signer.public_key)
        ):
            continue
        d = s.data
        target = str(d.get("device", ""))
        old = state.devices.get(target)
        if s.type == "device":
            if old is not None and (old.revoked or old.public_key != d["public_key"]):
                continue  # a revoked laptop stays revoked; a device id keeps its first key
            if old is not None and old.via == "founder":
                continue
            state.devices[target] = TrustedDevice(
                target,
                str(d["name"]),
                str(d["public_key"]),
                str(d["age"]),
                str(d["role"]),
                tuple(d["schools"]),
                "statement",
                invitation=old.invitation if old else None,
            )
        elif s.type == "revoke":
            if old is not None and not old.revoked:
                state.devices[target] = TrustedDevice(
                    old.id,
                    old.name,
                    old.public_key,
                    old.age_recipient,
                    old.role,
                    old.schools,
                    old.via,
                    int(d["cutoff"]),
                    old.invitation,
                )
        else:
            state.invitations[str(d["id"])] = s
    claims: dict[str, list[Statement]] = {}
    for s in mine:
        if s.type == "claim" and s.signed_by(str(s.data["public_key"])):
            claims.setdefault(str(s.data["invitation"]), []).append(s)
    for inv_id, found in sorted(claims.items()):
        devices = {str(c.data["device"]) for c in found}
        inv = state.invitations.get(inv_id)
        claim = min(found, key=lambda c: (c.at, c.id))
        device = str(claim.data["device"])
        enrolled = state.devices.get(device)
        if enrolled is not None and enrolled.via == "statement":
            state.claimed[inv_id] = device
            continue
        if len(devices) > 1 or inv is None:
            for c in found:
                state.pending[str(c.data["device"])] = c
            continue
        expires = _parse_time(str(inv.data["expires"]))
        if enrolled is not None or expires is None or now > expires:
            state.pending[device] = claim
            continue
        state.claimed[inv_id] = device
        state.devices[device] = TrustedDevice(
            device,
            str(claim.data["name"]),
            str(claim.data["public_key"]),
            str(claim.data["age"]),
            str(inv.data["role"]),
            tuple(inv.data["schools"]),
            "invitation",
            invitation=inv_id,
        )
    return state


def fingerprint(public_key: str) -> str:
    """A laptop's key as eight words to read aloud and compare (BIP-39 English word list).

    The words are the first 88 bits of the SHA-256 of the key, eleven bits a word.
    """
    words = _wordlist()
    digest = int.from_bytes(hashlib.sha256(public_key.encode("ascii")).digest()[:11], "big")
    return " ".join(words[(digest >> (11 * (7 - i))) & 0x7FF] for i in range(8))


_WORDS: list[str] = []


def _wordlist() -> list[str]:
    if not _WORDS:
        from peerreview.paths import package_data

        path = package_data("resources") / "wordlists" / "bip39-english.txt"
        words = path.read_text(encoding="ascii").split()
        if len(words) != 2048:
            raise RuntimeError("the BIP-39 word list is damaged")
        _WORDS.extend(words)
    return _WORDS
