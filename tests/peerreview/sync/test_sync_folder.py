"""A shared folder as a mailbox, and the command line of trust: invite, join, devices, sync."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from peerreview.cli import main
from peerreview.sync.check import check
from peerreview.sync.dump import dump_bytes
from peerreview.sync.store import Store
from peerreview.sync.sync_folders import sync_folder


def _run(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "peerreview.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _ok(capsys: pytest.CaptureFixture[str], args: list[str], code: int = 0) -> str:
    assert main([str(a) for a in args]) == code, capsys.readouterr()
    out = capsys.readouterr()
    return out.out + out.err


def test_invite_join_and_sync_through_one_folder_from_two_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, folder = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "OneDrive - School"
    folder.mkdir()
    _ok(capsys, ["init", "--db", a, "--device", "Coordinator", "--partnership", "Coventry"])
    with Store.open(a) as store:
        store.create("school", {"name": "Grace Academy", "urn": 135335})
    out = _ok(capsys, ["invite", "--db", a, "--out", tmp_path / "b.prinvite", "--school", "135335"])
    assert "b.prinvite" in out
    out = _ok(capsys, ["join", "--db", b, "--device", "Laptop B", tmp_path / "b.prinvite"])
    assert "Joined Coventry as member" in out and "key:" in out
    with Store.open(b) as store:
        store.create("school", {"name": "West Coventry Academy", "urn": 137209})
    # Three rounds, the two laptops syncing at the same moment in two processes.
    for round_ in range(3):
        with Store.open(a) as store:
            store.create("school", {"name": f"A's school {round_}"})
        procs = [_run("sync", "--db", str(db), "--folder", str(folder)) for db in (a, b)]
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err.decode()
            assert not err, err.decode()
    # Once more each, in turn, so the last of each side's work has crossed.
    for db in (a, b, a):
        p = _run("sync", "--db", str(db), "--folder", str(folder))
        assert p.wait(timeout=120) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert all(n.endswith(".prbundle") for n in names), names  # nothing half-written left
    with Store.open(a) as sa, Store.open(b) as sb:
        assert check(sa) == [] and check(sb) == []
        assert dump_bytes(sa) == dump_bytes(sb)
        assert len(sb.list("school")) == 5
    out = _ok(capsys, ["devices", "--db", a])
    assert "Laptop B" in out and "member" in out and "Grace Academy" in out and "trusted" in out


def test_held_bundles_exit_3_then_approve_reject_revoke(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, x = tmp_path / "a.db", tmp_path / "x.db"
    _ok(capsys, ["init", "--db", a, "--device", "Coordinator", "--partnership", "Coventry"])
    _ok(capsys, ["export", "--db", a, "--out", tmp_path / "seed.prbundle", "--plain"])
    _ok(capsys, ["init", "--db", x, "--device", "Unknown laptop"])
    _ok(capsys, ["import", "--db", x, tmp_path / "seed.prbundle"])
    with Store.open(x) as store:
        store.create("school", {"name": "From the unknown laptop"})
    out = _ok(capsys, ["export", "--db", x, "--out", tmp_path / "x.prbundle", "--plain"])
    assert "Warning: this bundle is not encrypted" in out
    out = _ok(capsys, ["import", "--db", a, tmp_path / "x.prbundle"], code=3)
    assert "held" in out
    assert "held" in _ok(capsys, ["devices", "--db", a])
    # A member cannot approve; the coordinator can, and the held bundle is applied.
    out = _ok(capsys, ["devices", "approve", "--db", a, "Unknown laptop"])
    assert "Approved Unknown laptop" in out and "1 new" in out
    with Store.open(a) as store:
        assert "From the unknown laptop" in [s.title for s in store.list("school")]
    out = _ok(capsys, ["devices", "revoke", "--db", a, "Unknown laptop"])
    assert "Revoked" in out
    assert "revoked" in _ok(capsys, ["devices", "--db", a])
    # Rejecting: a second stranger's bundle is dropped and its later ones refused.
    y = tmp_path / "y.db"
    _ok(capsys, ["init", "--db", y, "--device", "Stranger"])
    _ok(capsys, ["import", "--db", y, tmp_path / "seed.prbundle"])
    with Store.open(y) as store:
        store.create("school", {"name": "Stranger's"})
    _ok(capsys, ["export", "--db", y, "--out", tmp_path / "y.prbundle", "--plain"])
    _ok(capsys, ["import", "--db", a, tmp_path / "y.prbundle"], code=3)
    assert "Rejected Stranger" in _ok(capsys, ["devices", "reject", "--db", a, "Stranger"])
    err = _ok(capsys, ["import", "--db", a, tmp_path / "y.prbundle"], code=1)
    assert "rejected" in err
    assert "no laptop called" in _ok(capsys, ["devices", "approve", "--db", a, "Nobody"], code=1)


def test_sync_of_a_lone_coordinator_and_a_missing_folder(tmp_path: Path) -> None:
    a = Store.init(tmp_path / "a.db", device_name="Coordinator", partnership_name="Coventry")
    result = sync_folder(a, tmp_path)
    assert result.written == () and "nothing to send yet" in result.summary()
    from peerreview.errors import BundleError

    with pytest.raises(BundleError, match="no folder"):
        sync_folder(a, tmp_path / "missing")


def test_export_is_incremental_and_encrypted_unless_told_and_plain_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    _ok(capsys, ["init", "--db", a, "--device", "Coordinator", "--partnership", "Coventry"])
    with Store.open(a) as store:
        store.create("school", {"name": "Grace Academy", "urn": 135335})
    # Nobody to encrypt to yet: refused in one sentence, nothing written.
    out = _ok(capsys, ["export", "--db", a, "--out", tmp_path / "none.prbundle"], code=1)
    assert "no other enrolled laptop" in out and not (tmp_path / "none.prbundle").exists()
    _ok(capsys, ["invite", "--db", a, "--out", tmp_path / "b.prinvite"])
    _ok(capsys, ["join", "--db", b, "--device", "Laptop B", tmp_path / "b.prinvite"])
    # The joined laptop's first bundle (for the coordinators) completes its enrolment.
    _ok(capsys, ["export", "--db", b, "--out", tmp_path / "b.prbundle"])
    _ok(capsys, ["import", "--db", a, tmp_path / "b.prbundle"])
    out = _ok(capsys, ["export", "--db", a, "--out", tmp_path / "1.prbundle"])
    assert "encrypted for Laptop B" in out and "Warning" not in out
    assert b"Grace Academy" not in (tmp_path / "1.prbundle").read_bytes()
    out = _ok(capsys, ["export", "--db", a, "--out", tmp_path / "plain.prbundle", "--plain"])
    assert "not encrypted" in out and "Warning: this bundle is not encrypted" in out
    out = _ok(capsys, ["export", "--db", a, "--out", tmp_path / "full.prbundle", "--full"])
    assert "(everything;" in out and "encrypted for Laptop B" in out
