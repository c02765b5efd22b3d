"""Import a bundle from another laptop, see the summary, settle conflicts through the dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QTableWidget

from peerreview.sync.bundle import export_bundle
from peerreview.sync.store import Store
from ui.shell.conflicts import ConflictReviewDialog, ValueCard
from ui.shell.transfer import ImportSummaryDialog


def _second_laptop(db_path: Path, tmp_path: Path) -> Store:
    """Another laptop of the same partnership that has imported everything from the first."""
    first = Store.open(db_path)
    export_bundle(first, tmp_path / "first.prbundle")
    pid = first.partnership_id
    first.close()
    other = Store.init(
        tmp_path / "other.db",
        device_name="Mr Okafor's laptop",
        author="Chidi Okafor",
        partnership_id=pid,
    )
    from peerreview.sync.bundle import import_bundles

    import_bundles(other, [tmp_path / "first.prbundle"])
    return other


def _import(window: Any, paths: list[Path], qtbot: Any) -> ImportSummaryDialog:
    with qtbot.waitSignal(window.jobs.ended, timeout=10_000):
        window.import_bundles(paths)
    qtbot.waitUntil(lambda: isinstance(getattr(window, "_last_summary", None), ImportSummaryDialog))
    return window._last_summary


def test_import_then_keep_one_value(open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any):
    other = _second_laptop(db_path, tmp_path)
    school = other.list("school")[0]
    other.update(school.id, {"notes": "Maths is the priority."})
    export_bundle(other, tmp_path / "other.prbundle")
    other.close()
    (tmp_path / "broken.prbundle").write_bytes(b"not a zip at all")

    window = open_window(db_path)
    store = window.session.store
    window.select_record(school.id)
    notes = window.detail.editor.binder_for("notes").focus_widget()
    notes.setFocus()
    notes.setPlainText("Reading is the priority.")  # edited here without seeing the other laptop
    window.session.flush()

    summary = _import(window, [tmp_path / "other.prbundle", tmp_path / "broken.prbundle"], qtbot)
    assert (
        summary.review_button is not None and summary.review_button.text() == "Review 1 conflict…"
    )
    labels = " ".join(label.text() for label in summary.findChildren(QLabel))
    assert "broken.prbundle" in labels and "Refused" in labels
    table = summary.findChild(QTableWidget)
    assert [table.item(0, c).text() for c in (0, 1, 4)] == [
        "other.prbundle",
        "Mr Okafor's laptop",
        "1",
    ]
    assert store.conflict_count() == 1
    qtbot.waitUntil(lambda: window.status.conflicts.isVisible())
    assert window.status.conflicts.text() == "1 conflict"
    # The editor marks the field, and the pane offers the review.
    assert window.detail.banner.isVisible() or window.detail.editor.labels[
        "notes"
    ].text().startswith("⚠")

    summary.review_button.click()
    qtbot.waitUntil(
        lambda: (
            isinstance(QApplication.activeModalWidget(), ConflictReviewDialog)
            or any(
                isinstance(w, ConflictReviewDialog) and w.isVisible()
                for w in QApplication.topLevelWidgets()
            )
        )
    )
    dialog = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, ConflictReviewDialog) and w.isVisible()
    )
    cards = dialog.findChildren(ValueCard)
    assert sorted(c.value.value for c in cards) == [
        "Maths is the priority.",
        "Reading is the priority.",
    ]
    heads = " ".join(c.findChildren(QLabel)[0].text() for c in cards)
    assert "Chidi Okafor" in heads and "Mr Okafor's laptop" in heads
    keep = next(c for c in cards if c.value.value == "Maths is the priority.")
    keep.keep_button.click()
    assert store.conflict_count() == 0
    assert store.get(school.id)["notes"] == "Maths is the priority."
    assert "No conflicts" in dialog.heading.text()
    qtbot.waitUntil(lambda: not window.status.conflicts.isVisible())
    editor = window.detail.editor  # rebuilt after the import
    qtbot.waitUntil(
        lambda: editor.binder_for("notes").focus_widget().toPlainText() == "Maths is the priority."
    )
    dialog.close()


def test_merged_value_and_delete_conflict(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any
):
    other = _second_laptop(db_path, tmp_path)
    school = other.list("school")[0]
    other.update(school.id, {"town": "Coventry"})
    kept = other.create("school", {"name": "Tile Hill Wood"})
    export_bundle(other, tmp_path / "a.prbundle")
    other.delete(kept)
    export_bundle(other, tmp_path / "b.prbundle")
    other.close()

    window = open_window(db_path)
    store = window.session.store
    _import(window, [tmp_path / "a.prbundle"], qtbot).reject()
    store.update(school.id, {"town": "Cov."})
    store.update(kept, {"notes": "Joined in September."})
    _import(window, [tmp_path / "b.prbundle"], qtbot).reject()
    window.session.reset()
    assert store.conflict_count() == 1  # the delete; the town was edited after seeing the bundle

    other2 = Store.open(tmp_path / "other.db")
    other2.update(school.id, {"town": "City of Coventry"})
    export_bundle(other2, tmp_path / "c.prbundle")
    other2.close()
    store.update(school.id, {"town": "Coventry (city)"})
    _import(window, [tmp_path / "c.prbundle"], qtbot).reject()
    assert store.conflict_count() == 2

    dialog = window.review_conflicts()
    items = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any("deleted and edited" in t for t in items)
    row = next(i for i, t in enumerate(items) if "deleted" in t)
    dialog.list.setCurrentRow(row)
    restore = next(
        b for b in dialog.findChildren(QPushButton) if b.text() == "Restore with the edits"
    )
    restore.click()
    assert not store.get(kept).deleted and store.get(kept)["notes"] == "Joined in September."
    dialog.list.setCurrentRow(0)
    # A town is one line: the value shown for now is offered to correct, not both joined.
    provisional = store.get(school.id)["town"]
    assert isinstance(dialog.merged_edit, QLineEdit)
    assert dialog.merged_edit.text() == provisional and "\n" not in dialog.merged_edit.text()
    dialog.merged_edit.setText("Coventry")
    use = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Use this value")
    use.click()
    assert store.get(school.id)["town"] == "Coventry"
    assert store.conflict_count() == 0
    dialog.close()


def test_paragraphs_are_offered_merged_and_the_dialog_fits_its_content(
    open_window: Any, db_path: Path, tmp_path: Path, qtbot: Any
) -> None:
    from ui.shell.fields import GrowingTextEdit

    other = _second_laptop(db_path, tmp_path)
    school = other.list("school")[0]
    other.update(school.id, {"notes": "Maths is the priority."})
    export_bundle(other, tmp_path / "other.prbundle")
    other.close()
    window = open_window(db_path)
    window.session.set_field(school.id, "notes", "Reading is the priority.")
    _import(window, [tmp_path / "other.prbundle"], qtbot).reject()
    dialog = window.review_conflicts()
    assert isinstance(dialog.merged_edit, GrowingTextEdit)
    merged = dialog.merged_edit.toPlainText()
    assert "Maths is the priority." in merged and "Reading is the priority." in merged
    # One short conflict: the dialog is about as tall as it, not a fixed 560 pixels.
    panel = dialog.scroll_area.widget()
    assert dialog.height() < panel.sizeHint().height() + 200
    assert dialog.height() >= panel.sizeHint().height()
    dialog.close()
