"""Make tests/data/release-0.1-schema4.db: a database as the first release (schema 4) wrote it.

Run once, at commit 728c0aa (the release before features became folders), with that commit's
code: ``python tests/data/make_release_db.py``. The file is kept, not remade: it stands for the
databases already on school laptops, which every later migration must open and upgrade. Its
canonical dump at the time is kept beside it (release-0.1-schema4.dump.json), so a test can prove
that upgrading changed no shared data.

It holds a little of everything that release stored: a partnership, schools (one with a URN, one
without), people, a group with memberships, a peer review with its team, schedule, lines of
enquiry, evidence with areas and a photo, views of areas at each stage, an area of excellence,
a form answer, a deleted record, a purged record, and a conflict merged in from another laptop's
bundle (so the import ledger and known devices have rows too).
"""

# ruff: noqa: I001 - written for the modules of commit 728c0aa, run only there
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from peerreview import reviews as rv  # noqa: E402
from peerreview.bundle import export_bundle, import_bundle  # noqa: E402
from peerreview.dump import dump_bytes  # noqa: E402
from peerreview.form_library import library  # noqa: E402
from peerreview.store import Store  # noqa: E402

# A 1x1 PNG: an attachment needs bytes, not a real photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def main() -> None:
    target = HERE / "release-0.1-schema4.db"
    work = HERE / "_make_release"
    work.mkdir(exist_ok=True)
    for old in work.glob("*"):
        old.unlink()
    if target.exists():
        target.unlink()

    store = Store.init(
        target, device_name="Mrs Patel's laptop", author="Mrs Patel", partnership_name="Coundon"
    )
    grace = store.create(
        "school",
        {
            "name": "Grace Academy",
            "urn": 135335,
            "phase": "Secondary",
            "low_age": 11,
            "high_age": 18,
            "town": "Coventry",
        },
        form=("school", 1),
    )
    nursery = store.create("school", {"name": "Little Acorns Nursery", "phase": "Nursery"})
    head = store.create(
        "person",
        {
            "name": "Asha Patel",
            "role": "Headteacher",
            "school": grace,
            "email": "a.patel@example.org",
        },
    )
    deputy = store.create("person", {"name": "Ben Okafor", "role": "Deputy head", "school": grace})
    store.update(grace, {"headteacher": head})
    store.set(grace, "school.ofsted.last_inspection", "March 2024")  # a form answer
    trio = store.create("group", {"name": "Coundon trio", "type": "Trio"})
    store.create("membership", {"group": trio, "school": grace, "start": "2025-09-01"})
    store.create(
        "membership", {"group": trio, "school": nursery, "start": "2025-09-01", "end": "2026-07-31"}
    )
    store.create("membership", {"group": trio, "person": head, "role": "Chair"})

    lib = library()
    fw = next(f for f in rv.frameworks(lib) if f.id == "review-estimates")
    review = rv.plan_review(
        store,
        fw,
        school=grace,
        start_date=dt.date(2026, 3, 3),
        end_date=dt.date(2026, 3, 4),
        focus="Reading across the curriculum",
    )
    rv.add_member(
        store, review, name="Asha Patel", role="Host link leader", person=head, school=grace
    )
    lead = rv.add_member(store, review, name="Carol Singh", role="Lead reviewer")
    rv.add_activity(
        store,
        review,
        day=dt.date(2026, 3, 3),
        start="09:00",
        end="09:40",
        activity="Learning walk",
        description="Year 7 and 8 English",
    )
    rv.add_enquiry_line(store, review, "To what extent do pupils read widely?")
    area = fw.areas[0].id
    note = rv.add_evidence(
        store,
        review,
        activity="Lesson visit",
        note="Pupils read aloud with confidence & care.",
        time=dt.datetime(2026, 3, 3, 10, 40),
        year_group="Year 8",
        subject="English",
        present="Asha Patel",
        areas=[area],
    )
    store.add_attachment(
        note, PNG, filename="book-look.png", media_type="image/png", caption="Year 8 book"
    )
    rv.set_view(
        store,
        review,
        area,
        rv.Stage.SELF,
        judgement=fw.areas[0].scale.levels[1].value,
        rationale="Reading is a strength.",
    )
    rv.set_view(
        store,
        review,
        area,
        rv.Stage.PROVISIONAL,
        reviewer=lead,
        reviewer_name="Carol Singh",
        judgement=fw.areas[0].scale.levels[1].value,
    )
    rv.set_view(
        store,
        review,
        area,
        rv.Stage.AGREED,
        judgement=fw.areas[0].scale.levels[1].value,
        www="Reading aloud.",
        ebi="Extend reading into science.",
    )
    rv.add_excellence(store, review, title="Reading for pleasure")
    gone = store.create("person", {"name": "Left Last Year", "school": grace})
    store.delete(gone)
    erased = store.create("person", {"name": "Erased Person", "school": nursery})
    store.purge(erased)

    # A colleague's laptop edits the same field: a conflict merged in through a real bundle.
    export_bundle(store, work / "patel.prbundle")
    other = Store.init(
        work / "other.db",
        device_name="Mr Jones's laptop",
        author="Mr Jones",
        partnership_id=store.partnership_id,
    )
    import_bundle(other, work / "patel.prbundle")
    other.update(deputy, {"role": "Assistant head"})
    store.update(deputy, {"role": "Deputy headteacher"})
    export_bundle(other, work / "jones.prbundle")
    other.close()
    report = import_bundle(store, work / "jones.prbundle")
    assert report.conflicts == 1, report
    assert store.conflict_count() == 1

    (HERE / "release-0.1-schema4.dump.json").write_bytes(dump_bytes(store))
    store.compact()
    store.close()
    for old in work.glob("*"):
        old.unlink()
    work.rmdir()
    backups = HERE / "backups"
    if backups.exists():
        for old in backups.glob("*"):
            old.unlink()
        backups.rmdir()
    print(f"Wrote {target} ({target.stat().st_size:,} bytes).")


if __name__ == "__main__":
    main()
