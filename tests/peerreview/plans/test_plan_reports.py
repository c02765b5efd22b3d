"""The action plan and the governors' summary, read back from PDF and Word."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from review_world import World

from peerreview.errors import ValidationError
from peerreview.forms import FormLibrary
from peerreview.plans import plans as pl
from peerreview.plans import workshop as ws
from peerreview.plans.plans import ActionStatus, Impact, ProviderType, Rag
from peerreview.plans.report import build_governors_report, build_plan_report
from peerreview.reporting import write_report
from peerreview.reports.model import Chart
from peerreview.sync.registry import ReportRequest
from peerreview.sync.store import Store

D = dt.date
TODAY = D(2026, 3, 3)


def _plan(store: Store, library: FormLibrary, world: World) -> str:
    priority = ws.respond_with_new_priority(
        store, library, world.review, "leadership", title="Leaders check impact", on=D(2025, 11, 3)
    )
    late = ws.respond_with_new_action(
        store,
        library,
        world.review,
        "quality",
        priority=priority,
        title="Train every teacher in the feedback routine & check <books>",
        owner=world.deputy,
        start=D(2025, 11, 10),
        due=D(2026, 2, 27),
    )
    soon = pl.add_action(
        store,
        priority,
        "Subject leaders' book looks",
        owner=world.senco,
        due=D(2026, 3, 13),
        cost=600,
        milestones=[{"milestone": "First book look", "date": "2026-01-20", "done": True}],
    )
    pl.add_criterion(store, soon, "Every subject leader can show the impact on pupils' work")
    pl.add_update(store, late, on=D(2025, 12, 12), text="Training done.", rag=Rag.GREEN)
    pl.add_update(store, late, on=D(2026, 2, 20), text="Two absences: behind.", rag=Rag.RED)
    pl.add_update(store, soon, on=D(2026, 1, 20), text="First look done.", rag=Rag.AMBER)
    done = pl.add_action(store, priority, "Governors' report rewritten", owner=world.head)
    pl.add_update(store, done, on=D(2026, 1, 10), text="Done.", status=ActionStatus.COMPLETE)
    plan = ws.plan_for(store, world.review)
    assert plan is not None
    pl.add_impact_review(
        store,
        plan.id,
        on=D(2026, 2, 10),
        impact=Impact.SOME,
        priority=priority,
        reviewer=world.head,
        what_changed="Feedback acted on in most classes.",
    )
    pl.add_support(
        store,
        world.school,
        provider_type=ProviderType.SPECIALIST,
        provider="Maths hub",
        purpose="Teaching for mastery work group",
        cost=900,
        plan=plan.id,
    )
    pl.agree_plan(store, plan.id, agreed_by="Asha Patel", on=D(2025, 11, 20))
    return plan.id


def test_the_action_plan_report(
    store: Store, library: FormLibrary, world: World, tmp_path: Path
) -> None:
    plan = _plan(store, library, world)
    report = build_plan_report(store, library, plan, today=TODAY)
    assert any(isinstance(b, Chart) for b in report.blocks)
    pdf = write_report(
        store,
        "plan",
        plan,
        "pdf",
        tmp_path / "plan.pdf",
        request=ReportRequest(record_id=plan, today=TODAY),
    )
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    flat = " ".join(text.split())
    for expected in (
        "Action plan",
        "Coundon Court",
        "Leaders check impact",
        "Train every teacher in the feedback routine & check <books>",
        "Tom Lewis (Deputy headteacher)",
        "(overdue)",
        "Every subject leader can show the impact",
        "RAG over time: Green (12 December 2025) → Red (20 February 2026)",
        "worsened",
        "Responses to the peer review",
        "No response yet",
        "Some impact",
        "Maths hub",
        "Agreed",
        "Confidential to the school",
    ):
        assert expected in flat, expected
    word = write_report(
        store,
        "plan",
        plan,
        "docx",
        tmp_path / "plan.docx",
        request=ReportRequest(record_id=plan, today=TODAY),
    )
    document = docx.Document(str(word))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Leaders check impact" in body + cells
    assert "Train every teacher in the feedback routine & check <books>" in cells
    assert len(document.inline_shapes) == 1  # the chart, the same picture as in the PDF


def test_the_governors_summary_is_one_page(
    store: Store, library: FormLibrary, world: World, tmp_path: Path
) -> None:
    plan = _plan(store, library, world)
    report = build_governors_report(store, library, world.school, today=TODAY)
    assert report.compact
    facts = dict(report.blocks[0].pairs)  # type: ignore[union-attr]
    assert facts["Actions"] == "3, of which 1 complete"
    assert facts["Open actions by RAG"] == "1 red, 1 amber"
    # Green in December to red in February is worse; first rated in January is new this term.
    assert facts["Movement"] == (
        "Since the start of the spring term: 0 improved, 0 unchanged, 1 worse, 1 newly rated."
    )
    assert facts["Overdue"] == "1" and facts["Due in the next 14 days"] == "1"
    assert facts["Impact reviews"] == "1 some impact"
    store.close()
    out = tmp_path / "governors.pdf"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "peerreview.cli",
            "report",
            "--db",
            str(world_db(tmp_path)),
            "--kind",
            "governors",
            "--school",
            "103745",
            "--today",
            "2026-03-03",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
        capture_output=True,
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    flat = " ".join(reader.pages[0].extract_text().split())
    assert "summary for governors" in flat and "Spring term 2026" in flat
    assert "Ratings that have worsened" in flat
    word = tmp_path / "governors.docx"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "peerreview.cli",
            "report",
            "--db",
            str(world_db(tmp_path)),
            "--kind",
            "governors",
            "--school",
            "103745",
            "--format",
            "docx",
            "--out",
            str(word),
        ],
        capture_output=True,
    )
    assert result.returncode == 0, result.stderr
    assert "summary for governors" in "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert plan


def world_db(tmp_path: Path) -> Path:
    return tmp_path / "a.db"


def test_a_school_without_a_plan_gets_one_sentence(store: Store, library: FormLibrary) -> None:
    school = store.create("school", {"name": "Grace Academy", "urn": 135335})
    with pytest.raises(ValidationError, match="Grace Academy has no action plan yet"):
        build_governors_report(store, library, school, today=TODAY)


def test_the_chart_is_one_picture_in_both_formats(
    store: Store, library: FormLibrary, world: World
) -> None:
    from peerreview.reports import render_docx, render_pdf
    from peerreview.reports.charts import render_png

    plan = _plan(store, library, world)
    report = build_plan_report(store, library, plan, today=TODAY)
    chart = next(b for b in report.blocks if isinstance(b, Chart))
    png = render_png(chart)
    assert png.startswith(b"\x89PNG")
    assert [s.name for s in chart.series] == ["Red", "Amber", "Green", "Not rated"]
    pdf, word = io.BytesIO(), io.BytesIO()
    render_pdf(report, pdf)
    render_docx(report, word)
    images = [img for page in PdfReader(io.BytesIO(pdf.getvalue())).pages for img in page.images]
    assert len(images) == 1
    parts = docx.Document(io.BytesIO(word.getvalue())).part.package.parts
    pictures = [p for p in parts if p.partname.endswith(".png")]
    assert len(pictures) == 1 and pictures[0].blob == render_png(chart, width=pictures_width())


def pictures_width() -> float:
    from peerreview.reports.docx import TEXT_WIDTH

    return float(TEXT_WIDTH.inches)


def test_the_governors_summary_stays_one_page_for_a_big_plan(
    store: Store, library: FormLibrary, world: World, tmp_path: Path
) -> None:
    plan = pl.create_plan(store, world.school, school_year=pl.SchoolYear(2025))
    for p in range(8):
        priority = pl.add_priority(store, plan, f"Priority {p + 1}: " + "reading " * 8)
        for n in range(4):
            action = pl.add_action(
                store,
                priority,
                f"Action {n + 1} " + "with long words " * 6,
                owner=world.deputy,
                due=D(2026, 2, 1 + n),
            )
            pl.add_update(store, action, on=D(2025, 12, 1), text="x", rag=Rag.GREEN)
            pl.add_update(store, action, on=D(2026, 1, 20), text="y", rag=Rag.RED)
    for fmt in ("pdf",):
        out = write_report(
            store,
            "governors",
            None,
            fmt,
            tmp_path / f"g.{fmt}",
            request=ReportRequest(school=world.school, today=TODAY),
        )
        reader = PdfReader(out)
        assert len(reader.pages) == 1
        text = " ".join(reader.pages[0].extract_text().split())
        assert "and 29 more." in text and "And 28 more: see the full action plan." in text
