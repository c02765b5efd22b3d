"""Saving reports from the window (ui/shell/saving.py): the names it suggests can be saved on any
laptop, and read as people would write them."""

from __future__ import annotations

from ui.shell.saving import NAME_LENGTH, safe_file_name


def test_a_suggested_name_reads_as_people_write_it() -> None:
    review = "Peer review - Coundon Court - 3 and 4 March 2026"
    assert safe_file_name(review, "Peer review report") == review
    assert safe_file_name("Lesson study workbook - Reading: 3/4 March", "Lesson study") == (
        "Lesson study workbook - Reading- 3-4 March"
    )
    assert safe_file_name("Lesson study summary - ", "Lesson study") == "Lesson study summary"


def test_what_windows_refuses_never_reaches_the_name() -> None:
    name = safe_file_name('a\\b/c:d*e?f"g<h>i|j', "x")
    assert not set('\\/:*?"<>|') & set(name) and name == "a-b-c-d-e-f-g-h-i-j"
    # Control characters (a title pasted with a line break or a tab, an escape) become spaces.
    assert safe_file_name("Year 5\tmaths\r\nfractions\x1b[31m\x7f", "x") == (
        "Year 5 maths fractions [31m"
    )
    # No dot or space at either end: Windows drops a trailing one, a leading one hides the file.
    assert safe_file_name(" .hidden plan. ", "x") == "hidden plan"
    assert safe_file_name("?*", "Peer review report") == "Peer review report"
    assert safe_file_name("", "Lesson study") == "Lesson study"


def test_a_devices_name_is_never_suggested() -> None:
    for device in ("CON", "con", "Nul", "AUX", "PRN", "COM1", "lpt9"):
        assert safe_file_name(device, "x") == f"{device} file"
    assert safe_file_name("CON.backup", "x") == "CON file.backup"
    assert safe_file_name("Console", "x") == "Console"  # only the device's own name
    assert safe_file_name("COM10", "x") == "COM10"


def test_a_long_title_is_cut_to_a_length_every_folder_takes() -> None:
    name = safe_file_name("Lesson study workbook - " + "Very long title " * 20, "x")
    assert len(name) <= NAME_LENGTH and name.startswith("Lesson study workbook - Very long")
    assert not name.endswith((" ", ".", "-"))
