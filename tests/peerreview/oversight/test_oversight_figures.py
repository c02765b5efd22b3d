"""The partnership view's figures: coverage, follow-through, laptops, themes, calendar, indicators;
and scope: what a school keeps to itself stays out of the view and the reports."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from review_world import World, agreed_review

from peerreview.errors import ValidationError
from peerreview.forms import FormLibrary
from peerreview.oversight import figures as fg
from peerreview.oversight.indicators import add_indicator, import_indicators, indicators_of
from peerreview.oversight.report import build_partnership_report
from peerreview.oversight.scope import Audience, may_name, may_quote, scrub
from peerreview.oversight.themes import tags, themes
from peerreview.plans import plans as pl
from peerreview.plans import workshop as ws
from peerreview.plans.followthrough import follow_through
from peerreview.reporting import render
from peerreview.review.reviews import Sharing
from peerreview.schoolyear import SchoolYear
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.dump import dump_bytes
from peerreview.sync.enrolment import enrol
from peerreview.sync.store import Store

D = dt.date
TODAY = D(2026, 3, 3)
SECRET = "Governors at Coundon Court did not know the budget was overspent."
SHARED = "Pupils at Grace Academy read aloud with expression, and reading is a strength."


def _two_more(store: Store, library: FormLibrary) -> tuple[str, str, str, str]:
    """Grace Academy shares its review with everyone; Kineton keeps its own to itself."""
    grace = store.create("school", {"name": "Grace Academy", "urn": 135335})
    kineton = store.create("school", {"name": "Kineton High School", "urn": 125778})
    g = agreed_review(
        store,
        library,
        grace,
        D(2025, 11, 10),
        {"quality": SHARED, "leadership": "Governors at Grace Academy sharpened reports."},
        sharing=Sharing.PARTNERSHIP,
    )
    k = agreed_review(
        store, library, kineton, D(2026, 1, 12), {"leadership": SECRET}, sharing=Sharing.HOST
    )
    return grace, kineton, g, k


def test_coverage_counts_every_features_events(store: Store, world: World) -> None:
    quiet = store.create("school", {"name": "Allesley Primary", "urn": 103700})
    store.create("school", {"name": "Closed Infants", "urn": 103701, "closed": True})
    store.create("contact", {"school": quiet, "date": "2024-12-01", "type": "Call"})
    plan = pl.create_plan(store, world.school, school_year=SchoolYear(2025))
    pl.add_impact_review(store, plan, on=D(2026, 4, 20), impact=None)  # planned
    store.create("contact", {"school": world.school, "date": "2026-02-10", "type": "Visit"})
    cov = fg.coverage(store, TODAY, months=12)
    assert [s.name for s in cov.schools] == ["Allesley Primary", "Coundon Court"]
    coundon = cov.schools[1]
    review, lesson, visit, contact = coundon.last
    assert review == D(2025, 10, 6) and lesson is None and visit == D(2026, 2, 10)
    assert contact is None and coundon.last_any == D(2026, 2, 10)
    assert coundon.next_planned == D(2026, 4, 20)
    assert coundon.last_records[0] == world.review
    assert [s.name for s in cov.without()] == ["Allesley Primary"]
    assert fg.quiet_schools(store, TODAY, 12) == [s.school for s in cov.without()]
    assert [s.name for s in cov.without("Peer review")] == ["Allesley Primary"]
    assert [s.name for s in fg.coverage(store, TODAY, months=4).without("Peer review")] == [
        "Allesley Primary",
        "Coundon Court",
    ]
    assert cov.schools[0].months_since(TODAY) == 15


def test_coverage_csv_opens_in_excel(store: Store, world: World, tmp_path: Path) -> None:
    path = fg.write_coverage_csv(tmp_path / "coverage.csv", fg.coverage(store, TODAY))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfSchool,URN,Peer review,Lesson study,Visit,Contact")
    assert "Coundon Court,103745,6 October 2025,Never" in data.decode("utf-8-sig")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "peerreview.cli",
            "coverage",
            "--db",
            str(store.path),
            "--today",
            "2027-01-04",
            "--months",
            "12",
        ],
        capture_output=True,
    )
    assert out.returncode == 0, out.stderr
    assert "1 of 1 schools have had no review" in out.stdout.decode()
    assert "last 6 October 2025" in out.stdout.decode()


def test_follow_through_by_school_counts_and_never_names(
    store: Store, library: FormLibrary, world: World
) -> None:
    grace, kineton, _, _ = _two_more(store, library)
    ws.respond_no_action(store, library, world.review, "leadership", "Covered elsewhere.")
    plan = ws.plan_for(store, world.review)
    assert plan is not None
    pri = pl.add_priority(store, plan.id, "Feedback")
    pl.add_action(store, pri, "Late one", owner=world.senco, due=D(2026, 2, 2))
    pl.add_action(store, pri, "On time", owner=world.senco, due=D(2026, 5, 2))
    found = follow_through(store, TODAY)
    rows = {s.name: s for s in found.schools}
    assert (rows["Coundon Court"].ebis, rows["Coundon Court"].unanswered) == (3, 2)
    assert (rows["Coundon Court"].open_actions, rows["Coundon Court"].overdue) == (2, 1)
    assert (rows["Grace Academy"].ebis, rows["Grace Academy"].unanswered) == (2, 2)
    assert rows["Kineton High School"].unanswered == 1
    assert found.reviews_waiting == 3 and found.overdue == 1 and found.schools_overdue == 1
    assert [s.name for s in found.schools] == sorted(rows)  # by name, never ranked
    assert grace and kineton


def test_laptops_come_from_the_import_ledger(
    store: Store, library: FormLibrary, world: World, tmp_path: Path
) -> None:
    away = Store.init(
        tmp_path / "b.db", device_name="Mr Ahmed's laptop", partnership_id=store.partnership_id
    )
    enrol(store, away)
    bundle = tmp_path / "b.prbundle"
    export_bundle(store, tmp_path / "a.prbundle", full=True, plain=True)
    import_bundle(away, tmp_path / "a.prbundle")
    away.create("contact", {"school": world.school, "date": "2026-02-01", "type": "Call"})
    export_bundle(away, bundle, full=True, plain=True)
    import_bundle(store, bundle)
    made = dt.date.today()
    found = fg.laptops(store, made)
    assert [(lap.name, lap.bundles, lap.last_bundle) for lap in found.laptops] == [
        ("Mr Ahmed's laptop", 1, made)
    ]
    assert found.silent == []
    later = fg.laptops(store, made + dt.timedelta(days=31))
    assert [lap.name for lap in later.silent] == ["Mr Ahmed's laptop"]
    away.close()


def test_scope_rules() -> None:
    assert may_quote("partnership", Audience.PARTNERSHIP) and may_name(
        "partnership", Audience.COORDINATOR
    )
    assert may_quote("host_coordinator", Audience.COORDINATOR)
    assert not may_quote("host_coordinator", Audience.PARTNERSHIP)
    assert not may_quote("host", Audience.COORDINATOR) and not may_quote(
        "nonsense", Audience.COORDINATOR
    )
    assert may_quote("partnership", Audience.ANONYMOUS) and not may_name(
        "partnership", Audience.ANONYMOUS
    )
    assert (
        scrub("At Grace Academy, and GRACE ACADEMY again", ["Grace Academy"])
        == "At the school, and the school again"
    )
    assert tags("Pupils read aloud; persistent absence fell") == ["Reading", "Attendance"]


def test_themes_are_aggregates_that_quote_only_what_is_shared(
    store: Store, library: FormLibrary, world: World
) -> None:
    _two_more(store, library)
    year = SchoolYear(2025)
    view = themes(store, library, year, Audience.COORDINATOR)
    assert view.reviews == 3 and view.schools == 3
    leadership = next(a for a in view.areas if a.name == "Leadership at all levels")
    assert leadership.ebis == 3 and leadership.reviews == 3
    quoted = " ".join(e.text for a in view.areas for e in a.examples)
    assert SECRET not in quoted  # Kineton kept its review to itself: counted, not quoted
    assert "Middle leaders checked" in quoted  # Coundon shared with the coordinator
    board = themes(store, library, year, Audience.PARTNERSHIP)
    quoted = " ".join(e.text for a in board.areas for e in a.examples)
    assert SECRET not in quoted and "Middle leaders checked" not in quoted and SHARED in quoted
    assert {e.school for a in board.areas for e in a.examples} == {"Grace Academy"}
    anonymous = themes(store, library, year, Audience.ANONYMOUS)
    examples = [e for a in anonymous.areas for e in a.examples]
    assert examples and all(e.school == "" and "Grace" not in e.text for e in examples)


def test_the_partnership_report_respects_scope(
    store: Store, library: FormLibrary, world: World, tmp_path: Path
) -> None:
    _two_more(store, library)
    add_indicator(store, world.school, "attendance", value="93.1", on=D(2025, 3, 1), source="DfE")
    add_indicator(store, world.school, "attendance", value="94.6%", on=D(2026, 3, 1), source="DfE")
    report = build_partnership_report(store, library, SchoolYear(2025), today=TODAY)
    for fmt in ("pdf", "docx"):
        path = render(report, fmt, tmp_path / f"partnership.{fmt}")
        if fmt == "pdf":
            text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)
        else:
            document = docx.Document(str(path))
            text = " ".join(p.text for p in document.paragraphs) + " ".join(
                c.text for t in document.tables for r in t.rows for c in r.cells
            )
            text = " ".join(text.split())
            assert len(document.inline_shapes) >= 2  # the charts
        assert "1. Implementation and impact" in text
        assert "2. Improvement in the quality of teaching across schools" in text
        assert "3. Pupil and school outcomes" in text
        assert "4. Schools' feedback on the services provided" in text
        assert "Grace Academy" in text and " ".join(SHARED.split()) in text
        assert SECRET not in text and "Kineton" not in text
        assert "Middle leaders checked" not in text  # shared with the coordinator only
        assert "no school is ranked" in text


def test_the_anonymous_themes_summary_names_no_school(
    store: Store, library: FormLibrary, world: World, tmp_path: Path
) -> None:
    _two_more(store, library)
    out = tmp_path / "themes.pdf"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "peerreview.cli",
            "report",
            "--db",
            str(store.path),
            "--kind",
            "themes",
            "--year",
            "2025-26",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
        capture_output=True,
    )
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "names no school" in text and "Leadership at all levels" in text
    for name in ("Grace", "Coundon", "Kineton"):
        assert name not in text, name
    assert "Pupils at the school read aloud with expression" in text
    assert SECRET.split(" did ")[1][:20] not in text
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "peerreview.cli",
            "report",
            "--db",
            str(store.path),
            "--kind",
            "themes",
            "--year",
            "2025-27",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
        capture_output=True,
    )
    assert bad.returncode == 1 and b"not a school year" in bad.stderr


def test_the_calendar_lists_whats_coming(store: Store, library: FormLibrary, world: World) -> None:
    grace = store.create("school", {"name": "Grace Academy", "urn": 135335})
    from peerreview.review import reviews as rv

    fw = rv.Framework.from_form(library.get("review-estimates"))
    rv.plan_review(store, fw, school=grace, start_date=D(2026, 3, 16))
    plan = ws.open_workshop(store, world.review, on=D(2026, 3, 10))
    pl.add_impact_review(store, plan, on=D(2026, 4, 21), impact=None)
    entries = fg.calendar(store, TODAY, weeks=8)
    assert [(e.day, e.category, e.school_name) for e in entries] == [
        (D(2026, 3, 10), "workshop", "Coundon Court"),
        (D(2026, 3, 16), "review", "Grace Academy"),
        (D(2026, 4, 21), "impact review", "Coundon Court"),
    ]


CSV_OK = (
    "URN,Measure,Date,Value,Source,Interpretation,Period\r\n"
    "103745,Attendance,3 March 2026,94.2%,DfE absence statistics,Above LA average,2024-25\r\n"
    "103745,persistent_absence,03/03/2026,15.1,DfE absence statistics,,2024-25\r\n"
    "103745,Inspection outcome,2026-01-20,Strong standard,Ofsted,,\r\n"
)


def test_indicators_import_from_a_csv(store: Store, world: World, tmp_path: Path) -> None:
    path = tmp_path / "indicators.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CSV_OK.encode())
    result = import_indicators(store, path)
    assert result.summary() == "Imported 3 indicators for 1 school."
    found = indicators_of(store, world.school)
    assert [(r["measure"], r["value"], r["date"]) for r in found] == [
        ("attendance", "94.2", "2026-03-03"),
        ("persistent_absence", "15.1", "2026-03-03"),
        ("inspection", "Strong standard", "2026-01-20"),
    ]
    overview = {o.measure.id: o for o in fg.indicator_overview(store)}
    assert overview["attendance"].schools == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("School,Measure,Date,Value\r\n1,2,3,4\r\n", "URN, Source are missing"),
        (CSV_OK + "103745,Attendance,31/02/2026,94,DfE\r\n", "Line 5 of indicators.csv: the date"),
        (
            CSV_OK + "999999,Attendance,3 March 2026,94,DfE\r\n",
            "Line 5 of indicators.csv: there is no school with URN 999999",
        ),
        (
            CSV_OK.replace("15.1", "lots"),
            "Line 3 of indicators.csv: the value 'lots' of persistent absence is not a number",
        ),
        (
            CSV_OK.replace("persistent_absence", "Happiness"),
            "Line 3 of indicators.csv: 'Happiness' is not a measure",
        ),
        (CSV_OK.replace("Ofsted", ""), "Line 4 of indicators.csv: the source is empty"),
        ("URN,Measure,Date,Value,Source\r\n", "has no rows"),
        ("", "is empty"),
    ],
)
def test_a_bad_indicators_csv_changes_nothing(
    store: Store, world: World, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "indicators.csv"
    path.write_text(text, encoding="utf-8")
    before = dump_bytes(store)
    with pytest.raises(ValidationError) as caught:
        import_indicators(store, path)
    assert message in caught.value.message and caught.value.message.endswith("Nothing was changed.")
    assert "\n" not in caught.value.message
    assert dump_bytes(store) == before


def test_the_import_indicators_command(store: Store, world: World, tmp_path: Path) -> None:
    path = tmp_path / "indicators.csv"
    path.write_text(CSV_OK, encoding="utf-8")
    store.close()
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "peerreview.cli",
            "import-indicators",
            "--db",
            str(tmp_path / "a.db"),
            str(path),
        ],
        capture_output=True,
    )
    assert ok.returncode == 0 and b"Imported 3 indicators for 1 school." in ok.stdout
    path.write_text("URN,Measure\r\n", encoding="utf-8")
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "peerreview.cli",
            "import-indicators",
            "--db",
            str(tmp_path / "a.db"),
            str(path),
        ],
        capture_output=True,
    )
    assert bad.returncode == 1 and bad.stderr.decode().count("\n") == 1


def test_lesson_study_counts_in_coverage_through_the_registry(tmp_path: Path) -> None:
    """The partnership view knows nothing of lesson study: its research lessons arrive as events."""
    from peerreview.demo import build_demo
    from peerreview.plans.demo import TODAY as DEMO_TODAY

    with Store.init(tmp_path / "demo.db", device_name="Laptop") as store:
        build_demo(store, "small", seed=1)
        lessons: dict[str, str] = {}
        for cycle in store.list("cycle"):
            for lesson in store.list("research_lesson", where={"cycle": cycle.id}):
                if lesson.get("date") and lesson["date"] <= DEMO_TODAY.isoformat():
                    school = cycle["school"]
                    lessons[school] = max(lessons.get(school, ""), lesson["date"])
        assert lessons
        cov = fg.coverage(store, DEMO_TODAY)
        column = cov.groups.index("Lesson study")
        for row in cov.schools:
            last = row.last[column]
            assert (last.isoformat() if last else None) == lessons.get(row.school), row.name
