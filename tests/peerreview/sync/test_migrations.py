"""Migrations are frozen history: a database of the first release upgrades through every later one.

``tests/data/release-0.1-schema4.db`` was written by the first release (schema 4), with a little of
everything it stored; its canonical dump at the time lies beside it. These tests open a copy with
today's app and with a throwaway feature that brings a migration of its own.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from peerreview.features import default_registry
from peerreview.sync import migrations
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.check import check
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.kinds import FieldSpec, FieldType, Kind
from peerreview.sync.registry import Feature, Registry
from peerreview.sync.schema import CreateIndex, CreateKindTable, Migration, text
from peerreview.sync.store import Store

DATA = Path(__file__).resolve().parents[2] / "data"
RELEASE = DATA / "release-0.1-schema4.db"
RELEASE_DUMP = DATA / "release-0.1-schema4.dump.json"

#: A feature that did not exist in the first release, with one migration of its own.
VISIT_NOTE = Kind(
    "visit_note",
    "visit note",
    (FieldSpec("school", FieldType.REF, ref_kind="school"), FieldSpec("text", FieldType.TEXT)),
    school_field="school",
    owned_by=("school",),
    indexes=("school",),
)
NOTES = Feature(
    name="visit_notes",
    title="Visit notes",
    kinds=(VISIT_NOTE,),
    migrations=(
        Migration(
            "Visit notes: a short note about a school visit.",
            (
                CreateKindTable("visit_note", text("school", "text")),
                CreateIndex("visit_note", ("school",)),
            ),
        ),
    ),
)


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "coundon.db"
    shutil.copyfile(RELEASE, path)
    return path


def _meta(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())
    finally:
        conn.close()


def test_the_first_release_is_schema_4() -> None:
    assert _meta(RELEASE)["schema_version"] == "4"


def test_a_first_release_database_upgrades_with_a_backup_first(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    with Store.open(path) as store:
        assert migrations.schema_version(store.db) == migrations.SCHEMA_VERSION
        assert migrations.feature_versions(store.db) == {
            name: n for name, n in store.registry.feature_versions().items() if n
        }
        assert check(store) == []
        # Upgrading changed no shared data: the canonical dump is the one the release wrote.
        assert dump_bytes(store) == RELEASE_DUMP.read_bytes()
        assert store.conflict_count() == 1  # the conflict merged in before is still open
        assert store.search("confidence")  # the search index survived
    name = f"coundon-*-before-migration-4-to-{migrations.SCHEMA_VERSION}.db"
    backups = list((tmp_path / "backups").glob(name))
    assert len(backups) == 1
    assert _meta(backups[0])["schema_version"] == "4"
    assert backups[0].read_bytes()[:16] == b"SQLite format 3\x00"


def test_an_upgraded_database_keeps_working_and_merging(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    with Store.open(path) as store:
        school = store.list("school", where={"urn": 135335})[0]
        store.update(school.id, {"notes": "Upgraded and still writing."})
        export_bundle(store, tmp_path / "all.prbundle", full=True, plain=True)
        other = Store.init(
            tmp_path / "new.db", device_name="New laptop", partnership_id=store.partnership_id
        )
        enrol(store, other)  # the first release had no trust list: its founder enrols the laptop
        with other:
            report = import_bundle(other, tmp_path / "all.prbundle")
            assert report.new == store.change_count()
            assert dump_bytes(other) == dump_bytes(store)
            assert check(other) == []


def test_a_later_feature_migration_runs_on_a_first_release_database(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    registry = Registry((*default_registry().features, NOTES))
    with Store.open(path, registry=registry) as store:
        assert migrations.feature_versions(store.db)["visit_notes"] == 1
        school = store.list("school", where={"urn": 135335})[0]
        note = store.create("visit_note", {"school": school.id, "text": "Met the head."})
        assert store.get(note)["text"] == "Met the head."
        assert ("school",) in migrations.table_indexes(store.db, "visit_note")
        assert check(store) == []
    # Opening it again with the same features migrates nothing more.
    with Store.open(path, registry=registry):
        pass
    assert len(list((tmp_path / "backups").glob("coundon-*-before-migration-*.db"))) == 1
    assert _meta(path)["schema_version.visit_notes"] == "1"


def test_a_database_with_a_feature_this_app_lacks_is_refused_unchanged(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    registry = Registry((*default_registry().features, NOTES))
    Store.open(path, registry=registry).close()
    before = path.read_bytes()
    with pytest.raises(Exception, match="newer version"):
        Store.open(path)
    assert path.read_bytes() == before


def test_fresh_and_upgraded_databases_have_the_same_tables(tmp_path: Path) -> None:
    with Store.open(_copy(tmp_path)) as upgraded:
        with Store.init(tmp_path / "fresh.db", device_name="Laptop") as fresh:
            names = set(fresh.db.table_names())
            assert names == set(upgraded.db.table_names())
            for table in sorted(names):
                assert migrations.table_columns(fresh.db, table) == migrations.table_columns(
                    upgraded.db, table
                ), table


def test_every_kind_table_holds_exactly_its_declared_fields(tmp_path: Path) -> None:
    """Migrations are written out by hand; this catches a kind and its migrations drifting."""
    registry = Registry((*default_registry().features, NOTES))
    with Store.init(tmp_path / "fresh.db", device_name="Laptop", registry=registry) as store:
        for kind in registry.kinds.values():
            columns = migrations.table_columns(store.db, kind.name)
            assert set(columns) == {"id", *(f.name for f in kind.fields)}, kind.name
            for f in kind.fields:
                want = "INTEGER" if f.type in (FieldType.INTEGER, FieldType.BOOLEAN) else "TEXT"
                assert columns[f.name] == want, (kind.name, f.name)
            indexes = migrations.table_indexes(store.db, kind.name)
            for name in kind.indexes:
                assert (name,) in indexes, (kind.name, name)
