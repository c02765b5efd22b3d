"""The canonical dump's queries: every change id, and every field's heads with their values."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import orjson
import sqlite_utils

from peerreview.errors import StoreError
from peerreview.sync.changes import DELETED

_OPT = orjson.OPT_SORT_KEYS


def iter_dump(db: sqlite_utils.Database, partnership_id: str | None) -> Iterator[bytes]:
    """Yield the dump in pieces (it can be large): every record, field and conflict, keys sorted.

    Device-local data (this laptop's identity, import ledger, backups, export marks) is left out.
    The file is checked first: a dump vouches for a state, and a damaged page anywhere (even in
    the search index, which the dump does not read) means the state cannot be trusted.
    """
    (verdict,) = db.execute("PRAGMA quick_check(1)").fetchone()
    if verdict != "ok":
        said = " ".join(str(verdict).replace("*** in database main ***", "").split())[:120]
        raise StoreError(
            f"The database is damaged ({said}). Restore the newest copy from its backups "
            "folder, or import your partnership's latest bundle into a new database."
        )
    ids = hashlib.sha256()
    n = 0
    for (cid,) in db.execute("SELECT id FROM changes ORDER BY id"):
        ids.update(cid.encode())
        ids.update(b"\n")
        n += 1
    log = {"changes": n, "digest": ids.hexdigest()}
    yield b'{"log":' + orjson.dumps(log, option=_OPT)
    yield b',"partnership":' + orjson.dumps(partnership_id)
    yield b',"records":{'
    rows = db.execute(
        "SELECT h.record, r.kind, h.field, c.value, c.author, c.device, c.hlc, c.id"
        " FROM heads h JOIN changes c ON c.id = h.change JOIN records r ON r.id = h.record"
        " ORDER BY h.record, h.field, c.hlc DESC, c.device DESC, c.id DESC"
    )
    first = True
    current: str | None = None
    rec: dict[str, Any] = {}
    for record, kind, field, value, author, device, hlc, cid in rows:
        if record != current:
            if current is not None:
                yield (b"" if first else b",") + _entry(current, rec)
                first = False
            current = record
            rec = {"kind": kind, "fields": {}, "conflicts": {}, "deleted": False}
        decoded = None if value is None else orjson.loads(value)
        heads = rec["conflicts"].setdefault(field, [])
        heads.append({"author": author, "device": device, "hlc": hlc, "id": cid, "value": decoded})
        if len(heads) == 1:
            if field == DELETED:
                rec["deleted"] = bool(decoded)
            else:
                rec["fields"][field] = decoded
    if current is not None:
        yield (b"" if first else b",") + _entry(current, rec)
    yield b"}}\n"


def _entry(record: str, rec: dict[str, Any]) -> bytes:
    heads = rec["conflicts"]
    rec["conflicts"] = {f: sorted(v, key=lambda h: h["id"]) for f, v in heads.items() if len(v) > 1}
    return orjson.dumps(record) + b":" + orjson.dumps(rec, option=_OPT)
