"""Peer review in the window: the review workspace, the Review menu (plan a review, today's visit),
and the "Today: review of …" buttons on the partnership's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from peerreview.errors import PeerReviewError
from ui.shell.actions import ActionSpec
from ui.shell.registry import FeatureAction, FeatureUI, ListColumn, PageButton, Shell

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from peerreview.sync.records import Record
    from ui.shell.session import Session

MENU = "&Review"


def _open_review(shell: Shell, record: Record) -> QWidget:
    from ui.review.workspace import ReviewWorkspace

    return ReviewWorkspace(shell.session, record.id, jobs=shell.jobs)


def _reveal(shell: Shell, record: Record) -> bool:
    """A review's note, view, team member...: shown on its tab of the review's workspace."""
    from ui.review.workspace import ReviewWorkspace

    workspace = shell.current_view()
    return isinstance(workspace, ReviewWorkspace) and workspace.reveal(record)


def _review_note(session: Session, record: Record) -> str:
    """ "changed after agreement", on a review whose report no longer says what was agreed."""
    if not record.get("agreed_hash"):
        return ""
    from peerreview.review.report import changed_after_agreement

    try:
        changed = changed_after_agreement(session.store, session.forms, record.id)
    except PeerReviewError:
        return ""
    return "changed after agreement" if changed else ""


def _school_reviews(session: Session, schools: Sequence[Record]) -> dict[str, list[Record]]:
    reviews = session.store.list("review", any_of={"school": [s.id for s in schools]})
    out: dict[str, list[Record]] = {}
    for review in reviews:
        out.setdefault(str(review.get("school")), []).append(review)
    return out


def _last_review(session: Session, schools: Sequence[Record]) -> list[tuple[str, Any]]:
    """A school's most recent review that has begun (its first day, as people write dates)."""
    from ui.shell.formatting import prose_date

    today = dt.date.today().isoformat()
    by_school = _school_reviews(session, schools)
    out: list[tuple[str, Any]] = []
    for school in schools:
        begun = [r["start_date"] for r in by_school.get(school.id, []) if r.get("start_date")]
        last = max((d for d in begun if d <= today), default="")
        out.append((prose_date(last) if last else "None yet", last))
    return out


def _next_review(session: Session, schools: Sequence[Record]) -> list[tuple[str, Any]]:
    """A school's next review still to come."""
    from ui.shell.formatting import prose_date

    today = dt.date.today().isoformat()
    by_school = _school_reviews(session, schools)
    out: list[tuple[str, Any]] = []
    for school in schools:
        dates = [r["start_date"] for r in by_school.get(school.id, []) if r.get("start_date")]
        coming = min((d for d in dates if d > today), default="")
        out.append((prose_date(coming) if coming else "Not planned", coming or "9999"))
    return out


def _review_dates(session: Session, reviews: Sequence[Record]) -> list[tuple[str, Any]]:
    from peerreview.review.report import visit_dates

    return [(visit_dates(r), r.get("start_date") or "") for r in reviews]


def _review_framework(session: Session, reviews: Sequence[Record]) -> list[tuple[str, Any]]:
    from peerreview.review.reviews import framework_of

    titles: dict[tuple[Any, Any], str] = {}
    out: list[tuple[str, Any]] = []
    for r in reviews:
        key = (r.get("framework_id"), r.get("framework_version"))
        if key not in titles:
            try:
                titles[key] = framework_of(session.forms, r).title
            except PeerReviewError:
                titles[key] = str(r.get("framework_id") or "")
        out.append((titles[key], titles[key]))
    return out


def _review_status(session: Session, reviews: Sequence[Record]) -> list[tuple[str, Any]]:
    from peerreview.review.reviews import effective_status

    today = dt.date.today()
    out: list[tuple[str, Any]] = []
    for r in reviews:
        status = effective_status(r, today)
        text = "Changed after agreement" if _review_note(session, r) else status.label
        out.append((text, list(type(status)).index(status)))
    return out


def plan_review(shell: Shell) -> str | None:
    """Plan a peer review of the school selected (or whose record is selected), and open it."""
    school = shell.record_in_context("school")
    if school is None:
        shell.show_message("Select the school to be reviewed first, then Ctrl+Shift+R.", 8000)
        return None
    from ui.review.new_review import NewReviewDialog

    review_id = NewReviewDialog.plan(shell.session, school, shell.dialog_parent())
    if review_id:
        shell.select_record(review_id)
    return review_id


def open_todays_visit(shell: Shell, review_id: str | None = None) -> bool:
    """Open today's review visit (or the one given) at its evidence screen, a note started."""
    from peerreview.review.reviews import todays_visits
    from ui.review.workspace import ReviewWorkspace

    visits = todays_visits(shell.session.store, dt.date.today())
    if not visits:
        shell.show_message("No review visit is under way today.", 6000)
        return False
    ids = [review.id for review, _day, _days in visits]
    chosen = review_id if review_id in ids else ids[0]
    if not shell.select_record(chosen):
        return False
    workspace = shell.current_view()
    if isinstance(workspace, ReviewWorkspace):
        workspace.start_visit()
    return True


def _todays_buttons(shell: Shell) -> Sequence[QWidget]:
    """ "Today: review of Coundon Court, day 1 of 2": the visit under way, one click away."""
    from PySide6.QtWidgets import QPushButton

    from peerreview.review.reviews import todays_visits

    session = shell.session
    buttons: list[QWidget] = []
    for review, day, days in todays_visits(session.store, dt.date.today()):
        school = session.title_of(review["school"]) if review.get("school") else "a school"
        button = QPushButton(f"Today: review of {school}, day {day} of {days}  (Ctrl+T)")
        button.setObjectName("todaysVisit")
        button.setAccessibleName(f"Open today's review of {school}")
        button.setStyleSheet("text-align: left; padding: 8px 12px; font-weight: bold;")
        button.clicked.connect(lambda _c=False, rid=review.id: open_todays_visit(shell, rid))
        buttons.append(button)
    return buttons


FEATURE_UI = FeatureUI(
    name="review",
    openers={"review": _open_review},
    notes={"review": _review_note},
    revealers={
        kind: _reveal
        for kind in (
            "evidence",
            "area_view",
            "excellence",
            "review_member",
            "review_activity",
            "enquiry_line",
        )
    },
    actions=(
        FeatureAction(
            ActionSpec(
                "plan_review",
                "&Plan a peer review…",
                ("Ctrl+Shift+R",),
                "Plan a peer review of the selected school",
            ),
            plan_review,
            MENU,
        ),
        FeatureAction(
            ActionSpec(
                "todays_visit",
                "Open &today's visit",
                ("Ctrl+T",),
                "Open the review visit that is under way today and start a note",
            ),
            open_todays_visit,
            MENU,
        ),
    ),
    # First on a school's page: planning its review is what people come to a school to do.
    buttons=(
        PageButton("plan_review", "school", order=10),
        PageButton("plan_review", "review", folder=True, order=10),  # a school's Reviews
    ),
    columns=(
        ListColumn("school", "Last review", _last_review, order=50),
        ListColumn("school", "Next review", _next_review, order=60),
        ListColumn("review", "Dates", _review_dates, order=10),
        ListColumn("review", "Framework", _review_framework, order=20),
        ListColumn("review", "Status", _review_status, order=30),
    ),
    start_widgets=_todays_buttons,
    headings={
        "review": "Peer reviews",
        "evidence": "Evidence notes",
        "area_view": "Judgements and views",
        "excellence": "Areas of excellence",
        "enquiry_line": "Lines of enquiry",
        "review_member": "Review teams",
        "review_activity": "Visit schedules",
    },
)
