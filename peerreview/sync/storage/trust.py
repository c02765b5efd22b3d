"""What trust and incremental exchange keep in the database: signed statements, held bundles,
rejected keys, what this laptop has of each peer's log and what each peer has of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ===================================================================== statements


def statements(db: sqlite_utils.Database) -> list[tuple[str, bytes, bytes]]:
    """Every trust statement kept: (id, canonical body, signature)."""
    return [
        (str(i), bytes(b), bytes(s))
        for i, b, s in db.execute("SELECT id, body, signature FROM trust ORDER BY id")
    ]


def add_statements(db: sqlite_utils.Database, rows: Iterable[tuple[str, bytes, bytes]]) -> int:
    """Keep statements (known ones are ignored); returns how many were new."""
    now = _now()
    before = db.execute("SELECT count(*) FROM trust").fetchone()[0]
    db.conn.executemany(
        "INSERT OR IGNORE INTO trust(id, body, signature, received) VALUES (?, ?, ?, ?)",
        [(i, b, s, now) for i, b, s in rows],
    )
    return int(db.execute("SELECT count(*) FROM trust").fetchone()[0]) - int(before)


# ===================================================================== this laptop's age key


def age_identity(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT age_identity FROM device").fetchone()
    return str(row[0]) if row and row[0] else None


def set_age_identity(db: sqlite_utils.Database, identity: str) -> None:
    db.execute("UPDATE device SET age_identity = ?", [identity])


# ===================================================================== held bundles


@dataclass(frozen=True)
class HeldBundle:
    """A bundle from a laptop this one does not trust (yet): kept, nothing applied."""

    bundle_sha256: str
    filename: str
    device_id: str
    device_name: str
    public_key: str
    created: str
    received: str
    size: int


def hold(
    db: sqlite_utils.Database,
    sha256: str,
    filename: str,
    device: str,
    device_name: str,
    public_key: str,
    created: str,
    data: bytes,
) -> None:
    db.execute(
        "INSERT OR IGNORE INTO held(bundle_sha256, filename, device, device_name, public_key,"
        " created, received, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [sha256, filename, device, device_name, public_key, created, _now(), data],
    )


def held(db: sqlite_utils.Database, device: str | None = None) -> list[HeldBundle]:
    sql = (
        "SELECT bundle_sha256, filename, device, device_name, public_key, created, received,"
        " length(data) FROM held"
    )
    params: list[str] = []
    if device is not None:
        sql += " WHERE device = ?"
        params.append(device)
    return [
        HeldBundle(
            str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), str(r[6]), int(r[7])
        )
        for r in db.execute(sql + " ORDER BY received, bundle_sha256", params)
    ]


def held_data(db: sqlite_utils.Database, sha256: str) -> bytes | None:
    row = db.execute("SELECT data FROM held WHERE bundle_sha256 = ?", [sha256]).fetchone()
    return bytes(row[0]) if row else None


def is_held(db: sqlite_utils.Database, sha256: str) -> bool:
    return db.execute("SELECT 1 FROM held WHERE bundle_sha256 = ?", [sha256]).fetchone() is not None


def drop_held(db: sqlite_utils.Database, shas: Sequence[str]) -> None:
    db.conn.executemany("DELETE FROM held WHERE bundle_sha256 = ?", [(s,) for s in shas])


# ===================================================================== rejected keys


def reject_key(db: sqlite_utils.Database, public_key: str, device: str, name: str) -> None:
    db.execute(
        "INSERT OR REPLACE INTO rejected_keys(public_key, device, device_name, rejected)"
        " VALUES (?, ?, ?, ?)",
        [public_key, device, name, _now()],
    )


def is_rejected(db: sqlite_utils.Database, public_key: str) -> bool:
    row = db.execute("SELECT 1 FROM rejected_keys WHERE public_key = ?", [public_key]).fetchone()
    return row is not None


def unreject_key(db: sqlite_utils.Database, public_key: str) -> None:
    db.execute("DELETE FROM rejected_keys WHERE public_key = ?", [public_key])


# ===================================================================== logs and acknowledgements


def peer_logs(db: sqlite_utils.Database) -> list[tuple[str, str, int]]:
    """What this laptop has of each peer's streams: (device, stream, up to seq), contiguously."""
    return [
        (str(d), str(s), int(h))
        for d, s, h in db.execute("SELECT device, stream, have FROM peer_logs ORDER BY 1, 2")
    ]


def have(db: sqlite_utils.Database, device: str, stream: str) -> int:
    row = db.execute(
        "SELECT have FROM peer_logs WHERE device = ? AND stream = ?", [device, stream]
    ).fetchone()
    return int(row[0]) if row else 0


def set_have(db: sqlite_utils.Database, device: str, stream: str, seq: int) -> None:
    db.execute(
        "INSERT INTO peer_logs(device, stream, have) VALUES (?, ?, ?) ON CONFLICT(device, stream)"
        " DO UPDATE SET have = max(have, excluded.have)",
        [device, stream, seq],
    )


def acked(db: sqlite_utils.Database, peer: str, stream: str) -> tuple[int, str] | None:
    row = db.execute(
        "SELECT seq, scope FROM acks WHERE peer = ? AND stream = ?", [peer, stream]
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def set_acked(db: sqlite_utils.Database, peer: str, stream: str, seq: int, scope: str) -> None:
    """Remember how far ``peer`` has this laptop's ``stream`` (a peer's scope change resets it)."""
    db.execute(
        "INSERT INTO acks(peer, stream, seq, scope) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(peer, stream) DO UPDATE SET"
        " seq = CASE WHEN scope = excluded.scope THEN max(seq, excluded.seq) ELSE excluded.seq END,"
        " scope = excluded.scope",
        [peer, stream, seq, scope],
    )


def own_max_hlc(db: sqlite_utils.Database) -> int:
    """The newest clock stamp of this laptop's own changes (kept by the write path)."""
    return int(db.execute("SELECT own_hlc FROM device").fetchone()[0])


def max_hlc_of(db: sqlite_utils.Database, device: str) -> int:
    """The newest stamp of a device's changes this laptop holds (a revocation's cut-off)."""
    row = db.execute("SELECT max(hlc) FROM changes WHERE device = ?", [device]).fetchone()
    return int(row[0] or 0)


def first_author(db: sqlite_utils.Database, record: str) -> str | None:
    """The device that wrote a record's first change (the partnership record's founder)."""
    row = db.execute(
        "SELECT device FROM changes WHERE record = ? ORDER BY hlc, id LIMIT 1", [record]
    ).fetchone()
    return str(row[0]) if row else None


def known_key(db: sqlite_utils.Database, device: str) -> str | None:
    row = db.execute("SELECT public_key FROM known_devices WHERE id = ?", [device]).fetchone()
    return str(row[0]) if row else None
