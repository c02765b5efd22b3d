"""The store's light reads for figures: some fields as tuples, counts by a field, any-of filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerreview.errors import ValidationError
from peerreview.sync.store import Store


def test_rows_and_count_by(tmp_path: Path) -> None:
    with Store.init(tmp_path / "a.db", device_name="Laptop", partnership_name="P") as store:
        a = store.create("school", {"name": "Allesley", "urn": 1, "closed": True})
        b = store.create("school", {"name": "Binley", "urn": 2})
        c = store.create("school", {"name": "Coundon", "urn": 3, "phase": "Secondary"})
        store.delete(b)
        assert sorted(store.rows("school", ["name", "closed"])) == [
            ("Allesley", True),
            ("Coundon", None),
        ]
        assert store.rows("school", ["id"], where={"phase": ("Secondary", None)}) in (
            [(a,), (c,)],
            [(c,), (a,)],
        )
        assert store.rows("school", ["name"], where={"phase": ("Primary",)}) == []
        assert store.rows("school", ["name"], where={"phase": ()}) == []
        assert store.rows("school", ["name"], where={"id": (c,)}) == [("Coundon",)]
        assert store.rows("school", ["name"], ranges={"urn": (2, None)}) == [("Coundon",)]
        assert store.count_by("school", "phase") == {None: 1, "Secondary": 1}
        with pytest.raises(ValidationError, match="no field called 'nope'"):
            store.rows("school", ["nope"])
        with pytest.raises(ValidationError, match="no field called 'deleted'"):
            store.rows("school", ["deleted"])


def test_ids_and_counting_up_to_a_bound(tmp_path: Path) -> None:
    """``ids`` lists a kind's records (not deleted, filtered as ``list``) for reading them a few
    at a time; ``count(at_most=)`` stops counting at the bound."""
    with Store.init(tmp_path / "a.db", device_name="Laptop", partnership_name="P") as store:
        made = [store.create("school", {"name": f"School {n}", "urn": n}) for n in range(5)]
        store.delete(made[1])
        assert store.ids("school") == sorted(set(made) - {made[1]})
        assert store.ids("school", where={"urn": 3}) == [made[3]]
        assert store.ids("school", where={"urn": 1}) == []
        assert set(store.get_many(store.ids("school"))) == set(made) - {made[1]}
        with pytest.raises(ValidationError, match="no field called 'nope'"):
            store.ids("school", where={"nope": 1})
        assert store.count("school") == 4
        assert store.count("school", at_most=2) == 2
        assert store.count("school", at_most=10) == 4
        assert store.count("school", include_deleted=True, at_most=10) == 5
        assert store.count("school", at_most=0) == 0
