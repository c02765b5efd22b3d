"""Lesson study in the window: the cycle workspace that opens a cycle, the Lesson study menu
(start a cycle at the selected school, observe the lesson being taught), a folder page button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.shell.actions import ActionSpec
from ui.shell.registry import FeatureAction, FeatureUI, PageButton, Shell, StartSummary

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from peerreview.sync.records import Record
    from ui.shell.session import Session

MENU = "&Lesson study"


def _open_cycle(shell: Shell, record: Record) -> QWidget:
    from ui.lessonstudy.workspace import CycleWorkspace

    return CycleWorkspace(shell.session, record.id, jobs=shell.jobs)


def start_cycle(shell: Shell) -> str | None:
    """Start a lesson-study cycle at the school selected (or whose record is selected)."""
    school = shell.record_in_context("school")
    if school is None:
        shell.show_message("Select the school that leads the cycle first, then Ctrl+Shift+L.", 8000)
        return None
    from ui.lessonstudy.new_cycle import NewCycleDialog

    cycle = NewCycleDialog.start_cycle(shell.session, school, shell.dialog_parent())
    if cycle:
        shell.select_record(cycle)
    return cycle


def observe(shell: Shell) -> bool:
    """Open the cycle selected (or the one a selected record belongs to) at its Observe tab, in
    observation mode."""
    from ui.lessonstudy.workspace import CycleWorkspace

    cycle = shell.record_in_context("cycle")
    if cycle is None:
        shell.show_message("Select the lesson-study cycle being observed first.", 6000)
        return False
    if not shell.select_record(cycle):
        return False
    workspace = shell.current_view()
    if not isinstance(workspace, CycleWorkspace):
        return False
    workspace.show_tab("observe")
    if not workspace.observe_tab.observation_mode:
        workspace.observe_tab.mode_button.toggle()
    return True


def _summary(session: Session) -> StartSummary:
    store = session.store
    n = store.count("cycle")
    if n == 0:
        return StartSummary(
            ("No lesson-study cycles yet: select a school and start one (Ctrl+Shift+L).",)
        )
    return StartSummary((f"{n:,} lesson-study cycle{'s' if n != 1 else ''} across the schools.",))


FEATURE_UI = FeatureUI(
    name="lessonstudy",
    openers={"cycle": _open_cycle},
    actions=(
        FeatureAction(
            ActionSpec(
                "start_cycle",
                "&Start a lesson-study cycle…",
                ("Ctrl+Shift+L",),
                "Start a lesson-study cycle led by the selected school",
            ),
            start_cycle,
            MENU,
        ),
        FeatureAction(
            ActionSpec(
                "observe_lesson",
                "&Observe the research lesson",
                ("Ctrl+Shift+O",),
                "Open the selected cycle in observation mode: one stage at a time, large text",
            ),
            observe,
            MENU,
        ),
    ),
    # On the page of a school's Lesson study folder (the menu and Ctrl+Shift+L work anywhere).
    buttons=(PageButton("start_cycle", "cycle", folder=True),),
    summary=_summary,
    icons={"cycle": "cycle"},
    headings={"cycle": "Lesson-study cycles", "observation": "Observation notes"},
)
