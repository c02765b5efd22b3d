"""Action plans under issue 13's scope rule: what answers a review kept to its host school travels
only to that school's laptops and the coordinators; the school's plan itself is the school's record
and travels like it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from review_world import World

from peerreview.errors import BundleError
from peerreview.forms import FormLibrary
from peerreview.plans import plans as pl
from peerreview.plans import workshop as ws
from peerreview.review import reviews as rv
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store


def test_responses_to_a_host_only_reviews_ebis_travel_only_to_the_host(
    store: Store, library: FormLibrary, world: World, tmp_path: Path
) -> None:
    assert store.get(world.review)["sharing"] == rv.Sharing.HOST_COORDINATOR.value
    other_school = store.create("school", {"name": "Grace Academy", "urn": 135335})
    at_host = Store.init(tmp_path / "h.db", device_name="Coundon Court's laptop")
    elsewhere = Store.init(tmp_path / "e.db", device_name="Grace Academy's laptop")
    enrol(store, at_host, schools=[world.school])
    enrol(store, elsewhere, schools=[other_school])
    ws.open_workshop(store, world.review, on=dt.date(2025, 11, 3))
    ws.respond_no_action(store, library, world.review, "leadership", "Covered elsewhere.")
    response = ws.response_id(world.review, "leadership")
    plan = pl.create_plan(store, world.school, school_year=pl.SchoolYear(2025))

    export_bundle(store, tmp_path / "shared.prbundle")
    export_bundle(store, tmp_path / "host.prbundle", for_school=world.school)
    for laptop in (at_host, elsewhere):
        import_bundle(laptop, tmp_path / "shared.prbundle")
        assert not laptop.exists(world.review) and not laptop.exists(response)
        assert laptop.exists(plan)  # the school's plan is not the review's
    import_bundle(at_host, tmp_path / "host.prbundle")
    assert at_host.exists(world.review) and at_host.exists(response)
    assert at_host.get(response)["reason"] == "Covered elsewhere."
    with pytest.raises(BundleError, match="other laptops"):
        import_bundle(elsewhere, tmp_path / "host.prbundle")
    assert not elsewhere.exists(response)
    at_host.close()
    elsewhere.close()
