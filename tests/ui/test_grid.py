"""The grid editor: filled with the keyboard like a spreadsheet, blocks copied and pasted as Excel
and Word do, each edit one undoable step, a conflict shown and settled on its cell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from peerreview.forms import FormDefinition, FormLibrary
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.enrolment import enrol
from peerreview.sync.grids import AxisEntry, GridLayout, read_grid, write_cell, write_cells
from peerreview.sync.ids import derived_id
from peerreview.sync.store import Store
from peerreview.sync.trust import COORDINATOR
from ui.shell.editors import RecordEditor
from ui.shell.grid import GridBinding, GridEditor
from ui.shell.grid_cell import CellEditor
from ui.shell.grid_model import CONFLICT_ROLE, OTHER_ROLE, GridTableModel
from ui.shell.session import Session
from ui.shell.tsv import format_tsv, parse_tsv

ROWS = tuple(AxisEntry(f"stage-{n}", f"Stage {n}") for n in range(1, 5))
COLUMNS = tuple(AxisEntry(derived_id("pupil", c), f"Pupil {c}") for c in "ABCDEF")
LAYOUT = GridLayout("lesson_plan.predictions", ROWS, COLUMNS)


def cell(r: int, c: int) -> tuple[str, str]:
    return ROWS[r].id, COLUMNS[c].id


@pytest.fixture
def session(app: QApplication, db_path: Path) -> Iterator[Session]:
    store = Store.open(db_path)
    s = Session(store)
    yield s
    store.close()


@pytest.fixture
def record(session: Session) -> str:
    return session.store.list("school")[0].id


@pytest.fixture
def editor(session: Session, record: str, qtbot: Any) -> GridEditor:
    widget = GridEditor(session, record, lambda: LAYOUT, label="Predicted responses")
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)
    widget.view.setFocus()
    go(widget, 0, 0)
    return widget


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_text(text: str) -> None:
    """Type as a person would: each key goes to whatever has focus then (the grid, or the cell
    editor the first key opened)."""
    for ch in text:
        QTest.keyClick(focus(), ch)


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focus(), key, modifier)


def texts(session: Session, record: str) -> dict[tuple[str, str], str]:
    return dict(read_grid(session.store, record, LAYOUT).cells)


def go(editor: GridEditor, row: int, column: int) -> None:
    """Make one cell current and the only one selected (whatever modifier keys Qt last saw)."""
    editor.view.selectionModel().setCurrentIndex(
        editor.model.index(row, column), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def current(editor: GridEditor) -> tuple[int, int]:
    index = editor.view.currentIndex()
    return index.row(), index.column()


# ------------------------------------------------------------------------------------ the model


def test_the_model_passes_qtmodeltester(
    qtmodeltester: Any, session: Session, record: str, tmp_path: Path
) -> None:
    store = session.store
    write_cells(store, record, LAYOUT.name, {cell(0, 0): "Counts on", cell(2, 3): "Two\nlines"})
    _conflict_on(store, record, tmp_path, cell(1, 1))
    grid = read_grid(store, record, LAYOUT)
    assert grid.conflicts
    model = GridTableModel(
        grid, other={cell(0, 0): "Will count in ones"}, other_label="Predicted", write=None
    )
    qtmodeltester.check(model)
    qtmodeltester.check(model, force_py=True)
    assert model.headerData(1, Qt.Orientation.Vertical) == "Stage 2"
    assert model.headerData(5, Qt.Orientation.Horizontal) == "Pupil F"
    assert model.data(model.index(0, 0)) == "Counts on"
    assert model.data(model.index(0, 0), OTHER_ROLE) == "Will count in ones"
    assert "Predicted: Will count in ones" in model.data(
        model.index(0, 0), Qt.ItemDataRole.ToolTipRole
    )
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable  # no writer
    # Privacy mode: the text never reaches the view.
    hidden = GridTableModel(grid, hidden=True)
    qtmodeltester.check(hidden, force_py=True)
    assert "Counts on" not in str(hidden.data(hidden.index(0, 0)))


# ------------------------------------------------------------------------------------ keyboard


def test_fill_a_grid_with_the_keyboard_only(editor: GridEditor, session: Session, record: str):
    undo = session.undo_stack
    type_text("Counts on in ones")  # typing on a cell opens it, replacing its text
    assert isinstance(focus(), CellEditor)
    press(Qt.Key.Key_Return)  # saved; Enter moves down
    assert texts(session, record) == {cell(0, 0): "Counts on in ones"}
    assert current(editor) == (1, 0) and undo.count() == 1

    type_text("Draws a bar model")
    press(Qt.Key.Key_Tab)  # Tab saves and moves across
    assert current(editor) == (1, 1)
    type_text("Asks a partner")
    press(Qt.Key.Key_Right)  # while typing replaces, the arrows save and move too
    assert current(editor) == (1, 2)
    type_text("oops")
    press(Qt.Key.Key_Escape)  # Escape cancels
    assert current(editor) == (1, 2) and cell(1, 2) not in texts(session, record)

    press(Qt.Key.Key_Up)
    type_text("Line 1")
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)  # a new line inside the cell
    type_text("Line 2")
    press(Qt.Key.Key_Return)
    assert texts(session, record)[cell(0, 2)] == "Line 1\nLine 2"
    assert current(editor) == (1, 2)

    press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # Shift+Tab moves back
    assert current(editor) == (1, 1)
    press(Qt.Key.Key_F2)  # F2 edits the text in place, the cursor at its end
    type_text(", then checks")
    press(Qt.Key.Key_Left)  # in F2's editing the arrows move within the text
    assert isinstance(focus(), CellEditor)
    press(Qt.Key.Key_Return)
    assert texts(session, record)[cell(1, 1)] == "Asks a partner, then checks"
    assert current(editor) == (2, 1)

    press(Qt.Key.Key_Up)
    press(Qt.Key.Key_Left)
    press(Qt.Key.Key_Backspace)  # Backspace empties the cell to type afresh
    type_text("Guesses")
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # Shift+Enter saves, moves up
    assert texts(session, record)[cell(1, 0)] == "Guesses" and current(editor) == (0, 0)

    press(Qt.Key.Key_Delete)  # Delete clears the selected cell
    assert cell(0, 0) not in texts(session, record)
    press(Qt.Key.Key_Return)  # Enter on a cell that is not being edited moves down
    assert current(editor) == (1, 0)

    # Each edit was one undoable step; undoing the clear brings the text back.
    assert undo.count() == 7
    undo.undo()
    assert texts(session, record)[cell(0, 0)] == "Counts on in ones"
    assert editor.model.data(editor.model.index(0, 0)) == "Counts on in ones"


def test_the_keyboard_is_never_trapped_in_the_grid(
    app: QApplication, session: Session, record: str, qtbot: Any
) -> None:
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    box = QWidget()
    layout = QVBoxLayout(box)
    before, after = QLineEdit(), QLineEdit()
    small = GridLayout(LAYOUT.name, ROWS[:2], COLUMNS[:2])
    grid = GridEditor(session, record, lambda: small, label="Predicted responses")
    for w in (before, grid, after):
        layout.addWidget(w)
    qtbot.addWidget(box)
    box.show()
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow, timeout=2000)
    before.setFocus()
    press(Qt.Key.Key_Tab)
    assert focus() is grid.view and current(grid) == (0, 0)
    for _ in range(3):
        press(Qt.Key.Key_Tab)  # across and down the cells...
    assert current(grid) == (1, 1)
    press(Qt.Key.Key_Tab)  # ...and out after the last one
    assert focus() is after
    press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focus() is grid.view
    press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)  # out from anywhere
    assert focus() is after


def test_opening_a_cell_and_leaving_it_unchanged_writes_nothing(
    editor: GridEditor, session: Session, record: str
) -> None:
    write_cell(session.store, record, LAYOUT.name, *cell(0, 0), "Counts on")
    editor.reload()
    before = session.store.change_count()
    press(Qt.Key.Key_F2)
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Up)
    type_text("Counts on")  # typed over with the same text
    press(Qt.Key.Key_Return)
    assert session.store.change_count() == before and session.undo_stack.count() == 0


# ------------------------------------------------------------------------------------ clipboard


BLOCK = [
    ["Counts on", "Draws a bar", 'Says "half"', "Guesses", "Uses cubes"],
    ["Two\nlines", "A\ttab", "", "Checks", "Asks"],
    ["Writes 3/4", "Writes 4/3", "Stuck", "Compares", "Explains"],
]


def test_paste_a_3_by_5_block_from_tab_separated_text(
    editor: GridEditor, session: Session, record: str
) -> None:
    QGuiApplication.clipboard().setText(format_tsv(BLOCK))  # as Excel puts it there
    go(editor, 1, 1)
    press(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    shown = texts(session, record)
    for r, row in enumerate(BLOCK):
        for c, value in enumerate(row):
            assert shown.get(cell(1 + r, 1 + c), "") == value
    assert len(shown) == 14  # the empty one stays empty
    assert session.undo_stack.count() == 1  # one step for the whole paste
    assert session.undo_stack.undoText() == "paste 15 cells into Predicted responses"
    indexes = editor.view.selectionModel().selectedIndexes()
    assert {(i.row(), i.column()) for i in indexes} == {
        (r, c) for r in range(1, 4) for c in range(1, 6)
    }
    session.undo_stack.undo()
    assert texts(session, record) == {}
    session.undo_stack.redo()
    assert len(texts(session, record)) == 14


def test_word_table_text_and_one_value_into_a_selection(
    editor: GridEditor, session: Session, record: str
) -> None:
    # Word copies a table as tab-separated lines without Excel's quotes.
    assert editor.view.paste("Starter\tMain\r\nGuess\tCheck\r\n")
    assert texts(session, record)[cell(1, 1)] == "Check"
    editor.view.select_block(2, 0, 3, 2)
    assert editor.view.paste("Absent\r\n")  # one value fills the selection, as in Excel
    assert all(texts(session, record)[cell(r, c)] == "Absent" for r in (2, 3) for c in (0, 1, 2))


def test_copy_a_block_out(editor: GridEditor, session: Session, record: str) -> None:
    write_cells(
        session.store,
        record,
        LAYOUT.name,
        {cell(0, 0): "Counts on", cell(0, 1): 'Says "half"', cell(1, 1): "Two\nlines"},
    )
    editor.reload()
    editor.view.select_block(0, 0, 1, 2)
    press(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == 'Counts on\tSays "half"\t\r\n\t"Two\nlines"\t\r\n'
    assert parse_tsv(mime.text()) == [["Counts on", 'Says "half"', ""], ["", "Two\nlines", ""]]
    assert "<table" in mime.html() and "Two<br>lines" in mime.html()
    # Cut is a copy and a clear, one undoable step.
    before = session.undo_stack.count()
    press(Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert texts(session, record) == {} and session.undo_stack.count() == before + 1
    assert parse_tsv(QGuiApplication.clipboard().text())[1][1] == "Two\nlines"


def test_an_oversized_paste_is_refused_in_one_sentence_and_changes_nothing(
    editor: GridEditor, session: Session, record: str, qtbot: Any
) -> None:
    QGuiApplication.clipboard().setText(format_tsv(BLOCK))
    go(editor, 2, 3)
    changes = session.store.change_count()
    with qtbot.waitSignal(session.message, timeout=1000) as said:
        press(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert said.args == [
        "The copied block is 3 rows by 5 columns, but from Stage 3, Pupil D the grid has room "
        "for 2 rows by 3 columns; nothing was pasted."
    ]
    assert session.store.change_count() == changes and session.undo_stack.count() == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.text(st.characters(exclude_characters="\r", codec="utf-8")), min_size=1),
        min_size=1,
        max_size=4,
    ).filter(lambda rows: len({len(r) for r in rows}) == 1)
)
def test_tab_separated_text_round_trips(rows: list[list[str]]) -> None:
    assert parse_tsv(format_tsv(rows)) == rows


# ------------------------------------------------------------------------------------ conflicts


def _conflict_on(store: Store, record: str, tmp_path: Path, where: tuple[str, str]) -> None:
    """Another laptop writes ``where`` differently at the same time, and its bundle arrives."""
    other = Store.init(
        tmp_path / "other.db",
        device_name="Laptop B",
        author="Bob",
        partnership_id=store.partnership_id,
    )
    enrol(store, other, role=COORDINATOR)
    export_bundle(store, tmp_path / "to-b.prbundle", full=True, plain=True)
    import_bundle(other, tmp_path / "to-b.prbundle")
    write_cell(store, record, LAYOUT.name, *where, "Draws a bar model")
    write_cell(other, record, LAYOUT.name, *where, "Counts on fingers")
    write_cell(other, record, LAYOUT.name, *cell(3, 5), "Only Bob wrote this")
    export_bundle(other, tmp_path / "from-b.prbundle", full=True, plain=True)
    import_bundle(store, tmp_path / "from-b.prbundle")
    other.close()


def test_a_conflict_shows_on_its_cell_and_is_settled_there(
    editor: GridEditor, session: Session, record: str, tmp_path: Path, qtbot: Any
) -> None:
    _conflict_on(session.store, record, tmp_path, cell(1, 2))
    session.reset()  # as after an import
    model = editor.model
    marked = [
        (r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.data(model.index(r, c), CONFLICT_ROLE) is not None
    ]
    assert marked == [(1, 2)]
    tip = model.data(model.index(1, 2), Qt.ItemDataRole.ToolTipRole)
    assert "“Draws a bar model” (Amira Patel on Test laptop)" in tip
    assert "“Counts on fingers” (Bob on Laptop B)" in tip
    assert model.data(model.index(3, 5)) == "Only Bob wrote this"
    editor.grab()  # painted with its marker

    # Settled from the cell's own menu: keep Bob's value.
    menu = editor.view.context_menu(model.index(1, 2))
    assert isinstance(menu, QMenu)
    keep = [a for a in menu.actions() if a.text().startswith("Keep “Counts on fingers”")]
    keep[0].trigger()
    assert model.data(model.index(1, 2), CONFLICT_ROLE) is None
    assert model.data(model.index(1, 2)) == "Counts on fingers"
    assert session.store.conflict_count() == 0


def test_typing_the_agreed_text_settles_a_conflict(
    editor: GridEditor, session: Session, record: str, tmp_path: Path
) -> None:
    _conflict_on(session.store, record, tmp_path, cell(0, 0))
    editor.reload()
    assert editor.model.conflict(editor.model.index(0, 0)) is not None
    type_text("Draws a bar model, then counts on")
    press(Qt.Key.Key_Return)
    assert editor.model.conflict(editor.model.index(0, 0)) is None
    assert session.store.conflict_count() == 0


# ------------------------------------------------------------------------------------ in a form

FORM = """\
[form]
id = "group-plan"
version = 1
title = "Group plan"
kind = "group"

