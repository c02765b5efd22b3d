"""The peer review workflow through the core: plan, evidence, views, agreement, continuity, report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from peerreview import reviews as rv
from peerreview.bundle import export_bundle, import_bundle
from peerreview.check import check
from peerreview.errors import ValidationError
from peerreview.forms import FormLibrary, forms_dir, load_forms
from peerreview.reporting import write_report
from peerreview.reports.model import Callout, Judgement
from peerreview.review_report import build_review_report, visit_dates
from peerreview.store import Store

HOSTILE = '<script>alert("x")</script> & Ysgol Gymraeg — ŵŷ, Zoë Ní Bhriain 😀'


@pytest.fixture(scope="module")
def library() -> FormLibrary:
    return load_forms(forms_dir())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.init(
        tmp_path / "a.db",
        device_name="Mrs Patel's laptop",
        author="Mrs Patel",
        partnership_name="Coventry Schools Partnership",
    )
    yield s
    s.close()


def _framework(library: FormLibrary, form_id: str) -> rv.Framework:
    return rv.Framework.from_form(library.get(form_id))


def test_frameworks_are_read_from_forms(library: FormLibrary) -> None:
    by_id = {f.id: f for f in rv.frameworks(library)}
    est = by_id["review-estimates"]
    assert [a.title for a in est.areas] == [
        "Leadership at all levels",
        "Quality of provision and outcomes",
        "Provision and outcomes for disadvantaged pupils and pupils with additional needs",
    ]
    assert [lv.label for lv in est.areas[0].scale.levels] == [
        "Leading",
        "Effective",
        "Working towards effective",
        "Ineffective",
    ]
    ofsted = by_id["review-ofsted"]
    assert "Safeguarding" in [a.title for a in ofsted.areas]
    assert [lv.label for lv in ofsted.areas[0].scale.levels] == [
        "Exceptional",
        "Strong standard",
        "Expected standard",
        "Needs attention",
        "Urgent improvement",
    ]
    assert not by_id["review-enquiry"].judged


def _school(store: Store) -> str:
    return store.create("school", {"name": "Coundon Court", "urn": 103745})


def test_whole_estimates_review(store: Store, library: FormLibrary, tmp_path: Path) -> None:
    fw = _framework(library, "review-estimates")
    school = _school(store)
    rid = rv.plan_review(
        store,
        fw,
        school=school,
        start_date=dt.date(2026, 3, 3),
        end_date=dt.date(2026, 3, 4),
        focus="Reading",
        sharing=rv.Sharing.HOST,
    )
    rv.add_member(store, rid, name="Mrs Patel", role="Lead reviewer")
    rv.add_member(store, rid, name="Mr Jones", role="Host link leader", school=school)
    with pytest.raises(ValidationError):
        rv.add_member(store, rid, name="X", role="Inspector")
    rv.add_activity(store, rid, day=dt.date(2026, 3, 3), start="09:00", activity="Learning walk")
    area = fw.areas[0].id
    rv.set_view(store, rid, area, rv.Stage.SELF, judgement="leading", evidence_summary="Our view")
    for n in range(3):
        rv.add_evidence(
            store,
            rid,
            activity="Lesson visit",
            note=f"{HOSTILE} {n}",
            areas=[area],
            time=dt.datetime(2026, 3, 3, 10, 40 + n),
        )
    rv.add_evidence(store, rid, activity="Pupil voice", note="Pupils", areas=[fw.areas[1].id])
    assert rv.evidence_counts(store, rid) == {area: 3, fw.areas[1].id: 1}
    assert len(rv.evidence(store, rid, area)) == 3
    patel = store.create("person", {"name": "Mrs Patel"})
    rv.set_view(
        store,
        rid,
        area,
        rv.Stage.PROVISIONAL,
        reviewer=patel,
        reviewer_name="Mrs Patel",
        judgement="effective",
    )
    with pytest.raises(ValidationError):
        rv.set_view(store, rid, area, rv.Stage.PROVISIONAL, judgement="effective")
    rv.set_view(
        store,
        rid,
        area,
        rv.Stage.AGREED,
        judgement="effective",
        rationale=HOSTILE,
        www="Clear vision",
        ebi="Develop middle leaders",
    )
    rv.add_excellence(store, rid, title="Early reading", description="Phonics")
    assert not rv.changed_after_agreement(store, rid)
    rv.agree(store, rid, agreed_by="Mrs Head", on=dt.date(2026, 3, 20))
    assert store.get(rid)["status"] == "agreed"
    assert not rv.changed_after_agreement(store, rid)
    rv.set_view(store, rid, area, rv.Stage.AGREED, rationale="Edited later")
    assert rv.changed_after_agreement(store, rid)

    report = build_review_report(store, library, rid, today=dt.date(2026, 3, 21))
    assert report.school_name == "Coundon Court"
    assert "host school only" in report.confidentiality.lower()
    assert "not for accountability" in report.confidentiality.lower()
    judgements = [b for b in report.blocks if isinstance(b, Judgement)]
    assert judgements[0].value_label == "Effective"
    assert judgements[1].value_label is None
    titles = [b.title for b in report.blocks if isinstance(b, Callout)]
    assert "Changed after agreement" in titles and "Even better if" in titles

    pdf = write_report(store, "review", rid, "pdf", tmp_path / "r.pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert '<script>alert("x")</script> & Ysgol Gymraeg' in text
    assert "Zoë Ní Bhriain" in text and "ŵŷ" in text
    assert "Develop middle leaders" in text and "Coundon Court" in text
    word = docx.Document(str(write_report(store, "review", rid, "docx", tmp_path / "r.docx")))
    body = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for row in t.rows for c in row.cells
    )
    assert HOSTILE.split(" 😀")[0] in body
    assert "Develop middle leaders" in body and "Early reading" in body


def test_enquiry_review_uses_lines_of_enquiry(store: Store, library: FormLibrary) -> None:
    fw = _framework(library, "review-enquiry")
    rid = rv.plan_review(
        store,
        fw,
        school=_school(store),
        start_date=dt.date(2026, 5, 1),
        enquiry_question="To what extent do pupils read widely?",
    )
    line = rv.add_enquiry_line(store, rid, "How often do pupils read in science?")
    assert [a.id for a in rv.areas(store, fw, rid)] == [line]
    rv.set_view(store, rid, line, rv.Stage.AGREED, www="Strong modelling", ebi="More non-fiction")
    report = build_review_report(store, library, rid)
    assert not any(isinstance(b, Judgement) for b in report.blocks)
    callouts = {b.title: b.text for b in report.blocks if isinstance(b, Callout)}
    assert callouts["Strengths"] == "Strong modelling"
    assert callouts["Areas for development"] == "More non-fiction"


def test_next_review_carries_forward_ebis(store: Store, library: FormLibrary) -> None:
    fw = _framework(library, "review-estimates")
    school = _school(store)
    first = rv.plan_review(store, fw, school=school, start_date=dt.date(2025, 3, 3))
    rv.set_view(store, first, fw.areas[0].id, rv.Stage.AGREED, ebi="Develop middle leaders")
    second = rv.plan_review(store, fw, school=school, start_date=dt.date(2026, 3, 3))
    assert store.get(second)["previous_review"] == first
    carried = rv.carried_forward(store, library, second)
    assert [(c.area, c.text) for c in carried] == [
        ("Leadership at all levels", "Develop middle leaders")
    ]


def test_two_laptops_agreeing_one_area_meet_as_a_field_conflict(
    store: Store, library: FormLibrary, tmp_path: Path
) -> None:
    fw = _framework(library, "review-estimates")
    rid = rv.plan_review(store, fw, school=_school(store), start_date=dt.date(2026, 3, 3))
    export_bundle(store, tmp_path / "a.prbundle")
    other = Store.init(tmp_path / "b.db", device_name="B", partnership_id=store.partnership_id)
    import_bundle(other, tmp_path / "a.prbundle")
    area = fw.areas[0].id
    rv.set_view(store, rid, area, rv.Stage.AGREED, judgement="effective")
    rv.set_view(other, rid, area, rv.Stage.AGREED, judgement="leading")
    export_bundle(other, tmp_path / "b.prbundle")
    report = import_bundle(store, tmp_path / "b.prbundle")
    assert report.conflicts == 1
    assert len(store.list("area_view")) == 1  # one record, not two rivals
    [conflict] = store.conflicts()
    assert conflict.field == "judgement"
    assert sorted(v.value for v in conflict.values) == ["effective", "leading"]
    assert check(store) == []
    other.close()


def test_visit_dates_read_as_people_write_them() -> None:
    from peerreview.records import Record

    def r(a: str, b: str) -> Record:
        return Record("x", "review", {"start_date": a, "end_date": b})

    assert visit_dates(r("2026-03-03", "2026-03-04")) == "3 and 4 March 2026"
    assert visit_dates(r("2026-03-03", "2026-03-03")) == "3 March 2026"
    assert visit_dates(r("2026-03-30", "2026-04-01")) == "30 March to 1 April 2026"
    assert visit_dates(r("2026-03-03", "2026-03-05")) == "3 to 5 March 2026"
    assert visit_dates(r("2026-12-30", "2027-01-02")) == "30 December 2026 to 2 January 2027"


def test_demo_has_reviews_in_every_state_and_framework(tmp_path: Path) -> None:
    from peerreview.demo import build_demo

    s = Store.init(tmp_path / "d.db", device_name="Demo")
    build_demo(s, "small")
    reviews = s.list("review")
    assert {r["status"] for r in reviews} == {st.value for st in rv.Status}
    assert {r["framework_id"] for r in reviews} == {
        "review-estimates",
        "review-enquiry",
        "review-ofsted",
    }
    assert check(s) == []
    lib = load_forms(forms_dir())
    for r in reviews:
        report = build_review_report(s, lib, r.id)
        assert report.blocks
        if r["status"] == "agreed":
            assert not rv.changed_after_agreement(s, r.id)


def test_areas_a_school_has_no_provision_for_are_left_out(
    store: Store, library: FormLibrary
) -> None:
    fw = _framework(library, "review-ofsted")
    primary = store.create("school", {"name": "Infants", "urn": 1, "low_age": 4, "high_age": 11})
    secondary = store.create("school", {"name": "High", "urn": 2, "low_age": 11, "high_age": 18})
    r1 = rv.plan_review(store, fw, school=primary, start_date=dt.date(2026, 1, 5))
    r2 = rv.plan_review(store, fw, school=secondary, start_date=dt.date(2026, 1, 5))
    ids1 = [a.id for a in rv.areas(store, fw, r1)]
    ids2 = [a.id for a in rv.areas(store, fw, r2)]
    assert "early_years" in ids1 and "sixth_form" not in ids1
    assert "sixth_form" in ids2 and "early_years" not in ids2
    rv.set_area_applies(store, r1, "sixth_form", True)
    assert "sixth_form" in [a.id for a in rv.areas(store, fw, r1)]
    report = build_review_report(store, library, r2)
    assert "Early years" not in [getattr(b, "text", "") for b in report.blocks]
