"""Editors are built from form definitions: every field type shows, saves and reloads its value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from peerreview.forms import FormDefinition, FormLibrary, forms_dir, load_forms
from peerreview.sync.store import Store
from ui.shell.editors import RecordEditor
from ui.shell.fields import NO_DATE
from ui.shell.formatting import prose_date, prose_datetime, table_date
from ui.shell.privacy import PrivacyMode
from ui.shell.session import Session

EVERY_TYPE = {
    "form": {"id": "visit-check", "version": 1, "title": "Visit check", "kind": "school"},
    "scale": [
        {
            "id": "rag",
            "title": "RAG",
            "levels": [
                {"value": "green", "label": "Green"},
                {"value": "amber", "label": "Amber"},
                {"value": "red", "label": "Red"},
            ],
        }
    ],
    "section": [
        {
            "id": "all",
            "title": "Everything",
            "field": [
                {"id": "summary", "label": "Summary", "type": "text"},
                {"id": "detail", "label": "Detail", "type": "longtext"},
                {
                    "id": "focus",
                    "label": "Focus",
                    "type": "choice",
                    "options": ["Reading", "Maths"],
                },
                {"id": "rating", "label": "Rating", "type": "scale", "scale": "rag"},
                {"id": "visited", "label": "Visited on", "type": "date"},
                {"id": "host", "label": "Host leader", "type": "person"},
                {"id": "partner", "label": "Partner school", "type": "school"},
                {
                    "id": "activities",
                    "label": "Activities",
                    "type": "checklist",
                    "options": ["Learning walk", "Book look", "Pupil voice"],
                },
                {
                    "id": "schedule",
                    "label": "Schedule",
                    "type": "rows",
                    "columns": [
                        {"id": "time", "label": "Time", "type": "text"},
                        {
                            "id": "what",
                            "label": "Activity",
                            "type": "choice",
                            "options": ["Walk", "Talk"],
                        },
                        {"id": "pupils", "label": "Pupils", "type": "number"},
                    ],
                },
                {"id": "visitors", "label": "Visitors", "type": "number"},
                {"id": "agreed", "label": "Agreed with the host", "type": "boolean"},
            ],
        }
    ],
}


@pytest.fixture
def session(app: Any, tmp_path: Path) -> Any:
    form = FormDefinition.from_mapping(EVERY_TYPE, source="test")
    library = FormLibrary([*load_forms(forms_dir()), form])
    store = Store.init(tmp_path / "p.db", device_name="Test laptop", partnership_name="P")
    s = Session(store, forms=library, privacy=PrivacyMode())
    yield s
    store.close()


def test_every_field_type_saves_and_reloads(session: Any, qtbot: Any) -> None:
    store = session.store
    refused: list[str] = []
    session.message.connect(refused.append)
    other = store.create("school", {"name": "Holbrook Primary"})
    school = store.create("school", {"name": "Coundon Court"}, form=("visit-check", 1))
    person = store.create("person", {"name": "Ben Jones", "school": school})
    editor = RecordEditor(session, store.get(school))
    qtbot.addWidget(editor)
    b = editor.binder_for
    assert b("visit_check.summary").focus_widget().accessibleName() == "Summary"

    QTest.keyClicks(b("visit_check.summary").focus_widget(), "Good visit")
    b("visit_check.detail").focus_widget().setPlainText("Long\ntext")
    focus = b("visit_check.focus").focus_widget()
    focus.setCurrentIndex(focus.findData("Maths"))
    rating = b("visit_check.rating").focus_widget()
    rating.setCurrentIndex(rating.findData("amber"))
    assert rating.currentText() == "Amber"
    b("visit_check.visited").date_edit.setDate(QDate(2026, 3, 3))
    assert b("visit_check.visited").date_edit.text() == "03/03/2026"
    host = b("visit_check.host").focus_widget()
    host.ensure_loaded()
    host.setCurrentIndex(host.findData(person))
    partner = b("visit_check.partner").focus_widget()
    partner.ensure_loaded()
    partner.setCurrentIndex(partner.findData(other))
    activities = b("visit_check.activities").focus_widget()
    activities.item(0).setCheckState(Qt.CheckState.Checked)
    activities.item(2).setCheckState(Qt.CheckState.Checked)
    rows = b("visit_check.schedule")
    rows.add_button.click()
    rows.table.item(0, 0).setText("09:10")
    rows.table.item(0, 1).setText("Walk")
    rows.table.item(0, 2).setText("6")
    QTest.keyClicks(b("visit_check.visitors").focus_widget(), "3x")  # the x is refused
    b("visit_check.agreed").focus_widget().setChecked(True)
    editor.save_pending()

    assert refused == []
    values = store.get(school).values
    assert values.get("visit_check.summary") == "Good visit", values
    assert values["visit_check.detail"] == "Long\ntext"
    assert values["visit_check.focus"] == "Maths"
    assert values["visit_check.rating"] == "amber"
    assert values["visit_check.visited"] == "2026-03-03"
    assert values["visit_check.host"] == person
    assert values["visit_check.partner"] == other
    assert values["visit_check.visitors"] == 3
    assert values["visit_check.agreed"] in (True, 1)

    again = RecordEditor(session, store.get(school))
    qtbot.addWidget(again)
    assert again.binder_for("visit_check.activities").value() == ["Learning walk", "Pupil voice"]
    assert again.binder_for("visit_check.schedule").value() == [
        {"time": "09:10", "what": "Walk", "pupils": 6}
    ]
    assert again.binder_for("visit_check.visited").value() == "2026-03-03"
    assert again.binder_for("visit_check.host").focus_widget().currentText().startswith("Ben Jones")
    assert again.binder_for("visit_check.agreed").value() is True

    # Clearing a date stores nothing, and undo brings it back.
    again.binder_for("visit_check.visited").clear_button.click()
    again.save_pending()
    assert again.binder_for("visit_check.visited").date_edit.date() == NO_DATE
    assert store.get(school)["visit_check.visited"] is None
    session.undo_stack.undo()
    assert store.get(school)["visit_check.visited"] == "2026-03-03"


AMERICAN_LAPTOP = r"""
import datetime as dt, json, sys
from pathlib import Path
from PySide6.QtCore import QDate, QLocale, Qt
from peerreview.sync.store import Store
from ui.shell.app import make_application
from ui.shell.formatting import prose_date, table_date
from ui.partnership.memberships import MembershipTableModel
from ui.shell.session import Session

