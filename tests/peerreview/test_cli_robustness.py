"""The command line meets damaged files, odd file names and out-of-range input: one line, exit 1."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from peerreview.cli import main
from peerreview.sync.dump import dump_bytes
from peerreview.sync.store import Store

ROOT = Path(__file__).resolve().parents[2]


def run(
    *argv: str | bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The real command in a fresh process, as a person at a terminal would run it."""
    return subprocess.run(
        [sys.executable, "-m", "peerreview.cli", *argv],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, (result.stdout, err)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--size", "small", "--no-gui"]) == 0
    return path


def test_check_on_a_damaged_database_says_so_in_one_line(demo: Path, tmp_path: Path) -> None:
    with sqlite3.connect(demo) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(demo.read_bytes())
    # Scribble over a run of pages in the middle of the file (not the header).
    start = page_size * (pages // 2)
    data[start : start + page_size * 4] = os.urandom(page_size * 4)
    demo.write_bytes(bytes(data))
    for command in ("check", "dump"):
        err = assert_one_line_error(run(command, "--db", str(demo)))
        assert "damaged" in err or "integrity" in err.lower() or "not a" in err, err


def test_a_bundle_whose_name_is_not_utf8(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.prbundle"
    assert run("export", "--db", str(demo), "--out", str(out), "--full", "--plain").returncode == 0
    odd = os.fsencode(tmp_path) + b"/b\xfe.prbundle"
    os.rename(out, odd)
    fresh = tmp_path / "fresh.db"
    assert run("init", "--db", str(fresh), "--device", "Coordinator").returncode == 0
    result = run("import", "--db", str(fresh), odd, env={"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    assert b"new" in result.stdout and b"Traceback" not in result.stderr
    with Store.open(fresh) as store, Store.open(demo) as source:
        assert dump_bytes(store) == dump_bytes(source)
        (name,) = store.db.execute("SELECT filename FROM imports").fetchone()
        assert name == "b\ufffd.prbundle"


def test_a_database_whose_name_is_not_utf8(tmp_path: Path) -> None:
    odd = os.fsencode(tmp_path) + b"/v\xff.db"
    result = run("init", "--db", odd, env={"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    assert b"Created" in result.stdout and b"Traceback" not in result.stderr


def test_an_impossible_urn_on_export(demo: Path, tmp_path: Path) -> None:
    before = demo.read_bytes()
    err = assert_one_line_error(
        run(
            "export",
            "--db",
            str(demo),
            "--out",
            str(tmp_path / "x.prbundle"),
            "--school",
            "99999999999999999999999",
        )
    )
    assert "no school with URN" in err
    assert not (tmp_path / "x.prbundle").exists()
    assert demo.read_bytes() == before


def test_demo_seed_chooses_the_partnership(tmp_path: Path) -> None:
    def demo_dump(name: str, seed: int) -> bytes:
        path = tmp_path / name
        assert (
            main(["demo", "--db", str(path), "--size", "small", "--seed", str(seed), "--no-gui"])
            == 0
        )
        with Store.open(path) as store:
            return b"\n".join(
                r[0].encode() for r in store.db.execute("SELECT name FROM school ORDER BY name")
            )

    assert demo_dump("a.db", 1) == demo_dump("b.db", 1)
    assert demo_dump("a.db", 1) != demo_dump("c.db", 2)
