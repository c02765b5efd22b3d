"""The line checks with what repeats done once (``checking.check_lines``): the same rows and
the same refusals as ``changes.checked_row`` line by line."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from peerreview.errors import ValidationError
from peerreview.features import default_registry
from peerreview.sync.changes import Change, checked_row
from peerreview.sync.checking import Who, check_lines

DEVICE = "01a241ca-7ff0-7f00-be34-cec935529d28"
RECORD = "01a241ca-82f5-7da3-b44d-3681269519b9"
WHO = Who(DEVICE, DEVICE, True, 0, 1 << 62)


def line(**over: Any) -> bytes:
    body: dict[str, Any] = {
        "author": "Laptop A",
        "device": DEVICE,
        "field": "name",
        "hlc": 1 << 20,
        "kind": "school",
        "parents": [],
        "record": RECORD,
        "value": "Coundon Primary",
    }
    body.update(over)
    return orjson.dumps({k: v for k, v in body.items() if v is not None})


def test_the_rows_are_checked_rows_and_ids_are_change_ids() -> None:
    made = Change.make(
        record=RECORD,
        kind="school",
        field="name",
        value="Coundon Primary",
        hlc=1 << 20,
        device=DEVICE,
        author="Laptop A",
    )
    lines = [made.to_line(), line(field="urn", value=100001, hlc=(1 << 20) + 1)]
    part = check_lines(lines, 0, default_registry().kinds, WHO, None, True)
    assert part.rows == [checked_row(orjson.loads(x)) for x in lines]
    assert part.ids[0] == made.id


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (line(record=["not", "a", "string"]), "record id that is not a UUID"),
        (line(record=RECORD.upper()), "record id that is not a UUID"),
        (line(device={"a": 1}), "device id that is not a UUID"),
        (line(device=DEVICE + "\n"), "device id that is not a UUID"),
        (line(value=12), "must be text"),
        (line(value="x" * 200_001), "longer than"),
        (line(field="no_such_field"), "no field called"),
        (b'{"record": ', "not valid JSON"),
    ],
)
def test_a_bad_line_after_good_ones_is_refused_with_its_own_words(bad: bytes, words: str) -> None:
    """Ids already met are not checked again, but a new string always is, whatever its type."""
    kinds = default_registry().kinds
    good = [line(hlc=(1 << 20) + i) for i in range(3)]
    with pytest.raises(ValidationError, match=words) as after_good:
        check_lines([*good, bad], 0, kinds, WHO, None, True)
    with pytest.raises(ValidationError) as alone:
        check_lines([bad], 0, kinds, WHO, None, True)
    assert after_good.value.message == alone.value.message
