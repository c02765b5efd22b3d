"""Store.list's range filter (used to read only the reviews that can include today)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerreview.errors import ValidationError
from peerreview.sync.store import Store


def test_list_by_range(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "p.db", device_name="Test laptop", partnership_name="P")
    school = store.create("school", {"name": "Coundon Court"})
    visits = {
        "past": ("2026-03-02", "2026-03-03"),
        "today, two days": ("2026-12-01", "2026-12-02"),
        "today, one day": ("2026-12-02", None),
        "later": ("2026-12-03", "2026-12-04"),
    }
    for title, (start, end) in visits.items():
        store.create(
            "review", {"title": title, "school": school, "start_date": start, "end_date": end}
        )
    day = "2026-12-02"

    def titles(ranges: dict[str, tuple[str | None, str | None]]) -> list[str]:
        return [r["title"] for r in store.list("review", ranges=ranges, order_by="title")]

    assert titles({"start_date": (None, day)}) == ["past", "today, one day", "today, two days"]
    assert titles({"start_date": (None, day), "end_date": (day, None)}) == ["today, two days"]
    assert titles({"start_date": ("2026-12-02", "2026-12-03")}) == ["later", "today, one day"]
    assert titles({"end_date": (None, None)}) == ["later", "past", "today, two days"]
    with pytest.raises(ValidationError, match="no field"):
        store.list("review", ranges={"colour": (1, 2)})

    store.close()
