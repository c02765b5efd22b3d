"""Enrolment: founding a partnership, inviting and joining laptops, approving, rejecting and
revoking them; and this laptop's keys for bundles encrypted to it.

The statements themselves, and how they are replayed into who is trusted, are in ``trust.py``.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from peerreview.errors import PeerReviewError, ValidationError
from peerreview.sync.changes import canonical
from peerreview.sync.device import verify
from peerreview.sync.ids import is_uuid, new_id
from peerreview.sync.storage import trust as stored
from peerreview.sync.storage import writeback
from peerreview.sync.store import Store
from peerreview.sync.trust import (
    COORDINATOR,
    MEMBER,
    ROLES,
    Statement,
    TrustedDevice,
    TrustState,
    evaluate,
    fingerprint,
    founded_by,
    time_text,
)

INVITATION_FORMAT = "peerreview-invitation"
INVITATION_SUFFIX = ".prinvite"
MAX_INVITATION_BYTES = 4 * 1024 * 1024
INVITATION_DAYS = 14


class TrustError(PeerReviewError):
    """A trust operation was refused (not a coordinator, no such laptop, a bad invitation)."""


# ===================================================================== this laptop's keys


def age_identity(store: Store) -> str:
    """This laptop's age X25519 secret key (made the first time it is needed)."""
    identity = stored.age_identity(store.db)
    if identity is None:
        from pyrage import x25519

        identity = str(x25519.Identity.generate())
        with store.transaction():
            stored.set_age_identity(store.db, identity)
    return identity


def age_recipient(store: Store) -> str:
    """This laptop's age public key: what bundles for it are encrypted to."""
    from pyrage import x25519

    return str(x25519.Identity.from_str(age_identity(store)).to_public())


# ===================================================================== state


def anchor(store: Store) -> str | None:
    """The founder's public key, when this laptop knows who founded its partnership."""
    return store.local_value("trust.anchor")


def statements(store: Store) -> list[Statement]:
    out = []
    for _id, body, sig in stored.statements(store.db):
        try:
            out.append(Statement.parse(body, sig))
        except ValidationError:
            continue  # kept before a stricter check: ignored, never trusted
    return out


def trust_state(store: Store, extra: Sequence[Statement] = ()) -> TrustState:
    """Who this laptop trusts (with ``extra`` statements, such as a bundle's, counted too)."""
    held = statements(store)
    if extra:
        ids = {s.id for s in held}
        held += [s for s in extra if s.id not in ids]
    return evaluate(store.partnership_id, anchor(store), held)


def role(store: Store, state: TrustState | None = None) -> str | None:
    """This laptop's role in its partnership (None: not enrolled)."""
    state = state or trust_state(store)
    me = state.device(store.device.id)
    if me is None or me.revoked or me.public_key != store.device.public_key:
        return None
    return me.role


def is_coordinator(store: Store, state: TrustState | None = None) -> bool:
    return role(store, state) == COORDINATOR


def keep(store: Store, found: Sequence[Statement]) -> int:
    """Keep statements (inside the caller's transaction or its own)."""
    with store.transaction():
        return stored.add_statements(store.db, [(s.id, s.body, s.signature) for s in found])


def _stamp(store: Store) -> int:
    return store.clock.tick()


def _sign(store: Store, data: dict[str, Any]) -> Statement:
    data["partnership"] = store.partnership_id
    data["at"] = _stamp(store)
    return Statement.make(data, store.private_key())


# ===================================================================== founding


def found(store: Store) -> Statement:
    """Make this laptop the founder and first coordinator of its (new) partnership."""
    st = _sign(
        store,
        {
            "type": "founder",
            "device": store.device.id,
            "name": store.device.name,
            "public_key": store.device.public_key,
            "age": age_recipient(store),
        },
    )
    with store.transaction():
        keep(store, [st])
        store.set_local_value("trust.anchor", store.device.public_key)
    return st


def found_partnership(store: Store) -> str:
    """Start a new partnership with this laptop as its founder: its id is derived from this
    laptop's key, and this laptop is its first coordinator. Returns the id."""
    from peerreview.sync.trust import partnership_id_for

    pid = partnership_id_for(store.device.public_key)
    with store.transaction():
        store.set_partnership_id(pid)
        found(store)
    return pid


def adopt_legacy_trust(store: Store) -> None:
    """A partnership made before trust statements: its founder is the laptop that wrote the
    partnership record first. If that is this laptop, it founds the trust list now; otherwise
    the founder's key, if this laptop has met it, becomes the anchor."""
    pid = store.partnership_id
    if pid is None or anchor(store) is not None or stored.statements(store.db):
        return
    author = stored.first_author(store.db, pid)
    if author == store.device.id:
        found(store)
        return
    key = stored.known_key(store.db, author) if author else None
    if key is not None:
        store.set_local_value("trust.anchor", key)


