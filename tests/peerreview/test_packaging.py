"""forms/ and resources/ are found from an installed wheel, not only from a source checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_carries_forms_and_resources(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(dist.glob("peerreview-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("peerreview/_data/forms/") and n.endswith(".toml") for n in names)
    assert "peerreview/_data/resources/fonts/DejaVuSans.ttf" in names
    assert "peerreview/cli.py" in names and "ui/__init__.py" in names

    # Install it as a wheel would be (unpacked into site-packages of its own), then use it from
    # a folder far away from the checkout, with the checkout off the path.
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    probe = (
        "import sys, peerreview, peerreview.paths as p, peerreview.forms as f;"
        f"assert peerreview.__file__.startswith({str(site)!r}), peerreview.__file__;"
        "forms = p.package_data('forms'); res = p.package_data('resources');"
        f"assert str(forms).startswith({str(site)!r}), forms;"
        "assert (res / 'fonts' / 'DejaVuSans.ttf').is_file();"
        "lib = f.load_forms(f.forms_dir()); print(len(lib.latest()))"
    )
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 4