[[section]]
id = "plan"
title = "Plan"

[[section.field]]
id = "name"
label = "Name"
type = "text"

[[section.field]]
id = "who"
label = "Who does what"
type = "grid"
rows = { kind = "membership", link = "group", label = "role" }
columns = [{ id = "autumn", label = "Autumn" }, { id = "spring", label = "Spring" }]
"""


def test_a_form_with_a_grid_in_the_record_editor(app: QApplication, tmp_path: Path, qtbot: Any):
    form = FormDefinition.from_toml(FORM, source="group-plan.toml")
    store = Store.init(tmp_path / "g.db", device_name="Laptop", partnership_name="P")
    session = Session(store, forms=FormLibrary([form]))
    group = store.create("group", {"name": "Trio"}, form=form.key)
    school = store.create("school", {"name": "Grace Academy"})
    store.create("membership", {"group": group, "school": school, "role": "Lead school"})
    editor = RecordEditor(session, store.get(group))
    qtbot.addWidget(editor)
    editor.resize(1000, 700)
    editor.show()
    binder = editor.binder_for("group_plan.who")
    assert isinstance(binder, GridBinding)
    grid = binder.editor
    assert [grid.model.headerData(r, Qt.Orientation.Vertical) for r in range(1)] == ["Lead school"]
    grid.view.setFocus()
    grid.view.selectionModel().setCurrentIndex(
        grid.model.index(0, 1), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    qtbot.waitUntil(lambda: grid.view.hasFocus(), timeout=2000)
    type_text("Hosts the spring visit")
    press(Qt.Key.Key_Return)
    assert store.get(group)["group_plan.who." + store.list("membership")[0].id + ".spring"] == (
        "Hosts the spring visit"
    )
    # A new member school adds a row at once; the cell stays with its member.
    other = store.create("school", {"name": "Coundon Court"})
    session.create("membership", {"group": group, "school": other, "role": "Partner"})
    assert grid.model.rowCount() == 2
    assert grid.model.data(grid.model.index(0, 1)) == "Hosts the spring visit"
    store.close()


def test_delete_in_the_grid_clears_cells_not_the_record(
    open_window: Any, tmp_path: Path, private_folders: Path, qtbot: Any
) -> None:
    from peerreview.form_library import user_forms_dir

    forms = user_forms_dir()
    assert private_folders in forms.parents
    forms.mkdir(parents=True)
    (forms / "group-plan.toml").write_text(FORM, encoding="utf-8")
    path = tmp_path / "w.db"
    with Store.init(path, device_name="Laptop", partnership_name="P") as store:
        group = store.create("group", {"name": "Trio"}, form=("group-plan", 1))
        school = store.create("school", {"name": "Grace Academy"})
        member = store.create("membership", {"group": group, "school": school, "role": "Lead"})
        write_cell(store, group, "group_plan.who", member, "autumn", "Leads the autumn visit")
    window = open_window(path)
    assert window.select_record(group)
    editor = window.detail.editor
    assert editor is not None, window.session.forms_problem
    grid = editor.binder_for("group_plan.who").editor
    grid.view.setFocus()
    grid.view.selectionModel().setCurrentIndex(
        grid.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    qtbot.waitUntil(lambda: grid.view.hasFocus(), timeout=2000)
    press(Qt.Key.Key_Delete)
    store = window.session.store
    assert not store.get(group).deleted
    assert "group_plan.who." + member + ".autumn" not in store.get(group).values
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the window's Undo
    assert store.get(group)["group_plan.who." + member + ".autumn"] == "Leads the autumn visit"


def test_a_cell_is_named_in_words_in_the_conflict_review(
    app: QApplication, tmp_path: Path, qtbot: Any
) -> None:
    from ui.shell.conflicts import ConflictReviewDialog

    form = FormDefinition.from_toml(FORM, source="group-plan.toml")
    store = Store.init(tmp_path / "g.db", device_name="Laptop A", partnership_name="P")
    session = Session(store, forms=FormLibrary([form]))
    group = store.create("group", {"name": "Trio"}, form=form.key)
    school = store.create("school", {"name": "Grace Academy"})
    member = store.create("membership", {"group": group, "school": school, "role": "Lead school"})
    other = Store.init(
        tmp_path / "b.db", device_name="Laptop B", partnership_id=store.partnership_id
    )
    enrol(store, other, role=COORDINATOR)
    export_bundle(store, tmp_path / "a.prbundle", full=True, plain=True)
    import_bundle(other, tmp_path / "a.prbundle")
    write_cell(store, group, "group_plan.who", member, "spring", "Leads the spring review")
    write_cell(other, group, "group_plan.who", member, "spring", "Hosts the spring review")
    export_bundle(other, tmp_path / "b.prbundle", full=True, plain=True)
    import_bundle(store, tmp_path / "b.prbundle")
    other.close()
    dialog = ConflictReviewDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1
    assert dialog.list.item(0).text().startswith("Who does what (Lead school, Spring)")
    shown = store.get(group)[f"group_plan.who.{member}.spring"]  # the provisional value
    (hit,) = store.search(shown)
    assert hit.field == f"group_plan.who.{member}.spring"
    store.close()


def test_predictions_shown_greyed_beside_an_observers_notes(
    app: QApplication, session: Session, record: str, qtbot: Any
) -> None:
    """The pattern of an observation: its own cells editable, another record's grid greyed."""
    store = session.store
    plan = record
    observation = store.create("school", {"name": "Observation stands in"})
    write_cell(store, plan, LAYOUT.name, *cell(0, 0), "Will count in ones")
    observed = GridLayout("observation.notes", ROWS, COLUMNS)
    grid = GridEditor(
        session,
        observation,
        lambda: observed,
        label="What pupils did",
        other=lambda: read_grid(store, plan, LAYOUT).cells,
        other_label="Predicted",
        other_records=[plan],
    )
    qtbot.addWidget(grid)
    grid.resize(900, 500)
    grid.show()
    model = grid.model
    assert model.data(model.index(0, 0), OTHER_ROLE) == "Will count in ones"
    assert model.data(model.index(0, 0)) == ""
    assert "Predicted: Will count in ones" in model.data(
        model.index(0, 0), Qt.ItemDataRole.ToolTipRole
    )
    # The prediction changes on its own record: the observation grid follows.
    session.set_fields(plan, {f"{LAYOUT.name}.{ROWS[1].id}.{COLUMNS[1].id}": "Will guess"}, "x")
    assert model.data(model.index(1, 1), OTHER_ROLE) == "Will guess"
    # Copying takes the observer's own text only.
    write_cell(store, observation, observed.name, *cell(0, 0), "Counted on from 3")
    grid.reload()
    go(grid, 0, 0)
    assert grid.view.copy_selection()
    assert QGuiApplication.clipboard().text() == "Counted on from 3\r\n"
    grid.grab()


