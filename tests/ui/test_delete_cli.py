"""``peerreview delete`` and ``restore`` do to the data what the app's Delete and Undo do."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest

from peerreview.cli import main
from peerreview.demo import build_demo
from peerreview.sync.store import Store


def _deleted(path: Path) -> dict[str, bool]:
    """Every record's deleted flag (the shared state), by id."""
    with Store.open(path) as store:
        from peerreview.sync.dump import dump_bytes

        records = orjson.loads(dump_bytes(store))["records"]
    return {rid: bool(r["deleted"]) for rid, r in records.items()}


@pytest.fixture
def demo_pair(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """Two copies of the small demo, a school with people, reviews and memberships, and one of its
    people deleted on their own before the school is."""
    one = tmp_path / "app.db"
    store = Store.init(one, device_name="Laptop", author="Amira Patel")
    build_demo(store, "small")
    school = next(s for s in store.list("school") if store.list("review", where={"school": s.id}))
    gone = store.list("person", where={"school": school.id})[-1]
    store.delete(gone.id)
    store.close()
    two = tmp_path / "cli.db"
    shutil.copyfile(one, two)
    return one, two, school.id, gone.id


def test_cli_delete_and_restore_match_the_apps(
    open_window: Any, demo_pair: tuple[Path, Path, str, str], dialogs: Any, capsys: Any
) -> None:
    app_db, cli_db, school, gone = demo_pair
    before = _deleted(app_db)
    assert before == _deleted(cli_db)

    window = open_window(app_db)
    window.select_record(school)
    window.tree.setFocus()
    window.actions["delete"].trigger()
    assert main(["delete", "--db", str(cli_db), "--record", school]) == 0
    assert "Deleted the school" in capsys.readouterr().out
    after_app = {rid: d for rid, d in _deleted_live(window).items()}
    after_cli = _deleted(cli_db)
    assert after_app == after_cli
    went = {rid for rid, d in after_cli.items() if d and not before[rid]}
    assert school in went and len(went) > 10  # people, memberships, reviews and their records

    window.actions["undo"].trigger()
    assert main(["restore", "--db", str(cli_db), "--record", school]) == 0
    assert "Restored the school" in capsys.readouterr().out
    assert _deleted_live(window) == _deleted(cli_db) == before
    assert _deleted(cli_db)[gone]  # deleted on their own beforehand: still deleted


def _deleted_live(window: Any) -> dict[str, bool]:
    from peerreview.sync.dump import dump_bytes

    records = orjson.loads(dump_bytes(window.session.store))["records"]
    return {rid: bool(r["deleted"]) for rid, r in records.items()}


def test_cli_delete_of_a_missing_record_says_so(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "p.db"
    Store.init(path, device_name="Laptop", partnership_name="P").close()
    code = main(["delete", "--db", str(path), "--record", "0190b7a6-0000-7000-8000-000000000000"])
    assert code == 1
    assert capsys.readouterr().err.startswith("peerreview: There is no record")
