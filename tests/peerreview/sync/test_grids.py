"""Grids merge cell by cell: laptops filling different cells never conflict; the same cell filled
differently on two laptops is exactly one conflict, on that cell, settled everywhere by one person.

The property test gives 2 to 4 laptops of one partnership the same grid record, lets them write
random blocks of cells (new text, text another laptop may also write, or clearing) between random
bundle exchanges, then exchanges everything and compares every laptop with a model of who had seen
which write when.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from peerreview.errors import ConflictError, RecordNotFound, ValidationError
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.check import check
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.grids import (
    AxisEntry,
    Cell,
    Grid,
    GridLayout,
    cell_field,
    cell_of,
    cell_values,
    clear_cells,
    read_grid,
    settle_cell,
    write_cell,
    write_cells,
)
from peerreview.sync.ids import derived_id
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR

# Rows keyed by ids a form lists, columns by record ids (as case pupils would be).
ROWS = tuple(AxisEntry(f"stage-{n}", f"Stage {n}") for n in range(1, 4))
COLUMNS = tuple(AxisEntry(derived_id("pupil", str(n)), f"Pupil {'ABC'[n]}") for n in range(3))
LAYOUT = GridLayout("lesson_plan.predictions", ROWS, COLUMNS)
CELLS = [(r.id, c.id) for r in ROWS for c in COLUMNS]
#: Text more than one laptop may write (equal concurrent values are not a conflict).
SHARED = ("Counts on in ones", "Uses the number line")


# ------------------------------------------------------------------------------------ the model


@dataclass
class Write:
    """One cell written on one laptop, and the writes to that cell its laptop had seen then."""

    id: int
    device: int
    cell: Cell
    value: str | None
    saw: frozenset[int]


@dataclass
class Model:
    writes: list[Write] = field(default_factory=list)
    known: dict[int, set[int]] = field(default_factory=dict)  # laptop -> write ids it has

    def heads(self, cell: Cell, laptop: int | None = None) -> list[Write]:
        """The writes to ``cell`` (that ``laptop`` has) no later write supersedes."""
        on_cell = [
            w
            for w in self.writes
            if w.cell == cell and (laptop is None or w.id in self.known[laptop])
        ]
        superseded = {s for w in on_cell for s in w.saw}
        return [w for w in on_cell if w.id not in superseded]

    def in_conflict(self, cell: Cell, laptop: int | None = None) -> bool:
        return len({w.value for w in self.heads(cell, laptop)}) > 1


@dataclass
class Laptop:
    index: int
    store: Store
    counter: int = 0


@dataclass
class World:
    root: Path
    laptops: list[Laptop]
    record: str
    model: Model
    bundles: int = 0

    def exchange(self, src: Laptop, dst: Laptop) -> None:
        self.bundles += 1
        path = self.root / f"{self.bundles}-from-{src.index}.prbundle"
        export_bundle(src.store, path, full=True, plain=True)
        import_bundle(dst.store, path)
        self.model.known[dst.index] |= self.model.known[src.index]

    def full_exchange(self, order: list[int]) -> None:
        """Every laptop's bundle to every other laptop, exporters in ``order``: then all have
        every write."""
        paths = {}
        for i in order:
            self.bundles += 1
            paths[i] = self.root / f"{self.bundles}-all-from-{i}.prbundle"
            export_bundle(self.laptops[i].store, paths[i], full=True, plain=True)
        everything = set().union(*self.model.known.values())
        for dst in self.laptops:
            for i in order:
                if i != dst.index:
                    import_bundle(dst.store, paths[i])
            self.model.known[dst.index] = set(everything)

    def write_block(self, lap: Laptop, data: st.DataObject) -> None:
        """``lap`` writes a random block of cells (new text, shared text, or clearing)."""
        model = self.model
        cells = data.draw(st.lists(st.sampled_from(CELLS), min_size=1, max_size=4, unique=True))
        block: dict[Cell, str | None] = {}
        for cell in cells:
            how = data.draw(st.sampled_from(["new", "new", "shared", "clear"]), label="text")
            if how == "new":
                lap.counter += 1
                block[cell] = f"Laptop {lap.index} note {lap.counter}\tand a tab, “quotes”"
            elif how == "shared":
                block[cell] = data.draw(st.sampled_from(SHARED))
            else:
                block[cell] = None
        before = read_grid(lap.store, self.record, LAYOUT)
        written = {
            cell: value
            for cell, value in block.items()
            if before.text(*cell) != (value or "") or before.conflict(*cell) is not None
        }
        changes = write_cells(lap.store, self.record, LAYOUT.name, block)
        # One change per cell whose text changes (or that is settled by it); none for the rest.
        assert sorted(c.field for c in changes) == sorted(
            cell_field(LAYOUT.name, *cell) for cell in written
        )
        for cell, value in written.items():
            saw = frozenset(
                w.id for w in model.writes if w.cell == cell and w.id in model.known[lap.index]
            )
            write = Write(len(model.writes), lap.index, cell, value, saw)
            model.writes.append(write)
            model.known[lap.index].add(write.id)
        after = read_grid(lap.store, self.record, LAYOUT)
        for cell, value in block.items():
            assert after.text(*cell) == (value or "")
            assert after.conflict(*cell) is None  # writing a cell settles it on this laptop

    def assert_matches(self, lap: Laptop) -> Grid:
        """The laptop shows what the writes it has imply: conflicts exactly where they disagree."""
        model = self.model
        grid = read_grid(lap.store, self.record, LAYOUT)
        for cell in CELLS:
            heads = model.heads(cell, lap.index)
            conflict = grid.conflict(*cell)
            if model.in_conflict(cell, lap.index):
                # This cell, with every competing text offered; it shows one of them meanwhile.
                assert conflict is not None, cell
                assert conflict.field == cell_field(LAYOUT.name, *cell)
                assert {v.value for v in conflict.values} == {w.value for w in heads}
                assert grid.text(*cell) in {w.value or "" for w in heads}
                assert [v.winner for v in conflict.values].count(True) == 1
            else:
                assert conflict is None, cell
                assert grid.text(*cell) == ((heads[0].value or "") if heads else "")
        record = lap.store.get(self.record)
        assert {cell_of(LAYOUT.name, f) for f in record.conflicts} == {
            c for c in CELLS if model.in_conflict(c, lap.index)
        }  # and no other field of the record
        return grid


@settings(
    max_examples=int(os.environ.get("PEERREVIEW_GRID_EXAMPLES", "30")),
    deadline=None,
    database=None,  # keep no example database in the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_grids_merge_cell_by_cell_in_any_exchange_order(data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 4), label="laptops")
    tmp = Path(tempfile.mkdtemp(prefix="pr-grids-"))
    stores: list[Store] = []
    try:
        first = Store.init(tmp / "d0.db", device_name="Laptop 0", partnership_name="Trio")
        stores.append(first)
        for i in range(1, n):
            stores.append(
                Store.init(
                    tmp / f"d{i}.db", device_name=f"Laptop {i}", partnership_id=first.partnership_id
                )
            )
            enrol(first, stores[-1], role=COORDINATOR)  # every laptop relays what it has
        record = first.create("school", {"name": "Grace Academy", "urn": 135335})
        world = World(
            tmp,
            [Laptop(i, s) for i, s in enumerate(stores)],
            record,
            Model(known={i: set() for i in range(n)}),
        )
        laptops = world.laptops
        for lap in laptops[1:]:
            world.exchange(laptops[0], lap)

        # Every laptop writes offline first (so cells collide), then writes and exchanges
        # interleave at random; after each import a laptop shows what it has seen implies.
        for lap in laptops:
            world.write_block(lap, data)
        for _ in range(data.draw(st.integers(0, 8), label="steps")):
            if data.draw(st.booleans(), label="exchange"):
                src = data.draw(st.integers(0, n - 1), label="from")
                dst = data.draw(st.integers(0, n - 2), label="to")
                dst += dst >= src
                world.exchange(laptops[src], laptops[dst])
                world.assert_matches(laptops[dst])
            else:
                world.write_block(laptops[data.draw(st.integers(0, n - 1), label="writer")], data)

        order = list(data.draw(st.permutations(range(n)), label="exchange order"))
        world.full_exchange(order)
        grids = [world.assert_matches(lap) for lap in laptops]

        def competing(g: Grid) -> dict[Cell, set[str]]:
            return {c: {v.change_id for v in x.values} for c, x in g.conflicts.items()}

        for g in grids[1:]:
            assert g.cells == grids[0].cells
            assert competing(g) == competing(grids[0])
        dumps = [dump_bytes(lap.store) for lap in laptops]
        assert all(d == dumps[0] for d in dumps[1:])
        event(f"cells in conflict: {min(3, len(grids[0].conflicts))}")
        # A cell only one laptop ever wrote is never in conflict.
        for cell in CELLS:
            if len({w.device for w in world.model.writes if w.cell == cell}) == 1:
                assert grids[0].conflict(*cell) is None

        # One person settles every conflicted cell on one laptop; after an exchange the grid is
        # settled, and the same, everywhere.
        settler = laptops[data.draw(st.integers(0, n - 1), label="settler")]
        for (row, column), conflict in grids[settler.index].conflicts.items():
            pick = data.draw(st.sampled_from([*conflict.values, None]), label="keep")
            text = "Settled by the team" if pick is None else pick.value
            made = settle_cell(settler.store, record, LAYOUT.name, row, column, text)
            # Settling supersedes every competing value: its parents are all of them.
            assert {p for c in made for p in c.parents} == {v.change_id for v in conflict.values}
            assert read_grid(settler.store, record, LAYOUT).text(row, column) == (text or "")
        world.full_exchange(order)
        settled = [read_grid(lap.store, record, LAYOUT) for lap in laptops]
        for g in settled:
            assert not g.conflicts
            assert g.cells == settled[0].cells
        dumps = [dump_bytes(lap.store) for lap in laptops]
        assert all(d == dumps[0] for d in dumps[1:])
        for lap in laptops:
            assert lap.store.conflict_count() == 0
            assert check(lap.store) == []
    finally:
        for s in stores:
            s.close()
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------------------- worked examples


def _pair(tmp_path: Path) -> tuple[Store, Store, str]:
    a = Store.init(tmp_path / "a.db", device_name="Laptop A", author="Ann", partnership_name="P")
    b = Store.init(
        tmp_path / "b.db", device_name="Laptop B", author="Bob", partnership_id=a.partnership_id
    )
    enrol(a, b, role=COORDINATOR)
    record = a.create("school", {"name": "Grace Academy", "urn": 135335})
    _send(a, b, tmp_path / "seed.prbundle")
    return a, b, record


def _send(src: Store, dst: Store, path: Path) -> None:
    export_bundle(src, path, full=True, plain=True)
    import_bundle(dst, path)


def test_different_cells_on_two_laptops_merge_without_conflict(tmp_path: Path) -> None:
    a, b, record = _pair(tmp_path)
    (s1, s2, _), (pa, pb, _) = ([r.id for r in ROWS], [c.id for c in COLUMNS])
    write_cells(a, record, LAYOUT.name, {(s1, pa): "Draws a bar model", (s2, pa): "Guesses"})
    write_cell(b, record, LAYOUT.name, s1, pb, "Counts on fingers")
    _send(a, b, tmp_path / "a.prbundle")
    _send(b, a, tmp_path / "b.prbundle")
    for store in (a, b):
        grid = read_grid(store, record, LAYOUT)
        assert grid.conflicts == {}
        assert grid.table()[0][:2] == ("Draws a bar model", "Counts on fingers")
        assert grid.text(s2, pa) == "Guesses"
    assert dump_bytes(a) == dump_bytes(b)


def test_the_same_cell_on_two_laptops_is_one_conflict_on_that_cell(tmp_path: Path) -> None:
    a, b, record = _pair(tmp_path)
    s1, pa = ROWS[0].id, COLUMNS[0].id
    write_cell(a, record, LAYOUT.name, s1, pa, "Draws a bar model")
    write_cell(b, record, LAYOUT.name, s1, pa, "Counts on fingers")
    write_cell(b, record, LAYOUT.name, s1, COLUMNS[1].id, "Only B wrote this")
    _send(a, b, tmp_path / "a.prbundle")
    _send(b, a, tmp_path / "b.prbundle")
    for store in (a, b):
        grid = read_grid(store, record, LAYOUT)
        assert list(grid.conflicts) == [(s1, pa)]
        values = {(v.value, v.author) for v in grid.conflicts[(s1, pa)].values}
        assert values == {("Draws a bar model", "Ann"), ("Counts on fingers", "Bob")}
        assert store.conflict_count() == 1
    settle_cell(b, record, LAYOUT.name, s1, pa, "Draws a bar model, then counts on")
    _send(b, a, tmp_path / "b2.prbundle")
    for store in (a, b):
        grid = read_grid(store, record, LAYOUT)
        assert grid.conflicts == {}
        assert grid.text(s1, pa) == "Draws a bar model, then counts on"
    with pytest.raises(ConflictError):
        settle_cell(a, record, LAYOUT.name, s1, pa, "again")


def test_cells_are_kept_by_id_so_new_or_reordered_columns_move_nothing(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    record = store.create("school", {"name": "Grace Academy"})
    s1, pa, pb = ROWS[0].id, COLUMNS[0].id, COLUMNS[1].id
    write_cells(store, record, LAYOUT.name, {(s1, pa): "A's", (s1, pb): "B's"})
    newcomer = AxisEntry(derived_id("pupil", "new"), "Pupil D")
    shuffled = GridLayout(LAYOUT.name, ROWS, (newcomer, COLUMNS[1], COLUMNS[0]))
    grid = read_grid(store, record, shuffled)
    assert grid.table()[0] == ("", "B's", "A's")
    # A column no longer laid out keeps its cells (shown again when it comes back).
    fewer = GridLayout(LAYOUT.name, ROWS, (COLUMNS[1],))
    assert read_grid(store, record, fewer).hidden_cells == {(s1, pa): "A's"}
    # Another grid on the same record is separate.
    other = GridLayout("lesson_plan.other", ROWS, COLUMNS)
    assert read_grid(store, record, other).cells == {}


def test_block_writes_are_one_transaction_and_clear(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    record = store.create("school", {"name": "Grace Academy"})
    block = {cell: f"text {n}" for n, cell in enumerate(CELLS)}
    before = store.change_count()
    changes = write_cells(store, record, LAYOUT.name, block)
    assert len(changes) == len(CELLS) == store.change_count() - before
    assert write_cells(store, record, LAYOUT.name, block) == []  # nothing changed, nothing written
    # A bad value anywhere in the block writes nothing.
    bad = {**block, CELLS[0]: "changed", CELLS[1]: 7}
    with pytest.raises(ValidationError, match="holds text"):
        write_cells(store, record, LAYOUT.name, bad)  # type: ignore[dict-item]
    assert read_grid(store, record, LAYOUT).text(*CELLS[0]) == "text 0"
    clear_cells(store, record, LAYOUT.name, CELLS[:4])
    grid = read_grid(store, record, LAYOUT)
    assert len(grid.cells) == len(CELLS) - 4 and grid.text(*CELLS[0]) == ""
    write_cell(store, record, LAYOUT.name, *CELLS[5], "")  # empty text clears too
    assert read_grid(store, record, LAYOUT).text(*CELLS[5]) == ""
    assert store.search("text 8")  # cells are found by search


def test_names_and_refusals(tmp_path: Path) -> None:
    assert cell_field("plan.grid", "stage-1", COLUMNS[0].id) == f"plan.grid.stage-1.{COLUMNS[0].id}"
    assert cell_of("plan.grid", f"plan.grid.stage-1.{COLUMNS[0].id}") == ("stage-1", COLUMNS[0].id)
    assert cell_of("plan.grid", "plan.gridx.a.b") is None
    assert cell_of("plan.grid", "plan.grid.a") is None
    assert cell_of("plan.grid", "plan.grid.a.b.c") is None
    assert cell_values("plan.grid", {("a", "b"): ""}) == {"plan.grid.a.b": None}
    for bad in ("Stage 1", "a.b", "", "x" * 65):
        with pytest.raises(ValidationError):
            cell_field("plan.grid", bad, "b")
    with pytest.raises(ValidationError, match="two rows"):
        GridLayout("plan.grid", (ROWS[0], ROWS[0]), COLUMNS)
    with pytest.raises(ValidationError):
        GridLayout("Plan grid", ROWS, COLUMNS)
    store = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    school = store.create("school", {"name": "Grace Academy"})
    membership_kind_cannot_hold_grids = store.create(
        "membership", {"school": school, "group": store.create("group", {"name": "Trio"})}
    )
    with pytest.raises(ValidationError, match="cannot hold a grid"):
        write_cell(store, membership_kind_cannot_hold_grids, "plan.grid", "a", "b", "x")
    with pytest.raises(RecordNotFound):
        read_grid(store, derived_id("nothing"), LAYOUT)
    store.delete(school)
    with pytest.raises(ValidationError, match="deleted"):
        write_cell(store, school, LAYOUT.name, *CELLS[0], "x")
    assert read_grid(store, school, LAYOUT).deleted
