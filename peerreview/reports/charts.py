"""Charts drawn with matplotlib: one picture for the app, the PDF and the Word file alike.

:func:`render_png` turns a :class:`~peerreview.reports.model.Chart` into PNG bytes with matplotlib's
Agg renderer and its object-oriented API (no pyplot, so no global state and no GUI backend: it is
safe on a worker thread). The app shows those bytes, and both report renderers embed them, so the
chart on screen is the chart in the document. matplotlib takes about half a second to import:
only this module imports it, and only when the first chart is drawn.

Why matplotlib (docs/plans.md): the one widely maintained Python charting library with wheels for
every platform, a rasteriser of its own (so the Word file gets a picture without Qt or Cairo), and
a font manager that takes the report's own DejaVu Sans.
"""

from __future__ import annotations

import functools
import io
import textwrap
from typing import TYPE_CHECKING, Any

from peerreview.paths import package_data
from peerreview.reports.model import Chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Colours by meaning, and the palette series without one take in turn (the reports' slate blue
#: first). RAG colours are the ones schools print, darkened enough to read on white.
TONE_COLOURS = {
    "red": "#C62828",
    "amber": "#EF9A1A",
    "green": "#2E7D32",
    "grey": "#9AA3AB",
    "accent": "#1D4F6E",
    "strength": "#2E7D32",
    "development": "#B4572B",
}
PALETTE = ("#1D4F6E", "#6A9AB8", "#B4572B", "#8C6BB1", "#5E6770", "#2E7D32")
INK = "#1F2328"
GRID = "#DDE2E6"
FONT_SIZE = 8.5
#: Inches of height per category of a horizontal chart, and the least height of any chart.
ROW_HEIGHT = 0.32
MIN_HEIGHT = 1.6


def setup() -> None:
    """Import matplotlib and give it the reports' font now (the first chart does it otherwise)."""
    _setup()


def ready() -> bool:
    """True once matplotlib is imported and set up."""
    return _setup.cache_info().currsize > 0


@functools.cache
def _setup() -> str:
    """Load matplotlib's Agg machinery once and give it the reports' font; returns the family."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import font_manager

    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        path = package_data("resources") / "fonts" / name
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
    return "DejaVu Sans"


def size_inches(chart: Chart, width: float) -> tuple[float, float]:
    """The chart's size for a given width: horizontal charts grow with their categories."""
    if chart.kind in ("bar", "stacked"):
        rows = len(chart.categories) * (len(chart.series) if chart.kind == "bar" else 1)
        rows = max(rows, len(chart.categories))
        height = 0.75 + ROW_HEIGHT * max(rows, 2) + (0.3 if len(chart.series) > 1 else 0)
    else:
        height = width * 0.36
    return width, max(MIN_HEIGHT, min(height, 9.0))


def render_png(chart: Chart, *, width: float = 6.3, dpi: int = 200) -> bytes:
    """The chart as PNG bytes, ``width`` inches wide at ``dpi`` dots per inch."""
    family = _setup()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    w, h = size_inches(chart, width)
    rc: dict[str, Any] = {
        "font.family": family,
        "font.size": FONT_SIZE,
        "text.color": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.edgecolor": GRID,
    }
    import matplotlib

    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        figure = Figure(figsize=(w, h), dpi=dpi, facecolor="white")
        axes = figure.add_subplot()
        _draw(axes, chart)
        _margins(figure, chart, w, h)
        buffer = io.BytesIO()
        # Light compression: a chart's flat colours compress well anyway, and the strongest
        # setting took a third of the time of drawing one.
        FigureCanvasAgg(figure).print_png(  # type: ignore[no-untyped-call]
            buffer, pil_kwargs={"compress_level": 1}
        )
    return buffer.getvalue()


def _margins(figure: Any, chart: Chart, width: float, height: float) -> None:
    """Room for the labels, worked out from their length (what ``tight_layout`` measures by
    drawing every label once more, at a third of the cost of the chart)."""
    char = FONT_SIZE * 0.6 / 72  # inches per character of DejaVu Sans, on average
    line = FONT_SIZE * 1.25 / 72
    legend = line * 1.6 if len(chart.series) > 1 else 0.1
    if chart.kind in ("bar", "stacked"):
        longest = max((len(x) for c in chart.categories for x in _wrap(c).splitlines()), default=4)
        left = min(0.5, (longest * char + 0.2) / width)
        bottom = (line * (2.4 if chart.unit else 1.4) + 0.08) / height
    else:
        lines = max((len(_wrap(c, 14).splitlines()) for c in chart.categories), default=1)
        left = min(0.3, (6 * char + (line if chart.unit else 0) + 0.2) / width)
        bottom = (line * (lines + 0.8) + 0.08) / height
    top = 1 - (legend + 0.08) / height
    right = 1 - 0.35 / width
    figure.subplots_adjust(left=left, right=right, bottom=min(bottom, 0.45), top=max(top, 0.55))


def _colour(tone: str, index: int) -> str:
    return TONE_COLOURS.get(tone) or PALETTE[index % len(PALETTE)]


def _wrap(label: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(label, width, max_lines=2, placeholder="…")) or label


def _draw(axes: Axes, chart: Chart) -> None:
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if chart.empty:
        axes.text(0.5, 0.5, "Nothing to show yet", ha="center", va="center", color="#5E6770")
        axes.set_axis_off()
        return
    labels = [_wrap(c) for c in chart.categories]
    count = len(chart.categories)
    positions = list(range(count))
    several = len(chart.series) > 1
    if chart.kind in ("bar", "stacked"):
        axes.invert_yaxis()  # the first category at the top, as it reads in a table
        axes.grid(axis="x", color=GRID, linewidth=0.6)
        axes.spines["left"].set_visible(False)
        left = [0.0] * count
        band = 0.8 / len(chart.series) if chart.kind == "bar" else 0.65
        for i, series in enumerate(chart.series):
            values = [float(v) for v in series.values]
            if chart.kind == "bar":
                offset = (i - (len(chart.series) - 1) / 2) * band
                ys = [p + offset for p in positions]
                bars = axes.barh(ys, values, height=band * 0.92, color=_colour(series.tone, i))
            else:
                bars = axes.barh(
                    positions,
                    values,
                    left=left,
                    height=band,
                    color=_colour(series.tone, i),
                    edgecolor="white",
                    linewidth=0.6,
                )
                left = [a + b for a, b in zip(left, values, strict=True)]
            _label_bars(axes, bars, values, horizontal=True, inside=chart.kind == "stacked")
            bars.set_label(series.name)
        axes.set_yticks(positions, labels)
        axes.tick_params(axis="y", length=0)
        if chart.kind == "stacked":
            axes.set_xlim(0, max(max(left), 1) * 1.04)
        else:
            top = max(max(s.values) for s in chart.series)
            axes.set_xlim(0, max(top, 1) * 1.12)
        if chart.unit:
            axes.set_xlabel(chart.unit)
        _whole_numbers(axes.xaxis)
    else:
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        bottom = [0.0] * count
        for i, series in enumerate(chart.series):
            values = [float(v) for v in series.values]
            colour = _colour(series.tone, i)
            if chart.kind == "columns":
                bars = axes.bar(
                    positions,
                    values,
                    bottom=bottom,
                    width=0.62,
                    color=colour,
                    edgecolor="white",
                    linewidth=0.6,
                    label=series.name,
                )
                _label_bars(axes, bars, values, horizontal=False, inside=True)
                bottom = [a + b for a, b in zip(bottom, values, strict=True)]
            else:
                axes.plot(
                    positions, values, marker="o", markersize=3.5, color=colour, label=series.name
                )
        axes.set_xticks(positions, [_wrap(c, 14) for c in chart.categories])
        axes.tick_params(axis="x", length=0)
        if chart.unit:
            axes.set_ylabel(chart.unit)
        if chart.kind == "columns":
            axes.set_ylim(0, max(max(bottom), 1) * 1.08)
        _whole_numbers(axes.yaxis)
    if several:
        # Above the plot, left-aligned like the title: clear of the axis and its label.
        axes.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncol=min(len(chart.series), 6),
            frameon=False,
            fontsize=FONT_SIZE,
            handlelength=1.2,
            borderaxespad=0.2,
        )


def _label_bars(
    axes: Axes, bars: Any, values: list[float], *, horizontal: bool, inside: bool
) -> None:
    """Write each bar's value on it (inside a stacked segment, at the end of a lone bar)."""
    texts = [_number(v) if v else "" for v in values]
    if inside:
        axes.bar_label(bars, texts, label_type="center", color="white", fontsize=FONT_SIZE - 1)
    else:
        axes.bar_label(bars, texts, padding=3, fontsize=FONT_SIZE - 1)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _whole_numbers(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True, nbins=6))
