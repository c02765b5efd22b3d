"""Reports a governor can read: large enough type, the judgements first, a draft that says so on
every page and lists what is not agreed together, "(continued)" where an area runs on, areas of a
note set apart in the evidence log, and the PDF and the Word file with the same pages."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from peerreview.forms import FormLibrary
from peerreview.reporting import write_report
from peerreview.reports import docx as word
from peerreview.reports import pdf
from peerreview.reports.model import Callout, Heading, Judgement, Table
from peerreview.review import reviews as rv
from peerreview.review.report import build_review_report, readiness
from peerreview.sync.store import Store

LONG = "Lessons are well sequenced and pupils build on what they know. " * 40


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.init(tmp_path / "r.db", device_name="Laptop", partnership_name="Coventry Schools")
    return s


def partly_judged(store: Store, library: FormLibrary) -> tuple[str, rv.Framework]:
    """An Ofsted-style draft: one of nine areas judged (at length), no EBIs, twelve notes."""
    school = store.create("school", {"name": "Coundon Court", "urn": 103712})
    fw = rv.Framework.from_form(library.get("review-ofsted"))
    rid = rv.plan_review(
        store, fw, school=school, start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 4)
    )
    store.update(rid, {"areas_excluded": []})
    rv.add_member(store, rid, name="Amira Patel", role="Lead reviewer")
    area = fw.areas[1]
    assert area.scale is not None
    rv.set_view(
        store,
        rid,
        area.id,
        rv.Stage.AGREED,
        judgement=area.scale.levels[1].value,
        rationale=LONG,
        www="Strong curriculum thinking.",
    )
    for n in range(12):
        rv.add_evidence(
            store,
            rid,
            activity="Lesson visit",
            note="Pupils explained their reasoning to a partner. " * (1 + n % 4),
            areas=[fw.areas[n % 3].id, fw.areas[3 + n % 4].id],
            year_group=f"Year {1 + n % 6}",
            subject="Maths",
            time=dt.datetime(2026, 3, 3, 9, 4 * n),
        )
    return rid, fw


def test_type_is_large_enough_in_both_formats() -> None:
    s = pdf._styles()
    assert s.body.fontSize >= 11 and s.callout_body.fontSize >= 11
    for style in (s.cell, s.cell_item, s.note, s.label, s.scale, s.cover_label, s.cover_small):
        assert style.fontSize >= 9.5, style.name
    writer = word._Writer(build_minimal())
    sizes = {
        name: writer.doc.styles[name].font.size.pt
        for name in ("Normal", "Report Note", "Table Text", "Table List", "Scale", "Callout Text")
    }
    assert sizes["Normal"] >= 11 and sizes["Callout Text"] >= 11
    assert all(size >= 9.5 for size in sizes.values()), sizes


def build_minimal() -> object:
    from peerreview.reports.model import Report

    return Report("T", "", "S", "P", "A", "C", (), (), dt.date(2026, 3, 3))


def test_a_draft_summarises_first_and_lists_what_is_not_agreed_together(
    store: Store, library: FormLibrary
) -> None:
    rid, fw = partly_judged(store, library)
    report = build_review_report(store, library, rid)
    assert report.marking == "Draft"
    blocks = list(report.blocks)
    draft = blocks[0]
    assert isinstance(draft, Callout) and draft.title == "Draft"
    waiting = [a.title for n, a in enumerate(fw.areas) if n != 1]
    assert all(title in draft.text for title in waiting)  # named together, at the front
    heading, summary = blocks[1], blocks[2]
    assert isinstance(heading, Heading) and heading.text == "Summary of judgements"
    assert isinstance(summary, Table) and len(summary.rows) == len(fw.areas)
    assert summary.rows[1] == (fw.areas[1].title, "Strong standard")
    assert summary.rows[0][1] == "Not yet agreed"
    chapters = [b.text for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert fw.areas[1].title in chapters
    assert not any(title in chapters for title in waiting)  # no page of its own each
    assert len([b for b in blocks if isinstance(b, Judgement)]) == 1


def test_every_page_of_a_draft_says_draft_and_an_area_running_on_says_so(
    store: Store, library: FormLibrary, tmp_path: Path
) -> None:
    rid, fw = partly_judged(store, library)
    out = write_report(store, "review", rid, "pdf", tmp_path / "draft.pdf")
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert all("DRAFT" in page for page in pages)
    area = fw.areas[1].title
    started = next(n for n, page in enumerate(pages) if area in page)
    # The area's long rationale runs onto the next page, which names the area at its top
    # (its "(continued)" is drawn as shapes, not words: page furniture, not content).
    assert area in pages[started + 1] and "Sign-off" in pages[started + 1]
    document = docx.Document(str(write_report(store, "review", rid, "docx", tmp_path / "d.docx")))
    header = document.sections[0].header
    assert any(p.text == "DRAFT" for p in header.paragraphs)
    assert any("STYLEREF" in p._p.xml for p in header.paragraphs)  # the chapter, by Word


def test_areas_of_a_note_are_set_apart_in_the_evidence_log(
    store: Store, library: FormLibrary, tmp_path: Path
) -> None:
    rid, fw = partly_judged(store, library)
    report = build_review_report(store, library, rid)
    log = next(b for b in report.blocks if isinstance(b, Table) and "Areas" in b.columns)
    assert log.lists == (4,)
    document = docx.Document(str(write_report(store, "review", rid, "docx", tmp_path / "d.docx")))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Areas")
    cell = table.rows[1].cells[-1]
    items = [p for p in cell.paragraphs if p.text]
    assert len(items) == 2 and all(p.style.name == "Table List" for p in items)
    assert items[0].text == fw.areas[0].title and items[1].text == fw.areas[3].title


def test_agreeing_says_what_is_missing(store: Store, library: FormLibrary) -> None:
    rid, fw = partly_judged(store, library)
    missing = [c.missing for c in readiness(store, library, rid) if not c.done]
    assert f"{len(fw.areas) - 1} of {len(fw.areas)} areas have no agreed judgement" in missing[0]
    assert missing[1].startswith("No area has an even better if")
    assert missing[2] == "The host school has not commented."


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")),
    reason="LibreOffice opens the Word file as a reader would (scripts/setup.sh --test)",
)
def test_the_pdf_and_the_word_file_have_the_same_pages_within_one_or_two(
    store: Store, library: FormLibrary, tmp_path: Path
) -> None:
    rid, _fw = partly_judged(store, library)
    pdf_file = write_report(store, "review", rid, "pdf", tmp_path / "r.pdf")
    docx_file = write_report(store, "review", rid, "docx", tmp_path / "r.docx")
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office is not None
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), docx_file],
        check=True,
        capture_output=True,
        timeout=300,
    )
    word_pages = len(PdfReader(tmp_path / "lo" / "r.pdf").pages)
    pdf_pages = len(PdfReader(pdf_file).pages)
    assert abs(word_pages - pdf_pages) <= 2, (pdf_pages, word_pages)
    assert pdf_pages <= 6  # not a page for each of the eight areas not yet agreed
