"""Evidence the school already has, linked to progress updates: found, named, kept in bundles; and
the words shown for the values plans store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from review_world import World

from peerreview.errors import ValidationError
from peerreview.forms import FormLibrary
from peerreview.oversight import indicators as ind
from peerreview.oversight import kinds as oversight_kinds
from peerreview.plans import evidence as ev
from peerreview.plans import kinds as plan_kinds
from peerreview.plans import plans as pl
from peerreview.plans import workshop as ws
from peerreview.review import reviews as rv
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR

D = dt.date


def _evidence_world(store: Store, library: FormLibrary, world: World) -> dict[str, str]:
    note = rv.add_evidence(
        store,
        world.review,
        activity="Work scrutiny",
        note="Books show feedback acted on.",
        year_group="Year 9",
        subject="Science",
        present="Asha Patel",
    )
    photo = store.add_attachment(
        note, b"\x89PNG...", filename="book-9S.png", media_type="image/png"
    )
    indicator = ind.add_indicator(
        store, world.school, "attendance", value="94.1", on=D(2026, 1, 10), source="DfE"
    )
    other = store.create("school", {"name": "Grace Academy", "urn": 135335})
    elsewhere = ind.add_indicator(
        store, other, "attendance", value="90", on=D(2026, 1, 10), source="DfE"
    )
    priority = ws.respond_with_new_priority(
        store, library, world.review, "quality", title="Feedback"
    )
    action = pl.add_action(store, priority, "Feedback lessons", owner=world.head)
    return {
        "note": note,
        "photo": photo,
        "indicator": indicator,
        "elsewhere": elsewhere,
        "action": action,
    }


def test_the_school_s_evidence_is_offered_by_name_and_links_travel_in_bundles(
    store: Store, library: FormLibrary, world: World, tmp_path: Path
) -> None:
    made = _evidence_world(store, library, world)
    offered = ev.candidates(store, world.school)
    ids = {e.id for e in offered}
    assert {made["note"], made["photo"], made["indicator"]} <= ids
    assert made["elsewhere"] not in ids  # another school's record is never offered
    by_id = {e.id: e for e in offered}
    note = by_id[made["note"]]
    assert note.title == "Evidence note: Work scrutiny, Year 9 Science"
    assert note.context.startswith("Peer review")
    assert "Asha" not in note.title + note.context  # who was present is never in its name
    photo = by_id[made["photo"]]
    assert (photo.what, photo.title) == ("Attachment", "book-9S.png")
    assert photo.context == note.title  # a file is named with the note it belongs to
    assert by_id[made["indicator"]].title.startswith("Attendance")
    assert all(made["note"] not in e.title + e.context for e in offered)  # no ids shown
    # the note, and its photo (named with it)
    assert {e.id for e in ev.search(offered, "scrutiny science")} == {made["note"], made["photo"]}
    assert [e.id for e in ev.search(offered, "9S.png")] == [made["photo"]]

    update = pl.add_update(
        store, made["action"], on=D(2026, 2, 1), text="Started.", evidence=[made["note"]]
    )
    assert ev.link(store, update, [made["photo"], made["indicator"], made["note"]]) == [
        made["note"],
        made["photo"],
        made["indicator"],
    ]
    with pytest.raises(ValidationError, match="cannot be linked as evidence"):
        ev.link(store, update, [made["action"]])
    assert ev.unlink(store, update, made["indicator"]) == [made["note"], made["photo"]]

    bundle = tmp_path / "coundon.prbundle"
    export_bundle(store, bundle, school_urns=[103745], full=True, plain=True)
    coordinator = Store.init(
        tmp_path / "coordinator.db", device_name="Coordinator", partnership_id=store.partnership_id
    )
    enrol(store, coordinator, role=COORDINATOR)
    import_bundle(coordinator, bundle)
    assert [e.title for e in ev.linked(coordinator, update)] == [note.title, "book-9S.png"]
    assert coordinator.blob(coordinator.get(made["photo"])["sha256"]) == b"\x89PNG..."
    # Linked on the coordinator's laptop meanwhile, merged back: one list with both.
    ev.link(coordinator, update, [made["indicator"]])
    back = tmp_path / "back.prbundle"
    export_bundle(coordinator, back, full=True, plain=True)
    import_bundle(store, back)
    assert ev.linked_ids(store, update) == [made["note"], made["photo"], made["indicator"]]
    coordinator.close()


def test_choice_words_match_the_rules() -> None:
    """The words a kind declares for its stored values are the rules' own labels."""
    pairs = {
        plan_kinds.PLAN_STATUSES: pl.PlanStatus,
        plan_kinds.ACTION_STATUSES: pl.ActionStatus,
        plan_kinds.RAGS: pl.Rag,
        plan_kinds.CRITERION_STATUSES: pl.CriterionStatus,
        plan_kinds.SOURCES: pl.Source,
        plan_kinds.IMPACTS: pl.Impact,
        plan_kinds.PROVIDER_TYPES: pl.ProviderType,
        plan_kinds.SUPPORT_STATUSES: pl.SupportStatus,
        plan_kinds.CADENCES: pl.Cadence,
        plan_kinds.RESPONSES: ws.Response,
    }
    for choices, enum in pairs.items():
        assert choices == tuple((m.value, m.label) for m in enum), enum  # type: ignore[attr-defined]
    assert oversight_kinds.MEASURES == tuple((m.id, m.label) for m in ind.MEASURES)
    spec = plan_kinds.SUPPORT.spec("provider_type")
    assert spec is not None and spec.choice_label("partner_school") == "A partner school"
