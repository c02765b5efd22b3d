"""Search (Ctrl+F) finds a word in any text of any record; opening a result selects the record."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui.shell.search import HTML_ROLE, SEARCH_DELAY_MS, snippet_html


def test_snippet_is_escaped_then_highlighted() -> None:
    assert snippet_html("a <b> & \x02phonics\x03") == "a &lt;b&gt; &amp; <b>phonics</b>"


def test_search_finds_a_word_and_opens_the_record(
    open_window: Any, db_path: Any, qtbot: Any
) -> None:
    window = open_window(db_path)
    store = window.session.store
    school = store.list("school")[0]
    other = store.create("school", {"name": "Holbrook Primary", "notes": "Lovely library."})
    person = store.create(
        "person",
        {
            "name": "Farah Khan",
            "role": "SENCo",
            "school": school.id,
            "notes": "Leads the phonics programme.",
        },
    )
    window.session.reset()

    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dialog = window._search
    assert dialog is not None and dialog.isVisible()
    QTest.keyClicks(dialog.box, "phonic")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=SEARCH_DELAY_MS * 5)
    group = dialog.model.index(0, 0)
    assert group.data() == "People (1)"
    hit = dialog.model.index(0, 0, group)
    assert "Farah Khan" in hit.data() and "phonics" in hit.data()
    assert "<b>phonics</b>" in hit.data(HTML_ROLE)
    QTest.keyClick(dialog.box, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.current_node().record_id == person
    assert window.detail.record.id == person

    window.show_search()
    dialog.box.setText("library")
    dialog.run_search()
    assert "Holbrook Primary" in dialog.model.index(0, 0, dialog.model.index(0, 0)).data()
    dialog.view.doubleClicked.emit(dialog.model.first_hit())
    assert window.current_node().record_id == other


def test_nothing_found_says_so(open_window: Any, db_path: Any) -> None:
    window = open_window(db_path)
    dialog = window.show_search()
    dialog.box.setText("xylophone")
    dialog.run_search()
    assert dialog.model.rowCount() == 0
    assert "Nothing matches" in dialog.status.text()
