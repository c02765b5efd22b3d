"""Privacy mode: one switch that hides pupils' and staff names for projecting on a whiteboard.

Every place that shows a record's values asks this object first: the navigator, editors, search
results, the conflict review and the status bar. Hidden values are never put into a widget at all,
so nothing can leak through copy, tooltips or accessibility tools.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal

from peerreview.sync.kinds import Kind
from ui.shell.signals import emit

HIDDEN = "Hidden in privacy mode"


def is_personal(kinds: Mapping[str, Kind], kind: str, field: str) -> bool:
    """True when the store declares ``field`` of ``kind`` as a name or contact of a person."""
    k = kinds.get(kind)
    spec = k.spec(field) if k else None
    return bool(spec and spec.personal)


class PrivacyMode(QObject):
    """Whether names are hidden now; ``changed`` fires when someone flips the switch."""

    changed = Signal(bool)

    def __init__(self, enabled: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._enabled = enabled

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        if enabled != self._enabled:
            self._enabled = enabled
            emit(self.changed, enabled)

    # ------------------------------------------------------------------ what to show

    def hides(
        self, kinds: Mapping[str, Kind], kind: str, field: str, form_personal: bool = False
    ) -> bool:
        """True when the value of this field must not be shown now."""
        return self._enabled and (form_personal or is_personal(kinds, kind, field))

    def author(self, name: str) -> str:
        """Who made a change (a member of staff)."""
        return "A colleague" if self._enabled else name

    def device(self, name: str, this_device: bool = False) -> str:
        """A laptop's name ("Mrs Patel's laptop" names a person)."""
        if not self._enabled:
            return name
        return "This laptop" if this_device else "Another laptop"
