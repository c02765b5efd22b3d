"""What goes with a deleted record, and what comes back with it, on this laptop and on others."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peerreview.form_library import library
from peerreview.review import reviews as rv
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.cascade import delete_record, deleted_with, restore_record
from peerreview.sync.check import check
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR


def _school_with_everything(store: Store) -> dict[str, str]:
    school = store.create("school", {"name": "Grace Academy", "urn": 135335})
    other = store.create("school", {"name": "Little Acorns"})
    head = store.create("person", {"name": "Asha Patel", "school": school})
    visitor = store.create("person", {"name": "Carol Singh", "school": other})
    group = store.create("group", {"name": "Trio"})
    member = store.create("membership", {"group": group, "school": school})
    fw = rv.frameworks(library())[0]
    review = rv.plan_review(store, fw, school=school, start_date=dt.date(2026, 3, 3))
    lead = rv.add_member(store, review, name="Carol Singh", role="Lead reviewer", person=visitor)
    note = rv.add_evidence(store, review, activity="Lesson visit", note="Reading aloud.")
    photo = store.add_attachment(note, b"\x89PNG", filename="a.png", media_type="image/png")
    return {
        "school": school,
        "other": other,
        "head": head,
        "visitor": visitor,
        "group": group,
        "member": member,
        "review": review,
        "lead": lead,
        "note": note,
        "photo": photo,
    }


def test_a_school_takes_its_people_memberships_reviews_and_their_records(tmp_path: Path) -> None:
    with Store.init(tmp_path / "a.db", device_name="A", partnership_name="P") as store:
        ids = _school_with_everything(store)
        owned = {rid for rid, _kind in deleted_with(store, ids["school"])}
        assert owned == {ids[k] for k in ("head", "member", "review", "lead", "note", "photo")}
        # A team member's own person and school, and the group, belong elsewhere.
        assert not owned & {ids["visitor"], ids["other"], ids["group"]}
        deleted = delete_record(store, ids["school"])
        assert deleted[0] == (ids["school"], "school")
        assert all(store.get(rid).deleted for rid, _ in deleted)
        assert not store.get(ids["visitor"]).deleted
        restored = restore_record(store, ids["school"])
        assert sorted(restored) == sorted(deleted)
        assert not any(store.get(rid).deleted for rid, _ in deleted)
        assert check(store) == []


def test_restore_on_another_laptop_brings_back_what_went_together(tmp_path: Path) -> None:
    with Store.init(tmp_path / "a.db", device_name="A", partnership_name="P") as a:
        ids = _school_with_everything(a)
        left = a.create("person", {"name": "Left Last Year", "school": ids["school"]})
        a.delete(left)
        a.clock.observe(a.clock.last + (10_000 << 16))  # ten seconds later, the school goes
        deleted = delete_record(a, ids["school"])
        export_bundle(a, tmp_path / "a.prbundle", full=True, plain=True)
        with Store.init(tmp_path / "b.db", device_name="B", partnership_id=a.partnership_id) as b:
            enrol(a, b, role=COORDINATOR)
            import_bundle(b, tmp_path / "a.prbundle")
            restored = restore_record(b, ids["school"])
            assert sorted(restored) == sorted(deleted)
            assert b.get(left).deleted  # deleted on its own, long before: stays deleted
            assert not b.get(ids["photo"]).deleted
            assert check(b) == []


def test_restoring_a_record_that_is_not_deleted_does_nothing(tmp_path: Path) -> None:
    with Store.init(tmp_path / "a.db", device_name="A", partnership_name="P") as store:
        school = store.create("school", {"name": "Grace Academy"})
        before = store.change_count()
        assert restore_record(store, school) == []
        assert store.change_count() == before
