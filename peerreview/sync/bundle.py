"""Bundles: the one file laptops exchange (USB stick, email, shared folder).

A bundle is a zip with an allow-listed layout:

    manifest.json      format and schema versions, partnership, exporting device, every member's
                       size and SHA-256
    manifest.sig       the exporting device's Ed25519 signature of manifest.json (base64)
    changes.jsonl      one canonical change per line, in clock order
    attachments/<sha256>   the files attachments point at

Import validates everything before it writes anything, backs the database up, applies in one
transaction and records the bundle in the import ledger.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from peerreview import __version__
from peerreview.errors import BundleError, Cancelled, PeerReviewError, ValidationError
from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.sync.changes import HLC_HEADROOM, MAX_HLC, checked_row
from peerreview.sync.device import sign, verify
from peerreview.sync.encryption import check_passphrase, decrypt_file, encrypt, is_encrypted
from peerreview.sync.ids import is_uuid
from peerreview.sync.migrations import SCHEMA_VERSION, newer_than
from peerreview.sync.storage.exchange import EVERYTHING, BundleSource, Selection
from peerreview.sync.store import Store

FORMAT = "peerreview-bundle"
FORMAT_VERSION = 1
SUFFIX = ".prbundle"

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
CHANGES = "changes.jsonl"
_ATTACHMENT_RE = re.compile(r"^attachments/([0-9a-f]{64})$")

# Limits that keep a hostile or broken file from exhausting the laptop.
MAX_MANIFEST_BYTES = 20 * 1024 * 1024
MAX_CHANGES_BYTES = 8 * 1024**3
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024**3
MAX_MEMBERS = 200_000
MAX_RATIO = 200  # uncompressed / compressed, for attachments over 1 MB and changes over 64 MB
#: A small database's changes can be very repetitive (one long pasted line of dashes compresses a
#: thousand to one), so the ratio is only a sign of a bomb for a changes file larger than this.
RATIO_CHANGES_BYTES = 64 * 1024 * 1024
MAX_LINE_BYTES = 2 * 1024 * 1024
KEEP_ROWS_BYTES = 256 * 1024 * 1024  # changes files up to this size are parsed once, not twice

_CHUNK = 1 << 20
_NOTHING = "Nothing was changed."


@dataclass(frozen=True)
class ExportResult:
    path: Path
    changes: int
    attachments: int
    records: int


@dataclass(frozen=True)
class ImportReport:
    """What one bundle did to the database."""

    filename: str
    device_name: str
    new: int
    known: int
    conflicts: int
    already_imported: bool = False

    def summary(self) -> str:
        if self.already_imported:
            return f"{self.filename}: already imported; nothing changed."
        return (
            f"{self.filename} (from {self.device_name}): {self.new} new, "
            f"{self.known} already known, {self.conflicts} now in conflict."
        )


# ===================================================================== export


def export_bundle(
    store: Store,
    path: str | os.PathLike[str],
    *,
    school_urns: Sequence[int] | None = None,
    school_ids: Sequence[str] | None = None,
    passphrase: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ExportResult:
    """Write the database's changes (all, or those of chosen schools) to a signed bundle.

    Schools are chosen by URN (``school_urns``) or by record id (``school_ids``, for schools that
    have no URN, such as an independent setting added by hand). With a ``passphrase`` the file is
    encrypted (age), as it should be whenever it holds names.

    The file appears only when complete (written beside it, then renamed).
    """
    target = Path(path)
    if passphrase is not None:
        check_passphrase(passphrase)
    if store.partnership_id is None:
        raise BundleError(
            "This database does not belong to a partnership yet. Import a bundle from your "
            "coordinator, or create a partnership, before exporting."
        )
    selection, scope = _selection(store, school_urns, school_ids)
    total = store.count_changes(selection)
    last_seq = store.last_seq()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        members: list[dict[str, Any]] = []
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            digest = hashlib.sha256()
            size = 0
            count = 0
            with zf.open(CHANGES, "w", force_zip64=True) as out:
                buf: list[bytes] = []
                for change in store.iter_changes(selection):
                    line = change.to_line() + b"\n"
                    buf.append(line)
                    count += 1
                    if len(buf) >= 5000:
                        data = b"".join(buf)
                        digest.update(data)
                        size += len(data)
                        out.write(data)
                        buf.clear()
                        check_cancelled(cancelled)
                        if progress:
                            progress(count, total)
                data = b"".join(buf)
                digest.update(data)
                size += len(data)
                out.write(data)
            members.append({"name": CHANGES, "size": size, "sha256": digest.hexdigest()})
            hashes = store.attachment_hashes(selection)
            for sha in hashes:
                check_cancelled(cancelled)
                blob = store.blob(sha)
                assert blob is not None
                zf.writestr(f"attachments/{sha}", blob)
                members.append({"name": f"attachments/{sha}", "size": len(blob), "sha256": sha})
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "schema_version": SCHEMA_VERSION,
                "features": store.registry.feature_versions(),
                "app_version": __version__,
                "partnership": store.partnership_id,
                "device": {
                    "id": store.device.id,
                    "name": store.device.name,
                    "public_key": store.device.public_key,
                },
                "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "scope": scope,
                "counts": {"changes": count, "attachments": len(hashes)},
                "members": members,
            }
            manifest_bytes = orjson.dumps(
                manifest, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2
            )
            zf.writestr(MANIFEST, manifest_bytes)
            zf.writestr(SIGNATURE, base64.b64encode(sign(store.private_key(), manifest_bytes)))
        if passphrase is not None:
            tmp.write_bytes(encrypt(tmp.read_bytes(), passphrase))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BundleError(
            f"Could not write {target.name} ({exc.strerror or exc}). "
            "Check there is space and that you may write there, then try again."
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if school_urns is None and school_ids is None:
        store.mark_exported(last_seq)
    records = store.count_records(selection)
    return ExportResult(target, count, len(hashes), records)


def _selection(
    store: Store, urns: Sequence[int] | None, ids: Sequence[str] | None = None
) -> tuple[Selection, Any]:
    """What to export, and the scope the manifest states."""
    if urns is None and ids is None:
        return EVERYTHING, "all"
    school = store.registry.school_kind()
    key = school.key_field
    chosen: list[str] = []
    for urn in urns or ():
        found = (
            store.list(school.name, where={key: urn}, include_deleted=True, order_by="id")
            if key and 0 < urn < 2**63
            else []
        )
        if not found:
            what = school.spec(key).label if key and school.spec(key) else "key"  # type: ignore[union-attr]
            raise BundleError(
                f"There is no {school.label} with {what} {urn} in this database. {_NOTHING}"
            )
        chosen.append(found[0].id)
    for sid in ids or ():
        if store.kind_of(sid) != school.name:
            raise BundleError(
                f"There is no {school.label} with id {sid} in this database. {_NOTHING}"
            )
        chosen.append(sid)
    selection = store.select_schools(chosen)
    scope: dict[str, Any] = {
        "schools": sorted(store.selected_values(school.name, key)) if key else []
    }
    if ids:
        scope["school_ids"] = sorted(ids)
    return selection, scope


# ===================================================================== import


@dataclass
class _Checked:
    """A bundle that passed every check, ready to apply."""

    path: Path
    file_sha256: str
    manifest: dict[str, Any]
    change_ids: list[str]
    max_hlc: int
    #: the log rows, kept from the first pass when the bundle is small enough to hold in memory
    rows: list[tuple[Any, ...]] | None = None
    #: (device name, changes) from the import ledger when this very file was imported before
    already: tuple[str, int] | None = None


def import_bundles(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    passphrase: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> list[ImportReport | BundleError]:
    """Import several bundles, each on its own: a refused one changes nothing, nor stops the rest.

    One backup is taken, before the first bundle that brings something new: a coordinator merging
    a hundred laptops' bundles gets one copy of the database to go back to, not a hundred.

    Returns:
        One ImportReport per bundle applied, or the BundleError that refused it.
    """
    out: list[ImportReport | BundleError] = []
    backup = _BackupOnce()
    for i, p in enumerate(paths):

        def part(done: int, total: int, i: int = i) -> None:
            if progress:
                frac = done / total if total else 0.0
                progress(int((i + frac) * 1000), len(paths) * 1000)

        try:
            out.append(_import_one(store, Path(p), passphrase, part, cancelled, backup))
        except BundleError as exc:
            out.append(exc)
    return out


def import_bundle(
    store: Store,
    path: str | os.PathLike[str],
    *,
    passphrase: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ImportReport:
    """Import one bundle, decrypting it first if it is encrypted (see ``_import_plain``)."""
    return _import_one(store, Path(path), passphrase, progress, cancelled, _BackupOnce())


class _BackupOnce:
    """The backup before an import: taken once for a batch of bundles, and only when one of them
    brings a change this database does not have (an empty database has nothing to keep)."""

    def __init__(self) -> None:
        self.taken = False

    def before(self, store: Store, ids: Sequence[str]) -> None:
        if self.taken or store.change_count() == 0 or store.knows_all(ids):
            return
        store.backup("before-import")
        self.taken = True


def _import_one(
    store: Store,
    p: Path,
    passphrase: str | None,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    backup: _BackupOnce,
) -> ImportReport:
    if not is_encrypted(p):
        return _import_plain(store, p, progress, cancelled, backup)
    with tempfile.TemporaryDirectory(prefix="peerreview-") as tmp:
        plain = Path(tmp) / p.name  # same name, so every message names the file as sent
        decrypt_file(p, passphrase, plain)
        return _import_plain(store, plain, progress, cancelled, backup)


def _import_plain(
    store: Store,
    path: Path,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    backup: _BackupOnce,
) -> ImportReport:
    """Validate a bundle completely, back up, then apply it in one transaction.

    Raises:
        BundleError: the bundle was refused; the database is unchanged.
        Cancelled: the person cancelled; the database is unchanged.
    """
    p = Path(path)
    checked = _check(store, p, progress, cancelled)
    if checked.already is not None:
        device_name, count = checked.already
        return ImportReport(p.name, device_name, 0, count, 0, already_imported=True)
    m = checked.manifest
    device_name = str(m["device"]["name"])
    backup.before(store, checked.change_ids)
    total = len(checked.change_ids)
    dev = m["device"]
    source = BundleSource(
        bundle_sha256=checked.file_sha256,
        filename=printable_name(p),
        device_id=dev["id"],
        device_name=dev["name"],
        public_key=dev["public_key"],
        created=m["created"],
    )
    try:
        with store.import_batch() as batch:
            if store.partnership_id is None:
                store.set_partnership_id(m["partnership"])
            with zipfile.ZipFile(p) as zf:
                rows = checked.rows
                if rows is None:
                    batch.add_rows(_rows(zf, checked.change_ids, progress, cancelled, total))
                else:
                    checked.rows = None
                    batch.add_rows(rows)
                    _release(rows)
                for member in m["members"]:
                    match = _ATTACHMENT_RE.match(member["name"])
                    if match:
                        data = zf.read(member["name"])
                        # Checked again as stored: the file may have changed since it was validated.
                        if hashlib.sha256(data).hexdigest() != match.group(1):
                            raise ValidationError(
                                "an attachment changed while it was being imported"
                            )
                        batch.add_blob(match.group(1), data)
            check_cancelled(cancelled)
            result = batch.finish(source, checked.max_hlc)
    except ValidationError as exc:
        raise BundleError(f"{p.name} was refused: {exc.message}. {_NOTHING}") from None
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BundleError(f"{p.name} could not be read ({exc}). {_NOTHING}") from None
    _release(checked.change_ids)
    if progress:
        progress(total, total)
    return ImportReport(p.name, device_name, result.new, result.known, result.conflicts)


def _rows(
    zf: zipfile.ZipFile,
    ids: list[str],
    progress: Progress | None,
    cancelled: CancelCheck | None,
    total: int,
) -> Iterator[tuple[Any, ...]]:
    """Second pass over a checked (large) changes file: its rows for the log."""
    with zf.open(CHANGES) as fh:
        for i, line in enumerate(_lines(fh)):
            row = checked_row(orjson.loads(line))
            if row[0] != ids[i]:
                raise ValidationError("the bundle changed while it was being imported")
            yield row
            if i % 20000 == 0:
                check_cancelled(cancelled)
                if progress:
                    progress(total + i, total * 2)


def _release(rows: list[Any]) -> None:
    """Free a large list a slice at a time, letting other threads (the window) run in between.

    Freeing a million rows at once holds the GIL for tens of milliseconds: a stall the window shows.
    """
    while rows:
        del rows[-20_000:]
        time.sleep(0)


def printable_name(p: Path) -> str:
    """A file's name as text that can be stored and shown (a name that is not UTF-8 is mended)."""
    return p.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _lines(fh: IO[bytes]) -> Iterator[bytes]:
    pending = b""
    while chunk := fh.read(_CHUNK):
        pending += chunk
        parts = pending.split(b"\n")
        pending = parts.pop()
        for part in parts:
            if part:
                yield part
        if len(pending) > MAX_LINE_BYTES:
            raise ValidationError("a change is longer than the limit")
    if pending:
        yield pending


