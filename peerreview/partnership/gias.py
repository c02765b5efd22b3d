"""Fast, strict reader of the DfE "Get Information about Schools" (GIAS) establishment CSV."""

from __future__ import annotations

import codecs
import csv
import datetime
import difflib
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peerreview.errors import Cancelled, GiasError

__all__ = ["REQUIRED_COLUMNS", "GiasReadResult", "GiasSchool", "read_gias"]

#: Columns a file must have to be imported; every other column is optional and read by name.
REQUIRED_COLUMNS = ("URN", "EstablishmentName", "EstablishmentStatus (name)", "LA (name)")

_DOWNLOAD_ADVICE = (
    "Download the establishment data from Get Information about Schools and try again."
)
_ROW_ADVICE = "Fix or remove that row and import again."

# How often (in data rows) progress is reported and cancellation is checked; a power of two minus 1.
_TICK_MASK = 1023

# GIAS writes these in some text columns to mean "nothing"; they are read as "".
_PLACEHOLDERS = frozenset({"", "does not apply", "not applicable", "not recorded", "none"})

_DATE_RE = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")
_CP1252_UNDEFINED_RE = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_CONTROL_BYTES_RE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEWLINE = b"\n"
_UTF8_CHECK_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class GiasSchool:
    """One establishment row of a GIAS file, with the values PeerReview keeps."""

    line: int
    urn: int
    name: str
    type: str
    type_group: str
    phase: str
    status: str
    closed: bool
    local_authority: str
    street: str
    locality: str
    town: str
    postcode: str
    open_date: str | None
    close_date: str | None
    trust: str
    diocese: str
    religious_character: str
    website: str
    telephone: str
    head_name: str
    pupils: int | None
    low_age: int | None
    high_age: int | None

    def fields(self) -> dict[str, object]:
        """The values as record fields for the store; empty strings and None are left out.

        Every key is one of GIAS_FIELDS: the fields the register owns, which a later download may
        also empty (a school leaves its trust, a telephone number is withdrawn).
        """
        values = ((name, getattr(self, _ATTRIBUTE.get(name, name))) for name in GIAS_FIELDS)
        return {name: value for name, value in values if value is not None and value != ""}


#: The school fields a GIAS download sets, in the store's names (GiasSchool.fields).
GIAS_FIELDS: tuple[str, ...] = tuple(
    "urn name type type_group phase status closed local_authority street locality town postcode"
    " open_date close_date trust diocese religious_character website telephone headteacher_name"
    " pupils low_age high_age".split()
)
#: The GiasSchool attribute of a field, where its name differs from the store's.
_ATTRIBUTE = {"headteacher_name": "head_name"}


@dataclass(frozen=True, slots=True)
class GiasReadResult:
    """What ``read_gias`` found: the schools kept, and how many rows it read and filtered out."""

    schools: tuple[GiasSchool, ...]
    rows_read: int
    skipped_other_la: int


