"""One peer review as a tabbed page: Plan, Self-evaluation, Evidence, Judgements, Report.

The entry point the detail pane mounts when a review is selected. Above the tabs, always visible:
the school, the dates, the framework, where the review is, and who may see it (the sharing badge).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peerreview.review import reviews as rv
from peerreview.review.report import visit_dates
from peerreview.sync.records import Record
from ui.review.capture import EvidenceCapture
from ui.review.context import Clock, ReviewContext
from ui.review.judgements_tab import EXCELLENCE, JudgementsTab
from ui.review.plan_tab import PlanTab
from ui.review.report_tab import ReportTab
from ui.review.self_eval_tab import SelfEvaluationTab
from ui.review.widgets import STYLE, SharingBadge, StatusBadge, label, scrolled
from ui.shell.session import Session
from ui.shell.signals import emit
from ui.shell.worker import JobRunner

TABS = ("plan", "self_evaluation", "evidence", "judgements", "report")
_TAB_TEXT = {
    "plan": ("&Plan", "Dates, framework, focus, the team and the schedule"),
    "self_evaluation": ("&Self-evaluation", "The host school's own view of each area"),
    "evidence": ("Evi&dence", "Capture notes during the visit (Ctrl+E), visit mode (F11)"),
    "judgements": ("&Judgements", "Each area side by side; agree the outcome"),
    "report": ("Repor&t", "Status, host comments, agreement; preview, save and print"),
}


def visit_day(review: Record, today: dt.date) -> tuple[int, int] | None:
    """(n, of) when today is day n of the visit."""
    start, end = rv.as_date(review.get("start_date")), rv.as_date(review.get("end_date"))
    if start is None:
        return None
    end = end or start
    if start <= today <= end:
        return (today - start).days + 1, (end - start).days + 1
    return None


class ReviewWorkspace(QWidget):
    """Everything about one review, for the review team and the host school.

    Args:
        session: the open database (writes go through it, so they are undoable).
        review_id: the review to show.
        jobs: the window's JobRunner for writing reports (a private one is made if None).
        clock: what "now" is (tests and screenshots pass a fixed time).
    """

    #: visit mode was switched on or off (the window may hide its navigator)
    visit_mode_changed = Signal(bool)

    def __init__(
        self,
        session: Session,
        review_id: str,
        parent: QWidget | None = None,
        *,
        jobs: JobRunner | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.review_id = review_id
        self.ctx = ReviewContext(session, review_id, clock, self)
        self.jobs = jobs or JobRunner(self, session)
        self.setObjectName("reviewWorkspace")
        self.setStyleSheet(STYLE)
        self.setAccessibleName("Peer review")
        self._framework_key = self._key()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        # One heading for the page (the detail pane puts its buttons, such as Delete, in it).
        self.header = QWidget()
        head = QVBoxLayout(self.header)
        head.setContentsMargins(0, 0, 0, 0)
        head.setSpacing(2)
        top = QHBoxLayout()
        self.title = label("", "pageTitle")
        self.title.setAccessibleName("Review")
        top.addWidget(self.title, 1)
        self.today_button = QPushButton()
        self.today_button.setProperty("primary", True)
        self.today_button.setAccessibleName("Start a note for today's visit")
        self.today_button.setToolTip("Go to Evidence and start a note (Ctrl+E there)")
        self.today_button.clicked.connect(self.start_visit)
        top.addWidget(self.today_button, 0, Qt.AlignmentFlag.AlignTop)
        #: where the page's buttons go (the detail pane's Delete)
        self.heading_buttons = QHBoxLayout()
        top.addLayout(self.heading_buttons)
        head.addLayout(top)
        second = QHBoxLayout()
        self.subtitle = label("", "muted")
        second.addWidget(self.subtitle, 1)
        self.sharing_badge = SharingBadge()
        self.status_badge = StatusBadge()
        second.addWidget(self.sharing_badge, 0, Qt.AlignmentFlag.AlignBottom)
        second.addWidget(self.status_badge, 0, Qt.AlignmentFlag.AlignBottom)
        head.addLayout(second)
        layout.addWidget(self.header)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("reviewTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Review tabs")
        layout.addWidget(self.tabs, 1)
        self.visit_badge = SharingBadge()  # shown in visit mode, when the header is hidden
        self.visit_badge.hide()
        layout.addWidget(self.visit_badge, 0, Qt.AlignmentFlag.AlignRight)

        self._changed_after_agreement = False
        # Whether what the report prints still is what was agreed: checked a moment after any
        # edit of the review (it reads the whole review), shown in the header.
        self._agreement_check = QTimer(self, singleShot=True, interval=300)
        self._agreement_check.timeout.connect(self._check_agreement)
        self._build_tabs()
        self._check_agreement()
        self.ctx.record_changed.connect(self._changed)
        self.ctx.record_changed.connect(self._schedule_agreement_check)
        self.ctx.reset.connect(self.rebuild)
        session.privacy.changed.connect(self._privacy_changed)

    # ------------------------------------------------------------------ building

    def _key(self) -> tuple[Any, ...]:
        """What the tabs are built from: the framework and the areas the review leaves out."""
        review = self.ctx.review()
        return (
            review.get("framework_id"),
            review.get("framework_version"),
            tuple(review.get("areas_excluded") or ()),
        )

    def _build_tabs(self) -> None:
        ctx = self.ctx
        self.plan = PlanTab(ctx)
        self.self_evaluation = SelfEvaluationTab(ctx)
        self.capture = EvidenceCapture(ctx)
        self.capture.keys.scope = self  # Ctrl+E works from the tab bar too
        self.capture.visit_mode_changed.connect(self._visit_mode)
        self.judgements = JudgementsTab(ctx)
        self.report = ReportTab(ctx, self.jobs)
        pages: dict[str, QWidget] = {
            "plan": scrolled(self.plan),
            "self_evaluation": self.self_evaluation,
            "evidence": self.capture,
            "judgements": self.judgements,
            "report": scrolled(self.report),
        }
        for name in TABS:
            text, tip = _TAB_TEXT[name]
            index = self.tabs.addTab(pages[name], text)
            self.tabs.setTabToolTip(index, tip + " (Ctrl+Tab for the next tab)")

    #: it rebuilds itself when privacy mode changes, on the same tab, area and note (the detail
    #: pane leaves it in place)
    follows_privacy = True

    def _privacy_changed(self, _on: bool) -> None:
        self.rebuild()

    def view_state(self) -> dict[str, Any]:
        """Where the page is, beyond its tab: the area chosen, the note open and its day."""
        return {
            "area": self.judgements.current_key(),
            "note": self.capture.note_id,
            "day": self.capture.day.currentData(),
            "visit": self.capture.visit_mode,
        }

    def restore_view_state(self, state: dict[str, Any]) -> None:
        if state.get("area"):
            self.judgements.show_area(str(state["area"]))
        day = self.capture.day.findData(state.get("day"))
        if day >= 0:
            self.capture.day.setCurrentIndex(day)
        note = state.get("note")
        if note and self.session.store.exists(str(note)):
            self.capture.open_note(str(note))
        if state.get("visit"):
            self.capture.set_visit_mode(True)

    def rebuild(self) -> None:
        """Build the tabs again (the framework changed, or an import), where they were."""
        self.flush()
        current = self.tabs.currentIndex()
        state = self.view_state()
        visit = self.capture.visit_mode
        self.capture.set_visit_mode(False)
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if page is None:  # cannot happen while count() > 0; the stubs cannot know
                continue
            page.hide()
            page.setParent(None)  # gone from the tree now, not on a later turn of the loop
            page.deleteLater()
        if not self.session.store.exists(self.review_id):
            return
        self._framework_key = self._key()
        self._build_tabs()
        self.tabs.setCurrentIndex(max(current, 0))
        self.restore_view_state({**state, "visit": visit})
        self.refresh_header()

    def refresh_header(self) -> None:
        review = self.ctx.review()
        school = self.ctx.school_name()
        self.title.setText(review.get("title") or f"Peer review of {school}")
        fw = self.ctx.framework()
        self.subtitle.setText(f"{school} · {visit_dates(review)} · {fw.title}")
        self.status_badge.set_status(
            rv.effective_status(review, self.ctx.today()), changed=self._changed_after_agreement
        )
        self.sharing_badge.set_sharing(review.get("sharing"))
        self.visit_badge.set_sharing(review.get("sharing"))
        day = visit_day(review, self.ctx.today())
        if day is not None:
            self.today_button.setText(f"Today: day {day[0]} of {day[1]} · Start a note")
        self.today_button.setVisible(day is not None)

    def _schedule_agreement_check(self, *_args: object) -> None:
        self._agreement_check.start()

    def _check_agreement(self) -> None:
        from peerreview.review.report import changed_after_agreement

        review = self.ctx.review()
        self._changed_after_agreement = bool(review.get("agreed_hash")) and (
            changed_after_agreement(self.ctx.store, self.session.forms, self.review_id)
        )
        self.refresh_header()

    def changed_after_agreement(self) -> bool:
        """The report was edited after it was agreed (as the header shows)."""
        return self._changed_after_agreement

    def _changed(self, record_id: str, kind: str) -> None:
        if record_id != self.review_id:
            return
        review = self.ctx.store.get(self.review_id)
        if review.deleted:
            self.setEnabled(False)
            return
        self.setEnabled(True)
        if self._key() != self._framework_key:
            self.rebuild()
        else:
            self.refresh_header()

    # ------------------------------------------------------------------ actions

    def show_tab(self, name: str) -> None:
        """Show one tab: plan, self_evaluation, evidence, judgements or report."""
        self.tabs.setCurrentIndex(TABS.index(name))

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def reveal(self, record: Record) -> bool:
        """Show one of the review's records where it is worked on, scrolled to it: a note on the
        Evidence tab (on its day), a view on the Self-evaluation or Judgements tab, a team
        member, activity or line of enquiry on the Plan tab. False when it is not this review's.
        """
        if record.values.get("review") != self.review_id:
            return False
        kind = record.kind
        if kind == "evidence":
            self.show_tab("evidence")
            self.capture.show_note(record.id)
            return True
        if kind == "area_view":
            area = str(record.values.get("area") or "")
            if record.values.get("stage") == rv.Stage.SELF.value:
                self.show_tab("self_evaluation")
                return self.self_evaluation.show_area(area)
            self.show_tab("judgements")
            self.judgements.show_area(area)
            return True
        if kind == "excellence":
            self.show_tab("judgements")
            self.judgements.show_area(EXCELLENCE)
            return True
        table = {
            "review_member": self.plan.team_table,
            "review_activity": self.plan.schedule_table,
            "enquiry_line": self.plan.lines_table,
        }.get(kind)
        if table is None:
            return False
        self.show_tab("plan")
        return self.plan.show_row(table, record.id)

    def start_visit(self) -> None:
        """Today's visit in one step: the Evidence tab with a new note started."""
        self.show_tab("evidence")
        self.capture.start_new_note(focus=True)

    def _visit_mode(self, on: bool) -> None:
        self.header.setVisible(not on)
        self.tabs.tabBar().setVisible(not on)
        self.visit_badge.setVisible(on)
        emit(self.visit_mode_changed, on)

    def flush(self) -> None:
        """Save everything typed but not yet saved (before closing or switching record)."""
        self.session.flush()
        for page in (self.capture, self.judgements):
            page.flush()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.flush()
        super().closeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        # The detail pane hides the workspace before replacing it: nothing typed is lost.
        self.flush()
        super().hideEvent(event)
