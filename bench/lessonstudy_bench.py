"""Benchmark: lesson study, against floors measured in the same run.

(f) Opening a cycle's grid on the regional database: what the cycle workspace reads to show a
    research lesson's prediction grid and the observers' notes in it (the lesson, its stages and
    case pupils laid out as the grid's rows and columns, every cell, every note in time order).
    Floor: the same rows read with bare ``sqlite3`` queries on the same file (no decoding, no
    records), i.e. the least any code could read.
(g) The workbook of a large cycle (four research lessons of seven stages, six case pupils, three
    observers writing about 120 notes a lesson, interviews, discussions, outcomes), built from the
    store and rendered to PDF and to Word. Floors: reportlab laying out every string of the
    workbook as a plain Paragraph, and python-docx adding every string as a paragraph (as for the
    peer review report). Goal: each at most 2x.

    .venv/bin/python bench/lessonstudy_bench.py [--quick] [--no-regional] [--db REGIONAL.db]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

from common import best_of, machine, regional_db
from report_floors import docx_floor, pdf_floor, texts

from peerreview.forms import FormLibrary, forms_dir, load_forms
from peerreview.lessonstudy import cycles as cy
from peerreview.lessonstudy import grid
from peerreview.lessonstudy.demo_text import FRACTIONS
from peerreview.lessonstudy.report import build_workbook
from peerreview.reports import render_docx, render_pdf
from peerreview.sync.store import Store

WORDS = (
    "pupil B drew the bar, labelled each part and then hesitated at the second step; she looked at "
    "her partner's work & counted on in ones before writing 15. Zoë asked whether < or > applied; "
    "the TA pointed at the prompt card and she redrew the whole — ŵ ŷ. He explained it to them."
).split()


def _text(rng: random.Random, words: int) -> str:
    start = rng.randrange(len(WORDS))
    return " ".join(WORDS[(start + i) % len(WORDS)] for i in range(words)).capitalize()


def large_cycle(store: Store, library: FormLibrary, seed: int = 1) -> str:
    """A large cycle made through the core, as a team would fill it in; returns its id."""
    rng = random.Random(seed)
    school = store.create("school", {"name": "Stoneleigh Junior School", "urn": 103700})
    cid = cy.create_cycle(
        store,
        library,
        school,
        title="Reasoning about fractions of amounts, Year 5",
        start_date="2026-01-12",
        pupils=6,
        stages=7,
        values={
            "focus": FRACTIONS.focus,
            "concern": FRACTIONS.concern,
            "research_question": FRACTIONS.research_question,
            "subject": "Mathematics",
            "year_group": "Year 5",
        },
    )
    members = [
        cy.add_member(store, cid, name=name, role=role)
        for name, role in (
            ("Mrs Anita Patel", "Teacher"),
            ("Zoë Ní Bhriain", "Teacher"),
            ("Mr Tom Evans", "Teacher"),
            ("Dr Ruth Ahmed", "Knowledgeable other"),
        )
    ]
    pupils = [p.id for p in cy.pupils(store, cid)]
    for number in range(1, 5):
        lesson = cy.lessons(store, cid)[-1].id if number == 1 else cy.next_lesson(store, cid)
        day = dt.date(2026, 1, 19) + dt.timedelta(days=14 * (number - 1))
        store.update(lesson, {"date": day.isoformat(), "objective": _text(rng, 20)})
        stages = [s.id for s in cy.stages(store, lesson)]
        for s in stages:
            store.update(
                s, {"title": _text(rng, 2), "timing": "8 minutes", "activity": _text(rng, 40)}
            )
        cells = {(s, p): _text(rng, 25) for s in stages for p in pupils}
        grid.write(store, lesson, grid.PREDICTIONS, cells)
        start = dt.datetime.combine(day, dt.time(9, 10))
        for k in range(120):
            cy.add_note(
                store,
                lesson,
                stages[k * len(stages) // 120],
                rng.choice(pupils),
                _text(rng, 30),
                observer=members[1 + k % 3],
                at=start + dt.timedelta(seconds=25 * k),
            )
        for q in cy.questions(store, lesson):
            grid.write(store, lesson, grid.ANSWERS, {(q.id, p): _text(rng, 15) for p in pupils})
        grid.write(
            store,
            lesson,
            grid.EVIDENCE,
            {(grid.EVIDENCE_ROW, p): _text(rng, 60) for p in pupils},
        )
        store.update(
            lesson,
            {
                "teacher_remarks": _text(rng, 80),
                "discussion_teaching": _text(rng, 80),
                "final_comments": _text(rng, 80),
                "learned": _text(rng, 60),
                "next_changes": _text(rng, 60),
            },
        )
    store.update(
        cid,
        {
            "learned_pupils": _text(rng, 100),
            "learned_subject": _text(rng, 100),
            "learned_teaching": _text(rng, 100),
            "learned_together": _text(rng, 60),
            "others_try": _text(rng, 60),
            "status": cy.Status.COMPLETE.value,
        },
    )
    return cid


def bench_workbook(repeat: int) -> None:
    library = load_forms(forms_dir())
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.init(
            Path(tmp) / "bench.db",
            device_name="Benchmark laptop",
            partnership_name="Coventry Schools Partnership",
        )
        cid = large_cycle(store, library)

        def build() -> object:
            return build_workbook(store, library, cid, today=dt.date(2026, 3, 20))

        report = build_workbook(store, library, cid, today=dt.date(2026, 3, 20))
        strings = list(texts(report))
        words = sum(len(s.split()) for s in strings)
        render_pdf(report, io.BytesIO())  # warm up: font registration, imports
        render_docx(report, io.BytesIO())
        model = best_of(build, repeat)
        pdf_ours = best_of(
            lambda: render_pdf(build_workbook(store, library, cid), io.BytesIO()), repeat
        )
        pdf_base = best_of(lambda: pdf_floor(strings), repeat)
        docx_ours = best_of(
            lambda: render_docx(build_workbook(store, library, cid), io.BytesIO()), repeat
        )
        docx_base = best_of(lambda: docx_floor(strings), repeat)
        store.close()
    out = io.BytesIO()
    render_pdf(report, out)
    from pypdf import PdfReader

    pages = PdfReader(out).pages
    wide = sum(1 for p in pages if p.mediabox.width > p.mediabox.height)
    print(
        f"(g) workbook: {len(report.blocks)} blocks, {len(strings)} strings, {words:,} words, "
        f"{len(pages)} PDF pages ({wide} landscape); build_workbook alone {model * 1000:.0f} ms"
    )
    print(
        f"    PDF : build + render_pdf {pdf_ours * 1000:7.0f} ms | floor {pdf_base * 1000:7.0f} ms"
        f" | ratio {pdf_ours / pdf_base:4.2f}x (goal <= 2x)"
    )
    print(
        f"    Word: build + render_docx {docx_ours * 1000:6.0f} ms | floor {docx_base * 1000:7.0f}"
        f" ms | ratio {docx_ours / docx_base:4.2f}x (goal <= 2x)"
    )


def bench_grid(path: Path, repeat: int) -> None:
    library = load_forms(forms_dir())
    store = Store.open(path)
    complete = store.list("cycle", where={"status": "complete"}, order_by="id", limit=200)
    lessons = [cy.lessons(store, c.id)[-1] for c in complete[::20]]

    def ours() -> None:
        for lesson in lessons:
            shown = grid.read(store, library, lesson.id, grid.PREDICTIONS)
            assert shown is not None and shown.rows and shown.columns
            cy.timeline(store, lesson.id)

    raw = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)

    def floor() -> None:
        for lesson in lessons:
            ex = raw.execute
            ex("SELECT * FROM research_lesson WHERE id = ?", [lesson.id]).fetchall()
            ex("SELECT * FROM dynamic_values WHERE record = ?", [lesson.id]).fetchall()
            ex("SELECT * FROM lesson_stage WHERE lesson = ?", [lesson.id]).fetchall()
            ex("SELECT * FROM case_pupil WHERE cycle = ?", [lesson["cycle"]]).fetchall()
            ex("SELECT * FROM observation WHERE lesson = ?", [lesson.id]).fetchall()

    ours()
    floor()
    mine = best_of(ours, repeat) / len(lessons)
    base = best_of(floor, repeat) / len(lessons)
    notes = sum(len(cy.observations(store, lesson.id)) for lesson in lessons) / len(lessons)
    print(
        f"(f) open a research lesson's grid and notes on the regional database "
        f"({store.count('cycle'):,} cycles; {notes:.0f} notes a lesson): {mine * 1000:.2f} ms | "
        f"floor (bare sqlite3, same rows) {base * 1000:.2f} ms | ratio {mine / base:4.1f}x"
    )
    raw.close()
    store.close()


def bench_workspace(path: Path, repeat: int) -> None:
    """(f, window) The cycle workspace opened on a research lesson of the regional database and
    painted, against a bare QTableView of the same cells painted in the same window size."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from ui.lessonstudy.workspace import CycleWorkspace
    from ui.shell.app import make_application
    from ui.shell.privacy import PrivacyMode
    from ui.shell.session import Session

    app = make_application()
    store = Store.open(path)
    session = Session(store, privacy=PrivacyMode())
    cycles = store.list("cycle", where={"status": "complete"}, order_by="id", limit=40)[::8]

    def ours() -> None:
        for cycle in cycles:
            workspace = CycleWorkspace(session, cycle.id)
            workspace.resize(1040, 640)
            workspace.show()
            app.processEvents()
            workspace.grab()
            workspace.close()
            workspace.deleteLater()
            app.processEvents()

    def floor() -> None:
        for _cycle in cycles:
            model = QStandardItemModel(5, 3)
            for r in range(5):
                for c in range(3):
                    model.setItem(r, c, QStandardItem("Will name a feeling and give a reason."))
            view = QTableView()
            view.setModel(model)
            view.resize(1040, 640)
            view.show()
            app.processEvents()
            view.grab()
            view.close()
            view.deleteLater()
            app.processEvents()

    ours()
    floor()
    mine = best_of(ours, repeat) / len(cycles)
    base = best_of(floor, repeat) / len(cycles)
    print(
        f"(f) the cycle workspace opened and painted on the regional database: "
        f"{mine * 1000:.0f} ms | floor (a bare table of the same cells) {base * 1000:.0f} ms | "
        f"ratio {mine / base:4.1f}x"
    )
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--no-regional", action="store_true", help="skip (f)")
    parser.add_argument("--db", type=Path, help="a regional demo database to use for (f)")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    print(f"machine: {machine()}")
    if not args.no_regional:
        db = args.db or regional_db()
        bench_grid(db, repeat * 3)
        bench_workspace(db, repeat)
    bench_workbook(repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
