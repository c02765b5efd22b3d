"""Evidence capture from the keyboard alone, as in a Year 4 corridor at 10:40 (UX moment 1)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from test_review_fixtures import focused, plan

from peerreview.review import reviews as rv
from ui.review.capture import EvidenceCapture
from ui.review.capture_parts import ActivityPicker

#: ASCII markup typed key by key, then Welsh and accented letters as an input method sends them.
UNICODE = "Zoë Ní Bhriain — ŵŷ"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
TYPED = '<b>Ysgol & "Zoe"</b> ' + UNICODE

pytest_plugins = ("test_review_fixtures",)  # the review fixtures


def _type_note(
    activity_key: Qt.Key,
    year: str,
    subject: str,
    text: str,
    area_keys: list[Qt.Key],
    capture: EvidenceCapture,
) -> None:
    """One note as a reviewer types it: Ctrl+E, a number, year, subject, note, Alt+n, Ctrl+Enter."""
    QTest.keyClick(focused(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert focused() is capture.activity
    QTest.keyClick(focused(), activity_key)
    assert focused() is capture.year_group  # a number key chooses and moves on
    QTest.keyClicks(focused(), year)
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), subject)
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is capture.present
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is capture.note
    ascii_part, _, rest = text.partition(UNICODE)
    QTest.keyClicks(focused(), ascii_part)
    if _:  # QTest types ASCII only: the rest arrives as an input method would send it
        capture.note.insertPlainText(UNICODE + rest)
    for key in area_keys:
        QTest.keyClick(focused(), key, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_three_notes_with_the_keyboard_only(open_workspace: Any, session: Any) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    ws.show_tab("evidence")
    capture = ws.capture
    areas = [a.id for a in ws.ctx.areas()]
    assert capture.coverage.pills[areas[0]].count == 0
    assert capture.default_activity() == "Work scrutiny"  # what the schedule says at 10:40

    ws.tabs.tabBar().setFocus()
    _type_note(
        Qt.Key.Key_2,
        "4",
        "Maths",
        f"Pupils explained their reasoning. {TYPED}",
        [Qt.Key.Key_1],
        capture,
    )
    _type_note(
        Qt.Key.Key_4,
        "6",
        "English",
        "Pupils could say what they were learning.",
        [Qt.Key.Key_1, Qt.Key.Key_3],
        capture,
    )
    _type_note(
        Qt.Key.Key_1, "Reception", "Phonics", "Calm, quick transitions.", [Qt.Key.Key_2], capture
    )

    notes = rv.evidence(session.store, rid)
    assert [n["activity"] for n in notes] == ["Lesson visit", "Pupil voice", "Learning walk"]
    assert [n["year_group"] for n in notes] == ["Year 4", "Year 6", "Reception"]
    assert [n["subject"] for n in notes] == ["Maths", "English", "Phonics"]
    assert notes[0]["note"] == f"Pupils explained their reasoning. {TYPED}"
    assert [n["areas"] for n in notes] == [[areas[0]], [areas[0], areas[2]], [areas[1]]]
    assert all(n["time"] == "2026-03-03T10:40" for n in notes)
    assert notes[0]["present"] == "Ben Jones (host link leader), Amira Patel (lead reviewer)"
    # The coverage strip and the chips follow, and the day's list shows all three.
    assert rv.evidence_counts(session.store, rid) == {areas[0]: 2, areas[1]: 1, areas[2]: 1}
    assert capture.coverage.pills[areas[0]].count == 2
    assert capture.chips.chips[2].count == 1
    assert capture.model.rowCount() == 3
    assert capture.list_title.text() == "Today's notes · 3"
    # Ready for the fourth: blank, time now, focus on the activity.
    assert capture.note_id is None and capture.note.toPlainText() == ""
    assert focused() is capture.activity


def test_the_note_is_saved_while_typing_and_undo_removes_it(
    open_workspace: Any, session: Any, qtbot: Any
) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    ws.show_tab("evidence")
    capture = ws.capture
    capture.note.setFocus()
    QTest.keyClicks(capture.note, "Books show a clear sequence")
    qtbot.waitUntil(lambda: len(rv.evidence(session.store, rid)) == 1, timeout=2000)
    note = rv.evidence(session.store, rid)[0]
    assert note["note"] == "Books show a clear sequence"
    assert note["activity"] == "Work scrutiny"  # from the schedule
    QTest.keyClicks(capture.note, " of lessons")
    qtbot.waitUntil(lambda: session.store.get(note.id)["note"].endswith("of lessons"), timeout=2000)
    assert capture.heading.text() == "Note at 10:40"
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert rv.evidence(session.store, rid) == []
    assert capture.note_id is None  # the capture starts afresh


def test_type_ahead_and_carrying_on_with_an_earlier_note(
    open_workspace: Any, session: Any, qtbot: Any
) -> None:
    rid = plan(session)
    first = rv.add_evidence(
        session.store,
        rid,
        activity="Data review",
        note="Attendance data",
        time=rv.dt.datetime(2026, 3, 3, 9, 0),
    )
    ws = open_workspace(rid)
    ws.show_tab("evidence")
    capture = ws.capture
    picker: ActivityPicker = capture.activity
    picker.setFocus()
    QTest.keyClicks(picker, "pu")
    assert picker.value() == "Pupil voice"
    QTest.keyClick(picker, Qt.Key.Key_Right)
    assert picker.value() == "Staff meeting"
    row = capture.model.row_of(first)
    capture.table.activated.emit(capture.model.index(row, 0))
    assert capture.note_id == first and capture.note.toPlainText() == "Attendance data"
    assert picker.value() == "Data review"
    QTest.keyClicks(capture.note, " improved")
    QTest.keyClick(capture.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert session.store.get(first)["note"] == "Attendance data improved"


def test_ctrl_e_starts_a_note_even_where_the_window_exports_bundles(
    open_workspace: Any, session: Any
) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    fired: list[bool] = []
    export = QAction("Export bundle", ws)
    export.setShortcut(QKeySequence("Ctrl+E"))
    export.triggered.connect(lambda: fired.append(True))
    ws.addAction(export)
    ws.show_tab("evidence")
    ws.capture.note.setFocus()
    QTest.keyClicks(ws.capture.note, "A note")
    QTest.keyClick(ws.capture.note, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert not fired
    assert len(rv.evidence(session.store, rid)) == 1
    assert focused() is ws.capture.activity
    QTest.keyClick(focused(), Qt.Key.Key_5)  # Staff meeting: a second note begins
    QTest.keyClick(focused(), Qt.Key.Key_N, CTRL_SHIFT)  # New person elsewhere; here, next note
    assert len(rv.evidence(session.store, rid)) == 2 and ws.capture.note_id is None
    ws.show_tab("plan")  # elsewhere, the window's shortcut is the window's again
    ws.plan.title.setFocus()
    QTest.keyClick(ws.plan.title, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert fired


def test_visit_mode_is_large_text_in_one_column(open_workspace: Any, session: Any) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    ws.show_tab("evidence")
    capture = ws.capture
    seen: list[bool] = []
    ws.visit_mode_changed.connect(seen.append)
    normal = capture.note.font().pointSizeF()
    capture.note.setFocus()
    QTest.keyClick(capture.note, Qt.Key.Key_F11)
    assert capture.visit_mode and seen == [True]
    assert capture.splitter.orientation() == Qt.Orientation.Vertical
    assert capture.coverage_box.isHidden() and ws.header.isHidden()
    assert ws.tabs.tabBar().isHidden() and not ws.visit_badge.isHidden()
    assert capture.note.font().pointSizeF() > normal * 1.3
    assert capture.chips.show_counts  # coverage stays visible on the chips
    QTest.keyClick(capture.note, Qt.Key.Key_F11)
    assert not capture.visit_mode and seen == [True, False]
    assert not ws.header.isHidden()
    assert capture.note.font().pointSizeF() == normal


def test_attachments_belong_to_the_note(open_workspace: Any, session: Any, tmp_path: Any) -> None:
    rid = plan(session)
    ws = open_workspace(rid)
    ws.show_tab("evidence")
    capture = ws.capture
    sheet = tmp_path / "observation sheet.png"
    sheet.write_bytes(b"\x89PNG\r\n\x1a\nnot really a picture")
    assert capture.attach_paths([sheet]) == 1
    note = capture.note_id
    assert note is not None
    [att] = session.store.list("attachment", where={"owner": note})
    assert att["filename"] == "observation sheet.png" and att["media_type"] == "image/png"
    assert session.store.blob(att["sha256"]) == sheet.read_bytes()
    assert "observation sheet.png" in capture.attachments_label.text()
    assert capture.attach(b"x" * (26 * 1024 * 1024), "video.mp4") is None
    assert "larger than 25 MB" in capture.state.text()
