"""Tests of the GIAS establishment CSV reader."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from peerreview.errors import Cancelled, GiasError
from peerreview.partnership.gias import GIAS_FIELDS, REQUIRED_COLUMNS, GiasSchool, read_gias

_HERE = Path(__file__).resolve()
_CANDIDATES = (
    _HERE.parents[2] / "data" / "gias_sample_coventry.csv",
    Path("/work/shared/data/gias_sample_coventry.csv"),
)
SAMPLE = next((p for p in _CANDIDATES if p.exists()), _CANDIDATES[0])

SAMPLE_URNS = [135335, 137209, 137272, 142205, 142700, 142211]
ST_GREGORYS = "St Gregory\u2019s Catholic Primary School"


def sample_table() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_bytes().decode("cp1252"), newline="")))
    return rows[0], rows[1:]


def to_bytes(header: list[str], rows: list[list[str]], encoding: str = "cp1252") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def write(tmp_path: Path, data: bytes, name: str = "schools.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def set_value(header: list[str], row: list[str], column: str, value: str) -> None:
    row[header.index(column)] = value


def error_of(source: Path | bytes, **kwargs: object) -> str:
    with pytest.raises(GiasError) as caught:
        read_gias(source, **kwargs)  # type: ignore[arg-type]
    return str(caught.value)


# --- the real sample -----------------------------------------------------------------------------


def test_sample_is_the_real_windows_1252_format() -> None:
    raw = SAMPLE.read_bytes()
    assert b"\x92" in raw  # the curly apostrophe of St Gregory's, as GIAS writes it


def test_coventry_sample_parses_to_six_schools() -> None:
    result = read_gias(SAMPLE)
    assert result.rows_read == 6
    assert result.skipped_other_la == 0
    assert [s.urn for s in result.schools] == SAMPLE_URNS
    assert [s.line for s in result.schools] == [2, 3, 4, 5, 6, 7]
    names = [s.name for s in result.schools]
    assert names[0] == "Grace Academy Coventry"
    assert names[2] == "Blue Coat Church of England School and Music College"
    assert names[5] == ST_GREGORYS
    assert [s.phase for s in result.schools] == ["Secondary"] * 3 + ["Primary"] * 3
    assert [s.closed for s in result.schools] == [False] * 6
    assert {s.status for s in result.schools} == {"Open"}
    assert {s.local_authority for s in result.schools} == {"Coventry"}


def test_sample_other_values() -> None:
    grace = read_gias(SAMPLE).schools[0]
    assert grace.type == "Academy sponsor led"
    assert grace.type_group == "Academies"
    assert (grace.street, grace.locality, grace.town, grace.postcode) == (
        "Wigston Road",
        "Walsgrave",
        "Coventry",
        "CV2 2RH",
    )
    assert (grace.pupils, grace.low_age, grace.high_age) == (1080, 11, 18)
    assert grace.religious_character == ""  # GIAS writes "Does not apply"
    assert grace.open_date is None and grace.close_date is None
    blue_coat = read_gias(SAMPLE).schools[2]
    assert blue_coat.religious_character == "Church of England"


def test_closed_status_dates_and_head_name(tmp_path: Path) -> None:
    header, rows = sample_table()
    set_value(header, rows[0], "EstablishmentStatus (name)", "Closed")
    set_value(header, rows[0], "CloseDate", "31-08-2019")
    set_value(header, rows[0], "OpenDate", "01-09-2005")
    set_value(header, rows[1], "EstablishmentStatus (name)", "Open, but proposed to close")
    set_value(header, rows[1], "OpenDate", "1/9/2011")  # as Excel saves it
    set_value(header, rows[2], "HeadTitle (name)", "Mrs")
    set_value(header, rows[2], "HeadFirstName", "Ann")
    set_value(header, rows[2], "HeadLastName", "O\u2019Neill")
    set_value(header, rows[3], "HeadTitle (name)", "Not applicable")
    set_value(header, rows[3], "HeadLastName", "Smith")
    schools = read_gias(write(tmp_path, to_bytes(header, rows))).schools
    assert [s.closed for s in schools] == [True, False, False, False, False, False]
    assert schools[0].status == "Closed"
    assert (schools[0].open_date, schools[0].close_date) == ("2005-09-01", "2019-08-31")
    assert schools[1].status == "Open, but proposed to close"
    assert schools[1].open_date == "2011-09-01"
    assert schools[2].head_name == "Mrs Ann O\u2019Neill"
    assert schools[3].head_name == "Smith"


# --- the local authority filter ------------------------------------------------------------------


def mixed_authorities(tmp_path: Path) -> Path:
    header, rows = sample_table()
    for row in rows[1::2]:
        set_value(header, row, "LA (name)", "Warwickshire")
        set_value(header, row, "LA (code)", "937")
    return write(tmp_path, to_bytes(header, rows))


def test_la_filter_by_name_case_insensitive(tmp_path: Path) -> None:
    path = mixed_authorities(tmp_path)
    result = read_gias(path, la="coventry")
    assert [s.urn for s in result.schools] == [135335, 137272, 142700]
    assert [s.line for s in result.schools] == [2, 4, 6]
    assert result.rows_read == 6
    assert result.skipped_other_la == 3
    other = read_gias(path, la="  WARWICKSHIRE ")
    assert [s.urn for s in other.schools] == [137209, 142205, 142211]
    assert {s.local_authority for s in other.schools} == {"Warwickshire"}


def test_la_filter_by_code(tmp_path: Path) -> None:
    result = read_gias(mixed_authorities(tmp_path), la="937")
    assert [s.urn for s in result.schools] == [137209, 142205, 142211]
    assert result.skipped_other_la == 3


def test_no_filter_keeps_every_authority(tmp_path: Path) -> None:
    result = read_gias(mixed_authorities(tmp_path))
    assert len(result.schools) == 6
    assert result.skipped_other_la == 0


def test_unknown_la_says_so_and_suggests(tmp_path: Path) -> None:
    message = error_of(mixed_authorities(tmp_path), la="Coventri")
    assert message == (
        'schools.csv has no schools in the local authority "Coventri" (did you mean "Coventry"?); '
        "check the spelling of the local authority and try again."
    )


def test_rows_of_other_authorities_are_not_checked_in_detail(tmp_path: Path) -> None:
    header, rows = sample_table()
    set_value(header, rows[1], "LA (name)", "Warwickshire")
    set_value(header, rows[1], "URN", "not a urn")
    path = write(tmp_path, to_bytes(header, rows))
    assert len(read_gias(path, la="Coventry").schools) == 5
    assert "URN" in error_of(path)


# --- columns by name -----------------------------------------------------------------------------


def test_reordered_columns_and_an_unknown_column(tmp_path: Path) -> None:
    header, rows = sample_table()
    order = list(reversed(range(len(header))))
    new_header = ["NewDfEColumn (name)"] + [header[i] for i in order]
    new_rows = [["something"] + [row[i] for i in order] for row in rows]
    result = read_gias(write(tmp_path, to_bytes(new_header, new_rows)), la="Coventry")
    assert [s.urn for s in result.schools] == SAMPLE_URNS
    assert result.schools[5].name == ST_GREGORYS
    assert result.schools[0].postcode == "CV2 2RH"
    assert result.schools[0].pupils == 1080


def test_only_the_required_columns(tmp_path: Path) -> None:
    data = b"URN,EstablishmentName,EstablishmentStatus (name),LA (name)\r\n1,A School,Open,York\r\n"
    (school,) = read_gias(write(tmp_path, data)).schools
    assert (school.urn, school.name, school.local_authority, school.phase) == (
        1,
        "A School",
        "York",
        "",
    )
    assert school.fields() == {
        "urn": 1,
        "name": "A School",
        "status": "Open",
        "closed": False,
        "local_authority": "York",
    }


def test_missing_columns_are_all_named(tmp_path: Path) -> None:
    header, rows = sample_table()
    keep = [i for i, c in enumerate(header) if c not in ("URN", "EstablishmentName")]
    data = to_bytes([header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    assert error_of(write(tmp_path, data)) == (
        "schools.csv is not a GIAS establishment file: it has no URN, EstablishmentName columns. "
        "Download the establishment data from Get Information about Schools and try again."
    )


def test_some_other_csv_is_not_a_gias_file(tmp_path: Path) -> None:
    data = b"Name,Email\r\nAnn,ann@example.org\r\n"
    message = error_of(write(tmp_path, data, "contacts.csv"))
    assert message.startswith("contacts.csv is not a GIAS establishment file: it has no ")
    assert ", ".join(REQUIRED_COLUMNS) + " columns." in message


# --- bad rows ------------------------------------------------------------------------------------


def bad_row_message(tmp_path: Path, row_index: int, column: str, value: str) -> str:
    header, rows = sample_table()
    set_value(header, rows[row_index], column, value)
    return error_of(write(tmp_path, to_bytes(header, rows)))


def test_bad_urn(tmp_path: Path) -> None:
    assert bad_row_message(tmp_path, 0, "URN", "12a45") == (
        'Line 2 of schools.csv: URN "12a45" is not a number. '
        "Fix or remove that row and import again."
    )


def test_bad_urn_line_number_counts_the_header(tmp_path: Path) -> None:
    assert bad_row_message(tmp_path, 3, "URN", "12a45").startswith("Line 5 of schools.csv: ")


def test_empty_urn(tmp_path: Path) -> None:
    assert bad_row_message(tmp_path, 1, "URN", "") == (
        "Line 3 of schools.csv: the URN is empty. Fix or remove that row and import again."
    )


def test_missing_name(tmp_path: Path) -> None:
    assert bad_row_message(tmp_path, 4, "EstablishmentName", "  ") == (
        "Line 6 of schools.csv: the school with URN 142700 has no EstablishmentName. "
        "Fix or remove that row and import again."
    )


def test_bad_date(tmp_path: Path) -> None:
    assert bad_row_message(tmp_path, 2, "OpenDate", "31-02-2020") == (
        'Line 4 of schools.csv: OpenDate "31-02-2020" is not a date in the form dd-mm-yyyy. '
        "Fix or remove that row and import again."
    )


def test_bad_number_of_pupils(tmp_path: Path) -> None:
    assert bad_row_message(tmp_path, 5, "NumberOfPupils", "lots") == (
        'Line 7 of schools.csv: NumberOfPupils "lots" is not a number. '
        "Fix or remove that row and import again."
    )


def test_ragged_row(tmp_path: Path) -> None:
    header, rows = sample_table()
    rows[2] = rows[2][:-3]
    assert error_of(write(tmp_path, to_bytes(header, rows))) == (
        f"Line 4 of schools.csv has {len(header) - 3} fields but the header has {len(header)}. "
        "Fix or remove that row and import again."
    )


def test_ragged_row_of_another_authority_is_still_an_error(tmp_path: Path) -> None:
    header, rows = sample_table()
    set_value(header, rows[2], "LA (name)", "Warwickshire")
    rows[2].append("extra")
    assert error_of(write(tmp_path, to_bytes(header, rows)), la="Coventry").startswith(
        f"Line 4 of schools.csv has {len(header) + 1} fields"
    )


def test_duplicate_urn_names_both_lines(tmp_path: Path) -> None:
    header, rows = sample_table()
    set_value(header, rows[3], "URN", "135335")
    assert error_of(write(tmp_path, to_bytes(header, rows))) == (
        "Lines 2 and 5 of schools.csv both have URN 135335. Remove one of them and import again."
    )


def test_line_numbers_follow_multi_line_fields_and_blank_lines(tmp_path: Path) -> None:
    header, rows = sample_table()
    set_value(header, rows[0], "Street", "Wigston Road\r\nWalsgrave")
    data = to_bytes(header, rows[:2]) + b"\r\n" + to_bytes(header, rows[2:]).split(b"\r\n", 1)[1]
    result = read_gias(write(tmp_path, data))
    assert result.rows_read == 6
    assert [s.line for s in result.schools] == [2, 4, 6, 7, 8, 9]
    assert result.schools[0].street == "Wigston Road\r\nWalsgrave"


# --- files that are not usable at all ------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    expected = (
        "schools.csv is empty. "
        "Download the establishment data from Get Information about Schools and try again."
    )
    assert error_of(write(tmp_path, b"")) == expected
    assert error_of(write(tmp_path, b" \r\n\r\n")) == expected


def test_header_but_no_rows(tmp_path: Path) -> None:
    header, _rows = sample_table()
    assert error_of(write(tmp_path, to_bytes(header, []))) == (
        "schools.csv has column names but no schools. "
        "Download the establishment data from Get Information about Schools and try again."
    )


def test_binary_junk(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 40
    assert error_of(write(tmp_path, junk)) == (
        "schools.csv is not a CSV text file (it contains binary data). "
        "Download the establishment data from Get Information about Schools and try again."
    )


def test_xlsx_renamed_csv(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert error_of(write(tmp_path, buffer.getvalue())) == (
        "schools.csv is an Excel spreadsheet, not a CSV file: open it in Excel, save it as "
        '"CSV (Comma delimited)" and import that file.'
    )


def test_tab_separated_text(tmp_path: Path) -> None:
    header, rows = sample_table()
    data = "\r\n".join("\t".join(r) for r in [header, *rows]).encode("cp1252")
    assert error_of(write(tmp_path, data)).startswith("schools.csv is tab-separated text, not CSV")


def test_missing_file(tmp_path: Path) -> None:
    message = error_of(tmp_path / "gone.csv")
    assert message.startswith("gone.csv cannot be found at ")
    assert message.endswith("check that it was not moved or renamed and try again.")


def test_bytes_that_are_neither_utf8_nor_cp1252(tmp_path: Path) -> None:
    header, rows = sample_table()
    data = to_bytes(header, rows).replace(b"Finham", b"Fin\x81am")
    assert error_of(write(tmp_path, data)) == (
        "Line 6 of schools.csv has characters that are neither UTF-8 nor Windows-1252 text; "
        "save the file again as CSV and import it again."
    )


# --- encodings and bytes -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "utf-16"])
def test_unicode_files_are_accepted(tmp_path: Path, encoding: str) -> None:
    header, rows = sample_table()
    data = to_bytes(header, rows, encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    result = read_gias(write(tmp_path, data))
    assert [s.urn for s in result.schools] == SAMPLE_URNS
    assert result.schools[5].name == ST_GREGORYS


def test_bytes_input() -> None:
    result = read_gias(SAMPLE.read_bytes(), la="Coventry")
    assert [s.urn for s in result.schools] == SAMPLE_URNS
    assert result.schools[5].name == ST_GREGORYS


def test_bytes_input_errors_name_the_file_generically() -> None:
    header, rows = sample_table()
    set_value(header, rows[0], "URN", "12a45")
    assert error_of(to_bytes(header, rows)) == (
        'Line 2 of the file: URN "12a45" is not a number. Fix or remove that row and import again.'
    )
    assert error_of(b"").startswith("The file is empty.")


# --- fields, progress, cancelling ----------------------------------------------------------------


def test_fields_omit_empty_values() -> None:
    fields = read_gias(SAMPLE).schools[1].fields()
    assert fields == {
        "urn": 137209,
        "name": "West Coventry Academy",
        "type": "Academy converter",
        "type_group": "Academies",
        "phase": "Secondary",
        "status": "Open",
        "closed": False,
        "local_authority": "Coventry",
        "street": "Tile Hill Lane",
        "town": "Coventry",
        "postcode": "CV4 9PW",
        "pupils": 1512,
        "low_age": 11,
        "high_age": 18,
    }


def test_fields_use_store_names() -> None:
    school = GiasSchool(
        line=2, urn=1, name="A", type="", type_group="", phase="", status="Closed",
        closed=True, local_authority="York", street="", locality="", town="", postcode="",
        open_date="2001-01-01", close_date=None, trust="A Trust", diocese="",
        religious_character="", website="", telephone="", head_name="Mr B C", pupils=0,
        low_age=None, high_age=None,
    )  # fmt: skip
    assert school.fields() == {
        "urn": 1,
        "name": "A",
        "status": "Closed",
        "closed": True,
        "local_authority": "York",
        "open_date": "2001-01-01",
        "trust": "A Trust",
        "headteacher_name": "Mr B C",
        "pupils": 0,
    }


def test_gias_fields_are_the_keys_of_a_fully_filled_school() -> None:
    school = GiasSchool(
        line=2, urn=1, name="A", type="T", type_group="G", phase="P", status="Open",
        closed=False, local_authority="York", street="S", locality="L", town="T", postcode="P",
        open_date="2001-01-01", close_date="2002-01-01", trust="A Trust", diocese="D",
        religious_character="R", website="W", telephone="0", head_name="Mr B C", pupils=0,
        low_age=4, high_age=11,
    )  # fmt: skip
    assert tuple(school.fields()) == GIAS_FIELDS


def test_school_is_frozen() -> None:
    school = read_gias(SAMPLE).schools[0]
    with pytest.raises(AttributeError):
        school.urn = 5  # type: ignore[misc]


def big_file(tmp_path: Path, count: int = 3000) -> Path:
    header, rows = sample_table()
    many = []
    for n in range(count):
        row = list(rows[n % len(rows)])
        set_value(header, row, "URN", str(200000 + n))
        many.append(row)
    return write(tmp_path, to_bytes(header, many))


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    path = big_file(tmp_path)
    total = path.stat().st_size
    calls: list[tuple[int, int]] = []
    read_gias(path, progress=lambda done, all_: calls.append((done, all_)))
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert len(calls) > 2
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_cancel(tmp_path: Path) -> None:
    path = big_file(tmp_path)
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked > 1

    with pytest.raises(Cancelled):
        read_gias(path, cancelled=cancelled)
    assert asked == 2
    with pytest.raises(Cancelled):
        read_gias(SAMPLE, cancelled=lambda: True)
