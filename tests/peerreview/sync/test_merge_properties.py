"""Merging is the union of logs: order-independent, idempotent, never dropping what anyone typed.

The property test builds 2 to 5 laptops of one partnership, gives them random offline histories of
creates, edits, deletes and restores on a small shared pool of records (so concurrent edits of one
field are common), interleaves random partial bundle exchanges (including re-imports of old bundles
and bundles of chosen schools), then exchanges everything and checks the result against a model
computed from the union of the logs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from peerreview.sync.bundle import ImportReport, export_bundle, import_bundle
from peerreview.sync.check import check
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR

EDITABLE = ("name", "phase", "notes")


# ------------------------------------------------------------------------------------ helpers


@dataclass
class Laptop:
    index: int
    store: Store
    counter: int = 0
    bundles: int = 0

    def value(self, what: str) -> str:
        """A value no other edit anywhere will write (so concurrency is detectable)."""
        self.counter += 1
        return f"d{self.index}-{what}-{self.counter}"


@dataclass
class World:
    root: Path
    laptops: list[Laptop]
    pool: list[str] = field(default_factory=list)
    made: set[str] = field(default_factory=set)  # every change id any laptop wrote
    bundles: list[tuple[int, Path]] = field(default_factory=list)  # (exporter, file)
    imported: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    urns: int = 200000

    def export(self, i: int) -> Path:
        lap = self.laptops[i]
        lap.bundles += 1
        path = self.root / f"d{i}-{lap.bundles}.prbundle"
        export_bundle(lap.store, path, full=True, plain=True)
        self.bundles.append((i, path))
        return path

    def import_(self, i: int, path: Path) -> ImportReport:
        store = self.laptops[i].store
        before = dump_bytes(store) if path.name in self.imported[i] else None
        report = import_bundle(store, path)
        if before is not None:
            # The same file again: recognised, and nothing changes.
            assert report.already_imported, path.name
            assert dump_bytes(store) == before
        self.imported[i].add(path.name)
        # After every import, not only at the end: what the laptop shows is what its log implies.
        assert_matches_model(store, model_of(log_rows(store)))
        return report

    def full_exchange(self) -> None:
        for _ in range(2):
            paths = [self.export(i) for i in range(len(self.laptops))]
            for i in range(len(self.laptops)):
                for p in paths:
                    self.import_(i, p)


def log_rows(store: Store) -> dict[str, dict[str, Any]]:
    """Every change in a laptop's log, by id."""
    out = {}
    for cid, record, kind, fld, value, parents, seen, hlc, device in store.db.execute(
        "SELECT id, record, kind, field, value, parents, seen, hlc, device"
        " FROM changes ORDER BY seq"
    ):
        out[cid] = {
            "id": cid,
            "record": record,
            "kind": kind,
            "field": fld,
            "value": None if value is None else orjson.loads(value),
            "parents": tuple(orjson.loads(parents)),
            "seen": tuple(orjson.loads(seen)) if seen else (),
            "hlc": hlc,
            "device": device,
        }
    return out


@dataclass
class Model:
    """What the union of the logs implies, computed here independently of the core's SQL."""

    heads: dict[tuple[str, str], list[dict[str, Any]]]
    winners: dict[tuple[str, str], dict[str, Any]]
    conflicts: set[tuple[str, str]]
    deleted: dict[str, bool]


def model_of(changes: dict[str, dict[str, Any]]) -> Model:
    by_field: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    parented: set[tuple[str, str, str]] = set()
    for c in changes.values():
        by_field[(c["record"], c["field"])].append(c)
        for p in c["parents"]:
            parented.add((c["record"], c["field"], p))
    heads = {
        key: [c for c in cs if (key[0], key[1], c["id"]) not in parented]
        for key, cs in by_field.items()
    }
    winners = {
        key: max(hs, key=lambda c: (c["hlc"], c["device"], c["id"])) for key, hs in heads.items()
    }
    deleted: dict[str, bool] = defaultdict(bool)
    for (record, fld), w in winners.items():
        if fld == "deleted":
            deleted[record] = bool(w["value"])
    conflicts: set[tuple[str, str]] = set()
    for key, hs in heads.items():
        if len({orjson.dumps(c["value"], option=orjson.OPT_SORT_KEYS) for c in hs}) > 1:
            conflicts.add(key)
    # An edit no delete of the record had seen, on a record that shows as deleted.
    for record, is_deleted in deleted.items():
        if not is_deleted:
            continue
        seen = {s for c in heads[(record, "deleted")] for s in c["seen"]}
        for (r, fld), hs in heads.items():
            if r == record and fld != "deleted" and any(h["id"] not in seen for h in hs):
                conflicts.add((record, "deleted"))
    return Model(heads, winners, conflicts, deleted)


