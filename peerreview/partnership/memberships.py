"""Memberships: schools and people belong to groups for a time; who is a member today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from peerreview.sync.records import Record
from peerreview.sync.store import Store


def _date(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def is_current(membership: Record, today: dt.date | None = None) -> bool:
    """True when the membership has started (or has no start) and has not ended.

    The end date is the day the school left: from that day it is no longer a member.
    """
    today = today or dt.date.today()
    start, end = _date(membership.values.get("start")), _date(membership.values.get("end"))
    return (start is None or start <= today) and (end is None or end > today)


def current_school_memberships(
    store: Store, group: str | None = None, today: dt.date | None = None
) -> list[Record]:
    """Schools' memberships (of one group, or of every group) that hold today."""
    today = today or dt.date.today()
    where = {"group": group} if group is not None else None
    found = store.list("membership", where=where, order_by="id")
    return [
        m
        for m in found
        if m.values.get("group") and m.values.get("school") and is_current(m, today)
    ]


def member_schools(store: Store, groups: Sequence[str]) -> dict[str, list[str]]:
    """The ids of each group's member schools today (each once): {group id: school ids}.

    One query for all the groups (the navigator asks about every group of a regional partnership
    as it opens).
    """
    wanted: dict[str, list[str]] = {g: [] for g in groups}
    if len(groups) == 1:
        found = current_school_memberships(store, groups[0])
    else:
        found = current_school_memberships(store) if groups else []
    for m in found:
        ids = wanted.get(m.values["group"])
        if ids is not None and m.values["school"] not in ids:
            ids.append(m.values["school"])
    return wanted
