"""A generated corpus of crafted bad bundles, and a fuzz test over manifests and zip headers.

Every bundle is refused with one sentence (held, for a laptop the partnership does not know), the
database is byte-for-byte unchanged by a refusal, and nothing ever ends in a traceback.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerreview.errors import BundleError
from peerreview.sync import enrolment
from peerreview.sync.bundle import (
    CHANGES,
    MANIFEST,
    SIGNATURE,
    TRUST,
    ImportReport,
    export_bundle,
    import_bundle,
    import_bundles,
)
from peerreview.sync.changes import Change
from peerreview.sync.device import new_key_pair, sign
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Edit, Store

Items = dict[str, bytes]


@dataclass
class World:
    tmp: Path
    good: Path  # a genuine bundle from the member laptop B
    items: Items  # its members
    b_key: bytes
    b: Store
    c_key: bytes  # a revoked laptop's key
    c_bundle: Path
    target: Path  # the coordinator's database, closed


def _members(path: Path) -> Items:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _zip(items: Items, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in items.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _resign(
    items: Items,
    key: bytes,
    manifest: dict[str, Any] | None = None,
    edit: Callable[[dict[str, Any]], None] | None = None,
) -> Items:
    """Relist every member in the manifest, ``edit`` it, and sign it with ``key`` (a 'genuine'
    forgery)."""
    m = manifest if manifest is not None else orjson.loads(items[MANIFEST])
    m["members"] = [
        {"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
        for n, d in items.items()
        if n not in (MANIFEST, SIGNATURE)
    ]
    if edit is not None:
        edit(m)
    out = dict(items)
    out[MANIFEST] = _dumps(m, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
    out[SIGNATURE] = base64.b64encode(sign(key, out[MANIFEST]))
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    tmp = tmp_path_factory.mktemp("hostile")
    a = Store.init(tmp / "a.db", device_name="Coordinator", partnership_name="Coventry")
    school = a.create("school", {"name": "Grace Academy", "urn": 135335})
    b = Store.init(tmp / "b.db", device_name="Member B")
    c = Store.init(tmp / "c.db", device_name="Lost laptop C")
    enrol(a, b)
    enrol(a, c)
    export_bundle(a, tmp / "seed.prbundle", full=True, plain=True)
    import_bundle(b, tmp / "seed.prbundle")
    import_bundle(c, tmp / "seed.prbundle")
    b.set(school, "notes", "Typed on B")
    b.create("person", {"name": "Amira Patel", "school": school})
    export_bundle(b, tmp / "good.prbundle", full=True, plain=True)
    enrolment.revoke(a, c.device.id)
    c.set(school, "notes", "Typed on C after it was lost")
    export_bundle(c, tmp / "c.prbundle", full=True, plain=True)
    a.close()
    return World(
        tmp,
        tmp / "good.prbundle",
        _members(tmp / "good.prbundle"),
        b.private_key(),
        b,
        c.private_key(),
        tmp / "c.prbundle",
        tmp / "a.db",
    )


Case = tuple[str, Callable[[World], bytes]]


def _with_changes(w: World, lines: list[bytes], key: bytes | None = None) -> bytes:
    items = dict(w.items)
    items[CHANGES] = b"".join(line + b"\n" for line in lines)
    return _zip(_resign(items, key or w.b_key))


def _change_lines(w: World) -> list[bytes]:
    return [line for line in w.items[CHANGES].split(b"\n") if line]


def _mutated_change(w: World, **override: Any) -> bytes:
    body = orjson.loads(_change_lines(w)[-1])
    body.update(override)
    for k, v in list(body.items()):
        if v is _DROP:
            del body[k]
    return _with_changes(w, [_dumps(body)])


_DROP = object()


def _manifest_edit(w: World, edit: Callable[[dict[str, Any]], None], resign: bool = True) -> bytes:
    items = dict(w.items)
    if resign:
        return _zip(_resign(items, w.b_key, edit=edit))
    m = orjson.loads(items[MANIFEST])
    edit(m)
    items[MANIFEST] = _dumps(m)
    return _zip(items)


def _set(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(m: dict[str, Any]) -> None:
        target = m
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _nested(depth: int) -> str:
    """A placeholder that ``_dumps`` writes as a list nested ``depth`` deep (orjson will not)."""
    return f"@@NEST{depth}@@"


def _dumps(obj: Any, option: int | None = None) -> bytes:
    try:
        data = orjson.dumps(obj, option=option)
    except TypeError:  # an integer beyond 64 bits: valid JSON that orjson will not write
        data = json.dumps(obj, sort_keys=True, indent=2).encode()
    return re.sub(
        rb'"@@NEST(\d+)@@"',
        lambda m: b"[" * int(m.group(1)) + b'"x"' + b"]" * int(m.group(1)),
        data,
    )


def _forged_author(w: World, device: str) -> bytes:
    body = orjson.loads(_change_lines(w)[-1])
    change = Change.make(
        record=body["record"],
        kind=body["kind"],
        field="notes",
        value="forged",
        parents=body["parents"] if body["field"] == "notes" else (),
        hlc=body["hlc"] + 5,
        device=device,
        author="Someone else",
    )
    return _with_changes(w, [*_change_lines(w), change.to_line()])


def _flip_in_member(w: World, member: str, k: int) -> bytes:
    """One byte of a member's stored (compressed) data changed, the zip otherwise intact."""
    data = bytearray(_zip(w.items))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(member)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    pos = start + (info.compress_size * k) // 7
    data[pos] ^= 0x5A
    return bytes(data)


