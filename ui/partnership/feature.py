"""The partnership in the window: new schools, people and groups, a group's members, GIAS import,
the partnership's page, and how schools look in the navigator."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ui.shell.actions import IMPORT, NEW, ActionSpec
from ui.shell.formatting import count
from ui.shell.registry import (
    FeatureAction,
    FeatureUI,
    ListColumn,
    PageButton,
    RowLook,
    Shell,
    StartSummary,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from peerreview.sync.records import Record
    from ui.shell.session import Session


def _open_group(shell: Shell, record: Record) -> QWidget:
    """A group's form, with its members below it."""
    from ui.partnership.memberships import MembershipPanel
    from ui.shell.detail import open_editor

    editor = open_editor(shell, record)
    editor.add_panel(MembershipPanel(shell.session, record.id))
    return editor


def _ask(shell: Shell, kind: str) -> Mapping[str, Any] | None:
    """The name (and a person's school, a group's type) of a new school, person or group."""
    store = shell.session.store
    if kind == "person" and store.count("school") == 0:
        shell.show_message("Add a school first (Ctrl+N): every person belongs to a school.", 8000)
        return None
    from ui.partnership.create import NewRecordDialog

    dialog = NewRecordDialog(
        shell.session,
        kind,
        school_id=shell.record_in_context("school"),
        parent=shell.dialog_parent(),
    )
    if dialog.exec() != NewRecordDialog.DialogCode.Accepted:
        return None
    return dialog.values()


def _import_gias(shell: Shell) -> None:
    from ui.partnership.gias import import_gias

    import_gias(shell)


def _school_look(record: Record) -> RowLook:
    """A school's URN, phase, town and local authority in its tooltip; closed schools greyed."""
    v = record.values
    bits = [f"URN {v['urn']}"] if v.get("urn") else []
    bits += [str(v[name]) for name in ("phase", "town", "local_authority") if v.get(name)]
    if v.get("closed"):
        bits.append("closed")
    return RowLook(" · ".join(dict.fromkeys(bits)), closed=bool(v.get("closed")))


def _empty_text(session: Session, kind: str) -> str:
    """What the partnership's folder of ``kind`` says when it is empty (how to add one)."""
    registry = session.store.registry
    root = registry.root_kind().name
    return next((f.empty_text for f in registry.folders_under(root) if f.kind == kind), "")


def _summary(session: Session) -> StartSummary:
    """ "12 schools · 4 groups · 46 people", and what to do first in a new partnership."""
    store = session.store
    schools, groups, people = store.count("school"), store.count("group"), store.count("person")
    lines = [
        " · ".join(
            (count(schools, "school"), count(groups, "group"), count(people, "person", "people"))
        )
    ]
    if schools == 0:
        lines.append(_empty_text(session, "school"))
    elif groups == 0:
        lines.append(_empty_text(session, "group"))
    return StartSummary(tuple(lines), ("new_school", "new_group") if schools == 0 else ())


def _field_cells(records: Sequence[Record], name: str) -> list[tuple[str, Any]]:
    """A field's value in each record, as a list's cells (text, and the key it sorts by)."""
    cells: list[tuple[str, Any]] = []
    for r in records:
        text = str(r.values.get(name) or "")
        cells.append((text, text.casefold()))
    return cells


FEATURE_UI = FeatureUI(
    name="partnership",
    openers={"group": _open_group},
    askers={"school": _ask, "person": _ask, "group": _ask},
    actions=(
        FeatureAction(
            ActionSpec("new_school", "New &school…", ("Ctrl+N",), "Add a school"),
            lambda shell: shell.new_record("school"),
            NEW,
        ),
        FeatureAction(
            ActionSpec("new_person", "New &person…", ("Ctrl+Shift+N",), "Add a person at a school"),
            lambda shell: shell.new_record("person"),
            NEW,
        ),
        FeatureAction(
            ActionSpec(
                "new_group",
                "New &group…",
                ("Ctrl+Shift+G",),
                "Add a cluster, trio, hub or working group",
            ),
            lambda shell: shell.new_record("group"),
            NEW,
        ),
        FeatureAction(
            ActionSpec(
                "import_gias",
                "Import schools from &GIAS…",
                (),
                "Add or update schools from the DfE establishment CSV",
            ),
            _import_gias,
            IMPORT,
        ),
    ),
    buttons=(
        PageButton("new_person", "school"),
        PageButton("new_school", "school", folder=True),
        PageButton("import_gias", "school", folder=True),
        PageButton("new_group", "group", folder=True),
        PageButton("new_person", "person", folder=True),
    ),
    summary=_summary,
    looks={"school": _school_look},
    columns=(
        ListColumn("school", "Phase", lambda _s, rs: _field_cells(rs, "phase"), order=10),
        ListColumn("school", "Town", lambda _s, rs: _field_cells(rs, "town"), order=20),
        ListColumn("person", "Role", lambda _s, rs: _field_cells(rs, "role"), order=10),
        ListColumn("group", "Type", lambda _s, rs: _field_cells(rs, "type"), order=10),
    ),
    headings={
        "school": "Schools",
        "person": "People",
        "group": "Groups",
        "partnership": "Partnership",
        "membership": "Group memberships",
    },
)
