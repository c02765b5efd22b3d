"""The peer review workflow in the core: plan, evidence, views, agreement, continuity, report."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from peerreview.errors import ValidationError
from peerreview.forms import FormLibrary, forms_dir, load_forms
from peerreview.reporting import write_report
from peerreview.reports.model import Callout, Heading, Judgement, Table
from peerreview.review import report as rr
from peerreview.review import reviews as rv
from peerreview.review.report import build_review_report, visit_dates
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.check import check
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store

HOSTILE = '<script>alert("x")</script> & Ysgol Gymraeg — ŵŷ, Zoë Ní Bhriain 😀'


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
    assert not rr.changed_after_agreement(store, library, rid)
    rr.agree(store, library, rid, agreed_by="Mrs Head", on=dt.date(2026, 3, 20))
    assert store.get(rid)["status"] == "agreed"
    assert not rr.changed_after_agreement(store, library, rid)
    rv.set_view(store, rid, area, rv.Stage.AGREED, rationale="Edited later")
    assert rr.changed_after_agreement(store, library, rid)

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
    export_bundle(store, tmp_path / "a.prbundle", full=True, plain=True)
    other = Store.init(tmp_path / "b.db", device_name="B", partnership_id=store.partnership_id)
    enrol(store, other)
    import_bundle(other, tmp_path / "a.prbundle")
    area = fw.areas[0].id
    rv.set_view(store, rid, area, rv.Stage.AGREED, judgement="effective")
    rv.set_view(other, rid, area, rv.Stage.AGREED, judgement="leading")
    export_bundle(other, tmp_path / "b.prbundle", full=True, plain=True)
    report = import_bundle(store, tmp_path / "b.prbundle")
    assert report.conflicts == 1
    assert len(store.list("area_view")) == 1  # one record, not two rivals
    [conflict] = store.conflicts()
    assert conflict.field == "judgement"
    assert sorted(v.value for v in conflict.values) == ["effective", "leading"]
    assert check(store) == []
    other.close()


def test_visit_dates_read_as_people_write_them() -> None:
    from peerreview.sync.records import Record

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
            assert not rr.changed_after_agreement(s, lib, r.id)


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


# ------------------------------------------------------------------ the agreement hash


def _agreed_review(store: Store, library: FormLibrary) -> tuple[str, str, str, str, str]:
    """An agreed review with a note, a schedule row and a provisional view."""
    fw = _framework(library, "review-estimates")
    school = _school(store)
    rid = rv.plan_review(store, fw, school=school, start_date=dt.date(2026, 9, 4))
    rv.add_member(store, rid, name="Mrs Patel", role="Lead reviewer")
    activity = rv.add_activity(
        store, rid, day=dt.date(2026, 9, 4), start="08:45", activity="Learning walk"
    )
    area = fw.areas[0].id
    note = rv.add_evidence(
        store,
        rid,
        activity="Lesson visit",
        note="Pupils explained their reasoning.",
        areas=[area],
        time=dt.datetime(2026, 9, 4, 9, 10),
        present="Mr Jones and Mrs Patel",
    )
    rv.set_view(store, rid, area, rv.Stage.AGREED, judgement="effective", ebi="Develop leaders")
    person = store.create("person", {"name": "Mrs Patel"})
    provisional = rv.set_view(
        store, rid, area, rv.Stage.PROVISIONAL, reviewer=person, judgement="leading"
    )
    rr.agree(store, library, rid, agreed_by="Mrs Head", on=dt.date(2026, 9, 18))
    assert not rr.changed_after_agreement(store, library, rid)
    return rid, school, note, activity, provisional


def _shows_changed(store: Store, library: FormLibrary, rid: str) -> bool:
    changed = rr.changed_after_agreement(store, library, rid)
    titles = [
        b.title for b in build_review_report(store, library, rid).blocks if isinstance(b, Callout)
    ]
    assert ("Changed after agreement" in titles) == changed  # the report says the same
    return changed


@pytest.mark.parametrize(
    "edit",
    [
        "edit a note",
        "add a note",
        "edit the schedule",
        "add to the schedule",
        "rename the school",
        "host comments",
        "sharing",
        "delete a note",
    ],
)
def test_any_edit_to_what_the_report_prints_shows_changed_after_agreement(
    store: Store, library: FormLibrary, edit: str
) -> None:
    rid, school, note, activity, _ = _agreed_review(store, library)
    if edit == "edit a note":
        store.update(note, {"note": "Pupils explained their reasoning to a partner."})
    elif edit == "add a note":
        rv.add_evidence(store, rid, activity="Pupil voice", time=dt.datetime(2026, 9, 4, 11, 0))
    elif edit == "edit the schedule":
        store.update(activity, {"description": "Year 4 and Year 5 classes"})
    elif edit == "add to the schedule":
        rv.add_activity(store, rid, day=dt.date(2026, 9, 4), start="10:40", activity="Pupil voice")
    elif edit == "rename the school":
        store.update(school, {"name": "Coundon Court School"})
    elif edit == "host comments":
        store.update(rid, {"host_comments": "We recognise the findings."})
    elif edit == "sharing":
        rv.set_sharing(store, rid, rv.Sharing.PARTNERSHIP)
    elif edit == "delete a note":
        store.delete(note)
    assert _shows_changed(store, library, rid)
    rr.agree(store, library, rid, agreed_by="Mrs Head", on=dt.date(2026, 9, 25))
    assert not _shows_changed(store, library, rid)


def test_edits_to_what_the_report_does_not_print_leave_the_agreement_alone(
    store: Store, library: FormLibrary
) -> None:
    rid, _school_id, note, _activity, provisional = _agreed_review(store, library)
    store.update(note, {"present": "Mr Jones, Mrs Patel and Ms Ali"})  # who was present
    store.update(provisional, {"judgement": "effective", "rationale": "On reflection"})
    store.update(rid, {"title": "Autumn review"})  # the record's own title is not printed
    rv.set_status(store, rid, rv.Status.AGREED)
    assert not _shows_changed(store, library, rid)


def test_the_hash_is_of_the_content_the_report_is_laid_out_from(
    store: Store, library: FormLibrary
) -> None:
    rid, *_ = _agreed_review(store, library)
    content, state = rr.read_review(store, library, rid)
    assert state.agreed_hash == rr.hash_content(content) == rr.content_hash(store, library, rid)
    assert "Pupils explained their reasoning." in [e.note for e in content.evidence]
    # The model is a pure function of the content: the same content gives the same report.
    day = dt.date(2026, 9, 30)
    assert rr.layout(content, state, today=day) == build_review_report(
        store, library, rid, today=day
    )


# ------------------------------------------------------------------ the evidence log, laid out

LONG_NOTE = " ".join(f"n{n:04d}" for n in range(320))  # about 45 lines in the Note column


def _ofsted_review_with_evidence(store: Store, library: FormLibrary) -> str:
    fw = _framework(library, "review-ofsted")
    rid = rv.plan_review(
        store,
        fw,
        school=_school(store),
        start_date=dt.date(2026, 9, 3),
        end_date=dt.date(2026, 9, 4),
    )
    rv.add_member(store, rid, name="Mrs Patel", role="Lead reviewer")
    rv.add_activity(
        store,
        rid,
        day=dt.date(2026, 9, 3),
        start="08:45",
        end="09:30",
        activity="Learning walk",
        description="Year 4 and Year 5 classes",
        people="Mr Jones (deputy headteacher)",
    )
    by_title = {a.title: a.id for a in fw.areas}
    three = ["Inclusion", "Personal development and well-being", "Leadership and governance"]
    for n in range(8):
        rv.add_evidence(
            store,
            rid,
            activity="Lesson visit",
            year_group="Year 4",
            subject="Maths",
            note=f"Short note {n}: pupils used the sentence stems on the board.",
            areas=[by_title[t] for t in three],
            time=dt.datetime(2026, 9, 3 + n // 4, 8, 45) + dt.timedelta(minutes=20 * (n % 4)),
        )
    rv.add_evidence(
        store,
        rid,
        activity="Work scrutiny",
        note=LONG_NOTE,
        areas=[by_title["Achievement"]],
        time=dt.datetime(2026, 9, 4, 13, 30),
    )
    return rid


def test_evidence_log_is_by_day_with_areas_on_lines_of_their_own(
    store: Store, library: FormLibrary
) -> None:
    rid = _ofsted_review_with_evidence(store, library)
    report = build_review_report(store, library, rid)
    headings = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 2]
    assert "Thursday 3 September 2026" in headings and "Friday 4 September 2026" in headings
    logs = [b for b in report.blocks if isinstance(b, Table) and b.columns[0] == "Time"]
    evidence_rows = [row for t in logs if "Note" in t.columns for row in t.rows]
    assert evidence_rows[0][0] == "08:45"
    assert (
        evidence_rows[0][4]
        == "Inclusion\nPersonal development and well-being\nLeadership and governance"
    )


def _pdf_pages(store: Store, rid: str, tmp_path: Path) -> list[str]:
    pdf = write_report(store, "review", rid, "pdf", tmp_path / "r.pdf")
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_evidence_log_in_the_pdf_reads_whole_dates_times_and_area_titles(
    store: Store, library: FormLibrary, tmp_path: Path
) -> None:
    rid = _ofsted_review_with_evidence(store, library)
    pages = _pdf_pages(store, rid, tmp_path)
    lines = [line.strip() for page in pages for line in page.splitlines()]
    assert "Thursday 3 September 2026" in lines and "Friday 4 September 2026" in lines
    assert any(re.match(r"08:45\b(?!–)", line) for line in lines)  # the time, whole, on its line
    assert not any(re.search(r"\b20\d?$", line) for line in lines)  # no year cut at a line end
    # Short cells are never cut into pieces: each note's areas read as one run of text.
    text = _flat(" ".join(pages))
    whole = "Inclusion Personal development and well-being Leadership and governance"
    assert text.count(whole) == 8


def test_a_long_note_still_runs_across_pages_with_every_word(
    store: Store, library: FormLibrary, tmp_path: Path
) -> None:
    rid = _ofsted_review_with_evidence(store, library)
    pages = _pdf_pages(store, rid, tmp_path)
    words = [w for page in pages for w in re.findall(r"n\d{4}", page)]
    assert words == LONG_NOTE.split()
    assert sum(1 for page in pages if re.search(r"n\d{4}", page)) >= 2
    word = docx.Document(str(write_report(store, "review", rid, "docx", tmp_path / "r.docx")))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    found = [w for c in dict.fromkeys(cells) for w in re.findall(r"n\d{4}", c)]
    assert found == LONG_NOTE.split()


def test_appendix_follows_on_when_there_is_room_and_sign_off_has_two_rules(
    store: Store, library: FormLibrary, tmp_path: Path
) -> None:
    fw = _framework(library, "review-estimates")
    rid = rv.plan_review(store, fw, school=_school(store), start_date=dt.date(2026, 9, 3))
    rv.add_member(store, rid, name="Mrs Patel", role="Lead reviewer")
    rv.add_activity(store, rid, day=dt.date(2026, 9, 3), start="09:00", activity="Learning walk")
    rv.add_evidence(
        store, rid, activity="Pupil voice", note="Pupils", time=dt.datetime(2026, 9, 3, 10)
    )
    pages = _pdf_pages(store, rid, tmp_path)

    def page_of(text: str) -> int:
        return next(i for i, page in enumerate(pages) if text in page)

    # No forced page break before an appendix: a short review ends on one page, not three.
    assert (
        page_of("Sign-off") == page_of("Appendix: the visit") == page_of("Appendix: evidence log")
    )
    word = docx.Document(str(write_report(store, "review", rid, "docx", tmp_path / "r.docx")))
    sign_off = next(t for t in word.tables if t.rows[0].cells[0].text == "Name")
    assert [c.text for c in sign_off.rows[0].cells] == ["Name", "Role", "Signature", "", "Date"]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for row in sign_off.rows[1:]:
        ruled = [c._tc.find(f"{w}tcPr/{w}tcBorders/{w}bottom") is not None for c in row.cells]
        assert ruled == [False, False, True, False, True]  # a line to sign on, a line for the date
