"""The Judgements tab: for the team and the host at 15:30, around one projected laptop.

Per area, side by side: the school's self-evaluation, the team's evidence for that area, each
reviewer's provisional view; below them the agreed outcome typed live (judgement and rationale,
what went well and even better if; strengths and areas for development for an enquiry). The areas
of excellence are the last entry in the list of areas.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from peerreview.review import reviews as rv
from peerreview.sync.records import Record
from ui.review.context import ReviewContext
from ui.review.excellence import ExcellencePanel
from ui.review.models import note_time
from ui.review.self_eval_tab import scale_picker, view_ref
from ui.review.widgets import card, label, scrolled, scrolling_page
from ui.shell.binding import Binding, ComboBinding, TextBinding, ValueBinding
from ui.shell.fields import GrowingTextEdit
from ui.shell.flip import Flip

EXCELLENCE = "__excellence__"


def level_label(area: rv.Area, value: str | None) -> str:
    if not value:
        return ""
    if area.scale is None:
        return value
    return next((lv.label for lv in area.scale.levels if lv.value == value), value)


class AreaPanel(QWidget):
    """One area: the three views side by side, then the agreed outcome."""

    def __init__(self, ctx: ReviewContext, area: rv.Area, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.area = ctx, area
        self.bindings: list[Binding[Any]] = []
        fw = ctx.framework()
        box = scrolling_page(self)

        title = label(area.title, "pageTitle")
        title.setAccessibleName(f"Area: {area.title}")
        box.addWidget(title)
        if area.help:
            box.addWidget(label(area.help, "muted"))

        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(12)
        self.school_card = self._school_view()
        self.evidence_card = self._evidence()
        self.views_card = self._provisional()
        row.addWidget(self.school_card, 2)
        row.addWidget(self.evidence_card, 3)
        top = QWidget()
        top.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.school_card.setMinimumHeight(210)
        self.evidence_card.setMinimumHeight(210)
        self.evidence_card.setMaximumHeight(260)
        self.school_card.setMaximumHeight(260)
        self.flip = Flip(top, row, 500, spacing=12)
        box.addWidget(top)
        box.addWidget(self.views_card)
        box.addWidget(self._agreed(fw.judged))
        ctx.record_changed.connect(self._changed)

    # ------------------------------------------------------------------ the school's view

    def _school_view(self) -> QWidget:
        frame, box = card("The school's view")
        box.addWidget(label("SELF-EVALUATION", "eyebrow"))
        self.self_judgement = label("", "big")
        self.self_judgement.setAccessibleName("The school's judgement")
        box.addWidget(self.self_judgement)
        self.self_summary = label("", selectable=True)
        self.self_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.self_summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.self_summary.setAccessibleName("The school's evidence summary")
        box.addWidget(self.self_summary)
        box.addStretch(1)
        self._fill_school_view()
        return frame

    def _fill_school_view(self) -> None:
        view = self.ctx.view(self.area.id, rv.Stage.SELF)
        values = rv.view_fields(view)
        if self.area.scale is not None:
            self.self_judgement.setText(
                level_label(self.area, values.get("judgement")) or "No judgement given"
            )
        self.self_judgement.setVisible(self.area.scale is not None)
        self.self_summary.setText(
            values.get("evidence_summary")
            or "The school has not written its view yet (Self-evaluation tab)."
        )

    # ------------------------------------------------------------------ evidence

    def _evidence(self) -> QWidget:
        frame, box = card()
        self.evidence_title = label("", "cardTitle")
        box.addWidget(self.evidence_title)
        body = QWidget()
        body.setObjectName("evidenceNotes")
        self.evidence_box = QVBoxLayout(body)
        self.evidence_box.setContentsMargins(0, 0, 6, 0)
        self.evidence_box.setSpacing(0)
        scroll = scrolled(body)
        scroll.setAccessibleName(f"Evidence for {self.area.title}")
        box.addWidget(scroll, 1)
        self.evidence_labels: list[QLabel] = []
        self._fill_evidence()
        return frame

    def _fill_evidence(self) -> None:
        notes = rv.evidence(self.ctx.store, self.ctx.review_id, self.area.id)
        n = len(notes)
        self.evidence_title.setText(f"The team's evidence · {n} note{'s' if n != 1 else ''}")
        while self.evidence_box.count():
            item = self.evidence_box.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.hide()
                w.deleteLater()
        self.evidence_labels = []
        for note in notes:
            t = note_time(note)
            where = " · ".join(
                x for x in (note.get("year_group", ""), note.get("subject", "")) if x
            )
            head = " · ".join(
                x for x in (f"{t:%d/%m %H:%M}" if t else "", note.get("activity", ""), where) if x
            )
            text = note.get("note", "") or "(no note written)"
            note_label = label(f"<b>{html.escape(head)}</b><br>{html.escape(text)}")
            note_label.setTextFormat(Qt.TextFormat.RichText)
            note_label.setProperty("note", True)
            note_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.evidence_box.addWidget(note_label)
            self.evidence_labels.append(note_label)
        if not notes:
            self.evidence_box.addWidget(
                label(
                    "No evidence notes bear on this area yet. Tag notes with it on the Evidence "
                    "tab "
                    "(Alt+number while writing a note).",
                    "muted",
                )
            )
        self.evidence_box.addStretch(1)

    # ------------------------------------------------------------------ provisional views

    def _provisional(self) -> QWidget:
        """One column per reviewer, side by side: their judgement and why."""
        frame, outer = card("Reviewers' provisional views")
        columns = QHBoxLayout()
        columns.setSpacing(14)
        outer.addLayout(columns)
        self.provisional: dict[str, tuple[QComboBox | None, GrowingTextEdit]] = {}
        reviewers = self.ctx.reviewers()
        if not reviewers:
            columns.addWidget(
                label(
                    "Add the review team on the Plan tab: each reviewer then "
                    "records a provisional view here.",
                    "muted",
                )
            )
        for member in reviewers:
            box = QVBoxLayout()
            box.setSpacing(4)
            columns.addLayout(box, 1)
            key = self.ctx.reviewer_key(member)
            name = member.get("name", "")
            box.addWidget(label(self.ctx.member_label(member).upper(), "eyebrow"))
            ref = view_ref(self.ctx, self.area.id, rv.Stage.PROVISIONAL, key, name)
            who = self.ctx.member_label(member)
            choice: QComboBox | None = None
            if self.area.scale is not None:
                choice = QComboBox()
                choice.setMinimumContentsLength(10)
                choice.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                choice.setAccessibleName(f"Provisional judgement of {who}")
                choice.addItem("Not given yet", None)
                for lv in self.area.scale.levels:
                    choice.addItem(lv.label, lv.value)
                box.addWidget(choice)
                self.bindings.append(
                    ComboBinding(
                        self.ctx.session,
                        choice,
                        "judgement",
                        label="provisional view",
                        record=ref.record,
                        ensure=ref.ensure,
                    )
                )
            note = GrowingTextEdit(2, 6)
            note.setAccessibleName(f"Provisional note of {who}")
            note.setPlaceholderText("Why, in a sentence or two")
            box.addWidget(note)
            box.addStretch(1)
            self.bindings.append(
                TextBinding(
                    self.ctx.session,
                    note,
                    "rationale",
                    label="provisional note",
                    record=ref.record,
                    ensure=ref.ensure,
                )
            )
            self.provisional[key] = (choice, note)
        known = {self.ctx.reviewer_key(m) for m in reviewers}
        for view in rv.provisional_views(self.ctx.store, self.ctx.review_id, self.area.id):
            if view.get("reviewer") in known:
                continue
            box = QVBoxLayout()
            columns.addLayout(box, 1)
            who = (
                "A reviewer"
                if self.ctx.privacy.enabled
                else view.get("reviewer_name", "") or "A reviewer no longer in the team"
            )
            text = " — ".join(
                x
                for x in (level_label(self.area, view.get("judgement")), view.get("rationale", ""))
                if x
            )
            box.addWidget(label(who.upper(), "eyebrow"))
            extra = label(text or "No view recorded.")
            extra.setTextFormat(Qt.TextFormat.PlainText)
            box.addWidget(extra)
            box.addStretch(1)
        return frame

    # ------------------------------------------------------------------ agreed outcome

    def _agreed(self, judged: bool) -> QWidget:
        frame, box = card("Agreed outcome", tone="agreed")
        box.addWidget(
            label(
                "Agreed in dialogue between the team and the school; this is what the report says.",
                "muted",
            )
        )
        ref = view_ref(self.ctx, self.area.id, rv.Stage.AGREED)
        self.agreed_picker = scale_picker(self.area, f"Agreed judgement: {self.area.title}")
        if self.agreed_picker is not None:
            caption = QLabel("Agreed judge&ment")
            caption.setBuddy(self.agreed_picker)
            box.addWidget(caption)
            box.addWidget(self.agreed_picker)
            self.bindings.append(
                ValueBinding(
                    self.ctx.session,
                    self.agreed_picker,
                    "judgement",
                    label="agreed judgement",
                    record=ref.record,
                    ensure=ref.ensure,
                )
            )
        good = "What went well" if judged else "Strengths"
        fields = (
            (
                "rationale",
                "Rat&ionale" if judged else "Summary of fi&ndings",
                "Why the team and the school agreed this, from the evidence",
            ),
            (
                "evidence_summary",
                "Evidence summary for the report",
                "The evidence in a few sentences, as the report should put it",
            ),
            ("www", f"{good} (&WWW)" if judged else "Stren&gths", "What is working, and why"),
            (
                "ebi",
                "Even &better if (EBI)" if judged else "Areas for develop&ment",
                "Next steps the school can turn into actions",
            ),
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        self.agreed_fields: dict[str, GrowingTextEdit] = {}
        for n, (field, caption_text, hint) in enumerate(fields):
            edit = GrowingTextEdit(3, 12)
            edit.setPlaceholderText(hint)
            plain = caption_text.replace("&", "")
            edit.setAccessibleName(f"{plain}: {self.area.title}")
            caption = QLabel(caption_text)
            caption.setBuddy(edit)
            grid.addWidget(caption, (n // 2) * 2, n % 2)
            grid.addWidget(edit, (n // 2) * 2 + 1, n % 2)
            self.bindings.append(
                TextBinding(
                    self.ctx.session,
                    edit,
                    field,
                    label=plain.lower(),
                    record=ref.record,
                    ensure=ref.ensure,
                )
            )
            self.agreed_fields[field] = edit
        box.addLayout(grid)
        return frame

    # ------------------------------------------------------------------ following the store

    def _changed(self, record_id: str, kind: str) -> None:
        if kind == "evidence":
            self._fill_evidence()
        elif kind == "area_view" and record_id == self.ctx.view_id(self.area.id, rv.Stage.SELF):
            self._fill_school_view()

    def flush(self) -> None:
        for b in self.bindings:
            b.save()


class JudgementsTab(QWidget):
    """Areas on the left; the chosen area's views and agreed outcome on the right."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.panel: QWidget | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.areas = QListWidget()
        self.areas.setObjectName("areaList")
        self.areas.setAccessibleName("Areas")
        self.areas.setWordWrap(True)
        self.areas.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.areas.setResizeMode(QListWidget.ResizeMode.Adjust)  # long names wrap
        self.areas.setMinimumWidth(180)
        self.areas.setMaximumWidth(280)
        self.areas.currentRowChanged.connect(self._chosen)
        self.splitter.addWidget(self.areas)
        self.holder = QWidget()
        self.holder_box = QVBoxLayout(self.holder)
        self.holder_box.setContentsMargins(12, 0, 0, 0)
        self.splitter.addWidget(self.holder)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 900])
        layout.addWidget(self.splitter)
        self._fill_areas()
        ctx.record_changed.connect(self._changed)
        ctx.session.record_changed.connect(self._elsewhere)
        if self.areas.count():
            self.areas.setCurrentRow(0)

    def _area_list(self) -> list[rv.Area]:
        return self.ctx.areas()

    def _summary(self, area: rv.Area, counts: dict[str, int]) -> str:
        agreed = self.ctx.view(area.id, rv.Stage.AGREED)
        n = counts.get(area.id, 0)
        notes = f"{n} note{'s' if n != 1 else ''}"
        if agreed is None or not any(
            agreed.get(f) for f in ("judgement", "www", "ebi", "rationale")
        ):
            state = "Not agreed yet"
        elif area.scale is not None:
            value = level_label(area, agreed.get("judgement"))
            state = f"✓ Agreed: {value}" if value else "Being agreed: no judgement yet"
        else:
            state = "✓ Findings agreed"
        return f"{area.title}\n{state} · {notes}{self._follow_up(agreed)}"

    def _follow_up(self, agreed: Record | None) -> str:
        """ " · EBI not answered in the plan" for an agreed review's EBI that no feature records
        a response to (asked through the registry: the review does not know who answers)."""
        store = self.ctx.store
        if (
            agreed is None
            or not str(agreed.get("ebi") or "").strip()
            or self.ctx.review().get("status") != rv.Status.AGREED.value
            or not store.registry.follows_up(agreed.kind)
            or store.registry.follow_ups(store, agreed)
        ):
            return ""
        return "\n⚠ EBI not yet answered in the school's plan"

    def _fill_areas(self) -> None:
        counts = rv.evidence_counts(self.ctx.store, self.ctx.review_id)
        current = self.current_key()
        was = self.areas.blockSignals(True)
        self.areas.clear()
        for area in self._area_list():
            item = QListWidgetItem(self._summary(area, counts))
            item.setData(Qt.ItemDataRole.UserRole, area.id)
            item.setToolTip(area.title)
            self.areas.addItem(item)
        n = len(rv.excellence(self.ctx.store, self.ctx.review_id))
        item = QListWidgetItem(f"Areas of excellence\n{n} recorded")
        item.setData(Qt.ItemDataRole.UserRole, EXCELLENCE)
        self.areas.addItem(item)
        keys = [
            self.areas.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.areas.count())
        ]
        if current in keys:
            self.areas.setCurrentRow(keys.index(current))
        self.areas.blockSignals(was)

    def _update_summaries(self) -> None:
        counts = rv.evidence_counts(self.ctx.store, self.ctx.review_id)
        by_id = {a.id: a for a in self._area_list()}
        for i in range(self.areas.count()):
            item = self.areas.item(i)
            key = item.data(Qt.ItemDataRole.UserRole)
            if key in by_id:
                item.setText(self._summary(by_id[key], counts))
            elif key == EXCELLENCE:
                n = len(rv.excellence(self.ctx.store, self.ctx.review_id))
                item.setText(f"Areas of excellence\n{n} recorded")

    def current_key(self) -> Any:
        item = self.areas.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def show_area(self, key: str) -> None:
        for i in range(self.areas.count()):
            if self.areas.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.areas.setCurrentRow(i)
                return

    def _chosen(self, _row: int) -> None:
        key = self.current_key()
        if self.panel is not None:
            if isinstance(self.panel, AreaPanel | ExcellencePanel):
                self.panel.flush()
            self.holder_box.removeWidget(self.panel)
            self.panel.hide()
            self.panel.deleteLater()
            self.panel = None
        if key is None:
            return
        if key == EXCELLENCE:
            self.panel = ExcellencePanel(self.ctx)
        else:
            area = next((a for a in self._area_list() if a.id == key), None)
            if area is None:
                return
            self.panel = AreaPanel(self.ctx, area)
        self.holder_box.addWidget(self.panel)
        self.panel.show()

    def _elsewhere(self, _record_id: str, kind: str) -> None:
        """A record of a feature that follows EBIs up changed (a plan answered one): the areas
        say again whether their EBI has a response."""
        feature = self.ctx.store.registry.feature_of(kind)
        if feature is not None and "area_view" in feature.follow_ups:
            self._update_summaries()

    def _changed(self, _record_id: str, kind: str) -> None:
        if kind == "enquiry_line":
            self._fill_areas()
            if not isinstance(self.panel, AreaPanel | ExcellencePanel):
                self._chosen(self.areas.currentRow())
        elif kind in ("area_view", "evidence", "excellence"):
            self._update_summaries()

    def flush(self) -> None:
        if isinstance(self.panel, AreaPanel | ExcellencePanel):
            self.panel.flush()
