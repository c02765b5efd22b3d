"""Schools from GIAS into the store: added once, updated by URN, closed schools kept and marked."""

from __future__ import annotations

from pathlib import Path

from peerreview.partnership.schools import import_schools
from peerreview.sync.check import check
from peerreview.sync.store import Store
from tests.peerreview.partnership.test_gias import SAMPLE, sample_table, set_value, to_bytes, write


def test_a_second_download_updates_by_urn_and_keeps_closed_schools(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "a.db", device_name="Coordinator", partnership_name="Coventry")
    first = import_schools(store, SAMPLE)
    assert (first.added, first.updated) == (6, 0)
    ids = {s.values["urn"]: s.id for s in store.list("school")}

    # A year later: one school has closed, another has a new name and postcode.
    header, rows = sample_table()
    closed_urn, renamed_urn = int(rows[0][header.index("URN")]), int(rows[1][header.index("URN")])
    set_value(header, rows[0], "EstablishmentStatus (name)", "Closed")
    set_value(header, rows[0], "CloseDate", "31-08-2026")
    set_value(header, rows[1], "EstablishmentName", "Coundon Court Academy")
    set_value(header, rows[1], "Postcode", "CV6 2AJ")
    second = import_schools(store, write(tmp_path, to_bytes(header, rows)))

    assert (second.added, second.updated, second.unchanged, second.closed) == (0, 2, 4, 1)
    assert store.count("school") == 6  # never duplicated
    assert {s.values["urn"]: s.id for s in store.list("school")} == ids
    gone = store.get(ids[closed_urn]).values
    assert gone["closed"] is True and gone["status"] == "Closed"
    assert gone["close_date"] == "2026-08-31"
    renamed = store.get(ids[renamed_urn]).values
    assert (renamed["name"], renamed["postcode"]) == ("Coundon Court Academy", "CV6 2AJ")
    assert check(store) == []
    assert import_schools(store, write(tmp_path, to_bytes(header, rows))).unchanged == 6


def test_values_the_register_has_emptied_are_cleared(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "a.db", device_name="Coordinator", partnership_name="Coventry")
    header, rows = sample_table()
    set_value(header, rows[0], "Trusts (name)", "The Coventry Learning Trust")
    set_value(header, rows[0], "TelephoneNum", "02476 123456")
    import_schools(store, write(tmp_path, to_bytes(header, rows)))
    urn = int(rows[0][header.index("URN")])
    school = next(s for s in store.list("school") if s.values["urn"] == urn)
    assert school.values["trust"] == "The Coventry Learning Trust"

    # The school leaves its trust and withdraws its number: the next download has both empty.
    set_value(header, rows[0], "Trusts (name)", "")
    set_value(header, rows[0], "TelephoneNum", "")
    again = import_schools(store, write(tmp_path, to_bytes(header, rows)))

    assert (again.updated, again.unchanged) == (1, 5)
    values = store.get(school.id).values
    assert values.get("trust") in (None, "") and values.get("telephone") in (None, "")
    assert values["name"] == school.values["name"]  # what the register still holds is kept
    assert check(store) == []
    assert import_schools(store, write(tmp_path, to_bytes(header, rows))).unchanged == 6
