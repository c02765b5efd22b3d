"""Demo indicators and contacts: three years of figures per school, and the coordinator's calls.

Figures drift from a plausible start, one value a year per measure, with the source a school or a
partnership would quote; a few schools have had no contact for over a year, so coverage has
something to show.
"""

from __future__ import annotations

import datetime as dt

from peerreview.progress import check_cancelled
from peerreview.sync.ids import new_id
from peerreview.sync.registry import DemoContext
from peerreview.sync.store import Edit, Store

TODAY = dt.date(2026, 11, 25)
YEARS = (2023, 2024, 2025)
_SOURCES = {
    "attendance": "DfE pupil absence statistics",
    "persistent_absence": "DfE pupil absence statistics",
    "suspensions": "DfE suspensions and exclusions statistics",
    "ks2_rwm": "DfE school performance tables",
    "ks4_progress8": "DfE school performance tables",
    "disadvantaged": "January school census",
    "send_support": "January school census",
}
_READINGS = {
    "attendance": "Above the local authority average; autumn illness dipped it.",
    "persistent_absence": "Falling since the first-day calls began.",
    "suspensions": "A handful of pupils account for most suspensions.",
    "ks2_rwm": "Writing is the weakest of the three.",
    "ks4_progress8": "Disadvantaged pupils' Progress 8 is well below their peers'.",
    "disadvantaged": "Rising with new housing in the catchment.",
    "send_support": "More pupils with speech and language needs on entry.",
}
_START = {
    "attendance": (91.0, 96.0),
    "persistent_absence": (10.0, 24.0),
    "suspensions": (0.5, 9.0),
    "ks2_rwm": (45.0, 75.0),
    "ks4_progress8": (-0.6, 0.5),
    "disadvantaged": (12.0, 55.0),
    "send_support": (8.0, 20.0),
}
_CONTACTS = (
    ("Visit", "Termly visit by the partnership coordinator"),
    ("Call", "Call with the headteacher about staffing"),
    ("Meeting", "Headteachers' group meeting"),
    ("Email", "Shared the moderation dates for next term"),
)


def build(store: Store, ctx: DemoContext) -> dict[str, int]:
    """The partnership view's part of the demo."""
    rng = ctx.rng
    edits: list[Edit] = []
    indicators = contacts = 0
    # By name, not by id (ids are random): the same seed makes the same figures.
    schools = sorted(
        store.rows("school", ["id", "low_age", "high_age", "name"]),
        key=lambda r: (r[3] or "", r[0]),
    )
    for n, (school, low, _high, _name) in enumerate(schools):
        secondary = (low or 4) >= 11
        measures = [
            "attendance",
            "persistent_absence",
            "suspensions",
            "disadvantaged",
            "send_support",
        ]
        measures.append("ks4_progress8" if secondary else "ks2_rwm")
        for measure in measures:
            low_v, high_v = _START[measure]
            value = rng.uniform(low_v, high_v)
            for year in YEARS:
                value += rng.uniform(-0.08, 0.08) * (high_v - low_v)
                value = min(max(value, low_v - 0.1 * abs(low_v)), high_v * 1.1)
                day = dt.date(year + 1, rng.choice((3, 6, 10)), rng.randrange(1, 28))
                rid = new_id()
                text = f"{value:.2f}" if measure == "ks4_progress8" else f"{value:.1f}"
                for field, v in (
                    ("school", school),
                    ("measure", measure),
                    ("date", day.isoformat()),
                    ("period", f"{year}-{(year + 1) % 100:02d}"),
                    ("value", text),
                    ("source", _SOURCES[measure]),
                    ("interpretation", _READINGS[measure] if year == YEARS[-1] else ""),
                ):
                    if v:
                        edits.append(Edit(rid, "indicator", field, v))
                indicators += 1
        # The coordinator's contacts: most schools recently, one in seven not for over a year.
        quiet = n % 7 == 3
        for _ in range(rng.randrange(1, 4)):
            days_ago = rng.randrange(400, 700) if quiet else rng.randrange(5, 300)
            kind, note = rng.choice(_CONTACTS)
            rid = new_id()
            for field, v in (
                ("school", school),
                ("date", (TODAY - dt.timedelta(days=days_ago)).isoformat()),
                ("type", kind),
                ("note", note),
            ):
                edits.append(Edit(rid, "contact", field, v))
            contacts += 1
        if len(edits) > 20_000:
            with store.transaction():
                store.write(edits)
            edits.clear()
            check_cancelled(ctx.cancelled)
            if ctx.progress:
                ctx.progress(n + 1, len(schools))
    if edits:
        with store.transaction():
            store.write(edits)
    return {"indicator": indicators, "contact": contacts}
