"""The plan of a research lesson: the prediction grid (stages down, case pupils across), filled
like a spreadsheet, with last lesson's "what we will change" beside it; the stage being planned;
who teaches, observes and is the knowledgeable other."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from peerreview.lessonstudy import cycles as cy
from peerreview.lessonstudy import grid as lg
from peerreview.sync.grids import cell_field
from ui.lessonstudy.context import CycleContext, FormPanel, card, label, scrolling
from ui.shell.binding import Binding, ComboBinding
from ui.shell.flip import Flip
from ui.shell.grid import GridBinding
from ui.shell.signals import emit

PLAN = "plan"
STAGES = "stages"


class PlanTab(QWidget):
    """One research lesson's plan (rebuilt when another lesson is chosen)."""

    def __init__(self, ctx: CycleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.grid: GridBinding | None = None
        self.stage_panel: FormPanel | None = None
        self.lesson_panel: FormPanel | None = None
        self.role_bindings: list[Binding[Any]] = []
        self._stage_id: str | None = None
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(0, 8, 0, 0)
        self.body: QWidget | None = None
        ctx.lesson_changed.connect(lambda _l: self.rebuild())
        ctx.session.record_changed.connect(self._changed)
        self.rebuild()

    # ------------------------------------------------------------------ building

    def rebuild(self) -> None:
        self.save()
        if self.body is not None:
            self.outer.removeWidget(self.body)
            self.body.deleteLater()
        self.grid, self.stage_panel, self.lesson_panel = None, None, None
        self.role_bindings = []
        self._stage_id = None
        self.body = QWidget()
        self.outer.addWidget(self.body)
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.body)
        row.setContentsMargins(0, 0, 0, 0)
        # The lesson's notes beside the grid on a wide screen, under it on a laptop's (the
        # grid keeps the width its case pupils need).
        self.flip = Flip(self.body, row, 1000, spacing=8)
        lesson = self.ctx.lesson()
        if lesson is None:
            row.addWidget(label("This cycle has no research lesson yet.", "muted"))
            return
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 8, 8)
        column.setSpacing(10)
        row.addWidget(scrolling(left), 1)
        side = QWidget()
        side.setFixedWidth(230)
        side_box = QVBoxLayout(side)
        side_box.setContentsMargins(0, 0, 0, 0)
        side_area = scrolling(side)
        side_area.setMinimumWidth(side.width() + 16)  # its column whole, never scrolled sideways
        row.addWidget(side_area)

        form, session = self.ctx.form, self.ctx.session
        # The prediction grid first: it is the screen (UX moment 3).
        field = _field(form, lg.PREDICTIONS)
        frame, box = card(field.label if field else "Predicted responses")
        box.addWidget(
            label(
                "Type to predict · arrows, Tab, Enter move · F2 edits · Ctrl+C, Ctrl+V blocks "
                "from Excel or Word · the selected row's stage is planned below.",
                "help",
            )
        )
        if field is not None:
            panel = FormPanel(session, lesson, form, [field], grid_captions=False)
            self.grid = panel.grids[field.id]
            self.grid.editor.help.hide()
            box.addWidget(panel)
            view = self.grid.editor.view
            # The case pupils share the width: no sideways scrolling at 1366 x 768.
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            view.selectionModel().currentChanged.connect(self._current_changed)
        stage_buttons = QHBoxLayout()
        self.add_stage_button = QPushButton("Add a &stage")
        self.add_stage_button.clicked.connect(self.add_stage)
        self.up_button = QPushButton("M&ove up")
        self.up_button.clicked.connect(lambda: self.move_stage(-1))
        self.down_button = QPushButton("Move do&wn")
        self.down_button.clicked.connect(lambda: self.move_stage(1))
        self.remove_stage_button = QPushButton("Remove stage")
        self.remove_stage_button.clicked.connect(self.remove_stage)
        for button in (
            self.add_stage_button,
            self.up_button,
            self.down_button,
            self.remove_stage_button,
        ):
            stage_buttons.addWidget(button)
        stage_buttons.addStretch(1)
        box.addLayout(stage_buttons)
        column.addWidget(frame)

        self.stage_frame, self.stage_box = card("The stage")
        column.addWidget(self.stage_frame)
        self._show_stage(None)

        plan_fields = [
            f for s in self.ctx.proforma.sections("research_lesson", only=(PLAN,)) for f in s.fields
        ]
        frame, box = card(f"Research lesson {lesson.get('number', '')}")
        self.lesson_panel = FormPanel(session, lesson, form, plan_fields)
        box.addWidget(self.lesson_panel)
        column.addWidget(frame)
        column.addStretch(1)

        # Beside the grid: what the team said it would change, and who does what.
        before = cy.previous_lesson(self.ctx.store, lesson)
        frame, box = card(
            f"What we said we would change after research lesson {before.get('number', '')}"
            if before is not None
            else "The first research lesson",
            tone="info",
        )
        text = (before.get("next_changes", "") if before is not None else "") or (
            "Nothing recorded yet: add it in the discussion of the lesson before."
            if before is not None
            else "Plan it together: predict how each case pupil will respond at each stage."
        )
        self.change_before = label(text)
        self.change_before.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_before.setAccessibleName("What we said we would change")
        box.addWidget(self.change_before)
        side_box.addWidget(frame)
        frame, box = card("Who does what")
        roles = QGridLayout()
        for n, member in enumerate(self.ctx.team()):
            combo = QComboBox()
            combo.addItem("—", None)
            for role in cy.LessonRole:
                combo.addItem(role.label, role.value)
            name = self.ctx.member_name(member)
            combo.setAccessibleName(f"{name}: role in this lesson")
            field_name = cell_field(lg.ROLES, lg.ROLE_ROW, member.id)
            self.role_bindings.append(
                ComboBinding(session, combo, field_name, record=lesson, label=f"role of {name}")
            )
            roles.addWidget(label(name), n, 0)
            roles.addWidget(combo, n, 1)
        if not self.ctx.team():
            roles.addWidget(label("Add the team on the Cycle tab.", "muted"), 0, 0)
        box.addLayout(roles)
        column.insertWidget(column.count() - 1, frame)  # with the lesson, above the stretch
        side_box.addStretch(1)

    # ------------------------------------------------------------------ the stage being planned

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        stage = None
        if self.grid is not None and current.isValid():
            rows = self.grid.editor.model.grid.rows
            if 0 <= current.row() < len(rows):
                stage = rows[current.row()].id
        if stage != self._stage_id:
            self._show_stage(stage)

    def current_stage(self) -> str | None:
        return self._stage_id

    def _show_stage(self, stage: str | None) -> None:
        if self.stage_panel is not None:
            self.stage_panel.save()
            self.stage_box.removeWidget(self.stage_panel)
            self.stage_panel.deleteLater()
            self.stage_panel = None
        for child in self.stage_frame.findChildren(QWidget, "stageHint"):
            child.deleteLater()
        self._stage_id = stage
        record = self.ctx.session.read(stage) if stage else None
        if record is None:
            hint = label("Select a row of the grid to plan its stage.", "muted")
            hint.setObjectName("stageHint")
            self.stage_box.addWidget(hint)
            return
        fields = self.ctx.proforma.stage_fields
        self.stage_panel = FormPanel(self.ctx.session, record, self.ctx.form, fields)
        self.stage_panel.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.stage_box.addWidget(self.stage_panel)

    def add_stage(self) -> str | None:
        lesson = self.ctx.lesson_id
        if lesson is None:
            return None
        session = self.ctx.session
        return session.create_with(
            lambda: cy.add_stage(session.store, lesson), "lesson_stage", "stage"
        )

    def move_stage(self, offset: int) -> None:
        stage = self._stage_id
        stages = self.ctx.stages()
        index = next((i for i, s in enumerate(stages) if s.id == stage), None)
        if index is None or not 0 <= index + offset < len(stages):
            return
        a, b = stages[index], stages[index + offset]
        session = self.ctx.session
        with session.step("move a stage"):
            session.set_field(a.id, "position", b.get("position", index + offset + 1), "position")
            session.set_field(b.id, "position", a.get("position", index + 1), "position")
        if self.grid is not None:
            view = self.grid.editor.view
            place = view.currentIndex()
            view.setCurrentIndex(view.model().index(index + offset, max(place.column(), 0)))

    def remove_stage(self) -> None:
        stage = self._stage_id
        if stage is None:
            emit(self.ctx.session.message, "Select the stage to remove first.")
            return
        session = self.ctx.session
        with session.step("remove a stage"):
            session.delete(stage)
            for position, rest in enumerate(self.ctx.stages(), start=1):
                if rest.get("position") != position:
                    session.set_field(rest.id, "position", position, "position")

    # ------------------------------------------------------------------ following the store

    def _changed(self, record: str, kind: str) -> None:
        lesson = self.ctx.lesson()
        if kind == "research_lesson" and lesson is not None and record != lesson.id:
            before = cy.previous_lesson(self.ctx.store, lesson)
            if before is not None and before.id == record:
                self.change_before.setText(before.get("next_changes", ""))
        if kind == "cycle_member":
            self.rebuild()

    def save(self) -> None:
        for panel in (self.lesson_panel, self.stage_panel):
            if panel is not None:
                panel.save()
        if self.grid is not None:
            self.grid.editor.save_pending()
        for b in self.role_bindings:
            b.save()


def _field(form: Any, field_id: str) -> Any:
    try:
        return form.field(field_id)
    except KeyError:
        return None
