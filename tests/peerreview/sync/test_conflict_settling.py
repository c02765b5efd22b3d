"""Conflicts a person can always settle: a child made under a parent deleted elsewhere is one, and
settling the open conflicts in any order, either way, reaches zero."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.check import check
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR


def _laptops(tmp_path: Path, n: int = 2) -> list[Store]:
    a = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    out = [a]
    for i in range(1, n):
        s = Store.init(tmp_path / f"l{i}.db", device_name=f"L{i}", partnership_id=a.partnership_id)
        enrol(a, s, role=COORDINATOR)
        out.append(s)
    return out


def _send(src: Store, dst: Store, path: Path) -> None:
    export_bundle(src, path, full=True, plain=True)
    import_bundle(dst, path)


def test_a_child_made_under_a_parent_deleted_elsewhere_is_a_conflict(tmp_path: Path) -> None:
    a, b = _laptops(tmp_path)
    school = a.create("school", {"name": "Grace Academy", "urn": 1})
    _send(a, b, tmp_path / "seed.prbundle")
    a.delete(school)  # A deletes the school...
    person = b.create("person", {"name": "New teacher", "school": school})  # ...B adds a person
    _send(b, a, tmp_path / "b.prbundle")
    _send(a, b, tmp_path / "a.prbundle")
    for s in (a, b):
        assert [(c.record_id, c.field) for c in s.conflicts()] == [(person, "deleted")]
        assert check(s) == []
    assert dump_bytes(a) == dump_bytes(b)
    # "Restore": the school comes back, and the person with it.
    a.resolve(person, "deleted", False)
    assert a.conflicts() == [] and not a.get(school).deleted and not a.get(person).deleted
    # "Keep deleted" on the other laptop: the person goes too.
    b.resolve(person, "deleted", True)
    assert b.conflicts() == [] and b.get(person).deleted
    assert check(a) == [] and check(b) == []


@pytest.mark.parametrize("order", list(itertools.permutations(["name", "deleted"])))
@pytest.mark.parametrize("keep_deleted", [True, False])
def test_settling_in_any_order_reaches_zero(
    tmp_path: Path, order: tuple[str, ...], keep_deleted: bool
) -> None:
    a, b, c = _laptops(tmp_path, 3)
    school = a.create("school", {"name": "Grace Academy", "urn": 1})
    _send(a, b, tmp_path / "seed-b.prbundle")
    _send(a, c, tmp_path / "seed-c.prbundle")
    a.delete(school)
    b.set(school, "name", "Grace Academy Coventry")
    c.set(school, "name", "Grace Academy (Coventry)")
    _send(b, a, tmp_path / "b.prbundle")
    _send(c, a, tmp_path / "c.prbundle")
    assert sorted(x.field for x in a.conflicts()) == ["deleted", "name"]
    for field in order:
        if field == "deleted":
            a.resolve(school, "deleted", keep_deleted)
        else:
            a.resolve(school, "name", "Grace Academy Coventry")
        assert field not in {x.field for x in a.conflicts()}
    assert a.conflicts() == []
    assert check(a) == []
    # The settlement travels: the other laptops agree, with nothing left to settle.
    for other in (b, c):
        _send(a, other, tmp_path / f"settled-{other.device.name}.prbundle")
        assert other.conflicts() == [] and dump_bytes(other) == dump_bytes(a)
