"""The action plans feature: its kinds, folders, names, reports, links, command and demo."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from peerreview.plans import kinds
from peerreview.sync.records import Record
from peerreview.sync.registry import (
    Command,
    Description,
    Event,
    Feature,
    Folder,
    FollowUp,
    ReportBuilder,
    ReportRequest,
)
from peerreview.sync.store import Store

if TYPE_CHECKING:
    from peerreview.forms import FormLibrary
    from peerreview.reports.model import Report
    from peerreview.sync.registry import DemoContext


def _title_of(store: Store, record_id: object) -> str:
    return store.title(record_id) if isinstance(record_id, str) and store.exists(record_id) else ""


def _within(store: Store, record: Record, parent_field: str) -> str:
    """Whose a plan's part is, and what it belongs to ("Kineton Academy · Action plan 2024-25"):
    plans' titles repeat from school to school, so a list of them names the school first."""
    titles = (_title_of(store, record.get("school")), _title_of(store, record.get(parent_field)))
    return " · ".join(t for t in titles if t)


def _plan(store: Store, record: Record, hide_names: bool) -> Description:
    from peerreview.plans.plans import PlanStatus  # the rules load when a plan is first shown

    title = str(record.get("title") or "Action plan")
    status = PlanStatus(record.get("status") or "draft").label
    return Description(f"{title} · {status}", _title_of(store, record.get("school")), short=title)


def _priority(store: Store, record: Record, hide_names: bool) -> Description:
    return Description(str(record.get("title") or "Priority"), _within(store, record, "plan"))


def _action(store: Store, record: Record, hide_names: bool) -> Description:
    from peerreview.plans.plans import ActionStatus, Rag

    title = str(record.get("title") or "Action")
    status = ActionStatus.of(record.get("status"))
    rag = Rag.of(record.get("rag"))
    state = " · ".join(x for x in (status.label, rag.label if rag and status.open else "") if x)
    return Description(
        title, _within(store, record, "priority"), label=f"{title} ({state})", short=title
    )


def _criterion(store: Store, record: Record, hide_names: bool) -> Description:
    return Description(
        str(record.get("text") or "Success criterion"), _title_of(store, record.get("action"))
    )


def _update(store: Store, record: Record, hide_names: bool) -> Description:
    from peerreview.plans.plans import date_text

    when = date_text(record.get("date"), "undated")
    return Description(f"Progress update, {when}", _title_of(store, record.get("action")))


def _impact(store: Store, record: Record, hide_names: bool) -> Description:
    from peerreview.plans.plans import date_text

    when = date_text(record.get("date"), "undated")
    return Description(f"Impact review, {when}", _title_of(store, record.get("plan")))


def _response(store: Store, record: Record, hide_names: bool) -> Description:
    return Description(
        f"Response to an EBI ({record.get('area') or 'area'})",
        _title_of(store, record.get("review")),
    )


def _support(store: Store, record: Record, hide_names: bool) -> Description:
    provider = str(record.get("provider") or "a provider")
    return Description(f"Support from {provider}", str(record.get("purpose") or ""))


def _plan_report(store: Store, library: FormLibrary, request: ReportRequest) -> Report:
    from peerreview.plans.report import build_plan_report

    assert request.record_id is not None
    return build_plan_report(store, library, request.record_id, today=request.today)


def _governors_report(store: Store, library: FormLibrary, request: ReportRequest) -> Report:
    from peerreview.errors import ValidationError
    from peerreview.plans.report import build_governors_report

    if request.school is None:
        raise ValidationError("Say which school the governors' summary is for (--school URN).")
    return build_governors_report(store, library, request.school, today=request.today)


def _demo(store: Store, ctx: DemoContext) -> dict[str, int]:
    from peerreview.plans.demo import build

    return build(store, ctx)


# What other features and the command line ask of plans: imported when first asked, so that
# opening the app does not load the workshop's rules and the review feature's with them.


def _follow_ups(store: Store, view: str) -> Sequence[FollowUp]:
    from peerreview.plans.links import ebi_follow_ups

    return ebi_follow_ups(store, view)


def _events(store: Store, start: dt.date | None, end: dt.date | None) -> Iterable[Event]:
    from peerreview.plans.links import events

    return events(store, start, end)


def _configure_actions(parser: argparse.ArgumentParser) -> None:
    from peerreview.plans.cli import configure

    configure(parser)


def _run_actions(args: argparse.Namespace, store: Store) -> int:
    from peerreview.plans.cli import run

    return run(args, store)


FEATURE = Feature(
    name="plans",
    title="Action plans",
    kinds=kinds.KINDS,
    migrations=kinds.MIGRATIONS,
    folders=(
        Folder(
            "school",
            "plan",
            "Action plans",
            link_field="school",
            empty_text="No action plan yet. Hold the improvement workshop from an agreed review, "
            "or start one with Plans → New action plan.",
            what=("action plan", "action plans"),
        ),
        Folder(
            "school",
            "support",
            "Support",
            link_field="school",
            empty_text="No support brokered for this school yet.",
            what=("support arrangement", "support arrangements"),
        ),
        Folder(
            "plan", "priority", "Priorities", link_field="plan", what=("priority", "priorities")
        ),
        Folder(
            "plan",
            "impact_review",
            "Impact reviews",
            link_field="plan",
            what=("impact review", "impact reviews"),
        ),
        Folder("priority", "action", "Actions", link_field="priority", what=("action", "actions")),
        Folder(
            "action",
            "criterion",
            "Success criteria",
            link_field="action",
            what=("success criterion", "success criteria"),
        ),
        Folder(
            "action",
            "progress_update",
            "Progress updates",
            link_field="action",
            what=("progress update", "progress updates"),
        ),
    ),
    describers={
        "plan": _plan,
        "priority": _priority,
        "action": _action,
        "criterion": _criterion,
        "progress_update": _update,
        "impact_review": _impact,
        "ebi_response": _response,
        "support": _support,
    },
    reports=(
        ReportBuilder("plan", "A school's action plan", _plan_report, record_kind="plan"),
        ReportBuilder(
            "governors",
            "Governors' one-page summary of the plan",
            _governors_report,
            of_school=True,
        ),
    ),
    demo=_demo,
    demo_weight=2,
    follow_ups={"area_view": _follow_ups},
    events=_events,
    commands=(
        Command(
            "actions",
            "List actions with school, owner's role, due date and status (or as CSV).",
            _configure_actions,
            _run_actions,
        ),
    ),
)
