"""CSV files that Excel opens correctly, and reading people's CSV files line by line.

Written files are UTF-8 with a byte-order mark (without it Excel on Windows reads "Zoë" as
"ZoÃ«"), with Windows line endings, and with dates written as "3 March 2026", which Excel in a
British locale reads as a date and nobody misreads as the 3rd of a month in America. Reading
accepts what people type in Excel: "3 March 2026", "3 Mar 2026", "03/03/2026" (day first) and
"2026-03-03".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from peerreview.errors import ValidationError
from peerreview.reports.output import write_output

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WORDS_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_SLASH_RE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str) -> dt.date:
    """A date as British people write it (day first), or ISO.

    Raises:
        ValueError: not a date written one of those ways, or no such day (31/02/2026).
    """
    value = text.strip()
    match = _ISO_RE.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    match = _SLASH_RE.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    match = _WORDS_RE.match(value)
    if match and match.group(2).lower() in _MONTHS:
        return dt.date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
    raise ValueError(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file's bytes as Excel reads them: UTF-8 with a BOM, CRLF line endings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(
    path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Path:
    """Write a CSV that Excel opens correctly (replacing ``path`` only when complete)."""
    target = Path(path)
    write_output(csv_bytes(header, rows), target)
    return target


def read_rows(path: str | os.PathLike[str]) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """A CSV file's header and its rows with their line numbers (blank rows skipped).

    Reads UTF-8 (with or without a BOM), falling back to Windows-1252 for a file saved by an old
    Excel.

    Raises:
        ValidationError: the file cannot be read, or is empty.
    """
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ValidationError(
            f"Could not read {source.name} ({exc.strerror}). Check the path. Nothing was changed."
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ValidationError(f"{source.name} is empty. Nothing was changed.") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield reader.line_num, row
        except csv.Error as exc:
            raise ValidationError(
                f"Line {reader.line_num} of {source.name} cannot be read as CSV ({exc}). "
                "Nothing was changed."
            ) from None

    return [h.strip() for h in header], rows()
