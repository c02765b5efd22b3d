"""Privacy mode hides pupils' and staff names everywhere: navigator, editors, search, conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from peerreview.sync.bundle import export_bundle, import_bundles
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store


def _all_text(widget: QWidget) -> str:
    parts = []
    for w in widget.findChildren(QWidget):
        for getter in ("text", "toPlainText", "currentText", "placeholderText"):
            fn = getattr(w, getter, None)
            if callable(fn):
                try:
                    parts.append(str(fn()))
                except TypeError:
                    pass
    return "\n".join(parts)


def test_privacy_mode_hides_names(open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any):
    window = open_window(db_path)
    session = window.session
    store = session.store
    school = store.list("school")[0]
    person = store.create(
        "person",
        {
            "name": "Siân Hughes",
            "role": "Headteacher",
            "email": "s.hughes@example.sch.uk",
            "school": school.id,
        },
    )
    store.update(school.id, {"headteacher": person})
    session.reset()

    # Shown normally.
    assert window.model.data(window.model.index_for_record(person)) == "Siân Hughes"

    QTest.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert session.privacy.enabled and window.actions["privacy"].isChecked()
    assert window.status.privacy.isChecked()

    # Navigator: people by role.
    assert window.model.data(window.model.index_for_record(person)) == "Headteacher"
    # The school's editor: the headteacher picker shows a role, not a name.
    window.select_record(school.id)
    assert "Siân" not in _all_text(window.detail)
    # The person's own editor: name and email hidden, nothing personal in any widget.
    window.select_record(person)
    text = _all_text(window)
    assert "Siân" not in text and "hughes" not in text.lower()
    name = window.detail.editor.binder_for("name").focus_widget()
    assert isinstance(name, QLineEdit) and name.text() == "" and not name.isEnabled()
    assert window.detail.title.text() == "Headteacher"

    # Search: a hit on a name is shown without the name.
    dialog = window.show_search()
    dialog.box.setText("Hughes")
    dialog.run_search()
    hit = dialog.model.first_hit()
    assert hit.isValid() and "Hughes" not in hit.data() and "Hidden" in hit.data()
    dialog.close()

    # Conflicts: a clash on a name shows neither value, nor who made it.
    export_bundle(store, tmp_path / "mine.prbundle", full=True, plain=True)
    other = Store.init(
        tmp_path / "o.db",
        device_name="Mrs Patel's laptop",
        author="Amira Patel",
        partnership_id=store.partnership_id,
    )
    enrol(store, other)
    import_bundles(other, [tmp_path / "mine.prbundle"])
    other.update(person, {"name": "Siân Hughes-Jones"})
    export_bundle(other, tmp_path / "o.prbundle", full=True, plain=True)
    other.close()
    store.update(person, {"name": "Sian Hughes"})
    import_bundles(store, [tmp_path / "o.prbundle"])
    session.reset()
    review = window.review_conflicts()
    text = _all_text(review)
    assert "Hughes" not in text and "Amira Patel" not in text and "Patel" not in text
    assert not any(
        isinstance(w, QPlainTextEdit) and "Hughes" in w.toPlainText()
        for w in review.findChildren(QPlainTextEdit)
    )
    review.close()

    # Status bar: the laptop's name is a person's name too.
    assert window.status.device.text() == "This laptop"

    # And back.
    window.actions["privacy"].trigger()
    assert window.model.data(window.model.index_for_record(person)) in (
        "Sian Hughes",
        "Siân Hughes-Jones",
    )