def assert_matches_model(store: Store, model: Model) -> None:
    """Conflicts, provisional winners and shown values are what the log implies."""
    shown = {(c.record_id, c.field): c for c in store.conflicts()}
    assert set(shown) == model.conflicts
    for key, conflict in shown.items():
        heads = model.heads[key]
        # Nothing typed is dropped: every head is offered; the provisional winner is the model's.
        assert {v.change_id for v in conflict.values} == {h["id"] for h in heads}
        winners = [v for v in conflict.values if v.winner]
        assert len(winners) == 1
        assert winners[0].change_id == model.winners[key]["id"]
        assert conflict.values[0].winner
    for (record, fld), w in model.winners.items():
        rec = store.get(record)
        if fld == "deleted":
            assert rec.deleted == bool(w["value"]), record
        else:
            assert rec.values.get(fld) == w["value"], (record, fld)
        assert (fld in rec.conflicts) == ((record, fld) in model.conflicts)


def assert_dump_conflicts(dump: bytes, model: Model) -> None:
    """The dump lists every field with more than one concurrent head (equal values included)."""
    records = orjson.loads(dump)["records"]
    listed = {(r, f) for r, rec in records.items() for f in rec["conflicts"]}
    assert listed == {key for key, hs in model.heads.items() if len(hs) > 1}


def assert_causal_clocks(changes: dict[str, dict[str, Any]]) -> None:
    """A change's stamp is later than every change its author had seen (causality)."""
    for c in changes.values():
        for p in c["parents"] + c["seen"]:
            assert c["hlc"] > changes[p]["hlc"], c


# ------------------------------------------------------------------------------------ operations


def heads_seen(store: Store, record: str) -> dict[str, set[str]]:
    """The heads of each field of a record, from the laptop's log (not from the core's tables)."""
    model = model_of(log_rows(store))
    return {f: {h["id"] for h in hs} for (r, f), hs in model.heads.items() if r == record}


def assert_parents(changes: list[Any], before: dict[str, set[str]]) -> None:
    """A local change lists as parents the heads of its field the author had; a delete, as seen,
    the heads of every other field."""
    for c in changes:
        assert set(c.parents) == before.get(c.field, set()), c
        if c.field == "deleted":
            others = set().union(*(h for f, h in before.items() if f != "deleted"))
            assert set(c.seen) == others, c
        else:
            assert c.seen == ()


def op_edit(world: World, data: st.DataObject) -> None:
    lap = world.laptops[data.draw(st.integers(0, len(world.laptops) - 1), label="laptop")]
    known = [r for r in world.pool if lap.store.exists(r) and not lap.store.get(r).deleted]
    if not known:
        return
    rid = data.draw(st.sampled_from(known), label="record")
    fields = data.draw(st.lists(st.sampled_from(EDITABLE), min_size=1, max_size=2, unique=True))
    before = heads_seen(lap.store, rid)
    changes = lap.store.update(rid, {f: lap.value(f) for f in fields})
    assert len(changes) == len(fields)
    assert_parents(changes, before)
    world.made.update(c.id for c in changes)


def op_delete(world: World, data: st.DataObject) -> None:
    lap = world.laptops[data.draw(st.integers(0, len(world.laptops) - 1), label="laptop")]
    known = [r for r in world.pool if lap.store.exists(r) and not lap.store.get(r).deleted]
    if not known:
        return
    rid = data.draw(st.sampled_from(known), label="record")
    before = heads_seen(lap.store, rid)
    changes = lap.store.delete(rid)
    assert_parents(changes, before)
    world.made.update(c.id for c in changes)
    assert lap.store.get(rid).deleted


