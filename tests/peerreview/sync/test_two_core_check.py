"""A large bundle's changes are checked half here, half by a helper process: it accepts what the
one-core check accepts, and what that refuses is refused in the same words, changing nothing."""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from peerreview.errors import BundleError
from peerreview.sync import bundle, checking
from peerreview.sync.bundle import CHANGES, MANIFEST, SIGNATURE, export_bundle, import_bundle
from peerreview.sync.device import sign
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store

Items = dict[str, bytes]
_RESULT = checking.Helper.result


def _members(path: Path) -> Items:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def _signed(items: Items, key: bytes) -> bytes:
    """The bundle with its manifest relisting every member, signed with ``key`` (a 'genuine'
    bundle from that laptop, whatever its changes say)."""
    m = orjson.loads(items[MANIFEST])
    m["members"] = [
        {"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
        for n, d in items.items()
        if n not in (MANIFEST, SIGNATURE)
    ]
    out = dict(items)
    out[MANIFEST] = orjson.dumps(m, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
    out[SIGNATURE] = base64.b64encode(sign(key, out[MANIFEST]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in out.items():
            zf.writestr(name, data)
    return buf.getvalue()


class World:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        a = Store.init(tmp / "a.db", device_name="Coordinator", partnership_name="Coventry")
        b = Store.init(tmp / "b.db", device_name="Member B")
        enrol(a, b)
        export_bundle(a, tmp / "seed.prbundle", full=True, plain=True)
        import_bundle(b, tmp / "seed.prbundle")
        self.coordinator_device = a.device.id
        for k in range(30):
            school = b.create("school", {"name": f"School {k}", "urn": 140000 + k})
            b.create("person", {"name": f"Teacher {k}", "school": school})
        export_bundle(b, tmp / "good.prbundle", full=True, plain=True)
        self.items = _members(tmp / "good.prbundle")
        self.key = b.private_key()
        b.close()
        # The importer: the coordinator's laptop as it was before B's bundle.
        self.target = tmp / "target.db"
        a.close()
        shutil.copyfile(tmp / "a.db", self.target)

    def lines(self) -> list[dict[str, Any]]:
        return [orjson.loads(x) for x in self.items[CHANGES].split(b"\n") if x]

    def with_lines(self, lines: list[bytes]) -> bytes:
        items = dict(self.items)
        items[CHANGES] = b"".join(line + b"\n" for line in lines)
        return _signed(items, self.key)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return World(tmp_path_factory.mktemp("two-cores"))


def _import(
    world: World, data: bytes, two_cores: bool, monkeypatch: pytest.MonkeyPatch, name: str
) -> tuple[str, bytes, list[bool]]:
    """Import into a copy of the target: what it said (the report or the refusal), the
    database's bytes after, and whether the helper's part was used."""
    path = world.tmp / f"{name}.prbundle"
    path.write_bytes(data)
    target = world.tmp / f"{name}-{two_cores}.db"
    shutil.copyfile(world.target, target)
    monkeypatch.setattr(bundle, "TWO_CORES_BYTES", 1 if two_cores else 1 << 40)
    monkeypatch.setattr(bundle, "second_core_free", lambda: True)  # whatever else runs
    used: list[bool] = []

    def spy(helper: checking.Helper) -> checking.Part | None:
        part = _RESULT(helper)
        used.append(part is not None)
        return part

    monkeypatch.setattr(checking.Helper, "result", spy)
    with Store.open(target) as store:
        before = dump_bytes(store)
        try:
            said = import_bundle(store, path).summary()
        except BundleError as exc:
            said = exc.message
            assert dump_bytes(store) == before
        after = dump_bytes(store)
    return said, after, used


def test_a_good_bundle_is_checked_on_two_cores(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = world.with_lines([orjson.dumps(x, option=orjson.OPT_SORT_KEYS) for x in world.lines()])
    one = _import(world, data, False, monkeypatch, "good")
    two = _import(world, data, True, monkeypatch, "good")
    assert two[2] == [True]  # the helper checked its half, and its rows were used
    assert one[2] == []
    assert one[:2] == two[:2]
    assert "new" in two[0], two[0]


def _last(world: World, edit: Callable[[dict[str, Any]], None]) -> bytes:
    """B's bundle with its last change (in the helper's half) edited."""
    lines = world.lines()
    edit(lines[-1])
    return world.with_lines([orjson.dumps(x, option=orjson.OPT_SORT_KEYS) for x in lines])


def _cases(world: World) -> dict[str, bytes]:
    first_record = world.lines()[0]["record"]
    good = [orjson.dumps(x, option=orjson.OPT_SORT_KEYS) for x in world.lines()]
    return {
        "an unknown kind": _last(world, lambda c: c.update(kind="dragon")),
        "a value of the wrong type": _last(world, lambda c: c.update(field="urn", value="many")),
        "a record given a second kind, one in each half": _last(
            world, lambda c: c.update(record=first_record, kind="person", field="name")
        ),
        "a clock stamp years ahead": _last(world, lambda c: c.update(hlc=c["hlc"] + (1 << 58))),
        "a change claiming the coordinator's laptop": _last(
            world, lambda c: c.update(device=world.coordinator_device)
        ),
        "a line that is not JSON": world.with_lines([*good[:-1], b"{not json"]),
        "a line longer than the limit": world.with_lines([*good, b'"' + b"x" * 3_000_000]),
    }


@pytest.mark.parametrize(
    "case",
    [
        "an unknown kind",
        "a value of the wrong type",
        "a record given a second kind, one in each half",
        "a clock stamp years ahead",
        "a change claiming the coordinator's laptop",
        "a line that is not JSON",
        "a line longer than the limit",
    ],
)
def test_a_fault_in_the_helpers_half_is_refused_as_on_one_core(
    world: World, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    data = _cases(world)[case]
    one = _import(world, data, False, monkeypatch, "bad")
    two = _import(world, data, True, monkeypatch, "bad")
    assert "refused" in one[0] or "not valid" in one[0] or "genuine" in one[0], one[0]
    assert two[:2] == one[:2]
    assert one[2] == []
    if case != "a line longer than the limit":  # (that line is most of the file: this half's)
        assert two[2]  # the helper was asked, and answered (or said no)


def test_a_helper_that_cannot_start_leaves_the_check_to_this_process(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checking.sys, "executable", str(world.tmp / "no-such-python"))
    data = world.with_lines([orjson.dumps(x, option=orjson.OPT_SORT_KEYS) for x in world.lines()])
    one = _import(world, data, False, monkeypatch, "nohelper")
    two = _import(world, data, True, monkeypatch, "nohelper")
    assert two[2] == []
    assert one[:2] == two[:2]


def test_a_busy_machine_checks_on_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checking.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(checking.os, "getloadavg", lambda: (1.9, 1.0, 1.0))
    assert not checking.second_core_free()
    monkeypatch.setattr(checking.os, "getloadavg", lambda: (0.6, 1.0, 1.0))
    assert checking.second_core_free()
    monkeypatch.setattr(checking.os, "cpu_count", lambda: 1)
    assert not checking.second_core_free()
