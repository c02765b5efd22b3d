"""The workbook and the summary, read back from the PDF and Word files; and the demo they print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from pypdf import PdfReader

from peerreview.cli import main
from peerreview.demo import build_demo
from peerreview.forms import FormLibrary
from peerreview.lessonstudy import cycles as cy
from peerreview.lessonstudy import grid
from peerreview.lessonstudy.demo import DEMO_REAL_NAMES
from peerreview.reporting import write_report
from peerreview.sync.check import check
from peerreview.sync.registry import ReportRequest
from peerreview.sync.store import Store

HOSTILE = '<script>alert("x")</script> & Ysgol Gymraeg — ŵŷ, Zoë 😀'


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.init(tmp_path_factory.mktemp("demo") / "demo.db", device_name="Demo laptop")
    build_demo(store, "small")
    yield store
    store.close()


def _cycle(store: Store, status: cy.Status, form: str = "lesson-study-dudley") -> str:
    return next(
        c.id
        for c in store.list("cycle", order_by="id")
        if cy.Status.of(c) is status and c.get("form_id") == form
    )


def _write(store: Store, cycle: str, fmt: str, out: Path, *, summary: bool = False) -> Path:
    request = ReportRequest(record_id=cycle, summary=summary)
    return write_report(store, "cycle", cycle, fmt, out, request=request)


# ===================================================================== the demo


def test_the_demo_has_cycles_at_every_stage_observed_on_three_laptops(demo: Store) -> None:
    statuses = {cy.Status.of(c) for c in demo.list("cycle")}
    assert statuses == {cy.Status.PLANNING, cy.Status.RL2, cy.Status.RL3, cy.Status.COMPLETE}
    assert {c["form_id"] for c in demo.list("cycle")} == {
        "lesson-study-dudley",
        "lesson-study-research-plan",
    }
    # The observers' notes were written on three other laptops and arrived in three bundles.
    imported = demo.db.execute("SELECT device_name FROM imports ORDER BY device_name").fetchall()
    assert [r[0] for r in imported] == [f"Classroom laptop {n}" for n in (1, 2, 3)]
    devices = {c.device for c in demo.iter_changes() if c.kind == "observation"}
    assert len(devices) == 3 and demo.device.id not in devices
    assert demo.conflict_count() == 0
    for cycle in demo.list("cycle"):
        for lesson in cy.lessons(demo, cycle.id):
            notes = cy.observations(demo, lesson.id)
            if lesson.get("teacher_remarks"):  # taught and discussed
                assert len({n["observer_name"] for n in notes}) == 3
                # One cell with notes from several observers, in time order.
                busy = max(cy.timeline(demo, lesson.id).values(), key=len)
                assert len({n["observer_name"] for n in busy}) >= 2
                assert [n["time"] for n in busy] == sorted(n["time"] for n in busy)
            else:
                assert notes == []
    # RL2 was pre-filled from RL1: the same stages; its "what we will change" is there to see.
    mid = _cycle(demo, cy.Status.RL2)
    rl1, rl2 = cy.lessons(demo, mid)
    assert [s["activity"] for s in cy.stages(demo, rl2.id)] == [
        s["activity"] for s in cy.stages(demo, rl1.id)
    ]
    assert rl1.get("next_changes")
    # One cycle's pupils have real names on this (the school's) laptop only.
    first = demo.list("cycle", order_by="id")[0]
    pupils = [p.id for p in cy.pupils(demo, first.id)]
    assert sorted(cy.real_names(demo, pupils).values()) == sorted(DEMO_REAL_NAMES)
    assert check(demo) == []


def test_a_cycle_with_several_schools_is_under_each_of_them(demo: Store) -> None:
    shared = [c for c in demo.list("cycle") if len(cy.schools(demo, c.id)) > 1]
    assert shared
    for cycle in shared:
        for school in cy.schools(demo, cycle.id):
            assert cycle.id in [c.id for c in cy.cycles_of_school(demo, school.id)]


# ===================================================================== the workbook


def test_the_workbook_reads_back_from_pdf(demo: Store, tmp_path: Path) -> None:
    cycle = _cycle(demo, cy.Status.COMPLETE)
    reader = PdfReader(_write(demo, cycle, "pdf", tmp_path / "wb.pdf"))
    pages = [(p.mediabox.width > p.mediabox.height, p.extract_text() or "") for p in reader.pages]
    text = "\n".join(t for _, t in pages)
    for heading in (
        "Lesson study workbook",
        "Overview and focus",
        "Case pupils",
        "Research lesson 1",
        "Research lesson 3",
        "The plan, stage by stage",
        "Predicted and actual",
        "Pupil interviews",
        "Post-lesson discussion",
        "The evidence, pupil by pupil",
        "Outcomes",
        "What others should try",
    ):
        assert heading in text, heading
    assert "Predicted:" in text and "Pupil C" in text
    # Each research lesson is on landscape pages; the rest is portrait.
    assert not pages[0][0] and not pages[1][0]
    wide = [t for is_wide, t in pages if is_wide]
    assert len(wide) >= 3 and not pages[-1][0]
    # A grid running onto another page repeats its header row there.
    grid_pages = [page for page in wide if "Predicted:" in page]
    assert any("Predicted and actual" not in page for page in grid_pages)  # a continuation
    for page in grid_pages:
        assert "Stage" in page and "Pupil A" in page and "Pupil C" in page
    # Every observer's notes are named in the grid.
    observers = {
        n["observer_name"]
        for lesson in cy.lessons(demo, cycle)
        for n in cy.observations(demo, lesson.id)
    }
    assert all(name.split()[0] in text for name in observers)
    assert "Page 1 of" in pages[0][1]


def test_the_workbook_reads_back_from_word(demo: Store, tmp_path: Path) -> None:
    cycle = _cycle(demo, cy.Status.COMPLETE, "lesson-study-research-plan")
    document = docx.Document(str(_write(demo, cycle, "docx", tmp_path / "wb.docx")))
    orientations = [s.orientation for s in document.sections]
    assert orientations[0] == WD_ORIENT.PORTRAIT and orientations[-1] == WD_ORIENT.PORTRAIT
    assert orientations.count(WD_ORIENT.LANDSCAPE) == 3
    texts = [p.text for p in document.paragraphs]
    assert "Research lesson 2: " in "\n".join(texts)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for label in ("Anticipated pupil responses", "Teacher support", "Points to evaluate"):
        assert label in cells, label
    assert "Pupil A: predicted" in cells
    # Every row is kept whole on a page, and table header rows repeat on every page.
    grids = [t for t in document.tables if t.rows and t.rows[0].cells[0].text == "Stage"]
    assert grids
    for table in grids:
        first = table.rows[0]._tr.trPr
        assert first.find(qn("w:tblHeader")) is not None
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_hostile_text_prints_in_both_formats(tmp_path: Path, library: FormLibrary) -> None:
    store = Store.init(tmp_path / "h.db", device_name="Laptop", partnership_name="P")
    school = store.create("school", {"name": "Ysgol Gymraeg"})
    cycle = cy.create_cycle(store, library, school, title=HOSTILE)
    lesson = cy.lessons(store, cycle)[0].id
    stage = cy.stages(store, lesson)[0].id
    pupil = cy.pupils(store, cycle)[0].id
    cy.set_prediction(store, lesson, stage, pupil, HOSTILE)
    cy.add_note(store, lesson, stage, pupil, HOSTILE + " " + "long " * 900)
    pdf = PdfReader(_write(store, cycle, "pdf", tmp_path / "h.pdf"))
    text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert '<script>alert("x")</script>' in text and "ŵŷ" in text
    document = docx.Document(str(_write(store, cycle, "docx", tmp_path / "h.docx")))
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert HOSTILE in cells
    store.close()


# ===================================================================== the summary


def test_every_demo_summary_is_two_pages_with_scope_and_no_names(
    demo: Store, tmp_path: Path
) -> None:
    for cycle in demo.list("cycle", order_by="id"):
        reader = PdfReader(_write(demo, cycle.id, "pdf", tmp_path / "s.pdf", summary=True))
        assert len(reader.pages) <= 2, cycle["title"]
        text = "\n".join(p.extract_text() or "" for p in reader.pages)
        assert "Who this report is for" in text and "No teacher is" in text
        assert "Scope:" in text and "pseudonym" in text
        for member in cy.team(demo, cycle.id):
            assert member["name"] not in text
    complete = _cycle(demo, cy.Status.COMPLETE)
    document = docx.Document(str(_write(demo, complete, "docx", tmp_path / "s.docx", summary=True)))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "What we learned" in body
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "What others should try" in cells and "Pupil B" in cells


def test_the_command_line_writes_both_reports(demo: Store, tmp_path: Path) -> None:
    cycle = _cycle(demo, cy.Status.COMPLETE)
    for extra, name in (([], "workbook.pdf"), (["--summary"], "summary.docx")):
        out = tmp_path / name
        fmt = name.rsplit(".", 1)[1]
        args = ["report", "--db", str(demo.path), "--kind", "cycle", "--id", cycle]
        assert main([*args, "--format", fmt, "--out", str(out), *extra]) == 0
        assert out.stat().st_size > 5000


def test_a_report_of_something_that_is_not_a_cycle_says_so(
    demo: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lesson = cy.lessons(demo, _cycle(demo, cy.Status.COMPLETE))[0].id
    args = ["report", "--db", str(demo.path), "--kind", "cycle", "--id", lesson]
    assert main([*args, "--format", "pdf", "--out", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"peerreview: {lesson} is a research_lesson, not a cycle."
    assert not (tmp_path / "x.pdf").exists()


def test_unsettled_predictions_are_marked_in_the_workbook(
    tmp_path: Path, library: FormLibrary
) -> None:
    from lessonstudy_fixtures import exchange, make_cycle, new_store

    a = new_store(tmp_path, "Asha")
    cycle = make_cycle(a, library)
    b = new_store(tmp_path, "Ben", partnership=a.partnership_id)
    exchange(a, b, tmp_path, "plan")
    cy.set_prediction(a, cycle.lesson, cycle.stages[0], cycle.pupils[0], "One way.")
    cy.set_prediction(b, cycle.lesson, cycle.stages[0], cycle.pupils[0], "Another way.")
    exchange(b, a, tmp_path, "back")
    assert grid.conflicted(a, a.get(cycle.lesson), grid.PREDICTIONS) == {
        (cycle.stages[0], cycle.pupils[0])
    }
    text = "\n".join(
        p.extract_text() or ""
        for p in PdfReader(_write(a, cycle.id, "pdf", tmp_path / "c.pdf")).pages
    )
    assert "not yet settled" in text
    a.close()
    b.close()


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")),
    reason="LibreOffice opens the Word files as a reader would (scripts/setup.sh --test)",
)
def test_word_compatible_software_reads_the_workbook_and_the_summary(
    demo: Store, tmp_path: Path
) -> None:
    cycle = _cycle(demo, cy.Status.COMPLETE)
    workbook = _write(demo, cycle, "docx", tmp_path / "wb.docx")
    summary = _write(demo, cycle, "docx", tmp_path / "summary.docx", summary=True)
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office is not None
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "lo")]
        + [str(workbook), str(summary)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wb = PdfReader(tmp_path / "lo" / "wb.pdf")
    pages = [(p.mediabox.width > p.mediabox.height, p.extract_text() or "") for p in wb.pages]
    text = "\n".join(t for _, t in pages)
    for heading in ("Overview and focus", "Case pupils", "Research lesson 1", "Outcomes"):
        assert heading in text, heading
    assert "Pupil A" in text and "Pupil C" in text
    # The research lessons' grids are on landscape pages there too, the cover is portrait.
    assert not pages[0][0] and sum(wide for wide, _ in pages) >= 3
    ours = len(PdfReader(_write(demo, cycle, "pdf", tmp_path / "wb.pdf")).pages)
    assert abs(len(pages) - ours) <= max(3, ours // 5), (ours, len(pages))
    short = PdfReader(tmp_path / "lo" / "summary.pdf")
    assert len(short.pages) <= 3
    shared = "\n".join(p.extract_text() or "" for p in short.pages)
    assert "Pupil A" in shared
    assert not any(name in shared for name in DEMO_REAL_NAMES)
