"""Data-protection erasure: a purge removes values on every laptop, keeping ids and structure."""

from __future__ import annotations

from pathlib import Path

from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.check import check
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR

NAME = "Xanthippe Quorn-Wetherby"


def _files_hold(path: Path, text: str) -> bool:
    data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())
    return text.encode() in data


def test_purge_removes_values_everywhere_and_keeps_structure(tmp_path: Path) -> None:
    a = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    school = a.create("school", {"name": "Coundon Court", "urn": 1})
    person = a.create("person", {"name": NAME, "email": "x@example.org", "school": school})
    a.set(person, "role", "Teacher")
    export_bundle(a, tmp_path / "before.prbundle", full=True, plain=True)
    b = Store.init(tmp_path / "b.db", device_name="B", partnership_id=a.partnership_id)
    import_bundle(b, tmp_path / "before.prbundle")
    a.backup("test")  # a backup holding the name
    assert a.search("Xanthippe")

    a.purge(person)
    assert not a.search("Xanthippe")
    rec = a.get(person)
    assert rec.deleted and "name" not in rec.values and rec["school"] == school  # the link stays
    assert all(c.value is None for c in a.history(person, "name"))
    assert check(a) == []
    assert not _files_hold(a.path, "Xanthippe")
    assert not any((tmp_path / "backups").glob("a-*.db"))

    # B hears of the purge from A's next bundle, and blanks its own copy.
    export_bundle(a, tmp_path / "after.prbundle", full=True, plain=True)
    assert b"Xanthippe" not in (tmp_path / "after.prbundle").read_bytes()
    import_bundle(b, tmp_path / "after.prbundle")
    assert "name" not in b.get(person).values and not b.search("Xanthippe")
    assert check(b) == []
    assert dump_bytes(a) == dump_bytes(b)

    # An edit made on B before it heard of the purge, arriving later, is blanked too.
    c = Store.init(tmp_path / "c.db", device_name="C", partnership_id=a.partnership_id)
    enrol(a, c)
    import_bundle(c, tmp_path / "before.prbundle")
    c.set(person, "notes", f"{NAME} is on leave")
    export_bundle(c, tmp_path / "c.prbundle", full=True, plain=True)
    import_bundle(a, tmp_path / "c.prbundle")
    assert "notes" not in a.get(person).values
    assert a.conflicts() == []
    assert check(a) == []


def test_purge_command(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from peerreview.cli import main

    s = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    person = s.create("person", {"name": NAME})
    s.close()
    assert main(["purge", "--db", str(tmp_path / "a.db"), "--record", person]) == 0
    assert "Purged" in capsys.readouterr().out
    assert main(["purge", "--db", str(tmp_path / "a.db"), "--record", "nope"]) == 1
    assert "no record" in capsys.readouterr().err


def test_purges_merge_like_everything_else(tmp_path: Path) -> None:
    """Random edits, deletes and purges on three laptops, exchanged in every order: one state."""
    import random

    rng = random.Random(7)
    stores = [Store.init(tmp_path / "s0.db", device_name="L0", partnership_name="P")]
    stores += [
        Store.init(
            tmp_path / f"s{i}.db", device_name=f"L{i}", partnership_id=stores[0].partnership_id
        )
        for i in (1, 2)
    ]
    for s in stores[1:]:
        enrol(stores[0], s, role=COORDINATOR)  # each of them purges, which a coordinator may
    people = [stores[0].create("person", {"name": f"Person {n}"}) for n in range(6)]
    export_bundle(stores[0], tmp_path / "seed.prbundle", full=True, plain=True)
    for s in stores[1:]:
        import_bundle(s, tmp_path / "seed.prbundle")
    for step in range(60):
        s = rng.choice(stores)
        p = rng.choice(people)
        rec = s.get(p)
        action = rng.random()
        if rec.deleted:
            continue
        if action < 0.7:
            s.set(p, "notes", f"note {step} by {s.device.name}")
        elif action < 0.85:
            s.delete(p)
        else:
            s.purge(p)
        if rng.random() < 0.3:
            src, dst = rng.sample(stores, 2)
            export_bundle(src, tmp_path / f"x{step}.prbundle", full=True, plain=True)
            import_bundle(dst, tmp_path / f"x{step}.prbundle")
    for _ in range(2):
        for i, src in enumerate(stores):
            export_bundle(src, tmp_path / f"full{i}.prbundle", full=True, plain=True)
        for dst in stores:
            for i in range(len(stores)):
                import_bundle(dst, tmp_path / f"full{i}.prbundle")
    dumps = {dump_bytes(s) for s in stores}
    assert len(dumps) == 1
    assert stores[0].db.execute("SELECT count(*) FROM records WHERE purged = 1").fetchone()[0] >= 1
    for s in stores:
        assert check(s) == []
        purged = [r for (r,) in s.db.execute("SELECT id FROM records WHERE purged = 1")]
        for r in purged:
            assert all(
                c.value is None for c in s.history(r) if c.field not in ("purged", "deleted")
            )