def adopt_anchor(store: Store, found_statements: Sequence[Statement]) -> None:
    """Learn the founder's key from statements whose founder the partnership's id is derived
    from (a laptop that joined knowing only the id)."""
    if anchor(store) is not None or store.partnership_id is None:
        return
    for s in found_statements:
        if (
            s.type == "founder"
            and s.data["partnership"] == store.partnership_id
            and founded_by(store.partnership_id, str(s.data["public_key"]))
            and s.signed_by(str(s.data["public_key"]))
        ):
            store.set_local_value("trust.anchor", str(s.data["public_key"]))
            return


# ===================================================================== invitations


@dataclass(frozen=True)
class Invitation:
    """An invitation file, read and checked (nothing written)."""

    path: Path
    partnership: str
    partnership_name: str
    coordinator: str
    coordinator_name: str
    coordinator_fingerprint: str
    role: str
    schools: tuple[str, ...]
    expires: str
    statements: tuple[Statement, ...]
    invitation: Statement


def make_invitation(
    store: Store,
    path: str | os.PathLike[str],
    *,
    role: str = MEMBER,
    schools: Sequence[str] = (),
    days: int = INVITATION_DAYS,
) -> Path:
    """Write a signed, single-use invitation for one laptop to join (a coordinator only)."""
    if role not in ROLES:
        raise TrustError(f"A role is one of: {', '.join(ROLES)}.")
    state = trust_state(store)
    if not is_coordinator(store, state):
        raise TrustError(
            "Only a coordinator's laptop can invite laptops to the partnership. "
            "Nothing was written."
        )
    school_kind = store.registry.school_kind().name
    for sid in schools:
        if store.kind_of(sid) != school_kind:
            raise TrustError(f"There is no school with id {sid} in this database.")
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    inv = _sign(
        store,
        {
            "type": "invitation",
            "id": new_id(),
            "role": role,
            "schools": sorted(set(schools)),
            "expires": time_text(expires),
            "by": store.device.id,
        },
    )
    keep(store, [inv])
    root = store.registry.root_kind().name
    name = ""
    if store.partnership_id and store.kind_of(store.partnership_id) == root:
        name = str(store.get(store.partnership_id).values.get("name", ""))
    body = {
        "format": INVITATION_FORMAT,
        "version": 1,
        "partnership": store.partnership_id,
        "partnership_name": name,
        "invitation": str(inv.data["id"]),
        "by": store.device.id,
        "statements": [orjson.loads(s.to_line()) for s in statements(store)],
    }
    from peerreview.sync.device import sign

    signature = sign(store.private_key(), canonical(body))
    data = canonical({**body, "signature": base64.b64encode(signature).decode()})
    return write_atomically(Path(path), data)


