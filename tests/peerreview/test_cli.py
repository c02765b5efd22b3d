"""The ``peerreview`` command: every command through ``main``, exit codes, and one-line errors."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from peerreview.cli import main
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store

_HERE = Path(__file__).resolve()
SAMPLE = next(
    (
        p
        for p in (
            _HERE.parent.parent / "data" / "gias_sample_coventry.csv",
            Path("/work/shared/data/gias_sample_coventry.csv"),
        )
        if p.exists()
    ),
    _HERE.parent.parent / "data" / "gias_sample_coventry.csv",
)


def ok(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run a command that must succeed; returns its stdout."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    return out


def fails(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run a command that must fail: exit 1 and exactly one line on stderr, which it returns."""
    code = main([str(a) for a in argv])
    _out, err = capsys.readouterr()
    assert code == 1, err
    assert_one_line(err)
    return err


def assert_one_line(err: str) -> None:
    assert err.endswith("\n") and err.count("\n") == 1, repr(err)
    assert err.startswith("peerreview: ")
    assert "Traceback" not in err and "Error:" not in err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "a.db"
    ok(
        capsys,
        ["init", "--db", path, "--device", "Mrs Patel's laptop", "--partnership", "Coventry"],
    )
    return path


# ------------------------------------------------------------------------------------ successes


