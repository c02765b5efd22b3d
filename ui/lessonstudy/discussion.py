"""The post-lesson discussion, in the order it is held: the teacher's remarks, the research
question, the evidence pupil by pupil (each observer's notes against the prediction, read from the
merged grid), only then the teaching, the knowledgeable other's final comments, and what the team
will change, which the next lesson's plan shows beside its grid. Also the pupil interviews."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peerreview.forms import Field
from peerreview.lessonstudy import cycles as cy
from peerreview.lessonstudy import grid as lg
from peerreview.sync.grids import cell_field
from ui.lessonstudy.context import (
    CycleContext,
    FormPanel,
    card,
    clear_layout,
    label,
    scrolling,
)
from ui.lessonstudy.observe import read_cells, stage_title
from ui.shell.binding import Binding, LineBinding, TextBinding
from ui.shell.fields import GrowingTextEdit

#: The discussion's own fields, in the order they come up (others of a form come after).
REMARKS, TEACHING, FINAL, LEARNED, NEXT = (
    "teacher_remarks",
    "discussion_teaching",
    "final_comments",
    "learned",
    "next_changes",
)


class DiscussionTab(QWidget):
    """The steps of the discussion down the side; the step being discussed beside them."""

    def __init__(self, ctx: CycleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.panels: list[FormPanel] = []
        self.bindings: list[Binding[Any]] = []
        self.pupil_pages: dict[str, QGridLayout] = {}
        self.outer = QHBoxLayout(self)
        self.outer.setContentsMargins(0, 8, 0, 0)
        self.steps = QListWidget()
        self.steps.setFixedWidth(250)
        self.steps.setWordWrap(True)
        self.steps.setSpacing(3)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setAccessibleName("Steps of the discussion")
        self.pages = QStackedWidget()
        self.outer.addWidget(self.steps)
        self.outer.addWidget(self.pages, 1)
        self.steps.currentRowChanged.connect(self.pages.setCurrentIndex)
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.go(self.steps.currentRow() + s))
        ctx.lesson_changed.connect(lambda _l: self.rebuild())
        ctx.session.record_changed.connect(self._changed)
        ctx.session.records_reset.connect(self.refresh_evidence)
        self.rebuild()

    def go(self, row: int) -> None:
        if 0 <= row < self.steps.count():
            self.steps.setCurrentRow(row)

    def step_titles(self) -> list[str]:
        return [self.steps.item(i).text() for i in range(self.steps.count())]

    # ------------------------------------------------------------------ building

    def _page(self, title: str, help_text: str = "") -> QVBoxLayout:
        body = QWidget()
        box = QVBoxLayout(body)
        box.setContentsMargins(8, 0, 8, 8)
        heading = label(title, "pageTitle")
        box.addWidget(heading)
        if help_text:
            box.addWidget(label(help_text, "help"))
        self.pages.addWidget(scrolling(body))
        self.steps.addItem(f"{self.steps.count() + 1}. {title}")
        return box

    def _fields(self, box: QVBoxLayout, fields: list[Field]) -> None:
        lesson = self.ctx.lesson()
        if lesson is None or not fields:
            return
        panel = FormPanel(self.ctx.session, lesson, self.ctx.form, fields)
        self.panels.append(panel)
        box.addWidget(panel)

    def rebuild(self) -> None:
        self.save()
        self.steps.clear()
        while self.pages.count():
            page = self.pages.widget(0)
            if page is None:
                break
            self.pages.removeWidget(page)
            page.deleteLater()
        self.panels, self.bindings, self.pupil_pages = [], [], {}
        lesson = self.ctx.lesson()
        if lesson is None:
            self._page("No research lesson yet")
            return
        section = next(
            iter(self.ctx.proforma.sections("research_lesson", only=(cy.DISCUSSION_SECTION,))), None
        )
        fields = {f.id: f for f in (section.fields if section else ())}
        number = lesson.get("number", "")
        box = self._page(
            "Thanks, and the teacher's remarks",
            "Thank the teacher; then they say how it felt and where the lesson left the plan.",
        )
        self._fields(box, [fields[REMARKS]] if REMARKS in fields else [])
        box.addStretch(1)
        cycle = self.ctx.cycle()
        box = self._page("The research question", "A reminder of what the team set out to learn.")
        for key in ("research_question", "focus"):
            text = cycle.get(key, "")
            if text:
                shown = label(text, "big" if key == "research_question" else "")
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                box.addWidget(shown)
        box.addStretch(1)
        real = self.ctx.real_names()
        for pupil in self.ctx.pupils():
            title = f"Evidence on {self.ctx.pupil_label(pupil, real)}"
            box = self._page(
                title,
                "Each observer's evidence against the prediction, stage by stage, from the "
                "merged grid. Specific, not impressionistic; the teaching comes later.",
            )
            frame, inner = card()
            evidence = QGridLayout()
            evidence.setColumnStretch(1, 2)
            evidence.setColumnStretch(2, 3)
            evidence.setHorizontalSpacing(14)
            inner.addLayout(evidence)
            box.addWidget(frame)
            self.pupil_pages[pupil.id] = evidence
            frame, inner = card("What the evidence showed, against the prediction")
            edit = GrowingTextEdit(3, 10)
            name = cell_field(
                lg.lesson_name(self.ctx.store, lesson, lg.EVIDENCE), lg.EVIDENCE_ROW, pupil.id
            )
            self.bindings.append(
                TextBinding(
                    self.ctx.session,
                    edit,
                    name,
                    record=lesson,
                    label=f"evidence on {cy.pupil_label(pupil)}",
                    kind="research_lesson",
                )
            )
            inner.addWidget(edit)
            box.addWidget(frame)
            box.addStretch(1)
        for key, title, help_text in (
            (TEACHING, "The teaching", "Only now, after every case pupil."),
            (FINAL, "The knowledgeable other's final comments", "Last, as the discussion closes."),
        ):
            box = self._page(title, help_text)
            self._fields(box, [fields[key]] if key in fields else [])
            box.addStretch(1)
        box = self._page(
            f"What we learned, and what we will change for research lesson {number + 1}"
            if isinstance(number, int) and number < cy.MAX_LESSONS
            else "What we learned, and what we would change",
            "What changes is shown beside the next lesson's grid when it is planned.",
        )
        known = {REMARKS, TEACHING, FINAL, lg.EVIDENCE}
        rest = [f for f in (section.fields if section else ()) if f.id not in known]
        self._fields(box, rest)
        box.addStretch(1)
        self.refresh_evidence()
        self.steps.setCurrentRow(0)

    def refresh_evidence(self) -> None:
        """Each pupil's predictions and observed notes, stage by stage, as merged now."""
        stages, _pupils, cells = read_cells(self.ctx)
        for pupil_id, grid in self.pupil_pages.items():
            clear_layout(grid)
            for column, heading in enumerate(("Stage", "Predicted", "Observed")):
                grid.addWidget(label(heading, "eyebrow"), 0, column)
            for n, stage in enumerate(stages, start=1):
                cell = cells.get((stage.id, pupil_id))
                notes = "\n".join(cell.lines()) if cell and cell.notes else "Not observed."
                predicted = label(cell.prediction if cell and cell.prediction else "—", "muted")
                observed = label(notes)
                observed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                top = Qt.AlignmentFlag.AlignTop
                grid.addWidget(label(stage_title(stage, n), "cardTitle"), n, 0, top)
                grid.addWidget(predicted, n, 1, top)
                grid.addWidget(observed, n, 2, top)
            if not stages:
                grid.addWidget(label("No stages yet.", "muted"), 1, 0)

    def evidence_text(self, pupil: str) -> str:
        """What a pupil's evidence page shows, as text (for tests and screen readers)."""
        grid = self.pupil_pages[pupil]
        texts = []
        for i in range(grid.count()):
            item = grid.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                texts.append(widget.text())
        return "\n".join(texts)

    def _changed(self, _record: str, kind: str) -> None:
        if kind in ("observation", "lesson_stage", "research_lesson"):
            self.refresh_evidence()
        elif kind == "case_pupil":
            self.rebuild()

    def save(self) -> None:
        for panel in self.panels:
            panel.save()
        for b in self.bindings:
            b.save()


