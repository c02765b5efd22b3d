"""Store: records, validation, the clock, migrations, and opening files that are not databases."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import pytest

from peerreview.errors import (
    ConflictError,
    NewerDatabaseError,
    RecordNotFound,
    StoreError,
    ValidationError,
)
from peerreview.partnership.schools import school_by_urn
from peerreview.sync import migrations
from peerreview.sync.changes import Change, canonical
from peerreview.sync.check import check
from peerreview.sync.ids import is_uuid
from peerreview.sync.kinds import MAX_TEXT_CHARS
from peerreview.sync.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.init(
        tmp_path / "a.db",
        device_name="Mrs Patel's laptop",
        author="Mrs Patel",
        partnership_name="Coventry",
    )
    yield s
    s.close()


def _id_of(c: Change) -> str:
    header = {
        "author": c.author,
        "device": c.device,
        "field": c.field,
        "hlc": c.hlc,
        "kind": c.kind,
        "parents": list(c.parents),
        "record": c.record,
        "value_sha256": hashlib.sha256(canonical(c.value)).hexdigest(),
    }
    if c.seen:
        header["seen"] = list(c.seen)
    return hashlib.sha256(canonical(header)).hexdigest()


# ------------------------------------------------------------------------------------ records


def test_init_makes_a_device_and_partnership(store: Store) -> None:
    assert is_uuid(store.device.id)
    assert store.device.name == "Mrs Patel's laptop" and store.device.author == "Mrs Patel"
    assert is_uuid(store.partnership_id)
    assert store.get(store.partnership_id)["name"] == "Coventry"
    assert store.get(store.partnership_id).kind == "partnership"
    assert check(store) == []


def test_create_get_update_delete_restore(store: Store) -> None:
    school = store.create(
        "school", {"name": "Grace Academy", "urn": 135335, "closed": False, "notes": ""}
    )
    assert is_uuid(school)
    rec = store.get(school)
    assert rec.kind == "school" and rec.id == school
    assert rec.values == {
        "name": "Grace Academy",
        "urn": 135335,
        "closed": False,
    }  # "" is not written
    assert not rec.deleted and rec.conflicts == frozenset()
    assert rec.title == "Grace Academy"

    person = store.create(
        "person", {"name": "Amira Patel", "role": "Headteacher", "school": school}
    )
    assert store.get(person)["school"] == school

    changes = store.update(school, {"phase": "Secondary", "name": "Grace Academy"})
    assert [c.field for c in changes] == ["phase"]  # unchanged values are not written
    assert store.update(school, {"name": "Grace Academy"}) == []
    store.set(school, "closed", True)
    store.set(school, "pupils", 1080)
    rec = store.get(school)
    assert rec["phase"] == "Secondary" and rec["closed"] is True and rec["pupils"] == 1080

    store.set(school, "phase", "")  # clearing a field
    assert store.get(school)["phase"] is None and "phase" not in store.get(school).values

    assert [s.id for s in store.list("school")] == [school]
    assert school_by_urn(store, 135335).id == school
    store.delete(school)
    assert store.get(school).deleted
    assert store.get(school)["name"] == "Grace Academy"  # values are kept under the tombstone
    assert store.list("school") == []
    assert [s.id for s in store.list("school", include_deleted=True)] == [school]
    assert store.count("school") == 0 and store.count("school", include_deleted=True) == 1
    with pytest.raises(ValidationError, match="deleted"):
        store.set(school, "name", "Renamed")

    store.restore(school)
    rec = store.get(school)
    assert not rec.deleted and rec["name"] == "Grace Academy" and rec["pupils"] == 1080
    assert store.conflicts() == []
    assert check(store) == []


def test_history_and_parents(store: Store) -> None:
    school = store.create("school", {"name": "A", "urn": 1})
    first = store.history(school, "name")[0]
    (second,) = store.set(school, "name", "B")
    (third,) = store.set(school, "name", "C")
    assert first.parents == ()
    assert second.parents == (first.id,)
    assert third.parents == (second.id,)
    assert [c.id for c in store.history(school, "name")] == [first.id, second.id, third.id]
    assert {c.field for c in store.history(school)} == {"name", "urn"}
    # A change's id is the SHA-256 of its canonical header (with the value's hash).
    for c in store.history(school):
        assert c.id == _id_of(c)
    # A delete lists, as seen, the heads of the record's other fields.
    (tomb,) = store.delete(school)
    urn_head = store.history(school, "urn")[-1].id
    assert set(tomb.seen) == {third.id, urn_head}
    assert tomb.value is True


def test_list_filters_and_orders(store: Store) -> None:
    for name, phase in (
        ("b school", "Primary"),
        ("A school", "Secondary"),
        ("C school", "Primary"),
    ):
        store.create("school", {"name": name, "phase": phase})
    assert [s["name"] for s in store.list("school")] == ["A school", "b school", "C school"]
    assert [s["name"] for s in store.list("school", where={"phase": "Primary"})] == [
        "b school",
        "C school",
    ]
    with pytest.raises(ValidationError, match="no field"):
        store.list("school", where={"colour": "red"})


def test_dynamic_form_fields(store: Store) -> None:
    person = store.create("person", {"name": "Ben Smith", "review.q1": "Strong questioning"})
    assert store.get(person)["review.q1"] == "Strong questioning"
    store.set(person, "review.q1", "Very strong questioning")
    assert store.get(person)["review.q1"] == "Very strong questioning"
    with pytest.raises(ValidationError):
        store.create("membership", {"role": "x", "review.q1": "no forms on memberships"})
    assert check(store) == []


def test_unknown_records(store: Store) -> None:
    missing = "01890000-0000-7000-8000-000000000000"
    for call in (store.get, store.delete, store.restore):
        with pytest.raises(RecordNotFound):
            call(missing)
    with pytest.raises(RecordNotFound):
        store.set(missing, "name", "x")
    with pytest.raises(RecordNotFound):
        store.add_attachment(missing, b"x", filename="x.txt", media_type="text/plain")
    assert not store.exists(missing)


def test_attachments_are_stored_by_hash(store: Store) -> None:
    school = store.create("school", {"name": "Grace Academy"})
    data = b"a photo of an observation sheet"
    att = store.add_attachment(school, data, filename="sheet.jpg", media_type="image/jpeg")
    again = store.add_attachment(school, data, filename="copy.jpg", media_type="image/jpeg")
    sha = hashlib.sha256(data).hexdigest()
    assert store.get(att)["sha256"] == store.get(again)["sha256"] == sha
    assert store.blob(sha) == data
    assert store.db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    assert check(store) == []


# ------------------------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("kind", "values", "words"),
    [
        ("school", {"name": "X", "urn": "135335"}, "whole number"),
        ("school", {"name": "X", "urn": 1.5}, "whole number"),
        ("school", {"name": "X", "urn": True}, "whole number"),
        ("school", {"name": "X", "closed": "yes"}, "yes or no"),
        ("school", {"name": "X", "closed": 1}, "yes or no"),
        ("school", {"name": 42}, "text"),
        ("school", {"name": "X", "open_date": "1/9/2024"}, "date"),
        ("school", {"name": "X", "headteacher": "Mrs Patel"}, "record id"),
        ("school", {"name": "X", "colour": "red"}, "no field"),
        ("person", {"name": "X", "Review": "bad dynamic name"}, "no field"),
        ("spaceship", {"name": "X"}, "no kind"),
        ("school", {}, "at least one value"),
        ("school", {"name": ""}, "at least one value"),
    ],
)
def test_validation_errors_write_nothing(store: Store, kind: str, values: dict, words: str) -> None:
    before = store.change_count()
    with pytest.raises(ValidationError, match=words):
        store.create(kind, values)
    assert store.change_count() == before
    assert store.list("school") == []


def test_validation_on_update(store: Store) -> None:
    school = store.create("school", {"name": "Grace Academy", "urn": 135335})
    before = store.change_count()
    with pytest.raises(ValidationError):
        store.update(school, {"phase": "Secondary", "urn": "not a number"})
    assert store.change_count() == before
    assert store.get(school)["phase"] is None  # the whole update was refused
    with pytest.raises(ValidationError):
        store.set(school, "nonsense", 1)


def test_text_length_limit(store: Store) -> None:
    school = store.create("school", {"name": "Grace Academy"})
    store.set(school, "notes", "é" * MAX_TEXT_CHARS)
    assert len(store.get(school)["notes"]) == MAX_TEXT_CHARS
    with pytest.raises(ValidationError, match="longer than") as caught:
        store.set(school, "notes", "x" * (MAX_TEXT_CHARS + 1))
    assert "\n" not in str(caught.value)
    with pytest.raises(ValidationError, match="longer than"):
        store.create("school", {"name": "🏫" * (MAX_TEXT_CHARS + 1)})
    assert len(store.get(school)["notes"]) == MAX_TEXT_CHARS


def test_record_ids_are_checked(store: Store) -> None:
    with pytest.raises(ValidationError):
        store.create("school", {"name": "X"}, record_id="42")
    rid = store.create("school", {"name": "X"})
    with pytest.raises(ValidationError, match="already exists"):
        store.create("school", {"name": "Y"}, record_id=rid)
    with pytest.raises(ValidationError, match="already exists"):
        store.create("person", {"name": "Y"}, record_id=rid)


def test_transaction_rolls_back_everything(store: Store) -> None:
    before = store.change_count()
    with pytest.raises(RuntimeError), store.transaction():
        store.create("school", {"name": "Lost"})
        store.create("school", {"name": "Also lost"})
        raise RuntimeError("power cut")
    assert store.change_count() == before
    assert store.list("school") == []
    store.create("school", {"name": "Kept"})
    assert check(store) == []


def test_conflict_api_on_a_quiet_database(store: Store) -> None:
    school = store.create("school", {"name": "Grace Academy"})
    assert store.conflicts() == [] and store.conflict_count() == 0
    with pytest.raises(ConflictError):
        store.resolve(school, "name", "x")


def test_partnership_is_bound_once(store: Store) -> None:
    store.set_partnership_id(store.partnership_id)  # the same one is fine
    with pytest.raises(StoreError, match="another partnership"):
        store.set_partnership_id("01890000-0000-7000-8000-000000000000")


def test_init_refuses_an_existing_file_and_a_blank_name(tmp_path: Path, store: Store) -> None:
    with pytest.raises(StoreError, match="already exists"):
        Store.init(store.path, device_name="Another")
    with pytest.raises(ValidationError, match="name"):
        Store.init(tmp_path / "blank.db", device_name="   ")


def test_check_notices_tampering(store: Store) -> None:
    school = store.create("school", {"name": "Grace Academy", "urn": 135335})
    assert check(store) == []
    store.db.execute("UPDATE school SET name = 'Edited behind the log' WHERE id = ?", [school])
    assert any("stale name" in p for p in check(store))
    store.db.execute("UPDATE school SET name = 'Grace Academy' WHERE id = ?", [school])
    assert check(store) == []
    store.db.execute(
        "UPDATE changes SET value = '\"Forged\"' WHERE record = ? AND field = 'name'", [school]
    )
    assert any("do not match their ids" in p for p in check(store))


def test_check_counts_what_disagrees_with_the_log_in_each_table(store: Store) -> None:
    """Each derived table altered behind the log is one sentence, with how many rows disagree."""
    school = store.create("school", {"name": "Grace Academy", "urn": 135335})
    store.update(school, {"name": "Grace Academy Trust"})
    assert check(store) == []
    db = store.db
    cases = [
        ("DELETE FROM heads WHERE record = ? AND field = 'name'", "1 field heads disagree"),
        ("INSERT INTO conflicts (record, field) VALUES (?, 'urn')", "1 conflict flags disagree"),
        ("UPDATE records SET kind = 'person' WHERE id = ?", "1 records in the log are missing"),
        ("UPDATE school SET urn = 1 WHERE id = ?", "1 school records show a stale urn"),
    ]
    for sql, problem in cases:
        db.execute("SAVEPOINT altered")
        db.execute(sql, [school])
        found = check(store)
        db.execute("ROLLBACK TO altered")
        db.execute("RELEASE altered")
        assert any(p.startswith(problem) for p in found), (problem, found)
    assert check(store) == []


# ------------------------------------------------------------------------------------ the clock


def test_clock_is_monotonic_and_persisted(tmp_path: Path) -> None:
    path = tmp_path / "clock.db"
    store = Store.init(path, device_name="Laptop", partnership_name="P")
    school = store.create("school", {"name": "S0"})
    stamps = [c.hlc for c in store.history(school)]
    for i in range(20):
        stamps += [c.hlc for c in store.set(school, "name", f"S{i + 1}")]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)

    # The laptop's clock jumps back an hour: stamps still move forwards.
    real = store.clock._now_ms
    store.clock._now_ms = lambda: real() - 3_600_000
    (c,) = store.set(school, "name", "after the jump")
    assert c.hlc > stamps[-1]
    last = c.hlc
    store.close()

    store = Store.open(path)
    assert store.clock.last >= last
    store.clock._now_ms = lambda: 0  # a laptop whose clock says 1970
    (c,) = store.set(school, "name", "after reopening")
    assert c.hlc > last
    store.close()


def test_clock_moves_past_imported_stamps(tmp_path: Path) -> None:
    from peerreview.sync.bundle import export_bundle, import_bundle

    a = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    # A's clock is twelve hours ahead (a day or more ahead is refused on import: issue 13)
    a.clock._now_ms = lambda: time.time_ns() // 10**6 + 12 * 3600 * 1000
    school = a.create("school", {"name": "Future School"})
    future = max(c.hlc for c in a.history(school))
    export_bundle(a, tmp_path / "a.prbundle", full=True, plain=True)
    b = Store.init(tmp_path / "b.db", device_name="B", partnership_id=a.partnership_id)
    import_bundle(b, tmp_path / "a.prbundle")
    (c,) = b.set(school, "name", "Edited on B")
    assert c.hlc > future  # causality survives a wrong clock
    b.close()
    b = Store.open(tmp_path / "b.db")
    (c2,) = b.set(school, "name", "Edited on B again")
    assert c2.hlc > c.hlc


# ------------------------------------------------------------------------------------ opening files


def test_opening_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="There is no database"):
        Store.open(tmp_path / "nowhere.db")
    assert not (tmp_path / "nowhere.db").exists()


def test_opening_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Not a database, just my notes.\n" * 100)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert "notes.db is not a PeerReview database" in message
    assert message.endswith(".") and "\n" not in message


def test_opening_another_apps_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a PeerReview database"):
        Store.open(path)


@pytest.mark.parametrize("content", ["sqlite", "empty"])
def test_refusing_a_file_leaves_it_untouched(tmp_path: Path, content: str) -> None:
    path = tmp_path / "other.sqlite"
    if content == "sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(b"")
    before = path.read_bytes()
    with pytest.raises(StoreError):
        Store.open(path)
    assert path.read_bytes() == before


def test_newer_database_is_refused_unchanged(store: Store) -> None:
    path = store.path
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version"):
        Store.open(path)
    assert path.read_bytes() == before


# ------------------------------------------------------------------------------------ migrations


def _add_v2(monkeypatch: pytest.MonkeyPatch, step: migrations.Migration) -> None:
    steps = (*migrations.MIGRATIONS, step)
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", len(steps))


def test_migration_takes_a_backup_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    old = Store.init(path, device_name="Laptop", partnership_name="P")
    school = old.create("school", {"name": "Grace Academy"})
    old.close()
    v1 = migrations.SCHEMA_VERSION

    def m002(db: object) -> None:
        db.execute("CREATE TABLE new_things (id TEXT PRIMARY KEY)")  # type: ignore[attr-defined]

    _add_v2(monkeypatch, m002)
    with Store.open(path) as store:
        assert migrations.schema_version(store.db) == v1 + 1
        assert "new_things" in store.db.table_names()
        assert store.get(school)["name"] == "Grace Academy"
    backups = list((tmp_path / "backups").glob(f"old-*-before-migration-{v1}-to-{v1 + 1}.db"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(
        v1
    )
    assert conn.execute("SELECT name FROM school").fetchone()[0] == "Grace Academy"
    conn.close()


def test_failed_migration_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    Store.init(path, device_name="Laptop", partnership_name="P").close()
    v1 = migrations.SCHEMA_VERSION

    def broken(db: object) -> None:
        db.execute("CREATE TABLE half_done (id TEXT)")  # type: ignore[attr-defined]
        raise RuntimeError("migration bug")

    _add_v2(monkeypatch, broken)
    with pytest.raises(RuntimeError):
        Store.open(path)
    monkeypatch.undo()
    with Store.open(path) as store:
        assert migrations.schema_version(store.db) == v1
        assert "half_done" not in store.db.table_names()
        assert check(store) == []
    assert list((tmp_path / "backups").glob("old-*-before-migration-*.db"))


def test_unexported_count_follows_writes_and_exports(tmp_path: Path) -> None:
    from peerreview.sync.bundle import export_bundle

    s = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    assert s.unexported_count() == 1  # the partnership's name
    school = s.create("school", {"name": "X", "urn": 5})
    assert s.unexported_count() == 3
    export_bundle(s, tmp_path / "all.prbundle", full=True, plain=True)
    assert s.unexported_count() == 0
    s.set(school, "name", "Y")
    s.close()
    s = Store.open(tmp_path / "a.db")
    assert s.unexported_count() == 1
    export_bundle(
        s, tmp_path / "one.prbundle", school_urns=[5], full=True, plain=True
    )  # a partial export
    assert s.unexported_count() == 1
    s.close()


# --- what may enter the log, and how the file is kept -------------------------------------------


def test_the_file_is_durable_wal_with_foreign_keys(store: Store) -> None:
    ex = store.db.execute
    assert ex("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ex("PRAGMA foreign_keys").fetchone()[0] == 1
    assert ex("PRAGMA synchronous").fetchone()[0] == 2  # FULL: a commit survives a power cut


def test_ids_are_uuid_version_7(store: Store) -> None:
    import uuid

    person = store.create("person", {"name": "A. Reader"})
    for rid in (person, store.device.id, store.partnership_id):
        assert uuid.UUID(rid).version == 7, rid


def test_records_keep_the_form_they_were_made_with(store: Store) -> None:
    person = store.create("person", {"name": "A. Reader"}, form=("person", 3))
    values = store.get(person).values
    assert (values["form_id"], values["form_version"]) == ("person", 3)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("areas_excluded", ["x" * 100] * 15_000),  # a list field over 1 MB once encoded
        ("focus", "\x01" * 200_000),  # within the character limit, but each escapes to six bytes
    ],
    ids=["big-list", "control-characters"],
)
def test_a_value_too_large_to_travel_is_refused_where_it_is_typed(
    store: Store, field: str, value: object
) -> None:
    school = store.create("school", {"name": "Grace Academy"})
    review = store.create("review", {"school": school, "title": "Autumn review"})
    before = store.change_count()
    with pytest.raises(ValidationError, match="too large to save"):
        store.update(review, {field: value})
    assert store.change_count() == before
    assert store.get(review).values.get(field) is None
    assert check(store) == []


def test_values_that_cannot_be_encoded_are_refused_plainly(store: Store) -> None:
    with pytest.raises(ValidationError, match="cannot be saved"):
        store.create("school", {"name": "Grace \ud800 Academy"})
    with pytest.raises(ValidationError, match="whole number"):
        store.create("school", {"name": "Grace Academy", "urn": 2**70})
    assert store.count("school") == 0


@pytest.mark.parametrize("date", ["2024-13-45", "2026-02-30", "2026-00-10"])
def test_impossible_dates_are_refused(store: Store, date: str) -> None:
    with pytest.raises(ValidationError, match="date"):
        store.create("school", {"name": "Grace Academy", "open_date": date})


def test_a_date_range_cannot_end_before_it_starts(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "p.db", device_name="Test laptop", partnership_name="P")
    school = store.create("school", {"name": "Coundon Court"})
    group = store.create("group", {"name": "North trio"})
    with pytest.raises(ValidationError, match="end date of this membership is before its start"):
        store.create(
            "membership",
            {"group": group, "school": school, "start": "2026-09-01", "end": "2026-07-01"},
        )
    m = store.create("membership", {"group": group, "school": school, "start": "2026-09-01"})
    with pytest.raises(ValidationError, match="Check the dates"):
        store.update(m, {"end": "2025-12-31"})
    with pytest.raises(ValidationError, match="Check the dates"):
        store.update(m, {"start": "2027-01-01", "end": "2026-12-31"})
    store.update(m, {"end": "2026-09-01"})  # leaving the day it joined is allowed
    store.update(m, {"start": "", "end": "2020-01-01"})  # no start: nothing to compare
    review = store.create(
        "review", {"school": school, "start_date": "2026-03-02", "end_date": "2026-03-03"}
    )
    with pytest.raises(ValidationError, match="last day of this peer review is before its first"):
        store.update(review, {"end_date": "2026-03-01"})
    store.update(review, {"title": "Unrelated edits are not checked"})
    assert store.get(m).values == {"group": group, "school": school, "end": "2020-01-01"}
    store.close()