def op_restore(world: World, data: st.DataObject) -> None:
    lap = world.laptops[data.draw(st.integers(0, len(world.laptops) - 1), label="laptop")]
    gone = [r for r in world.pool if lap.store.exists(r) and lap.store.get(r).deleted]
    if not gone:
        return
    rid = data.draw(st.sampled_from(gone), label="record")
    before = heads_seen(lap.store, rid)
    changes = lap.store.restore(rid)
    assert_parents(changes, before)
    world.made.update(c.id for c in changes)
    assert not lap.store.get(rid).deleted


def op_create(world: World, data: st.DataObject) -> None:
    if len(world.pool) >= 6:
        return
    lap = world.laptops[data.draw(st.integers(0, len(world.laptops) - 1), label="laptop")]
    world.urns += 1
    rid = lap.store.create(
        "school", {"name": lap.value("new"), "phase": lap.value("phase"), "urn": world.urns}
    )
    world.pool.append(rid)
    world.made.update(c.id for c in lap.store.history(rid))


def op_exchange(world: World, data: st.DataObject) -> None:
    n = len(world.laptops)
    src = data.draw(st.integers(0, n - 1), label="from")
    dst = data.draw(st.integers(0, n - 2), label="to")
    dst += dst >= src  # any laptop but the exporter
    path = world.export(src)
    world.import_(dst, path)
    if data.draw(st.booleans(), label="twice"):
        world.import_(dst, path)


def op_partial_exchange(world: World, data: st.DataObject) -> None:
    """A bundle of chosen schools only (with their people and the partnership-wide records)."""
    n = len(world.laptops)
    src = data.draw(st.integers(0, n - 1), label="from")
    dst = data.draw(st.integers(0, n - 2), label="to")
    dst += dst >= src
    store = world.laptops[src].store
    urns = [store.get(r)["urn"] for r in world.pool if store.exists(r)]
    if not urns:
        return
    chosen = data.draw(st.lists(st.sampled_from(urns), min_size=1, unique=True), label="schools")
    lap = world.laptops[src]
    lap.bundles += 1
    path = world.root / f"d{src}-{lap.bundles}-part.prbundle"
    export_bundle(store, path, school_urns=chosen, full=True, plain=True)
    world.bundles.append((src, path))
    world.import_(dst, path)


def op_reimport(world: World, data: st.DataObject) -> None:
    """An old bundle (perhaps long superseded, perhaps the laptop's own) imported again."""
    if not world.bundles:
        return
    _src, path = data.draw(st.sampled_from(world.bundles), label="old bundle")
    dst = data.draw(st.integers(0, len(world.laptops) - 1), label="to")
    before = dump_bytes(world.laptops[dst].store)
    report = world.import_(dst, path)
    if report.already_imported or report.new == 0:
        assert dump_bytes(world.laptops[dst].store) == before


OPS = (
    (op_edit, 8),
    (op_delete, 2),
    (op_restore, 2),
    (op_create, 1),
    (op_exchange, 3),
    (op_partial_exchange, 1),
    (op_reimport, 1),
)
OP_CHOICES = [op for op, weight in OPS for _ in range(weight)]


# ------------------------------------------------------------------------------------ the property