def _truncated(data: bytes, cut: int) -> bytes:
    return data[: cut if cut <= 0 else min(cut, len(data) - 1)]


def _raw_zip_tweak(w: World, offset: int, value: int) -> bytes:
    data = bytearray(_zip(w.items))
    data[offset % len(data)] = value
    return bytes(data)


def _compression(method: int) -> Callable[[World], bytes]:
    def make(w: World) -> bytes:
        data = bytearray(_zip(w.items, zipfile.ZIP_STORED))
        # Rewrite the compression method in every local and central header.
        for sig, off in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
            start = 0
            while (i := data.find(sig, start)) >= 0:
                struct.pack_into("<H", data, i + off, method)
                start = i + 4
        return bytes(data)

    return make


def _flag(bit: int) -> Callable[[World], bytes]:
    def make(w: World) -> bytes:
        data = bytearray(_zip(w.items))
        for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = 0
            while (i := data.find(sig, start)) >= 0:
                (flags,) = struct.unpack_from("<H", data, i + off)
                struct.pack_into("<H", data, i + off, flags | bit)
                start = i + 4
        return bytes(data)

    return make


def _extra_member(name: str) -> Callable[[World], bytes]:
    return lambda w: _zip(_resign({**w.items, name: b"payload"}, w.b_key))


