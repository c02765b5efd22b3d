"""A feature is a folder: a throwaway feature kept in the tests (tests/ui/contact_log/), registered
beside the app's own, shows in the navigator, opens its own view, has a menu command and a button,
is found by search, travels in a bundle, goes with its school when the school is deleted, and is a
report of ``peerreview report --kind``, with no change to any file of the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from contact_log.feature import FEATURE, FORM, KIND
from contact_log.feature_ui import FEATURE_UI, ContactView
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from peerreview import cli
from peerreview.features import default_registry
from peerreview.forms import FormLibrary, forms_dir, load_forms
from peerreview.reporting import build_report
from peerreview.sync.bundle import export_bundle, import_bundles
from peerreview.sync.registry import Registry, ReportRequest
from peerreview.sync.store import Store
from ui.features import default_features
from ui.shell.main_window import MainWindow
from ui.shell.privacy import PrivacyMode
from ui.shell.registry import UIRegistry
from ui.shell.search import SearchResultsModel
from ui.shell.session import Session

ROOT = Path(__file__).resolve().parents[2]
URN = 103712


@pytest.fixture
def registry() -> Registry:
    """The app's features and the contact log: the one registration a feature needs."""
    return Registry((*default_registry().features, FEATURE))


@pytest.fixture
def window(
    registry: Registry, tmp_path: Path, app: Any, qtbot: Any, settings: Any
) -> Iterator[MainWindow]:
    path = tmp_path / "laptop.db"
    with Store.init(
        path, device_name="Coordinator's laptop", partnership_name="Test", registry=registry
    ) as store:
        store.create("school", {"name": "Coundon Court", "urn": URN}, form=("school", 1))
    forms = FormLibrary([*load_forms(forms_dir()), FORM])
    session = Session(Store.open(path, registry=registry), forms=forms, privacy=PrivacyMode())
    features = UIRegistry(registry, (*default_features(), FEATURE_UI))
    window = MainWindow(session, settings, features=features)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    session.store.close()


def _school(window: MainWindow) -> str:
    return window.session.store.list("school")[0].id


def _buttons(window: MainWindow) -> list[str]:
    """The buttons at the top of the detail pane (those replaced are hidden, then deleted)."""
    QApplication.processEvents()  # a layout shows a widget added to it on the next turn
    return [b.text() for b in window.detail.findChildren(QToolButton) if b.isVisible()]


def _log_a_contact(window: MainWindow, summary: str) -> str:
    """Log a contact from the school's page, as a person would, and say what it was about."""
    assert window.select_record(_school(window))
    buttons = _buttons(window)
    assert "Log a contact" in buttons  # the feature's button on the school's page
    window.actions["log_contact"].trigger()
    record = window.detail.record
    assert record is not None and record.kind == KIND
    assert window.session.set_field(record.id, "summary", summary)
    return record.id


def test_it_shows_in_the_navigator_and_opens_its_own_view(window: MainWindow) -> None:
    school = _school(window)
    note = _log_a_contact(window, "Phoned the head about the spring visit")
    # Its folder under the school, counting it, and its row titled as the feature describes it.
    model = window.model
    folder = model.child_folder_index(school, KIND)
    assert folder.data() == "Contact log (1)"
    row = model.index_for_record(note)
    assert row.isValid() and row.parent() == folder
    assert row.data() == "Phoned the head about the spring visit"
    # The feature's view opens it, with the form given to the session.
    view = window.detail.workspace
    assert isinstance(view, ContactView)
    assert view.heading.text() == "A contact with Coundon Court"
    assert view.editor.form.id == "contact-note"
    # Its menu, before Help, with its shortcut in Help → Keyboard shortcuts.
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[-2:] == ["&Contacts", "&Help"]
    assert window.actions["log_contact"].shortcut().toString() == "Ctrl+Shift+L"
    # The folder's page says what is in it and offers the same command.
    window.select_index(folder)
    assert window.detail.title.text() == "Contact log at Coundon Court"
    (page,) = [p for p in window.detail.findChildren(QLabel, "emptyState") if p.isVisible()]
    assert page.text().startswith("1 contact note at Coundon Court.")
    buttons = _buttons(window)
    assert buttons == ["Log a contact"]


