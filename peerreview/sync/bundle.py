"""Bundles: the one file laptops exchange (USB stick, email, shared folder).

A bundle is a zip with an allow-listed layout:

    manifest.json      format and schema versions, partnership, exporting device (with its keys),
                       the stream of its log this continues and from where to where, what it has
                       of every peer's log (its version vector), every member's size and SHA-256
    manifest.sig       the exporting device's Ed25519 signature of manifest.json (base64)
    changes.jsonl      one canonical change per line, in clock order
    trust.jsonl        the signed trust statements the exporting laptop holds
    attachments/<sha256>   the files attachments point at

By default it leaves the laptop encrypted (age) to the laptops it is for. Import decrypts in memory,
validates everything before it writes anything (a bundle from a laptop not trusted is held, not
applied), backs the database up, applies in one transaction and records the bundle in the import
ledger.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import os
import re
import stat
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from peerreview import __version__
from peerreview.errors import BundleError, Cancelled, PeerReviewError, ValidationError
from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.sync import enrolment
from peerreview.sync.changes import checked_row
from peerreview.sync.checking import (
    TWO_CORES_BYTES,
    TWO_CORES_MAX_BYTES,
    Helper,
    Part,
    Who,
    check_lines,
    merge,
    second_core_free,
)
from peerreview.sync.checking import loads as _loads
from peerreview.sync.device import sign, verify
from peerreview.sync.encryption import (
    MAGIC,
    NotForMe,
    check_passphrase,
    decrypt_bytes,
    encrypt,
    encrypt_to,
)
from peerreview.sync.enrolment import printable
from peerreview.sync.ids import is_uuid
from peerreview.sync.kinds import Kind
from peerreview.sync.migrations import SCHEMA_VERSION, newer_than
from peerreview.sync.storage import trust as stored_trust
from peerreview.sync.storage.exchange import EVERYTHING, BundleSource, Selection, record_import
from peerreview.sync.storage.filecopy import FileCopy
from peerreview.sync.store import ImportBatch, Store
from peerreview.sync.trust import Statement, TrustedDevice, TrustState, evaluate, fingerprint

FORMAT = "peerreview-bundle"
FORMAT_VERSION = 2
SUFFIX = ".prbundle"

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
CHANGES = "changes.jsonl"
TRUST = "trust.jsonl"
_ATTACHMENT_RE = re.compile(r"^attachments/([0-9a-f]{64})$")

# Limits that keep a hostile or broken file from exhausting the laptop.
MAX_MANIFEST_BYTES = 20 * 1024 * 1024
MAX_CHANGES_BYTES = 8 * 1024**3
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024
MAX_TRUST_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024**3
MAX_ENCRYPTED_BYTES = 4 * 1024**3
MAX_HELD_BYTES = 512 * 1024 * 1024
MAX_MEMBERS = 200_000
MAX_RATIO = 200  # uncompressed / compressed, for attachments over 1 MB and changes over 64 MB
#: A small database's changes can be very repetitive (one long pasted line of dashes compresses a
#: thousand to one), so the ratio is only a sign of a bomb for a changes file larger than this.
RATIO_CHANGES_BYTES = 64 * 1024 * 1024
MAX_LINE_BYTES = 2 * 1024 * 1024


def _keep_rows_bytes() -> int:
    """Changes files up to this size are parsed once, their rows held until applied, and the
    first import into an empty database builds from them (``changelog.integrate_new_log``);
    larger ones are read twice and integrated by statements. Holding them makes the import's
    peak memory about 4.2 times the file (the whole region: 790 MB of changes, 3.3 GB at the
    peak against 2.1 GB read twice), so a file is held up to a twelfth of the machine's memory
    (a third of it at the peak), and always up to 256 MB."""
    floor = 256 * 1024 * 1024
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        return floor
    return max(floor, memory // 12)


KEEP_ROWS_BYTES = _keep_rows_bytes()
#: How far ahead of this laptop's clock a change may be stamped (laptops' clocks drift a little).
FUTURE_MS = 24 * 3600 * 1000

#: Zip flags a bundle may use: deflate options (2, 4), a data descriptor (8), UTF-8 names (0x800).
_ZIP_FLAGS_READ = 0x080E
_CHUNK = 1 << 20
#: Changes per block of a bundle's ``marks``: the newest position in the sender's log of each
#: block of this many lines, so that an importer that has the sender's stream that far skips the
#: block without checking it (a bundle partly known).
MARK_LINES = 512
_NOTHING = "Nothing was changed."
_NOTHING_WRITTEN = "Nothing was written."


@dataclass(frozen=True)
class ExportResult:
    path: Path
    changes: int
    attachments: int
    records: int
    #: "recipients" (age keys of the partnership's laptops), "passphrase" or "none"
    encryption: str = "none"
    #: the names of the laptops that can open it (encrypted to their keys)
    recipients: tuple[str, ...] = ()
    incremental: bool = False


@dataclass(frozen=True)
class ImportReport:
    """What one bundle did to the database."""

    filename: str
    device_name: str
    new: int
    known: int
    conflicts: int
    already_imported: bool = False
    #: the bundle was kept, not applied: its laptop is not trusted (yet)
    held: bool = False
    fingerprint: str = ""

    def summary(self) -> str:
        name = printable(self.device_name)
        if self.held:
            return (
                f"{printable(self.filename)} (from {name}): held, not applied: that laptop is not "
                f"enrolled in the partnership. A coordinator can approve it (its key reads: "
                f"{self.fingerprint})."
            )
        if self.already_imported:
            return f"{printable(self.filename)}: already imported; nothing changed."
        return (
            f"{printable(self.filename)} (from {name}): {self.new} new, "
            f"{self.known} already known, {self.conflicts} now in conflict."
        )


# ===================================================================== export


class NobodyToSendTo(BundleError):
    """No other enrolled laptop to encrypt a bundle to (a partnership of one, so far)."""


class NotForThisLaptop(BundleError):
    """A bundle encrypted for other laptops (in a shared folder, another school's or a laptop's
    bundle for the coordinators)."""


def restricted_schools(store: Store) -> list[str]:
    """The schools some record is restricted to (each gets a coordinator's bundle of its own)."""
    schools: set[str] = set()
    for kind in store.registry.kinds.values():
        if kind.restricted_to is not None:
            for rec in store.list(kind.name, include_deleted=True, order_by="id"):
                school = kind.restricted_to(rec.values)
                if school is not None:
                    schools.add(school)
    return sorted(schools)


@dataclass(frozen=True)
class Audience:
    """Who a bundle is for: the stream of this laptop's log it continues, the laptops that can
    open it, and what of the log they may have."""

    stream: str
    recipients: tuple[TrustedDevice, ...]
    #: only this laptop's own changes (a laptop that is not a coordinator relays no others')
    own_only: bool
    #: "" everything; "exclude" no record restricted to a school; a school id: only its records
    restricted: str


def audience(store: Store, school: str | None = None) -> Audience:
    """Who this laptop's bundles go to by default.

    A coordinator's bundle is for every enrolled laptop, without the records restricted to one
    school; ``school`` names the bundle of one school's restricted records, for its laptops and
    the coordinators. Any other laptop's bundle is for the coordinators and holds its own changes.
    """
    state = enrolment.trust_state(store)
    me = store.device.id
    if enrolment.is_coordinator(store, state):
        if school is not None:
            who = {d.id: d for d in state.coordinators()} | {
                d.id: d for d in state.school_devices(school)
            }
            return Audience(f"school:{school}", _others(who.values(), me), False, school)
        return Audience("shared", _others(state.active(), me), False, "exclude")
    return Audience("own", _others(state.coordinators(), me), True, "")


def _others(devices: Iterable[TrustedDevice], me: str) -> tuple[TrustedDevice, ...]:
    return tuple(sorted((d for d in devices if d.id != me), key=lambda d: d.id))


def export_bundle(
    store: Store,
    path: str | os.PathLike[str],
    *,
    school_urns: Sequence[int] | None = None,
    school_ids: Sequence[str] | None = None,
    passphrase: str | None = None,
    plain: bool = False,
    full: bool = False,
    for_school: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ExportResult:
    """Write a signed bundle of this laptop's changes, encrypted to the partnership's laptops.

    By default the bundle carries what its recipients have not acknowledged (``full`` for
    everything) and is encrypted to their keys (age X25519): a coordinator's to every enrolled
    laptop, anyone else's to the coordinators. ``passphrase`` encrypts to a passphrase instead and
    ``plain`` not at all (both carry everything chosen, whoever opens them). Schools are chosen by
    URN (``school_urns``) or record id (``school_ids``); ``for_school`` is a coordinator's bundle
    of one school's restricted records, for that school's laptops.

    The bundle is built and encrypted in memory; only the finished file is written, beside the
    target and then renamed, so nothing unencrypted touches the destination or the disk.
    """
    target = Path(path)
    if passphrase is not None:
        check_passphrase(passphrase)
    if store.partnership_id is None:
        raise BundleError(
            "This database does not belong to a partnership yet. Import a bundle from your "
            "coordinator, or create a partnership, before exporting."
        )
    aud = audience(store, for_school)
    encryption = "passphrase" if passphrase is not None else "none" if plain else "recipients"
    selection, scope = _selection(store, school_urns, school_ids)
    if encryption == "recipients" and not aud.recipients:
        raise NobodyToSendTo(
            "There is no other enrolled laptop to encrypt this bundle to yet. Invite one first, "
            f"or export with a passphrase. {_NOTHING_WRITTEN}"
        )
    last_seq = store.last_seq()
    # A stream is one kind of content of this laptop's log; recipients acknowledge how far they
    # have each. A bundle of chosen schools continues none.
    if school_urns is not None or school_ids is not None:
        stream = ""
    elif encryption != "recipients" and not aud.own_only:
        stream = "everything"
    else:
        stream = aud.stream
    from_seq, exact = (0, True) if full or not stream else _acknowledged(store, aud, stream)
    selection = selection.within(from_seq=from_seq, to_seq=last_seq)
    if aud.own_only:
        selection = selection.within(device=store.device.id)
    if encryption == "recipients" and aud.restricted:
        if _mark_restricted(store, from_seq):
            exact = False  # records newly within reach go whole: older changes come again
        selection = selection.within(restricted=aud.restricted)
    total = store.count_changes(selection)
    buffer = io.BytesIO()
    members: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        digest = hashlib.sha256()
        size = 0
        count = 0
        marks: list[int] = []
        with zf.open(CHANGES, "w", force_zip64=True) as out:
            buf: list[bytes] = []
            for seq, change in store.iter_changes_at(selection):
                line = change.to_line() + b"\n"
                buf.append(line)
                # A block holding a change from before the stream's start (sent again) is
                # marked 0, never skipped: the recipients' positions say nothing about it.
                if count % MARK_LINES == 0:
                    marks.append(seq if seq > from_seq else 0)
                elif marks[-1]:
                    marks[-1] = max(marks[-1], seq) if seq > from_seq else 0
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
        trust_lines = b"".join(s.to_line() + b"\n" for s in enrolment.statements(store))
        zf.writestr(TRUST, trust_lines)
        members.append({"name": TRUST, "size": len(trust_lines), "sha256": _sha(trust_lines)})
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
                "age": enrolment.age_recipient(store),
            },
            "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "scope": scope,
            "stream": stream,
            "log": {"from": from_seq, "to": last_seq},
            "vector": [list(v) for v in stored_trust.peer_logs(store.db)],
            # Where in this laptop's log each block of changes ends (see MARK_LINES); only when
            # the stream's recipients' positions stand for what they have of it.
            **({"marks": {"lines": MARK_LINES, "seqs": marks}} if stream and exact else {}),
            "counts": {"changes": count, "attachments": len(hashes)},
            "members": members,
        }
        manifest_bytes = orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
        zf.writestr(MANIFEST, manifest_bytes)
        zf.writestr(SIGNATURE, base64.b64encode(sign(store.private_key(), manifest_bytes)))
    check_cancelled(cancelled)
    data = buffer.getbuffer().tobytes()
    buffer.close()
    if encryption == "recipients":
        data = encrypt_to([d.age_recipient for d in aud.recipients], data)
    elif passphrase is not None:
        data = encrypt(data, passphrase)
    enrolment.write_atomically(target, data)
    if school_urns is None and school_ids is None and for_school is None:
        store.mark_exported(last_seq)
    records = store.count_records(selection)
    return ExportResult(
        target,
        count,
        len(hashes),
        records,
        encryption,
        tuple(d.name for d in aud.recipients) if encryption == "recipients" else (),
        from_seq > 0,
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _acknowledged(store: Store, aud: Audience, stream: str) -> tuple[int, bool]:
    """How far every recipient has this laptop's stream (0 when one has not said, or when one's
    scope changed since it did), and whether no scope changed (then an importer's position in the
    stream still tells what it has)."""
    if not aud.recipients:
        return 0, True
    seqs = []
    for d in aud.recipients:
        got = stored_trust.acked(store.db, d.id, stream)
        if got is None:
            return 0, True
        if got[1] != d.scope_key:
            return 0, False
        seqs.append(got[0])
    return min(seqs), True


def _mark_restricted(store: Store, from_seq: int) -> bool:
    """Which records are restricted to one school (and what belongs to them), and which had their
    restriction changed since ``from_seq`` (they go whole, to whoever may now have them): True
    when some did."""
    roots: dict[str, str] = {}
    changed: list[str] = []
    for kind in store.registry.kinds.values():
        if kind.restricted_to is None:
            continue
        for rec in store.list(kind.name, include_deleted=True, order_by="id"):
            school = kind.restricted_to(rec.values)
            if school is not None:
                roots[rec.id] = school
        changed += store.restriction_changes(kind.name, kind.restriction_fields, from_seq)
    store.mark_restricted(roots, changed)
    return bool(changed)


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
    """A bundle that passed every check, ready to apply (or to hold)."""

    name: str
    file_sha256: str
    manifest: dict[str, Any]
    change_ids: list[str]
    max_hlc: int
    #: the log rows, kept from the first pass when the bundle is small enough to hold in memory
    rows: list[tuple[Any, ...]] | None = None
    #: (device name, changes) from the import ledger when this very file was imported before
    already: tuple[str, int] | None = None
    statements: tuple[Statement, ...] = ()
    #: its laptop is not trusted: keep it for a coordinator, apply nothing
    hold: bool = False
    #: everything in it is known already, by the sender's log position (nothing to check)
    known_by_vector: bool = False
    state: TrustState | None = None
    #: blocks of changes known already by the sender's log position (see MARK_LINES): not
    #: checked, not applied
    skip: _Skip | None = None
    #: how many changes those blocks hold
    skipped: int = 0


@dataclass(frozen=True)
class _Skip:
    """Which lines of changes.jsonl an import leaves out as known (by block of ``lines``)."""

    lines: int
    blocks: frozenset[int]

    def __contains__(self, line: int) -> bool:
        return line // self.lines in self.blocks


class _Source:
    """A bundle's bytes: the file itself, or in memory (decrypted, or held)."""

    def __init__(self, name: str, path: Path | None, data: bytes | None, sha256: str) -> None:
        self.name = name
        self.path = path
        self.data = data
        self.sha256 = sha256
        #: the bytes as they arrived (encrypted, for a held bundle)
        self.original: bytes | None = None

    def open(self) -> zipfile.ZipFile:
        if self.data is not None:
            return zipfile.ZipFile(io.BytesIO(self.data))
        assert self.path is not None
        return zipfile.ZipFile(self.path)

    def raw(self) -> bytes:
        if self.original is not None:
            return self.original
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


def import_bundles(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    passphrase: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> list[ImportReport | BundleError]:
    """Import several bundles, each on its own: a refused one changes nothing, nor stops the rest.

    One backup is taken, of the database as it was before the batch, when one of its bundles
    brings something new: a coordinator merging a hundred laptops' bundles gets one copy of the
    database to go back to, not a hundred.

    Every bundle is checked before any of its changes is written, and the bundles that pass are
    merged together, in one set-based pass (see ``_Group``), so a coordinator's Friday of hundreds
    of bundles pays the merge's statements once rather than once a bundle.

    Returns:
        One ImportReport per bundle applied or held, or the BundleError that refused it.
    """
    if len(paths) <= 1:
        out: list[ImportReport | BundleError] = []
        for p in paths:
            try:
                out.append(
                    import_bundle(
                        store, p, passphrase=passphrase, progress=progress, cancelled=cancelled
                    )
                )
            except BundleError as exc:
                out.append(exc)
        return out
    done: list[ImportReport | BundleError | None] = [None] * len(paths)
    # One durable commit for the batch: a commit's fsync costs more than merging a week of one
    # laptop's work, and a coordinator's Friday is hundreds of bundles.
    batch = _Batch(store)
    backup = _BackupOnce(batch)
    group = _Group(store, backup, done, cancelled)
    try:
        batch.begin()
        for i, p in enumerate(paths):

            def part(d: int, total: int, i: int = i) -> None:
                if progress:
                    frac = d / total if total else 0.0
                    progress(int((i + frac) * 1000), len(paths) * 1000)

            try:
                _import_into(store, group, i, Path(p), passphrase, part, cancelled)
            except BundleError as exc:
                done[i] = exc
        group.apply()
        backup.finish(store)
        batch.commit()
    finally:
        backup.abandon()
        batch.rollback()
    return [r for r in done if r is not None]


def _import_into(
    store: Store,
    group: _Group,
    i: int,
    path: Path,
    passphrase: str | None,
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> None:
    """Check the ``i``-th bundle of a batch and add it to the group merged together (or apply
    it on its own, when it is held or known already)."""
    source = _open_file(store, path, passphrase)
    if not isinstance(source, ImportReport) and group.has(source.sha256):
        group.apply()  # the same file twice: the second is told it was imported already
        source = _open_file(store, path, passphrase)
    if isinstance(source, ImportReport):
        group.done[i] = source
        return
    try:
        checked = _check(store, source, progress, cancelled, group.trust)
    except BundleError:
        if not group.items:
            raise
        # What it lacks may come in the bundles before it (changes it relays, a laptop it
        # names): merge those, then check it again, as if the batch were taken one by one.
        group.apply()
        checked = _check(store, source, progress, cancelled, group.trust)
    if checked.hold or checked.known_by_vector or store.partnership_id is None:
        group.apply()
        try:
            group.done[i] = _apply_checked(
                store, source, checked, progress, cancelled, group.backup
            )
        finally:
            group.trust.clear()  # it may have taught trust statements
        return
    group.add(i, source, checked)
    # The batch's backup starts copying with the first bundle that brings something new, so the
    # copy runs while the rest are checked, not only while they are merged.
    group.backup.before(store, checked.change_ids)
    if not group.knows_statements(checked.statements):
        # A bundle that changes who is trusted changes how the next ones are checked.
        group.apply()


class _Group:
    """Checked bundles of a batch waiting to be merged together: their rows appended one bundle
    after another, then integrated once (heads, tables, conflicts, search), each bundle's
    ledger entry counted apart. Should they not go together (a record given one kind by one
    and another kind by the next), each is applied on its own, so only the one at fault is
    refused."""

    def __init__(
        self,
        store: Store,
        backup: _BackupOnce,
        done: list[ImportReport | BundleError | None],
        cancelled: CancelCheck | None,
    ) -> None:
        self.store = store
        self.backup = backup
        self.done = done
        self.cancelled = cancelled
        self.items: list[tuple[int, _Source, _Checked]] = []
        self._shas: set[str] = set()
        #: the trust list as the bundles waiting are checked against (it changes only when
        #: bundles are applied): read and replayed once, not once a bundle
        self.trust = _TrustMemo()

    def has(self, sha256: str) -> bool:
        return sha256 in self._shas

    def add(self, i: int, source: _Source, checked: _Checked) -> None:
        self.items.append((i, source, checked))
        self._shas.add(source.sha256)

    def knows_statements(self, found: Sequence[Statement]) -> bool:
        if not found:
            return True
        _, ids, _ = self.trust.held(self.store)  # (as the bundle was just checked against)
        return all(s.id in ids for s in found)

    def apply(self) -> None:
        items, self.items = self.items, []
        self._shas = set()
        if not items:
            return
        self.trust.clear()
        store = self.store
        if len(items) > 1:  # (each was offered to the backup as it was added)
            try:
                reports = _apply_together(store, items, self.cancelled)
            except BundleError:
                pass  # each on its own below
            else:
                for (i, _, _), report in zip(items, reports, strict=True):
                    self.done[i] = report
                return
        for i, source, checked in items:
            try:
                self.done[i] = _apply_checked(
                    store, source, checked, None, self.cancelled, self.backup
                )
            except BundleError as exc:
                self.done[i] = exc


class _TrustMemo:
    """The statements this laptop holds, their ids, its anchor and the trust states replayed
    from them, kept while nothing is written (clear it after applying anything); and the
    bundles' trust lines read so far, which stay (a line's statement does not depend on the
    database)."""

    def __init__(self) -> None:
        self._held: tuple[list[Statement], set[str], str | None] | None = None
        self.states: dict[tuple[str, str | None, tuple[str, ...]], TrustState] = {}
        #: a batch's bundles carry the same trust list, line for line: each line is parsed once
        self.lines: dict[bytes, Statement] = {}

    def held(self, store: Store) -> tuple[list[Statement], set[str], str | None]:
        """The statements held, their ids and the anchor, read once while nothing is written."""
        if self._held is None:
            held = enrolment.statements(store)
            self._held = (held, {s.id for s in held}, enrolment.anchor(store))
        return self._held

    def clear(self) -> None:
        self._held = None
        self.states.clear()


def _statements_of(trust_bytes: bytes, memo: _TrustMemo | None) -> tuple[Statement, ...]:
    """The statements of a bundle's trust.jsonl (its hash already checked)."""
    lines = memo.lines if memo is not None else {}
    out = []
    for line in trust_bytes.splitlines():
        if line:
            statement = lines.get(line)
            if statement is None:
                statement = Statement.from_line(line)
                if len(lines) < 100_000:
                    lines[line] = statement
            out.append(statement)
    return tuple(out)


def _apply_together(
    store: Store, items: Sequence[tuple[int, _Source, _Checked]], cancelled: CancelCheck | None
) -> list[ImportReport]:
    """Merge several checked bundles in one transaction and one set-based pass."""
    sources = []
    try:
        with store.import_batch() as batch:
            for _, source, checked in items:
                with source.open() as zf:
                    rows = checked.rows
                    total = len(checked.change_ids)
                    batch.add_rows(
                        rows if rows is not None else _rows(zf, checked, None, cancelled, total)
                    )
                    _add_attachments(batch, zf, checked.manifest)
                batch.end_part()
                check_cancelled(cancelled)
                sources.append(_bundle_source(checked))
            results = batch.finish_parts(
                sources, max(c.max_hlc for _, _, c in items), [c.skipped for _, _, c in items]
            )
            # Bundles of one partnership carry the same trust list: only statements this laptop
            # does not hold yet are written (not 300 times the same hundred or more).
            held = {st.id for st in enrolment.statements(store)}
            for _, _, checked in items:
                _learn(store, checked, held)
    except ValidationError as exc:
        raise BundleError(f"{exc.message}. {_NOTHING}") from None
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise BundleError(f"could not be read ({exc}). {_NOTHING}") from None
    reports = []
    for (_, source, checked), result in zip(items, results, strict=True):
        if checked.rows is not None:
            rows, checked.rows = checked.rows, None
            _release(rows)
        _release(checked.change_ids)
        dev = checked.manifest["device"]
        reports.append(
            ImportReport(
                source.name,
                dev["name"],
                result.new,
                result.known,
                result.conflicts,
            )
        )
    return reports


class _Batch:
    """The write transaction around a batch of bundles (each bundle nests a savepoint in it)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._scope: Any = None
        #: the log emptied into the file just before the transaction began (see Store.backup)
        self.settled: int | None = None

    def begin(self) -> None:
        self.settled = self.store.settle_for_backup()
        self._scope = self.store.transaction()
        self._scope.__enter__()

    def commit(self) -> None:
        if self._scope is not None:
            scope, self._scope = self._scope, None
            scope.__exit__(None, None, None)

    def rollback(self) -> None:
        if self._scope is not None:
            scope, self._scope = self._scope, None
            error = Cancelled()
            try:
                scope.__exit__(type(error), error, None)
            except Cancelled:
                pass


def import_bundle(
    store: Store,
    path: str | os.PathLike[str],
    *,
    passphrase: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ImportReport:
    """Import one bundle, decrypting it first if it is encrypted (see ``_import_source``)."""
    return _import_one(store, Path(path), passphrase, progress, cancelled, _BackupOnce())


def import_held(
    store: Store,
    device_id: str,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> list[ImportReport | BundleError]:
    """Import the bundles held from a laptop (once it is approved); refused ones are dropped."""
    out: list[ImportReport | BundleError] = []
    backup = _BackupOnce()
    for h in stored_trust.held(store.db, device_id):
        data = stored_trust.held_data(store.db, h.bundle_sha256)
        if data is None:
            continue
        try:
            source = _open_bytes(store, h.filename, data, h.bundle_sha256, None)
            report = _import_source(store, source, progress, cancelled, backup)
            out.append(report)
            if not report.held:
                with store.transaction():
                    stored_trust.drop_held(store.db, [h.bundle_sha256])
        except BundleError as exc:
            with store.transaction():
                stored_trust.drop_held(store.db, [h.bundle_sha256])
            out.append(exc)
    return out


def held_manifest(store: Store, sha256: str) -> dict[str, Any] | None:
    """The manifest of a held bundle (None if it cannot be read any more)."""
    data = stored_trust.held_data(store.db, sha256)
    if data is None:
        return None
    try:
        source = _open_bytes(store, "held", data, sha256, None)
        with source.open() as zf:
            manifest = orjson.loads(zf.read(MANIFEST))
    except (BundleError, zipfile.BadZipFile, KeyError, orjson.JSONDecodeError, OSError):
        return None
    return manifest if isinstance(manifest, dict) else None


class _BackupOnce:
    """The backup before an import: taken once for a batch of bundles, and only when one of them
    brings a change this database does not have (an empty database has nothing to keep).

    In a batch the database file is copied while the bundles are merged (the merge writes to the
    write-ahead log, not the file, until the batch commits): the backup is of the database as it
    was before the batch, and it is on the disk before the batch is committed.
    """

    def __init__(self, batch: _Batch | None = None) -> None:
        self.taken = False
        self.batch = batch
        self.copy: FileCopy | None = None

    def before(self, store: Store, ids: Sequence[str]) -> None:
        # An empty log has nothing to keep (its newest position says so without counting 3 M rows).
        if self.taken or store.last_seq() == 0 or store.knows_all(ids):
            return
        if self.batch is not None:
            self.copy = store.start_backup("before-import", self.batch.settled)
            if self.copy is None:
                # A snapshot is of committed data: what the batch did so far is committed first.
                self.batch.commit()
                store.backup("before-import")
                self.batch.begin()
        else:
            store.backup("before-import")
        self.taken = True

    def finish(self, store: Store) -> None:
        """Wait for the batch's backup to be whole (before the batch commits)."""
        if self.copy is not None:
            copy, self.copy = self.copy, None
            store.finish_backup(copy)

    def abandon(self) -> None:
        if self.copy is not None:
            copy, self.copy = self.copy, None
            copy.abandon()


def _import_one(
    store: Store,
    p: Path,
    passphrase: str | None,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    backup: _BackupOnce,
) -> ImportReport:
    source = _open_file(store, p, passphrase)
    if isinstance(source, ImportReport):
        return source
    return _import_source(store, source, progress, cancelled, backup)


def _open_file(store: Store, p: Path, passphrase: str | None) -> _Source | ImportReport:
    """The bundle's bytes, decrypted in memory if need be; or the ledger's word that this very
    file was imported before. Anything but a regular file is refused without being opened."""
    try:
        info = os.stat(p)
    except OSError:
        raise _refuse(p.name, "does not exist or is not a file.") from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(
            p.name, "is not a regular file (a folder, device or pipe); it was not opened."
        )
    name = printable_name(p)
    try:
        with open(p, "rb") as fh:
            head = fh.read(len(MAGIC))
            encrypted = head == MAGIC
            if encrypted:
                if info.st_size > MAX_ENCRYPTED_BYTES:
                    raise _refuse(name, "is larger than PeerReview accepts.")
                data = head + fh.read()
                sha = _sha(data)
            else:
                digest = hashlib.sha256(head)
                while chunk := fh.read(_CHUNK):
                    digest.update(chunk)
                sha = digest.hexdigest()
    except BundleError:
        raise
    except OSError as exc:
        raise _refuse(name, f"could not be read ({exc.strerror or exc}).") from None
    done = store.imported(sha)
    if done is not None:  # these very bytes were checked and applied before: nothing to do
        return ImportReport(name, done.device_name, 0, done.changes, 0, already_imported=True)
    if stored_trust.is_held(store.db, sha):
        return _held_report(store, name, sha)
    if encrypted:
        return _open_bytes(store, name, data, sha, passphrase)
    return _Source(name, p, None, sha)


def _held_report(store: Store, name: str, sha: str) -> ImportReport:
    for h in stored_trust.held(store.db):
        if h.bundle_sha256 == sha:
            return ImportReport(
                name, h.device_name, 0, 0, 0, held=True, fingerprint=fingerprint(h.public_key)
            )
    return ImportReport(name, "", 0, 0, 0, held=True)


def _open_bytes(store: Store, name: str, data: bytes, sha: str, passphrase: str | None) -> _Source:
    """A bundle in memory, decrypted (with this laptop's key, or the passphrase) if need be."""
    if not data.startswith(MAGIC):
        return _Source(name, None, data, sha)
    identity = enrolment.age_identity(store) if store.partnership_id else None
    try:
        plain = decrypt_bytes(name, data, identity, passphrase)
    except NotForMe as exc:
        raise NotForThisLaptop(exc.message) from None
    source = _Source(name, None, plain, sha)
    source.original = data
    return source


def _import_source(
    store: Store,
    source: _Source,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    backup: _BackupOnce,
) -> ImportReport:
    """Validate a bundle completely, back up, then apply it in one transaction (or hold it).

    Raises:
        BundleError: the bundle was refused; the database is unchanged.
        Cancelled: the person cancelled; the database is unchanged.
    """
    checked = _check(store, source, progress, cancelled)
    return _apply_checked(store, source, checked, progress, cancelled, backup)


def _apply_checked(
    store: Store,
    source: _Source,
    checked: _Checked,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    backup: _BackupOnce,
) -> ImportReport:
    """Hold a checked bundle, or back up and apply it in one transaction."""
    m = checked.manifest
    dev = m["device"]
    if checked.hold:
        raw = source.raw()
        if len(raw) > MAX_HELD_BYTES:
            raise _refuse(
                source.name,
                "comes from a laptop that is not enrolled, and is too large to keep until a "
                "coordinator approves it. Enrol that laptop first.",
            )
        with store.transaction():
            stored_trust.hold(
                store.db,
                source.sha256,
                source.name,
                dev["id"],
                dev["name"],
                dev["public_key"],
                m["created"],
                raw,
            )
        return ImportReport(
            source.name, dev["name"], 0, 0, 0, held=True, fingerprint=fingerprint(dev["public_key"])
        )
    bundle_source = _bundle_source(checked)
    if checked.known_by_vector:
        count = int(m["counts"]["changes"])
        with store.transaction():
            _learn(store, checked)
            record_import(store.db, bundle_source, 0, count, 0)
        return ImportReport(source.name, dev["name"], 0, count, 0)
    backup.before(store, checked.change_ids)
    total = len(checked.change_ids)
    try:
        with store.import_batch() as batch:
            if store.partnership_id is None:
                store.set_partnership_id(m["partnership"])
            with source.open() as zf:
                rows, checked.rows = checked.rows, None
                if rows is None:
                    batch.add_rows(_rows(zf, checked, progress, cancelled, total))
                else:
                    batch.add_rows(rows)  # kept until finish: a first import builds from them
                _add_attachments(batch, zf, m)
            check_cancelled(cancelled)
            result = batch.finish(bundle_source, checked.max_hlc, checked.skipped)
            _learn(store, checked)
        if rows is not None:
            _release(rows)
    except ValidationError as exc:
        raise BundleError(f"{source.name} was refused: {exc.message}. {_NOTHING}") from None
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise BundleError(f"{source.name} could not be read ({exc}). {_NOTHING}") from None
    _release(checked.change_ids)
    if progress:
        progress(total, total)
    return ImportReport(source.name, dev["name"], result.new, result.known, result.conflicts)


def _bundle_source(checked: _Checked) -> BundleSource:
    m = checked.manifest
    dev = m["device"]
    return BundleSource(
        bundle_sha256=checked.file_sha256,
        filename=checked.name,
        device_id=dev["id"],
        device_name=dev["name"],
        public_key=dev["public_key"],
        created=m["created"],
    )


def _add_attachments(batch: ImportBatch, zf: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    for member in manifest["members"]:
        match = _ATTACHMENT_RE.match(member["name"])
        if match:
            data = zf.read(member["name"])
            # Checked again as stored: the file may have changed since it was validated.
            if hashlib.sha256(data).hexdigest() != match.group(1):
                raise ValidationError("an attachment changed while it was being imported")
            batch.add_blob(match.group(1), data)


def _learn(store: Store, checked: _Checked, held: set[str] | None = None) -> None:
    """What a trusted bundle teaches besides its changes (inside the import's transaction): its
    trust statements, how far this laptop now has the sender's stream, and how far the sender has
    this laptop's; a coordinator confirms a laptop that joined with an invitation. ``held``: the
    ids of the statements this laptop holds, when the caller knows them (kept up to date)."""
    m = checked.manifest
    dev = m["device"]
    if checked.statements:
        enrolment.adopt_anchor(store, checked.statements)
        found = checked.statements
        if held is not None:
            found = tuple(st for st in found if st.id not in held)
            held.update(st.id for st in found)
        if found:
            enrolment.keep(store, found)
    log = m.get("log")
    stream = m.get("stream")
    if isinstance(log, dict) and isinstance(stream, str) and stream:
        if stored_trust.have(store.db, dev["id"], stream) >= log["from"]:
            stored_trust.set_have(store.db, dev["id"], stream, log["to"])
    state = checked.state or enrolment.trust_state(store)
    sender = state.device(dev["id"])
    if sender is not None:
        for device, his_stream, seq in m.get("vector", ()):
            if device == store.device.id:
                stored_trust.set_acked(store.db, sender.id, his_stream, seq, sender.scope_key)
        if sender.via == "invitation" and enrolment.is_coordinator(store, state):
            enrolment.auto_approve(store, sender)


def _rows(
    zf: zipfile.ZipFile,
    checked: _Checked,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    total: int,
) -> Iterator[tuple[Any, ...]]:
    """Second pass over a checked (large) changes file: its rows for the log."""
    ids = checked.change_ids
    skip = checked.skip
    k = 0
    with zf.open(CHANGES) as fh:
        for i, line in enumerate(_lines(fh)):
            if skip is not None and i in skip:
                continue
            row = checked_row(_loads(line))
            if k >= len(ids) or row[0] != ids[k]:
                raise ValidationError("the bundle changed while it was being imported")
            k += 1
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


def _refuse(name: str, why: str) -> BundleError:
    return BundleError(f"{printable(name)} {why} {_NOTHING}")


def _check(
    store: Store,
    source: _Source,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    trust: _TrustMemo | None = None,
) -> _Checked:
    """Every check, reading but never writing."""
    name = source.name
    try:
        if source.data is None and source.path is not None and not zipfile.is_zipfile(source.path):
            raise _refuse(
                name, "is not a PeerReview bundle (it is not a zip file), or it is incomplete."
            )
        with source.open() as zf:
            return _check_zip(store, name, zf, source.sha256, progress, cancelled, trust)
    except BundleError:
        raise
    except Cancelled:
        raise
    except ValidationError as exc:
        raise _refuse(name, f"holds a change that is not valid: {exc.message}.") from None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        ValueError,
        KeyError,
        NotImplementedError,
        RecursionError,
        TypeError,
        IndexError,
    ) as exc:
        raise _refuse(
            name,
            "is damaged or incomplete, or uses zip features PeerReview does not read "
            f"({printable(str(exc)[:120]) or type(exc).__name__}). Ask for it to be sent again.",
        ) from None
    except OSError as exc:
        raise _refuse(name, f"could not be read ({exc.strerror or exc}).") from None
    except PeerReviewError as exc:
        raise _refuse(name, f"was refused: {exc.message}") from None


def _check_zip(
    store: Store,
    name: str,
    zf: zipfile.ZipFile,
    file_sha256: str,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    trust: _TrustMemo | None = None,
) -> _Checked:
    infos = zf.infolist()
    names = [i.filename for i in infos]
    if len(infos) > MAX_MEMBERS:
        raise _refuse(name, "has far too many files inside to be a PeerReview bundle.")
    if len(set(names)) != len(names):
        raise _refuse(name, "has two files with the same name inside; it has been tampered with.")
    if MANIFEST not in names or SIGNATURE not in names:
        raise _refuse(name, "is not a PeerReview bundle (it has no signed manifest).")
    total = 0
    for info in infos:
        member = info.filename
        if member not in (MANIFEST, SIGNATURE, CHANGES, TRUST) and not _ATTACHMENT_RE.match(member):
            raise _refuse(
                name,
                f"contains an unexpected file ({printable(member[:80])!r}); "
                "it is not a safe bundle.",
            )
        if info.flag_bits & 0x1:
            raise _refuse(name, "contains encrypted parts PeerReview cannot read.")
        if info.flag_bits & ~_ZIP_FLAGS_READ:
            raise _refuse(name, "uses zip features PeerReview does not read; it was not opened.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                name, "uses a kind of zip compression PeerReview does not read; it was not opened."
            )
        limit = {
            MANIFEST: MAX_MANIFEST_BYTES,
            SIGNATURE: 1024,
            CHANGES: MAX_CHANGES_BYTES,
            TRUST: MAX_TRUST_BYTES,
        }.get(member, MAX_ATTACHMENT_BYTES)
        if info.file_size > limit:
            raise _refuse(
                name, f"has a part ({printable(member[:80])}) larger than PeerReview accepts."
            )
        floor = RATIO_CHANGES_BYTES if member == CHANGES else _CHUNK
        if info.file_size > floor and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(name, "is compressed suspiciously well (a zip bomb?); it was not opened.")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _refuse(name, "is larger than PeerReview accepts.")

    manifest_bytes = zf.read(MANIFEST)
    signature = base64.b64decode(zf.read(SIGNATURE), validate=True)
    try:
        manifest = orjson.loads(manifest_bytes)
    except orjson.JSONDecodeError:
        raise _refuse(name, "has a damaged manifest.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(name, "is not a PeerReview bundle.")
    fv = manifest.get("format_version")
    sv = manifest.get("schema_version")
    if type(fv) is not int or type(sv) is not int:
        raise _refuse(name, "has a damaged manifest.")
    features = manifest.get("features", {})
    if not isinstance(features, dict) or not all(
        isinstance(k, str) and type(v) is int for k, v in features.items()
    ):
        raise _refuse(name, "has a damaged manifest.")
    if fv > FORMAT_VERSION or sv > SCHEMA_VERSION or newer_than(features, store.registry):
        raise BundleError(
            f"{printable(name)} was made by a newer version of PeerReview. "
            f"Ask for the update, then import it again. {_NOTHING}"
        )
    dev = manifest.get("device")
    members = manifest.get("members")
    if (
        not isinstance(dev, dict)
        or not is_uuid(dev.get("id"))
        or not isinstance(dev.get("name"), str)
        or not 0 < len(dev["name"]) <= 200
        or not isinstance(dev.get("public_key"), str)
        or not is_uuid(manifest.get("partnership"))
        or not isinstance(manifest.get("created"), str)
        or len(manifest["created"]) > 40
        or not isinstance(members, list)
        or not _stream_ok(manifest)
    ):
        raise _refuse(name, "has a damaged manifest.")
    if not verify(dev["public_key"], signature, manifest_bytes):
        raise _refuse(
            name, "has a signature that does not match its contents; it has been altered."
        )
    pid = manifest["partnership"]
    if store.partnership_id is not None and pid != store.partnership_id:
        raise _refuse(name, "belongs to a different partnership from this database.")

    listed = {}
    for m in members:
        if (
            not isinstance(m, dict)
            or not isinstance(m.get("name"), str)
            or type(m.get("size")) is not int
            or not isinstance(m.get("sha256"), str)
        ):
            raise _refuse(name, "has a damaged manifest.")
        listed[m["name"]] = m
    present = set(names) - {MANIFEST, SIGNATURE}
    if set(listed) != present:
        raise _refuse(
            name, "does not hold exactly the files its manifest lists; it has been altered."
        )
    for member, m in listed.items():
        if zf.getinfo(member).file_size != m["size"]:
            raise _refuse(
                name, "has a file whose size differs from its manifest; it has been altered."
            )
        match = _ATTACHMENT_RE.match(member)
        if match and m["sha256"] != match.group(1):
            raise _refuse(name, "has an attachment whose name does not match its hash.")

    # Who sent it, and whether this laptop trusts them: before a single change is read.
    found: tuple[Statement, ...] = ()
    if TRUST in listed:
        trust_bytes = zf.read(TRUST)
        if _sha(trust_bytes) != listed[TRUST]["sha256"]:
            raise _refuse(name, "has been altered since it was made (its trust list).")
        found = _statements_of(trust_bytes, trust)
    state = _trust_of(store, pid, found, trust)
    sender = dev["id"]
    own = sender == store.device.id
    trusted_sender = state.device(sender)
    known_key = trusted_sender.public_key if trusted_sender is not None else None
    known_key = known_key or store.known_device_key(sender)
    if (known_key is not None and known_key != dev["public_key"]) or (
        own and dev["public_key"] != store.device.public_key
    ):
        raise _refuse(
            name,
            f"claims to come from {printable(dev['name'])!r} but is signed with a different key "
            "from that laptop's; it may not be genuine.",
        )
    if stored_trust.is_rejected(store.db, dev["public_key"]):
        raise _refuse(name, "comes from a laptop a coordinator rejected.")
    trusted = own or state.device(sender) is not None
    if not trusted:
        return _Checked(name, file_sha256, manifest, [], 0, statements=found, hold=True)

    log = manifest.get("log")
    stream = manifest.get("stream")
    if (
        not own
        and isinstance(log, dict)
        and isinstance(stream, str)
        and stream
        and log["to"] > 0
        and log["from"] <= stored_trust.have(store.db, sender, stream)
        and stored_trust.have(store.db, sender, stream) >= log["to"]
    ):
        # The sender's log position says this laptop has all of it already.
        return _Checked(
            name, file_sha256, manifest, [], 0, statements=found, known_by_vector=True, state=state
        )

    skip = None if own else _known_blocks(store, name, manifest)
    ids: list[str] = []
    rows: list[tuple[Any, ...]] | None = None
    max_hlc = 0
    skipped = 0
    if CHANGES in listed:
        ids, rows, max_hlc, skipped = _check_changes(
            store, name, zf, listed[CHANGES], state, dev, progress, cancelled, skip
        )
    for member, m in listed.items():
        if member not in (CHANGES, TRUST):
            check_cancelled(cancelled)
            if hashlib.sha256(zf.read(member)).hexdigest() != m["sha256"]:
                raise _refuse(name, "has an attachment that is damaged or altered.")
    return _Checked(
        name,
        file_sha256,
        manifest,
        ids,
        max_hlc,
        rows,
        statements=found,
        state=state,
        skip=skip if skipped else None,
        skipped=skipped,
    )


def _known_blocks(store: Store, name: str, manifest: dict[str, Any]) -> _Skip | None:
    """The blocks of a bundle's changes this laptop has already, by how far it has the sender's
    stream: each block's newest position in the sender's log (the signed manifest's ``marks``)
    is within it. None when there are none (or the bundle has no marks: an older one)."""
    marks = manifest.get("marks")
    stream = manifest.get("stream")
    if marks is None or not isinstance(stream, str) or not stream:
        return None
    count = manifest["counts"]["changes"]
    if not (
        isinstance(marks, dict)
        and set(marks) == {"lines", "seqs"}
        and type(marks["lines"]) is int
        and 0 < marks["lines"] <= 1_000_000
        and isinstance(marks["seqs"], list)
        and len(marks["seqs"]) == -(-count // marks["lines"])
        and all(type(v) is int and 0 <= v < 2**62 for v in marks["seqs"])
    ):
        raise _refuse(name, "has a damaged manifest.")
    have = stored_trust.have(store.db, manifest["device"]["id"], stream)
    blocks = frozenset(b for b, seq in enumerate(marks["seqs"]) if 0 < seq <= have)
    return _Skip(marks["lines"], blocks) if blocks else None


def _stream_ok(manifest: dict[str, Any]) -> bool:
    """The incremental part of a manifest (absent from bundles of the first format)."""
    counts = manifest.get("counts")
    if not (
        isinstance(counts, dict)
        and all(type(counts.get(k)) is int and counts[k] >= 0 for k in ("changes", "attachments"))
    ):
        return False
    if manifest.get("format_version") == 1:
        return True
    log, stream, vector = manifest.get("log"), manifest.get("stream"), manifest.get("vector")
    return (
        isinstance(stream, str)
        and len(stream) <= 100
        and isinstance(log, dict)
        and set(log) == {"from", "to"}
        and all(type(v) is int and 0 <= v < 2**62 for v in log.values())
        and log["from"] <= log["to"]
        and isinstance(vector, list)
        and len(vector) <= 100_000
        and all(
            isinstance(v, list)
            and len(v) == 3
            and is_uuid(v[0])
            and isinstance(v[1], str)
            and len(v[1]) <= 100
            and type(v[2]) is int
            and 0 <= v[2] < 2**62
            for v in vector
        )
        and (
            not isinstance(manifest["device"].get("age"), str)
            or manifest["device"]["age"].startswith("age1")
        )
    )


def _trust_of(
    store: Store, pid: str, found: Sequence[Statement], memo: _TrustMemo | None = None
) -> TrustState:
    """Who is trusted counting a bundle's statements too; a laptop that knows only its
    partnership's id learns the founder from the statements whose key the id is derived from."""
    if memo is None:
        memo = _TrustMemo()
    held, ids, anchor = memo.held(store)
    extra = [s for s in found if s.id not in ids]
    key = (pid, anchor, tuple(s.id for s in extra))
    state = memo.states.get(key)
    if state is None:
        state = memo.states[key] = evaluate(pid, anchor, held + extra)
    return state


@dataclass
class _Authors:
    """Who wrote the changes of a bundle, as the first pass sees them."""

    max_hlc: dict[str, int]
    purgers: set[str]
    #: ids of changes the sender may bring only if this laptop has them already
    suspect: list[str]


def _check_changes(
    store: Store,
    name: str,
    zf: zipfile.ZipFile,
    member: dict[str, Any],
    state: TrustState,
    dev: dict[str, Any],
    progress: Progress | None,
    cancelled: CancelCheck | None,
    skip: _Skip | None = None,
) -> tuple[list[str], list[tuple[Any, ...]] | None, int, int]:
    """First pass over changes.jsonl: hash, parse and check every change against the schema,
    and who wrote it against the trust list; the lines in ``skip`` (known already) are only
    hashed, with the rest of the file, and left out. Returns the ids and rows of the others, the
    newest clock stamp, and how many were left out.

    Rows for the log are kept when the file is small enough to hold in memory; a larger file is
    read a second time when it is applied.

    Leaving a known line out unchecked is safe because it is never written: the bundle's
    signature still covers it (the file's hash is in the signed manifest), and a line its sender
    got wrong costs only that change, which this laptop has.
    """
    keep = int(member["size"]) <= KEEP_ROWS_BYTES
    total = int(member["size"]) or 1
    sender = str(dev["id"])
    me = store.device.id
    sender_trust = state.device(sender)
    relays = sender == me or (sender_trust is not None and sender_trust.coordinator)
    who = Who(sender, me, relays, stored_trust.own_max_hlc(store.db), _future_limit())
    kinds = store.registry.kinds
    part = None
    if (
        keep
        and skip is None
        and TWO_CORES_BYTES <= total <= TWO_CORES_MAX_BYTES
        and second_core_free()
    ):
        part = _check_on_two_cores(zf, member, kinds, who, progress, cancelled)
    if part is None:
        digest = hashlib.sha256()
        done = 0
        with zf.open(CHANGES) as raw:

            class _Hashing:
                def read(self, n: int) -> bytes:
                    nonlocal done
                    data = raw.read(n)
                    digest.update(data)
                    done += len(data)
                    return data

            def tick(i: int) -> None:
                check_cancelled(cancelled)
                if progress:
                    progress(done, total * 2)

            lines = _lines(_Hashing())  # type: ignore[arg-type]
            part = check_lines(lines, 0, kinds, who, skip, keep, tick, checked_row)
        if digest.hexdigest() != member["sha256"]:
            raise _refuse(
                name,
                "is damaged or has been altered since it was made"
                " (its changes do not match the manifest).",
            )
    authors = _Authors(part.authors, part.purgers, part.suspect)
    _check_authors(store, name, state, sender, relays, authors)
    return part.ids, (part.rows if keep else None), part.max_hlc, part.skipped


def _check_on_two_cores(
    zf: zipfile.ZipFile,
    member: dict[str, Any],
    kinds: Mapping[str, Kind],
    who: Who,
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> Part | None:
    """Check the first half of the lines here while a helper process checks the second half.

    Only for a bundle that passes: None whenever anything is amiss (the file does not match
    its manifest, a line is too long or not valid, the helper failed), and the caller checks
    every line in order, one core, which refuses with the same words as ever.
    """
    helper = Helper()  # started first: its start overlaps the reading
    try:
        with zf.open(CHANGES) as fh:
            data = fh.read()
        # The helper's part a little smaller: its rows come back through a pipe.
        middle = data.find(b"\n", len(data) * 11 // 20)
        if middle < 0:
            return None
        head = data[:middle].split(b"\n")
        first = len(head) - head.count(b"")
        if not helper.send(kinds, who, first, data[middle + 1 :], MAX_LINE_BYTES):
            return None
        if hashlib.sha256(data).hexdigest() != member["sha256"]:
            return None
        head = [line for line in head if line]
        if any(len(line) > MAX_LINE_BYTES for line in head):
            return None
        total = len(head)

        def tick(i: int) -> None:
            check_cancelled(cancelled)
            if progress:
                progress(i, total * 2)

        try:
            mine = check_lines(head, 0, kinds, who, None, True, tick, checked_row)
        except ValidationError:
            return None
        del head, data
        theirs = helper.result()
        return None if theirs is None else merge(mine, theirs)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, MemoryError):
        return None
    finally:
        helper.stop()


def _future_limit() -> int:
    """Changes stamped more than a day ahead of this laptop's clock are refused: taken in, they
    would move its clock and win every later tie."""
    now_ms = time.time_ns() // 1_000_000
    return (now_ms + FUTURE_MS) << 16


def _check_authors(
    store: Store, name: str, state: TrustState, sender: str, relays: bool, authors: _Authors
) -> None:
    """Who may have written what: a laptop brings only its own changes unless it is a
    coordinator, no one brings this laptop's own changes it does not have, a revoked laptop's
    changes after its revocation are refused, and only coordinators purge."""
    if authors.suspect and not store.knows_all(authors.suspect):
        raise _refuse(
            name,
            "holds changes claiming to come from another laptop than the one that signed it; "
            "it may not be genuine.",
        )
    for author, newest in authors.max_hlc.items():
        trusted = state.device(author)
        if trusted is not None and trusted.revoked_after is not None:
            if newest > trusted.revoked_after:
                raise _refuse(
                    name,
                    f"holds changes {printable(trusted.name)} made after a coordinator revoked it.",
                )
        elif trusted is None and author != store.device.id and author == sender:
            raise _refuse(name, "comes from a laptop the partnership does not trust.")
    for author in authors.purgers:
        trusted = state.device(author)
        if author == store.device.id:
            continue
        if trusted is None or not trusted.coordinator:
            raise _refuse(
                name,
                "holds a purge made by a laptop that is not a coordinator's; only coordinators "
                "erase records for good.",
            )
