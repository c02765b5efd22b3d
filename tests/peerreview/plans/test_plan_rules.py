"""A school's plan in the core: its rules, RAG history, due and overdue, the actions command."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from review_world import World

from peerreview.errors import RecordNotFound, ValidationError
from peerreview.plans import plans as pl
from peerreview.plans.due import action_lines, due_and_overdue, select, write_actions_csv
from peerreview.plans.plans import ActionStatus, Cadence, CriterionStatus, Movement, Rag
from peerreview.schoolyear import SchoolYear
from peerreview.sync.cascade import delete_record
from peerreview.sync.dump import dump_bytes
from peerreview.sync.store import Store

D = dt.date


def _plan(store: Store, world: World) -> tuple[str, str]:
    plan = pl.create_plan(store, world.school, school_year=SchoolYear(2025))
    priority = pl.add_priority(store, plan, "Attendance and belonging", tags=["Attendance"])
    return plan, priority


def test_a_plan_has_priorities_actions_criteria_and_owners_by_role(
    store: Store, world: World
) -> None:
    plan, priority = _plan(store, world)
    action = pl.add_action(
        store,
        priority,
        "First-day calls and a weekly attendance panel",
        owner=world.deputy,
        supporters=[world.senco],
        start=D(2025, 11, 3),
        due=D(2026, 3, 27),
        resources="Attendance officer: one day a week",
        cost=1200,
        milestones=[{"milestone": "Panel meets weekly", "date": "2025-12-01", "done": False}],
    )
    rec = store.get(action)
    assert rec["owner_role"] == "Deputy headteacher"  # recorded by role as well as name
    assert rec["school"] == world.school and rec["plan"] == plan
    assert rec["status"] == ActionStatus.NOT_STARTED.value
    c = pl.add_criterion(store, action, "Persistent absence falls below 15%")
    pl.set_criterion_status(store, c, CriterionStatus.PARTIALLY_MET)
    assert [x["status"] for x in pl.criteria(store, action)] == ["partially_met"]
    assert [a.id for a in pl.actions(store, plan=plan)] == [action]
    # The action goes with its priority, and the priority with the plan.
    gone = delete_record(store, plan)
    assert {kind for _, kind in gone} == {"plan", "priority", "action", "criterion"}


def test_a_due_date_before_the_start_is_refused_and_changes_nothing(
    store: Store, world: World
) -> None:
    _, priority = _plan(store, world)
    before = dump_bytes(store)
    with pytest.raises(ValidationError, match="due date of this action is before its start"):
        pl.add_action(store, priority, "Backwards", start=D(2026, 3, 1), due=D(2026, 2, 1))
    assert dump_bytes(store) == before
    action = pl.add_action(store, priority, "Forwards", start=D(2026, 3, 1), due=D(2026, 4, 1))
    with pytest.raises(ValidationError, match="due date of this action is before its start"):
        pl.update_action(store, action, {"due_date": "2026-02-28"})
    assert store.get(action)["due_date"] == "2026-04-01"


def test_an_agreed_plan_needs_an_owner_for_every_action(store: Store, world: World) -> None:
    plan, priority = _plan(store, world)
    owned = pl.add_action(store, priority, "Weekly panel", owner=world.deputy)
    pl.add_action(store, priority, "Letters home")
    before = dump_bytes(store)
    with pytest.raises(ValidationError, match=r"1 action has no owner \(“Letters home”\)"):
        pl.agree_plan(store, plan, agreed_by="Asha Patel", on=D(2025, 10, 20))
    assert dump_bytes(store) == before  # one sentence, nothing changed
    loose = pl.actions(store, plan=plan)[1].id
    pl.update_action(store, loose, {"owner": world.senco})
    assert store.get(loose)["owner_role"] == "SENCo"
    pl.agree_plan(store, plan, agreed_by="Asha Patel", on=D(2025, 10, 20))
    assert pl.is_agreed(store, plan)
    with pytest.raises(ValidationError, match="every action needs an owner"):
        pl.add_action(store, priority, "No one's job")
    with pytest.raises(ValidationError, match="every action needs an owner"):
        pl.update_action(store, owned, {"owner": None, "owner_role": None})
    # A role alone is an owner (a post not yet filled).
    pl.add_action(store, priority, "Appoint an attendance lead", owner_role="Headteacher")
    pl.reopen_plan(store, plan)
    pl.add_action(store, priority, "Draft idea")


def test_a_stopped_action_needs_no_owner(store: Store, world: World) -> None:
    plan, priority = _plan(store, world)
    pl.add_action(store, priority, "Dropped", status=ActionStatus.STOPPED)
    pl.agree_plan(store, plan, agreed_by="Asha Patel", on=D(2025, 10, 20))


def test_rag_history_is_kept_and_shows_amber_drifting_to_red(store: Store, world: World) -> None:
    _, priority = _plan(store, world)
    action = pl.add_action(store, priority, "Weekly panel", owner=world.deputy)
    pl.add_update(store, action, on=D(2025, 12, 12), text="Panel set up.", rag=Rag.GREEN)
    pl.add_update(store, action, on=D(2026, 3, 20), text="Two staff absences.", rag=Rag.AMBER)
    # Entered late: an update dated before the newest does not change the current rating.
    pl.add_update(store, action, on=D(2026, 2, 1), text="Half-term check.", rag=Rag.AMBER)
    assert store.get(action)["rag"] == "amber"
    pl.set_rag(store, action, Rag.RED, on=D(2026, 7, 10), note="Lead left at Easter.")
    history = pl.rag_history(store, action)
    assert [(p.day, p.rag) for p in history] == [
        (D(2025, 12, 12), Rag.GREEN),
        (D(2026, 2, 1), Rag.AMBER),
        (D(2026, 3, 20), Rag.AMBER),
        (D(2026, 7, 10), Rag.RED),
    ]
    assert store.get(action)["rag"] == "red"
    assert pl.drifting(history)
    assert pl.movement(history, D(2026, 4, 12), D(2026, 7, 20)) is Movement.WORSE
    assert pl.movement(history, D(2025, 12, 31), D(2026, 3, 31)) is Movement.WORSE
    assert pl.movement(history, D(2026, 2, 1), D(2026, 3, 31)) is Movement.SAME
    assert pl.movement(history, D(2025, 11, 1), D(2025, 12, 31)) is Movement.NEW
    assert pl.movement(history, D(2025, 9, 1), D(2025, 10, 1)) is Movement.UNRATED
    assert not pl.drifting(history[:3])
    assert pl.rating_on(history, D(2026, 3, 19)) is Rag.AMBER
    # Ratings and their history travel like any record: every update is its own record.
    assert len(pl.updates(store, action)) == 4


def test_an_update_needs_something_to_say(store: Store, world: World) -> None:
    _, priority = _plan(store, world)
    action = pl.add_action(store, priority, "Weekly panel", owner=world.deputy)
    with pytest.raises(ValidationError, match="Say what has changed"):
        pl.add_update(store, action, on=D(2026, 1, 5))
    with pytest.raises(RecordNotFound):
        pl.add_update(store, action, on=D(2026, 1, 5), text="x", evidence=["nope"])
    done = pl.add_update(
        store, action, on=D(2026, 5, 1), text="Done.", status=ActionStatus.COMPLETE, rag=Rag.GREEN
    )
    assert store.get(done)["author_name"] == "Mrs Patel"
    assert store.get(action)["status"] == "complete"
    assert store.get(action)["completed_on"] == "2026-05-01"


def test_a_termly_update_is_due_once_a_term(store: Store, world: World) -> None:
    _, priority = _plan(store, world)
    action = pl.add_action(
        store,
        priority,
        "Weekly panel",
        owner=world.deputy,
        start=D(2025, 11, 3),
        status=ActionStatus.IN_PROGRESS,
    )
    rec = store.get(action)
    # Started in the autumn term: its first update is due in the spring term.
    assert not pl.update_due(store, rec, D(2025, 12, 1), Cadence.TERMLY)
    assert pl.update_due(store, rec, D(2026, 1, 5), Cadence.TERMLY)
    pl.add_update(store, action, on=D(2026, 1, 20), text="Going well.", rag=Rag.GREEN)
    assert not pl.update_due(store, rec, D(2026, 4, 5), Cadence.TERMLY)  # Easter Sunday: spring
    assert pl.update_due(store, rec, D(2026, 4, 6), Cadence.TERMLY)  # Easter Monday: summer
    assert pl.update_due(store, rec, D(2026, 3, 1), Cadence.MONTHLY)
    assert not pl.update_due(store, rec, D(2026, 2, 1), Cadence.MONTHLY)


@pytest.mark.parametrize(
    ("due", "today", "late", "fortnight"),
    [
        # the last day of the autumn term, judged on the first day of the spring term
        (D(2025, 12, 31), D(2026, 1, 1), True, False),
        (D(2025, 12, 31), D(2025, 12, 31), False, True),
        # Easter Sunday 2026 ends the spring term; the summer term starts on the Monday
        (D(2026, 4, 5), D(2026, 4, 6), True, False),
        (D(2026, 4, 6), D(2026, 3, 23), False, True),  # 14 days on, across the boundary
        (D(2026, 4, 7), D(2026, 3, 23), False, False),  # 15 days on
        # leap years: 15 February 2028 plus a fortnight is 29 February
        (D(2028, 2, 29), D(2028, 2, 15), False, True),
        (D(2028, 2, 29), D(2028, 3, 1), True, False),
        (D(2028, 3, 1), D(2028, 2, 16), False, True),
        (D(2027, 3, 1), D(2027, 2, 15), False, True),  # no 29th: 1 March is 14 days on
        (D(2028, 3, 1), D(2028, 2, 15), False, False),  # with a 29th it is 15 days on
    ],
)
def test_due_and_overdue_across_terms_and_leap_years(
    store: Store, world: World, due: dt.date, today: dt.date, late: bool, fortnight: bool
) -> None:
    _, priority = _plan(store, world)
    action = pl.add_action(store, priority, "Weekly panel", owner=world.deputy, due=due)
    assert pl.overdue(store.get(action), today) is late
    assert pl.due_within(store.get(action), today, 14) is fortnight
    found = due_and_overdue(store, today)
    assert [a.id for a in found.overdue] == ([action] if late else [])
    assert [a.id for a in found.due_soon] == ([action] if fortnight else [])
    # A finished action is neither.
    pl.update_action(store, action, {"status": ActionStatus.COMPLETE.value})
    again = due_and_overdue(store, today)
    assert not again.overdue and not again.due_soon


def test_the_actions_list_and_its_csv(store: Store, world: World, tmp_path: Path) -> None:
    _, priority = _plan(store, world)
    late = pl.add_action(store, priority, "Letters home", owner=world.senco, due=D(2026, 2, 27))
    pl.add_action(store, priority, "Weekly panel", owner=world.deputy, due=D(2026, 3, 13))
    other = store.create("school", {"name": "Grace Academy", "urn": 135335})
    plan2 = pl.create_plan(store, other, school_year=SchoolYear(2025))
    pl.add_action(store, pl.add_priority(store, plan2, "Reading"), "Library", owner_role="SENCo")
    today = D(2026, 3, 3)
    lines = action_lines(store)
    assert [a.school_name for a in lines] == ["Coundon Court", "Coundon Court", "Grace Academy"]
    assert [a.id for a in select(lines, today, overdue=True)] == [late]
    assert len(select(lines, today, due_within=14)) == 1
    assert len(select(lines, today, due_within=14, overdue=True)) == 2
    assert len(action_lines(store, schools=[other])) == 1
    path = write_actions_csv(tmp_path / "actions.csv", lines, today)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads it as UTF-8
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("School,URN,Priority,Action,Owner (role)")
    assert "27 February 2026" in text and "4 days" in text and "\r\n" in text
    assert "Zoë" not in text and "Okafor" not in text  # owners by role only


def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "peerreview.cli", *args], capture_output=True)


def test_the_actions_command(store: Store, world: World) -> None:
    _, priority = _plan(store, world)
    pl.add_action(store, priority, "Letters home", owner=world.senco, due=D(2028, 2, 28))
    pl.add_action(store, priority, "Weekly panel", owner=world.deputy, due=D(2028, 3, 14))
    path = str(store.path)
    store.close()
    out = _cli("actions", "--db", path, "--today", "2028-02-29", "--overdue")
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert "Coundon Court (103745) | Letters home | SENCo | due 28 February 2028" in text
    assert "overdue by 1 day\n" in text and "Weekly panel" not in text
    assert "judged on 29 February 2028" in text
    soon = _cli("actions", "--db", path, "--today", "2028-02-29", "--due-within", "14")
    assert "Weekly panel" in soon.stdout.decode() and "Letters" not in soon.stdout.decode()
    csv = _cli("actions", "--db", path, "--school", "103745", "--csv")
    assert csv.stdout.startswith(b"\xef\xbb\xbfSchool,URN")
    assert b"28 February 2028" in csv.stdout
    bad = _cli("actions", "--db", path, "--school", "999999")
    assert bad.returncode == 1 and bad.stderr.decode().count("\n") == 1
    assert b"no school with URN 999999" in bad.stderr
    bad_day = _cli("actions", "--db", path, "--today", "29/02/2028")
    assert bad_day.returncode == 1 and b"YYYY-MM-DD" in bad_day.stderr
