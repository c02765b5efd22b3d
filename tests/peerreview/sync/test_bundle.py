"""Bundles: round trips, chosen-school exports, attachments, and every way a bad file is refused.

A refused bundle must raise BundleError with one clear sentence and leave the database byte-for-byte
unchanged (checked on the closed file, and through the dump while it is open).
"""

from __future__ import annotations

import base64
import hashlib
import os
import sqlite3
import struct
import time
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from peerreview.errors import BundleError
from peerreview.sync.bundle import (
    CHANGES,
    MANIFEST,
    SIGNATURE,
    ImportReport,
    export_bundle,
    import_bundle,
    import_bundles,
)
from peerreview.sync.check import check
from peerreview.sync.device import sign
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"observation sheet"


# ------------------------------------------------------------------------------------ zip helpers


def read_members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def write_zip(
    path: Path, items: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are written on purpose in one test
        with zipfile.ZipFile(path, "w", compression=compression) as zf:
            for name, data in items:
                zf.writestr(name, data)
    return path


def replace(items: list[tuple[str, bytes]], name: str, data: bytes) -> list[tuple[str, bytes]]:
    assert any(n == name for n, _ in items)
    return [(n, data if n == name else d) for n, d in items]


def manifest_of(items: list[tuple[str, bytes]]) -> dict[str, Any]:
    return orjson.loads(dict(items)[MANIFEST])


def resign(
    items: list[tuple[str, bytes]], private_key: bytes, manifest: dict[str, Any]
) -> list[tuple[str, bytes]]:
    """Replace the manifest and sign it again with a device's own key (a 'genuine' bundle)."""
    data = orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
    items = replace(items, MANIFEST, data)
    return replace(items, SIGNATURE, base64.b64encode(sign(private_key, data)))


def with_member(
    items: list[tuple[str, bytes]], private_key: bytes, name: str, data: bytes
) -> list[tuple[str, bytes]]:
    """Put a member in (or replace it), list it correctly in the manifest, and re-sign."""
    m = manifest_of(items)
    m["members"] = [e for e in m["members"] if e["name"] != name] + [
        {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    ]
    items = [(n, d) for n, d in items if n != name] + [(name, data)]
    return resign(items, private_key, m)


# ------------------------------------------------------------------------------------ fixtures


@dataclass
class Setup:
    tmp: Path
    a: Store  # the exporter, still open
    key: bytes  # A's private key, to forge "genuine" variants
    b_path: Path  # the importer, closed; it already knows A from an earlier bundle
    bundle: Path  # a bundle from A with changes B has not seen
    school: str


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    a = Store.init(tmp_path / "a.db", device_name="Laptop A", partnership_name="Coventry")
    school = a.create("school", {"name": "Grace Academy", "urn": 135335, "phase": "Secondary"})
    a.create("person", {"name": "Amira Patel", "role": "Headteacher", "school": school})
    first = tmp_path / "first.prbundle"
    export_bundle(a, first, full=True, plain=True)
    b = Store.init(tmp_path / "b.db", device_name="Laptop B", partnership_id=a.partnership_id)
    import_bundle(b, first)
    b.create("school", {"name": "West Coventry Academy", "urn": 137209})
    b.close()
    a.set(school, "notes", "Grace notes typed on laptop A")
    a.create("school", {"name": "Moat House Primary", "urn": 142205})
    bundle = tmp_path / "second.prbundle"
    export_bundle(a, bundle, full=True, plain=True)
    return Setup(tmp_path, a, a.private_key(), tmp_path / "b.db", bundle, school)


def refuse(db_path: Path, bundle: Path) -> str:
    """Import ``bundle`` into the closed database at ``db_path``: refused, changing nothing."""
    before = db_path.read_bytes()
    with Store.open(db_path) as store:
        dump = dump_bytes(store)
        ledger = store.db.execute("SELECT count(*) FROM imports").fetchone()[0]
        known = store.db.execute(
            "SELECT id, name, public_key FROM known_devices ORDER BY id"
        ).fetchall()
        with pytest.raises(BundleError) as caught:
            import_bundle(store, bundle)
        assert dump_bytes(store) == dump
        assert store.db.execute("SELECT count(*) FROM imports").fetchone()[0] == ledger
        assert (
            store.db.execute(
                "SELECT id, name, public_key FROM known_devices ORDER BY id"
            ).fetchall()
            == known
        )
        assert check(store) == []
    assert db_path.read_bytes() == before
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    assert message.rstrip().endswith("Nothing was changed.")
    return message


def accept(db_path: Path, bundle: Path) -> None:
    """The control: the untampered bundle is accepted (so the refusals are about the tampering)."""
    with Store.open(db_path) as store:
        report = import_bundle(store, bundle)
        assert report.new > 0
        assert check(store) == []


# ------------------------------------------------------------------------------------ round trips


def test_round_trip_into_a_fresh_database(tmp_path: Path) -> None:
    a = Store.init(tmp_path / "a.db", device_name="Laptop A", partnership_name="Coventry")
    from peerreview.demo import build_demo

    demo_photos = build_demo(a, "small")["attachment"]
    school = a.list("school")[0].id
    a.delete(a.list("person")[0].id)
    a.add_attachment(
        school, PHOTO, filename="sheet.jpg", media_type="image/jpeg", caption="Lesson 1"
    )
    path = tmp_path / "a.prbundle"
    result = export_bundle(a, path, full=True, plain=True)
    assert result.changes == a.change_count()
    assert demo_photos > 0 and result.attachments == demo_photos + 1
    assert result.path == path and path.exists()
    assert not list(tmp_path.glob(".export-*"))  # no temporary file left behind

    b = Store.init(tmp_path / "b.db", device_name="Laptop B")
    assert b.partnership_id is None
    report = import_bundle(b, path)
    assert report.new == a.change_count() and report.known == 0 and report.conflicts == 0
    assert not report.already_imported
    assert b.partnership_id == a.partnership_id
    assert dump_bytes(a) == dump_bytes(b)
    assert check(b) == []
    assert "Laptop A" in report.summary()


def test_export_of_chosen_schools(tmp_path: Path) -> None:
    a = Store.init(tmp_path / "a.db", device_name="Laptop A", partnership_name="Coventry")
    group = a.create("group", {"name": "Coventry trio", "type": "Trio"})
    schools = {}
    people = {}
    for urn, name in (
        (135335, "Grace Academy"),
        (137209, "West Coventry Academy"),
        (142205, "Moat House"),
    ):
        schools[urn] = a.create("school", {"name": name, "urn": urn})
        people[urn] = a.create(
            "person", {"name": f"Head of {name}", "role": "Headteacher", "school": schools[urn]}
        )
        a.set(schools[urn], "headteacher", people[urn])
        a.create("membership", {"group": group, "school": schools[urn], "start": "2024-09-01"})
        a.add_attachment(
            people[urn], f"photo of {name}".encode(), filename=f"{urn}.jpg", media_type="image/jpeg"
        )
    # A membership that names only a person (found through the person's school).
    a.create("membership", {"group": group, "person": people[135335], "role": "Lead"})

    path = tmp_path / "two.prbundle"
    export_bundle(a, path, school_urns=[135335, 142205], full=True, plain=True)
    manifest = manifest_of(read_members(path))
    assert manifest["scope"] == {"schools": [135335, 142205]}

    b = Store.init(tmp_path / "b.db", device_name="Laptop B", partnership_id=a.partnership_id)
    import_bundle(b, path)
    assert check(b) == []
    assert sorted(s["urn"] for s in b.list("school")) == [135335, 142205]
    assert {p["name"] for p in b.list("person")} == {"Head of Grace Academy", "Head of Moat House"}
    assert {m["school"] for m in b.list("membership") if m["school"]} == {
        schools[135335],
        schools[142205],
    }
    assert [m["person"] for m in b.list("membership") if m["person"]] == [people[135335]]
    assert [g["name"] for g in b.list("group")] == ["Coventry trio"]  # partnership-wide
    assert b.exists(a.partnership_id)  # the partnership record itself
    assert not b.exists(schools[137209]) and not b.exists(people[137209])
    files = {att["filename"] for att in b.list("attachment")}
    assert files == {"135335.jpg", "142205.jpg"}
    assert (
        b.blob(hashlib.sha256(b"photo of Grace Academy").hexdigest()) == b"photo of Grace Academy"
    )
    assert b.blob(hashlib.sha256(b"photo of West Coventry Academy").hexdigest()) is None
    # The rest arrives later with a full bundle; the two then agree exactly.
    full = tmp_path / "all.prbundle"
    export_bundle(a, full, full=True, plain=True)
    import_bundle(b, full)
    assert dump_bytes(a) == dump_bytes(b)


def test_export_of_an_unknown_school_is_refused(setup: Setup) -> None:
    out = setup.tmp / "none.prbundle"
    with pytest.raises(BundleError, match="no school with URN 999999"):
        export_bundle(setup.a, out, school_urns=[999999], full=True, plain=True)
    assert not out.exists()


def test_export_needs_a_partnership(tmp_path: Path) -> None:
    lone = Store.init(tmp_path / "lone.db", device_name="Lone laptop")
    with pytest.raises(BundleError, match="partnership"):
        export_bundle(lone, tmp_path / "x.prbundle", full=True, plain=True)


def test_attachment_round_trip(setup: Setup) -> None:
    att = setup.a.add_attachment(
        setup.school, PHOTO, filename="obs sheet.jpg", media_type="image/jpeg", caption="Lesson 2"
    )
    sha = hashlib.sha256(PHOTO).hexdigest()
    path = setup.tmp / "att.prbundle"
    export_bundle(setup.a, path, full=True, plain=True)
    names = [n for n, _ in read_members(path)]
    assert f"attachments/{sha}" in names
    with Store.open(setup.b_path) as b:
        import_bundle(b, path)
        rec = b.get(att)
        assert rec["sha256"] == sha and rec["filename"] == "obs sheet.jpg"
        assert rec["media_type"] == "image/jpeg" and rec["size"] == len(PHOTO)
        assert rec["owner"] == setup.school and rec["caption"] == "Lesson 2"
        assert b.blob(sha) == PHOTO
        assert check(b) == []


def test_untampered_bundle_is_accepted(setup: Setup) -> None:
    accept(setup.b_path, setup.bundle)


# ------------------------------------------------------------------------------------ refusals


def test_truncated_bundles_are_refused(setup: Setup) -> None:
    data = setup.bundle.read_bytes()
    for cut in (len(data) // 2, len(data) - 1, 30):
        bad = setup.tmp / f"cut-{cut}.prbundle"
        bad.write_bytes(data[:cut])
        message = refuse(setup.b_path, bad)
        assert "cut-" in message
    accept(setup.b_path, setup.bundle)


def test_one_byte_changed_inside_changes_is_refused(setup: Setup) -> None:
    items = read_members(setup.bundle)
    changes = dict(items)[CHANGES]
    at = changes.index(b"Grace notes")
    flipped = changes[:at] + b"Grade" + changes[at + 5 :]
    assert len(flipped) == len(changes)
    bad = write_zip(setup.tmp / "flipped.prbundle", replace(items, CHANGES, flipped))
    message = refuse(setup.b_path, bad)
    assert "altered" in message
    accept(setup.b_path, setup.bundle)


def _flip(path: Path, out: Path, member: str, fraction: float) -> Path:
    """Copy a bundle with one byte of a member's stored (compressed) data inverted."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    name_len, extra_len = struct.unpack_from(
        "<HH", data, info.header_offset + 26
    )  # the local header's
    start = info.header_offset + 30 + name_len + extra_len
    data[start + int(info.compress_size * fraction)] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


def test_damaged_stored_data_is_refused(setup: Setup) -> None:
    """A bit flip in transit (bad USB stick): the CRC catches it."""
    stored = write_zip(
        setup.tmp / "stored.prbundle", read_members(setup.bundle), zipfile.ZIP_STORED
    )
    for k, fraction in enumerate((0.1, 0.5, 0.9)):
        bad = _flip(stored, setup.tmp / f"flip-{k}.prbundle", CHANGES, fraction)
        refuse(setup.b_path, bad)
    accept(setup.b_path, stored)


def test_damaged_compressed_data_is_refused(setup: Setup) -> None:
    # Where the flip lands decides whether zipfile reports a bad CRC or zlib a broken stream.
    for k in range(48):
        bad = _flip(setup.bundle, setup.tmp / f"crc-{k}.prbundle", CHANGES, (k + 0.5) / 48)
        refuse(setup.b_path, bad)


def test_modified_manifest_fails_the_signature(setup: Setup) -> None:
    items = read_members(setup.bundle)
    m = manifest_of(items)
    m["device"]["name"] = "Mr Evil's laptop"
    data = orjson.dumps(m, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
    bad = write_zip(setup.tmp / "manifest.prbundle", replace(items, MANIFEST, data))
    assert "signature" in refuse(setup.b_path, bad)


def test_changes_replaced_with_a_matching_manifest_but_old_signature(setup: Setup) -> None:
    items = read_members(setup.bundle)
    changes = dict(items)[CHANGES].replace(b"Grace notes", b"Grade notes")
    m = manifest_of(items)
    for e in m["members"]:
        if e["name"] == CHANGES:
            e["sha256"] = hashlib.sha256(changes).hexdigest()
    data = orjson.dumps(m, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
    bad = write_zip(
        setup.tmp / "forged.prbundle", replace(replace(items, CHANGES, changes), MANIFEST, data)
    )
    assert "signature" in refuse(setup.b_path, bad)


@pytest.mark.parametrize(
    "name",
    [
        "../evil",
        "../../home/evil.sh",
        "/etc/passwd",
        "attachments/../manifest.json",
        "attachments/../../evil",
        "attachments\\..\\evil",
        "changes.jsonl/../../evil",
        "attachments/" + "a" * 64 + "/../../evil",
        "attachments/" + "A" * 64,
        "notes.txt",
    ],
)
def test_unexpected_or_tricky_member_names_are_refused(setup: Setup, name: str) -> None:
    items = read_members(setup.bundle) + [(name, b"#!/bin/sh\necho pwned\n")]
    bad = write_zip(setup.tmp / "tricky.prbundle", items)
    refuse(setup.b_path, bad)
    # Even listed in a correctly signed manifest, the name is refused.
    signed = write_zip(
        setup.tmp / "tricky-signed.prbundle",
        with_member(read_members(setup.bundle), setup.key, name, b"x"),
    )
    message = refuse(setup.b_path, signed)
    assert "unexpected file" in message or "not a safe" in message
    assert not (setup.tmp.parent / "evil").exists() and not (setup.tmp / "evil").exists()


def test_duplicate_member_names_are_refused(setup: Setup) -> None:
    items = read_members(setup.bundle)
    changes = dict(items)[CHANGES]
    bad = write_zip(
        setup.tmp / "dup.prbundle", items + [(CHANGES, changes.replace(b"Grace", b"Grade"))]
    )
    assert "same name" in refuse(setup.b_path, bad)


def test_unlisted_attachment_is_refused(setup: Setup) -> None:
    blob = b"smuggled"
    items = read_members(setup.bundle) + [(f"attachments/{hashlib.sha256(blob).hexdigest()}", blob)]
    bad = write_zip(setup.tmp / "unlisted.prbundle", items)
    assert "altered" in refuse(setup.b_path, bad)


def test_attachment_whose_content_does_not_match_its_hash_is_refused(setup: Setup) -> None:
    setup.a.add_attachment(setup.school, PHOTO, filename="x.jpg", media_type="image/jpeg")
    path = setup.tmp / "att.prbundle"
    export_bundle(setup.a, path, full=True, plain=True)
    items = read_members(path)
    name = next(n for n, _ in items if n.startswith("attachments/"))
    tampered = PHOTO[:-8] + b"TAMPERED"
    bad = write_zip(setup.tmp / "att-bad.prbundle", replace(items, name, tampered))
    refuse(setup.b_path, bad)
    # Also when the manifest is re-signed by a genuine key but still names the old hash.
    m = manifest_of(items)
    items2 = resign(replace(items, name, tampered), setup.key, m)
    refuse(setup.b_path, write_zip(setup.tmp / "att-bad2.prbundle", items2))


def test_not_a_zip_is_refused(setup: Setup) -> None:
    text = setup.tmp / "notes.prbundle"
    text.write_text("These are my notes from the review, not a bundle.\n", encoding="utf-8")
    assert "not a zip" in refuse(setup.b_path, text)


def test_empty_file_is_refused(setup: Setup) -> None:
    empty = setup.tmp / "empty.prbundle"
    empty.write_bytes(b"")
    refuse(setup.b_path, empty)


def test_missing_file_and_folder_are_refused(setup: Setup) -> None:
    assert "does not exist" in refuse(setup.b_path, setup.tmp / "nowhere.prbundle")
    refuse(setup.b_path, setup.tmp)


def test_zip_without_a_manifest_is_refused(setup: Setup) -> None:
    items = [(n, d) for n, d in read_members(setup.bundle) if n != MANIFEST]
    assert "manifest" in refuse(setup.b_path, write_zip(setup.tmp / "nomanifest.prbundle", items))


def test_zip_bomb_is_refused(setup: Setup) -> None:
    bomb = bytes(20 * 1024 * 1024)  # 20 MB of zeros compresses about 1000 to 1
    name = f"attachments/{hashlib.sha256(bomb).hexdigest()}"
    bad = write_zip(
        setup.tmp / "bomb.prbundle", with_member(read_members(setup.bundle), setup.key, name, bomb)
    )
    assert bad.stat().st_size < 200_000
    assert "zip bomb" in refuse(setup.b_path, bad)


def test_changes_bomb_is_refused(setup: Setup) -> None:
    items = read_members(setup.bundle)
    changes = dict(items)[CHANGES] + b"\n" * (70 * 1024 * 1024)
    bad = write_zip(setup.tmp / "bomb2.prbundle", with_member(items, setup.key, CHANGES, changes))
    assert "zip bomb" in refuse(setup.b_path, bad)


@pytest.mark.parametrize("key", ["schema_version", "format_version"])
def test_bundle_from_a_newer_version_is_refused(setup: Setup, key: str) -> None:
    items = read_members(setup.bundle)
    m = manifest_of(items)
    m[key] = 999
    bad = write_zip(setup.tmp / "newer.prbundle", resign(items, setup.key, m))
    message = refuse(setup.b_path, bad)
    assert "newer version" in message


def test_bundle_with_an_invalid_value_is_refused(setup: Setup) -> None:
    items = read_members(setup.bundle)
    line = orjson.loads(dict(items)[CHANGES].splitlines()[0])
    line.update(
        {
            "record": setup.school,
            "kind": "school",
            "field": "urn",
            "value": "not a number",
            "parents": [],
            "hlc": line["hlc"] + 1,
        }
    )
    line.pop("seen", None)
    changes = dict(items)[CHANGES] + orjson.dumps(line, option=orjson.OPT_SORT_KEYS) + b"\n"
    bad = write_zip(
        setup.tmp / "badvalue.prbundle", with_member(items, setup.key, CHANGES, changes)
    )
    assert "whole number" in refuse(setup.b_path, bad)


def test_bundle_with_an_unknown_kind_is_refused(setup: Setup) -> None:
    items = read_members(setup.bundle)
    line = orjson.loads(dict(items)[CHANGES].splitlines()[0])
    line.update({"kind": "spaceship", "field": "name", "value": "Enterprise", "parents": []})
    line.pop("seen", None)
    changes = dict(items)[CHANGES] + orjson.dumps(line, option=orjson.OPT_SORT_KEYS) + b"\n"
    bad = write_zip(setup.tmp / "kind.prbundle", with_member(items, setup.key, CHANGES, changes))
    assert "spaceship" in refuse(setup.b_path, bad)


def test_bundle_giving_a_known_record_another_kind_is_refused(setup: Setup) -> None:
    """Valid on its own, but the record is a school in the importing database: refused whole."""
    items = read_members(setup.bundle)
    line = {
        "author": "Laptop A",
        "device": setup.a.device.id,
        "field": "name",
        "hlc": 1 << 60,
        "kind": "person",
        "parents": [],
        "record": setup.school,
        "value": "Not a school",
    }
    changes = dict(items)[CHANGES] + orjson.dumps(line, option=orjson.OPT_SORT_KEYS) + b"\n"
    bad = write_zip(
        setup.tmp / "twokinds.prbundle", with_member(items, setup.key, CHANGES, changes)
    )
    assert "kind" in refuse(setup.b_path, bad)


def test_bundle_with_malformed_json_line_is_refused(setup: Setup) -> None:
    items = read_members(setup.bundle)
    changes = dict(items)[CHANGES] + b'{"record": "oops"\n'
    bad = write_zip(setup.tmp / "json.prbundle", with_member(items, setup.key, CHANGES, changes))
    refuse(setup.b_path, bad)


def test_bundle_of_another_partnership_is_refused(setup: Setup) -> None:
    other = Store.init(
        setup.tmp / "other.db", device_name="Elsewhere", partnership_name="Birmingham"
    )
    other.create("school", {"name": "Elsewhere School", "urn": 100001})
    path = setup.tmp / "other.prbundle"
    export_bundle(other, path, full=True, plain=True)
    assert "different partnership" in refuse(setup.b_path, path)


def test_device_id_reused_with_a_different_key_is_refused(setup: Setup) -> None:
    impostor_path = setup.tmp / "impostor.db"
    impostor = Store.init(
        impostor_path, device_name="Laptop A", partnership_id=setup.a.partnership_id
    )
    impostor.close()
    with sqlite3.connect(impostor_path) as conn:
        conn.execute("UPDATE device SET id = ?", [setup.a.device.id])
    conn.close()
    with Store.open(impostor_path) as impostor:
        assert impostor.device.id == setup.a.device.id
        assert impostor.device.public_key != setup.a.device.public_key
        impostor.create("school", {"name": "Impostor Academy", "urn": 666666})
        path = setup.tmp / "impostor.prbundle"
        export_bundle(impostor, path, full=True, plain=True)
    # B knows laptop A's key from its first bundle.
    assert "different key" in refuse(setup.b_path, path)
    # And laptop A itself knows its own key.
    a_path = setup.a.path
    setup.a.close()
    assert "different key" in refuse(a_path, path)


def test_bundle_signed_with_another_key_than_it_names_is_refused(setup: Setup) -> None:
    """A manifest naming A's public key, signed by someone else's private key."""
    intruder = Store.init(
        setup.tmp / "intruder.db", device_name="X", partnership_id=setup.a.partnership_id
    )
    items = read_members(setup.bundle)
    bad = write_zip(
        setup.tmp / "intruder.prbundle", resign(items, intruder.private_key(), manifest_of(items))
    )
    assert "signature" in refuse(setup.b_path, bad)


def test_refused_bundle_among_good_ones_does_not_stop_them(setup: Setup) -> None:
    from peerreview.sync.bundle import import_bundles

    bad = setup.tmp / "bad.prbundle"
    bad.write_text("nope")
    with Store.open(setup.b_path) as b:
        results = import_bundles(b, [bad, setup.bundle])
        assert isinstance(results[0], BundleError)
        assert not isinstance(results[1], BundleError) and results[1].new > 0
        assert check(b) == []


def _lie_about_size(path: Path, member: str, size: int) -> None:
    """Patch a member's uncompressed size in its local header and the central directory."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    assert raw[info.header_offset : info.header_offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", raw, info.header_offset + 22, size)
    at = 0
    while (at := raw.find(b"PK\x01\x02", at)) >= 0:
        name_len = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + name_len] == member.encode():
            struct.pack_into("<I", raw, at + 24, size)
        at += 4
    path.write_bytes(bytes(raw))


def test_zip_bomb_that_lies_about_its_size_is_refused(setup: Setup) -> None:
    items = read_members(setup.bundle)
    honest = dict(items)[CHANGES]
    bomb = honest + b"\n" * (30 * 1024 * 1024)
    bad = write_zip(setup.tmp / "liar.prbundle", replace(items, CHANGES, bomb))
    _lie_about_size(bad, CHANGES, len(honest))
    started = time.perf_counter()
    refuse(setup.b_path, bad)
    assert time.perf_counter() - started < 10  # the 30 MB were never inflated in full


def test_cancelling_an_import_at_any_point_changes_nothing(setup: Setup) -> None:
    from peerreview.errors import Cancelled

    with Store.open(setup.b_path) as b:
        dump = dump_bytes(b)
        ledger = b.db.execute("SELECT count(*) FROM imports").fetchone()[0]
        for n in range(1, 100):
            calls = 0

            def cancelled(n: int = n) -> bool:
                nonlocal calls
                calls += 1
                return calls >= n

            try:
                report = import_bundle(b, setup.bundle, cancelled=cancelled)
            except Cancelled:
                assert dump_bytes(b) == dump
                assert b.db.execute("SELECT count(*) FROM imports").fetchone()[0] == ledger
                assert check(b) == []
                continue
            break
        else:
            pytest.fail("the import never finished")
        assert n > 2  # it was cancelled at several points before finishing
        assert report.new > 0 and dump_bytes(b) != dump
        assert check(b) == []


def test_cancelled_export_leaves_no_file(setup: Setup) -> None:
    from peerreview.errors import Cancelled

    setup.a.add_attachment(setup.school, PHOTO, filename="x.jpg", media_type="image/jpeg")
    out = setup.tmp / "cancelled.prbundle"
    with pytest.raises(Cancelled):
        export_bundle(setup.a, out, cancelled=lambda: True, full=True, plain=True)
    assert not out.exists()
    assert not list(setup.tmp.glob(".export-*"))


def test_bundle_with_a_stamp_past_the_limit_is_refused(setup: Setup) -> None:
    """A bundle stamped past the limit would run the importer's clock out: refused, no change."""
    from peerreview.sync.changes import MAX_HLC

    setup.a.clock.last = MAX_HLC + 5  # a laptop whose clock (or bundle) is absurdly far ahead
    setup.a.create("school", {"name": "From the year 292 million"})
    path = setup.tmp / "future.prbundle"
    export_bundle(setup.a, path, full=True, plain=True)
    assert "clock" in refuse(setup.b_path, path)
    with Store.open(setup.b_path) as b:
        b.create("school", {"name": "Typed on B afterwards"})  # local edits still work
        assert check(b) == []


def test_bundle_with_a_stamp_near_the_limit_does_not_cut_the_importer_off(setup: Setup) -> None:
    from peerreview.sync.changes import MAX_HLC

    setup.a.clock.last = MAX_HLC - 2
    setup.a.create("school", {"name": "From the far future"})
    path = setup.tmp / "future.prbundle"
    export_bundle(setup.a, path, full=True, plain=True)
    with Store.open(setup.b_path) as b:
        try:
            import_bundle(b, path)
        except BundleError:
            return  # refusing the poisoned bundle is a fine answer
        b.create("school", {"name": "Typed on B afterwards"})
        export_bundle(b, setup.tmp / "b.prbundle", full=True, plain=True)
    c = Store.init(setup.tmp / "c.db", device_name="C", partnership_id=setup.a.partnership_id)
    import_bundle(c, setup.tmp / "b.prbundle")  # B's later work must still reach others
    assert check(c) == []


def _swap_during_validation(target: Path, replacement: Path) -> Callable[[int, int], None]:
    """A progress callback that replaces the bundle file once (a new inode, as sync clients do)."""
    swapped: list[bool] = []

    def progress(done: int, total: int) -> None:
        if not swapped:
            os.replace(replacement, target)
            swapped.append(True)

    return progress


@pytest.mark.parametrize("second_pass", [False, True], ids=["rows-kept", "read-twice"])
def test_changes_replaced_while_importing_are_not_applied_unverified(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, second_pass: bool
) -> None:
    import peerreview.sync.bundle as bundle_module

    if second_pass:  # make the bundle count as large: its changes are read again when applied
        monkeypatch.setattr(bundle_module, "KEEP_ROWS_BYTES", 0, raising=False)
    items = read_members(setup.bundle)
    forged = dict(items)[CHANGES].replace(b"Grace notes", b"Forge notes")
    replacement = write_zip(setup.tmp / "replacement.prbundle", replace(items, CHANGES, forged))
    with Store.open(setup.b_path) as b:
        try:
            import_bundle(
                b, setup.bundle, progress=_swap_during_validation(setup.bundle, replacement)
            )
        except BundleError:
            return  # refusing is a fine answer
        assert b.get(setup.school)["notes"] == "Grace notes typed on laptop A"
        assert check(b) == []


def test_attachment_replaced_while_importing_is_not_stored_unverified(setup: Setup) -> None:
    setup.a.add_attachment(setup.school, PHOTO, filename="sheet.jpg", media_type="image/jpeg")
    path = setup.tmp / "att.prbundle"
    export_bundle(setup.a, path, full=True, plain=True)
    items = read_members(path)
    name = next(n for n, _ in items if n.startswith("attachments/"))
    forged = PHOTO[:-6] + b"FORGED"
    replacement = write_zip(setup.tmp / "replacement.prbundle", replace(items, name, forged))
    with Store.open(setup.b_path) as b:
        try:
            import_bundle(b, path, progress=_swap_during_validation(path, replacement))
        except BundleError:
            return  # refusing is a fine answer
        assert b.blob(hashlib.sha256(PHOTO).hexdigest()) == PHOTO
        assert check(b) == []


def test_export_by_school_id_for_a_school_without_urn(tmp_path: Path) -> None:
    a = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    setting = a.create("school", {"name": "Little Acorns Nursery"})  # no URN
    a.create("person", {"name": "Manager", "school": setting})
    a.create("school", {"name": "Elsewhere", "urn": 100001})
    export_bundle(a, tmp_path / "one.prbundle", school_ids=[setting], full=True, plain=True)
    b = Store.init(tmp_path / "b.db", device_name="B", partnership_id=a.partnership_id)
    import_bundle(b, tmp_path / "one.prbundle")
    assert [s["name"] for s in b.list("school")] == ["Little Acorns Nursery"]
    assert [p["name"] for p in b.list("person")] == ["Manager"]


def test_a_very_repetitive_small_database_still_travels(tmp_path: Path) -> None:
    """One long pasted line compresses a thousand to one; that is not a zip bomb."""
    a = Store.init(tmp_path / "a.db", device_name="Laptop A", partnership_name="Coventry")
    for n in range(8):
        a.create("school", {"name": f"School {n}", "notes": "-" * 190_000 + "\x01" * 1_000})
    out = tmp_path / "dashes.prbundle"
    export_bundle(a, out, full=True, plain=True)
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo(CHANGES)
        assert info.file_size > 1024 * 1024 and info.file_size > 200 * info.compress_size
    b = Store.init(tmp_path / "b.db", device_name="Laptop B", partnership_id=a.partnership_id)
    assert import_bundle(b, out).new == a.change_count()
    assert dump_bytes(b) == dump_bytes(a)


def test_the_summary_counts_a_new_conflict_when_another_is_settled(tmp_path: Path) -> None:
    a = Store.init(tmp_path / "a.db", device_name="A", partnership_name="Coventry")
    b = Store.init(tmp_path / "b.db", device_name="B", partnership_id=a.partnership_id)
    c = Store.init(tmp_path / "c.db", device_name="C", partnership_id=a.partnership_id)
    enrol(a, b, role=COORDINATOR)
    enrol(a, c, role=COORDINATOR)
    school = a.create("school", {"name": "Grace", "urn": 1, "phase": "Primary"})

    def send(src: Store, dst: Store, name: str) -> ImportReport:
        path = tmp_path / f"{name}.prbundle"
        export_bundle(src, path, full=True, plain=True)
        return import_bundle(dst, path)

    send(a, b, "seed")
    send(a, c, "seed-c")
    a.set(school, "name", "Grace Academy")
    b.set(school, "name", "Grace Academy Coventry")
    send(a, c, "a1")
    assert send(b, c, "b1").conflicts == 1
    # A settles the name, while A and B disagree about the phase.
    send(b, a, "b1-a")
    a.resolve(school, "name", "Grace Academy Coventry")
    a.set(school, "phase", "All-through")
    b.set(school, "phase", "Secondary")
    send(b, a, "b2")
    report = send(a, c, "a2")
    assert [x.field for x in c.conflicts()] == ["phase"]
    assert report.conflicts == 1, report.summary()


def test_imports_back_up_once_per_batch_and_not_for_nothing_new(setup: Setup) -> None:
    tmp, a = setup.tmp, setup.a
    a.create("school", {"name": "Stivichall Primary", "urn": 103683})
    third = tmp / "third.prbundle"
    export_bundle(a, third, full=True, plain=True)
    backups = tmp / "backups"

    def taken() -> list[Path]:
        return sorted(backups.glob("b-2*-before-import.db"))

    with Store.open(setup.b_path) as b:
        before = b.change_count()
        assert taken() == []  # B's first import was into an empty database: nothing to keep
        results = import_bundles(b, [setup.bundle, third])
        assert all(isinstance(r, ImportReport) and r.new > 0 for r in results)
        assert len(taken()) == 1  # one copy for the batch, taken before its first bundle
        snapshot = sqlite3.connect(taken()[0])
        assert snapshot.execute("SELECT count(*) FROM changes").fetchone()[0] == before
        snapshot.close()

        own = tmp / "own.prbundle"
        export_bundle(b, own, full=True, plain=True)
        report = import_bundle(b, own)
        assert (report.new, report.already_imported) == (0, False)
        assert len(taken()) == 1  # nothing new: nothing to go back to

        a.set(setup.school, "notes", "Edited again on laptop A")
        fourth = tmp / "fourth.prbundle"
        export_bundle(a, fourth, full=True, plain=True)
        time.sleep(0.01)  # backups are named to the microsecond
        assert import_bundle(b, fourth).new == 1
        assert len(taken()) == 2
        assert check(b) == []


def test_a_file_imported_before_is_recognised_by_its_hash_without_reading_it_again(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    import peerreview.sync.bundle as bundle_module

    with Store.open(setup.b_path) as b:
        first = import_bundle(b, setup.bundle)

        def unread(*args: object) -> None:
            raise AssertionError("the zip was opened again")

        monkeypatch.setattr(bundle_module, "_check_zip", unread)
        again = import_bundle(b, setup.bundle)
        assert again.already_imported
        assert (again.new, again.known) == (0, first.new + first.known)
        assert again.summary() == "second.prbundle: already imported; nothing changed."