def cases() -> Iterator[Case]:
    # Truncated and damaged files.
    for cut in (0, 1, 4, 21, 22, 30, 100, 500, 1000, 2000, 4000, -1, -10, -22, -100):
        yield f"truncated at {cut}", lambda w, cut=cut: _truncated(_zip(w.items), cut)
    for member in (CHANGES, MANIFEST, TRUST):
        for k in range(7):
            yield (
                f"a byte of {member} flipped ({k})",
                (lambda w, m=member, k=k: _flip_in_member(w, m, k)),
            )
    yield "not a zip", lambda w: b"hello, this is not a bundle at all"
    yield "an empty zip", lambda w: _zip({})
    # Zip features PeerReview does not read.
    for method in (1, 6, 9, 12, 14, 19, 93, 95, 98, 99):
        yield f"compression method {method}", _compression(method)
    for bit in (0x1, 0x40, 0x2000):
        yield f"flag bit {bit:#x}", _flag(bit)
    # Member names and layout.
    for name in (
        "../evil",
        "/etc/passwd",
        "attachments/../../x",
        "attachments/" + "0" * 63,
        "attachments/" + "g" * 64,
        "C:\\windows\\x",
        "manifest.json/",
        "changes.jsonl\x00.txt",
        "sub/changes.jsonl",
        "trust.jsonl.bak",
    ):
        yield f"member {name!r}", _extra_member(name)
    yield "no manifest", lambda w: _zip({k: v for k, v in w.items.items() if k != MANIFEST})
    yield "no signature", lambda w: _zip({k: v for k, v in w.items.items() if k != SIGNATURE})
    yield "signature not base64", lambda w: _zip({**w.items, SIGNATURE: b"!!!not base64!!!"})
    yield (
        "signature of other bytes",
        lambda w: _zip({**w.items, SIGNATURE: base64.b64encode(sign(w.b_key, b"other"))}),
    )
    yield "an unlisted member", lambda w: _zip({**w.items, "attachments/" + "a" * 64: b"x"})
    # Manifests: damaged, signed as they are, and from the future.
    for field_name, value in (
        ("format", "something-else"),
        ("format_version", 99),
        ("format_version", "2"),
        ("schema_version", 999),
        ("schema_version", None),
        ("features", {"review": 999}),
        ("features", ["review"]),
        ("partnership", "not-a-uuid"),
        ("partnership", "01234567-89ab-7def-8123-456789abcdef"),
        ("created", 12345),
        ("created", "x" * 1000),
        ("members", "all of them"),
        ("members", [{"name": CHANGES}]),
        ("stream", 7),
        ("stream", "s" * 1000),
        ("log", {"from": 5, "to": 1}),
        ("log", {"from": -1, "to": 1}),
        ("log", {"from": 0, "to": 2**62}),
        ("vector", [["x", "y", 1]]),
        ("vector", "everything"),
        ("vector", _nested(300)),
    ):
        yield (
            f"manifest {field_name}={str(value)[:30]}",
            (lambda w, f=field_name, v=value: _manifest_edit(w, _set((f,), v))),
        )
    for field_name, value in (
        ("id", "not-a-uuid"),
        ("name", ""),
        ("name", "x" * 5000),
        ("name", 7),
        ("public_key", "AAAA"),
        ("age", "not an age key"),
    ):
        yield (
            f"device {field_name}",
            (lambda w, f=field_name, v=value: _manifest_edit(w, _set(("device", f), v))),
        )
    yield "manifest is a list", lambda w: _manifest_edit(w, lambda m: m.clear())
    yield (
        "manifest edited, not re-signed",
        lambda w: _manifest_edit(w, _set(("created",), "2030-01-01T00:00:00Z"), resign=False),
    )
    yield (
        "manifest nested 500 deep",
        lambda w: _zip(_resign(w.items, w.b_key) | {MANIFEST: b"[" * 500 + b"]" * 500}),
    )
    # Valid signatures on wrong content.
    yield (
        "a change's value altered under a valid signature",
        lambda w: _zip(
            {**w.items, CHANGES: w.items[CHANGES].replace(b"Typed on B", b"Typed on Z")}
        ),
    )
    yield (
        "the changes of another bundle under a valid signature",
        lambda w: _zip({**w.items, CHANGES: _members(w.c_bundle)[CHANGES]}),
    )
    yield "a change that is not JSON", lambda w: _with_changes(w, [b"{not json"])
    yield "a change nested 300 deep", lambda w: _mutated_change(w, value=_nested(300))
    yield "a change nested 2000 deep", lambda w: _with_changes(w, [b"[" * 2000 + b"]" * 2000])
    yield "a change of an unknown kind", lambda w: _mutated_change(w, kind="spaceship")
    yield "a change of an unknown field", lambda w: _mutated_change(w, field="warp_factor")
    yield "a change with a bad record id", lambda w: _mutated_change(w, record="../../etc")
    yield "a change with no parents key", lambda w: _mutated_change(w, parents=_DROP)
    yield "a change with bad parents", lambda w: _mutated_change(w, parents=["x"])
    yield "a change with a float stamp", lambda w: _mutated_change(w, hlc=1.5)
    yield "a change with a negative stamp", lambda w: _mutated_change(w, hlc=-5)
    yield "a change stamped in 2198", lambda w: _mutated_change(w, hlc=7_226_000_000_000 << 16)
    yield "a change stamped next year", lambda w: _mutated_change(w, hlc=(1_900_000_000_000 << 16))
    yield "a change with a huge value", lambda w: _mutated_change(w, value="x" * 1_100_000)
    yield "a change with extra keys", lambda w: _mutated_change(w, extra=1, more=2)
    yield "a line longer than the limit", lambda w: _with_changes(w, [b'"' + b"x" * 3_000_000])
    yield "a purge by a member", lambda w: _mutated_change(w, field="purged", value=True)
    yield "a change claiming the coordinator", lambda w: _forged_author(w, _coordinator_id(w))
    yield "a change claiming another member", lambda w: _forged_author(w, _c_id(w))
    yield (
        "a change claiming an unknown laptop",
        lambda w: _forged_author(w, "01900000-0000-7000-8000-000000000001"),
    )
    yield (
        "trust list altered",
        lambda w: _zip(
            _resign({**w.items, TRUST: w.items[TRUST] + b'{"body":"e30=","sig":"AAAA"}\n'}, w.b_key)
        ),
    )
    yield "trust line not JSON", lambda w: _zip(_resign({**w.items, TRUST: b"{{{\n"}, w.b_key))
    yield (
        "trust line nested",
        lambda w: _zip(_resign({**w.items, TRUST: b"[" * 600 + b"]" * 600 + b"\n"}, w.b_key)),
    )
    # Keys: the right device id with another key; a revoked laptop after its revocation.
    yield "device id with another key", lambda w: _zip(_resign(w.items, new_key_pair()[0]))
    yield "a revoked laptop's later work", lambda w: w.c_bundle.read_bytes()
    yield (
        "a revoked laptop's work re-signed by B",
        lambda w: _zip(
            _resign(
                {**w.items, CHANGES: _members(w.c_bundle)[CHANGES]},
                w.b_key,
            )
        ),
    )
    # Sizes and bombs.
    yield (
        "a bomb of zeros",
        lambda w: _zip(
            _resign(
                {
                    **w.items,
                    "attachments/" + hashlib.sha256(b"\0" * 50_000_000).hexdigest(): b"\0"
                    * 50_000_000,
                },
                w.b_key,
            )
        ),
    )
    yield (
        "a manifest that lies about a size",
        lambda w: _manifest_edit(w, lambda m: m["members"][0].__setitem__("size", 1)),
    )


