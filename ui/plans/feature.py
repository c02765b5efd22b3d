"""Action plans in the window: the plan workspace, the improvement workshop, progress updates, the
Plans menu, buttons on a school's and an agreed review's pages, and what is due on the
partnership's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ui.shell.actions import ActionSpec
from ui.shell.registry import FeatureAction, FeatureUI, ListColumn, PageButton, Shell

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from peerreview.sync.records import Record
    from ui.shell.session import Session

MENU = "P&lans"


def _open_plan(shell: Shell, record: Record) -> QWidget:
    from ui.plans.workspace import PlanWorkspace

    return PlanWorkspace(shell.session, record.id)


def _open_with_evidence(shell: Shell, record: Record) -> QWidget:
    """A progress update's or impact review's form, with the evidence it links below it."""
    from ui.plans.evidence import EvidenceList
    from ui.shell.detail import open_editor

    editor = open_editor(shell, record)
    editor.add_panel(EvidenceList(shell.session, record.id, open_record=shell.select_record))
    return editor


def improvement_workshop(shell: Shell) -> str | None:
    """The improvement workshop of the agreed review selected (or of the plan's review)."""
    from peerreview.review.reviews import Status
    from ui.plans.workshop import WorkshopDialog

    store = shell.session.store
    review = shell.record_in_context("review")
    if review is None:
        plan = shell.record_in_context("plan")
        review = str(store.get(plan).get("review") or "") or None if plan else None
    if review is None or store.get(review).get("status") != Status.AGREED.value:
        shell.show_message(
            "Select an agreed peer review first: the workshop answers its EBIs (Ctrl+Shift+W).",
            8000,
        )
        return None
    dialog = WorkshopDialog(shell.session, review, parent=shell.dialog_parent())
    dialog.exec()
    if dialog.plan_id:
        shell.select_record(dialog.plan_id)
    return dialog.plan_id or None


def new_plan(shell: Shell) -> str | None:
    """A new action plan for the selected school, for this school year."""
    from peerreview.plans import plans as pl
    from peerreview.schoolyear import SchoolYear

    school = shell.record_in_context("school")
    if school is None:
        shell.show_message("Select the school the plan is for first.", 8000)
        return None
    store = shell.session.store
    year = SchoolYear.of(dt.date.today())
    made = shell.session.create_with(
        lambda: pl.create_plan(store, school, school_year=year), "plan", "action plan"
    )
    if made:
        shell.select_record(made)
    return made


def new_support(shell: Shell) -> str | None:
    """Record support brokered for the selected school, and open it to fill in."""
    school = shell.record_in_context("school")
    if school is None:
        shell.show_message("Select the school the support is for first.", 8000)
        return None
    return shell.new_record(
        "support",
        {
            "school": school,
            "provider_type": "external",
            "purpose": "What the support is for",
            "status": "proposed",
            "start_date": dt.date.today().isoformat(),
        },
    )


def new_impact_review(shell: Shell) -> str | None:
    """Plan an impact review of the selected plan (dated a term ahead), and open it."""
    from peerreview.schoolyear import Term

    plan = shell.record_in_context("plan")
    if plan is None:
        shell.show_message("Select the action plan to review the impact of first.", 8000)
        return None
    store = shell.session.store
    return shell.new_record(
        "impact_review",
        {
            "plan": plan,
            "school": store.get(plan).get("school"),
            "date": Term.of(dt.date.today()).next().first_day.isoformat(),
        },
    )


def progress_update(shell: Shell) -> str | None:
    """A progress update of the action chosen in the plan (or selected in the navigator)."""
    from ui.plans.action_panel import ActionPanel
    from ui.plans.update_dialog import ProgressUpdateDialog
    from ui.plans.workspace import PlanWorkspace

    view = shell.current_view()
    action: str | None = None
    if isinstance(view, PlanWorkspace) and isinstance(view.panel, ActionPanel):
        action = view.panel.action_id
    action = action or shell.record_in_context("action")
    if action is None:
        shell.show_message("Choose an action of a plan first, then Ctrl+U.", 8000)
        return None
    dialog = ProgressUpdateDialog(shell.session, action, parent=shell.dialog_parent())
    dialog.exec()
    return dialog.update_id


def export_actions(shell: Shell) -> None:
    """Every action (of the schools this laptop works with) as a CSV Excel opens."""
    from PySide6.QtWidgets import QFileDialog

    from peerreview.plans.due import action_lines, my_schools, write_actions_csv

    path, _ = QFileDialog.getSaveFileName(
        shell.dialog_parent(), "Export actions", "actions.csv", "CSV (*.csv)"
    )
    if not path:
        return
    store = shell.session.store
    lines = action_lines(store, schools=my_schools(store))
    write_actions_csv(path, lines, dt.date.today())
    shell.show_message(f"Wrote {len(lines)} actions to {path}.")


def _report(shell: Shell, kind: str) -> None:
    from ui.shell.saving import save_report

    store = shell.session.store
    if kind == "plan":
        plan = shell.record_in_context("plan")
        if plan is None:
            shell.show_message("Select an action plan first.", 8000)
            return
        save_report(shell, "plan", record_id=plan, name=store.title(plan))
    else:
        school = shell.record_in_context("school")
        if school is None:
            shell.show_message("Select the school first.", 8000)
            return
        save_report(shell, "governors", school=school, name="Governors' summary")


def _due(shell: Shell) -> Sequence[QWidget]:
    from ui.plans.due import DueActions

    return [DueActions(shell.session, open_record=shell.select_record)]


def _open_actions(session: Session, schools: Sequence[Record]) -> list[tuple[str, Any]]:
    """How many of a school's actions are still open (the Schools page's column), in one read."""
    from peerreview.plans.plans import ActionStatus

    ids = tuple(s.id for s in schools)
    counts: dict[str, int] = {}
    for school, status in session.store.rows("action", ["school", "status"], where={"school": ids}):
        if ActionStatus.of(status).open:
            counts[str(school)] = counts.get(str(school), 0) + 1
    return [(str(counts.get(s.id, 0)), counts.get(s.id, 0)) for s in schools]


FEATURE_UI = FeatureUI(
    name="plans",
    columns=(ListColumn("school", "Open actions", _open_actions, order=70),),
    openers={
        "plan": _open_plan,
        "progress_update": _open_with_evidence,
        "impact_review": _open_with_evidence,
    },
    actions=(
        FeatureAction(
            ActionSpec(
                "improvement_workshop",
                "Improvement &workshop…",
                ("Ctrl+Shift+W",),
                "Give every EBI of the selected agreed review a response in the school's plan",
            ),
            improvement_workshop,
            MENU,
        ),
        FeatureAction(
            ActionSpec(
                "progress_update",
                "Add a progress &update…",
                ("Ctrl+U",),
                "Record what has changed on the chosen action, and its RAG rating now",
            ),
            progress_update,
            MENU,
        ),
        FeatureAction(
            ActionSpec("new_plan", "New action &plan", (), "Start an action plan for the school"),
            new_plan,
            MENU,
        ),
        FeatureAction(
            ActionSpec(
                "new_impact_review",
                "Plan an &impact review",
                (),
                "A dated check of what changed, a term ahead (fill in what it found on the day)",
            ),
            new_impact_review,
            MENU,
        ),
        FeatureAction(
            ActionSpec(
                "new_support",
                "Record &support…",
                (),
                "Support brokered or commissioned for the school: who, what for, when, cost",
            ),
            new_support,
            MENU,
        ),
        FeatureAction(
            ActionSpec("plan_report", "Action plan &report…", (), "The whole plan as PDF or Word"),
            lambda shell: _report(shell, "plan"),
            MENU,
        ),
        FeatureAction(
            ActionSpec(
                "governors_report",
                "&Governors' summary…",
                (),
                "One page for governors: RAG counts and movement, due, overdue, impact",
            ),
            lambda shell: _report(shell, "governors"),
            MENU,
        ),
        FeatureAction(
            ActionSpec(
                "export_actions", "Export actions as &CSV…", (), "Actions with owners by role"
            ),
            export_actions,
            MENU,
        ),
    ),
    buttons=(
        PageButton("new_plan", "school", order=20),
        PageButton("improvement_workshop", "review", order=20),
        PageButton("plan_report", "plan", order=10),
        PageButton("new_plan", "plan", folder=True, order=10),
        PageButton("new_support", "support", folder=True, order=10),
        PageButton("new_impact_review", "impact_review", folder=True, order=10),
    ),
    start_widgets=_due,
    icons={"plan": "folder", "support": "group"},
    headings={"plan": "Action plans", "action": "Actions", "priority": "Priorities"},
)
