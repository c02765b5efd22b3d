"""The `peerreview` command opens the app through the launcher; the core alone says it cannot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peerreview.cli import main as core_main


def test_core_cli_without_the_app_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert core_main([]) == 1
    err = capsys.readouterr().err
    assert "desktop app is not part of this command" in err and "Traceback" not in err


def test_launcher_opens_the_app_on_the_database(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.shell.launcher

    opened: list[Any] = []
    monkeypatch.setattr(ui.shell.launcher, "open_app", lambda path: opened.append(path) or 0)
    assert ui.shell.launcher.main(["--db", str(db_path)]) == 0
    assert ui.shell.launcher.main([]) == 0
    assert opened == [db_path, None]


def test_demo_opens_the_app_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.shell.launcher

    opened: list[Any] = []
    monkeypatch.setattr(ui.shell.launcher, "open_app", lambda path: opened.append(path) or 0)
    demo = tmp_path / "demo.db"
    assert ui.shell.launcher.main(["demo", "--db", str(demo)]) == 0
    assert ui.shell.launcher.main(["demo", "--db", str(demo), "--no-gui"]) == 0
    assert opened == [demo]
