"""Render a lesson-study cycle's reports from the demo partnership: PDF, Word, PNGs of pages.

    .venv/bin/python docs/report-samples/make_lessonstudy.py

Builds the small demo in a temporary database (its observers' notes merged from three laptops'
bundles), takes a complete cycle made with Dudley's proforma and one made with the research-lesson
plan, and writes here lesson-study-workbook.pdf and .docx, lesson-study-summary.pdf and .docx, and
with pdftoppm PNGs of the workbook's cover, the first research lesson's plan (a landscape page),
the predicted-and-actual grid, a page where it runs on (its header row repeated), the outcomes,
both pages of the summary, and the research-lesson plan's four-column plan.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from peerreview.demo import build_demo  # noqa: E402
from peerreview.reporting import write_report  # noqa: E402
from peerreview.sync.registry import ReportRequest  # noqa: E402
from peerreview.sync.store import Store  # noqa: E402

sys.path.insert(0, str(HERE))
from make import png_page  # noqa: E402


def _pages(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def _first(pages: list[str], text: str, after: int = 0) -> int:
    return next(n for n, page in enumerate(pages, start=1) if n > after and text in page)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.init(Path(tmp) / "demo.db", device_name="Demo laptop")
        build_demo(store, "small")
        complete = [c for c in store.list("cycle", order_by="id") if c["status"] == "complete"]
        dudley = next(c for c in complete if c["form_id"] == "lesson-study-dudley")
        plan = next(c for c in complete if c["form_id"] == "lesson-study-research-plan")
        out = {}
        for name, cycle, summary in (
            ("lesson-study-workbook", dudley, False),
            ("lesson-study-summary", dudley, True),
            ("lesson-study-plan-workbook", plan, False),
        ):
            for fmt in ("pdf", "docx"):
                request = ReportRequest(record_id=cycle.id, summary=summary)
                out[(name, fmt)] = write_report(
                    store, "cycle", cycle.id, fmt, HERE / f"{name}.{fmt}", request=request
                )
        store.close()
    (HERE / "lesson-study-plan-workbook.docx").unlink()  # the PDF's pages are what is shown
    if not shutil.which("pdftoppm"):
        print("pdftoppm is not installed, so no PNGs")
        return
    for old in HERE.glob("lesson-study-*.png"):
        old.unlink()
    workbook = out[("lesson-study-workbook", "pdf")]
    pages = _pages(workbook)
    grid = _first(pages, "Predicted and actual")
    png_page(workbook, 1, "lesson-study-workbook-1", resolution=70)
    png_page(workbook, _first(pages, "Research lesson 1:"), "lesson-study-plan", resolution=70)
    png_page(workbook, grid, "lesson-study-grid", resolution=70)
    png_page(workbook, grid + 1, "lesson-study-grid-continued", resolution=70)
    png_page(workbook, _first(pages, "Outcomes", after=3), "lesson-study-outcomes", resolution=70)
    summary = out[("lesson-study-summary", "pdf")]
    png_page(summary, 1, "lesson-study-summary-1", resolution=70)
    png_page(summary, 2, "lesson-study-summary-2", resolution=70)
    other = out[("lesson-study-plan-workbook", "pdf")]
    png_page(
        other,
        _first(_pages(other), "The plan, stage by stage"),
        "lesson-study-four-columns",
        resolution=70,
    )
    print(f"wrote the workbook ({len(pages)} pages), the summary and PNGs of their pages")


if __name__ == "__main__":
    main()
