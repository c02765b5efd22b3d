"""A first import into an empty database takes the bulk path (``changelog.integrate_new_log``):
the database it leaves is the one the general, set-based ``integrate`` leaves, table by table."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from peerreview.demo import build_demo
from peerreview.sync import changelog
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.check import check
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR

#: Device-local tables (who this laptop is, its ledger and trust list): not what an import builds.
LOCAL = {"meta", "device", "known_devices", "imports", "trust", "held", "rejected_keys"}
LOCAL |= {"peer_logs", "acks", "sqlite_sequence", "sqlite_stat1"}


def tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every shared table's rows (the search index's own tables included), in a fixed order."""
    conn = sqlite3.connect(path)
    try:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'search'"
            )
            if n not in LOCAL
        ]
        out = {n: sorted(conn.execute(f'SELECT * FROM "{n}"'), key=repr) for n in names}
        out["search (content)"] = conn.execute(
            "SELECT rowid, text, record, kind, field FROM search ORDER BY rowid"
        ).fetchall()
        out["search (a word)"] = conn.execute(
            "SELECT rowid FROM search WHERE search MATCH 'school' ORDER BY rowid"
        ).fetchall()
        return out
    finally:
        conn.close()


def import_both_ways(
    tmp_path: Path, bundle: Path, source: Store, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """Import ``bundle`` into two new databases: by the bulk path, and by the general one."""
    used: list[bool] = []
    bulk = changelog.integrate_new_log

    def spy(*args: Any) -> Any:
        result = bulk(*args)
        used.append(result is not None)
        return result

    paths = []
    for name, fn in (("bulk", spy), ("general", lambda *args: None)):
        monkeypatch.setattr(changelog, "integrate_new_log", fn)
        path = tmp_path / f"{name}.db"
        target = Store.init(path, device_name=name, partnership_id=source.partnership_id)
        enrol(source, target, role=COORDINATOR)
        report = import_bundle(target, bundle)
        assert report.new > 0
        assert check(target) == []
        target.close()
        paths.append(path)
    assert used == [True], "the first import did not take the bulk path"
    return paths[0], paths[1]


def assert_same(bulk: Path, general: Path) -> None:
    a, b = tables(bulk), tables(general)
    assert set(a) == set(b)
    for name in a:
        assert a[name] == b[name], name
    with Store.open(bulk) as x, Store.open(general) as y:
        assert dump_bytes(x) == dump_bytes(y)
        assert x.conflicts() == y.conflicts()


def test_a_demo_with_conflicts_deletes_and_orphans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = Store.init(tmp_path / "a.db", device_name="Laptop A")
    build_demo(a, "small")
    b = Store.init(tmp_path / "b.db", device_name="Laptop B", partnership_id=a.partnership_id)
    enrol(a, b, role=COORDINATOR)
    export_bundle(a, tmp_path / "a1.prbundle", full=True, plain=True)
    import_bundle(b, tmp_path / "a1.prbundle")

    schools = [s.id for s in a.list("school")][:3]
    reviews = [r.id for r in a.list("review")]
    # Two laptops type different names for one school, and the same phase for another.
    a.update(schools[0], {"name": "Name typed on A"})
    b.update(schools[0], {"name": "Name typed on B"})
    a.update(schools[1], {"phase": "Secondary"})
    b.update(schools[1], {"phase": "Secondary"})
    # A deletes a review while B edits it and adds a team member under it.
    a.delete(reviews[0])
    b.update(reviews[0], {"host_comments": "Seen on B"})
    b.create("review_member", {"review": reviews[0], "name": "Added on B", "role": "Reviewer"})
    # A deletes a school and restores it; B deletes another, whose delete saw everything.
    a.delete(schools[2])
    a.restore(schools[2])
    b.delete(reviews[1])
    export_bundle(b, tmp_path / "b1.prbundle", full=True, plain=True)
    import_bundle(a, tmp_path / "b1.prbundle")
    assert len(a.conflicts()) >= 2

    bundle = tmp_path / "all.prbundle"
    export_bundle(a, bundle, full=True, plain=True)
    bulk, general = import_both_ways(tmp_path, bundle, a, monkeypatch)
    assert_same(bulk, general)
    with Store.open(bulk) as x:
        assert len(x.conflicts()) == len(a.conflicts())


def test_a_second_import_takes_the_general_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = Store.init(tmp_path / "a.db", device_name="Laptop A", partnership_name="P")
    first = a.create("school", {"name": "Coundon Primary", "urn": 100001, "phase": "Primary"})
    b = Store.init(tmp_path / "b.db", device_name="Laptop B", partnership_id=a.partnership_id)
    enrol(a, b, role=COORDINATOR)
    export_bundle(a, tmp_path / "1.prbundle", full=True, plain=True)
    import_bundle(b, tmp_path / "1.prbundle")
    a.update(first, {"name": "Coundon Court"})
    export_bundle(a, tmp_path / "2.prbundle", full=True, plain=True)
    calls: list[Any] = []
    bulk = changelog.integrate_new_log
    monkeypatch.setattr(
        changelog, "integrate_new_log", lambda *args: calls.append(bulk(*args)) or calls[-1]
    )
    import_bundle(b, tmp_path / "2.prbundle")
    assert calls == []  # the log was not empty: the rows were not even offered
    assert b.get(first)["name"] == "Coundon Court"
    assert dump_bytes(a) == dump_bytes(b)


def test_a_purge_takes_the_general_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = Store.init(tmp_path / "a.db", device_name="Laptop A", partnership_name="P")
    school = a.create("school", {"name": "Coundon Primary", "urn": 100001, "phase": "Primary"})
    a.create("person", {"name": "Xanthippe Jones", "school": school})
    person = a.list("person")[0].id
    a.purge(person)
    bundle = tmp_path / "p.prbundle"
    export_bundle(a, bundle, full=True, plain=True)
    used: list[Any] = []
    bulk = changelog.integrate_new_log
    monkeypatch.setattr(
        changelog, "integrate_new_log", lambda *args: used.append(bulk(*args)) or used[-1]
    )
    b = Store.init(tmp_path / "b.db", device_name="Laptop B", partnership_id=a.partnership_id)
    enrol(a, b, role=COORDINATOR)
    import_bundle(b, bundle)
    assert used == [None]
    assert dump_bytes(a) == dump_bytes(b)


def test_rows_are_held_up_to_a_twelfth_of_the_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole region's 790 MB of changes is held (and takes the bulk path) on a machine of
    16 GB or more, read twice on one of 8 GB; at least 256 MB is held anywhere."""
    import os

    from peerreview.sync import bundle as bundle_module

    gib = 1024**3
    for memory, held in ((24 * gib, 2 * gib), (16 * gib, 16 * gib // 12), (8 * gib, 8 * gib // 12)):
        pages = memory // 4096
        monkeypatch.setattr(os, "sysconf", lambda name, p=pages: 4096 if "SIZE" in name else p)
        assert bundle_module._keep_rows_bytes() == held
    assert bundle_module._keep_rows_bytes() < 790 * 1024**2 < 16 * gib // 12

    def missing(name: str) -> int:
        raise ValueError(name)

    monkeypatch.setattr(os, "sysconf", missing)
    assert bundle_module._keep_rows_bytes() == 256 * 1024**2
