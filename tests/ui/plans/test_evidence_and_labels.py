"""What a coordinator reads in the plans' editors: words, not stored values; and evidence the
school already has, linked to a progress update, listed by name and opened from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QWidget

from peerreview.oversight import indicators as ind
from peerreview.plans import plans as pl
from peerreview.sync.store import Store

D = dt.date


def _combo(window: Any, name: str) -> QComboBox:
    editor = window.detail.editor
    assert editor is not None
    found = [c for c in editor.findChildren(QComboBox) if c.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def _visible_words(window: Any) -> list[str]:
    """Every choice the open editor offers, and every line of text it shows."""
    editor = window.detail.editor
    words = [c.itemText(i) for c in editor.findChildren(QComboBox) for i in range(c.count())]
    return words + [e.text() for e in editor.findChildren(QLineEdit)]


def test_choices_show_words_and_store_values(open_window: Any, db_path: Path) -> None:
    window = open_window(db_path)
    store: Store = window.session.store
    school = store.list("school")[0].id
    support = store.create(
        "support",
        {
            "school": school,
            "provider_type": "partner_school",
            "provider": "Grace Academy's maths lead",
            "purpose": "Coaching on feedback",
        },
    )
    store.update(support, {"status": "under_way", "impact_rating": "too_early"})
    # Made by the core before the window shows them (the navigator reads them as it opens).
    plan = pl.create_plan(store, school, school_year=pl.SchoolYear(2025))
    review = pl.add_impact_review(store, plan, on=D(2026, 7, 1), impact=pl.Impact.SOME)
    indicator = ind.add_indicator(
        store, school, "persistent_absence", value="12.5", on=D(2026, 1, 10), source="DfE"
    )
    assert window.select_record(support)
    kind = _combo(window, "Kind of provider")
    assert kind.currentText() == "A partner school"
    assert _combo(window, "Status").currentText() == "Under way"
    assert _combo(window, "Impact").currentText() == "Too early to say"
    words = _visible_words(window)
    assert not [w for w in words if "_" in w], words  # no stored value shows
    assert "Purged" not in " ".join(words)
    kind.setCurrentIndex(kind.findText("An external organisation"))
    assert store.get(support)["provider_type"] == "external"  # the value is stored

    assert window.select_record(review)
    assert window.detail.record.id == review  # deep in the plan, shown in its own place
    assert _combo(window, "Impact").currentText() == "Some impact"
    words = _visible_words(window)
    assert not [w for w in words if "_" in w or plan in w], words  # nor an id

    assert window.select_record(indicator)
    assert _combo(window, "Measure").currentText() == "Persistent absence"


def test_evidence_is_linked_listed_and_opened(
    open_window: Any, db_path: Path, qtbot: Any, monkeypatch: Any
) -> None:
    from ui.plans.evidence import EvidenceList, EvidencePicker

    window = open_window(db_path)
    store: Store = window.session.store
    school = store.list("school")[0].id
    indicator = ind.add_indicator(
        store, school, "attendance", value="94.1", on=D(2026, 1, 10), source="DfE"
    )
    photo = store.add_attachment(school, b"png", filename="display.png", media_type="image/png")
    plan = pl.create_plan(store, school, school_year=pl.SchoolYear(2025))
    priority = pl.add_priority(store, plan, "Attendance")
    action = pl.add_action(store, priority, "Family liaison calls")
    update = pl.add_update(store, action, on=D(2026, 2, 1), text="Calls made.")
    assert window.select_record(update)
    assert window.detail.record.id == update
    panel = window.findChild(EvidenceList, "evidenceList")
    assert panel is not None and panel.isVisible()
    assert panel.texts() == [] and panel.empty.isVisible()

    seen: list[list[str]] = []

    def choose_all(picker: EvidencePicker) -> int:
        # What the picker shows a person: titles and kinds, no ids; then the person finds one.
        rows = [picker.list.item(i).text() for i in range(picker.list.count())]
        seen.append(rows)
        qtbot.keyClicks(picker.search, "attendance")
        assert picker.list.count() == 1
        picker.list.item(0).setSelected(True)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(EvidencePicker, "exec", choose_all)
    qtbot.mouseClick(panel.link_button, Qt.MouseButton.LeftButton)
    assert any(r.startswith("display.png\nAttachment") for r in seen[0])
    assert any(r.startswith("Attendance: 94.1%\nIndicator") for r in seen[0])
    assert not [r for r in seen[0] if school in r or indicator in r]
    assert store.get(update)["evidence"] == [indicator]
    assert panel.texts()[0].startswith("Attendance: 94.1%")

    window.undo()  # linking is one undoable step
    assert not store.get(update).get("evidence")
    window.redo()
    assert store.get(update)["evidence"] == [indicator]
    panel = window.findChild(EvidenceList, "evidenceList")
    assert panel is not None
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert window.detail.record.id == indicator  # opened from the list

    # The progress update dialog links evidence as the update is recorded.
    from ui.plans.update_dialog import ProgressUpdateDialog

    dialog = ProgressUpdateDialog(window.session, action, today=D(2026, 3, 1))
    qtbot.addWidget(dialog)
    dialog.text.setPlainText("Attendance up.")
    dialog.add_linked([photo])
    assert dialog.attached.text() == "display.png"
    dialog.record()
    assert dialog.update_id and store.get(dialog.update_id)["evidence"] == [photo]
    assert isinstance(window.findChild(QWidget, "evidenceList"), EvidenceList)
