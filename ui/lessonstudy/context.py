"""What every tab of a lesson-study cycle shares: the session, the cycle, its proforma, the research
lesson being looked at, and small widgets they all use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.forms import Field, FormDefinition
from peerreview.forms import FieldType as F
from peerreview.lessonstudy import cycles as cy
from peerreview.sync.records import Record
from ui.shell.binding import Binding
from ui.shell.fields import bind_form_field
from ui.shell.grid import GridBinding, grid_binding
from ui.shell.session import Session
from ui.shell.signals import emit

STYLE = """
QFrame[card="true"] { background: palette(base); border: 1px solid palette(mid);
                      border-radius: 8px; }
QFrame[card="true"] QLabel { background: transparent; }
QFrame[tone="info"] { background: rgba(47, 123, 191, 0.10);
                      border: 1px solid rgba(47, 123, 191, 0.45); border-radius: 6px; }
QLabel[role="cardTitle"] { font-weight: bold; font-size: 11pt; }
QLabel[role="pageTitle"] { font-weight: bold; font-size: 15pt; }
QLabel[role="muted"], QLabel[role="help"] { color: palette(placeholder-text); }
QLabel[role="eyebrow"] { color: palette(placeholder-text); font-size: 8.5pt; font-weight: bold; }
QLabel[badge="true"] { border-radius: 11px; padding: 3px 10px; font-weight: bold;
                       background: #e3eefa; color: #1d4f80; border: 1px solid #aac8e8; }
QPushButton[primary="true"] { background: #2f7bbf; color: white; border: 1px solid #2f7bbf;
                              border-radius: 6px; padding: 6px 14px; font-weight: bold; }
QTabWidget#cycleTabs::pane { border-top: 1px solid palette(mid); top: -1px; }
QTabWidget#cycleTabs > QTabBar::tab { padding: 8px 16px; min-width: 80px; }
"""


def label(text: str, role: str = "", *, wrap: bool = True) -> QLabel:
    w = QLabel(text)
    if role:
        w.setProperty("role", role)
    w.setWordWrap(wrap)
    w.setTextFormat(Qt.TextFormat.PlainText)
    return w


def card(title: str = "", *, tone: str = "") -> tuple[QFrame, QVBoxLayout]:
    """A rounded panel with an optional bold title; returns the frame and its layout."""
    frame = QFrame()
    frame.setProperty("card", True)
    if tone:
        frame.setProperty("tone", tone)
    box = QVBoxLayout(frame)
    box.setContentsMargins(12, 10, 12, 12)
    box.setSpacing(8)
    if title:
        box.addWidget(label(title, "cardTitle"))
    return frame, box


def scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class CycleContext(QObject):
    """One cycle as its tabs see it; ``lesson_id`` is the research lesson being planned, observed
    or discussed (the newest, until someone picks another)."""

    #: another research lesson was chosen (or started)
    lesson_changed = Signal(str)

    def __init__(self, session: Session, cycle_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.store = session.store
        self.cycle_id = cycle_id
        self.proforma = cy.Proforma.of(session.forms, self.cycle())
        lessons = cy.lessons(self.store, cycle_id)
        self.lesson_id: str | None = lessons[-1].id if lessons else None

    @property
    def form(self) -> FormDefinition:
        return self.proforma.form

    @property
    def hide_names(self) -> bool:
        return self.session.privacy.enabled

    def cycle(self) -> Record:
        return self.session.read(self.cycle_id) or self.store.get(self.cycle_id)

    def lessons(self) -> list[Record]:
        return cy.lessons(self.store, self.cycle_id)

    def lesson(self) -> Record | None:
        if self.lesson_id is None:
            return None
        record = self.session.read(self.lesson_id)
        return None if record is None or record.deleted else record

    def pupils(self) -> list[Record]:
        return cy.pupils(self.store, self.cycle_id)

    def team(self) -> list[Record]:
        return cy.team(self.store, self.cycle_id)

    def stages(self) -> list[Record]:
        return cy.stages(self.store, self.lesson_id) if self.lesson_id else []

    def choose_lesson(self, lesson_id: str) -> None:
        if lesson_id != self.lesson_id:
            self.lesson_id = lesson_id
            emit(self.lesson_changed, lesson_id)

    def member_name(self, member: Record) -> str:
        """A team member as shown now: by role in privacy mode."""
        if self.hide_names:
            return str(member.get("role", "Team member"))
        return str(member.get("name", ""))

    def observer_name(self, note: Record, numbers: dict[str, int]) -> str:
        """Who wrote a note: their name, or "Observer 2" in privacy mode."""
        if not self.hide_names:
            return str(note.get("observer_name", ""))
        key = note.get("observer") or note.get("observer_name", "")
        numbers.setdefault(key, len(numbers) + 1)
        return f"Observer {numbers[key]}"

    def pupil_label(self, pupil: Record, real_names: dict[str, str] | None = None) -> str:
        """ "Pupil A", with the real name this laptop keeps beside it unless privacy mode is on."""
        text = cy.pupil_label(pupil)
        if real_names and not self.hide_names and pupil.id in real_names:
            text += f" ({real_names[pupil.id]})"
        return text

    def real_names(self) -> dict[str, str]:
        if self.hide_names:
            return {}
        return cy.real_names(self.store, [p.id for p in self.pupils()])


class FormPanel(QWidget):
    """Fields of a proforma bound to one record (grids as spreadsheet grids), in a form layout."""

    def __init__(
        self,
        session: Session,
        record: Record,
        form: FormDefinition,
        fields: Sequence[Field],
        parent: QWidget | None = None,
        *,
        grid_captions: bool = True,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.record = record
        self.bindings: dict[str, Binding[Any]] = {}
        self.grids: dict[str, GridBinding] = {}
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        declared = session.store.registry.kind(record.kind).by_name
        for field in fields:
            caption = QLabel(field.label + (" *" if field.required else ""))
            caption.setWordWrap(True)
            if field.type is F.GRID:
                grid = grid_binding(session, record, form, field)
                caption.setBuddy(grid.focus_widget())
                self.grids[field.id] = grid
                if grid_captions:
                    layout.addRow(caption)
                else:  # the card's title names it; the conflict marks go on its cells
                    caption.hide()
                layout.addRow(grid.widget)
                continue
            name = form.store_field(field.id, declared)
            binding = bind_form_field(session, field, name, record, caption=caption)
            caption.setBuddy(binding.focus_widget())
            self.bindings[field.id] = binding
            if field.type in (F.LONGTEXT, F.CHECKLIST, F.ROWS):
                layout.addRow(caption)
                layout.addRow(binding.widget)
            else:
                layout.addRow(caption, binding.widget)

    def save(self) -> None:
        for binding in self.bindings.values():
            binding.save()
        for grid in self.grids.values():
            grid.editor.save_pending()


def clear_layout(layout: Any) -> None:
    """Take every widget out of a layout (to fill it again)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


def run(session: Session, action: Any, *args: Any) -> Any:
    """A core call outside the undo history (reading, or work the session records itself);
    a refusal goes to the status bar as one sentence."""
    try:
        return action(*args)
    except PeerReviewError as exc:
        emit(session.message, exc.message)
        return None
