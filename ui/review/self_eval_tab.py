"""The Self-evaluation tab: the host school's own view of each area before the visit.

Each area's view is one record with a derived id (the same on every laptop), made on the first
edit; it is shown beside the team's findings on the Judgements tab and printed in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from peerreview.review import reviews as rv
from ui.review.context import ReviewContext
from ui.review.widgets import ScalePicker, card, label, scroll_to, scrolling_page
from ui.shell.binding import Binding, RecordRef, TextBinding, ValueBinding
from ui.shell.fields import GrowingTextEdit


@dataclass(frozen=True)
class ViewRef:
    """A view of an area that may not exist yet, as a binding asks for it."""

    #: the view's id while it exists, else None
    record: RecordRef
    #: makes the view (or brings it back) on the first real edit
    ensure: RecordRef


def view_ref(
    ctx: ReviewContext, area: str, stage: rv.Stage, reviewer: str = "", reviewer_name: str = ""
) -> ViewRef:
    """Where a widget bound to a view that may not exist yet writes."""
    vid = ctx.view_id(area, stage, reviewer)
    return ViewRef(
        record=lambda: vid if ctx.store.exists(vid) else None,
        ensure=lambda: ctx.ensure_view(area, stage, reviewer, reviewer_name),
    )


def scale_picker(area: rv.Area, name: str) -> ScalePicker | None:
    if area.scale is None:
        return None
    return ScalePicker([(lv.value, lv.label) for lv in area.scale.levels], name)


class SelfEvaluationTab(QWidget):
    """Per area: the school's judgement on the framework's scale and its evidence summary."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bindings: list[Binding[Any]] = []
        self.pickers: dict[str, ScalePicker] = {}
        self.summaries: dict[str, GrowingTextEdit] = {}
        self.cards: dict[str, QWidget] = {}
        self.box = scrolling_page(self, top=8)
        self._build()

    def show_area(self, area: str) -> bool:
        """Scroll to an area's card and put the cursor in its summary."""
        frame = self.cards.get(area)
        if frame is None:
            return False
        scroll_to(frame)
        self.summaries[area].setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _build(self) -> None:
        ctx = self.ctx
        fw = ctx.framework()
        school = ctx.school_name()
        self.box.addWidget(
            label(
                f"{school}'s own view of each area before the visit, with the evidence behind it. "
                "The team sees it beside its findings on the Judgements tab.",
                "muted",
            )
        )
        areas = ctx.areas()
        if not areas:
            self.box.addWidget(
                label(
                    "Add the lines of enquiry on the Plan tab first: the school's "
                    "view is recorded for each of them.",
                    "muted",
                )
            )
        for area in areas:
            frame, box = card(area.title)
            if area.help:
                box.addWidget(label(area.help, "muted"))
            ref = view_ref(ctx, area.id, rv.Stage.SELF)
            picker = scale_picker(area, f"The school's judgement: {area.title}")
            if picker is not None:
                caption = QLabel(
                    f"The school's view ({area.scale.title.lower()})" if area.scale else ""
                )
                caption.setBuddy(picker)
                box.addWidget(caption)
                box.addWidget(picker)
                self.bindings.append(
                    ValueBinding(
                        ctx.session,
                        picker,
                        "judgement",
                        label="self-evaluation",
                        record=ref.record,
                        ensure=ref.ensure,
                    )
                )
                self.pickers[area.id] = picker
            summary = GrowingTextEdit(3, 14)
            summary.setAccessibleName(f"Evidence summary: {area.title}")
            summary.setPlaceholderText(
                "What the school's own evidence shows: data, monitoring, what pupils and staff say."
                if fw.judged
                else "What the school already knows about this question, and how."
            )
            caption = QLabel("Evidence summary")
            caption.setBuddy(summary)
            box.addWidget(caption)
            box.addWidget(summary)
            self.bindings.append(
                TextBinding(
                    ctx.session,
                    summary,
                    "evidence_summary",
                    label="self-evaluation summary",
                    record=ref.record,
                    ensure=ref.ensure,
                )
            )
            self.summaries[area.id] = summary
            self.cards[area.id] = frame
            self.box.addWidget(frame)
        self.box.addStretch(1)
