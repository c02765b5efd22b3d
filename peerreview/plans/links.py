"""What action plans offer other features through the registry, without their importing it.

- **Follow-ups of an EBI** (``Feature.follow_ups["area_view"]``): what the school's plan did about
  an agreed area's EBI, so the next review's "Following up the last review" shows the plan's
  actions and their status, and a review whose EBIs have no response can say so.
- **Events** (``Feature.events``): improvement workshops and impact reviews, for the partnership
  view's coverage and calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from peerreview.plans.plans import ActionStatus, Rag, date_text
from peerreview.plans.workshop import Response, response_of
from peerreview.sync.records import Record
from peerreview.sync.registry import Event, FollowUp
from peerreview.sync.store import Store


def action_status(action: Record) -> str:
    """ "In progress · Amber · due 3 March 2026" (or completed on that day)."""
    status = ActionStatus.of(action.get("status"))
    bits = [status.label]
    rag = Rag.of(action.get("rag"))
    if rag is not None and status.open:
        bits.append(rag.label)
    if status is ActionStatus.COMPLETE and action.get("completed_on"):
        bits.append(f"completed {date_text(action.get('completed_on'))}")
    elif action.get("due_date") and status.open:
        bits.append(f"due {date_text(action.get('due_date'))}")
    return " · ".join(bits)


def _action_follow_up(action: Record) -> FollowUp:
    return FollowUp(
        f"Action: {action.get('title') or 'Untitled action'}", action_status(action), action.id
    )


def ebi_follow_ups(store: Store, view: str) -> list[FollowUp]:
    """What the plan did about the EBI of this agreed view: the response, and the actions."""
    if not _alive(store, view):
        return []
    ebi = store.get(view)
    response = response_of(store, str(ebi.get("review") or ""), str(ebi.get("area") or ""))
    out: list[FollowUp] = []
    if response is not None:
        kind = response.get("response")
        if kind == Response.NO_ACTION.value:
            out.append(
                FollowUp(
                    "No action planned", f"Reason: {response.get('reason') or ''}", response.id
                )
            )
        elif kind == Response.PRIORITY.value and _alive(store, response.get("priority")):
            priority = store.get(response["priority"])
            acts = store.list("action", where={"priority": priority.id}, order_by="position")
            out.append(
                FollowUp(
                    f"Priority: {priority.get('title') or 'Untitled priority'}",
                    _count_text(acts),
                    priority.id,
                )
            )
            out.extend(_action_follow_up(a) for a in acts)
        elif kind == Response.ACTION.value and _alive(store, response.get("action")):
            out.append(_action_follow_up(store.get(response["action"])))
    return out


def _alive(store: Store, record_id: object) -> bool:
    return (
        isinstance(record_id, str) and store.exists(record_id) and not store.get(record_id).deleted
    )


def _count_text(acts: list[Record]) -> str:
    if not acts:
        return "No actions yet"
    statuses = [ActionStatus.of(a.get("status")) for a in acts]
    done = sum(1 for s in statuses if s is ActionStatus.COMPLETE)
    n = len(acts)
    return f"{n} action{'s' if n != 1 else ''}, {done} complete"


def events(store: Store, start: dt.date | None, end: dt.date | None) -> Iterator[Event]:
    """Improvement workshops and impact reviews between two days."""
    low = start.isoformat() if start else None
    high = end.isoformat() if end else None
    for pid, school, title, day in store.rows(
        "plan", ["id", "school", "title", "workshop_on"], ranges={"workshop_on": (low, high)}
    ):
        yield Event(
            dt.date.fromisoformat(day), school, "workshop", f"Improvement workshop: {title}", pid
        )
    for rid, school, day, impact in store.rows(
        "impact_review", ["id", "school", "date", "impact"], ranges={"date": (low, high)}
    ):
        title = "Impact review" if impact else "Impact review (planned)"
        yield Event(dt.date.fromisoformat(day), school, "impact review", title, rid)
    for sid, school, day, provider in store.rows(
        "support", ["id", "school", "start_date", "provider"], ranges={"start_date": (low, high)}
    ):
        yield Event(dt.date.fromisoformat(day), school, "support", f"Support from {provider}", sid)