def write_atomically(target: Path, data: bytes) -> Path:
    """Write ``data`` so that ``target`` appears only when complete (never half-written)."""
    from peerreview.errors import BundleError

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".peerreview-", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise BundleError(_write_failed(target, exc)) from None
    try:
        with os.fdopen(fd, "wb") as out:
            writeback.write_all(out, data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise BundleError(_write_failed(target, exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _write_failed(target: Path, exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        why = "the disk is full. Free some space, then try again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "that folder is read-only. Choose a folder you may write to"
    else:
        why = f"{exc.strerror or exc}. Check the folder, then try again"
    return f"Could not write {target.name}: {why}. Nothing was written."


def read_invitation(path: str | os.PathLike[str]) -> Invitation:
    """Read and check an invitation (signatures, expiry), writing nothing.

    Raises:
        TrustError: the file is not a usable invitation.
    """
    p = Path(path)
    bad = TrustError(f"{p.name} is not a PeerReview invitation, or it is damaged.")
    try:
        import stat

        info = os.stat(p)
        if not stat.S_ISREG(info.st_mode):
            raise TrustError(f"{p.name} is not a file. Choose the invitation file.")
        if info.st_size > MAX_INVITATION_BYTES:
            raise bad
        data = p.read_bytes()
        obj = orjson.loads(data)
    except TrustError:
        raise
    except OSError as exc:
        raise TrustError(f"{p.name} could not be read ({exc.strerror}).") from None
    except orjson.JSONDecodeError:
        raise bad from None
    if not isinstance(obj, dict) or obj.get("format") != INVITATION_FORMAT:
        raise bad
    if obj.get("version") != 1:
        raise TrustError(
            f"{p.name} was made by a newer version of PeerReview. Update, then join again."
        )
    try:
        sig = base64.b64decode(obj.pop("signature"), validate=True)
        found_statements = tuple(Statement.from_line(orjson.dumps(x)) for x in obj["statements"])
        pid, inv_id, by = obj["partnership"], obj["invitation"], obj["by"]
        name = obj["partnership_name"]
    except (KeyError, TypeError, ValueError, ValidationError):
        raise bad from None
    if not (is_uuid(pid) and isinstance(name, str) and is_uuid(by)):
        raise bad
    state = evaluate(pid, None, found_statements)
    coordinator = state.device(by)
    invitation = state.invitations.get(str(inv_id))
    if coordinator is None or invitation is None or invitation.data["by"] != by:
        raise TrustError(
            f"{p.name} is not signed by a coordinator of its partnership; it may not be genuine."
        )
    if not verify(coordinator.public_key, sig, canonical(obj)):
        raise TrustError(f"{p.name} has been altered since it was made; it may not be genuine.")
    expires = str(invitation.data["expires"])
    if dt.datetime.now(dt.UTC) > dt.datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=dt.UTC
    ):
        raise TrustError(
            f"{p.name} expired on {expires[:10]}. Ask your coordinator for a new invitation."
        )
    return Invitation(
        p,
        pid,
        name,
        coordinator.id,
        coordinator.name,
        fingerprint(coordinator.public_key),
        str(invitation.data["role"]),
        tuple(invitation.data["schools"]),
        expires,
        found_statements,
        invitation,
    )


def join(store: Store, path: str | os.PathLike[str]) -> Invitation:
    """Join the partnership of an invitation: this laptop claims it (single use), trusts the
    partnership's coordinators, and its bundles are trusted by every laptop from then on."""
    inv = read_invitation(path)
    if store.partnership_id not in (None, inv.partnership):
        raise TrustError(
            f"{inv.path.name} is for another partnership than this database's. Nothing was changed."
        )
    claim_data: dict[str, Any] = {
        "type": "claim",
        "invitation": str(inv.invitation.data["id"]),
        "device": store.device.id,
        "name": store.device.name,
        "public_key": store.device.public_key,
        "age": age_recipient(store),
    }
    with store.transaction():
        if store.partnership_id is None:
            store.set_partnership_id(inv.partnership)
        state = evaluate(inv.partnership, None, inv.statements)
        store.set_local_value("trust.anchor", str(state.anchor))
        keep(store, inv.statements)
        mine = trust_state(store)
        claimed = mine.claimed.get(str(inv.invitation.data["id"]))
        if claimed not in (None, store.device.id):
            raise TrustError(f"{inv.path.name} has been used already. Ask for a new invitation.")
        keep(store, [_sign(store, claim_data)])
    return inv


# ===================================================================== devices


@dataclass(frozen=True)
class DeviceRow:
    """One laptop as the devices list shows it."""

    id: str
    name: str
    role: str
    schools: tuple[str, ...]
    state: str  # "trusted", "held", "revoked", "rejected", "this laptop"
    fingerprint: str
    held: int = 0


def devices(store: Store) -> list[DeviceRow]:
    """Every laptop this one knows of: trusted, revoked, and those whose bundles are held."""
    state = trust_state(store)
    held = stored.held(store.db)
    out: list[DeviceRow] = []
    for d in sorted(state.devices.values(), key=lambda d: (d.name.casefold(), d.id)):
        n = sum(1 for h in held if h.device_id == d.id)
        label = "revoked" if d.revoked else "trusted"
        out.append(DeviceRow(d.id, d.name, d.role, d.schools, label, fingerprint(d.public_key), n))
    seen: set[str] = set(state.devices)
    for h in held:
        if h.device_id in seen:
            continue
        seen.add(h.device_id)
        n = sum(1 for x in held if x.device_id == h.device_id)
        out.append(
            DeviceRow(h.device_id, h.device_name, "", (), "held", fingerprint(h.public_key), n)
        )
    return out


def find_device(store: Store, key: str) -> DeviceRow:
    """A laptop by id, by the start of its id, or by name."""
    rows = devices(store)
    found = [r for r in rows if r.id == key]
    found = found or [r for r in rows if r.name.casefold() == key.casefold()]
    found = found or ([r for r in rows if r.id.startswith(key)] if len(key) >= 4 else [])
    if not found:
        raise TrustError(f"There is no laptop called {printable(key)!r} here. See: devices.")
    if len(found) > 1:
        raise TrustError(f"Several laptops are called {printable(key)!r}. Give the device id.")
    return found[0]


def _require_coordinator(store: Store, what: str) -> TrustState:
    state = trust_state(store)
    if not is_coordinator(store, state):
        raise TrustError(f"Only a coordinator's laptop can {what}. Nothing was changed.")
    return state


def approve(
    store: Store,
    device_id: str,
    *,
    role: str = MEMBER,
    schools: Sequence[str] = (),
    public_key: str | None = None,
    name: str | None = None,
    age: str | None = None,
) -> Statement:
    """Enrol a laptop (a coordinator only): from its held bundles, or from its claim of an
    invitation, or with its keys given. Its held bundles are then imported by the caller."""
    state = _require_coordinator(store, "approve laptops")
    if role not in ROLES:
        raise TrustError(f"A role is one of: {', '.join(ROLES)}.")
    current = state.device(device_id)
    claim = state.pending.get(device_id)
    if current is not None and current.revoked:
        raise TrustError(f"{printable(current.name)} was revoked; it cannot be approved again.")
    if current is not None:
        public_key, name, age = current.public_key, current.name, current.age_recipient
        if current.via == "invitation" and not schools:
            role, schools = current.role, current.schools
    elif claim is not None:
        public_key = public_key or str(claim.data["public_key"])
        name, age = name or str(claim.data["name"]), age or str(claim.data["age"])
    held = stored.held(store.db, device_id)
    if public_key is None and held:
        public_key, name = held[0].public_key, name or held[0].device_name
    if public_key is None or name is None:
        raise TrustError("There is no such laptop waiting to be approved.")
    if age is None:
        age = _age_from_held(store, device_id)
    if age is None:
        raise TrustError(
            f"{printable(name)}'s bundles were made by an older PeerReview that has no key to "
            "encrypt to. Update it, then send a new bundle."
        )
    st = _sign(
        store,
        {
            "type": "device",
            "device": device_id,
            "name": name,
            "public_key": public_key,
            "age": age,
            "role": role,
            "schools": sorted(set(schools)),
            "by": store.device.id,
        },
    )
    with store.transaction():
        keep(store, [st])
        stored.unreject_key(store.db, public_key)
    return st


def _age_from_held(store: Store, device_id: str) -> str | None:
    """The age key a held bundle's manifest states for its laptop."""
    from peerreview.sync.bundle import held_manifest

    for h in stored.held(store.db, device_id):
        manifest = held_manifest(store, h.bundle_sha256)
        age = manifest.get("device", {}).get("age") if manifest else None
        if isinstance(age, str) and age.startswith("age1"):
            return age
    return None


def reject(store: Store, device_id: str) -> int:
    """Drop a laptop's held bundles and refuse its later ones (a coordinator only)."""
    state = _require_coordinator(store, "reject laptops")
    held = stored.held(store.db, device_id)
    if not held and device_id not in state.pending:
        raise TrustError("There is no such laptop waiting to be approved.")
    with store.transaction():
        for h in held:
            stored.reject_key(store.db, h.public_key, h.device_id, h.device_name)
        claim = state.pending.get(device_id)
        if claim is not None:
            stored.reject_key(
                store.db, str(claim.data["public_key"]), device_id, str(claim.data["name"])
            )
        stored.drop_held(store.db, [h.bundle_sha256 for h in held])
    return len(held)


def revoke(store: Store, device_id: str) -> Statement:
    """Revoke a laptop (a coordinator only): its changes stamped after the newest this laptop
    holds are refused everywhere the revocation reaches."""
    state = _require_coordinator(store, "revoke laptops")
    target = state.device(device_id)
    if target is None:
        raise TrustError("There is no such trusted laptop.")
    if target.revoked:
        raise TrustError(f"{printable(target.name)} is already revoked.")
    if device_id == store.device.id and len(state.coordinators()) <= 1:
        raise TrustError("This is the partnership's only coordinator; it cannot revoke itself.")
    st = _sign(
        store,
        {
            "type": "revoke",
            "device": device_id,
            "cutoff": stored.max_hlc_of(store.db, device_id),
            "by": store.device.id,
        },
    )
    keep(store, [st])
    return st


def auto_approve(store: Store, device: TrustedDevice) -> None:
    """A coordinator confirms a laptop that joined with an invitation (so its enrolment no
    longer depends on the invitation, which expires)."""
    if device.via != "invitation":
        return
    approve(store, device.id, role=device.role, schools=device.schools)


def printable(text: str) -> str:
    """Text from another laptop made safe to print: control characters shown as escapes."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def enrol(
    coordinator: Store, laptop: Store, *, role: str = MEMBER, schools: Sequence[str] = ()
) -> Statement:
    """Enrol ``laptop`` from ``coordinator`` directly, both open here (scripts and tests): the
    coordinator approves its keys, and the laptop learns the partnership's trust list, as it
    would from the invitation and the coordinator's next bundle."""
    st = approve(
        coordinator,
        laptop.device.id,
        role=role,
        schools=schools,
        public_key=laptop.device.public_key,
        name=laptop.device.name,
        age=age_recipient(laptop),
    )
    with laptop.transaction():
        if laptop.partnership_id is None:
            assert coordinator.partnership_id is not None
            laptop.set_partnership_id(coordinator.partnership_id)
        found_anchor = anchor(coordinator)
        if found_anchor is not None and anchor(laptop) is None:
            laptop.set_local_value("trust.anchor", found_anchor)
        keep(laptop, statements(coordinator))
    return st
