"""The improvement workshop: every EBI gets a response; the links travel; the next review shows
what the plan did."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from review_world import EBIS, World, agreed_review

from peerreview.errors import ValidationError
from peerreview.forms import FormLibrary
from peerreview.plans import plans as pl
from peerreview.plans import workshop as ws
from peerreview.plans.plans import ActionStatus, Rag
from peerreview.reports.model import Table
from peerreview.review import reviews as rv
from peerreview.review.report import build_review_report, changed_after_agreement
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.cascade import delete_record, restore_record
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR

D = dt.date


def _answer_all(store: Store, library: FormLibrary, world: World) -> dict[str, str]:
    """The workshop: a new priority, a new action under it, and a reason for the third."""
    priority = ws.respond_with_new_priority(
        store, library, world.review, "leadership", title="Leaders check impact", on=D(2025, 11, 3)
    )
    action = ws.respond_with_new_action(
        store,
        library,
        world.review,
        "quality",
        priority=priority,
        title="Train every teacher in the feedback routine",
        owner=world.deputy,
        start=D(2025, 11, 10),
        due=D(2026, 3, 27),
    )
    ws.respond_no_action(
        store,
        library,
        world.review,
        "disadvantaged",
        "Covered by the trust's attendance plan this year.",
    )
    return {"priority": priority, "action": action}


def test_the_workshop_gives_every_ebi_a_response(
    store: Store, library: FormLibrary, world: World
) -> None:
    ebis = ws.review_ebis(store, library, world.review)
    assert [(e.area, e.text) for e in ebis] == list(EBIS.items())
    assert ws.progress(store, library, world.review) == ws.Progress(3, 0)
    assert ws.plan_for(store, world.review) is None
    made = _answer_all(store, library, world)
    assert ws.unanswered(store, library, world.review) == []
    assert ws.progress(store, library, world.review).complete
    plan = ws.plan_for(store, world.review)
    assert plan is not None and plan["school_year"] == "2025-26"
    assert plan["workshop_on"] == "2025-11-03"
    # The typed links: EBI -> response -> priority/action; the priority and action name the EBI.
    leadership = ws.ebi_view_id(world.review, "leadership")
    assert store.get(made["priority"])["ebi"] == leadership
    assert store.get(made["priority"])["source"] == "ebi"
    quality = store.get(ws.response_id(world.review, "quality"))
    assert quality["response"] == "action" and quality["action"] == made["action"]
    assert store.get(made["action"])["ebi"] == ws.ebi_view_id(world.review, "quality")
    reason = store.get(ws.response_id(world.review, "disadvantaged"))
    assert reason["response"] == "no_action" and "trust" in reason["reason"]
    # Answering again replaces the one response (the same record on every laptop).
    ws.respond_with_priority(store, library, world.review, "disadvantaged", made["priority"])
    assert store.get(ws.response_id(world.review, "disadvantaged"))["reason"] is None
    ws.clear_response(store, world.review, "disadvantaged")
    assert [e.area for e in ws.unanswered(store, library, world.review)] == ["disadvantaged"]
    ws.respond_no_action(store, library, world.review, "disadvantaged", "Done already.")
    assert ws.unanswered(store, library, world.review) == []


def test_the_workshop_refuses_what_it_should(
    store: Store, library: FormLibrary, world: World
) -> None:
    before = dump_bytes(store)
    with pytest.raises(ValidationError, match="reason is recorded for every one"):
        ws.respond_no_action(store, library, world.review, "leadership", "  ")
    assert dump_bytes(store) == before
    with pytest.raises(ValidationError, match="no agreed EBI"):
        ws.respond_with_new_priority(store, library, world.review, "nonsense")
    fw = rv.Framework.from_form(library.get("review-estimates"))
    draft = rv.plan_review(store, fw, school=world.school, start_date=D(2026, 5, 4))
    with pytest.raises(ValidationError, match="follows an agreed review"):
        ws.open_workshop(store, draft, on=D(2026, 5, 20))
    other = store.create("school", {"name": "Grace Academy", "urn": 135335})
    elsewhere = pl.add_priority(
        store, pl.create_plan(store, other, school_year=pl.SchoolYear(2025)), "Elsewhere"
    )
    with pytest.raises(ValidationError, match="priority of the plan that answers this review"):
        ws.respond_with_new_action(
            store, library, world.review, "quality", priority=elsewhere, title="x"
        )


def test_the_workshop_uses_the_schools_plan_for_that_year(
    store: Store, library: FormLibrary, world: World
) -> None:
    own = pl.create_plan(store, world.school, school_year=pl.SchoolYear(2025), title="Our SDP")
    assert ws.open_workshop(store, world.review, on=D(2025, 11, 3)) == own
    assert store.get(own)["review"] == world.review


def test_the_next_review_follows_up_the_plans_actions(
    store: Store, library: FormLibrary, world: World
) -> None:
    made = _answer_all(store, library, world)
    pl.add_update(
        store,
        made["action"],
        on=D(2026, 3, 20),
        text="Half done.",
        rag=Rag.AMBER,
        status=ActionStatus.IN_PROGRESS,
    )
    nxt = agreed_review(store, library, world.school, D(2026, 10, 5), {})
    assert store.get(nxt)["previous_review"] == world.review
    carried = {c.area: c for c in rv.carried_forward(store, library, nxt)}
    lead = [(f.title, f.status) for f in carried["Leadership at all levels"].follow_ups]
    assert lead == [
        ("Priority: Leaders check impact", "1 action, 0 complete"),
        (
            "Action: Train every teacher in the feedback routine",
            "In progress · Amber · due 27 March 2026",
        ),
    ]
    quality = carried["Quality of provision and outcomes"].follow_ups
    assert [f.record_id for f in quality] == [made["action"]]
    none = carried[
        "Provision and outcomes for disadvantaged pupils and pupils with additional needs"
    ].follow_ups
    assert none[0].title == "No action planned" and "trust" in none[0].status
    report = build_review_report(store, library, nxt, today=D(2026, 10, 20))
    table = next(
        b
        for b in report.blocks
        if isinstance(b, Table) and "What the school's plan did" in b.columns
    )
    text = "\n".join(" ".join(r) for r in table.rows)
    assert "Action: Train every teacher in the feedback routine (In progress · Amber" in text
    assert "No action planned (Reason: Covered by the trust's attendance plan" in text
    # Where the plan stands is not part of what the next review agreed: moving it on does not
    # make the agreed report "changed after agreement".
    pl.update_action(store, made["action"], {"status": ActionStatus.COMPLETE.value})
    assert not changed_after_agreement(store, library, nxt)
    report = build_review_report(store, library, nxt, today=D(2026, 10, 20))
    table = next(
        b
        for b in report.blocks
        if isinstance(b, Table) and "What the school's plan did" in b.columns
    )
    assert "Complete · completed" in "\n".join(" ".join(r) for r in table.rows)


def test_deleting_what_answered_an_ebi_leaves_it_unanswered_until_restored(
    store: Store, library: FormLibrary, world: World
) -> None:
    made = _answer_all(store, library, world)
    delete_record(store, made["priority"])
    assert {e.area for e in ws.unanswered(store, library, world.review)} == {
        "leadership",
        "quality",
    }
    restore_record(store, made["priority"])
    assert ws.unanswered(store, library, world.review) == []


def test_links_survive_a_bundle_round_trip_and_a_merge(
    store: Store, library: FormLibrary, world: World, tmp_path: Path
) -> None:
    made = _answer_all(store, library, world)
    pl.add_update(store, made["action"], on=D(2026, 1, 15), text="Started.", rag=Rag.GREEN)
    plan = ws.plan_for(store, world.review)
    assert plan is not None
    pl.add_impact_review(
        store,
        plan.id,
        on=D(2026, 7, 1),
        impact=pl.Impact.SOME,
        priority=made["priority"],
        reviewer=world.head,
        what_changed="Feedback is acted on in most classes.",
    )
    # The school's own laptop sends only its school: the plan and everything linked travels.
    other = store.create("school", {"name": "Grace Academy", "urn": 135335})
    pl.create_plan(store, other, school_year=pl.SchoolYear(2025))
    bundle = tmp_path / "coundon.prbundle"
    export_bundle(store, bundle, school_urns=[103745], full=True, plain=True)
    coordinator = Store.init(
        tmp_path / "coordinator.db", device_name="Coordinator", partnership_id=store.partnership_id
    )
    enrol(store, coordinator, role=COORDINATOR)
    import_bundle(coordinator, bundle)
    assert ws.unanswered(coordinator, library, world.review) == []
    assert coordinator.get(made["action"])["ebi"] == ws.ebi_view_id(world.review, "quality")
    assert [p.rag for p in pl.rag_history(coordinator, made["action"])] == [Rag.GREEN]
    assert len(pl.impact_reviews(coordinator, plan.id)) == 1
    assert len(pl.plans_of(coordinator, other)) == 0  # not selected, not sent
    # Meanwhile both laptops move the plan on; merged, both edits are there.
    pl.add_update(coordinator, made["action"], on=D(2026, 3, 20), text="Slower.", rag=Rag.AMBER)
    pl.add_criterion(store, made["action"], "Pupils act on feedback in nine classes in ten")
    back = tmp_path / "back.prbundle"
    export_bundle(coordinator, back, full=True, plain=True)
    import_bundle(store, back)
    export_bundle(store, bundle, full=True, plain=True)
    import_bundle(coordinator, bundle)
    assert [p.rag for p in pl.rag_history(store, made["action"])] == [Rag.GREEN, Rag.AMBER]
    assert len(pl.criteria(coordinator, made["action"])) == 1
    assert store.get(made["action"])["rag"] == "amber"
    ours, theirs = dump_bytes(store), dump_bytes(coordinator)
    assert ours.split(b'"partnership"')[1] == theirs.split(b'"partnership"')[1]
    coordinator.close()


def test_two_laptops_answering_one_ebi_meet_as_a_conflict_not_two_answers(
    store: Store, library: FormLibrary, world: World, tmp_path: Path
) -> None:
    ws.open_workshop(store, world.review, on=D(2025, 11, 3))
    bundle = tmp_path / "a.prbundle"
    export_bundle(store, bundle, full=True, plain=True)
    other = Store.init(
        tmp_path / "b.db", device_name="Laptop B", partnership_id=store.partnership_id
    )
    enrol(store, other)
    import_bundle(other, bundle)
    ws.respond_no_action(store, library, world.review, "leadership", "Covered elsewhere.")
    ws.respond_no_action(other, library, world.review, "leadership", "Next year.")
    export_bundle(other, tmp_path / "b.prbundle", full=True, plain=True)
    import_bundle(store, tmp_path / "b.prbundle")
    rid = ws.response_id(world.review, "leadership")
    assert store.list("ebi_response", where={"review": world.review}, order_by="id")[0].id == rid
    assert len(store.list("ebi_response", where={"review": world.review})) == 1
    assert "reason" in store.get(rid).conflicts
    other.close()