def test_init(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sub" / "new.db"
    out = ok(
        capsys,
        [
            "init",
            "--db",
            path,
            "--device",
            "Mrs Patel's laptop",
            "--author",
            "Mrs Patel",
            "--partnership",
            "Coventry",
        ],
    )
    assert "Mrs Patel's laptop" in out
    with Store.open(path) as store:
        assert store.device.name == "Mrs Patel's laptop" and store.device.author == "Mrs Patel"
        assert store.partnership_id is not None
        assert store.get(store.partnership_id)["name"] == "Coventry"
    # Never over an existing database.
    assert "already exists" in fails(capsys, ["init", "--db", path])


def test_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.db"
    out = ok(capsys, ["demo", "--db", path, "--size", "small", "--no-gui"])
    assert "12 schools" in out
    with Store.open(path) as store:
        assert store.count("school") == 12 and store.partnership_id is not None
    assert "All checks passed" in ok(capsys, ["check", "--db", path])


def test_schools_import_twice_adds_no_duplicates(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = ok(capsys, ["schools", "import", "--db", db, SAMPLE])
    assert first.startswith("6 schools added")
    second = ok(capsys, ["schools", "import", "--db", db, SAMPLE])
    assert second.startswith("0 schools added") and "6 unchanged" in second
    with Store.open(db) as store:
        urns = [s["urn"] for s in store.list("school")]
        assert len(urns) == len(set(urns)) == 6
        assert 135335 in urns
    ok(capsys, ["check", "--db", db])


def test_export_import_dump_check(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, ["schools", "import", "--db", db, SAMPLE])
    bundle = tmp_path / "a.prbundle"
    out = ok(capsys, ["export", "--db", db, "--out", bundle, "--full", "--plain"])
    assert "a.prbundle" in out and bundle.exists()

    b = tmp_path / "b.db"
    ok(capsys, ["init", "--db", b, "--device", "Laptop B"])
    out = ok(capsys, ["import", "--db", b, bundle])
    assert "new" in out
    again = ok(capsys, ["import", "--db", b, bundle])
    assert "already imported" in again

    dump_a = ok(capsys, ["dump", "--db", db])
    dump_b = ok(capsys, ["dump", "--db", b])
    assert dump_a == dump_b
    parsed = orjson.loads(dump_a)
    assert parsed["log"]["changes"] > 0
    with Store.open(db) as store:
        assert dump_a.encode() == dump_bytes(store)
    assert ok(capsys, ["check", "--db", b]).strip() == "All checks passed."


def test_export_chosen_schools(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, ["schools", "import", "--db", db, SAMPLE])
    bundle = tmp_path / "two.prbundle"
    ok(
        capsys,
        ["export", "--db", db, "--out", bundle, "--school", "135335", "137209", "--plain"],
    )
    b = tmp_path / "b.db"
    ok(capsys, ["init", "--db", b])
    ok(capsys, ["import", "--db", b, bundle])
    with Store.open(b) as store:
        assert sorted(s["urn"] for s in store.list("school")) == [135335, 137209]


def _conflicted(tmp_path: Path) -> tuple[Path, str]:
    """A database with a name conflict and a delete conflict, made by two laptops."""
    a = Store.init(tmp_path / "c.db", device_name="Laptop A", author="Ann", partnership_name="P")
    b = Store.init(
        tmp_path / "d.db", device_name="Laptop B", author="Bob", partnership_id=a.partnership_id
    )
    enrol(a, b)
    school = a.create("school", {"name": "Grace Academy", "urn": 135335})
    other = a.create("school", {"name": "Moat House", "urn": 142205})
    export_bundle(a, tmp_path / "seed.prbundle", full=True, plain=True)
    import_bundle(b, tmp_path / "seed.prbundle")
    a.set(school, "name", "Grace Academy Coventry")
    b.set(school, "name", "Grace Academy (Coventry)")
    a.delete(other)
    b.set(other, "phase", "Primary")
    export_bundle(b, tmp_path / "b.prbundle", full=True, plain=True)
    import_bundle(a, tmp_path / "b.prbundle")
    assert len(a.conflicts()) == 2
    a.close()
    b.close()
    return tmp_path / "c.db", school


def test_conflicts_and_resolve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, school = _conflicted(tmp_path)
    out = ok(capsys, ["conflicts", "--db", path])
    assert school in out
    assert '"Grace Academy Coventry"' in out and '"Grace Academy (Coventry)"' in out
    assert "deleted on one laptop, edited on another" in out
    assert out.count("*") == 2  # one provisional winner per conflict
    assert "Ann" in out and "Laptop B" in out

    assert (
        ok(
            capsys,
            [
                "resolve",
                "--db",
                path,
                "--record",
                school,
                "--field",
                "name",
                "--value",
                "Grace Academy Coventry",
            ],
        ).strip()
        == "Resolved."
    )
    with Store.open(path) as store:
        other = next(c.record_id for c in store.conflicts() if c.is_delete)
    ok(
        capsys,
        ["resolve", "--db", path, "--record", other, "--field", "deleted", "--value", "false"],
    )
    assert ok(capsys, ["conflicts", "--db", path]).strip() == "No open conflicts."
    with Store.open(path) as store:
        assert store.get(school)["name"] == "Grace Academy Coventry"
        assert not store.get(other).deleted and store.get(other)["phase"] == "Primary"
    ok(capsys, ["check", "--db", path])


def test_resolve_with_a_json_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    b = Store.init(tmp_path / "b.db", device_name="B", partnership_id=a.partnership_id)
    enrol(a, b)
    school = a.create("school", {"name": "Grace Academy", "urn": 135335})
    export_bundle(a, tmp_path / "seed.prbundle", full=True, plain=True)
    import_bundle(b, tmp_path / "seed.prbundle")
    a.set(school, "pupils", 1080)
    b.set(school, "pupils", 1100)
    export_bundle(b, tmp_path / "b.prbundle", full=True, plain=True)
    import_bundle(a, tmp_path / "b.prbundle")
    a.close()
    b.close()
    ok(
        capsys,
        [
            "resolve",
            "--db",
            tmp_path / "a.db",
            "--record",
            school,
            "--field",
            "pupils",
            "--value",
            "1090",
        ],
    )
    with Store.open(tmp_path / "a.db") as store:
        assert store.get(school)["pupils"] == 1090


# ------------------------------------------------------------------------------------ failures


def test_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.db"
    for command in (
        ["check"],
        ["dump"],
        ["conflicts"],
        ["export", "--out", tmp_path / "x.prbundle"],
    ):
        err = fails(capsys, [command[0], "--db", missing, *command[1:]])
        assert "There is no database" in err
    assert not missing.exists()


def test_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.db"
    text.write_text("shopping list\n" * 50)
    assert "not a PeerReview database" in fails(capsys, ["check", "--db", text])


def test_bad_csv(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "schools.csv"
    bad.write_text("Name,Town\nGrace,Coventry\n")
    err = fails(capsys, ["schools", "import", "--db", db, bad])
    assert "schools.csv" in err
    with Store.open(db) as store:
        assert store.count("school") == 0


def test_missing_csv(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails(capsys, ["schools", "import", "--db", db, tmp_path / "none.csv"])


def test_bad_bundle(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.prbundle"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    before = ok(capsys, ["dump", "--db", db])
    err = fails(capsys, ["import", "--db", db, bad])
    assert "bad.prbundle" in err and "Nothing was changed" in err
    assert ok(capsys, ["dump", "--db", db]) == before


def test_good_and_bad_bundles_together(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, ["schools", "import", "--db", db, SAMPLE])
    good = tmp_path / "good.prbundle"
    ok(capsys, ["export", "--db", db, "--out", good, "--full", "--plain"])
    bad = tmp_path / "bad.prbundle"
    bad.write_text("nope")
    b = tmp_path / "b.db"
    ok(capsys, ["init", "--db", b])
    code = main(["import", "--db", str(b), str(bad), str(good)])
    out, err = capsys.readouterr()
    assert code == 1
    assert_one_line(err)
    assert "bad.prbundle" in err and "good.prbundle" in out
    assert ok(capsys, ["dump", "--db", b]) == ok(capsys, ["dump", "--db", db])


def test_unknown_urn_on_export(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.prbundle"
    err = fails(capsys, ["export", "--db", db, "--out", out, "--school", "999999", "--plain"])
    assert "999999" in err
    assert not out.exists()


def test_resolve_a_field_not_in_conflict(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(db) as store:
        school = store.create("school", {"name": "Grace Academy", "urn": 135335})
    err = fails(
        capsys, ["resolve", "--db", db, "--record", school, "--field", "name", "--value", "x"]
    )
    assert "not in conflict" in err


def test_newer_version_database(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.close()
    before = db.read_bytes()
    for command in (["check"], ["dump"], ["conflicts"]):
        err = fails(capsys, [command[0], "--db", db])
        assert "newer version" in err
    assert db.read_bytes() == before
    assert not (db.parent / "backups").exists() or not list((db.parent / "backups").iterdir())


def test_usage_errors_exit_1_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["frobnicate"],
        ["export", "--db", "x.db"],
        ["resolve", "--db", "x.db"],
        ["demo", "--size", "huge"],
    ):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 1
        assert_one_line(capsys.readouterr().err)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert "PeerReview" in capsys.readouterr().out


def test_real_console_script_reports_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    proc = subprocess.run(
        [sys.executable, "-m", "peerreview.cli", "check", "--db", str(missing)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert_one_line(proc.stderr)
    assert "There is no database" in proc.stderr

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "peerreview.cli",
            "init",
            "--db",
            str(tmp_path / "ok.db"),
            "--partnership",
            "P",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stderr == ""


def test_database_busy_in_another_window(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO meta(key, value) VALUES ('busy', 'yes')")
        err = fails(capsys, ["schools", "import", "--db", db, SAMPLE])
        assert "open" in err or "in use" in err or "busy" in err
    finally:
        other.execute("ROLLBACK")
        other.close()


# ------------------------------------------------------------------------------------ report


@pytest.fixture
def review_db(db: Path) -> tuple[Path, str]:
    """The ``db`` fixture's database with one review of Coundon Court, with a note."""
    import datetime as dt

    from peerreview.form_library import library
    from peerreview.review import reviews as rv

    store = Store.open(db)
    school = store.create("school", {"name": "Coundon Court", "urn": 103745})
    fw = rv.Framework.from_form(library().get("review-estimates"))
    rid = rv.plan_review(store, fw, school=school, start_date=dt.date(2026, 3, 3))
    rv.add_evidence(
        store,
        rid,
        activity="Lesson visit",
        note="Pupils in Year 8 explained their reasoning & checked it <carefully>.",
        areas=[fw.areas[0].id],
        time=dt.datetime(2026, 3, 3, 10, 40),
    )
    store.close()
    return db, rid


NOTE = "Pupils in Year 8 explained their reasoning & checked it <carefully>."


def test_report_pdf_and_docx_read_back(
    review_db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import docx
    from pypdf import PdfReader

    db, rid = review_db
    base = ["report", "--db", db, "--kind", "review", "--id", rid]
    out = ok(capsys, [*base, "--format", "pdf", "--out", tmp_path / "r.pdf"])
    assert out == f"Wrote {tmp_path / 'r.pdf'}.\n"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "r.pdf").pages)
    assert "Coundon Court" in text and NOTE in text
    ok(capsys, [*base, "--format", "docx", "--out", tmp_path / "r.docx"])
    document = docx.Document(str(tmp_path / "r.docx"))
    words = [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for row in t.rows for c in row.cells
    ]
    assert "Coundon Court" in words and NOTE in words


def test_report_of_an_unknown_id_writes_nothing(
    review_db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _rid = review_db
    out = tmp_path / "r.pdf"
    argv = ["report", "--db", db, "--kind", "review", "--id", "no-such-id", "--format", "pdf"]
    err = fails(capsys, [*argv, "--out", out])
    assert "no-such-id" in err
    assert list(tmp_path.glob("*.pdf")) == [] and not list(tmp_path.glob(".~*"))


def test_report_of_another_kind_of_record_or_kind_fails(
    review_db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, rid = review_db
    store = Store.open(db)
    school = store.list("school")[0].id
    store.close()
    out = tmp_path / "r.pdf"
    err = fails(
        capsys,
        ["report", "--db", db, "--kind", "review", "--id", school, "--format", "pdf", "--out", out],
    )
    assert "not a review" in err
    with pytest.raises(SystemExit) as caught:  # a kind with no report: a usage error
        main(
            [
                str(a)
                for a in [
                    "report",
                    "--db",
                    db,
                    "--kind",
                    "school",
                    "--id",
                    rid,
                    "--format",
                    "pdf",
                    "--out",
                    out,
                ]
            ]
        )
    assert caught.value.code == 1
    assert_one_line(capsys.readouterr().err)
    assert not out.exists()


def test_report_to_a_folder_that_cannot_be_written_fails_in_one_line(
    review_db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, rid = review_db
    base = ["report", "--db", db, "--kind", "review", "--id", rid]
    err = fails(capsys, [*base, "--format", "pdf", "--out", tmp_path / "missing" / "r.pdf"])
    assert "r.pdf" in err and "folder" in err
    (tmp_path / "taken").mkdir()  # a folder where the file should go
    fails(capsys, [*base, "--format", "docx", "--out", tmp_path / "taken"])
    assert (tmp_path / "taken").is_dir() and not list(tmp_path.glob(".~*"))
