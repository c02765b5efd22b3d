"""Batches merged together, the batch's backup copied while it merges, and known blocks skipped."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import orjson
import pytest

import peerreview.sync.bundle as bundle_module
from peerreview.errors import BundleError
from peerreview.sync.bundle import (
    CHANGES,
    ImportReport,
    export_bundle,
    import_bundle,
    import_bundles,
)
from peerreview.sync.check import check
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.storage import filecopy
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR
from tests.peerreview.sync.test_bundle import manifest_of, read_members, resign, write_zip


def _partnership(tmp_path: Path, *, started: str = "bcd") -> tuple[Store, list[Store]]:
    """Coordinator A with one school, and laptops B, C and D enrolled by it; those ``started``
    have imported all of A's log."""
    a = Store.init(tmp_path / "a.db", device_name="Coordinator", partnership_name="Coventry")
    a.create("school", {"name": "Grace Academy", "urn": 135335})
    laptops = []
    for name in ("b", "c", "d"):
        s = Store.init(tmp_path / f"{name}.db", device_name=f"Laptop {name.upper()}")
        enrol(a, s, role=COORDINATOR)
        laptops.append(s)
    if started:
        start = tmp_path / "start.prbundle"
        export_bundle(a, start, full=True, plain=True)
        for name, s in zip("bcd", laptops, strict=True):
            if name in started:
                import_bundle(s, start)
    return a, laptops


def test_a_batch_is_merged_together_as_if_one_by_one(tmp_path: Path) -> None:
    a, (b, c, d) = _partnership(tmp_path)
    school = a.list("school")[0].id
    b.set(school, "notes", "Typed on B")
    c.set(school, "notes", "Typed on C")  # concurrent with B's: a conflict
    c.create("school", {"name": "Moat House Primary", "urn": 142205})
    paths = []
    for s in (b, c):
        paths.append(tmp_path / f"{s.device.name}.prbundle")
        export_bundle(s, paths[-1], full=True, plain=True)
    d.close()
    shutil.copyfile(tmp_path / "d.db", tmp_path / "d2.db")
    one_by_one = Store.open(tmp_path / "d.db")
    together = import_bundles(one_by_one, paths)
    with Store.open(tmp_path / "d2.db") as alone:
        singly = [import_bundle(alone, p) for p in paths]
        assert dump_bytes(alone) == dump_bytes(one_by_one)
    assert [(r.new, r.known, r.conflicts) for r in together] == [  # type: ignore[union-attr]
        (r.new, r.known, r.conflicts) for r in singly
    ]
    assert together[1].conflicts == 1  # type: ignore[union-attr]
    assert check(one_by_one) == []


def test_a_bundle_that_cannot_go_with_the_batch_is_refused_alone(tmp_path: Path) -> None:
    a, (b, c, d) = _partnership(tmp_path)
    # The same record id made a school on B and a person on C: each bundle alone is fine.
    from peerreview.sync.store import Edit

    record = "0b0e6c6a-2f7e-4c53-9f0b-6f1f5b0d0c01"
    with b.transaction():
        b.write([Edit(record, "school", "name", "Made on B")])
    with c.transaction():
        c.write([Edit(record, "person", "name", "Made on C")])
    paths = []
    for s in (b, c):
        paths.append(tmp_path / f"{s.device.name}.prbundle")
        export_bundle(s, paths[-1], full=True, plain=True)
    results = import_bundles(d, paths)
    assert isinstance(results[0], ImportReport) and results[0].new == 1
    assert isinstance(results[1], BundleError) and "two different kinds" in str(results[1])
    assert d.get(record)["name"] == "Made on B"
    assert check(d) == []


def test_the_batch_backup_is_a_copy_of_the_file_before_the_batch(tmp_path: Path) -> None:
    a, (b, c, d) = _partnership(tmp_path)
    before = d.change_count()
    d_dump = dump_bytes(d)
    paths = []
    for s in (b, c):
        s.create("school", {"name": f"School from {s.device.name}"})
        paths.append(tmp_path / f"{s.device.name}.prbundle")
        export_bundle(s, paths[-1], full=True, plain=True)
    reader = sqlite3.connect(tmp_path / "d.db")  # another window reading, between reads
    results = import_bundles(d, paths)
    reader.close()
    assert all(isinstance(r, ImportReport) and r.new > 0 for r in results)
    (copy,) = (tmp_path / "backups").glob("d-2*-before-import.db")
    assert not list((tmp_path / "backups").glob("*.partial"))
    snapshot = sqlite3.connect(copy)
    assert snapshot.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert snapshot.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    snapshot.close()
    with Store.open(copy) as restored:
        assert dump_bytes(restored) == d_dump


