"""Follow-through by school: EBIs of the latest agreed review without a response, and overdue
actions. Counts only, never names of teachers; read in a few queries, for hundreds of schools.

The EBIs counted are those of each school's latest agreed review (what its current plan should
answer): a review from years ago that was never answered is history, not follow-through.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from peerreview.plans.plans import ActionStatus, Rag, as_date
from peerreview.review.reviews import Stage, Status
from peerreview.sync.store import Store


@dataclass(frozen=True)
class SchoolFollowThrough:
    """One school's follow-through."""

    school: str
    name: str
    urn: int | None
    review: str  # its latest agreed review ("" when none)
    review_date: dt.date | None
    ebis: int
    unanswered: int
    open_actions: int
    overdue: int
    red: int

    @property
    def concern(self) -> bool:
        """True when something here needs a coordinator's attention."""
        return self.unanswered > 0 or self.overdue > 0


@dataclass(frozen=True)
class FollowThrough:
    today: dt.date
    schools: tuple[SchoolFollowThrough, ...]  # by name: never ranked

    @property
    def unanswered(self) -> int:
        return sum(s.unanswered for s in self.schools)

    @property
    def overdue(self) -> int:
        return sum(s.overdue for s in self.schools)

    @property
    def reviews_waiting(self) -> int:
        """Agreed reviews with at least one EBI without a response."""
        return sum(1 for s in self.schools if s.unanswered)

    @property
    def schools_overdue(self) -> int:
        return sum(1 for s in self.schools if s.overdue)


def latest_agreed_reviews(store: Store) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Each school's latest agreed review: school id -> (review id, first day, areas left out)."""
    latest: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for rid, school, start, excluded in store.rows(
        "review",
        ["id", "school", "start_date", "areas_excluded"],
        where={"status": Status.AGREED.value},
    ):
        if not school:
            continue
        key = (start or "", rid)
        if school not in latest or key > (latest[school][1], latest[school][0]):
            latest[school] = (rid, start or "", tuple(excluded or ()))
    return latest


def unanswered_by_review(
    store: Store, reviews: dict[str, tuple[str, ...]]
) -> dict[str, tuple[int, int]]:
    """For each review (with the areas it leaves out): (EBIs, EBIs without a response)."""
    wanted = tuple(reviews)
    answered = set(store.rows("ebi_response", ["review", "area"], where={"review": wanted}))
    out: dict[str, list[int]] = {}
    # Only views with an EBI, of these reviews (through the review index): not their words.
    for rid, area in store.rows(
        "area_view",
        ["review", "area"],
        where={"review": wanted, "stage": Stage.AGREED.value},
        ranges={"ebi": ("", None)},
    ):
        if area in reviews.get(rid, ()):
            continue
        counts = out.setdefault(rid, [0, 0])
        counts[0] += 1
        if (rid, area) not in answered:
            counts[1] += 1
    return {rid: (a, b) for rid, (a, b) in out.items()}


def follow_through(store: Store, today: dt.date) -> FollowThrough:
    """Every open school's follow-through, by name."""
    school = store.registry.school_kind()
    rows = store.rows(school.name, ["id", "name", school.key_field or "id", "closed"])
    latest = latest_agreed_reviews(store)
    counts = unanswered_by_review(store, {rid: excluded for rid, _, excluded in latest.values()})
    open_actions: Counter[str] = Counter()
    late: Counter[str] = Counter()
    red: Counter[str] = Counter()
    still_open = (*(s.value for s in ActionStatus if s.open), None)
    for sid, due, rag in store.rows(
        "action", ["school", "due_date", "rag"], where={"status": still_open}
    ):
        open_actions[sid] += 1
        if due and due < today.isoformat():  # ISO dates compare as they sort
            late[sid] += 1
        if Rag.of(rag) is Rag.RED:
            red[sid] += 1
    out = []
    for sid, name, urn, closed in rows:
        if closed:
            continue
        rid, start, _excluded = latest.get(sid, ("", "", ()))
        ebis, unanswered = counts.get(rid, (0, 0))
        out.append(
            SchoolFollowThrough(
                school=sid,
                name=str(name or ""),
                urn=urn if isinstance(urn, int) else None,
                review=rid,
                review_date=as_date(start),
                ebis=ebis,
                unanswered=unanswered,
                open_actions=open_actions[sid],
                overdue=late[sid],
                red=red[sid],
            )
        )
    out.sort(key=lambda s: (s.name.casefold(), s.school))
    return FollowThrough(today, tuple(out))
