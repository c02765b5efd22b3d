"""The report model: what a report says, as plain frozen values, before any format is chosen.

A report is built in two steps (DESIGN.md section 7): a pure function turns records into a
:class:`Report`, then one renderer per format (``pdf.render_pdf``, ``docx.render_docx``) lays it
out. Everything here is plain text: no markup, no styling. Renderers escape and clean it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal, TypeAlias

Tone = Literal["info", "strength", "development"]
TONES: tuple[Tone, ...] = ("info", "strength", "development")
ChartKind = Literal["bar", "stacked", "columns", "line"]
CHART_KINDS: tuple[ChartKind, ...] = ("bar", "stacked", "columns", "line")
#: Colours a series may ask for by meaning; "" takes the next of the report's palette.
SERIES_TONES = ("", "red", "amber", "green", "grey", "accent", "strength", "development")


def _need_tuple(owner: str, name: str, value: object) -> None:
    # A list would make the frozen value unhashable and mutable behind the renderer's back.
    if not isinstance(value, tuple):
        raise TypeError(f"{owner}.{name} must be a tuple, not {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; level 1 is a chapter (one per framework area), 2 and 3 sit inside it."""

    text: str
    level: int = 1

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise ValueError(f"Heading.level must be 1, 2 or 3, not {self.level!r}")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Running text. A newline is a line break; a blank line starts a new paragraph."""

    text: str


@dataclass(frozen=True, slots=True)
class BulletList:
    """A bulleted list; each item is plain text (newlines are line breaks)."""

    items: tuple[str, ...]

    def __post_init__(self) -> None:
        _need_tuple("BulletList", "items", self.items)


@dataclass(frozen=True, slots=True)
class KeyValues:
    """Label and value pairs laid out as two columns ("Year group", "Year 9")."""

    pairs: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        _need_tuple("KeyValues", "pairs", self.pairs)


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row. Cells are plain text and may be of any length.

    Args:
        columns: the header labels.
        rows: one tuple of cell texts per row, each as long as ``columns``.
        widths: relative column widths (``(1, 1, 4)``); None shares the width equally.
        header_repeat: repeat the header row at the top of every page the table runs onto.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None
    header_repeat: bool = True
    #: columns whose cells are lists, one item a line: each item is set apart (a gap above it,
    #: its wrapped lines indented), so two items never read as one
    lists: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        _need_tuple("Table", "columns", self.columns)
        _need_tuple("Table", "rows", self.rows)
        if not self.columns:
            raise ValueError("Table needs at least one column")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"Table row {number} has {len(row)} cells; the table has "
                    f"{len(self.columns)} columns"
                )
        if self.widths is not None:
            if len(self.widths) != len(self.columns):
                raise ValueError("Table.widths must give one width per column")
            if any(w <= 0 for w in self.widths):
                raise ValueError("Table.widths must all be positive")

    def relative_widths(self) -> tuple[float, ...]:
        """The widths as fractions of the whole that add up to 1."""
        widths = self.widths or tuple(1.0 for _ in self.columns)
        total = float(sum(widths))
        return tuple(w / total for w in widths)


@dataclass(frozen=True, slots=True)
class Judgement:
    """The agreed judgement for one area, shown on its scale with the chosen level highlighted.

    Args:
        area: the framework area ("Leadership at all levels").
        value_label: the agreed level, one of ``scale_labels``; None when not judged.
        scale_labels: the scale, best first ("Leading", "Effective", ...).
        rationale: why the team and the host agreed it (plain text).
    """

    area: str
    value_label: str | None
    scale_labels: tuple[str, ...]
    rationale: str = ""

    def __post_init__(self) -> None:
        _need_tuple("Judgement", "scale_labels", self.scale_labels)
        if self.value_label is not None and self.value_label not in self.scale_labels:
            raise ValueError(
                f"Judgement value {self.value_label!r} is not on the scale {self.scale_labels!r}"
            )

    @property
    def shown_value(self) -> str:
        """The value as printed: the label, or "Not judged"."""
        return self.value_label if self.value_label is not None else NOT_JUDGED


NOT_JUDGED = "Not judged"


@dataclass(frozen=True, slots=True)
class Callout:
    """A boxed passage: What went well (strength), Even better if (development), or information."""

    title: str
    text: str
    tone: Tone = "info"

    def __post_init__(self) -> None:
        if self.tone not in TONES:
            raise ValueError(f"Callout.tone must be one of {TONES}, not {self.tone!r}")


Orientation = Literal["portrait", "landscape"]


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Start the next block on a new page, or only when less than a share of the page is left.

    Args:
        if_less_than: 1.0 always starts a new page; 0.4 starts one only when less than 40% of
            the page is left (so an appendix does not leave most of a page empty before it,
            nor start at the foot of one).
        orientation: turn the pages from here on (until the next break that turns them back):
            "landscape" for wide grids, "portrait" to return; None keeps the orientation.
    """

    if_less_than: float = 1.0
    orientation: Orientation | None = None

    def __post_init__(self) -> None:
        if not 0 < self.if_less_than <= 1:
            raise ValueError(f"PageBreak.if_less_than must be in (0, 1], not {self.if_less_than!r}")
        if self.orientation not in (None, "portrait", "landscape"):
            raise ValueError(f"PageBreak.orientation cannot be {self.orientation!r}")
        if self.orientation is not None and self.if_less_than < 1:
            raise ValueError("A page break that turns the page always starts a new page")


