"""The Plan tab: dates, framework, focus, sharing, status, team, schedule and what to follow up.

Fields save as they are edited (no Save button). The framework is fixed once evidence or views
exist, because notes and judgements refer to its areas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peerreview.review import reviews as rv
from ui.review.context import ReviewContext
from ui.review.models import (
    RecordDelegate,
    RecordTableModel,
    enquiry_lines_model,
    people_choices,
    schedule_model,
    team_model,
)
from ui.review.widgets import card, label, scroll_to, status_combo
from ui.shell.binding import Binding, ComboBinding, DateBinding, LineBinding, TextBinding
from ui.shell.dates import DateEdit, VisitDates
from ui.shell.fields import GrowingTextEdit
from ui.shell.flip import Flip


def fit_table(table: QTableView, min_rows: int = 2, max_rows: int = 10) -> None:
    """As tall as its rows (so the page scrolls, not the table), within limits."""
    model = table.model()
    rows = max(min_rows, min(max_rows, model.rowCount() if model else 0))
    row_h = table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows * row_h + 4)


#: How wide (in pixels) a tab's page must be for its two columns to sit side by side.
TWO_COLUMNS = 1000


def fit_columns(table: QTableView, stretch: tuple[int, ...]) -> None:
    """Columns as wide as their contents, the ``stretch`` ones sharing what is left: the table
    is never wider than its place, and long text wraps in its cell."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    model = table.model()
    for col in range(model.columnCount() if model is not None else 0):
        header.setSectionResizeMode(
            col,
            QHeaderView.ResizeMode.Stretch
            if col in stretch
            else QHeaderView.ResizeMode.ResizeToContents,
        )
    table.setWordWrap(True)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)


def record_table(
    model: RecordTableModel, name: str, completions: Callable[[], list[str]] | None = None
) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setItemDelegate(RecordDelegate(model, table, completions))
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    table.setTabKeyNavigation(False)  # Tab leaves the table, as in every other field
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setToolTip("F2 or type to edit a cell; Tab moves on")
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    model.modelReset.connect(lambda: fit_table(table))
    fit_table(table)
    return table


