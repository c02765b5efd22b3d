"""The contact log in the window: how a note opens, the Contacts menu, a button on a school."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from peerreview.sync.records import Record
from ui.shell.actions import ActionSpec
from ui.shell.detail import open_editor
from ui.shell.registry import FeatureAction, FeatureUI, PageButton, Shell

from .feature import KIND


class ContactView(QWidget):
    """A contact note: a line saying whose it is, and its form."""

    def __init__(self, shell: Shell, record: Record) -> None:
        super().__init__()
        self.setObjectName("contactView")
        layout = QVBoxLayout(self)
        school = shell.session.title_of(str(record.values.get("school")))
        self.heading = QLabel(f"A contact with {school}")
        layout.addWidget(self.heading)
        self.editor = open_editor(shell, record)
        layout.addWidget(self.editor, 1)

    def flush(self) -> None:
        self.editor.save_pending()


def _ask(shell: Shell, kind: str) -> Mapping[str, Any] | None:
    """A new note is of the school in context, today; what it was about is typed in its form."""
    school = shell.record_in_context("school")
    if school is None:
        shell.show_message("Select the school first.")
        return None
    return {"school": school, "date": dt.date.today().isoformat(), "summary": "New contact"}


FEATURE_UI = FeatureUI(
    name="contact_log",
    openers={KIND: ContactView},
    askers={KIND: _ask},
    actions=(
        FeatureAction(
            ActionSpec(
                "log_contact",
                "&Log a contact…",
                ("Ctrl+Shift+L",),
                "Log a call or an email with the selected school",
            ),
            lambda shell: shell.new_record(KIND),
            "&Contacts",
        ),
    ),
    buttons=(PageButton("log_contact", "school"), PageButton("log_contact", KIND, folder=True)),
    headings={KIND: "Contact log"},
)
