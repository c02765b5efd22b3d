"""The demo's plans: every reviewed school answered, actions in every state, updates over two
years, impact reviews, support; the regional size makes exactly 15,000 actions."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

from peerreview.demo import build_demo
from peerreview.forms import forms_dir, load_forms
from peerreview.plans import demo
from peerreview.plans import workshop as ws
from peerreview.plans.due import due_and_overdue
from peerreview.plans.followthrough import follow_through
from peerreview.schoolyear import SchoolYear
from peerreview.sync.check import check
from peerreview.sync.store import Store


def test_the_regional_demo_has_exactly_15000_actions() -> None:
    quotas = demo._quotas(15_000, 2_517, random.Random(1))
    assert sum(q for q in quotas if q is not None) == 15_000
    assert {q for q in quotas} <= {5, 6}
    assert demo.SIZES["regional"].actions == 15_000


def test_the_small_demo_plans(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "demo.db", device_name="Demo laptop")
    counts = build_demo(store, "small", seed=1)
    library = load_forms(forms_dir())
    assert counts["plan"] >= 8 and counts["action"] >= 40
    assert counts["progress_update"] > counts["action"] // 2
    assert counts["impact_review"] > 0 and counts["support"] > 0
    actions = store.list("action")
    assert {a["status"] for a in actions} == {"not_started", "in_progress", "complete", "stopped"}
    assert all(a.get("owner_role") for a in actions)
    today = demo.TODAY
    due = due_and_overdue(store, today)
    assert due.overdue and due.due_soon
    # Termly updates across two school years, ratings that move.
    days = sorted(u["date"] for u in store.list("progress_update"))
    assert SchoolYear.of(dt.date.fromisoformat(days[0])) <= SchoolYear.of(today).previous()
    assert Counter(u["rag"] for u in store.list("progress_update")).keys() == {
        "red",
        "amber",
        "green",
    }
    # Every plan answers a review; a few schools still wait for their workshop.
    plans = store.list("plan")
    for plan in plans[:4]:
        assert ws.progress(store, library, plan["review"]).complete
    waiting = follow_through(store, today)
    assert waiting.reviews_waiting >= 1
    assert store.list("support") and store.list("indicator") and store.list("contact")
    assert check(store) == []
    store.close()