def test_long_text_wraps_and_its_row_grows(editor: GridEditor, session: Session, record: str):
    short = editor.view.rowHeight(1)
    long_text = "Counts on in ones from the larger number, then checks with cubes. " * 4
    write_cell(session.store, record, LAYOUT.name, *cell(0, 0), long_text)
    editor.reload()
    QApplication.processEvents()
    tall = editor.view.rowHeight(0)
    assert tall > 2 * short
    editor.resize(700, 600)  # narrower columns: the row grows again
    QApplication.processEvents()
    narrow = editor.view.rowHeight(0)
    assert narrow > tall


def test_typing_is_kept_through_a_reload_and_saved_before_a_job(
    editor: GridEditor, session: Session, record: str
) -> None:
    type_text("Counts on")
    assert isinstance(focus(), CellEditor)
    # Another write to the record (another window, an import) reloads the grid mid-typing.
    write_cell(session.store, record, LAYOUT.name, *cell(2, 2), "Elsewhere")
    session.record_changed.emit(record, "school")
    assert isinstance(focus(), CellEditor) and focus().toPlainText() == "Counts on"
    type_text(" in ones")
    session.flush()  # as a job starting (or Undo) asks every editor
    assert texts(session, record)[cell(0, 0)] == "Counts on in ones"
    session.set_busy(True)  # while the job runs, the grid cannot be edited
    assert not isinstance(focus(), CellEditor)
    type_text("x")
    press(Qt.Key.Key_Delete)
    assert texts(session, record)[cell(0, 0)] == "Counts on in ones"
    session.set_busy(False)
    press(Qt.Key.Key_Delete)
    assert cell(0, 0) not in texts(session, record)
