"""Adding a school, a person or a group: ask only what a record cannot exist without.

Everything else is filled in afterwards in the editor, which opens straight away.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.shell.form_source import form_for_new
from ui.shell.pickers import RecordPicker
from ui.shell.session import Session

_INTRO = {
    "school": "Add a school by name. If it has a URN, importing from GIAS later fills in the "
    "rest (and never makes a duplicate).",
    "person": "Add a member of staff or another person who takes part.",
    "group": "A group is a cluster, trio, hub or working group of schools.",
}


#: A group's types when its form cannot be read (forms/group.toml lists them)
_GROUP_TYPES = (
    "Board or strategic group",
    "Headteacher group",
    "Working group",
    "Cluster",
    "Trio",
    "Hub",
)


class NewRecordDialog(QDialog):
    """Name (and for a person: their school; for a group: its type) of a new record."""

    def __init__(
        self,
        session: Session,
        kind: str,
        *,
        school_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.setWindowTitle(f"New {session.store.registry.label(kind)}")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(_INTRO.get(kind, ""))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        form.addRow("&Name", self.name)
        self.urn: QLineEdit | None = None
        self.school: RecordPicker | None = None
        self.role: QLineEdit | None = None
        self.type: QComboBox | None = None
        if kind == "school":
            self.urn = QLineEdit()
            self.urn.setAccessibleName("URN")
            self.urn.setPlaceholderText("Optional: the school's unique reference number")
            form.addRow("&URN", self.urn)
        elif kind == "person":
            self.role = QLineEdit()
            self.role.setAccessibleName("Role")
            self.role.setPlaceholderText("e.g. Deputy headteacher, SENCo")
            form.addRow("&Role", self.role)
            self.school = RecordPicker(session.store, session.privacy, "school")
            self.school.setAccessibleName("School")
            self.school.set_record_id(school_id)
            form.addRow("&School", self.school)
        elif kind == "group":
            self.type = QComboBox()
            try:
                options = list(
                    form_for_new(session.forms, "group", session.store.kinds).field("type").options
                )
            except KeyError:
                options = []
            self.type.addItems(options or list(_GROUP_TYPES))
            self.type.setAccessibleName("Type of group")
            form.addRow("&Type", self.type)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setProperty("role", "error")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = buttons.addButton(
            f"Add {session.store.registry.label(kind)}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.add_button.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {"name": self.name.text().strip()}
        if self.urn is not None and self.urn.text().strip():
            values["urn"] = int(self.urn.text().strip())
        if self.role is not None and self.role.text().strip():
            values["role"] = self.role.text().strip()
        if self.school is not None and self.school.record_id():
            values["school"] = self.school.record_id()
        if self.type is not None:
            values["type"] = self.type.currentText()
        return values

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.problem.setText(f"Give the {self.session.store.registry.label(self.kind)} a name.")
            self.name.setFocus()
            return
        if (
            self.urn is not None
            and self.urn.text().strip()
            and not self.urn.text().strip().isdigit()
        ):
            self.problem.setText("A URN is a number, such as 103712. Leave it empty if unsure.")
            self.urn.setFocus()
            return
        if self.school is not None and not self.school.record_id():
            self.problem.setText("Choose the school this person works at.")
            self.school.setFocus()
            return
        self.accept()
