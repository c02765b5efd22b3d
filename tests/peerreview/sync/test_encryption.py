"""Bundles carrying personal data leave the laptop encrypted with a passphrase (age)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerreview.cli import main
from peerreview.errors import BundleError
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.dump import dump_bytes
from peerreview.sync.encryption import PassphraseNeeded, is_encrypted
from peerreview.sync.store import Store

SECRET = "a short sentence only we know"


def _pair(tmp_path: Path) -> tuple[Store, Store]:
    a = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    school = a.create("school", {"name": "Coundon Court", "urn": 1})
    a.create("person", {"name": "Zoë Ní Bhriain", "school": school})
    b = Store.init(tmp_path / "b.db", device_name="B", partnership_id=a.partnership_id)
    return a, b


def test_encrypted_bundle_round_trip_and_refusals(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    path = tmp_path / "a.prbundle"
    export_bundle(a, path, passphrase=SECRET, full=True)
    assert is_encrypted(path)
    assert "Zoë".encode() not in path.read_bytes() and b"Coundon" not in path.read_bytes()
    before = dump_bytes(b)
    with pytest.raises(PassphraseNeeded, match="is encrypted"):
        import_bundle(b, path)
    with pytest.raises(BundleError, match="passphrase for a.prbundle is not right"):
        import_bundle(b, path, passphrase="not the passphrase")
    assert dump_bytes(b) == before
    report = import_bundle(b, path, passphrase=SECRET)
    assert report.filename == "a.prbundle" and report.new > 0
    assert dump_bytes(b) == dump_bytes(a)


def test_short_passphrase_is_refused(tmp_path: Path) -> None:
    a, _ = _pair(tmp_path)
    with pytest.raises(BundleError, match="at least 8 characters"):
        export_bundle(a, tmp_path / "x.prbundle", passphrase="short", full=True)
    assert not (tmp_path / "x.prbundle").exists()


def test_cli_encrypts_and_decrypts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _pair(tmp_path)
    a.close()
    b.close()
    secret = tmp_path / "passphrase.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    out = tmp_path / "a.prbundle"
    assert (
        main(
            [
                "export",
                "--db",
                str(tmp_path / "a.db"),
                "--out",
                str(out),
                "--passphrase-file",
                str(secret),
            ]
        )
        == 0
    )
    assert main(["import", "--db", str(tmp_path / "b.db"), str(out)]) == 1
    assert "is encrypted" in capsys.readouterr().err
    assert (
        main(["import", "--db", str(tmp_path / "b.db"), str(out), "--passphrase-file", str(secret)])
        == 0
    )