def _coordinator_id(w: World) -> str:
    state = enrolment.trust_state(w.b)
    return next(d.id for d in state.devices.values() if d.via == "founder")


def _c_id(w: World) -> str:
    return str(orjson.loads(_members(w.c_bundle)[MANIFEST])["device"]["id"])


CASES = list(cases())


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 100, len(CASES)


def _snapshot(path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()
    )


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # crafted on purpose
def test_every_crafted_bundle_is_refused_and_changes_nothing(world: World) -> None:
    files = []
    for i, (name, make) in enumerate(CASES):
        path = world.tmp / f"bad-{i:03d}.prbundle"
        path.write_bytes(make(world))
        files.append((name, path))
    # The good bundle in the middle of the batch still applies; then the database is restored.
    target = world.tmp / "target.db"
    shutil.copyfile(world.target, target)
    before = _snapshot(target)
    with Store.open(target) as store:
        results = import_bundles(store, [p for _, p in files])
    held = []
    for (name, _), r in zip(files, results, strict=True):
        if isinstance(r, ImportReport):
            assert r.held, f"{name} was accepted: {r.summary()}"
            held.append(name)
            continue
        assert isinstance(r, BundleError), name
        message = r.message
        assert "\n" not in message and "Traceback" not in message, (name, message)
        assert message.endswith(("Nothing was changed.", "Nothing was written.")), (name, message)
    # Only a bundle signed by a key the partnership does not know is held, never applied.
    assert held == ["device id with another key"] or held == [], held
    if not held:
        assert _snapshot(target) == before


def test_a_refused_bundle_among_good_ones_does_not_stop_them(world: World) -> None:
    target = world.tmp / "batch.db"
    shutil.copyfile(world.target, target)
    bad = world.tmp / "bad-batch.prbundle"
    bad.write_bytes(_forged_author(world, _coordinator_id(world)))
    with Store.open(target) as store:
        first, good = import_bundles(store, [bad, world.good])
        assert isinstance(first, BundleError) and isinstance(good, ImportReport)
        assert good.new == 3  # the notes, and the new person (name, school)


