"""Benchmark: the partnership view's figures and the partnership report on the regional demo.

Figures (each timed in the same process, best of N, against a same-run floor): opening the regional
database and listing its 600 schools (``Store.open`` + ``store.list("school")``), the floor the
partnership view's first figures are held to (goal: within 3x); then each figure.

The partnership report (what ``peerreview report --kind partnership`` does: build the model from the
regional store, then render) against floors doing the least their libraries can with the same
content, in the same run:

- PDF floor: reportlab laying out every string of the report as a plain Paragraph (default style,
  no embedded font, no tables) in a SimpleDocTemplate, plus each chart drawn by matplotlib's
  simplest call (one ``barh`` per series, default style) and placed as an image;
- Word floor: python-docx adding every string as a plain paragraph and the same simplest charts as
  pictures.

Goal: each ratio at most 2x. Run from the project root:

    .venv/bin/python bench/partnership_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time

from common import best_of, machine, regional_db
from report_floors import docx_floor, pdf_floor, simplest_chart, texts

from peerreview.forms import forms_dir, load_forms
from peerreview.oversight import figures as fg
from peerreview.oversight.report import build_partnership_report
from peerreview.oversight.scope import Audience
from peerreview.oversight.themes import themes
from peerreview.plans.due import due_and_overdue
from peerreview.plans.followthrough import follow_through
from peerreview.reports import (
    Chart,
    Report,
    render_docx,
    render_pdf,
)
from peerreview.schoolyear import SchoolYear
from peerreview.sync.store import Store

TODAY = dt.date(2026, 11, 25)  # the demo's today


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    path = regional_db()
    library = load_forms(forms_dir())

    def open_and_list() -> None:
        with Store.open(path) as store:
            assert len(store.list("school")) == 600

    def open_and(figure: str) -> None:
        with Store.open(path) as store:
            FIGURES[figure](store)

    FIGURES = {
        "follow-through": lambda s: follow_through(s, TODAY),
        "coverage": lambda s: fg.coverage(s, TODAY, 12),
        "laptops": lambda s: fg.laptops(s, TODAY),
        "themes (2025-26)": lambda s: themes(s, library, SchoolYear(2025), Audience.COORDINATOR),
        "calendar (8 weeks)": lambda s: fg.calendar(s, TODAY),
        "indicators": lambda s: fg.indicator_overview(s),
        "due and overdue": lambda s: due_and_overdue(s, TODAY),
    }
    open_and_list()  # warm the page cache
    floor = best_of(open_and_list, repeat)
    print(f"machine: {machine()}")
    with Store.open(path) as store:
        print(
            f"regional demo: {store.count('school')} schools, {store.count('plan')} plans, "
            f"{store.count('action')} actions, {store.count('progress_update')} progress updates, "
            f"{store.change_count():,} changes"
        )
    print(f"floor: open the database and list the 600 schools: {floor * 1000:.0f} ms")
    for name in FIGURES:
        t = best_of(lambda name=name: open_and(name), repeat)  # type: ignore[misc]
        print(f"  open + {name:22s} {t * 1000:7.0f} ms  ratio {t / floor:4.2f}x")

    with Store.open(path) as store:
        year = SchoolYear(2025)

        def build() -> Report:
            return build_partnership_report(store, library, year, today=TODAY)

        t = time.perf_counter()
        report = build()
        print(f"partnership report model, first build: {(time.perf_counter() - t) * 1000:.0f} ms")
        strings = list(texts(report))
        charts = [b for b in report.blocks if isinstance(b, Chart)]
        render_pdf(report, io.BytesIO())  # warm up: imports, fonts, matplotlib
        render_docx(report, io.BytesIO())
        simplest_chart(charts[0])
        model = best_of(build, repeat)
        pdf_ours = best_of(lambda: render_pdf(build(), io.BytesIO()), repeat)
        pdf_base = best_of(lambda: pdf_floor(strings, charts), repeat)
        docx_ours = best_of(lambda: render_docx(build(), io.BytesIO()), repeat)
        docx_base = best_of(lambda: docx_floor(strings, charts), repeat)
    from pypdf import PdfReader

    out = io.BytesIO()
    render_pdf(report, out)
    pages = len(PdfReader(out).pages)
    words = sum(len(s.split()) for s in strings)
    print(
        f"partnership report: {len(report.blocks)} blocks, {len(charts)} charts, {words:,} words, "
        f"{pages} PDF pages; the model alone {model * 1000:.0f} ms"
    )
    print(
        f"PDF : build + render {pdf_ours * 1000:6.0f} ms | floor {pdf_base * 1000:6.0f} ms | "
        f"ratio {pdf_ours / pdf_base:4.2f}x (goal <= 2x)"
    )
    print(
        f"Word: build + render {docx_ours * 1000:6.0f} ms | floor {docx_base * 1000:6.0f} ms | "
        f"ratio {docx_ours / docx_base:4.2f}x (goal <= 2x)"
    )


if __name__ == "__main__":
    main()