system = QLocale.system().name()  # before the app sets its own default
app = make_application()
store = Store.init(Path(sys.argv[1]), device_name="Laptop", partnership_name="P")
school = store.create("school", {"name": "Coundon Court"})
group = store.create("group", {"name": "North Trio"})
store.create("membership", {"group": group, "school": school, "start": "2026-03-03"})
model = MembershipTableModel(Session(store), group)
joined = model.data(model.index(0, 2), Qt.ItemDataRole.DisplayRole)
print(json.dumps({
    "system": system,
    "table": joined,
    "widget": QLocale().toString(QDate(2026, 3, 3), QLocale.FormatType.ShortFormat),
    "prose": prose_date("2026-03-03"),
    "python_table": table_date(dt.date(2026, 3, 3)),
}))
store.close()
"""


def test_british_dates_whatever_the_laptop_says(tmp_path: Path, probe: Any) -> None:
    """A laptop set to American English (a fresh process, so the locale is read at start-up)
    still shows 03/03/2026 in tables and 3 March 2026 in prose."""

    seen = probe(
        AMERICAN_LAPTOP,
        str(tmp_path / "p.db"),
        LANG="en_US.UTF-8",
        LC_ALL="en_US.UTF-8",
        LC_TIME="en_US.UTF-8",
        QT_QPA_PLATFORM="offscreen",
    )
    assert seen["system"] == "en_US"  # the laptop really says American
    assert seen["table"] == "03/03/2026"  # a table's date column
    assert seen["widget"] == "03/03/2026"  # date boxes
    assert seen["prose"] == "3 March 2026"
    assert seen["python_table"] == "03/03/2026"


def test_date_helpers() -> None:
    import datetime as dt

    assert table_date("2026-03-03") == "03/03/2026"
    assert prose_date("2026-03-03") == "3 March 2026"
    assert prose_datetime(dt.datetime(2026, 3, 3, 10, 42)) == "3 March 2026, 10:42"
    assert table_date(None) == "" and prose_date("not a date") == ""


def test_widgets_use_the_british_locale(app: Any) -> None:
    from PySide6.QtCore import QLocale

    assert QLocale().name() == "en_GB"
    assert QLocale().toString(QDate(2026, 3, 3), QLocale.FormatType.ShortFormat) == "03/03/2026"


def test_dark_scheme_palette(app: Any) -> None:
    from PySide6.QtGui import QPalette

    from ui.shell.theme import dark_palette

    palette = dark_palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() < 80
    assert palette.color(QPalette.ColorRole.Text).lightness() > 180
