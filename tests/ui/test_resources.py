"""Every icon the app ships loads (as SVG, at any size)."""

from __future__ import annotations

from typing import Any

from ui.shell.icons import icon, icons_dir


def test_every_icon_loads(app: Any) -> None:
    names = sorted(p.stem for p in icons_dir().glob("*.svg"))
    assert {"app", "school", "person", "group", "partnership", "folder", "conflict"} <= set(names)
    for name in names:
        pixmap = icon(name).pixmap(32, 32)
        assert not pixmap.isNull(), name


def test_missing_icon_is_empty_not_an_error(app: Any) -> None:
    assert icon("no-such-icon").isNull()
