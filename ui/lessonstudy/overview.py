"""The cycle tab: title, dates and stage; the focus as the proforma asks for it; the team and the
schools taking part; the case pupils (pseudonyms, with a real name kept on this laptop only)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.lessonstudy import cycles as cy
from ui.lessonstudy.context import (
    CycleContext,
    FormPanel,
    card,
    clear_layout,
    label,
    scrolling,
)
from ui.shell.binding import Binding, ComboBinding, DateBinding, LineBinding
from ui.shell.fields import DateField, GrowingTextEdit, bind_form_field
from ui.shell.pickers import RecordPicker
from ui.shell.privacy import HIDDEN
from ui.shell.signals import emit


def status_box() -> QComboBox:
    box = QComboBox()
    for status in cy.Status:
        box.addItem(status.label, status.value)
    return box


def sharing_box() -> QComboBox:
    box = QComboBox()
    for scope in cy.Sharing:
        box.addItem(scope.label, scope.value)
    return box


class CycleTab(QWidget):
    """Everything about the cycle as a whole (the first tab)."""

    def __init__(self, ctx: CycleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        session = ctx.session
        cycle = ctx.cycle()
        body = QWidget()
        box = QVBoxLayout(body)
        box.setContentsMargins(0, 0, 12, 12)
        box.setSpacing(12)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        self.scroll_area = scrolling(body)
        outer.addWidget(self.scroll_area)

        # The cycle itself: what it is called, when, where it is, who may see its summary.
        frame, inner = card("The cycle")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = QLineEdit()
        self.start = DateField("Start")
        self.end = DateField("End")
        self.status = status_box()
        self.sharing = sharing_box()
        self.bindings: list[Binding[Any]] = [
            LineBinding(session, self.title, "title", record=cycle, label="title", kind="cycle"),
            DateBinding(
                session, self.start, "start_date", record=cycle, label="start", kind="cycle"
            ),
            DateBinding(session, self.end, "end_date", record=cycle, label="end", kind="cycle"),
            ComboBinding(session, self.status, "status", record=cycle, label="stage", kind="cycle"),
            ComboBinding(
                session, self.sharing, "sharing", record=cycle, label="sharing", kind="cycle"
            ),
        ]
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(label("to"))
        dates.addWidget(self.end)
        dates.addStretch(1)
        form.addRow("&Title", self.title)
        form.addRow("Dates", dates)
        form.addRow("Sta&ge", self.status)
        form.addRow("Summary shared &with", self.sharing)
        inner.addLayout(form)
        inner.addWidget(label(f"Proforma: {ctx.form.title} (version {ctx.form.version})", "muted"))
        box.addWidget(frame)

        # The focus, as the proforma asks for it (its cycle sections, but the outcomes).
        for section in ctx.proforma.sections("cycle", but=(cy.OUTCOMES_SECTION,)):
            frame, inner = card(section.title)
            if section.help:
                inner.addWidget(label(section.help, "help"))
            self.panel = FormPanel(session, cycle, ctx.form, section.fields)
            inner.addWidget(self.panel)
            box.addWidget(frame)

        self.team = TeamPanel(ctx)
        box.addWidget(self.team)
        self.schools = SchoolsPanel(ctx)
        box.addWidget(self.schools)
        self.pupils = PupilsPanel(ctx)
        box.addWidget(self.pupils)
        box.addStretch(1)

    def ensure_pupils_visible(self) -> None:
        """Scroll to the case pupils (the part a projector must not show names of)."""
        self.scroll_area.ensureWidgetVisible(self.pupils, 0, 0)

    def save(self) -> None:
        for b in self.bindings:
            b.save()
        for panel in self.findChildren(FormPanel):
            panel.save()
        self.pupils.save()


class TeamPanel(QWidget):
    """The team: who they are, their school and their role; add someone of the partnership or
    from outside it (a university tutor as the knowledgeable other)."""

    def __init__(self, ctx: CycleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        frame, self.box = card("The team")
        layout.addWidget(frame)
        self.rows = QGridLayout()
        self.rows.setColumnStretch(0, 1)
        self.box.addLayout(self.rows)
        add = QHBoxLayout()
        self.person = RecordPicker(ctx.store, ctx.session.privacy, "person")
        self.person.setAccessibleName("Team member from the partnership")
        self.outsider = QLineEdit()
        self.outsider.setPlaceholderText("or the name of someone from outside the partnership")
        self.outsider.setAccessibleName("Team member from outside the partnership")
        self.role = QComboBox()
        self.role.addItems(cy.TEAM_ROLES)
        self.role.setAccessibleName("Role in the team")
        self.add_button = QPushButton("Add to the tea&m")
        self.add_button.clicked.connect(self.add)
        add.addWidget(self.person, 2)
        add.addWidget(self.outsider, 2)
        add.addWidget(self.role, 1)
        add.addWidget(self.add_button)
        self.box.addLayout(add)
        ctx.session.record_changed.connect(self._changed)
        ctx.session.records_reset.connect(self.refresh)
        self.refresh()

    def _changed(self, _record: str, kind: str) -> None:
        if kind == "cycle_member":
            self.refresh()

    def refresh(self) -> None:
        clear_layout(self.rows)
        store = self.ctx.store
        for n, member in enumerate(self.ctx.team()):
            school = member.get("school")
            where = store.title(school) if school and store.exists(school) else ""
            name = label(self.ctx.member_name(member) + (f", {where}" if where else ""))
            role = label(member.get("role", ""), "muted")
            remove = QPushButton("Remove")
            remove.setAccessibleName(f"Remove {self.ctx.member_name(member)} from the team")
            remove.clicked.connect(lambda _c=False, mid=member.id: self.remove(mid))
            self.rows.addWidget(name, n, 0)
            self.rows.addWidget(role, n, 1)
            self.rows.addWidget(remove, n, 2)
        if not self.ctx.team():
            self.rows.addWidget(
                label("No one yet: add the teachers and a knowledgeable other."), 0, 0
            )

    def add(self) -> str | None:
        person = self.person.record_id()
        name = self.outsider.text().strip()
        if person is None and not name:
            emit(self.ctx.session.message, "Choose a person of the partnership, or type a name.")
            return None
        role = self.role.currentText()
        session, cycle = self.ctx.session, self.ctx.cycle_id
        added = session.create_with(
            lambda: cy.add_member(session.store, cycle, name=name, person=person, role=role),
            "cycle_member",
            "team member",
        )
        if added:
            self.person.set_record_id(None)
            self.outsider.clear()
        return added

    def remove(self, member: str) -> None:
        self.ctx.session.delete(member)


class SchoolsPanel(QWidget):
    """The schools taking part (the cycle is under each of them in the navigator)."""

    def __init__(self, ctx: CycleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        frame, box = card("Schools taking part")
        layout.addWidget(frame)
        self.rows = QGridLayout()
        self.rows.setColumnStretch(0, 1)
        box.addLayout(self.rows)
        add = QHBoxLayout()
        self.school = RecordPicker(ctx.store, ctx.session.privacy, "school")
        self.school.setAccessibleName("School to add")
        self.add_button = QPushButton("Add sch&ool")
        self.add_button.clicked.connect(self.add)
        add.addWidget(self.school, 1)
        add.addWidget(self.add_button)
        box.addLayout(add)
        ctx.session.record_changed.connect(self._changed)
        self.refresh()

    def _changed(self, _record: str, kind: str) -> None:
        if kind in ("cycle_part", "cycle"):
            self.refresh()

    def refresh(self) -> None:
        clear_layout(self.rows)
        lead = self.ctx.cycle().get("school")
        for n, school in enumerate(cy.schools(self.ctx.store, self.ctx.cycle_id)):
            self.rows.addWidget(
                label(school.title + (" (lead school)" if school.id == lead else "")), n, 0
            )
            if school.id != lead:
                remove = QPushButton("Remove")
                remove.setAccessibleName(f"Take {school.title} out of the cycle")
                remove.clicked.connect(lambda _c=False, sid=school.id: self.remove(sid))
                self.rows.addWidget(remove, n, 1)

    def add(self) -> None:
        school = self.school.record_id()
        if school is None:
            emit(self.ctx.session.message, "Choose the school to add.")
            return
        session, cycle = self.ctx.session, self.ctx.cycle_id
        if session.create_with(
            lambda: cy.add_school(session.store, cycle=cycle, school=school),
            "cycle_part",
            "school taking part",
        ):
            self.school.set_record_id(None)

    def remove(self, school: str) -> None:
        from peerreview.lessonstudy.kinds import part_id

        if self.ctx.cycle().get("school") == school:
            return
        self.ctx.session.delete(part_id(self.ctx.cycle_id, school))


class PupilsPanel(QWidget):
    """The case pupils: the group each stands for, and a real name kept on this laptop only."""

    def __init__(self, ctx: CycleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bindings: list[Binding[Any]] = []
        self.names: dict[str, QLineEdit] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        frame, self.box = card("Case pupils")
        layout.addWidget(frame)
        section = next(iter(ctx.proforma.sections("case_pupil")), None)
        self.box.addWidget(
            label(
                (section.help if section and section.help else "")
                or "Each case pupil stands for a group of learners.",
                "help",
            )
        )
        self.rows = QGridLayout()
        self.rows.setColumnStretch(2, 1)
        self.box.addLayout(self.rows)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add a ca&se pupil")
        self.add_button.clicked.connect(self.add)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        self.box.addLayout(buttons)
        ctx.session.record_changed.connect(self._changed)
        self.refresh()

    def _changed(self, _record: str, kind: str) -> None:
        if kind == "case_pupil" and not any(b.pending for b in self.bindings):
            current = [p.id for p in self.ctx.pupils()]
            if current != list(self.names):
                self.refresh()

    def refresh(self) -> None:
        clear_layout(self.rows)
        self.bindings, self.names = [], {}
        session = self.ctx.session
        fields = [f for s in self.ctx.proforma.sections("case_pupil") for f in s.fields]
        group = next((f for f in fields if f.id == "group"), None)
        represents = next((f for f in fields if f.id == "represents"), None)
        real = cy.real_names(self.ctx.store, [p.id for p in self.ctx.pupils()])
        for n, pupil in enumerate(self.ctx.pupils()):
            self.rows.addWidget(
                label(cy.pupil_label(pupil), "cardTitle"), n, 0, Qt.AlignmentFlag.AlignTop
            )
            if group is not None:
                b = bind_form_field(session, group, "group", pupil)
                self.bindings.append(b)
                self.rows.addWidget(b.widget, n, 1, Qt.AlignmentFlag.AlignTop)
            if represents is not None:
                b = bind_form_field(session, represents, "represents", pupil)
                if isinstance(b.widget, GrowingTextEdit):
                    b.widget.min_lines, b.widget.max_lines = 2, 6
                b.widget.setAccessibleName(f"{cy.pupil_label(pupil)}: typical of pupils who")
                self.bindings.append(b)
                self.rows.addWidget(b.widget, n, 2)
            name = QLineEdit()
            name.setAccessibleName(
                f"Real name of {cy.pupil_label(pupil)}, kept on this laptop only"
            )
            name.setToolTip(
                "Kept on this laptop only: never in a bundle, a report or on another laptop."
            )
            if self.ctx.hide_names:
                name.setPlaceholderText(HIDDEN)
                name.setEnabled(False)
            else:
                name.setPlaceholderText("Real name (this laptop only)")
                name.setText(real.get(pupil.id, ""))
                name.editingFinished.connect(lambda pid=pupil.id, w=name: self._save_name(pid, w))
            self.names[pupil.id] = name
            self.rows.addWidget(name, n, 3, Qt.AlignmentFlag.AlignTop)
            remove = QPushButton("Remove")
            remove.setAccessibleName(f"Remove {cy.pupil_label(pupil)}")
            remove.clicked.connect(lambda _c=False, pid=pupil.id: self.remove(pid))
            self.rows.addWidget(remove, n, 4, Qt.AlignmentFlag.AlignTop)

    def _save_name(self, pupil: str, widget: QLineEdit) -> None:
        if self.ctx.hide_names:
            return
        try:
            cy.set_real_name(self.ctx.store, pupil, widget.text())
        except PeerReviewError as exc:
            emit(self.ctx.session.message, exc.message)

    def save(self) -> None:
        for b in self.bindings:
            b.save()
        for pupil, widget in self.names.items():
            if widget.isModified():
                self._save_name(pupil, widget)
                widget.setModified(False)

    def add(self) -> str | None:
        session, cycle = self.ctx.session, self.ctx.cycle_id
        return session.create_with(
            lambda: cy.add_pupil(session.store, cycle), "case_pupil", "case pupil"
        )

    def remove(self, pupil: str) -> None:
        if len(self.ctx.pupils()) <= cy.MIN_PUPILS:
            emit(self.ctx.session.message, f"A cycle needs at least {cy.MIN_PUPILS} case pupils.")
            return
        self.ctx.session.delete(pupil)