def test_the_backup_falls_back_to_sqlites_when_a_reader_holds_the_log(tmp_path: Path) -> None:
    a, (b, c, d) = _partnership(tmp_path, started="d")
    d.create("school", {"name": "Written after the reader began"})
    reader = sqlite3.connect(tmp_path / "d.db")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM changes").fetchone()  # holds a snapshot
    d.create("school", {"name": "Not yet in the file"})  # the log cannot be emptied past it
    count = d.change_count()
    backup = d.backup("test")
    reader.close()
    snapshot = sqlite3.connect(backup)
    assert snapshot.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert snapshot.execute("SELECT count(*) FROM changes").fetchone()[0] == count
    snapshot.close()


def _corrupt_first_line(bundle: Path, out: Path, key: bytes) -> Path:
    """The bundle with its first change made invalid (a school's URN as text), signed again by
    its own laptop: a genuine but wrong bundle."""
    items = read_members(bundle)
    lines = dict(items)[CHANGES].split(b"\n")
    body = orjson.loads(lines[0])
    body.update(field="urn", value="not a number")
    lines[0] = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    data = b"\n".join(lines)
    m = manifest_of(items)
    for e in m["members"]:
        if e["name"] == CHANGES:
            e.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    items = [(n, data if n == CHANGES else d) for n, d in items]
    return write_zip(out, resign(items, key, m))


def test_a_partly_known_bundle_skips_its_known_blocks_unchecked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle_module, "MARK_LINES", 4)
    a, (b, c, d) = _partnership(tmp_path, started="")
    for k in range(3):
        a.create("school", {"name": f"School {k}", "urn": 100_000 + k})
    first = tmp_path / "first.prbundle"
    export_bundle(a, first, full=True, plain=True)
    for s in (b, c):
        import_bundle(s, first)
    known = b.change_count()
    a.create("school", {"name": "New this week", "urn": 142205})
    second = tmp_path / "second.prbundle"
    total = export_bundle(a, second, full=True, plain=True).changes
    assert manifest_of(read_members(second))["marks"]["lines"] == 4

    checked = []
    real = bundle_module.checked_row

    def counting(body: dict[str, object]) -> tuple[object, ...]:
        checked.append(body)
        return real(body)

    monkeypatch.setattr(bundle_module, "checked_row", counting)
    report = import_bundle(b, second)
    assert report.new == total - known and report.known == known
    # The blocks wholly within what B has of A's log were not checked (nor read as JSON).
    assert 0 < len(checked) < total - known + 4
    assert dump_bytes(b) == dump_bytes(a)

    # And a line changed by anyone else breaks the signed hash, known or not.

    items = read_members(second)
    tampered = bytearray(dict(items)[CHANGES])
    tampered[10] ^= 1
    forged = write_zip(
        tmp_path / "forged.prbundle",
        [(n, bytes(tampered) if n == CHANGES else data) for n, data in items],
    )
    with pytest.raises(BundleError, match="altered"):
        import_bundle(c, forged)
    # A known change its own laptop got wrong is left out, not refused: it is never written.
    wrong = _corrupt_first_line(second, tmp_path / "wrong.prbundle", a.private_key())
    report = import_bundle(c, wrong)
    assert report.new == total - known
    assert dump_bytes(c) == dump_bytes(a)
    # To a laptop that does not have it, the same line is checked, and the bundle refused.
    with pytest.raises(BundleError, match="not valid"):
        import_bundle(d, wrong)
    assert zipfile.is_zipfile(forged)


def test_the_backup_copy_written_back_as_it_goes_is_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chunks of 4 KB, so the copy starts writing back and lets go of chunks many times over.
    monkeypatch.setattr(filecopy, "_CHUNK", 4096)
    source = tmp_path / "source.db"
    data = os.urandom(4096 * 37 + 123)
    source.write_bytes(data)
    copy = filecopy.FileCopy(source, tmp_path / "copy.db")
    assert copy.finish() == tmp_path / "copy.db"
    assert (tmp_path / "copy.db").read_bytes() == data
    assert not (tmp_path / "copy.partial").exists()