@dataclass(frozen=True, slots=True)
class SignOff:
    """Sign-off rows: each line is (name, role); the renderers add Signature and Date spaces."""

    lines: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        _need_tuple("SignOff", "lines", self.lines)


@dataclass(frozen=True, slots=True)
class Series:
    """One set of values of a chart, one per category (a count, a percentage)."""

    name: str
    values: tuple[float, ...]
    #: a colour by meaning: red, amber, green (a RAG rating), grey, accent, strength,
    #: development; "" for the next colour of the palette
    tone: str = ""

    def __post_init__(self) -> None:
        _need_tuple("Series", "values", self.values)
        if self.tone not in SERIES_TONES:
            raise ValueError(f"Series.tone must be one of {SERIES_TONES}, not {self.tone!r}")


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart: the same picture in the app, the PDF and the Word file (``reports.charts``).

    Args:
        title: what it shows ("Actions by RAG rating, by priority").
        categories: the labels along the category axis (priorities, areas, terms).
        series: one or more sets of values, each as long as ``categories``.
        kind: "bar" (horizontal bars, side by side for several series), "stacked" (horizontal,
            stacked), "columns" (vertical, stacked: over time) or "line" (over time).
        unit: what the values count ("actions", "%").
        caption: the chart in words, printed under it (and the text alternative for a screen
            reader), so nothing is only in the picture.
    """

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    kind: ChartKind = "bar"
    unit: str = ""
    caption: str = ""

    def __post_init__(self) -> None:
        _need_tuple("Chart", "categories", self.categories)
        _need_tuple("Chart", "series", self.series)
        if self.kind not in CHART_KINDS:
            raise ValueError(f"Chart.kind must be one of {CHART_KINDS}, not {self.kind!r}")
        if not self.series:
            raise ValueError("Chart needs at least one series")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"Chart series {series.name!r} has {len(series.values)} values for "
                    f"{len(self.categories)} categories"
                )

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw (no categories, or every value is zero)."""
        return not any(v for s in self.series for v in s.values)


@dataclass(frozen=True, slots=True)
class Note:
    """Small grey text: provenance, caveats, "Report generated from ..."."""

    text: str


Block: TypeAlias = (
    Heading
    | Paragraph
    | BulletList
    | KeyValues
    | Table
    | Judgement
    | Callout
    | PageBreak
    | SignOff
    | Note
    | Chart
)

BLOCK_TYPES: tuple[type, ...] = (
    Heading,
    Paragraph,
    BulletList,
    KeyValues,
    Table,
    Judgement,
    Callout,
    PageBreak,
    SignOff,
    Note,
    Chart,
)


@dataclass(frozen=True, slots=True)
class Report:
    """One report, ready for any renderer.

    Args:
        title: "Peer review report".
        subtitle: "Review visit, 3 and 4 March 2026".
        school_name: the school the report is about (printed on the cover and every header).
        partnership_name: whose report it is (every header; the document author).
        audience: who it is written for ("For the host school's leaders and governors").
        confidentiality: printed on the cover and at the foot of every page.
        cover_facts: (label, value) pairs on the cover: dates, team, framework, sharing scope.
        blocks: the body, in order.
        generated_on: the date printed as "Generated on 3 March 2026".
        marking: a word or two printed on every page ("Draft", "Changed after agreement"); ""
            for none.
        compact: no cover page: a title block heads the first page (a one-page summary).
    """

    title: str
    subtitle: str
    school_name: str
    partnership_name: str
    audience: str
    confidentiality: str
    cover_facts: tuple[tuple[str, str], ...]
    blocks: tuple[Block, ...]
    generated_on: datetime.date
    marking: str = ""
    compact: bool = False

    def __post_init__(self) -> None:
        _need_tuple("Report", "cover_facts", self.cover_facts)
        _need_tuple("Report", "blocks", self.blocks)
        for block in self.blocks:
            if not isinstance(block, BLOCK_TYPES):
                raise TypeError(f"Report.blocks holds a {type(block).__name__}, not a block")


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: datetime.date) -> str:
    """A date as British readers write it, "3 March 2026", whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def long_date_of(iso: str) -> str:
    """ "3 March 2026" from "2026-03-03" (anything unreadable as it was typed)."""
    try:
        return long_date(datetime.date.fromisoformat(iso))
    except ValueError:
        return iso


def clock_time(stamp: str) -> str:
    """ "08:45" from "2026-09-04T08:45" (anything unreadable as it was typed)."""
    try:
        return f"{datetime.datetime.fromisoformat(stamp):%H:%M}"
    except ValueError:
        return stamp


def keeps_with_next(blocks: tuple[Block, ...], index: int) -> bool:
    """True for a short text between a heading and what the heading introduces (a table, a
    subheading): it stays on the page of what follows, so a page never ends with a heading and
    its introduction alone. Both renderers apply it.
    """
    block = blocks[index]
    return (
        isinstance(block, Note | Paragraph)
        and len(block.text) <= 400
        and 0 < index < len(blocks) - 1
        and isinstance(blocks[index - 1], Heading)
        and isinstance(blocks[index + 1], Heading | Table)
    )
