"""Erase for good from the GUI: one warning, then the values are gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peerreview.sync.store import Store


def test_erase_a_person_for_good(db_path: Path, open_window: Any, dialogs: Any, qtbot: Any) -> None:
    store = Store.open(db_path)
    school = store.list("school")[0].id
    person = store.create("person", {"name": "Xanthippe Quorn", "school": school})
    store.close()
    window = open_window(db_path)
    assert window.select_record(person)
    with qtbot.waitSignal(window.jobs.ended, timeout=20_000):  # long work: compacting the file
        assert window.purge_selected()
    assert any("cannot be undone" in t for t in dialogs.texts("question"))
    rec = window.session.store.get(person)
    assert rec.deleted and "name" not in rec.values
    assert not window.session.store.search("Xanthippe")
