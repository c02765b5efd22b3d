"""One lesson-study cycle as a tabbed page: Cycle, Plan, Observe, Interviews, Discussion,
Outcomes. The research lesson the Plan, Observe, Interviews and Discussion tabs show is chosen
above them; "Start research lesson N" makes the next one from the last (stages and objective
copied, its "what we will change" beside the new grid)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peerreview.lessonstudy import cycles as cy
from peerreview.reports.model import long_date
from ui.lessonstudy.context import STYLE, CycleContext, label
from ui.lessonstudy.discussion import DiscussionTab, InterviewsTab
from ui.lessonstudy.observe import ObserveTab
from ui.lessonstudy.outcomes import OutcomesTab
from ui.lessonstudy.overview import CycleTab
from ui.lessonstudy.plan import PlanTab
from ui.shell.session import Session
from ui.shell.signals import emit
from ui.shell.worker import JobRunner

TABS = ("cycle", "plan", "observe", "interviews", "discussion", "outcomes")
_TAB_TEXT = {
    "cycle": ("&Cycle", "The focus, the team, the schools and the case pupils"),
    "plan": ("&Plan", "The prediction grid: stages down, case pupils across"),
    "observe": ("O&bserve", "Notes on each case pupil at each stage; observation mode (F11)"),
    "interviews": ("&Interviews", "The pupil interviews straight after the lesson"),
    "discussion": ("&Discussion", "The post-lesson discussion, pupil by pupil"),
    "outcomes": ("O&utcomes", "What the team learned; the workbook and the summary"),
}


def lesson_text(lesson: object) -> str:
    from peerreview.sync.records import Record

    assert isinstance(lesson, Record)
    date = lesson.get("date")
    when = long_date(dt.date.fromisoformat(date)) if date else "date to be agreed"
    return f"Research lesson {lesson.get('number', '?')}: {when}"


class CycleWorkspace(QWidget):
    """Everything about one lesson-study cycle, for the team planning, observing and discussing.

    Args:
        session: the open database (every edit goes through it, so it is undoable).
        cycle_id: the cycle to show.
        jobs: the window's JobRunner for writing reports (a private one is made if None).
        clock: what "now" is for observation notes (tests and screenshots pass a fixed time).
    """

    #: observation mode was switched on or off (the window may hide its navigator)
    observation_mode_changed = Signal(bool)

    def __init__(
        self,
        session: Session,
        cycle_id: str,
        parent: QWidget | None = None,
        *,
        jobs: JobRunner | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.ctx = CycleContext(session, cycle_id, self)
        self.jobs = jobs or JobRunner(self, session)
        self.setObjectName("cycleWorkspace")
        self.setStyleSheet(STYLE)
        self.setAccessibleName("Lesson-study cycle")

        # The detail pane names the cycle above this; here, one row: which lesson, and the stage.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.lesson_bar = QWidget()
        bar = QHBoxLayout(self.lesson_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(label("Research lesson", "muted"))
        self.lesson_box = QComboBox()
        self.lesson_box.setAccessibleName("Research lesson shown")
        self.lesson_box.setMinimumContentsLength(28)
        self.lesson_box.activated.connect(self._lesson_chosen)
        bar.addWidget(self.lesson_box)
        self.next_button = QPushButton()
        self.next_button.setToolTip(
            "A new plan copied from the last lesson: its stages and objective, with its "
            '"what we will change" beside the grid'
        )
        self.next_button.clicked.connect(self.start_next_lesson)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        self.status = label("")
        self.status.setProperty("badge", True)
        self.status.setAccessibleName("Stage of the cycle")
        bar.addWidget(self.status)
        layout.addWidget(self.lesson_bar)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("cycleTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Cycle tabs")
        layout.addWidget(self.tabs, 1)
        # Each tab is built the first time it is shown: opening a cycle builds only the one seen.
        self._clock = clock
        self._pages: dict[str, QWidget] = {}
        self._holders: dict[str, QWidget] = {}
        for name in TABS:
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            self._holders[name] = holder
            text, tip = _TAB_TEXT[name]
            index = self.tabs.addTab(holder, text)
            self.tabs.setTabToolTip(index, tip)
        self.tabs.currentChanged.connect(lambda index: self._page(TABS[index]))
        session.record_changed.connect(self._changed)
        session.records_reset.connect(self.refresh)
        self.refresh()
        # Where a team usually is: planning the newest lesson.
        first = TABS.index("plan") if self.ctx.lesson_id else 0
        self.tabs.setCurrentIndex(first)
        self._page(TABS[first])

    # ------------------------------------------------------------------ the tabs

    def _page(self, name: str) -> QWidget:
        page = self._pages.get(name)
        if page is None:
            page = self._make(name)
            self._pages[name] = page
            holder = self._holders[name]
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(page)
            page.show()  # at once: its shortcuts work from the first key
        return page

    def current_page(self) -> QWidget:
        """The tab shown now (built if it was not yet)."""
        return self._page(TABS[self.tabs.currentIndex()])

    def _make(self, name: str) -> QWidget:
        # A table of the tabs by their ids (a tab's id may be a word another feature's kind is
        # called, "plan"; it names a tab here, not a kind).
        ctx = self.ctx
        builders: dict[str, Callable[[], QWidget]] = {
            "cycle": lambda: CycleTab(ctx),
            "plan": lambda: PlanTab(ctx),
            "observe": self._observe_tab,
            "interviews": lambda: InterviewsTab(ctx),
            "discussion": lambda: DiscussionTab(ctx),
        }
        return builders.get(name, lambda: OutcomesTab(ctx, self.jobs))()

    def _observe_tab(self) -> QWidget:
        tab = ObserveTab(self.ctx, clock=self._clock)
        tab.observation_mode_changed.connect(self._observation_mode)
        return tab

    @property
    def cycle_tab(self) -> CycleTab:
        page = self._page("cycle")
        assert isinstance(page, CycleTab)
        return page

    @property
    def plan_tab(self) -> PlanTab:
        page = self._page("plan")
        assert isinstance(page, PlanTab)
        return page

    @property
    def observe_tab(self) -> ObserveTab:
        page = self._page("observe")
        assert isinstance(page, ObserveTab)
        return page

    @property
    def interviews_tab(self) -> InterviewsTab:
        page = self._page("interviews")
        assert isinstance(page, InterviewsTab)
        return page

    @property
    def discussion_tab(self) -> DiscussionTab:
        page = self._page("discussion")
        assert isinstance(page, DiscussionTab)
        return page

    @property
    def outcomes_tab(self) -> OutcomesTab:
        page = self._page("outcomes")
        assert isinstance(page, OutcomesTab)
        return page

    # ------------------------------------------------------------------ the header

    def refresh(self) -> None:
        cycle = self.ctx.cycle()
        self.status.setText(cy.Status.of(cycle).label)
        lessons = self.ctx.lessons()
        self.lesson_box.clear()
        for lesson in lessons:
            self.lesson_box.addItem(lesson_text(lesson), lesson.id)
        if self.ctx.lesson_id is not None:
            self.lesson_box.setCurrentIndex(max(0, self.lesson_box.findData(self.ctx.lesson_id)))
        number = (lessons[-1].get("number", len(lessons)) if lessons else 0) + 1
        self.next_button.setText(f"Start research lesson {number}")
        self.next_button.setVisible(number <= cy.MAX_LESSONS)

    def _changed(self, record: str, kind: str) -> None:
        if kind in ("cycle", "research_lesson", "cycle_part"):
            self.refresh()

    def _lesson_chosen(self, index: int) -> None:
        lesson = self.lesson_box.itemData(index)
        if lesson:
            self.flush()
            self.ctx.choose_lesson(str(lesson))

    def show_lesson(self, lesson_id: str) -> None:
        self.flush()
        self.ctx.choose_lesson(lesson_id)
        self.refresh()

    def start_next_lesson(self) -> str | None:
        """The next research lesson, pre-filled from the last; opens its plan."""
        self.flush()
        session, cycle = self.session, self.ctx.cycle_id
        made = session.create_with(
            lambda: cy.next_lesson(session.store, cycle), "research_lesson", "research lesson"
        )
        if made:
            self.show_lesson(made)
            self.tabs.setCurrentIndex(TABS.index("plan"))
        return made

    def _observation_mode(self, on: bool) -> None:
        # Only the stage and the pupils: room for large text at the back of a classroom.
        self.tabs.tabBar().setVisible(not on)
        self.lesson_bar.setVisible(not on)
        emit(self.observation_mode_changed, on)

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(name))

    def flush(self) -> None:
        """Save what is being typed (before another lesson, a job, closing)."""
        for page in self._pages.values():
            save = getattr(page, "flush", None) or getattr(page, "save", None)
            if save is not None:
                save()
