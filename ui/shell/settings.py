"""UI state remembered between runs (QSettings): recent databases, window layout, privacy mode.

Only how the app looks and where it was goes here; nothing about records ever does.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class AppSettings:
    """Typed access to the app's QSettings (pass a QSettings on a temporary file in tests)."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings if settings is not None else QSettings()

    # ------------------------------------------------------------------ databases

    def recent_databases(self) -> list[Path]:
        """Recently opened databases, newest first, only those that still exist."""
        raw = self.qsettings.value("databases/recent", [])
        if isinstance(raw, str):  # QSettings gives a bare string for one-element lists
            raw = [raw]
        if not isinstance(raw, list):  # unset (None), or not written by us
            return []
        return [Path(p) for p in raw if p and Path(p).exists()]

    def add_recent(self, path: Path) -> None:
        path = path.resolve()
        items = [p for p in self.recent_databases() if p.resolve() != path]
        items.insert(0, path)
        self.qsettings.setValue("databases/recent", [str(p) for p in items[:MAX_RECENT]])
        self.qsettings.setValue("databases/last", str(path))

    def clear_recent(self) -> None:
        self.qsettings.setValue("databases/recent", [])

    def last_database(self) -> Path | None:
        raw = self.qsettings.value("databases/last", "")
        return Path(str(raw)) if raw else None

    def forget_last(self) -> None:
        self.qsettings.remove("databases/last")

    # ------------------------------------------------------------------ layout

    def bytes_value(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self.qsettings.setValue(key, value)

    # ------------------------------------------------------------------ flags

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.qsettings.value(key, default)
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    def set_flag(self, key: str, value: bool) -> None:
        self.qsettings.setValue(key, bool(value))

    def sync(self) -> None:
        self.qsettings.sync()
