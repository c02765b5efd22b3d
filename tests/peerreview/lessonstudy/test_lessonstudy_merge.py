"""Observers on several laptops: notes merge into one timeline per cell, with no conflicts between
observers; the same prediction typed on two laptops is one visible conflict, on that cell."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from lessonstudy_fixtures import exchange, make_cycle, new_store

from peerreview.forms import forms_dir, load_forms
from peerreview.lessonstudy import cycles as cy
from peerreview.lessonstudy import grid
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.dump import dump_bytes
from peerreview.sync.grids import cell_field
from peerreview.sync.store import Store

OBSERVERS = ("Asha", "Ben", "Ruth")


def _grid(store: Store, lesson: str) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """What each cell shows: (time, observer, note) in order, whatever laptop it came from."""
    return {
        cell: [(n["time"], n["observer_name"], n["note"]) for n in notes]
        for cell, notes in cy.timeline(store, lesson).items()
    }


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_three_observers_merge_in_any_order_into_one_grid(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    library = load_forms(forms_dir())
    lead = new_store(tmp_path, "Lead")
    cycle = make_cycle(lead, library)
    cy.set_prediction(lead, cycle.lesson, cycle.stages[0], cycle.pupils[0], "Will say 6.")
    laptops = [new_store(tmp_path, name, partnership=lead.partnership_id) for name in OBSERVERS]
    for n, laptop in enumerate(laptops):
        exchange(lead, laptop, tmp_path, f"plan-{n}")
    # Each observer, on their own laptop, writes notes: some in the same cells as the others.
    start = dt.datetime(2026, 3, 10, 9, 10)
    for n, laptop in enumerate(laptops):
        member = cycle.members[n]
        for k, (stage, pupil) in enumerate([(0, 0), (0, 1), (1, n % 3), (2, 2), (3, (n + 1) % 3)]):
            cy.add_note(
                laptop,
                cycle.lesson,
                cycle.stages[stage],
                cycle.pupils[pupil],
                f"{OBSERVERS[n]} saw {k}",
                observer=member,
                at=start + dt.timedelta(minutes=5 * k + n),
            )
    bundles = []
    for n, laptop in enumerate(laptops):
        path = tmp_path / f"observer-{n}.prbundle"
        export_bundle(laptop, path)
        bundles.append(path)
    # The lead laptop gets the three bundles in this order; each observer the others' two.
    for i in order:
        report = import_bundle(lead, bundles[i])
        assert report.conflicts == 0
    for n, laptop in enumerate(laptops):
        for i in order:
            if i != n:
                import_bundle(laptop, bundles[i])
    expected = _grid(lead, cycle.lesson)
    first_cell = expected[(cycle.stages[0], cycle.pupils[0])]
    assert [who for _, who, _ in first_cell] == ["Asha Patel", "Ben Jones", "Dr Ruth Ahmed"]
    assert sum(len(notes) for notes in expected.values()) == 15
    for laptop in laptops:
        assert _grid(laptop, cycle.lesson) == expected
        assert laptop.conflict_count() == 0
        assert dump_bytes(laptop) == dump_bytes(lead)
        # The prediction sits beside the notes, on every laptop.
        lesson = laptop.get(cycle.lesson)
        assert grid.texts(laptop, lesson, grid.PREDICTIONS)[(cycle.stages[0], cycle.pupils[0])]
        laptop.close()
    lead.close()


def test_the_same_prediction_typed_on_two_laptops_is_one_conflict_on_that_cell(
    tmp_path: Path,
) -> None:
    library = load_forms(forms_dir())
    asha = new_store(tmp_path, "Asha")
    cycle = make_cycle(asha, library)
    ben = new_store(tmp_path, "Ben", partnership=asha.partnership_id)
    exchange(asha, ben, tmp_path, "plan")
    stage, pupil = cycle.stages[1], cycle.pupils[2]
    # Different cells on the two laptops, and one cell on both.
    cy.set_prediction(asha, cycle.lesson, cycle.stages[0], cycle.pupils[0], "Asha's A")
    cy.set_prediction(ben, cycle.lesson, cycle.stages[0], cycle.pupils[1], "Ben's B")
    cy.set_prediction(asha, cycle.lesson, stage, pupil, "Will wait for the TA.")
    cy.set_prediction(ben, cycle.lesson, stage, pupil, "Will start on his own.")
    exchange(asha, ben, tmp_path, "a-to-b")
    exchange(ben, asha, tmp_path, "b-to-a")
    field = cell_field(
        grid.lesson_name(asha, asha.get(cycle.lesson), grid.PREDICTIONS), stage, pupil
    )
    for store in (asha, ben):
        conflicts = store.conflicts()
        assert [(c.record_id, c.field) for c in conflicts] == [(cycle.lesson, field)]
        assert sorted(v.value for v in conflicts[0].values) == [
            "Will start on his own.",
            "Will wait for the TA.",
        ]
        lesson = store.get(cycle.lesson)
        assert grid.conflicted(store, lesson, grid.PREDICTIONS) == {(stage, pupil)}
        cells = grid.texts(store, lesson, grid.PREDICTIONS)
        assert cells[(cycle.stages[0], cycle.pupils[0])] == "Asha's A"
        assert cells[(cycle.stages[0], cycle.pupils[1])] == "Ben's B"
    # Every laptop shows the same provisional value; settling it on one settles it everywhere.
    shown = {
        grid.texts(s, s.get(cycle.lesson), grid.PREDICTIONS)[(stage, pupil)] for s in (asha, ben)
    }
    assert len(shown) == 1
    asha.resolve(cycle.lesson, field, "Will wait, then start.")
    exchange(asha, ben, tmp_path, "settled")
    assert ben.conflict_count() == 0
    settled = grid.texts(ben, ben.get(cycle.lesson), grid.PREDICTIONS)[(stage, pupil)]
    assert settled == "Will wait, then start."
    asha.close()
    ben.close()


def test_cells_named_after_the_longest_form_id_travel(tmp_path: Path) -> None:
    """A cell's field is named by its form, grid, stage and pupil: over 100 characters."""
    library = load_forms(forms_dir())
    asha = new_store(tmp_path, "Asha")
    cycle = make_cycle(asha, library, "lesson-study-research-plan")
    cy.set_prediction(asha, cycle.lesson, cycle.stages[0], cycle.pupils[0], "Will say 6.")
    field = cell_field(
        grid.lesson_name(asha, asha.get(cycle.lesson), grid.PREDICTIONS),
        cycle.stages[0],
        cycle.pupils[0],
    )
    assert len(field) > 100
    ben = new_store(tmp_path, "Ben", partnership=asha.partnership_id)
    exchange(asha, ben, tmp_path, "plan")
    assert ben.get(cycle.lesson)[field] == "Will say 6."
    asha.close()
    ben.close()
