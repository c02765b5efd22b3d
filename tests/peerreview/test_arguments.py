"""The command line's shared argument types: every --today reads and refuses dates alike."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest

from peerreview.arguments import iso_date
from peerreview.cli import build_parser


def test_a_date_is_read_as_written_yyyy_mm_dd() -> None:
    assert iso_date("2028-02-29") == dt.date(2028, 2, 29)
    for wrong in ("29/02/2028", "2027-02-29", "next Friday", ""):
        with pytest.raises(argparse.ArgumentTypeError, match="write it as YYYY-MM-DD"):
            iso_date(wrong)


@pytest.mark.parametrize("command", [["report"], ["coverage"], ["actions"]])
def test_every_command_with_a_day_refuses_one_sentence_alike(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    parser = build_parser()
    with pytest.raises(SystemExit) as ended:
        parser.parse_args([*command, "--db", "x.db", "--today", "29/02/2028"])
    assert ended.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'29/02/2028' is not a date; write it as YYYY-MM-DD" in err
