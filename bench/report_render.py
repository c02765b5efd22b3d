"""Benchmark: the report of a large real peer review, to PDF and Word, against same-run floors.

The review is made through the core (``peerreview.review.reviews``) in a temporary store: every
area of the Ofsted report-card framework (an all-through school, so Early years and Sixth form
too), a self-evaluation, two reviewers' provisional views and the agreed outcome with its WWW and
EBI per area, 60 evidence notes of about 150 words over two days, a schedule, two areas of
excellence. What is timed is what the app does: ``build_review_report`` (reading the store into the
report model) and then the renderer. Each is compared with a floor doing the least its library can
with the same text, in the same run:

- PDF floor: reportlab laying out every string of the report as a plain Paragraph in the default
  sample style (Helvetica, no tables, no embedded font) in a SimpleDocTemplate;
- Word floor: python-docx adding every string as a plain paragraph and saving.

Goal: each ratio at most 2x. Run from the project root:

    .venv/bin/python bench/report_render.py [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import tempfile
from pathlib import Path

from common import best_of, machine
from report_floors import docx_floor, pdf_floor, texts

from peerreview.forms import FormLibrary, forms_dir, load_forms
from peerreview.reports import (
    Report,
    render_docx,
    render_pdf,
)
from peerreview.review import reviews as rv
from peerreview.review.report import agree, build_review_report
from peerreview.sync.store import Store

WORDS = (
    "pupils explained their reasoning to a partner before writing and most could say why the "
    "method worked; the teacher checked every pupil with mini-whiteboards, & the host leader "
    "agreed that questioning drew in those who had not put their hands up. In books, feedback "
    "had been acted on; pupils with SEND worked on the same text as their class with vocabulary "
    "pre-taught. Routines were consistent across the corridor and no learning time was lost. "
    "Zoë Ní Bhriain noted x < y in the Year 9 inequality task, and the Welsh exchange with Ysgol "
    "Gymraeg — ŵ ŷ."
).split()


def _text(rng: random.Random, words: int) -> str:
    start = rng.randrange(len(WORDS))
    return " ".join(WORDS[(start + i) % len(WORDS)] for i in range(words)).capitalize()


def large_review(store: Store, library: FormLibrary, notes: int = 60, seed: int = 1) -> str:
    """A large, agreed Ofsted-framework review made through the core; returns its id."""
    rng = random.Random(seed)
    fw = rv.Framework.from_form(library.get("review-ofsted"))
    school = store.create(
        "school", {"name": "Coundon Court School", "urn": 103745, "low_age": 3, "high_age": 18}
    )
    start = dt.date(2026, 3, 3)
    rid = rv.plan_review(
        store,
        fw,
        school=school,
        start_date=start,
        end_date=start + dt.timedelta(days=1),
        focus="Reading across the curriculum",
    )
    store.update(rid, {"context": _text(rng, 120) + "\n\n" + _text(rng, 80)})
    team = []
    for name, role in (
        ("Mrs Anita Patel", "Lead reviewer"),
        ("Zoë Ní Bhriain", "Reviewer"),
        ("Mr Tom Evans", "Reviewer"),
        ("Mr Daniel O'Connor", "Host link leader"),
    ):
        person = store.create("person", {"name": name})
        rv.add_member(store, rid, name=name, role=role, person=person)
        team.append((person, name))
    for day in range(2):
        for n, slot in enumerate(("08:45", "09:30", "10:40", "11:30", "13:30", "14:30")):
            rv.add_activity(
                store,
                rid,
                day=start + dt.timedelta(days=day),
                start=slot,
                activity=rv.ACTIVITIES[(n + day) % len(rv.ACTIVITIES)],
                description=_text(rng, 12),
                people="Mr Daniel O'Connor",
            )
    area_ids = [a.id for a in rv.areas(store, fw, rid)]
    assert len(area_ids) == len(fw.areas), "every area of the framework"
    for n in range(notes):
        when = dt.datetime.combine(start + dt.timedelta(days=n // 30), dt.time(8, 45))
        rv.add_evidence(
            store,
            rid,
            activity=rng.choice(rv.ACTIVITIES),
            note=_text(rng, 150),
            time=when + dt.timedelta(minutes=10 * (n % 30)),
            year_group=f"Year {rng.randrange(1, 14)}",
            subject=rng.choice(("English", "Maths", "Science", "History", "Art")),
            present="Mr Daniel O'Connor and Mrs Anita Patel",
            areas=rng.sample(area_ids, 2),
        )
    for area in fw.areas:
        assert area.scale is not None
        values = [level.value for level in area.scale.levels]
        rv.set_view(
            store,
            rid,
            area.id,
            rv.Stage.SELF,
            judgement=values[0],
            evidence_summary=_text(rng, 100),
        )
        for person, name in team[:2]:
            rv.set_view(
                store,
                rid,
                area.id,
                rv.Stage.PROVISIONAL,
                reviewer=person,
                reviewer_name=name,
                judgement=values[min(1, len(values) - 1)],
                rationale=_text(rng, 40),
            )
        rv.set_view(
            store,
            rid,
            area.id,
            rv.Stage.AGREED,
            judgement=values[min(1, len(values) - 1)],
            evidence_summary=_text(rng, 60),
            rationale=_text(rng, 80),
            www=_text(rng, 40),
            ebi=_text(rng, 40),
        )
    for title in ("Early reading: phonics in Reception and Year 1", "Tutor-time reading"):
        rv.add_excellence(store, rid, title=title, description=_text(rng, 50))
    store.update(rid, {"host_comments": _text(rng, 60)})
    agree(store, library, rid, agreed_by="Mr Daniel O'Connor", on=start + dt.timedelta(days=14))
    return rid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    library = load_forms(forms_dir())
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.init(
            Path(tmp) / "bench.db",
            device_name="Benchmark laptop",
            partnership_name="Coventry Schools Partnership",
        )
        rid = large_review(store, library)

        def build() -> Report:
            return build_review_report(store, library, rid, today=dt.date(2026, 3, 20))

        report = build()
        strings = list(texts(report))
        words = sum(len(s.split()) for s in strings)
        render_pdf(report, io.BytesIO())  # warm up: font registration, imports
        render_docx(report, io.BytesIO())

        model = best_of(build, repeat)
        pdf_ours = best_of(lambda: render_pdf(build(), io.BytesIO()), repeat)
        pdf_base = best_of(lambda: pdf_floor(strings), repeat)
        docx_ours = best_of(lambda: render_docx(build(), io.BytesIO()), repeat)
        docx_base = best_of(lambda: docx_floor(strings), repeat)
        store.close()
    out = io.BytesIO()
    render_pdf(report, out)
    from pypdf import PdfReader

    pages = len(PdfReader(out).pages)

    print(f"machine: {machine()}")
    print(
        f"report: {len(report.blocks)} blocks, {len(strings)} strings, {words:,} words, "
        f"{pages} PDF pages; build_review_report alone {model * 1000:.0f} ms"
    )
    print(
        f"PDF : build + render_pdf {pdf_ours * 1000:7.0f} ms | floor {pdf_base * 1000:7.0f} ms | "
        f"ratio {pdf_ours / pdf_base:4.2f}x (goal <= 2x)"
    )
    print(
        f"Word: build + render_docx {docx_ours * 1000:6.0f} ms | floor {docx_base * 1000:7.0f} ms"
        f" | ratio {docx_ours / docx_base:4.2f}x (goal <= 2x)"
    )


if __name__ == "__main__":
    sys.exit(main())