def _refuse(p: Path, why: str) -> BundleError:
    return BundleError(f"{p.name} {why} {_NOTHING}")


def _check(
    store: Store, p: Path, progress: Progress | None, cancelled: CancelCheck | None
) -> _Checked:
    """Every check, reading but never writing."""
    if not p.is_file():
        raise _refuse(p, "does not exist or is not a file.")
    file_hash = hashlib.sha256()
    try:
        with open(p, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                file_hash.update(chunk)
        sha = file_hash.hexdigest()
        done = store.imported(sha)
        if done is not None:  # these very bytes were checked and applied before: nothing to do
            return _Checked(p, sha, {}, [], 0, already=(done.device_name, done.changes))
        if not zipfile.is_zipfile(p):
            raise _refuse(
                p, "is not a PeerReview bundle (it is not a zip file), or it is incomplete."
            )
        with zipfile.ZipFile(p) as zf:
            return _check_zip(store, p, zf, sha, progress, cancelled)
    except BundleError:
        raise
    except Cancelled:
        raise
    except ValidationError as exc:
        raise _refuse(p, f"holds a change that is not valid: {exc.message}.") from None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        ValueError,
        KeyError,
    ) as exc:
        raise _refuse(
            p,
            f"is damaged or incomplete ({exc or type(exc).__name__}). Ask for it to be sent again.",
        ) from None
    except OSError as exc:
        raise _refuse(p, f"could not be read ({exc.strerror or exc}).") from None
    except PeerReviewError as exc:
        raise _refuse(p, f"was refused: {exc.message}") from None