@settings(
    max_examples=int(os.environ.get("PEERREVIEW_MERGE_EXAMPLES", "100")),
    deadline=None,
    database=None,  # keep no example database in the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_any_history_converges_after_full_exchange(data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 5), label="laptops")
    tmp = tempfile.mkdtemp(prefix="pr-merge-")
    stores: list[Store] = []
    try:
        root = Path(tmp)
        first = Store.init(
            root / "d0.db", device_name="Laptop 0", partnership_name="Test partnership"
        )
        stores.append(first)
        for i in range(1, n):
            stores.append(
                Store.init(
                    root / f"d{i}.db",
                    device_name=f"Laptop {i}",
                    partnership_id=first.partnership_id,
                )
            )
            enrol(first, stores[-1], role=COORDINATOR)  # every laptop relays what it has
        world = World(root, [Laptop(i, s) for i, s in enumerate(stores)])
        world.made.update(log_rows(first))

        # A small pool of records every laptop starts with (so edits collide).
        for k in range(data.draw(st.integers(1, 3), label="pool")):
            rid = first.create(
                "school", {"name": f"School {k}", "urn": 100000 + k, "phase": "Primary"}
            )
            world.pool.append(rid)
        world.made.update(log_rows(first))
        seed = world.export(0)
        for i in range(1, n):
            world.import_(i, seed)

        steps = data.draw(st.integers(1, 30), label="steps")
        for _ in range(steps):
            op = data.draw(st.sampled_from(OP_CHOICES), label="op")
            op(world, data)

        union: dict[str, dict[str, Any]] = {}
        for s in stores:
            union.update(log_rows(s))
        assert world.made <= set(union)

        world.full_exchange()

        dumps = [dump_bytes(s) for s in stores]
        assert all(d == dumps[0] for d in dumps[1:])
        for s in stores:
            rows = log_rows(s)
            assert set(rows) == set(union)  # every change made anywhere, and nothing invented
            assert check(s) == []
        assert_causal_clocks(union)
        model = model_of(union)
        assert_dump_conflicts(dumps[0], model)
        event(f"field conflicts: {min(3, sum(f != 'deleted' for _, f in model.conflicts))}")
        event(f"delete conflicts: {min(3, sum(f == 'deleted' for _, f in model.conflicts))}")
        for s in stores:
            assert_matches_model(s, model)
        # Each laptop's own stamps only go forwards.
        for s in stores:
            own = [
                r[0]
                for r in s.db.execute(
                    "SELECT hlc FROM changes WHERE device = ? ORDER BY seq", [s.device.id]
                )
            ]
            assert own == sorted(own) and len(set(own)) == len(own)

        # Resolve everything on one laptop, exchange, and every laptop is clean and identical.
        resolver = data.draw(st.integers(0, n - 1), label="resolver")
        lap = world.laptops[resolver]
        for _ in range(10):
            open_ = lap.store.conflicts()
            if not open_:
                break
            fields_first = sorted(open_, key=lambda c: c.is_delete)
            for c in fields_first:
                if c.is_delete:
                    if (c.record_id, c.field) not in {
                        (x.record_id, x.field) for x in lap.store.conflicts()
                    }:
                        continue
                    keep_deleted = data.draw(st.booleans(), label="keep deleted")
                    before = heads_seen(lap.store, c.record_id)
                    made = lap.store.resolve(c.record_id, "deleted", keep_deleted)
                else:
                    pick = data.draw(st.sampled_from([*c.values, None]), label="resolution")
                    value = lap.value("resolved") if pick is None else pick.value
                    before = heads_seen(lap.store, c.record_id)
                    made = lap.store.resolve(c.record_id, c.field, value)
                    # Resolving supersedes every competing value: its parents are all the heads.
                    assert {p for x in made for p in x.parents} == {v.change_id for v in c.values}
                assert_parents(made, before)
                world.made.update(x.id for x in made)
        assert lap.store.conflicts() == []
        world.full_exchange()
        dumps = [dump_bytes(s) for s in stores]
        assert all(d == dumps[0] for d in dumps[1:])
        assert orjson.loads(dumps[0])["records"]  # non-empty
        for s in stores:
            assert s.conflicts() == []
            assert s.conflict_count() == 0
            assert check(s) == []
            assert world.made <= set(log_rows(s))
        final = {}
        for s in stores:
            final.update(log_rows(s))
        assert not model_of(final).conflicts
    finally:
        for s in stores:
            s.close()
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------------------- worked examples


def _pair(tmp_path: Path) -> tuple[Store, Store]:
    a = Store.init(tmp_path / "a.db", device_name="Laptop A", author="Ann", partnership_name="P")
    b = Store.init(
        tmp_path / "b.db", device_name="Laptop B", author="Bob", partnership_id=a.partnership_id
    )
    enrol(a, b, role=COORDINATOR)
    return a, b


def _send(src: Store, dst: Store, path: Path) -> ImportReport:
    export_bundle(src, path, full=True, plain=True)
    return import_bundle(dst, path)


def _both_ways(a: Store, b: Store, tmp_path: Path, tag: str) -> None:
    _send(a, b, tmp_path / f"a-{tag}.prbundle")
    _send(b, a, tmp_path / f"b-{tag}.prbundle")


def test_concurrent_edits_conflict_then_resolve(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    school = a.create("school", {"name": "Grace Academy", "urn": 135335, "phase": "Secondary"})
    _send(a, b, tmp_path / "seed.prbundle")
    assert b.get(school)["name"] == "Grace Academy"

    a.set(school, "name", "Grace Academy Coventry")
    b.set(school, "name", "Grace Academy (Coventry)")
    _both_ways(a, b, tmp_path, "1")

    shown = []
    for s in (a, b):
        (conflict,) = s.conflicts()
        assert conflict.field == "name" and not conflict.is_delete
        assert {v.value for v in conflict.values} == {
            "Grace Academy Coventry",
            "Grace Academy (Coventry)",
        }
        winner = [v for v in conflict.values if v.winner]
        assert len(winner) == 1
        assert s.get(school)["name"] == winner[0].value
        assert "name" in s.get(school).conflicts
        shown.append(winner[0].change_id)
    assert shown[0] == shown[1]
    assert dump_bytes(a) == dump_bytes(b)

    made = a.resolve(school, "name", "Grace Academy Coventry")
    heads = {v.change_id for v in b.conflicts()[0].values}
    assert set(made[0].parents) == heads  # resolving supersedes every competing value
    assert a.conflicts() == []
    _both_ways(a, b, tmp_path, "2")
    for s in (a, b):
        assert s.conflicts() == []
        assert s.get(school)["name"] == "Grace Academy Coventry"
        assert check(s) == []
    assert dump_bytes(a) == dump_bytes(b)


def test_identical_concurrent_values_are_not_a_conflict_but_dump_shows_both_heads(
    tmp_path: Path,
) -> None:
    a, b = _pair(tmp_path)
    school = a.create("school", {"name": "Grace Academy", "urn": 135335})
    _send(a, b, tmp_path / "seed.prbundle")
    a.set(school, "phase", "Secondary")
    b.set(school, "phase", "Secondary")
    _both_ways(a, b, tmp_path, "1")
    assert a.conflicts() == [] and b.conflicts() == []
    assert dump_bytes(a) == dump_bytes(b)
    rec = orjson.loads(dump_bytes(a))["records"][school]
    assert set(rec["conflicts"]) == {"phase"}
    assert len(rec["conflicts"]["phase"]) == 2


def test_edit_concurrent_with_delete_is_a_delete_conflict_and_restore_keeps_it(
    tmp_path: Path,
) -> None:
    a, b = _pair(tmp_path)
    school = a.create("school", {"name": "Grace Academy", "urn": 135335})
    _send(a, b, tmp_path / "seed.prbundle")

    a.delete(school)
    b.set(school, "phase", "Secondary")
    _both_ways(a, b, tmp_path, "1")
    for s in (a, b):
        (conflict,) = s.conflicts()
        assert conflict.is_delete and conflict.field == "deleted"
        assert conflict.edited_fields == ("phase",)
        assert s.get(school).deleted
        assert s.get(school)["phase"] == "Secondary"  # the edit is kept, not dropped
    assert dump_bytes(a) == dump_bytes(b)

    a.restore(school)
    _both_ways(a, b, tmp_path, "2")
    for s in (a, b):
        assert s.conflicts() == []
        rec = s.get(school)
        assert not rec.deleted
        assert rec["phase"] == "Secondary" and rec["name"] == "Grace Academy"
        assert check(s) == []
    assert dump_bytes(a) == dump_bytes(b)


def test_delete_that_saw_the_edit_is_not_a_conflict(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    school = a.create("school", {"name": "Grace Academy", "urn": 135335})
    _send(a, b, tmp_path / "seed.prbundle")
    b.set(school, "phase", "Secondary")
    _send(b, a, tmp_path / "b1.prbundle")
    a.delete(school)
    _both_ways(a, b, tmp_path, "2")
    for s in (a, b):
        assert s.conflicts() == []
        assert s.get(school).deleted
    assert dump_bytes(a) == dump_bytes(b)


def test_resolving_a_delete_conflict_by_keeping_it_deleted(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    school = a.create("school", {"name": "Grace Academy", "urn": 135335})
    _send(a, b, tmp_path / "seed.prbundle")
    a.delete(school)
    b.set(school, "notes", "Visited on Tuesday")
    _both_ways(a, b, tmp_path, "1")
    b.resolve(school, "deleted", True)
    _both_ways(a, b, tmp_path, "2")
    for s in (a, b):
        assert s.conflicts() == []
        assert s.get(school).deleted
        assert s.get(school)["notes"] == "Visited on Tuesday"
        assert check(s) == []
    assert dump_bytes(a) == dump_bytes(b)


def test_importing_the_same_bundle_twice_changes_nothing(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    school = a.create("school", {"name": "Grace Academy", "urn": 135335})
    a.set(school, "phase", "Secondary")
    path = tmp_path / "a.prbundle"
    export_bundle(a, path, full=True, plain=True)
    first = import_bundle(b, path)
    assert first.new > 0 and not first.already_imported
    dump, count = dump_bytes(b), b.change_count()

    again = import_bundle(b, path)
    assert again.already_imported and again.new == 0
    assert again.known == first.new + first.known and again.device_name == first.device_name
    copy = tmp_path / "copy-with-another-name.prbundle"
    shutil.copy(path, copy)
    assert import_bundle(b, copy).already_imported
    # A fresh export of the same changes (maybe a different file) brings nothing new.
    export_bundle(a, tmp_path / "a2.prbundle", full=True, plain=True)
    third = import_bundle(b, tmp_path / "a2.prbundle")
    assert third.new == 0 and third.conflicts == 0
    # B's own changes sent back to it are all known.
    export_bundle(b, tmp_path / "b.prbundle", full=True, plain=True)
    own = import_bundle(b, tmp_path / "b.prbundle")
    assert own.new == 0 and own.known == b.change_count()
    assert dump_bytes(b) == dump and b.change_count() == count
    assert dump_bytes(a) == dump_bytes(b)


def test_merge_is_order_independent(tmp_path: Path) -> None:
    """Three laptops' bundles imported in different orders give the same database."""
    a, b = _pair(tmp_path)
    c = Store.init(tmp_path / "c.db", device_name="Laptop C", partnership_id=a.partnership_id)
    enrol(a, c, role=COORDINATOR)
    school = a.create("school", {"name": "Grace Academy", "urn": 135335})
    seed = tmp_path / "seed.prbundle"
    export_bundle(a, seed, full=True, plain=True)
    import_bundle(b, seed)
    import_bundle(c, seed)
    a.set(school, "name", "A's name")
    b.set(school, "name", "B's name")
    c.delete(school)
    paths = []
    for s, tag in ((a, "a"), (b, "b"), (c, "c")):
        p = tmp_path / f"{tag}.prbundle"
        export_bundle(s, p, full=True, plain=True)
        paths.append(p)
    dumps = []
    for k, order in enumerate(([0, 1, 2], [2, 1, 0], [1, 2, 0])):
        d = Store.init(tmp_path / f"d{k}.db", device_name=f"D{k}", partnership_id=a.partnership_id)
        for i in order:
            import_bundle(d, paths[i])
        assert check(d) == []
        assert {(x.field) for x in d.conflicts()} == {"name", "deleted"}
        dumps.append(dump_bytes(d))
        d.close()
    assert dumps[0] == dumps[1] == dumps[2]


def test_same_gias_file_imported_on_two_laptops_gives_one_school_per_urn(tmp_path: Path) -> None:
    from peerreview.partnership.schools import import_schools

    sample = Path(__file__).resolve().parents[2] / "data" / "gias_sample_coventry.csv"
    a, b = _pair(tmp_path)
    import_schools(a, sample)
    import_schools(b, sample)
    _both_ways(a, b, tmp_path, "1")
    assert dump_bytes(a) == dump_bytes(b)
    for s in (a, b):
        urns = [x["urn"] for x in s.list("school")]
        assert len(urns) == len(set(urns)) == 6
        assert s.conflicts() == []
