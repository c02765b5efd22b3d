"""Every screen fits a school laptop: 1366 x 768 at 100%, and 1600 x 900 at 125% (1280 x 720
logical pixels), each less a taskbar.

``tests/ui/laptop/walk.py`` opens every window, tab, mode and dialog the app can show (walking
what the registries give the window, so a feature registered later is walked too) in a fresh
process whose offscreen screen is the laptop's, and reports anything clipped: a sideways scroll
bar, a widget past its window's edge, text cut short with no tooltip, a dialog taller than the
screen. See ``tests/ui/laptop/clipping.py`` for exactly what counts. The same walk fails on an
Alt+letter that reaches two things in one window (Alt+R opened the Review menu, not the Report
tab).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WALK = Path(__file__).parent / "laptop" / "walk.py"

#: (name, screen in device pixels, scale): the two laptops of docs/../UX.md.
LAPTOPS = [
    ("1366x768 at 100%", (1366, 768), "1"),
    ("1600x900 at 125% (1280x720 logical)", (1600, 900), "1.25"),
]


def walk(tmp_path: Path, size: tuple[int, int], scale: str, *extra: str) -> dict[str, list[str]]:
    screen = {
        "synchronousWindowSystemEvents": False,
        "windowFrameMargins": False,
        "screens": [
            {
                "name": "Laptop",
                "x": 0,
                "y": 0,
                "width": size[0],
                "height": size[1],
                "logicalDpi": 96,
                "logicalBaseDpi": 96,
                "dpr": 1,
            }
        ],
    }
    config = tmp_path / "screen.json"
    config.write_text(json.dumps(screen))
    out = tmp_path / "walk.json"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        QT_SCALE_FACTOR=scale,
    )
    done = subprocess.run(
        [sys.executable, str(WALK), str(out), "--give-up", "400", *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=480,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, list[str]] = json.loads(out.read_text())
    return result


@pytest.mark.parametrize(("name", "size", "scale"), LAPTOPS, ids=[n for n, _s, _f in LAPTOPS])
def test_every_screen_fits(tmp_path: Path, name: str, size: tuple[int, int], scale: str) -> None:
    result = walk(tmp_path, size, scale)
    screens = result["screens"]
    # It walked the app, not an empty window: every tab of a review, the planning dialog, the
    # commands' dialogs, search, conflicts, an import's summary, the welcome screen.
    for tab in ("Plan", "Self-evaluation", "Evidence", "Judgements", "Report"):
        assert any(f"tab {tab!r}" in s for s in screens), tab
    for seen in (
        "dialog 'Plan a peer review'",
        "dialog 'Review conflicts'",
        "dialog 'Import finished'",
        "search with results",
        "welcome screen",
        "evidence revealed",
        "Visit mode",
        # action plans and the partnership view (issue 12): a plan's tabs, its dialogs, the
        # due and overdue actions on the partnership's page, the view's own window
        "tab 'Priorities and actions'",
        'tab "Governors\' summary"',
        "dialog 'Progress update'",
        "dialog 'Improvement workshop",
        "dialog 'Schools this laptop works with'",
        "window 'Partnership view'",
    ):
        assert any(seen in s for s in screens), seen
    assert not result["problems"], "\n".join(result["problems"])
    # Keys: no Alt+letter reaches two things in any window it walked (its menus included).
    assert not result["clashes"], "\n".join(result["clashes"])
    # Words: no record's id or kind's internal name in sight on any screen it walked, the
    # navigator, search hits, the conflict review and an import's summary among them.
    assert not result["ids"], "\n".join(result["ids"])


def test_a_feature_registered_later_is_walked_too(tmp_path: Path) -> None:
    """The throwaway contact log (tests/ui/contact_log) is registered and nothing else changes:
    its folder, its records' view and its command's dialogs are walked and fit."""
    result = walk(tmp_path, (1366, 768), "1", "--with-contact-log")
    screens = result["screens"]
    assert any("contact_note" in s for s in screens)
    assert any("command log_contact" in s or "Contact log" in s for s in screens)
    assert not result["problems"], "\n".join(result["problems"])
