"""The core never imports Qt or the ui package (DESIGN.md section 1): it runs without a display."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = r"""
import json, pkgutil, sys
import peerreview

names = ["peerreview"]
errors = []
for info in pkgutil.walk_packages(peerreview.__path__, "peerreview.", onerror=errors.append):
    names.append(info.name)
    __import__(info.name)
banned = sorted(
    m for m in sys.modules
    if m.split(".")[0] in ("PySide6", "shiboken6", "ui", "PyQt5", "PyQt6", "pytestqt")
)
print(json.dumps({"modules": names, "banned": banned, "errors": [str(e) for e in errors]}))
"""


def test_core_modules_import_without_qt_or_ui() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert "peerreview.sync.store" in result["modules"] and "peerreview.cli" in result["modules"]
    assert result["banned"] == [], f"the core imported {result['banned']}"
