"""Evidence capture and visit mode: notes taken with the keyboard alone while walking a school.

Ctrl+E (or Ctrl+Shift+N) starts a note with the time, the host leader and the reviewer filled in.
Keys 1-8 (or the first letters) choose the activity, Alt+1..9 the areas it bears on; the note
is saved as it is typed (no Save button, no dialog); Ctrl+Enter finishes it and starts the next.
Beside it: the day's notes and how much evidence each area has. Visit mode (F11) is large text in
one column.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QKeyCombination,
    QModelIndex,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QHideEvent,
    QImage,
    QImageWriter,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from peerreview.review import reviews as rv
from peerreview.sync.records import Record
from ui.review.capture_parts import (
    SUBJECTS,
    YEAR_GROUPS,
    ActivityPicker,
    AreaChips,
    CoverageStrip,
    KeyCatcher,
    combo,
    normalise_year,
)
from ui.review.context import ReviewContext
from ui.review.models import EvidenceTableModel, note_time
from ui.review.note_fields import NoteEdit, NoteTimeBinding, YearBinding, visit_style
from ui.review.widgets import card, label, scrolled
from ui.shell.binding import Binding, LineBinding, TextBinding, ValueBinding
from ui.shell.formatting import prose_date
from ui.shell.signals import emit

#: Files bigger than this are refused (a photo of a sheet is a few MB; a video is not evidence).
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
#: Narrower than this (in pixels), today's notes go under the note rather than beside it.
WIDE = 940
KEYS_HINT = "Ctrl+E new note · 1–8 activity · Alt+1–9 areas · Ctrl+Enter finish and start the next"


class EvidenceCapture(QWidget):
    """The capture screen for one review: the current note, the day's notes, coverage."""

    #: visit mode was switched on or off
    visit_mode_changed = Signal(bool)
    #: a note was made, or the current note changed to another: (note id or "")
    note_changed = Signal(str)

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.note_id: str | None = None
        self.note_date = ctx.today()
        self.visit_mode = False
        self._arranged = False
        self._present_default = ""
        self._base_font = QFont(self.font())
        self.setAcceptDrops(True)
        self.setAccessibleName("Evidence capture")
        self._build()
        self.bindings: list[Binding[Any]] = [
            NoteTimeBinding(
                self, self.time, record=self._note, ensure=self._create_note, label="time"
            ),
            ValueBinding(
                ctx.session,
                self.activity,
                "activity",
                record=self._note,
                ensure=self._create_note,
                label="activity",
            ),
            YearBinding(
                ctx.session,
                self.year_group,
                "year_group",
                record=self._note,
                ensure=self._create_note,
                label="year group",
            ),
            LineBinding(
                ctx.session,
                self.subject,
                "subject",
                record=self._note,
                ensure=self._create_note,
                label="subject",
            ),
            LineBinding(
                ctx.session,
                self.present,
                "present",
                record=self._note,
                ensure=self._create_note,
                label="who was present",
                personal=True,
            ),
            TextBinding(
                ctx.session,
                self.note,
                "note",
                record=self._note,
                ensure=self._create_note,
                label="note",
            ),
            ValueBinding(
                ctx.session,
                self.chips,
                "areas",
                record=self._note,
                ensure=self._create_note,
                label="areas",
            ),
        ]
        for b in self.bindings:
            b.saved.connect(self._saved)
            b.edited.connect(lambda: self._set_state("Saving…"))
        handlers: dict[QKeyCombination, Callable[[], object]] = {
            combo(k): self.finish_and_new
            for k in ("Ctrl+E", "Ctrl+Shift+N", "Ctrl+Return", "Ctrl+Enter")
        }
        handlers[
            QKeyCombination(
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.KeypadModifier,
                Qt.Key.Key_Enter,
            )
        ] = self.finish_and_new
        handlers[combo("F11")] = self.toggle_visit_mode
        handlers[combo("Ctrl+Shift+A")] = self.choose_attachments
        for n in range(1, 10):
            handlers[combo(f"Alt+{n}")] = partial(self.chips.toggle, n)
        self.keys = KeyCatcher(self, handlers)
        ctx.record_changed.connect(self._record_changed)
        ctx.reset.connect(self.reload)
        self.reload()
        self.start_new_note(focus=False)

    # ================================================================== building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.setSpacing(10)

        self.coverage_box, cov = card(margins=12)
        head = QHBoxLayout()
        head.addWidget(label("Evidence so far, per area", "cardTitle", wrap=False))
        self.gaps_label = label("", "muted")
        head.addWidget(self.gaps_label, 1)
        cov.addLayout(head)
        self.coverage = CoverageStrip()
        cov.addWidget(self.coverage)
        outer.addWidget(self.coverage_box)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_editor())
        self.splitter.addWidget(self._build_list())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 540])
        outer.addWidget(self.splitter, 1)

    def _build_editor(self) -> QWidget:
        frame, box = card(margins=16)
        self.editor_card = frame
        top = QHBoxLayout()
        self.heading = label("New note", "cardTitle", wrap=False)
        self.heading.setAccessibleName("Current note")
        top.addWidget(self.heading)
        top.addStretch(1)
        self.visit_button = QPushButton("Visit mode")
        self.visit_button.setCheckable(True)
        self.visit_button.setToolTip("Large text, one column: the note and today's notes (F11)")
        self.visit_button.setAccessibleName("Visit mode")
        self.visit_button.toggled.connect(self.set_visit_mode)
        top.addWidget(self.visit_button)
        self.new_button = QPushButton("New note")
        self.new_button.setToolTip("Finish this note and start the next (Ctrl+E or Ctrl+Enter)")
        self.new_button.setAccessibleName("New note")
        self.new_button.clicked.connect(self.finish_and_new)
        top.addWidget(self.new_button)
        box.addLayout(top)
        self.hint = label(KEYS_HINT + " · F11 visit mode", "muted")
        box.addWidget(self.hint)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName("Time")
        self.time.setToolTip("When the activity took place (filled in with the time now)")
        self.activity = ActivityPicker()
        self.year_group = QLineEdit()
        self.year_group.setPlaceholderText("e.g. Year 4 (type 4)")
        self.year_group.setAccessibleName("Year group")
        self._complete(self.year_group, YEAR_GROUPS)
        self.subject = QLineEdit()
        self.subject.setPlaceholderText("e.g. Maths")
        self.subject.setAccessibleName("Subject")
        self._subject_completer = self._complete(self.subject, SUBJECTS)
        self.present = QLineEdit()
        self.present.setAccessibleName("Who was present")
        self.present.setToolTip("The host leader and the reviewer who did this together")
        self.note = NoteEdit()
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText(
            "What you saw and heard about provision and pupils' experience (never a grade for a "
            "teacher). Saved as you type."
        )
        self.note.setMinimumHeight(110)
        self.chips = AreaChips()
        self.field_labels: list[QLabel] = []

        def caption(text: str, buddy: QWidget) -> QLabel:
            lbl = QLabel(text)
            lbl.setBuddy(buddy)
            self.field_labels.append(lbl)
            return lbl

        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        grid.addWidget(caption("T&ime", self.time), 0, 0, right)
        grid.addWidget(self.time, 0, 1)
        grid.addWidget(caption("&Year group", self.year_group), 0, 2, right)
        grid.addWidget(self.year_group, 0, 3)
        grid.addWidget(caption("Su&bject", self.subject), 0, 4, right)
        grid.addWidget(self.subject, 0, 5)
        grid.addWidget(
            caption("A&ctivity", self.activity),
            1,
            0,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
        )
        grid.addWidget(self.activity, 1, 1, 1, 5)
        grid.addWidget(caption("Prese&nt", self.present), 2, 0, right)
        grid.addWidget(self.present, 2, 1, 1, 5)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)
        self.time.setMinimumWidth(90)
        box.addLayout(grid)
        box.addWidget(caption("N&ote", self.note))
        box.addWidget(self.note, 1)
        box.addWidget(caption("Bears on  (Alt+1 to Alt+9, or Tab and Space)", self.chips))
        box.addWidget(self.chips)

        attach_row = QHBoxLayout()
        self.attach_button = QPushButton("Attach photo or scan…")
        self.attach_button.setToolTip(
            "Attach a photo or scan of an observation sheet "
            "(Ctrl+Shift+A), or drop files on this screen"
        )
        self.attach_button.setAccessibleName("Attach a photo or scan")
        self.attach_button.clicked.connect(self.choose_attachments)
        attach_row.addWidget(self.attach_button)
        self.attachments_label = label("or drop files here", "muted")
        attach_row.addWidget(self.attachments_label, 1)
        self.state = label("", "muted")
        self.state.setAccessibleName("Save state")
        self.state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        attach_row.addWidget(self.state, 1)
        box.addLayout(attach_row)

        self.activity.chosen_by_key.connect(
            lambda: self.year_group.setFocus(Qt.FocusReason.TabFocusReason)
        )
        QWidget.setTabOrder(self.time, self.activity)
        QWidget.setTabOrder(self.activity, self.year_group)
        QWidget.setTabOrder(self.year_group, self.subject)
        QWidget.setTabOrder(self.subject, self.present)
        QWidget.setTabOrder(self.present, self.note)
        scroll = scrolled(frame)
        scroll.setMinimumWidth(420)
        return scroll

    def _complete(self, edit: QLineEdit, words: tuple[str, ...] | list[str]) -> QCompleter:
        completer = QCompleter(list(words), edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(completer)
        return completer

    def _build_list(self) -> QWidget:
        frame, box = card(margins=12)
        self.list_card = frame
        top = QHBoxLayout()
        self.list_title = label("Today's notes", "cardTitle", wrap=False)
        top.addWidget(self.list_title, 1)
        self.day = QComboBox()
        self.day.setAccessibleName("Which day's notes")
        self.day.setToolTip("Show the notes of one day of the visit, or all of them")
        self.day.currentIndexChanged.connect(self._day_chosen)
        top.addWidget(self.day)
        box.addLayout(top)
        self.model = EvidenceTableModel(self.ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Evidence notes")
        self.table.setToolTip("Enter or double-click a note to carry on with it")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for col, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Interactive,
            )
        ):
            header.setSectionResizeMode(col, mode)
        header.setSectionHidden(4, True)  # the areas are on the chips and in the tooltip
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.activated.connect(self._open_row)
        self.table.doubleClicked.connect(self._open_row)
        box.addWidget(self.table, 1)
        self.empty_list = label("No notes yet today. Start one with Ctrl+E.", "muted")
        box.addWidget(self.empty_list)
        return frame

    # ================================================================== reading

    def reload(self) -> None:
        """Areas, counts, the day list and the notes list, from the store."""
        areas = self.ctx.areas()
        counts = rv.evidence_counts(self.ctx.store, self.ctx.review_id)
        self.chips.set_areas(areas, counts)
        self.coverage.set_areas(areas, counts)
        self._fill_days()
        self._present_default = self._who_was_present()
        self._subject_words()
        self._update_counts()

    def _fill_days(self) -> None:
        review = self.ctx.review()
        start, end = rv.as_date(review.get("start_date")), rv.as_date(review.get("end_date"))
        visit: list[dt.date] = []
        if start is not None:
            d = start
            while d <= (end or start) and len(visit) < 10:
                visit.append(d)
                d += dt.timedelta(days=1)
        noted = {
            t.date()
            for n in rv.evidence(self.ctx.store, self.ctx.review_id)
            if (t := note_time(n)) is not None
        }
        today = self.ctx.today()
        # Today is offered during the visit (or once it has notes): a past review opens on its
        # own days, all of them, not on an empty "Today".
        during = today in visit or today in noted
        days = sorted(set(visit) | noted | ({today} if during else set()))
        current = self.day.currentData()
        was = self.day.blockSignals(True)
        self.day.clear()
        for d in days:
            text = prose_date(d)
            if d in visit:
                text = f"Day {visit.index(d) + 1} of {len(visit)} · {text}"
            if d == today:
                text = f"Today · {text}"
            self.day.addItem(text, d.isoformat())
        self.day.addItem("All days", "")
        wanted = current if current is not None else (today.isoformat() if during else "")
        i = self.day.findData(wanted)
        self.day.setCurrentIndex(i if i >= 0 else self.day.count() - 1)
        self.day.blockSignals(was)
        self._day_chosen()

    def _day_chosen(self, *_args: Any) -> None:
        value = self.day.currentData()
        day = dt.date.fromisoformat(value) if value else None
        self.model.set_day(day)
        self._update_counts()

    def _who_was_present(self) -> str:
        team = self.ctx.team()
        host = next((m for m in team if m.get("role") == "Host link leader"), None)
        author = (self.ctx.store.device.author or "").strip().casefold()
        me = next(
            (m for m in team if m.get("name", "").strip().casefold() == author and m is not host),
            None,
        )
        if me is None:
            me = next((m for m in team if m.get("role") == "Lead reviewer"), None)
        people = [m for m in (host, me) if m is not None and m.get("name")]
        return ", ".join(f"{m['name']} ({m['role'].lower()})" for m in people)

    def _subject_words(self) -> None:
        used = {n.get("subject", "") for n in rv.evidence(self.ctx.store, self.ctx.review_id)}
        words = sorted(set(SUBJECTS) | {u for u in used if u}, key=str.casefold)
        model = self._subject_completer.model()
        if isinstance(model, QStringListModel):  # the one QCompleter(words) made
            model.setStringList(words)

    def _update_counts(self) -> None:
        counts = rv.evidence_counts(self.ctx.store, self.ctx.review_id)
        self.chips.set_counts(counts)
        self.coverage.set_counts(counts)
        gaps = self.coverage.gaps()
        self.gaps_label.setText(
            "Every area has evidence."
            if not gaps and self.coverage.pills
            else ("No evidence yet for: " + ", ".join(gaps) + "." if gaps else "")
        )
        n = self.model.rowCount()
        value = self.day.currentData()
        if value == self.ctx.today().isoformat():
            title = "Today's notes"
        elif value:
            title = f"Notes on {prose_date(value)}"
        else:
            title = "All notes"
        self.list_title.setText(f"{title} · {n}")
        self.empty_list.setVisible(n == 0)
        self.empty_list.setText(
            "No notes yet on this day. Start one with Ctrl+E."
            if value
            else "No notes yet. Start one with Ctrl+E."
        )

    def _record_changed(self, record_id: str, kind: str) -> None:
        if kind == "evidence":
            rec = self.ctx.store.get(record_id)
            if record_id == self.note_id and rec.deleted:
                self.start_new_note(focus=False)  # the note was undone
            when = note_time(rec)
            if when is not None and self.day.findData(when.date().isoformat()) < 0:
                self._fill_days()
            self._update_counts()
            self._select_current()
        elif kind == "attachment":
            self._show_attachments()
        elif kind in ("enquiry_line", "review", "review_member"):
            self.reload()

    # ================================================================== notes

    def _note(self) -> str | None:
        return self.note_id

    def default_activity(self) -> str:
        """What the schedule says is happening now, else the last note's activity."""
        now = self.ctx.clock()
        hhmm = f"{now:%H:%M}"
        current = None
        for a in rv.schedule(self.ctx.store, self.ctx.review_id):
            if a.get("day") == now.date().isoformat() and a.get("start", "99") <= hhmm:
                if not a.get("end") or hhmm < a["end"] or current is None:
                    current = a
        if current is not None and current.get("activity") in rv.ACTIVITIES:
            return str(current["activity"])
        notes = rv.evidence(self.ctx.store, self.ctx.review_id)
        if notes and notes[-1].get("activity") in rv.ACTIVITIES:
            return str(notes[-1]["activity"])
        return rv.ACTIVITIES[1]

    def _create_note(self) -> str | None:
        """Make the note from what is on screen (on the first edit), as one undoable step."""
        if (
            self.note_id is not None
            and self.ctx.store.exists(self.note_id)
            and not self.ctx.store.get(self.note_id).deleted
        ):
            return self.note_id
        t = self.time.time()
        moment = dt.datetime.combine(self.note_date, dt.time(t.hour(), t.minute()))
        present = self._present_default if self.bindings[4].hidden else self.present.text().strip()
        store, review = self.ctx.store, self.ctx.review_id
        note_id = self.ctx.create(
            lambda: rv.add_evidence(
                store,
                review,
                activity=self.activity.value() or self.default_activity(),
                note=self.note.toPlainText(),
                time=moment,
                year_group=normalise_year(self.year_group.text()),
                subject=self.subject.text().strip(),
                present=present,
                areas=self.chips.value(),
            ),
            "evidence",
            "evidence note",
        )
        if note_id is not None:
            self.note_id = note_id
            emit(self.note_changed, note_id)
            self._heading()
            self.ctx.notify(review, "review")  # its first note may have started the visit
        return note_id

    def _heading(self) -> None:
        if self.note_id is None:
            self.heading.setText("New note")
            return
        rec = self.ctx.store.get(self.note_id)
        t = note_time(rec)
        when = f"{t:%H:%M}" if t else ""
        same_day = t is not None and t.date() == self.ctx.today()
        self.heading.setText(
            f"Note at {when}" + ("" if same_day or t is None else f" on {prose_date(t.date())}")
        )

    def _set_state(self, text: str) -> None:
        self.state.setText(text)

    def _saved(self) -> None:
        if self.note_id is not None:
            self._set_state(
                f"✓ Saved at {self.ctx.clock():%H:%M}. Ctrl+Enter finishes it and "
                "starts the next note."
            )

    def start_new_note(self, focus: bool = True) -> None:
        """A blank note with the time now, the activity on the schedule and who is present."""
        for b in self.bindings:
            b.save()
        self.note_id = None
        now = self.ctx.clock()
        self.note_date = now.date()
        self.bindings[0].show(now.replace(second=0, microsecond=0).isoformat(timespec="minutes"))
        self.bindings[1].show(self.default_activity())
        for b in self.bindings[2:4]:
            b.show(None)
        self.bindings[4].show(self._present_default)  # not when privacy mode hides it
        self.bindings[5].show(None)
        self.bindings[6].show([])
        self._heading()
        self._show_attachments()
        self._set_state("Not saved until you choose an activity, type or pick an area.")
        self.table.clearSelection()
        emit(self.note_changed, "")
        if focus:
            self.activity.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def finish_and_new(self) -> None:
        """Ctrl+Enter / Ctrl+E: save the note now and start the next one."""
        self.start_new_note(focus=True)

    def open_note(self, note_id: str) -> None:
        """Carry on with an earlier note."""
        for b in self.bindings:
            b.save()
        rec = self.ctx.store.get(note_id)
        self.note_id = note_id
        t = note_time(rec)
        self.note_date = t.date() if t else self.ctx.today()
        for b in self.bindings:
            b.show(rec.values.get(b.field))  # a binding privacy mode hides shows nothing
        self._heading()
        self._show_attachments()
        self._set_state("✓ Saved. Changes are saved as you type.")
        emit(self.note_changed, note_id)
        self._select_current()
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)
        self.note.moveCursor(self.note.textCursor().MoveOperation.End)

    def show_note(self, note_id: str) -> None:
        """Open a note, with the list showing its day (search's way to a note)."""
        rec = self.ctx.store.get(note_id)
        t = note_time(rec)
        i = self.day.findData(t.date().isoformat()) if t is not None else -1
        if i < 0:
            self._fill_days()
            i = self.day.findData(t.date().isoformat()) if t is not None else -1
        self.day.setCurrentIndex(i if i >= 0 else self.day.count() - 1)  # else All days
        self.open_note(note_id)
        row = self.model.row_of(note_id)
        if row >= 0:
            self.table.scrollTo(self.model.index(row, 0))

    def _open_row(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_note(self.model.rows[index.row()].id)

    def _select_current(self) -> None:
        row = self.model.row_of(self.note_id) if self.note_id else -1
        if row >= 0:
            self.table.selectRow(row)

    # ================================================================== attachments

    def attachments(self) -> list[Record]:
        if self.note_id is None:
            return []
        return self.ctx.store.list("attachment", where={"owner": self.note_id}, order_by="filename")

    def _show_attachments(self) -> None:
        files = self.attachments()
        self.attachments_label.setText(
            "📎 " + " · ".join(a.get("filename", "file") for a in files)
            if files
            else "or drop files here"
        )

    def attach(self, data: bytes, filename: str, media_type: str = "") -> str | None:
        """Attach a file to the current note (making the note if it does not exist yet)."""
        if len(data) > MAX_ATTACHMENT_BYTES:
            self._set_state(
                f"{filename} is larger than 25 MB and was not attached. Attach a "
                "smaller photo or a scan."
            )
            return None
        media_type = media_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        for b in self.bindings:
            b.save()
        with self.ctx.session.step(f"attach {filename}"):
            note_id = self._create_note()
            att = (
                None
                if note_id is None
                else self.ctx.create(
                    lambda: self.ctx.store.add_attachment(
                        note_id, data, filename=filename, media_type=media_type
                    ),
                    "attachment",
                    f"attachment {filename}",
                )
            )
        self._show_attachments()
        if att is not None:
            self._set_state(f"✓ Attached {filename}.")
        return att

    def attach_paths(self, paths: list[Path]) -> int:
        done = 0
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError as exc:
                self._set_state(f"Could not read {path.name} ({exc.strerror}). Nothing attached.")
                continue
            if self.attach(data, path.name) is not None:
                done += 1
        return done

    def choose_attachments(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Attach photos or scans",
            str(Path.home()),
            "Images and documents (*.jpg *.jpeg *.png *.heic *.pdf *.docx);;All files (*)",
        )
        self.attach_paths([Path(p) for p in paths])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        mime = event.mimeData()
        if mime.hasImage() or any(u.isLocalFile() for u in mime.urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        mime = event.mimeData()
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        if paths:
            self.attach_paths([p for p in paths if p.is_file()])
        elif mime.hasImage():
            image = QImage(mime.imageData())
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            # QImage.save(buffer, "PNG"), written out: its stub wants bytes, which it refuses
            QImageWriter(buffer, QByteArray(b"PNG")).write(image)
            data: QByteArray = buffer.data()
            stamp = self.ctx.clock().strftime("%H%M")
            self.attach(bytes(data.data()), f"photo-{stamp}.png", "image/png")
        event.acceptProposedAction()

    # ================================================================== visit mode and keys

    def toggle_visit_mode(self) -> None:
        self.set_visit_mode(not self.visit_mode)

    def set_visit_mode(self, on: bool) -> None:
        """Large text, one column: the current note and the day's notes only."""
        if on == self.visit_mode:
            return
        self.visit_mode = on
        was = self.visit_button.blockSignals(True)
        self.visit_button.setChecked(on)
        self.visit_button.blockSignals(was)
        self.visit_button.setText("Leave visit mode" if on else "Visit mode")
        self.setStyleSheet(visit_style(self._base_font) if on else "")
        self.hint.setVisible(not on)
        self.hint.setText(KEYS_HINT + (" · F11 leaves visit mode" if on else " · F11 visit mode"))
        self._arrange(self.width())
        emit(self.visit_mode_changed, on)

    def _arrange(self, width: int) -> None:
        """Wide (a big screen, not visit mode): the note beside today's notes, with the strip of
        evidence per area above. Otherwise one column, the note above today's notes, and the
        counts on the area chips instead of the strip (the gaps stay in sight, in less room)."""
        wide = width >= WIDE and not self.visit_mode
        self.coverage_box.setVisible(wide)
        self.chips.set_show_counts(not wide)
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation or not self._arranged:
            self._arranged = True
            self.splitter.setOrientation(orientation)
            tall = max(self.height(), 500)
            self.splitter.setSizes([700, 540] if wide else [int(tall * 0.72), int(tall * 0.28)])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.keys.install()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.keys.remove()
        for b in self.bindings:
            b.save()
        super().hideEvent(event)

    def flush(self) -> None:
        for b in self.bindings:
            b.save()