def test_a_fifo_is_refused_without_being_opened(world: World) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = world.tmp / "pipe.prbundle"
    os.mkfifo(fifo)
    target = world.tmp / "fifo.db"
    shutil.copyfile(world.target, target)
    with Store.open(target) as store, pytest.raises(BundleError, match="not a regular file"):
        import_bundle(store, fifo)  # opening a FIFO with no writer would hang


def test_control_characters_in_names_are_never_printed_raw(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from peerreview.cli import main

    evil = "Evil\x1b[2J\x1b]0;owned\x07 laptop\nline two"
    x = Store.init(world.tmp / "evil.db", device_name=evil, partnership_id=world.b.partnership_id)
    x.write([Edit(x.partnership_id or "", "partnership", "description", "hi")])
    export_bundle(x, world.tmp / "evil\x1b[31m.prbundle", full=True, plain=True)
    target = world.tmp / "evil-target.db"
    shutil.copyfile(world.target, target)
    code = main(["import", "--db", str(target), str(world.tmp / "evil\x1b[31m.prbundle")])
    out = capsys.readouterr()
    assert code == 3
    assert "\x1b" not in out.out + out.err and "\x07" not in out.out + out.err
    assert "line two" in out.out and "\nline two" not in out.out
    main(["devices", "--db", str(target)])
    out = capsys.readouterr()
    assert "\x1b" not in out.out and "\\x1b" in out.out


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzzed_manifests_and_zip_headers_are_refused_cleanly(
    world: World, data: st.DataObject
) -> None:
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )
    how = data.draw(st.sampled_from(["manifest", "header", "member"]))
    if how == "manifest":
        m = orjson.loads(world.items[MANIFEST])
        key = data.draw(st.sampled_from(sorted(m) + ["extra"]))
        m[key] = data.draw(json_values)
        signed = data.draw(st.booleans())
        items = (
            _resign(dict(world.items), world.b_key, m)
            if signed
            else {
                **world.items,
                MANIFEST: _dumps(m),
            }
        )
        blob = _zip(items)
    elif how == "header":
        raw = bytearray(_zip(world.items))
        for _ in range(data.draw(st.integers(1, 8))):
            sig = data.draw(st.sampled_from([b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"]))
            at = raw.find(sig)
            if at >= 0:
                pos = at + data.draw(st.integers(4, 45))
                if pos < len(raw):
                    raw[pos] = data.draw(st.integers(0, 255))
        blob = bytes(raw)
    else:
        # (Python's zipfile cuts a name at its first NUL and cannot write one left empty.)
        name = data.draw(st.text(min_size=1, max_size=40).filter(lambda n: n.split("\x00")[0]))
        blob = _zip(_resign({**world.items, name: data.draw(st.binary(max_size=200))}, world.b_key))
    path = world.tmp / "fuzz.prbundle"
    path.write_bytes(blob)
    target = world.tmp / "fuzz.db"
    if not target.exists():
        shutil.copyfile(world.target, target)
    with Store.open(target) as store:
        try:
            report = import_bundle(store, path)
        except BundleError as exc:
            assert "\n" not in exc.message
        else:
            # Only an untouched bundle (a mutation that changed nothing that matters) applies.
            assert report.held or report.new >= 0


@pytest.mark.parametrize(
    ("key", "value"), [("format_version", -(2**63) - 1), ("schema_version", 2**70), ("log", 2**64)]
)
def test_integers_beyond_64_bits_in_a_signed_manifest_are_refused_cleanly(
    world: World, key: str, value: int
) -> None:
    m = orjson.loads(world.items[MANIFEST])
    m[key] = value
    path = world.tmp / f"big-{key}.prbundle"
    path.write_bytes(_zip(_resign(dict(world.items), world.b_key, m)))
    target = world.tmp / f"big-{key}.db"
    shutil.copyfile(world.target, target)
    with Store.open(target) as store:
        before = dump_bytes(store)
        with pytest.raises(BundleError) as caught:
            import_bundle(store, path)
        assert "\n" not in caught.value.message
        assert dump_bytes(store) == before
