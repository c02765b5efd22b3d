"""Make the laptop screenshots: a review's Plan tab and the plan dialog at 1366 x 768.

    .venv/bin/python docs/screenshots/make_laptop.py

Runs the laptop walk (tests/ui/laptop/walk.py, what tests/ui/test_fits_the_laptop.py checks) in a
fresh process on an offscreen 1366 x 768 screen, saving every screen it opens, and keeps two of
them: the Plan tab of the longest-named school's review (the main window, sized to the screen less a
taskbar) and "Plan a peer review" for that school, whose last review left a next step in each of
eight areas.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WALK = ROOT / "tests" / "ui" / "laptop" / "walk.py"
SCREEN = {
    "synchronousWindowSystemEvents": False,
    "windowFrameMargins": False,
    "screens": [
        {
            "name": "Laptop",
            "x": 0,
            "y": 0,
            "width": 1366,
            "height": 768,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        }
    ],
}
#: Which of the walk's shots to keep: (the start of its name after the number, kept as).
KEEP = (
    ("navigator-record-review-review-ofsted-", "-tab-plan", "laptop-plan-tab-1366x768.png"),
    ("dialog-plan-a-peer-review", "", "laptop-plan-dialog-1366x768.png"),
)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="peerreview-laptop-shots-"))
    config = work / "screen.json"
    config.write_text(json.dumps(SCREEN))
    shots = work / "shots"
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR="1")
    subprocess.run(
        [sys.executable, str(WALK), str(work / "walk.json"), "--shots", str(shots)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    names = sorted(p.name for p in shots.glob("*.png"))
    for start, end, keep in KEEP:
        found = [n for n in names if n[4:].startswith(start) and n[:-4].endswith(end)]
        if not found:
            print(f"the walk saved no {start}…{end} screen", file=sys.stderr)
            return 1
        shutil.copyfile(shots / found[0], HERE / keep)
        print(f"wrote {(HERE / keep).relative_to(ROOT)}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