class InterviewsTab(QWidget):
    """The questions prepared for the pupil interviews, and each case pupil's answers."""

    def __init__(self, ctx: CycleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bindings: list[Binding[Any]] = []
        self.panel: FormPanel | None = None
        self._questions: list[str] = []
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(0, 8, 0, 0)
        self.body: QWidget | None = None
        ctx.lesson_changed.connect(lambda _l: self.rebuild())
        ctx.session.record_changed.connect(self._changed)
        self.rebuild()

    def rebuild(self) -> None:
        self.save()
        if self.body is not None:
            self.outer.removeWidget(self.body)
            self.body.deleteLater()
        self.bindings, self.panel = [], None
        self.body = QWidget()
        box = QVBoxLayout(self.body)
        box.setContentsMargins(0, 0, 8, 8)
        self.outer.addWidget(scrolling(self.body))
        lesson = self.ctx.lesson()
        if lesson is None:
            return
        frame, inner = card("Questions")
        inner.addWidget(
            label("Asked of each case pupil for a few minutes straight after the lesson.", "help")
        )
        self._questions = []
        for q in cy.questions(self.ctx.store, lesson.id):
            edit = QLineEdit()
            edit.setAccessibleName("Interview question")
            self.bindings.append(
                LineBinding(
                    self.ctx.session,
                    edit,
                    "text",
                    record=q,
                    label="question",
                    kind="interview_question",
                )
            )
            inner.addWidget(edit)
            self._questions.append(q.id)
        add = QPushButton("Add a &question")
        add.clicked.connect(self.add_question)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        inner.addLayout(row)
        box.addWidget(frame)
        field = next(
            (
                f
                for s in self.ctx.proforma.sections("research_lesson")
                for f in s.fields
                if f.id == lg.ANSWERS
            ),
            None,
        )
        if field is not None:
            frame, inner = card(field.label)
            self.panel = FormPanel(
                self.ctx.session, lesson, self.ctx.form, [field], grid_captions=False
            )
            inner.addWidget(self.panel)
            box.addWidget(frame)
        box.addStretch(1)

    def add_question(self) -> str | None:
        lesson = self.ctx.lesson_id
        if lesson is None:
            return None
        session = self.ctx.session
        return session.create_with(
            lambda: cy.add_question(session.store, lesson, "New question"),
            "interview_question",
            "question",
        )

    def _changed(self, record: str, kind: str) -> None:
        if kind == "interview_question":
            lesson = self.ctx.lesson()
            current = [q.id for q in cy.questions(self.ctx.store, lesson.id)] if lesson else []
            if current != self._questions:
                self.rebuild()

    def save(self) -> None:
        for b in self.bindings:
            b.save()
        if self.panel is not None:
            self.panel.save()
