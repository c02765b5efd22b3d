"""A school's action plan: its priorities and actions beside the chosen action, and the governors'
view of it.

The left is the plan as a tree (priorities, and under each its actions with owner by role, due
date, status and RAG: overdue ones marked); the right is the chosen action (``ActionPanel``) or
priority. The header agrees the plan (refused, with the reason, while an action has no owner), and
opens the improvement workshop of the review it answers. The Governors tab is the one-page summary
with its chart, the same picture as the report's.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerreview.plans import plans as pl
from peerreview.plans.plans import ActionStatus, PlanStatus, Rag
from peerreview.plans.report import governors_figures, rag_chart
from ui.plans.action_panel import ActionPanel
from ui.review.widgets import STYLE, card, label, scrolled
from ui.shell.binding import LineBinding, TextBinding
from ui.shell.chart import ChartView
from ui.shell.fields import GrowingTextEdit
from ui.shell.session import Session

RECORD = Qt.ItemDataRole.UserRole
RAG_COLOURS = {Rag.RED: "#c62828", Rag.AMBER: "#b26a00", Rag.GREEN: "#2e7d32"}


class PriorityPanel(QWidget):
    """The selected priority: its title and description, and the EBI it came from."""

    def __init__(self, session: Session, priority: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        store = session.store
        rec = store.get(priority)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        frame, box = card("Priority")
        outer.addWidget(frame)
        self.title = QLineEdit()
        self.title.setAccessibleName("Priority")
        box.addWidget(self.title)
        self.description = GrowingTextEdit(3, 10)
        self.description.setPlaceholderText("What the school wants to improve, and why")
        self.description.setAccessibleName("Description of the priority")
        box.addWidget(self.description)
        self.bindings: list[LineBinding | TextBinding] = [
            LineBinding(session, self.title, "title", record=rec, label="priority"),
            TextBinding(session, self.description, "description", record=rec, label="description"),
        ]
        view = rec.get("ebi")
        if rec.get("source") == pl.Source.EBI.value and view and store.exists(view):
            area = str(rec.get("area_title") or "").upper()
            box.addWidget(label(f"FROM THE PEER REVIEW · {area}", "eyebrow"))
            box.addWidget(label(str(store.get(view).get("ebi") or ""), "muted", selectable=True))
        outer.addStretch(1)

    def flush(self) -> None:
        for b in self.bindings:
            b.save()


class PlanWorkspace(QWidget):
    """One plan, opened from the navigator."""

    def __init__(
        self,
        session: Session,
        plan_id: str,
        *,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("planWorkspace")
        self.setStyleSheet(STYLE)
        self.session, self.store, self.plan_id = session, session.store, plan_id
        self.today = today or dt.date.today()
        self.panel: QWidget | None = None
        plan = self.store.get(plan_id)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)

        head = QHBoxLayout()
        title_label = QLabel("&Title")
        self.title = QLineEdit()
        self.title.setObjectName("planTitle")
        title_label.setBuddy(self.title)
        self.title_binding = LineBinding(
            session, self.title, "title", record=plan_id, label="title"
        )
        head.addWidget(title_label)
        head.addWidget(self.title, 1)
        self.status = label("", "big")
        head.addWidget(self.status)
        self.agree_button = QPushButton("Agree the plan…")
        self.agree_button.clicked.connect(self._agree)
        head.addWidget(self.agree_button)
        self.workshop_button = QPushButton("Improvement wor&kshop…")
        self.workshop_button.clicked.connect(self.open_workshop)
        self.workshop_button.setVisible(bool(plan.get("review")))
        head.addWidget(self.workshop_button)
        box.addLayout(head)
        school = self.store.title(plan["school"]) if plan.get("school") else ""
        self.subtitle = label("", "muted")
        box.addWidget(self.subtitle)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("planTabs")
        box.addWidget(self.tabs, 1)

        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 6, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setObjectName("planTree")
        self.tree.setAccessibleName("Priorities and actions")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Priority / action (owner)", "Due", "RAG"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The words of the action get the width; the owner's role rides with them, the status
        # shows as grey when it is done (and in the tooltip).
        # The due column as wide as the longest date ("30 September 2026"), no wider.
        due = self.tree.fontMetrics().horizontalAdvance("30 September 2026") + 18
        for i, width in ((1, due), (2, 58)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(i, width)
        self.tree.currentItemChanged.connect(lambda _a, _b: self._chosen())
        lbox.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.new_priority = QPushButton("New priorit&y…")
        self.new_priority.clicked.connect(self.add_priority)
        self.new_action = QPushButton("New a&ction…")
        self.new_action.clicked.connect(self.add_action)
        buttons.addWidget(self.new_priority)
        buttons.addWidget(self.new_action)
        buttons.addStretch(1)
        lbox.addLayout(buttons)
        self.splitter.addWidget(left)
        self.holder = QWidget()
        self.holder_box = QVBoxLayout(self.holder)
        self.holder_box.setContentsMargins(10, 0, 0, 0)
        right = self.right = scrolled(self.holder)
        right.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([450, 430])
        row.addWidget(self.splitter)
        self.tabs.addTab(page, "&Priorities and actions")

        gov = QWidget()
        gbox = QVBoxLayout(gov)
        gbox.setContentsMargins(0, 8, 0, 0)
        frame, fbox = card("At a glance, for governors")
        self.glance = label("", selectable=True)
        fbox.addWidget(self.glance)
        self.chart = ChartView()
        fbox.addWidget(self.chart)
        gbox.addWidget(frame)
        about, abox = card("About this plan")
        self.summary = GrowingTextEdit(3, 10)
        self.summary.setPlaceholderText("What the plan is for, and how it was made")
        self.summary_binding = TextBinding(
            session, self.summary, "summary", record=plan_id, label="summary"
        )
        abox.addWidget(self.summary)
        gbox.addWidget(about)
        gbox.addStretch(1)
        self.tabs.addTab(scrolled(gov), "&Governors' summary")
        self._school = school
        session.record_changed.connect(self._changed)
        self.refresh()

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        if not self.store.exists(self.plan_id):
            return
        plan = self.store.get(self.plan_id)
        status = PlanStatus(plan.get("status") or "draft")
        self.status.setText("✓ Agreed" if status is PlanStatus.AGREED else "Draft")
        self.agree_button.setText(
            "Reopen as a draft" if status is PlanStatus.AGREED else "Agree the plan…"
        )
        bits = [self._school, str(plan.get("school_year") or "")]
        if status is PlanStatus.AGREED:
            bits.append(
                f"agreed by {plan.get('agreed_by') or ''}, {pl.date_text(plan.get('agreed_on'))}"
            )
        if plan.get("workshop_on"):
            bits.append(f"improvement workshop {pl.date_text(plan.get('workshop_on'))}")
        self.subtitle.setText(" · ".join(b for b in bits if b))
        self._fill_tree()
        self._fill_governors()

    def _fill_tree(self) -> None:
        keep = self.current_record()
        was = self.tree.blockSignals(True)
        self.tree.clear()
        chosen: QTreeWidgetItem | None = None
        acts = pl.actions(self.store, plan=self.plan_id)
        for priority in pl.priorities(self.store, self.plan_id):
            heading = str(priority.get("title") or "Untitled priority")
            top = QTreeWidgetItem([heading])
            top.setData(0, RECORD, priority.id)
            top.setToolTip(0, heading)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            if priority.get("area_title"):
                top.setToolTip(
                    0,
                    f"{heading}\n"
                    f"{pl.Source(priority.get('source') or 'own').label}: {priority['area_title']}",
                )
            self.tree.addTopLevelItem(top)
            if priority.id == keep:
                chosen = top
            for a in (x for x in acts if x.get("priority") == priority.id):
                status = ActionStatus.of(a.get("status"))
                rag = Rag.of(a.get("rag"))
                late = pl.overdue(a, self.today)
                due = pl.date_text(a.get("due_date"))
                owner = str(a.get("owner_role") or "⚠ no owner")
                item = QTreeWidgetItem(
                    [
                        f"{a.get('title') or 'Untitled action'} ({owner})",
                        ("⚠ " + due) if late else due,
                        rag.label if rag and status.open else "",
                    ]
                )
                item.setData(0, RECORD, a.id)
                item.setToolTip(0, f"{item.text(0)}\nOwner: {owner}\nStatus: {status.label}")
                if late:
                    item.setToolTip(1, f"Overdue: due {due}")
                    item.setForeground(1, QColor("#c62828"))
                if rag is not None and status.open:
                    item.setForeground(2, QColor(RAG_COLOURS[rag]))
                if not status.open:
                    for column in range(3):
                        item.setForeground(column, QColor("#7a828a"))
                top.addChild(item)
                if a.id == keep:
                    chosen = item
            top.setExpanded(True)
        self.tree.blockSignals(was)
        if chosen is None and self.tree.topLevelItemCount():
            first = self.tree.topLevelItem(0)
            chosen = first.child(0) if first is not None and first.childCount() else first
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        if chosen is None or self.current_record() != keep:
            self._chosen()

    def _fill_governors(self) -> None:
        figures = governors_figures(self.store, self.plan_id, self.today)
        rag = ", ".join(
            f"{figures.rag[n]} {n.lower()}"
            for n in ("Red", "Amber", "Green", "Not rated")
            if figures.rag[n]
        )
        moved = figures.moved
        self.glance.setText(
            f"{figures.total} actions, {figures.complete} complete. "
            f"Open actions: {rag or 'none'}.\n"
            f"This term: {moved[pl.Movement.BETTER]} improved, "
            f"{moved[pl.Movement.WORSE]} worse, {moved[pl.Movement.SAME]} unchanged.\n"
            f"Overdue: {len(figures.overdue)}. Due in the next 14 days: {len(figures.due_soon)}."
        )
        prios = pl.priorities(self.store, self.plan_id)
        acts = pl.actions(self.store, plan=self.plan_id)
        self.chart.set_chart(
            rag_chart(self.store, prios, acts, title="Open actions by RAG rating, by priority")
            if prios and acts
            else None
        )

    def current_record(self) -> str | None:
        item = self.tree.currentItem()
        return str(item.data(0, RECORD)) if item is not None else None

    def _chosen(self) -> None:
        record = self.current_record()
        if self.panel is not None:
            if isinstance(self.panel, ActionPanel | PriorityPanel):
                self.panel.flush()
            self.holder_box.removeWidget(self.panel)
            self.panel.hide()
            self.panel.deleteLater()
            self.panel = None
        if record is None or not self.store.exists(record):
            return
        if self.store.kind_of(record) == "action":
            self.panel = ActionPanel(self.session, record, today=self.today)
        else:
            self.panel = self._priority_panel(record)
        self.holder_box.addWidget(self.panel)
        # The panel never scrolls sideways: the splitter gives it the room its fields need.
        margins = self.holder_box.contentsMargins()
        self.right.setMinimumWidth(
            self.panel.minimumSizeHint().width()
            + margins.left()
            + margins.right()
            + self.right.verticalScrollBar().sizeHint().width()
            + 2 * self.right.frameWidth()
        )

    def _priority_panel(self, priority: str) -> QWidget:
        return PriorityPanel(self.session, priority)

    def _changed(self, _record: str, kind: str) -> None:
        if kind in ("plan", "priority", "action", "progress_update", "criterion"):
            self.refresh()

    # ------------------------------------------------------------------ writing

    def add_priority(self) -> str | None:
        title, ok = QInputDialog.getText(self, "New priority", "What the school wants to improve:")
        if not ok or not title.strip():
            return None
        store = self.store
        made = self.session.create_with(
            lambda: pl.add_priority(store, self.plan_id, title), "priority", "priority"
        )
        if made:
            self.select(made)
        return made

    def add_action(self) -> str | None:
        record = self.current_record()
        if record is None:
            self.session.message.emit("Make a priority first: an action belongs to one.")
            return None
        priority = (
            record
            if self.store.kind_of(record) == "priority"
            else str(self.store.get(record).get("priority"))
        )
        title, ok = QInputDialog.getText(self, "New action", "What will be done:")
        if not ok or not title.strip():
            return None
        store = self.store
        made = self.session.create_with(
            lambda: pl.add_action(store, priority, title), "action", "action"
        )
        if made:
            self.select(made)
        return made

    def select(self, record: str) -> None:
        self._fill_tree()
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None:
                continue
            for item in (top, *(top.child(j) for j in range(top.childCount()))):
                if item is not None and item.data(0, RECORD) == record:
                    self.tree.setCurrentItem(item)
                    return

    def _agree(self) -> None:
        plan = self.store.get(self.plan_id)
        store = self.store
        fields = ("status", "agreed_by", "agreed_on")
        if plan.get("status") == PlanStatus.AGREED.value:
            self.session.write_with(
                self.plan_id, lambda: pl.reopen_plan(store, self.plan_id), fields, "reopen the plan"
            )
            return
        who, ok = QInputDialog.getText(
            self,
            "Agree the plan",
            "Who agreed it (for example the headteacher and the chair of governors)?",
        )
        if not ok:
            return
        self.session.write_with(
            self.plan_id,
            lambda: pl.agree_plan(store, self.plan_id, agreed_by=who, on=self.today),
            fields,
            "agree the plan",
        )

    def open_workshop(self) -> None:
        from ui.plans.workshop import WorkshopDialog

        review = self.store.get(self.plan_id).get("review")
        if review:
            WorkshopDialog(self.session, str(review), today=self.today, parent=self).exec()

    def flush(self) -> None:
        self.title_binding.save()
        self.summary_binding.save()
        if isinstance(self.panel, ActionPanel | PriorityPanel):
            self.panel.flush()
