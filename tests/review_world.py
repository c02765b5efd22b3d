"""For plans and partnership-view tests: a school, its people, an agreed review with EBIs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from peerreview.forms import FormLibrary
from peerreview.review import reviews as rv
from peerreview.review.report import agree
from peerreview.sync.store import Store

EBIS = {
    "leadership": "Middle leaders checked the impact of their subject plans on pupils' work.",
    "quality": "Feedback routines were applied consistently so pupils act on them in every class.",
    "disadvantaged": "Disadvantaged pupils' attendance was tracked weekly.",
}


@dataclass(frozen=True)
class World:
    school: str
    head: str
    deputy: str
    senco: str
    review: str


def agreed_review(
    store: Store,
    library: FormLibrary,
    school: str,
    start: dt.date,
    ebis: dict[str, str],
    *,
    sharing: rv.Sharing = rv.Sharing.HOST_COORDINATOR,
) -> str:
    """An agreed estimates review of ``school`` whose areas have these EBIs."""
    fw = rv.Framework.from_form(library.get("review-estimates"))
    rid = rv.plan_review(store, fw, school=school, start_date=start, sharing=sharing)
    for area in fw.areas:
        rv.set_view(
            store,
            rid,
            area.id,
            rv.Stage.AGREED,
            judgement=area.scale.levels[1].value if area.scale else None,
            www="Leaders know the school well.",
            ebi=ebis.get(area.id, ""),
        )
    agree(store, library, rid, agreed_by="The headteacher", on=start + dt.timedelta(days=14))
    return rid


def make_world(store: Store, library: FormLibrary) -> World:
    school = store.create("school", {"name": "Coundon Court", "urn": 103745})
    head = store.create("person", {"name": "Asha Patel", "role": "Headteacher", "school": school})
    deputy = store.create(
        "person", {"name": "Tom Lewis", "role": "Deputy headteacher", "school": school}
    )
    senco = store.create("person", {"name": "Zoë Okafor", "role": "SENCo", "school": school})
    review = agreed_review(store, library, school, dt.date(2025, 10, 6), EBIS)
    return World(school, head, deputy, senco, review)


# The fixtures plans' and the partnership view's conftest.py import (the forms: tests/conftest.py).


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.init(
        tmp_path / "a.db",
        device_name="Mrs Patel's laptop",
        author="Mrs Patel",
        partnership_name="Coventry Schools Partnership",
    )
    yield s
    s.close()


@pytest.fixture
def world(store: Store, library: FormLibrary) -> World:
    return make_world(store, library)