class PlanTab(QWidget):
    """Everything decided before the visit."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bindings: list[Binding[Any]] = []
        fw = ctx.framework()
        review = ctx.review()
        rid = ctx.review_id
        # Two columns on a wide screen; one on a laptop's, so the team table has room.
        self.flip, left, right = Flip.columns(self, TWO_COLUMNS, (5, 6))

        # ---------------------------------------------------------------- the review
        frame, box = card("The review")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = QLineEdit()
        self.title.setPlaceholderText(f"Peer review of {ctx.school_name()}")
        self.bind(LineBinding(ctx.session, self.title, "title", record=rid, label="title"))
        # Alt+T is the Report tab (Alt+R the Review menu, whose letter it once shared).
        form.addRow("T&itle", self.title)
        host = label(ctx.school_name(), wrap=True, selectable=True)
        host.setAccessibleName("Host school")
        host.setToolTip("The school being reviewed. Plan a new review to review another school.")
        form.addRow("Host school", host)
        dates = QHBoxLayout()
        self.start = self._date_edit("First day of the visit")
        self.end = self._date_edit("Last day of the visit")
        self.bind(DateBinding(ctx.session, self.start, "start_date", record=rid, label="first day"))
        self.bind(DateBinding(ctx.session, self.end, "end_date", record=rid, label="last day"))
        self.visit_dates = VisitDates(self.start, self.end, self._ask, self)
        dates.addWidget(self.start)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end)
        dates.addStretch(1)
        first = QLabel("Dates")  # D, A, T, E, S: each taken on this tab or by a menu
        first.setBuddy(self.start)
        form.addRow(first, dates)
        self.framework = QComboBox()
        self.framework.setAccessibleName("Framework")
        self.versions = {f.id: f.version for f in rv.frameworks(ctx.session.forms)}
        for f in rv.frameworks(ctx.session.forms):
            self.framework.addItem(f.title, f.id)
            self.framework.setItemData(
                self.framework.count() - 1, f.description, Qt.ItemDataRole.ToolTipRole
            )
        i = self.framework.findData(fw.id)
        if i < 0:
            self.framework.addItem(fw.title, fw.id)
            i = self.framework.count() - 1
        self.framework.setCurrentIndex(i)
        self.framework.activated.connect(self._framework_chosen)
        form.addRow("Frame&work", self.framework)
        self.framework_note = label("", "muted")
        form.addRow("", self.framework_note)
        self.sharing = QComboBox()
        for s in rv.Sharing:
            self.sharing.addItem(s.label, s.value)
        self.sharing.setToolTip("Who may see this review and its report: the host school decides")
        self.bind(
            ComboBinding(ctx.session, self.sharing, "sharing", record=rid, label="sharing scope")
        )
        form.addRow("Sharin&g", self.sharing)
        self.status = status_combo()
        self.status.setToolTip("Agree the report on the Report tab: it records who agreed it")
        self.bind(ComboBinding(ctx.session, self.status, "status", record=rid, label="status"))
        form.addRow("Stat&us", self.status)
        box.addLayout(form)
        left.addWidget(frame)

        # ---------------------------------------------------------------- focus
        frame, box = card("Focus and context")
        box.addWidget(label("What the host school wants the team to look at, and why.", "muted"))
        self.focus = GrowingTextEdit(2, 8)
        self.focus.setAccessibleName("Focus")
        self.focus.setPlaceholderText("e.g. Reading across the curriculum")
        self.bind(TextBinding(ctx.session, self.focus, "focus", record=rid, label="focus"))
        focus_label = QLabel("F&ocus")
        focus_label.setBuddy(self.focus)
        box.addWidget(focus_label)
        box.addWidget(self.focus)
        self.question = QLineEdit()
        self.question.setAccessibleName("Enquiry question")
        self.question.setPlaceholderText("To what extent …?")
        if not fw.judged or review.get("enquiry_question"):
            q_label = QLabel("Enquiry &question")
            q_label.setBuddy(self.question)
            box.addWidget(q_label)
            box.addWidget(self.question)
            self.bind(
                LineBinding(
                    ctx.session,
                    self.question,
                    "enquiry_question",
                    record=rid,
                    label="enquiry question",
                )
            )
        self.context = GrowingTextEdit(2, 10)
        self.context.setAccessibleName("Context")
        self.context.setPlaceholderText(
            "The school's context, and what has changed since its last "
            "review (printed in the report)"
        )
        self.bind(TextBinding(ctx.session, self.context, "context", record=rid, label="context"))
        c_label = QLabel("Conte&xt")
        c_label.setBuddy(self.context)
        box.addWidget(c_label)
        box.addWidget(self.context)
        left.addWidget(frame)

        self.area_checks: dict[str, QCheckBox] = {}
        if fw.judged:
            frame, box = card("Areas this review reports on")
            box.addWidget(
                label(
                    "Leave out an area the school has no provision for, such as early "
                    "years or a sixth form.",
                    "muted",
                )
            )
            excluded = set(review.get("areas_excluded") or [])
            grid = QGridLayout()
            grid.setHorizontalSpacing(16)
            # Two columns of short names; long ones ("Provision and outcomes for disadvantaged
            # pupils and ...") one under another, so the page never needs to be wider.
            longest = max((len(a.title) for a in fw.areas), default=0)
            half = (len(fw.areas) + 1) // 2 if longest <= 40 else len(fw.areas)
            for n, area in enumerate(fw.areas):
                check = QCheckBox(area.title)
                check.setAccessibleName(f"Report on {area.title}")
                check.setChecked(area.id not in excluded)
                check.toggled.connect(lambda on, a=area.id: self._area_toggled(a, on))
                grid.addWidget(check, n % half, n // half)
                self.area_checks[area.id] = check
            box.addLayout(grid)
            left.addWidget(frame)
            self._lock_areas()

        self.lines_table: QTableView | None = None
        if not fw.judged:
            model = enquiry_lines_model(ctx, self)
            frame, box = card("Lines of enquiry")
            box.addWidget(
                label(
                    "The questions the team follows to answer the enquiry question. "
                    "Each is an area for evidence and findings.",
                    "muted",
                )
            )
            self.lines_table = record_table(model, "Lines of enquiry")
            box.addWidget(self.lines_table)
            box.addLayout(
                self._buttons(self.lines_table, "Add line of enquiry", self.add_line, "Remove line")
            )
            left.addWidget(frame)
        left.addStretch(1)

        # ---------------------------------------------------------------- continuity
        self.continuity = ContinuityPanel(ctx)
        right.addWidget(self.continuity)

        # ---------------------------------------------------------------- team and schedule
        frame, box = card("Review team")
        box.addWidget(
            label(
                "Senior leaders from partner schools, led by the lead reviewer, with "
                "the host school's link leader.",
                "muted",
            )
        )
        self.team_model = team_model(ctx, self)
        self.team_table = record_table(
            self.team_model, "Review team", lambda: sorted(people_choices(ctx))
        )
        fit_columns(self.team_table, stretch=(0, 1))
        box.addWidget(self.team_table)
        box.addLayout(
            self._buttons(self.team_table, "Add team member", self.add_member, "Remove member")
        )
        right.addWidget(frame)

        frame, box = card("Schedule")
        self.schedule_model = schedule_model(ctx, self)
        self.schedule_table = record_table(self.schedule_model, "Schedule")
        fit_columns(self.schedule_table, stretch=(4,))
        box.addWidget(self.schedule_table)
        box.addLayout(
            self._buttons(self.schedule_table, "Add activity", self.add_activity, "Remove activity")
        )
        right.addWidget(frame)
        right.addStretch(1)

        ctx.record_changed.connect(self._changed)
        self._lock_framework()

    # ------------------------------------------------------------------ helpers

    def show_row(self, table: QTableView | None, record_id: str) -> bool:
        """Select a record's row in one of the tab's tables and scroll the page to it."""
        model = table.model() if table is not None else None
        if table is None or not isinstance(model, RecordTableModel):
            return False
        row = model.row_of(record_id)
        if row < 0:
            return False
        table.setCurrentIndex(model.index(row, 0))
        table.setFocus(Qt.FocusReason.OtherFocusReason)
        scroll_to(table)
        return True

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "The visit's dates", question)
        return answer == QMessageBox.StandardButton.Yes

    def bind(self, binding: Binding[Any]) -> Binding[Any]:
        self.bindings.append(binding)
        return binding

    def _date_edit(self, name: str) -> DateEdit:
        w = DateEdit()
        w.setCalendarPopup(True)
        w.setDisplayFormat("dd/MM/yyyy")
        w.setAccessibleName(name)
        w.setMinimumWidth(130)
        return w

    def _buttons(
        self, table: QTableView, add_text: str, add: Callable[[], str | None], remove_text: str
    ) -> QHBoxLayout:
        row = QHBoxLayout()
        add_button = QPushButton(add_text)
        add_button.setAccessibleName(add_text)
        remove = QPushButton(remove_text)
        remove.setAccessibleName(remove_text)
        remove.setToolTip("Remove the selected row (Undo brings it back)")

        def added() -> None:
            record_id = add()
            model = table.model()
            if record_id and isinstance(model, RecordTableModel):
                row_ = model.row_of(record_id)
                if row_ >= 0:
                    index = model.index(row_, 0)
                    table.setCurrentIndex(index)
                    table.setFocus(Qt.FocusReason.OtherFocusReason)
                    table.edit(index)

        def removed() -> None:
            model = table.model()
            index = table.currentIndex()
            if isinstance(model, RecordTableModel) and index.isValid():
                record = model.record_at(index.row())
                if record is not None:
                    self.ctx.session.delete(record.id)

        add_button.clicked.connect(added)
        remove.clicked.connect(removed)
        row.addWidget(add_button)
        row.addWidget(remove)
        row.addStretch(1)
        return row

    # ------------------------------------------------------------------ adding rows

    def add_member(self, name: str = "", role: str = "Reviewer") -> str | None:
        ctx = self.ctx
        return ctx.create(
            lambda: rv.add_member(ctx.store, ctx.review_id, name=name, role=role),
            "review_member",
            "review team member",
        )

    def add_activity(self) -> str | None:
        ctx = self.ctx
        review = ctx.review()
        rows = rv.schedule(ctx.store, ctx.review_id)
        day = rv.as_date(review.get("start_date")) or ctx.today()
        start = "09:00"
        if rows:
            last = rows[-1]
            day = rv.as_date(last.get("day")) or day
            start = last.get("end") or _later(last.get("start", "09:00"), 45)
        return ctx.create(
            lambda: rv.add_activity(
                ctx.store,
                ctx.review_id,
                day=day,
                start=start,
                end=_later(start, 45),
                activity=rv.ACTIVITIES[1],
            ),
            "review_activity",
            "scheduled activity",
        )

    def add_line(self) -> str | None:
        ctx = self.ctx
        return ctx.create(
            lambda: rv.add_enquiry_line(ctx.store, ctx.review_id, ""),
            "enquiry_line",
            "line of enquiry",
        )

    # ------------------------------------------------------------------ areas

    def _area_toggled(self, area: str, on: bool) -> None:
        excluded = set(self.ctx.review().get("areas_excluded") or [])
        excluded = excluded - {area} if on else excluded | {area}
        self.ctx.session.set_field(
            self.ctx.review_id, "areas_excluded", sorted(excluded), "areas that do not apply"
        )

    def _lock_areas(self) -> None:
        """An area with evidence or an agreed outcome stays in (its findings are in the report)."""
        counts = rv.evidence_counts(self.ctx.store, self.ctx.review_id)
        for area, check in self.area_checks.items():
            used = counts.get(area, 0) > 0 or self.ctx.view(area, rv.Stage.AGREED) is not None
            check.setEnabled(not (used and check.isChecked()))
            check.setToolTip(
                "It has evidence or an agreed outcome, so it stays in the report."
                if used and check.isChecked()
                else ""
            )

    # ------------------------------------------------------------------ framework

    def _has_findings(self) -> bool:
        store = self.ctx.store
        return bool(rv.evidence(store, self.ctx.review_id)) or bool(
            store.list("area_view", where={"review": self.ctx.review_id})
        )

    def _lock_framework(self) -> None:
        locked = self._has_findings() or self.ctx.session.busy
        self.framework.setEnabled(not locked)
        self.framework_note.setText(
            "Fixed: evidence or judgements already refer to its areas."
            if locked
            else "Choose before the visit; it fixes the areas the team reports on."
        )
        self.framework.setToolTip(self.ctx.framework().description)

    def _framework_chosen(self, _index: int) -> None:
        fid = self.framework.currentData()
        fw = self.ctx.framework()
        if fid is None or fid == fw.id or fid not in self.versions or self._has_findings():
            self._lock_framework()
            return
        version = self.versions[fid]
        self.ctx.set_fields(
            self.ctx.review_id,
            {
                "framework_id": fid,
                "framework_version": version,
                "form_id": fid,
                "form_version": version,
            },
            "framework",
        )

    def _changed(self, _record_id: str, kind: str) -> None:
        if kind in ("evidence", "area_view"):
            self._lock_framework()
            self._lock_areas()
        if kind == "review":
            fw = self.ctx.framework()
            i = self.framework.findData(fw.id)
            if i >= 0 and i != self.framework.currentIndex():
                self.framework.setCurrentIndex(i)


def _later(hhmm: str, minutes: int) -> str:
    try:
        t = dt.datetime.strptime(hhmm, "%H:%M") + dt.timedelta(minutes=minutes)
    except ValueError:
        return ""
    return f"{t:%H:%M}"


class ContinuityPanel(QWidget):
    """The previous review's EBIs (or areas for development), to follow up in this one."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.frame, self.box = card("Following up the last review", tone="info")
        layout.addWidget(self.frame)
        self.items: list[tuple[str, str, str]] = []
        self.refresh()

    def refresh(self) -> None:
        while self.box.count() > 1:
            item = self.box.takeAt(1)
            w = item.widget() if item is not None else None
            if w is not None:
                w.hide()
                w.deleteLater()
        carried = rv.carried_forward(self.ctx.store, self.ctx.session.forms, self.ctx.review_id)
        self.items = [(c.area, c.label, c.text) for c in carried]
        previous = self.ctx.review().get("previous_review")
        if not previous:
            self.setVisible(False)
            return
        prev = self.ctx.store.get(previous) if self.ctx.store.exists(previous) else None
        when = ""
        if prev is not None and prev.get("start_date"):
            from ui.shell.formatting import prose_date

            when = f" of {prose_date(prev['start_date'])}"
        intro = (
            f"Next steps agreed at the last review{when}. Check what has changed."
            if carried
            else f"The last review{when} recorded no next steps to follow up."
        )
        self.box.addWidget(label(intro, "muted"))
        asked = self.ctx.store.registry.follows_up("area_view")
        for c in carried:
            self.box.addWidget(label(f"{c.area.upper()} · {c.label.upper()}", "eyebrow"))
            body = label(c.text, selectable=True)
            body.setTextFormat(Qt.TextFormat.PlainText)
            self.box.addWidget(body)
            if asked:
                # What the school's plan did since: whichever feature records it (the registry).
                done = (
                    "\n".join(
                        f"{f.title}: {f.status}" if f.status else f.title for f in c.follow_ups
                    )
                    if c.follow_ups
                    else "No response recorded in the school's plan yet."
                )
                note = label(done, "muted", selectable=True)
                note.setTextFormat(Qt.TextFormat.PlainText)
                self.box.addWidget(note)
        self.setVisible(True)

    def texts(self) -> list[str]:
        return [t for _a, _k, t in self.items]
