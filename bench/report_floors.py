"""The reports' floors: every string of a report laid out by reportlab and python-docx with the
least asked of them (and each chart drawn by matplotlib's simplest call), in the same run."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from xml.sax.saxutils import escape

from peerreview.reports import (
    BulletList,
    Callout,
    Chart,
    Heading,
    Judgement,
    KeyValues,
    Note,
    Paragraph,
    Report,
    SignOff,
    Table,
)


def texts(report: Report) -> Iterator[str]:
    """Every string the report prints, in order (what the floors lay out)."""
    yield from (report.partnership_name, report.title, report.subtitle, report.school_name)
    for label, value in report.cover_facts:
        yield from (label, value)
    yield from (report.audience, report.confidentiality)
    for block in report.blocks:
        if isinstance(block, (Heading, Paragraph, Note)):
            yield block.text
        elif isinstance(block, BulletList):
            yield from block.items
        elif isinstance(block, KeyValues):
            for pair in block.pairs:
                yield from pair
        elif isinstance(block, Table):
            yield from block.columns
            for row in block.rows:
                yield from row
        elif isinstance(block, Judgement):
            yield from (block.area, *block.scale_labels, block.rationale)
        elif isinstance(block, Callout):
            yield from (block.title, block.text)
        elif isinstance(block, SignOff):
            for pair in block.lines:
                yield from pair
        elif isinstance(block, Chart):
            yield from (block.title, block.caption)


def simplest_chart(chart: Chart) -> bytes:
    """The chart as matplotlib draws it with the least asked of it (the floors' pictures)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.3, 3), dpi=200)
    axes = figure.add_subplot()
    for series in chart.series:
        axes.barh(range(len(chart.categories)), series.values)
    out = io.BytesIO()
    FigureCanvasAgg(figure).print_png(out)
    return out.getvalue()


def pdf_floor(strings: list[str], charts: Sequence[Chart] = ()) -> None:
    """Every string as a plain Paragraph in the default sample style (Helvetica, no tables, no
    embedded font) in a SimpleDocTemplate, then each chart as an image."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Image, SimpleDocTemplate
    from reportlab.platypus import Paragraph as RLParagraph

    style = getSampleStyleSheet()["Normal"]
    doc = SimpleDocTemplate(io.BytesIO())
    flow = [RLParagraph(escape(s).replace("\n", "<br/>"), style) for s in strings]
    flow += [Image(io.BytesIO(simplest_chart(c)), width=450, height=215) for c in charts]
    doc.build(flow)


def docx_floor(strings: list[str], charts: Sequence[Chart] = ()) -> None:
    """Every string as a plain paragraph, then each chart as a picture, saved."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    for s in strings:
        document.add_paragraph(s)
    for c in charts:
        document.add_picture(io.BytesIO(simplest_chart(c)), width=Cm(16))
    document.save(io.BytesIO())
