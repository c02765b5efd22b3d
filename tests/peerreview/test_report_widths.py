"""Report tables: column widths from their content, so an ordinary word is never cut in two."""

from __future__ import annotations

import datetime
from pathlib import Path

import pypdf
import pytest

from peerreview.reports import Report, Table, render_pdf
from peerreview.reports.text import fit_widths

# The evidence log's shape: a narrow "Where" column beside a wide note.
WHERE = "Reception, Computing"
NOTE = "Transitions between activities were calm and quick; routines are well established. " * 3
URL = "https://example.org/" + "x" * 60


def test_a_narrow_column_is_widened_from_the_columns_with_room_to_spare() -> None:
    widths = fit_widths([10.0, 20.0, 70.0], [30.0, 5.0, 10.0])
    assert widths[0] == pytest.approx(30.0)
    assert sum(widths) == pytest.approx(100.0)
    # The room comes in proportion to the spare: 15 from column 2's 15, 60 from column 3's 60.
    assert widths[1] == pytest.approx(20.0 - 20.0 * 15 / 75)
    assert widths[2] == pytest.approx(70.0 - 20.0 * 60 / 75)
    assert all(w >= n for w, n in zip(widths, [30.0, 5.0, 10.0], strict=True))


def test_widths_that_already_fit_are_kept() -> None:
    assert fit_widths([25.0, 75.0], [10.0, 10.0]) == [25.0, 75.0]


def test_needs_larger_than_the_page_share_it_out() -> None:
    widths = fit_widths([50.0, 50.0], [90.0, 30.0])
    assert widths == pytest.approx([75.0, 25.0])


def test_no_ordinary_word_is_cut_in_a_narrow_column(tmp_path: Path) -> None:
    rows = tuple(("08:45", "Work scrutiny", WHERE, NOTE, "What do pupils say?") for _ in range(3))
    table = Table(
        ("Time", "Activity", "Where", "Note", "Areas"),
        rows + (("09:45", "Staff meeting", URL, NOTE, ""),),
        widths=(0.85, 1.1, 1.1, 4.8, 1.6),  # the evidence log's
    )
    path = tmp_path / "log.pdf"
    report = Report(
        title="Peer review report",
        subtitle="Review visit, 15 May 2025",
        school_name="Allesley Community Primary School",
        partnership_name="Coventry and Warwickshire Schools Partnership",
        audience="For the host school's leaders",
        confidentiality="Developmental, not for accountability.",
        cover_facts=(),
        blocks=(table,),
        generated_on=datetime.date(2025, 5, 20),
    )
    render_pdf(report, path)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    words = text.split()
    assert words.count("Reception,") == 3
    assert words.count("Computing") == 3
    assert "scrutiny" in words
