"""On the partnership's page: what is overdue and what falls due this fortnight, for the schools
this laptop works with. Each line opens its action; "Schools…" chooses the schools (kept on this
laptop only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerreview.plans.due import (
    FORTNIGHT,
    ActionLine,
    DueList,
    due_and_overdue,
    my_schools,
    set_my_schools,
)
from peerreview.reports.model import long_date
from peerreview.sync.store import Store
from ui.review.widgets import card, label
from ui.shell.background import BackgroundReads
from ui.shell.session import Session

RECORD = Qt.ItemDataRole.UserRole

#: Up to this many actions the lists are read on the window's thread (see ``DueActions.refresh``).
READ_HERE_UP_TO = 1_000


class DueActions(QWidget):
    """Overdue actions and those due within a fortnight."""

    def __init__(
        self,
        session: Session,
        *,
        open_record: Callable[[str], object],
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dueActions")
        self.session, self.open_record = session, open_record
        self.today = today or dt.date.today()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        frame, box = card("Actions: overdue, and due this fortnight")
        outer.addWidget(frame)
        head = QHBoxLayout()
        self.whose = label("", "muted")
        head.addWidget(self.whose, 1)
        choose = QPushButton("Schools…")
        choose.setToolTip("Choose the schools this laptop works with")
        choose.clicked.connect(self.choose_schools)
        head.addWidget(choose)
        box.addLayout(head)
        self.overdue_title = label("", "eyebrow")
        box.addWidget(self.overdue_title)
        self.overdue = self._list("Overdue actions")
        box.addWidget(self.overdue)
        self.soon_title = label("", "eyebrow")
        box.addWidget(self.soon_title)
        self.soon = self._list("Actions due this fortnight")
        box.addWidget(self.soon)
        self.reads: BackgroundReads | None = None  # made when first needed
        self.refresh()

    def _list(self, name: str) -> QListWidget:
        w = QListWidget()
        w.setAccessibleName(name)
        w.setMaximumHeight(150)
        # A laptop's column is narrow: lines wrap rather than scroll sideways.
        w.setWordWrap(True)
        w.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        w.setResizeMode(QListWidget.ResizeMode.Adjust)
        w.itemActivated.connect(lambda item: self.open_record(str(item.data(RECORD))))
        return w

    def refresh(self) -> None:
        """Read the lists again.

        With many actions (a regional partnership's 15,000) on a worker thread: the reading takes
        30-40 ms, which on the window's thread stalled the start page as it opened (after an
        import, too); the lists fill in when it answers. With a few it is read here at once, as
        a worker's own connection would cost more than the reading.
        """
        today = self.today

        def read(store: Store) -> tuple[list[str] | None, DueList]:
            schools = my_schools(store)
            return schools, due_and_overdue(store, today, schools=schools)

        if self.session.store.count("action", at_most=READ_HERE_UP_TO + 1) <= READ_HERE_UP_TO:
            self._show(read(self.session.store))
            return
        if self.reads is None:
            self.reads = BackgroundReads(self.session, self)
        self.reads.read("due", read, self._show)

    def _show(self, value: tuple[list[str] | None, DueList]) -> None:
        schools, found = value
        self.whose.setText(
            f"For {len(schools)} school{'s' if len(schools) != 1 else ''} this laptop works with"
            if schools
            else "For every school"
        )
        self.overdue_title.setText(f"OVERDUE ({len(found.overdue)})")
        self.soon_title.setText(f"DUE IN THE NEXT {FORTNIGHT} DAYS ({len(found.due_soon)})")
        self._fill(self.overdue, found.overdue, late=True)
        self._fill(self.soon, found.due_soon, late=False)

    def _fill(self, target: QListWidget, lines: tuple[ActionLine, ...], *, late: bool) -> None:
        target.clear()
        for a in lines[:50]:
            when = (
                (f"{a.days_overdue(self.today)} days late" if late else f"due {long_date(a.due)}")
                if a.due
                else ""
            )
            text = f"{a.school_name} · {a.title} · {a.owner_role or 'no owner'} · {when}"
            item = QListWidgetItem(text)
            item.setData(RECORD, a.id)
            item.setToolTip(
                f"{text}\n{a.priority_title}\n{a.status.label}, due {long_date(a.due)}"
                if a.due
                else text
            )
            target.addItem(item)
        if not lines:
            target.addItem(QListWidgetItem("None" if late else "Nothing due"))

    def choose_schools(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Schools this laptop works with")
        box = QVBoxLayout(dialog)
        box.addWidget(
            label("Tick the schools whose actions this laptop shows. None ticked: all.", "muted")
        )
        schools = QListWidget()
        chosen = set(my_schools(self.session.store) or [])
        for record in self.session.store.list("school"):
            item = QListWidgetItem(record.title)
            item.setData(RECORD, record.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if record.id in chosen else Qt.CheckState.Unchecked
            )
            schools.addItem(item)
        box.addWidget(schools)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        box.addWidget(buttons)
        dialog.resize(420, 480)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        ticked = [
            str(schools.item(i).data(RECORD))
            for i in range(schools.count())
            if schools.item(i).checkState() == Qt.CheckState.Checked
        ]
        set_my_schools(self.session.store, ticked)
        self.refresh()