def read_gias(
    source: str | os.PathLike[str] | bytes,
    *,
    la: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> GiasReadResult:
    """Read a GIAS establishment CSV (a path, or its bytes), keeping only ``la`` if given.

    ``la`` is a local authority name (matched case-insensitively) or its numeric LA code.
    Columns are found by name, so reordered or added columns do not matter. Rows of other
    authorities are only checked for their number of fields; rows that are kept are fully
    checked. ``progress`` is called with (bytes done, bytes total) now and then, and
    ``cancelled`` is asked as often; when it returns True, ``Cancelled`` is raised. Anything
    wrong with the file raises ``GiasError`` with one sentence saying what is wrong and what
    to do.
    """
    if isinstance(source, bytes):
        data, name = source, "the file"
    else:
        path = Path(source)
        name = path.name or str(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise GiasError(
                f"{name} cannot be found at {path}; check that it was not moved or renamed and "
                "try again."
            ) from None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise GiasError(
                f"{name} cannot be read ({reason}); check the file and try again."
            ) from None
    total = len(data)
    if cancelled is not None and cancelled():
        raise Cancelled()
    if progress is not None:
        progress(0, total)
    encoding = _check_and_pick_encoding(data, name)
    stream = io.BytesIO(data)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        result = _read_rows(text, stream, total, name, la, progress, cancelled)
    except UnicodeDecodeError:
        raise _encoding_error(data, name) from None
    finally:
        text.detach()
    if progress is not None:
        progress(total, total)
    return result


def _sentence(message: str) -> str:
    """Start the sentence with a capital, unless it starts with a file name like "schools.csv"."""
    if message.startswith(("line ", "lines ", "the ")):
        return message[:1].upper() + message[1:]
    return message


def _fail(message: str) -> GiasError:
    return GiasError(_sentence(message))


def _check_and_pick_encoding(data: bytes, name: str) -> str:
    """Refuse what is plainly not a CSV text file, and choose how to decode the rest."""
    if not data or data.isspace():
        raise _fail(f"{name} is empty. {_DOWNLOAD_ADVICE}")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _fail(
            f"{name} is an Excel spreadsheet, not a CSV file: open it in Excel, save it as "
            '"CSV (Comma delimited)" and import that file.'
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if _CONTROL_BYTES_RE.search(data, 0, 8192) is not None or b"\x00" in data:
        raise _fail(f"{name} is not a CSV text file (it contains binary data). {_DOWNLOAD_ADVICE}")
    if data.isascii():
        return "utf-8"
    # UTF-8 only if all of it decodes; checked a chunk at a time so a Windows-1252 file (what
    # GIAS itself writes) is recognised at its first non-ASCII character without decoding it all.
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _UTF8_CHECK_CHUNK):
            decoder.decode(view[start : start + _UTF8_CHECK_CHUNK])
        decoder.decode(b"", True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _encoding_error(data: bytes, name: str) -> GiasError:
    found = _CP1252_UNDEFINED_RE.search(data)
    where = name
    if found is not None:
        where = f"line {data.count(_NEWLINE, 0, found.start()) + 1} of {name}"
    return _fail(
        f"{where} has characters that are neither UTF-8 nor Windows-1252 text; save the file "
        "again as CSV and import it again."
    )


def _read_rows(
    text: io.TextIOWrapper,
    stream: io.BytesIO,
    total: int,
    name: str,
    la: str | None,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> GiasReadResult:
    reader = csv.reader(text)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _fail(f"{name} cannot be read as CSV ({exc}). {_DOWNLOAD_ADVICE}") from None
    if header is None:
        raise _fail(f"{name} is empty. {_DOWNLOAD_ADVICE}")
    columns = _Columns(header, name)
    ncols = len(header)

    match_col = -1
    target = ""
    if la is not None and la.strip():
        target = la.strip()
        if target.isascii() and target.isdigit() and columns.la_code >= 0:
            match_col = columns.la_code
        else:
            match_col = columns.la_name
            target = _fold(target)
    matches: dict[str, bool] = {}

    schools: list[GiasSchool] = []
    seen: dict[int, int] = {}
    rows_read = 0
    skipped = 0
    last_line = reader.line_num
    try:
        for row in reader:
            line = last_line + 1
            last_line = reader.line_num
            if len(row) != ncols:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # a blank line
                raise _fail(
                    f"line {line} of {name} has {len(row)} fields but the header has {ncols}. "
                    f"{_ROW_ADVICE}"
                )
            rows_read += 1
            if not rows_read & _TICK_MASK:
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if progress is not None:
                    progress(min(stream.tell(), total), total)
            if match_col >= 0:
                value = row[match_col]
                keep = matches.get(value)
                if keep is None:
                    keep = matches[value] = _la_matches(value, target, match_col == columns.la_name)
                if not keep:
                    skipped += 1
                    continue
            school = columns.build(row, line)
            first = seen.get(school.urn)
            if first is not None:
                raise _fail(
                    f"lines {first} and {line} of {name} both have URN {school.urn}. Remove one "
                    "of them and import again."
                )
            seen[school.urn] = line
            schools.append(school)
    except csv.Error as exc:
        raise _fail(
            f"line {last_line + 1} of {name} cannot be read as CSV ({exc}). {_ROW_ADVICE}"
        ) from None

    if rows_read == 0:
        raise _fail(f"{name} has column names but no schools. {_DOWNLOAD_ADVICE}")
    if match_col >= 0 and not schools:
        raise _fail(_no_such_la(name, la or "", matches, match_col == columns.la_name))
    return GiasReadResult(schools=tuple(schools), rows_read=rows_read, skipped_other_la=skipped)


def _fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def _la_matches(value: str, target: str, by_name: bool) -> bool:
    return _fold(value) == target if by_name else value.strip() == target


def _no_such_la(name: str, la: str, seen: dict[str, bool], by_name: bool) -> str:
    what = "local authority" if by_name else "LA code"
    hint = ""
    if by_name:
        names = {_fold(value): value.strip() for value in seen if value.strip()}
        close = difflib.get_close_matches(_fold(la), list(names), n=1, cutoff=0.75)
        if close:
            hint = f' (did you mean "{names[close[0]]}"?)'
    return (
        f'{name} has no schools in the {what} "{la.strip()}"{hint}; check the spelling of the '
        "local authority and try again."
    )


class _Columns:
    """Where each column PeerReview reads is in the header, and how to turn a row into a school."""

    def __init__(self, header: list[str], name: str) -> None:
        self.name = name
        index: dict[str, int] = {}
        for i, column in enumerate(header):
            index.setdefault(column.strip().lstrip("\ufeff").casefold(), i)
        if len(header) == 1 and "\t" in header[0]:
            raise _fail(
                f"{name} is tab-separated text, not CSV: open it in Excel, save it as "
                '"CSV (Comma delimited)" and import that file.'
            )
        missing = [c for c in REQUIRED_COLUMNS if c.casefold() not in index]
        if missing:
            noun = "column" if len(missing) == 1 else "columns"
            raise _fail(
                f"{name} is not a GIAS establishment file: it has no {', '.join(missing)} "
                f"{noun}. {_DOWNLOAD_ADVICE}"
            )

        def col(column: str) -> int:
            return index.get(column.casefold(), -1)

        self.urn = col("URN")
        self.est_name = col("EstablishmentName")
        self.status = col("EstablishmentStatus (name)")
        self.la_name = col("LA (name)")
        self.la_code = col("LA (code)")
        self.type = col("TypeOfEstablishment (name)")
        self.type_group = col("EstablishmentTypeGroup (name)")
        self.phase = col("PhaseOfEducation (name)")
        self.street = col("Street")
        self.locality = col("Locality")
        self.town = col("Town")
        self.postcode = col("Postcode")
        self.open_date = col("OpenDate")
        self.close_date = col("CloseDate")
        self.trust = col("Trusts (name)")
        self.diocese = col("Diocese (name)")
        self.religious = col("ReligiousCharacter (name)")
        self.website = col("SchoolWebsite")
        self.telephone = col("TelephoneNum")
        self.head_title = col("HeadTitle (name)")
        self.head_first = col("HeadFirstName")
        self.head_last = col("HeadLastName")
        self.pupils = col("NumberOfPupils")
        self.low_age = col("StatutoryLowAge")
        self.high_age = col("StatutoryHighAge")

    def build(self, row: list[str], line: int) -> GiasSchool:
        def text(i: int) -> str:
            return row[i].strip() if i >= 0 else ""

        def optional(i: int) -> str:
            value = text(i)
            return "" if value.casefold() in _PLACEHOLDERS else value

        urn_text = text(self.urn)
        if not urn_text:
            raise self._row_error(line, "the URN is empty")
        urn = self._number(line, "URN", urn_text)
        if not urn:
            raise self._row_error(line, f'URN "{urn_text}" is not a valid URN')
        name = text(self.est_name)
        if not name:
            raise self._row_error(line, f"the school with URN {urn} has no EstablishmentName")
        status = text(self.status)
        if not status:
            raise self._row_error(
                line, f"the school with URN {urn} has no EstablishmentStatus (name)"
            )
        head = " ".join(
            p for p in (optional(self.head_title), text(self.head_first), text(self.head_last)) if p
        )
        return GiasSchool(
            line=line,
            urn=urn,
            name=name,
            type=text(self.type),
            type_group=text(self.type_group),
            phase=text(self.phase),
            status=status,
            closed=status.startswith("Closed"),
            local_authority=text(self.la_name),
            street=text(self.street),
            locality=text(self.locality),
            town=text(self.town),
            postcode=text(self.postcode),
            open_date=self._date(line, "OpenDate", text(self.open_date)),
            close_date=self._date(line, "CloseDate", text(self.close_date)),
            trust=optional(self.trust),
            diocese=optional(self.diocese),
            religious_character=optional(self.religious),
            website=text(self.website),
            telephone=text(self.telephone),
            head_name=head,
            pupils=self._number(line, "NumberOfPupils", text(self.pupils)),
            low_age=self._number(line, "StatutoryLowAge", text(self.low_age)),
            high_age=self._number(line, "StatutoryHighAge", text(self.high_age)),
        )

    def _row_error(self, line: int, problem: str) -> GiasError:
        return _fail(f"line {line} of {self.name}: {problem}. {_ROW_ADVICE}")

    def _number(self, line: int, column: str, value: str) -> int | None:
        if not value:
            return None
        if value.isascii() and value.isdigit():
            return int(value)
        raise self._row_error(line, f'{column} "{value}" is not a number')

    def _date(self, line: int, column: str, value: str) -> str | None:
        if not value:
            return None
        found = _DATE_RE.fullmatch(value)
        if found is not None:
            day, month, year = int(found[1]), int(found[3]), int(found[4])
            try:
                return datetime.date(year, month, day).isoformat()
            except ValueError:
                pass
        raise self._row_error(line, f'{column} "{value}" is not a date in the form dd-mm-yyyy')
