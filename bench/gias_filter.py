"""Benchmark: filter a synthetic 50,000-row national GIAS file to one local authority.

Builds the file in a temporary directory from the Coventry sample (same 139 columns, Windows-1252,
CRLF), with ~150 local authorities, then times ``read_gias(path, la="Coventry")`` against a floor of
Python's ``csv`` module merely reading every row of the same file, and prints the ratio.

Run from the project root: ``.venv/bin/python bench/gias_filter.py``.
"""

from __future__ import annotations

import csv
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from peerreview.partnership.gias import read_gias  # noqa: E402

SAMPLE = Path("/work/shared/data/gias_sample_coventry.csv")
if not SAMPLE.exists():
    SAMPLE = ROOT / "tests" / "data" / "gias_sample_coventry.csv"
ROWS = 50_000
AUTHORITIES = 150
RUNS = 7

_FILLERS = {
    "OpenDate": "01-09-{year}",
    "HeadTitle (name)": "Mrs",
    "HeadFirstName": "Jane",
    "HeadLastName": "O’Brien",
    "HeadPreferredJobTitle": "Headteacher",
    "SchoolWebsite": "www.school{urn}.example.sch.uk",
    "TelephoneNum": "0247{urn}",
    "SchoolCapacity": "{capacity}",
    "CensusDate": "16-01-2025",
    "NumberOfBoys": "{boys}",
    "NumberOfGirls": "{girls}",
    "PercentageFSM": "17.5",
    "UKPRN": "1{urn}",
    "LastChangedDate": "12-03-2025",
    "County (name)": "West Midlands",
    "DistrictAdministrative (name)": "{la}",
    "AdministrativeWard (name)": "Ward {ward}",
    "ParliamentaryConstituency (name)": "{la} North",
    "UrbanRural (name)": "(A1) Urban major conglomeration",
    "GSSLACode (name)": "E0800{code}",
    "Easting": "43{ward:04d}",
    "Northing": "27{ward:04d}",
    "MSOA (name)": "{la} 0{ward:02d}",
    "LSOA (name)": "{la} 0{ward:02d}A",
    "OfstedRating (name)": "Good",
    "RSCRegion (name)": "West Midlands",
    "UPRN": "10{urn}",
}


def _authorities() -> list[tuple[str, str]]:
    names = [("Coventry", "331")]
    for i in range(AUTHORITIES - 1):
        names.append((f"Borough {i:03d}, Shire", str(800 + i)))
    return names


def make_national_file(directory: Path) -> Path:
    """Write a 50,000-row GIAS-format file by repeating and varying the sample's rows."""
    text = SAMPLE.read_bytes().decode("cp1252")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, samples = rows[0], rows[1:]
    at = {column: i for i, column in enumerate(header)}
    authorities = _authorities()
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for n in range(ROWS):
        row = list(samples[n % len(samples)])
        la, code = authorities[n % len(authorities)]
        urn = 100_000 + n
        row[at["URN"]] = str(urn)
        row[at["LA (name)"]] = la
        row[at["LA (code)"]] = code
        row[at["EstablishmentName"]] = f"{row[at['EstablishmentName']]} {n}"
        row[at["Town"]] = la.split(",")[0]
        if n % 9 == 0:
            row[at["EstablishmentStatus (name)"]] = "Closed"
            row[at["CloseDate"]] = "31-08-2019"
        values = {
            "urn": urn,
            "la": la,
            "code": code,
            "year": 1950 + n % 70,
            "capacity": 200 + n % 1500,
            "boys": 100 + n % 700,
            "girls": 100 + n % 650,
            "ward": n % 97,
        }
        for column, pattern in _FILLERS.items():
            row[at[column]] = pattern.format(**values)
        writer.writerow(row)
    path = directory / "edubasealldata20250101.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path


def csv_floor(path: Path) -> int:
    """Just read every row with the csv module: the least any reader can do."""
    count = 0
    with open(path, encoding="cp1252", newline="") as handle:
        for _row in csv.reader(handle):
            count += 1
    return count


def best_and_median(run: object, path: Path) -> tuple[float, float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run(path)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = make_national_file(Path(tmp))
        size = path.stat().st_size
        result = read_gias(path, la="Coventry")
        assert result.rows_read == ROWS, result.rows_read
        floor_rows = csv_floor(path)
        print(
            f"file: {ROWS:,} rows, {AUTHORITIES} local authorities, {size / 1e6:.1f} MB "
            f"({floor_rows:,} CSV rows incl. header)"
        )
        print(
            f"read_gias(la='Coventry'): {len(result.schools)} schools kept, "
            f"{result.skipped_other_la:,} skipped"
        )
        gias_best, gias_median = best_and_median(lambda p: read_gias(p, la="Coventry"), path)
        floor_best, floor_median = best_and_median(csv_floor, path)
        all_best, all_median = best_and_median(lambda p: read_gias(p), path)
        for label, best, median in (
            ("read_gias la='Coventry'", gias_best, gias_median),
            ("csv floor (read rows)", floor_best, floor_median),
            ("read_gias no filter", all_best, all_median),
        ):
            print(f"{label:<24}: best {best * 1e3:7.1f} ms, median {median * 1e3:7.1f} ms")
        print(
            f"ratio read_gias(la) / csv floor: {gias_median / floor_median:.2f}x (median), "
            f"{gias_best / floor_best:.2f}x (best)"
        )


if __name__ == "__main__":
    main()