def test_it_is_found_by_search(window: MainWindow) -> None:
    note = _log_a_contact(window, "Phoned the head about the spring visit")
    dialog = window.show_search()
    dialog.box.setText("spring visit")
    dialog.run_search()
    model = dialog.model
    assert [g.title for g in model.groups] == ["Contact log (1)"]
    hit = model.first_hit()
    assert hit.data().startswith("Phoned the head about the spring visit · ")
    QTest.keyClick(dialog.box, Qt.Key.Key_Return)  # Enter opens the first result
    assert window.detail.record is not None and window.detail.record.id == note
    # The same model on its own (no window) groups it the same way.
    alone = SearchResultsModel(window.session, window.features)
    assert alone.search("spring") == 1


def test_it_travels_in_a_bundle(window: MainWindow, registry: Registry, tmp_path: Path) -> None:
    note = _log_a_contact(window, "Emailed the timetable for the visit")
    store = window.session.store
    bundle = tmp_path / "coundon.prbundle"
    export_bundle(store, bundle, school_urns=[URN])  # one school's bundle carries its log
    with Store.init(
        tmp_path / "other.db",
        device_name="Reviewer's laptop",
        partnership_id=store.partnership_id,
        registry=registry,
    ) as other:
        (report,) = import_bundles(other, [bundle])
        assert not isinstance(report, Exception), report
        arrived = other.get(note)
        assert arrived.values["summary"] == "Emailed the timetable for the visit"
        assert other.registry.describe(other, arrived).short_title == arrived.values["summary"]


def test_it_goes_with_its_school_and_comes_back_with_undo(window: MainWindow, dialogs: Any) -> None:
    school = _school(window)
    note = _log_a_contact(window, "Phoned the head")
    store = window.session.store
    window.select_record(school)
    assert window.delete_selected()  # the app's Delete, confirmed
    assert "Its 1 contact note will be deleted with it." in dialogs.texts("question")[-1]
    assert store.get(school).deleted and store.get(note).deleted
    assert not window.model.index_for_record(note).isValid()
    window.undo()
    assert not store.get(note).deleted
    assert window.model.index_for_record(note).isValid()


def test_peerreview_report_lists_and_writes_it(
    window: MainWindow, registry: Registry, tmp_path: Path, capsys: Any
) -> None:
    _log_a_contact(window, "Phoned the head about the spring visit")
    path = window.session.store.path  # the command line opens it beside the window (WAL)
    with pytest.raises(SystemExit):
        cli.main(["report", "--help"], registry=registry)
    assert (
        "--kind {review,cycle,plan,governors,partnership,themes,contact-log}"
        in capsys.readouterr().out
    )
    out = tmp_path / "log.pdf"
    argv = ["report", "--db", str(path), "--kind", "contact-log", "--school", str(URN)]
    assert cli.main([*argv, "--format", "pdf", "--out", str(out)], registry=registry) == 0
    assert out.read_bytes().startswith(b"%PDF")
    with Store.open(path, registry=registry) as store:
        school = store.list("school")[0].id
        report = build_report(
            store, "contact-log", request=ReportRequest(school=school), library=FormLibrary()
        )
    assert report.subtitle == "Contacts with Coundon Court"
    assert report.cover_facts == (("Contacts", "1"),)


def test_nothing_outside_the_tests_knows_it() -> None:
    """The proof is only worth something if the app itself never heard of the contact log."""
    for package in ("peerreview", "ui", "forms", "resources"):
        for file in (ROOT / package).rglob("*"):
            if file.is_file() and file.suffix in (".py", ".toml", ".svg", ".qrc"):
                text = file.read_text(encoding="utf-8")
                assert "contact_log" not in text and "contact_note" not in text, file
