"""The partnership view: the coordinator's Friday afternoon, on one page.

Six figures, each read on a worker thread with its own connection (``BackgroundReads``) so the
window never stalls, and each opening the records behind it (double-click or Enter on a row):
coverage, follow-through, laptops, themes, the calendar, indicators. Follow-through and coverage
come first: they answer "who would know if a school was getting into difficulty?". Nothing here
ranks schools: tables of schools are in alphabetical order, and a review's words appear only where
its school's sharing scope lets the coordinator see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peerreview.forms import FormLibrary
from peerreview.oversight import figures as fg
from peerreview.oversight.indicators import indicators_of, measure
from peerreview.oversight.scope import Audience
from peerreview.oversight.themes import Themes, themes
from peerreview.plans.followthrough import FollowThrough, follow_through
from peerreview.reports.model import Chart, Series, long_date
from peerreview.schoolyear import SchoolYear
from peerreview.sync.store import Store
from ui.review.widgets import STYLE, card, label, scrolling_page
from ui.shell.background import BackgroundReads
from ui.shell.chart import ChartView
from ui.shell.session import Session

#: Opens a record in the navigator and the detail pane; False when it cannot be shown.
OpenRecord = Callable[[str], bool]

RECORD = Qt.ItemDataRole.UserRole


class FigureModel(QAbstractTableModel):
    """Rows of a figure, each with the record it opens: a thin adapter over plain values."""

    def __init__(self, columns: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.rows: list[tuple[str, tuple[str, ...], str]] = []  # (record, cells, tooltip)

    def set_rows(self, rows: Sequence[tuple[str, tuple[str, ...], str]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        record, cells, tip = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[index.column()] if index.column() < len(cells) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip or (cells[index.column()] if index.column() < len(cells) else "")
        if role == RECORD:
            return record
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = 0
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section] if section < len(self.columns) else None
        return None


class FigureTable(QTableView):
    """A read-only table whose rows open the record behind them (double-click or Enter)."""

    opened = Signal(str)

    def __init__(
        self, columns: Sequence[str], name: str, *, stretch: int = 0, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.figure = FigureModel(columns, self)
        self.setModel(self.figure)
        self.stretch = stretch
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        # Widths are worked out from a sample of the rows (ResizeToContents would measure every
        # row of hundreds, on the GUI thread, each time the figure arrives).
        for i in range(len(columns)):
            header.setSectionResizeMode(
                i,
                QHeaderView.ResizeMode.Stretch
                if i == stretch
                else QHeaderView.ResizeMode.Interactive,
            )
        self.setMinimumHeight(110)
        self.setMaximumHeight(200)
        self.doubleClicked.connect(lambda index: self._open(index.row()))

    def fill(
        self, rows: Sequence[tuple[str, Sequence[str]]], tips: Sequence[str] | None = None
    ) -> None:
        """(record id to open, cells) per row; a tooltip per row if given."""
        self.figure.set_rows(
            [
                (record, tuple(cells), tips[n] if tips is not None and n < len(tips) else "")
                for n, (record, cells) in enumerate(rows)
            ]
        )
        metrics = self.fontMetrics()
        header = self.horizontalHeader()
        sample = self.figure.rows[:60]
        for i, title in enumerate(self.figure.columns):
            if i == self.stretch:
                continue
            widest = max(
                [metrics.horizontalAdvance(title) + 24]
                + [metrics.horizontalAdvance(r[1][i]) + 16 for r in sample if i < len(r[1])]
            )
            header.resizeSection(i, min(widest, 240))

    def rowCount(self) -> int:  # noqa: N802 - as QTableWidget names it
        return self.figure.rowCount()

    def text(self, row: int, column: int = 0) -> str:
        return str(self.figure.data(self.figure.index(row, column)) or "")

    def tooltip(self, row: int) -> str:
        return str(self.figure.data(self.figure.index(row, 0), Qt.ItemDataRole.ToolTipRole) or "")

    def record_at(self, row: int) -> str:
        return str(self.figure.data(self.figure.index(row, 0), RECORD) or "")

    def select_row(self, row: int) -> None:
        self.setCurrentIndex(self.figure.index(row, 0))

    def _open(self, row: int) -> None:
        record = self.record_at(row)
        if record:
            self.opened.emit(record)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        row = self.currentIndex().row()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row >= 0:
            self._open(row)
            return
        super().keyPressEvent(event)


def _day(day: dt.date | None) -> str:
    return long_date(day) if day is not None else "Never"


class PartnershipView(QWidget):
    """The partnership at a glance, read from what has been merged on this laptop."""

    #: a figure arrived (its name): tests and the benchmark wait on it
    figure_shown = Signal(str)

    def __init__(
        self,
        session: Session,
        *,
        open_record: OpenRecord,
        today: dt.date | None = None,
        actions: Sequence[tuple[str, Callable[[], object]]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("partnershipView")
        self.setStyleSheet(STYLE)
        self.session = session
        self.store: Store = session.store
        self.open_record = open_record
        self.today = today or dt.date.today()
        self.reads = BackgroundReads(session, self)
        self.shown: set[str] = set()
        box = scrolling_page(self, top=4)

        title = label("The partnership at a glance", "pageTitle")
        box.addWidget(title)
        controls = QHBoxLayout()
        self.as_of = label(f"From what this laptop holds on {long_date(self.today)}.", "muted")
        controls.addWidget(self.as_of)
        controls.addSpacing(12)
        self.months = QSpinBox()
        self.months.setRange(1, 60)
        self.months.setValue(12)
        self.months.setSuffix(" months")
        self.months.setAccessibleName("Months without contact")
        months_label = QLabel("&Quiet for")
        months_label.setBuddy(self.months)
        controls.addWidget(months_label)
        controls.addWidget(self.months)
        self.year = QComboBox()
        self.year.setAccessibleName("School year of the themes")
        this = SchoolYear.of(self.today)
        for y in (this, this.previous(), this.previous().previous()):
            self.year.addItem(y.name, y.start_year)
        # In the autumn term this year's reviews have barely begun: last year's themes come first.
        if self.today.month >= 9:
            self.year.setCurrentIndex(1)
        year_label = QLabel("Themes &of")
        year_label.setBuddy(self.year)
        controls.addSpacing(12)
        controls.addWidget(year_label)
        controls.addWidget(self.year)
        controls.addStretch(1)
        for text, run in actions:
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, run=run: run())
            controls.addWidget(button)
        box.addLayout(controls)

        # The answers at a glance: one number each, read first.
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        self.tiles: dict[str, tuple[QLabel, QLabel]] = {}
        for key, caption in (
            ("unanswered", "EBIs without a response"),
            ("overdue", "overdue actions"),
            ("quiet", "quiet schools"),
            ("silent", "laptops silent for a month"),
            ("coming", "events in the next 8 weeks"),
        ):
            frame, tbox = card(margins=10)
            number = label("…", "pageTitle")
            words = label(caption, "muted")
            tbox.addWidget(number)
            tbox.addWidget(words)
            frame.setAccessibleName(caption)
            tiles.addWidget(frame, 1)
            self.tiles[key] = (number, words)
        box.addLayout(tiles)

        self.ready = False
        #: the cards built so far; a figure that arrives before its card waits for it
        self._built: set[str] = set()
        self._waiting: list[tuple[str, Callable[[object], None], object]] = []
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        box.addLayout(grid)
        self._grid = grid
        # The figures are read at once, and the cards are built a row at a time on the next turns
        # of the event loop: the page's head shows at once, no one step keeps the window from
        # answering for long, and a figure that arrives before its card waits for it.
        self.refresh()
        QTimer.singleShot(0, self._build_top)

    def _build_top(self) -> None:
        grid = self._grid

        self.follow_frame, fbox = card("Follow-through by school")
        self.follow_line = label("Counting…", "muted")
        fbox.addWidget(self.follow_line)
        self.follow = FigureTable(("School", "EBIs", "Overdue", "Red"), "Follow-through by school")
        fbox.addWidget(self.follow)
        fbox.addStretch(1)  # the cards of a row share its height: their titles line up
        grid.addWidget(self.follow_frame, 0, 0)

        self.coverage_frame, cbox = card("Coverage")
        self.coverage_line = label("Counting…", "muted")
        cbox.addWidget(self.coverage_line)
        self.coverage_detail = label("", "muted")
        cbox.addWidget(self.coverage_detail)
        self.coverage = FigureTable(("School", "Last contact", "Last review"), "Quiet schools")
        cbox.addWidget(self.coverage)
        cbox.addStretch(1)
        grid.addWidget(self.coverage_frame, 0, 1)

        self.calendar_frame, kbox = card("Coming up")
        self.calendar_line = label("Reading…", "muted")
        kbox.addWidget(self.calendar_line)
        self.calendar = FigureTable(("Date", "School and what"), "Calendar", stretch=1)
        kbox.addWidget(self.calendar)
        kbox.addStretch(1)
        grid.addWidget(self.calendar_frame, 0, 2)

        # The laptops' figure is the quickest read: its card is built with the first row's, so
        # it shows as soon as it is read.
        self._side = side = QVBoxLayout()
        self.laptops_frame, lbox = card("Laptops")
        self.laptops_line = label("Reading the import ledger…", "muted")
        lbox.addWidget(self.laptops_line)
        self.laptops = FigureTable(("Laptop", "Last bundle", "Bundles"), "Laptops")
        self.laptops.setMaximumHeight(140)
        lbox.addWidget(self.laptops)
        side.addWidget(self.laptops_frame)
        grid.addLayout(side, 1, 2)
        for table in (self.follow, self.coverage, self.laptops, self.calendar):
            table.opened.connect(self._open)
        self.months.valueChanged.connect(lambda _n: self._read_coverage())
        self._mark_built("follow", "calendar", "laptops")
        QTimer.singleShot(0, self._build_bottom)

    def _mark_built(self, *cards: str) -> None:
        self._built.update(cards)
        waiting, self._waiting = self._waiting, []
        for name, show, value in waiting:
            if name in self._built:
                show(value)
            else:
                self._waiting.append((name, show, value))

    def _build_bottom(self) -> None:
        grid = self._grid
        self.themes_frame, tbox = card("Themes across the year's reviews")
        self.themes_line = label("Reading…", "muted")
        tbox.addWidget(self.themes_line)
        self.themes_chart = ChartView()
        # The themes chart always has six areas and two series: its room is kept from the start.
        self.themes_chart.reserve(
            Chart(
                "",
                tuple(str(n) for n in range(6)),
                (Series("", (0.0,) * 6), Series("", (0.0,) * 6)),
                kind="bar",
            )
        )
        tbox.addWidget(self.themes_chart)
        self.themes = FigureTable(("Theme", "EBIs", "Strengths", "Excellence"), "Themes")
        tbox.addWidget(self.themes)
        grid.addWidget(self.themes_frame, 1, 0, 1, 2, Qt.AlignmentFlag.AlignTop)

        side = self._side
        self.indicators_frame, ibox = card("Indicators")
        ibox.addWidget(
            label(
                "Read beside what you know of each school; counted by how they moved, never "
                "ranked.",
                "muted",
            )
        )
        self.indicators = FigureTable(("Measure", "Schools", "Better", "Worse"), "Indicators")
        ibox.addWidget(self.indicators)
        self.school = QComboBox()
        self.school.setAccessibleName("School whose indicators to show")
        school_label = QLabel("Beside a &school:")
        school_label.setBuddy(self.school)
        ibox.addWidget(school_label)
        ibox.addWidget(self.school)
        self.school_chart = ChartView()
        ibox.addWidget(self.school_chart)
        side.addWidget(self.indicators_frame)
        side.addStretch(1)
        for column in range(3):
            grid.setColumnStretch(column, 1)

        self.themes.opened.connect(self._open)
        self.year.currentIndexChanged.connect(lambda _i: self._read_themes())
        self.school.currentIndexChanged.connect(lambda _i: self._read_school())
        self.ready = True
        self._mark_built("coverage", "themes", "indicators")  # coverage fills the school box

    # ------------------------------------------------------------------ reading

    def _when_built(
        self, card_name: str, show: Callable[[object], None]
    ) -> Callable[[object], None]:
        """``show``, or keep the figure until its card is built."""

        def deliver(value: object) -> None:
            if card_name in self._built:
                show(value)
            else:
                self._waiting.append((card_name, show, value))

        return deliver

    def refresh(self) -> None:
        """Read every figure again (after a merge, say), first those that matter most."""
        self.shown.clear()
        today = self.today
        # One after another on one worker: the quick ones, then the answers that matter most.
        self.reads.read(
            "laptops",
            lambda s: fg.laptops(s, today),
            self._when_built("laptops", self._show_laptops),
        )
        self.reads.read(
            "follow-through",
            lambda s: follow_through(s, today),
            self._when_built("follow", self._show_follow),
        )
        self._read_coverage()
        self.reads.read(
            "calendar",
            lambda s: fg.calendar(s, today),
            self._when_built("calendar", self._show_calendar),
        )
        self.reads.read(
            "indicators", _indicator_rows, self._when_built("indicators", self._show_indicators)
        )
        self._read_themes()

    def _read_coverage(self) -> None:
        today, months = self.today, self.months.value()
        self.reads.read(
            "coverage",
            lambda s: fg.coverage(s, today, months),
            self._when_built("coverage", self._show_coverage),
        )

    def _read_themes(self) -> None:
        year = SchoolYear(int(self.year.currentData()))
        library = self.session.forms
        self.reads.read(
            "themes",
            lambda s: _themes_and_chart(s, library, year),
            self._when_built("themes", self._show_themes),
        )

    def _read_school(self) -> None:
        school = self.school.currentData()
        if not school:
            self.school_chart.set_chart(None)
            return
        self.reads.read(
            "school", lambda s: _school_chart(s, str(school)), self.school_chart.set_chart
        )

    def _tile(self, key: str, number: int, words: str = "") -> None:
        shown, caption = self.tiles[key]
        shown.setText(f"{number:,}")
        if words:
            caption.setText(words)

    def _done(self, name: str) -> None:
        self.shown.add(name)
        self.figure_shown.emit(name)

    def _open(self, record: str) -> None:
        if record:
            self.open_record(record)

    # ------------------------------------------------------------------ showing

    def _show_follow(self, value: object) -> None:
        assert isinstance(value, FollowThrough)
        concern = [s for s in value.schools if s.concern]
        self._tile(
            "unanswered",
            value.unanswered,
            f"EBIs without a response, in {value.reviews_waiting} review"
            + ("s" if value.reviews_waiting != 1 else ""),
        )
        self._tile(
            "overdue",
            value.overdue,
            f"overdue actions, in {value.schools_overdue} school"
            + ("s" if value.schools_overdue != 1 else ""),
        )
        self.follow_line.setText(
            "Schools whose latest agreed review has EBIs without a response, or with actions "
            "overdue. Counts only; Enter or double-click opens the review or the school."
        )
        self.follow.fill(
            [
                (
                    s.review if s.unanswered and s.review else s.school,
                    (s.name, str(s.unanswered or ""), str(s.overdue or ""), str(s.red or "")),
                )
                for s in concern
            ]
        )
        self._done("follow-through")

    def _show_coverage(self, value: object) -> None:
        assert isinstance(value, fg.Coverage)
        quiet = value.without()
        n = len(quiet)
        self._tile("quiet", n, f"schools quiet for {value.months} months")
        self.coverage_line.setText(
            f"{n} of {len(value.schools)} schools with no review, visit, lesson study or contact "
            f"since {long_date(value.since)}" + ("" if n else ": every school has had one.")
        )
        self.coverage_detail.setText(
            "Without a "
            + "; ".join(f"{g.lower()}: {len(value.without(g))}" for g in value.groups)
            + f" (in {value.months} months)."
        )
        self.coverage.fill([(s.school, (s.name, _day(s.last_any), _day(s.last[0]))) for s in quiet])
        names = [(s.name, s.school) for s in value.schools]
        if self.school.count() != len(names):
            was = self.school.blockSignals(True)
            self.school.clear()
            self.school.addItem("Choose a school", "")
            for name, sid in names:
                self.school.addItem(name, sid)
            self.school.blockSignals(was)
        self._done("coverage")

    def _show_laptops(self, value: object) -> None:
        assert isinstance(value, fg.Laptops)
        silent = value.silent
        self._tile("silent", len(silent), f"of {len(value.laptops)} laptops silent for a month")
        self.laptops_line.setText(
            f"{len(value.laptops)} laptop{'s' if len(value.laptops) != 1 else ''} have sent "
            f"bundles; {len(silent)} silent for a month"
            if value.laptops
            else "No bundles imported on this laptop yet."
        )
        self.laptops.fill(
            [
                (
                    "",
                    (
                        ("⚠ " if lap.silent else "") + lap.name,
                        _day(lap.last_bundle),
                        str(lap.bundles),
                    ),
                )
                for lap in value.laptops
            ]
        )
        self._done("laptops")

    def _show_calendar(self, value: object) -> None:
        entries = value if isinstance(value, tuple) else ()
        self._tile("coming", len(entries))
        self.calendar_line.setText(
            f"{len(entries)} event{'s' if len(entries) != 1 else ''}: peer reviews, workshops, "
            "impact reviews, support and research lessons"
            if entries
            else "Nothing planned in the next eight weeks."
        )
        self.calendar.fill(
            [(e.record_id, (long_date(e.day), f"{e.school_name}: {e.title}")) for e in entries]
        )
        self._done("calendar")

    def _show_themes(self, value: object) -> None:
        assert isinstance(value, tuple)
        found, chart = value
        assert isinstance(found, Themes) and isinstance(chart, Chart)
        self.themes_line.setText(
            f"{found.reviews} reviews of {found.schools} schools in {found.year.name}. "
            "Themes name no school; a review's words show only where its school shared it."
        )
        self.themes_chart.set_chart(chart)
        self.themes.fill(
            [
                (
                    next((e.review for e in t.examples if e.review), ""),
                    (t.name, str(t.ebis), str(t.strengths), str(t.excellence)),
                )
                for t in found.tags
            ],
            tips=[
                "\n\n".join((f"{e.school}: " if e.school else "") + e.text for e in t.examples)
                or "No example may be quoted: the reviews were not shared."
                for t in found.tags
            ],
        )
        self._done("themes")

    def _show_indicators(self, value: object) -> None:
        rows = value if isinstance(value, list) else []
        self.indicators.fill([("", r) for r in rows])
        self._done("indicators")


# ---------------------------------------------------------------------- reads (worker thread)


def _themes_and_chart(store: Store, library: FormLibrary, year: SchoolYear) -> tuple[Themes, Chart]:
    found = themes(store, library, year, Audience.COORDINATOR)
    areas = found.areas[:6]
    chart = Chart(
        "Areas with the most EBIs and strengths",
        tuple(a.name for a in areas),
        (
            Series("Even better if", tuple(float(a.ebis) for a in areas), "development"),
            Series("What went well", tuple(float(a.strengths) for a in areas), "strength"),
        ),
        kind="bar",
        unit="reviews",
        caption="; ".join(f"{a.name}: {a.ebis} EBIs, {a.strengths} strengths" for a in areas) + ".",
    )
    return found, chart


def _indicator_rows(store: Store) -> list[tuple[str, ...]]:
    return [
        (
            o.measure.label,
            str(o.schools),
            str(o.improved) if o.measure.higher_is_better is not None else "",
            str(o.declined) if o.measure.higher_is_better is not None else "",
        )
        for o in fg.indicator_overview(store)
    ]


def _school_chart(store: Store, school: str) -> Chart | None:
    """One school's numeric indicators over time (its own figures, beside no other school's)."""
    found = indicators_of(store, school)
    series: dict[str, dict[str, float]] = {}
    periods: set[str] = set()
    for r in found:
        try:
            m = measure(str(r.get("measure") or ""))
            value = float(str(r.get("value")))
        except (ValueError, Exception):  # noqa: BLE001 - words (an inspection outcome) are not drawn
            continue
        if m.unit != "%":
            continue
        period = str(r.get("period") or str(r.get("date") or "")[:4])
        series.setdefault(m.label, {})[period] = value
        periods.add(period)
    if not series:
        return None
    order = sorted(periods)
    name = store.title(school)
    return Chart(
        f"{name}: indicators over time (%)",
        tuple(order),
        tuple(
            Series(label_, tuple(values.get(p, 0.0) for p in order))
            for label_, values in series.items()
        ),
        kind="line",
        unit="%",
        caption="; ".join(
            f"{label_}: " + ", ".join(f"{p} {values[p]:g}%" for p in order if p in values)
            for label_, values in series.items()
        )
        + ".",
    )
