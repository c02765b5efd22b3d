"""Finding records by name: any word's start, case and accents ignored, kept in step with every
write (this connection's, another's, a delete, a restore, an import, a purge)."""

from __future__ import annotations

from pathlib import Path

from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.enrolment import enrol
from peerreview.sync.search import Searcher
from peerreview.sync.store import Store

KINDS = ("school", "person")


def _ids(store: Store, *words: str, kind: str = "school") -> set[str]:
    return {i for i, _name in store.find_by_name(KINDS, words, limit=50).get(kind, [])}


def test_names_are_found_by_any_words_start(tmp_path: Path) -> None:
    with Store.init(tmp_path / "a.db", device_name="A", partnership_name="P") as store:
        kineton = store.create("school", {"name": "Kineton Academy"})
        ecole = store.create("school", {"name": "École Saint-Étienne"})
        nameless = store.create("school", {"name": "", "urn": 100})
        person = store.create("person", {"name": "Amira Patel", "school": kineton})
        assert _ids(store, "kin") == {kineton}
        assert _ids(store, "ac", "ki") == {kineton}  # every word, in any order
        assert _ids(store, "ton") == set()  # a word's start, not its middle
        assert _ids(store, "ecole") == _ids(store, "ÉCOLE") == _ids(store, "etie") == {ecole}
        strasse = store.create("school", {"name": "Schule an der Straße"})
        assert _ids(store, "strasse") == _ids(store, "STRAßE") == _ids(store, "straß") == {strasse}
        assert _ids(store, "pat", kind="person") == {person}
        assert _ids(store, "pat") == set()  # only the kind asked about
        assert nameless not in _ids(store, "a")
        assert store.find_by_name(KINDS, ["kin"], limit=50) == {
            "school": [(kineton, "Kineton Academy")],
            "person": [],
        }
        assert store.find_by_name(KINDS, ['"k"', "AND"], limit=50)["school"] == []  # no syntax


def test_names_follow_every_write(tmp_path: Path) -> None:
    with Store.init(tmp_path / "a.db", device_name="A", partnership_name="P") as store:
        school = store.create("school", {"name": "Kineton Academy"})
        assert _ids(store, "kin") == {school}
        store.update(school, {"name": "Kineton Green School"})
        assert _ids(store, "gre") == {school} and _ids(store, "aca") == set()
        store.delete(school)
        assert _ids(store, "kin") == set()
        store.restore(school)
        assert _ids(store, "kin") == {school}
        # Another connection writes (an import job in its own thread does): seen here too.
        with Store.open(tmp_path / "a.db") as other:
            other.update(school, {"name": "Harbury Primary"})
            added = other.create("school", {"name": "Harbury Academy"})
        assert _ids(store, "harb") == {school, added}
        assert _ids(store, "kin") == set()


def test_names_imported_from_a_bundle_are_found(tmp_path: Path) -> None:
    a = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    b = Store.init(tmp_path / "b.db", device_name="B", partnership_id=a.partnership_id)
    enrol(a, b)
    assert _ids(b, "cou") == set()  # the index is built before the import
    school = a.create("school", {"name": "Coundon Court"})
    export_bundle(a, tmp_path / "a.prbundle", full=True, plain=True)
    import_bundle(b, tmp_path / "a.prbundle")
    assert _ids(b, "cou") == {school}
    a.close()
    b.close()


def test_a_purged_name_is_not_found(tmp_path: Path) -> None:
    with Store.init(tmp_path / "a.db", device_name="A", partnership_name="P") as store:
        school = store.create("school", {"name": "Coundon Court"})
        person = store.create("person", {"name": "Xanthippe Quorn", "school": school})
        assert _ids(store, "xan", kind="person") == {person}
        store.purge(person)
        assert _ids(store, "xan", kind="person") == set()
        assert _ids(store, "cou") == {school}


def test_searchers_of_one_store_share_its_names(tmp_path: Path) -> None:
    with Store.init(tmp_path / "a.db", device_name="A", partnership_name="P") as store:
        school = store.create("school", {"name": "Kineton Academy"})
        first, second = Searcher(store), Searcher(store)
        first.prepare()
        assert [f.record.id for f in second.search("kine").found] == [school]
        store.update(school, {"name": "Harbury Academy"})
        assert [f.record.id for f in first.search("harb").found] == [school]
        assert second.search("kine").found == ()


def test_a_search_while_the_names_are_indexed_a_kind_at_a_time(tmp_path: Path) -> None:
    with Store.init(tmp_path / "a.db", device_name="A", partnership_name="P") as store:
        school = store.create("school", {"name": "Kineton Academy"})
        person = store.create("person", {"name": "Kim Patel", "school": school})
        steps = store.index_names(KINDS)
        next(steps)
        next(steps)  # schools indexed, people not yet
        store.update(school, {"name": "Kineton Green"})  # written between two steps
        assert _ids(store, "ki") == {school}  # the search indexes the rest itself
        assert _ids(store, "ki", kind="person") == {person}
        assert list(steps) == []  # the steps left stop: nothing is indexed twice
        assert _ids(store, "gre") == {school} and _ids(store, "ki", kind="person") == {person}
        steps = store.index_names(KINDS)
        for _ in steps:
            store.update(person, {"name": "Kimberley Patel"})
        assert _ids(store, "kimb", kind="person") == {person}
        assert len(store.find_by_name(KINDS, ["k"], limit=50)["person"]) == 1
