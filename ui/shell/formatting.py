"""British dates and times for people, whatever the laptop's own locale says.

Tables show ``03/03/2026``; prose shows ``3 March 2026``; change times show ``3 March 2026, 10:42``.
"""

from __future__ import annotations

import datetime as dt

# babel (and its locale data) is imported by the first date shown, not to start the app.

LOCALE = "en_GB"


def parse_iso(value: str | dt.date | None) -> dt.date | None:
    """A date from the store's ISO text (``2026-03-03``), or None when empty or not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def table_date(value: str | dt.date | None) -> str:
    """``03/03/2026``: for tables and compact lists."""
    from babel.dates import format_date

    day = parse_iso(value)
    return format_date(day, "dd/MM/yyyy", locale=LOCALE) if day else ""


def prose_date(value: str | dt.date | None) -> str:
    """``3 March 2026``: for sentences and headings."""
    from babel.dates import format_date

    day = parse_iso(value)
    return format_date(day, "d MMMM yyyy", locale=LOCALE) if day else ""


def prose_datetime(moment: dt.datetime) -> str:
    """``3 March 2026, 10:42`` in the laptop's time zone."""
    from babel.dates import format_datetime

    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return format_datetime(moment, "d MMMM yyyy, HH:mm", locale=LOCALE)


def when_changed(hlc: int) -> str:
    """When a change was made, from its hybrid-clock stamp, as ``3 March 2026, 10:42``."""
    from peerreview.sync.hlc import wall_ms  # the sync engine: not needed to paint the window

    moment = dt.datetime.fromtimestamp(wall_ms(hlc) / 1000, tz=dt.UTC)
    return prose_datetime(moment)


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 school``, ``3 schools``, ``1,200 changes``."""
    word = singular if n == 1 else (plural or singular + "s")
    return f"{n:,} {word}"