def _check_zip(
    store: Store,
    p: Path,
    zf: zipfile.ZipFile,
    file_sha256: str,
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> _Checked:
    infos = zf.infolist()
    names = [i.filename for i in infos]
    if len(infos) > MAX_MEMBERS:
        raise _refuse(p, "has far too many files inside to be a PeerReview bundle.")
    if len(set(names)) != len(names):
        raise _refuse(p, "has two files with the same name inside; it has been tampered with.")
    if MANIFEST not in names or SIGNATURE not in names:
        raise _refuse(p, "is not a PeerReview bundle (it has no signed manifest).")
    total = 0
    for info in infos:
        name = info.filename
        if name not in (MANIFEST, SIGNATURE, CHANGES) and not _ATTACHMENT_RE.match(name):
            raise _refuse(
                p, f"contains an unexpected file ({name[:80]!r}); it is not a safe bundle."
            )
        if info.flag_bits & 0x1:
            raise _refuse(p, "contains encrypted parts PeerReview cannot read.")
        limit = {
            MANIFEST: MAX_MANIFEST_BYTES,
            SIGNATURE: 1024,
            CHANGES: MAX_CHANGES_BYTES,
        }.get(name, MAX_ATTACHMENT_BYTES)
        if info.file_size > limit:
            raise _refuse(p, f"has a part ({name[:80]}) larger than PeerReview accepts.")
        floor = RATIO_CHANGES_BYTES if name == CHANGES else _CHUNK
        if info.file_size > floor and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(p, "is compressed suspiciously well (a zip bomb?); it was not opened.")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _refuse(p, "is larger than PeerReview accepts.")

    manifest_bytes = zf.read(MANIFEST)
    signature = base64.b64decode(zf.read(SIGNATURE), validate=True)
    try:
        manifest = orjson.loads(manifest_bytes)
    except orjson.JSONDecodeError:
        raise _refuse(p, "has a damaged manifest.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(p, "is not a PeerReview bundle.")
    fv = manifest.get("format_version")
    sv = manifest.get("schema_version")
    if type(fv) is not int or type(sv) is not int:
        raise _refuse(p, "has a damaged manifest.")
    features = manifest.get("features", {})
    if not isinstance(features, dict) or not all(
        isinstance(k, str) and type(v) is int for k, v in features.items()
    ):
        raise _refuse(p, "has a damaged manifest.")
    if fv > FORMAT_VERSION or sv > SCHEMA_VERSION or newer_than(features, store.registry):
        raise BundleError(
            f"{p.name} was made by a newer version of PeerReview. "
            f"Ask for the update, then import it again. {_NOTHING}"
        )
    dev = manifest.get("device")
    members = manifest.get("members")
    if (
        not isinstance(dev, dict)
        or not is_uuid(dev.get("id"))
        or not isinstance(dev.get("name"), str)
        or not isinstance(dev.get("public_key"), str)
        or not is_uuid(manifest.get("partnership"))
        or not isinstance(manifest.get("created"), str)
        or not isinstance(members, list)
    ):
        raise _refuse(p, "has a damaged manifest.")
    if not verify(dev["public_key"], signature, manifest_bytes):
        raise _refuse(p, "has a signature that does not match its contents; it has been altered.")
    known = store.known_device_key(dev["id"])
    own = dev["id"] == store.device.id
    if (known is not None and known != dev["public_key"]) or (
        own and dev["public_key"] != store.device.public_key
    ):
        raise _refuse(
            p,
            f"claims to come from {dev['name']!r} but is signed with a different key from that "
            "laptop's earlier bundles; it may not be genuine.",
        )
    if store.partnership_id is not None and manifest["partnership"] != store.partnership_id:
        raise _refuse(p, "belongs to a different partnership from this database.")

    listed = {}
    for m in members:
        if (
            not isinstance(m, dict)
            or not isinstance(m.get("name"), str)
            or type(m.get("size")) is not int
            or not isinstance(m.get("sha256"), str)
        ):
            raise _refuse(p, "has a damaged manifest.")
        listed[m["name"]] = m
    present = set(names) - {MANIFEST, SIGNATURE}
    if set(listed) != present:
        raise _refuse(p, "does not hold exactly the files its manifest lists; it has been altered.")
    for name, m in listed.items():
        if zf.getinfo(name).file_size != m["size"]:
            raise _refuse(
                p, "has a file whose size differs from its manifest; it has been altered."
            )
        match = _ATTACHMENT_RE.match(name)
        if match and m["sha256"] != match.group(1):
            raise _refuse(p, "has an attachment whose name does not match its hash.")

    ids: list[str] = []
    rows: list[tuple[Any, ...]] | None = None
    max_hlc = 0
    if CHANGES in listed:
        ids, rows, max_hlc = _check_changes(store, p, zf, listed[CHANGES], progress, cancelled)
    for name, m in listed.items():
        if name != CHANGES:
            check_cancelled(cancelled)
            if hashlib.sha256(zf.read(name)).hexdigest() != m["sha256"]:
                raise _refuse(p, "has an attachment that is damaged or altered.")
    return _Checked(p, file_sha256, manifest, ids, max_hlc, rows)


def _check_changes(
    store: Store,
    p: Path,
    zf: zipfile.ZipFile,
    member: dict[str, Any],
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> tuple[list[str], list[tuple[Any, ...]] | None, int]:
    """First pass over changes.jsonl: hash, parse and check every change against the schema.

    Rows for the log are kept when the file is small enough to hold in memory; a larger file is
    read a second time when it is applied.
    """
    digest = hashlib.sha256()
    ids: list[str] = []
    keep = int(member["size"]) <= KEEP_ROWS_BYTES
    rows: list[tuple[Any, ...]] = []
    kinds_of: dict[str, str] = {}
    max_hlc = 0
    total = int(member["size"]) or 1
    done = 0
    with zf.open(CHANGES) as raw:

        class _Hashing:
            def read(self, n: int) -> bytes:
                nonlocal done
                data = raw.read(n)
                digest.update(data)
                done += len(data)
                return data

        for i, line in enumerate(_lines(_Hashing())):  # type: ignore[arg-type]
            try:
                body = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise ValidationError(f"a change is not valid JSON ({exc.msg})") from None
            row = checked_row(body)
            kind = store.registry.kinds.get(row[2])
            if kind is None:
                raise ValidationError(
                    f"it names a kind of record ({row[2]!r}) this version does not know"
                )
            if row[4] is not None:
                kind.check(row[3], body["value"])
            elif kind.spec(row[3]) is None and not kind.dynamic:
                raise ValidationError(f"a {kind.label} has no field called {row[3]!r}")
            if kinds_of.setdefault(row[1], row[2]) != row[2]:
                raise ValidationError(f"record {row[1]} is given two different kinds")
            ids.append(row[0])
            if keep:
                rows.append(row)
            if row[7] > max_hlc:
                max_hlc = row[7]
                if max_hlc >= MAX_HLC - HLC_HEADROOM:
                    raise ValidationError("it has a clock stamp centuries in the future")
            if i % 20000 == 0:
                check_cancelled(cancelled)
                if progress:
                    progress(done, total * 2)
    if digest.hexdigest() != member["sha256"]:
        raise _refuse(
            p,
            "is damaged or has been altered since it was made"
            " (its changes do not match the manifest).",
        )
    return ids, (rows if keep else None), max_hlc
