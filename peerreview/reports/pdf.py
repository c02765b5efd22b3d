"""Render a report model to PDF with reportlab: A4, embedded DejaVu Sans, numbered pages, bookmarks.

Layout: a cover page (no running header), then body pages with the partnership and school in a
running header; every page has the confidentiality line and "Page N of M" at its foot. All text
the model holds is plain: it is cleaned, stripped of glyphs the font lacks and escaped for
reportlab's paragraph mini-markup here, and nowhere else.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Spacer,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle as RLTableStyle
from reportlab.platypus.flowables import HRFlowable

from peerreview.errors import Cancelled
from peerreview.progress import CancelCheck, Progress
from peerreview.reports import model
from peerreview.reports.outlines import draw_shapes, width_of
from peerreview.reports.output import PathOrFile, write_output
from peerreview.reports.pdffonts import (
    FONT,
    FONT_BOLD,
    PLACEHOLDER,
    SYMBOLS,
    bold_font_file,
    markup,
    printable,
    register_fonts,
    runs,
)
from peerreview.reports.text import (
    CELL_PAGE_SHARE,
    ROW_PAGE_SHARE,
    clean,
    fit_widths,
    paragraphs,
    split_row,
    widest_word,
)

__all__ = ["PLACEHOLDER", "markup", "printable", "render_pdf"]

ACCENT = colors.HexColor("#1D4F6E")  # the one accent colour: a deep slate blue
MARKING = colors.HexColor("#B4520A")  # "DRAFT" and "CHANGED AFTER AGREEMENT" on every page
ACCENT_TINT = colors.HexColor("#E9F0F5")
ACCENT_PALE = colors.HexColor("#F4F7FA")
INK = colors.HexColor("#1F2328")
GREY = colors.HexColor("#5E6770")
LIGHT_GREY = colors.HexColor("#EEF0F2")
RULE = colors.HexColor("#CBD3DA")
WHITE = colors.white

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 22 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 25 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
#: Landscape pages, for wide grids (a lesson's stages by its case pupils).
WIDE_WIDTH, WIDE_HEIGHT = landscape(A4)
WIDE_TEXT_WIDTH = WIDE_WIDTH - 2 * MARGIN_X
WIDE_FRAME_HEIGHT = WIDE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
COVER_BAND = 20 * mm
# Rows never split inside (as in Word, where they are marked cantSplit): a row is kept whole unless
# it is taller than ROW_PAGE_SHARE of a page; then its long cells are cut (at paragraph, then
# sentence ends) into pieces of about CELL_PAGE_SHARE of a page, each drawn as a row, with the short
# cells whole in the first. So a row always fits, and an ordinary row is never broken mid-text.
# reportlab's splitInRow would fill pages better but breaks rows anywhere and repeats the header
# row mid-page.
CELL_PAD = 5.0
PARA_GAP_CELL = 5.0  # between paragraphs inside a table cell
#: Sign-off columns: name, role, signature, a gap, date (the Word file uses the same).
SIGN_OFF_COLUMNS = (0.25, 0.31, 0.25, 0.03, 0.16)


# -------------------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    bullet: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_item: ParagraphStyle
    cell_head: ParagraphStyle
    label: ParagraphStyle
    scale: ParagraphStyle
    scale_chosen: ParagraphStyle
    judged: ParagraphStyle
    callout_title: ParagraphStyle
    callout_body: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_school: ParagraphStyle
    cover_label: ParagraphStyle
    cover_value: ParagraphStyle
    cover_small: ParagraphStyle
    footer: ParagraphStyle


@functools.cache
def _styles() -> _Styles:
    register_fonts()
    # Governors read these on paper: body text 11 pt, tables and notes 9.5 pt at the least.
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=11,
        leading=15.5,
        textColor=INK,
        spaceAfter=6,
        splitLongWords=1,
    )

    def like(name: str, parent: ParagraphStyle = body, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **kw)

    cell = like("cell", fontSize=9.5, leading=12.8, spaceAfter=0)
    return _Styles(
        body=body,
        bullet=like("bullet", leftIndent=14, bulletIndent=3, spaceAfter=3, bulletFontName=FONT),
        h1=like(
            "h1",
            fontName=FONT_BOLD,
            fontSize=16,
            leading=20,
            textColor=ACCENT,
            spaceBefore=14,
            spaceAfter=4,
            keepWithNext=1,
        ),
        h2=like(
            "h2",
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            textColor=INK,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        ),
        h3=like(
            "h3",
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=15,
            textColor=ACCENT,
            spaceBefore=9,
            spaceAfter=3,
            keepWithNext=1,
        ),
        note=like("note", fontSize=9.5, leading=12.8, textColor=GREY, spaceAfter=6),
        cell=cell,
        cell_item=like("cell_item", cell, leftIndent=7, firstLineIndent=-7, spaceBefore=3),
        cell_head=like("cell_head", cell, fontName=FONT_BOLD, textColor=WHITE),
        label=like("label", cell, fontName=FONT_BOLD, textColor=GREY),
        scale=like("scale", cell, leading=12, alignment=TA_CENTER, textColor=GREY),
        scale_chosen=like(
            "scale_chosen",
            cell,
            fontName=FONT_BOLD,
            leading=12,
            alignment=TA_CENTER,
            textColor=WHITE,
        ),
        judged=like("judged", fontName=FONT_BOLD, spaceBefore=6, spaceAfter=4),
        callout_title=like(
            "callout_title",
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14.5,
            textColor=ACCENT,
            spaceAfter=0,
        ),
        callout_body=like("callout_body", cell, fontSize=11, leading=15, spaceBefore=3),
        cover_title=like(
            "cover_title", fontName=FONT_BOLD, fontSize=28, leading=33, textColor=INK, spaceAfter=8
        ),
        cover_subtitle=like(
            "cover_subtitle", fontSize=13, leading=18, textColor=GREY, spaceAfter=26
        ),
        cover_school=like(
            "cover_school",
            fontName=FONT_BOLD,
            fontSize=20,
            leading=25,
            textColor=ACCENT,
            spaceAfter=10,
        ),
        cover_label=like("cover_label", cell, textColor=GREY),
        cover_value=like("cover_value", cell, fontSize=11, leading=14.5),
        cover_small=like("cover_small", cell, textColor=INK),
        footer=like("footer", fontSize=8, leading=10, textColor=GREY, spaceAfter=0),
    )


class _Para(RLParagraph):
    """A paragraph that remembers its line breaks for a width.

    A table cell is wrapped when the table measures itself, again for each piece the table is
    split into at page ends, and again when drawn; breaking lines is most of reportlab's time.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        cached: tuple[float, tuple[float, float]] | None = self.__dict__.get("_pr_wrapped")
        # reportlab drops blPara when it changes a paragraph (splitting): then wrap again.
        if cached is not None and cached[0] == availWidth and "blPara" in self.__dict__:
            self.width = availWidth
            return cached[1]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._pr_wrapped = (availWidth, size)
        return size


def _table_style(commands: list[tuple[Any, ...]]) -> RLTableStyle:
    """A table style; every cell's own font is DejaVu too (reportlab would use Helvetica)."""
    return RLTableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def _para(text: str, style: ParagraphStyle) -> RLParagraph:
    return _Para(markup(text), style)


def _paras(text: str, style: ParagraphStyle) -> list[Flowable]:
    return [_Para(markup(p), style) for p in paragraphs(text)]


def _word_needs(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    styles: Sequence[ParagraphStyle],
    head_style: ParagraphStyle,
) -> list[float]:
    """How wide each column must be for its longest word to fit on a line unbroken."""

    def widest(texts: Sequence[str], style: ParagraphStyle) -> float:
        return widest_word(
            texts, lambda word: pdfmetrics.stringWidth(word, style.fontName, style.fontSize)
        )

    needs = []
    for column, style in enumerate(styles):
        body = widest([row[column] for row in rows], style)
        head = widest([header[column]], head_style) if header is not None else 0.0
        # A point to spare: reportlab wraps a word that fits exactly.
        needs.append(max(body, head) + 2 * CELL_PAD + 1)
    return needs


@functools.cache
def _next_style(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` with space above, for the second and later paragraphs in a table cell."""
    return ParagraphStyle(style.name + "_next", parent=style, spaceBefore=PARA_GAP_CELL)


def _cell_paras(text: str, style: ParagraphStyle) -> list[Flowable]:
    parts = paragraphs(text)
    if len(parts) <= 1:
        return [_Para(markup(p), style) for p in parts]
    following = _next_style(style)
    return [_Para(markup(p), style if i == 0 else following) for i, p in enumerate(parts)]


# ------------------------------------------------------------------------------ block → flowable


class _Builder:
    """Turns blocks into flowables; keeps the heading count for unique bookmark keys."""

    def __init__(self) -> None:
        self.s = _styles()
        self.headings = 0
        # The page the blocks are being laid out for: portrait, until a break turns it.
        self.width = TEXT_WIDTH
        self.height = FRAME_HEIGHT

    def block(self, block: model.Block) -> list[Flowable]:
        if isinstance(block, model.Heading):
            return self.heading(block)
        if isinstance(block, model.Paragraph):
            return _paras(block.text, self.s.body)
        if isinstance(block, model.BulletList):
            return self.bullets(block)
        if isinstance(block, model.KeyValues):
            return self.key_values(block)
        if isinstance(block, model.Table):
            return self.table(block)
        if isinstance(block, model.Judgement):
            return self.judgement(block)
        if isinstance(block, model.Callout):
            return self.callout(block)
        if isinstance(block, model.PageBreak):
            if block.orientation is not None:
                wide = block.orientation == "landscape"
                self.width = WIDE_TEXT_WIDTH if wide else TEXT_WIDTH
                self.height = WIDE_FRAME_HEIGHT if wide else FRAME_HEIGHT
                return [NextPageTemplate("wide" if wide else "body"), RLPageBreak()]
            if block.if_less_than >= 1:
                return [RLPageBreak()]
            return [CondPageBreak(self.height * block.if_less_than)]
        if isinstance(block, model.SignOff):
            return self.sign_off(block)
        if isinstance(block, model.Note):
            return _paras(block.text, self.s.note)
        if isinstance(block, model.Chart):
            return self.chart(block)
        raise TypeError(f"not a report block: {type(block).__name__}")

    def chart(self, block: model.Chart) -> list[Flowable]:
        """The chart's title, its picture (the one the app and Word show) and its caption, kept on
        one page."""
        from reportlab.platypus import Image

        from peerreview.reports.charts import render_png, size_inches

        width_in = TEXT_WIDTH / 72
        w, h = size_inches(block, width_in)
        picture = Image(io.BytesIO(render_png(block, width=width_in)), width=w * 72, height=h * 72)
        parts: list[Flowable] = [_para(block.title, self.s.h3), picture]
        if block.caption:
            parts += _paras(block.caption, self.s.note)
        return [KeepTogether(parts), Spacer(1, 4)]

    def heading(self, block: model.Heading) -> list[Flowable]:
        style = (self.s.h1, self.s.h2, self.s.h3)[block.level - 1]
        text = " ".join(clean(block.text).split())
        para = _Para(markup(text), style)
        self.headings += 1
        # Bookmarks and metadata are shown in the reader's own fonts: every character as typed.
        para._pr_outline = (text, block.level, f"h{self.headings}")  # type: ignore[attr-defined]
        if block.level != 1:
            return [para]
        rule = HRFlowable(width="100%", thickness=0.8, color=ACCENT, spaceBefore=0, spaceAfter=8)
        rule.keepWithNext = 1
        return [para, rule]

    def bullets(self, block: model.BulletList) -> list[Flowable]:
        out: list[Flowable] = []
        for item in block.items:
            parts = paragraphs(item) or [""]
            out.append(_Para(markup(parts[0]), self.s.bullet, bulletText="\u2022"))
            out.extend(_Para(markup(p), self.s.bullet) for p in parts[1:])
        if out:
            out.append(Spacer(1, 3))
        return out

    # Tables ----------------------------------------------------------------------------------

    def _cell_rows(
        self, cells: Sequence[str], widths: Sequence[float], styles: Sequence[ParagraphStyle]
    ) -> list[list[list[Flowable]]]:
        """One logical row as one or more table rows, so that no row is taller than a page."""
        cleaned = [clean(text).strip() for text in cells]
        cpls = [
            int((width - 2 * CELL_PAD) / (style.fontSize * 0.6))
            for width, style in zip(widths, styles, strict=True)
        ]
        leading = max(style.leading for style in styles)
        rows = split_row(
            cleaned,
            cpls,
            int(self.height * ROW_PAGE_SHARE / leading),
            int(self.height * CELL_PAGE_SHARE / leading),
        )
        return [
            [
                _cell_paras(chunk, style) if chunk else []
                for chunk, style in zip(row, styles, strict=True)
            ]
            for row in rows
        ]

    def _table(
        self,
        header: Sequence[str] | None,
        rows: Sequence[Sequence[str]],
        fractions: Sequence[float],
        body_styles: Sequence[ParagraphStyle],
        *,
        repeat: bool = True,
        zebra: bool = True,
        flush_left: bool = False,
    ) -> RLTable:
        widths = fit_widths(
            [self.width * f for f in fractions],
            _word_needs(header, rows, body_styles, self.s.cell_head),
        )
        data: list[list[list[Flowable]]] = []
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
        if flush_left:  # no fill to pad inside: line the first column up with the text
            commands.append(("LEFTPADDING", (0, 0), (0, -1), 0))
        if header is not None:
            data.append([[_para(h, self.s.cell_head)] for h in header])
            commands += [("BACKGROUND", (0, 0), (-1, 0), ACCENT)]
        logical = 0
        for cells in rows:
            start = len(data)
            data.extend(self._cell_rows(cells, widths, body_styles))
            end = len(data) - 1
            commands.append(("LINEBELOW", (0, end), (-1, end), 0.5, RULE))
            if start != end:  # continuation rows of one long cell: keep them visually one row
                commands.append(("BOTTOMPADDING", (0, start), (-1, end - 1), 0))
                commands.append(("TOPPADDING", (0, start + 1), (-1, end), PARA_GAP_CELL))
            if zebra and logical % 2 == 1:
                commands.append(("BACKGROUND", (0, start), (-1, end), ACCENT_PALE))
            logical += 1
        if not data:
            data.append([[] for _ in fractions])
        table = RLTable(
            data,
            colWidths=widths,
            repeatRows=1 if header is not None and repeat else 0,
            splitByRow=1,
            hAlign="LEFT",
            style=_table_style(commands),
        )
        return table

    def table(self, block: model.Table) -> list[Flowable]:
        styles = [
            self.s.cell_item if n in block.lists else self.s.cell for n in range(len(block.columns))
        ]
        # A list cell's items are paragraphs of their own: a gap above each, wrapped lines
        # indented, so two areas of a note never run together.
        rows = [
            tuple(t.replace("\n", "\n\n") if n in block.lists else t for n, t in enumerate(row))
            for row in block.rows
        ]
        table = self._table(
            block.columns, rows, block.relative_widths(), styles, repeat=block.header_repeat
        )
        return [table, Spacer(1, 8)]

    def key_values(self, block: model.KeyValues) -> list[Flowable]:
        if not block.pairs:
            return []
        table = self._table(
            None, block.pairs, (0.3, 0.7), (self.s.label, self.s.cell), zebra=False, flush_left=True
        )
        return [table, Spacer(1, 8)]

    # Judgement, callout, sign-off ------------------------------------------------------------

    def judgement(self, block: model.Judgement) -> list[Flowable]:
        s = self.s
        head: list[Flowable] = [_para(block.area, s.h3)]
        labels = block.scale_labels
        if labels:
            cells = [
                [
                    _para(
                        _clip(label, 120), s.scale_chosen if label == block.value_label else s.scale
                    )
                ]
                for label in labels
            ]
            commands: list[tuple[Any, ...]] = [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT_GREY),
                ("LINEAFTER", (0, 0), (-2, 0), 2, WHITE),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ]
            if block.value_label is not None:
                chosen = labels.index(block.value_label)
                commands.append(("BACKGROUND", (chosen, 0), (chosen, 0), ACCENT))
            head.append(
                RLTable(
                    [cells],
                    colWidths=[self.width / len(labels)] * len(labels),
                    hAlign="LEFT",
                    style=_table_style(commands),
                )
            )
        verdict = (
            ("Agreed: " + block.value_label)
            if block.value_label is not None
            else (model.NOT_JUDGED)
        )
        head.append(_para(verdict, s.judged))
        out: list[Flowable] = [KeepTogether(head)]
        out.extend(_paras(block.rationale, s.body))
        return out

    def callout(self, block: model.Callout) -> list[Flowable]:
        s = self.s
        background = {"info": LIGHT_GREY, "strength": ACCENT_TINT, "development": WHITE}[block.tone]
        bar = GREY if block.tone == "info" else ACCENT
        title_rows = self._cell_rows([block.title], [self.width - 12], [s.callout_title])
        rows = title_rows + self._cell_rows([block.text], [self.width - 12], [s.callout_body])
        last_title = len(title_rows) - 1
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, -1), background),
            ("LINEBEFORE", (0, 0), (0, -1), 3, bar),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 7),
            ("BOTTOMPADDING", (0, last_title), (-1, last_title), 3),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            # The title never ends a page on its own: it goes with the first lines of the text.
            # (Only the title's last piece: a title long enough to be cut into pieces could
            # otherwise hold more than a page together.)
            ("NOSPLIT", (0, last_title), (0, min(last_title + 1, len(rows) - 1))),
        ]
        if block.tone == "development":
            commands += [
                ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
                ("LINEAFTER", (-1, 0), (-1, -1), 0.5, RULE),
            ]
        table = RLTable(
            rows, colWidths=[self.width], splitByRow=1, hAlign="LEFT", style=_table_style(commands)
        )
        return [table, Spacer(1, 8)]

    def sign_off(self, block: model.SignOff) -> list[Flowable]:
        s = self.s
        # Name, role, a line to sign on, a gap, a line for the date: two separate rules for a pen.
        fractions = SIGN_OFF_COLUMNS
        header: list[list[Flowable]] = [
            [_para(h, s.label)] if h else [] for h in ("Name", "Role", "Signature", "", "Date")
        ]
        data: list[list[list[Flowable]]] = [header]
        widths = [self.width * f for f in fractions]
        styles = (s.cover_value, s.cell, s.cell, s.cell, s.cell)
        for name, role in block.lines:
            data += self._cell_rows((name, role, "", "", ""), widths, styles)
        table = RLTable(
            data,
            colWidths=widths,
            minRowHeights=[0] + [40] * (len(data) - 1),
            repeatRows=1,
            hAlign="LEFT",
            style=_table_style(
                [
                    ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                    ("LINEBELOW", (2, 1), (2, -1), 0.6, GREY),
                    ("LINEBELOW", (4, 1), (4, -1), 0.6, GREY),
                ]
            ),
        )
        return [KeepTogether([table]), Spacer(1, 8)]


# ----------------------------------------------------------------------------------- the cover


def _cover_flowables(report: model.Report, builder: _Builder) -> list[Flowable]:
    s = builder.s
    out: list[Flowable] = [
        Spacer(1, 22 * mm),
        _para(report.title, s.cover_title),
    ]
    if report.subtitle.strip():
        out.append(_para(report.subtitle, s.cover_subtitle))
    out += [
        _para(report.school_name, s.cover_school),
        HRFlowable(
            width=40 * mm, thickness=2, color=ACCENT, hAlign="LEFT", spaceBefore=2, spaceAfter=18
        ),
    ]
    if report.cover_facts:
        widths = (0.27 * TEXT_WIDTH, 0.73 * TEXT_WIDTH)
        rows: list[list[list[Flowable]]] = []
        for pair in report.cover_facts:
            rows += builder._cell_rows(pair, widths, (s.cover_label, s.cover_value))
        out.append(
            RLTable(
                rows,
                colWidths=[0.27 * TEXT_WIDTH, 0.73 * TEXT_WIDTH],
                hAlign="LEFT",
                splitByRow=1,
                style=_table_style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                        ("TOPPADDING", (0, 0), (-1, -1), 6),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                        ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
                    ]
                ),
            )
        )
    return out


def _title_block(report: model.Report, builder: _Builder) -> list[Flowable]:
    """A compact report's head: title, school, facts, who it is for, on the first page."""
    s = builder.s
    out: list[Flowable] = [_para(report.title, s.h1)]
    school = report.school_name + (f" · {report.subtitle}" if report.subtitle.strip() else "")
    out.append(_para(school, s.h3))
    if report.cover_facts:
        out += builder.key_values(model.KeyValues(report.cover_facts))
    out += _paras(
        f"Who this report is for: {report.audience}. {report.confidentiality} Generated on "
        f"{model.long_date(report.generated_on)}.",
        s.note,
    )
    out.append(Spacer(1, 4))
    return out


def _cover_box(report: model.Report) -> RLTable:
    """The audience and confidentiality panel at the foot of the cover."""
    s = _styles()
    rows = [
        [
            [
                _para("Who this report is for", s.callout_title),
                _para(_clip(report.audience, 600), s.cover_small),
            ]
        ],
        [
            [
                _para("Confidentiality", s.callout_title),
                _para(_clip(report.confidentiality, 600), s.cover_small),
            ]
        ],
        [[_para("Generated on " + model.long_date(report.generated_on), s.footer)]],
    ]
    return RLTable(
        rows,
        colWidths=[TEXT_WIDTH],
        hAlign="LEFT",
        style=_table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ACCENT_TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
            ]
        ),
    )


# ------------------------------------------------------------------------- page furniture


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when shortened."""
    text = " ".join(clean(text).split()) if len(text) > limit else text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Text shortened with an ellipsis to fit ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, min(len(text), int(width / (size * 0.2)) + 1)  # no glyph is narrower
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:middle] + "\u2026", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "\u2026"


def _draw_line(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    width: float,
    *,
    right: bool = False,
) -> None:
    """One line of page furniture, emoji in Symbola; shortened with an ellipsis if too wide."""
    line = " ".join(clean(text).split())
    parts = [(SYMBOLS if sym else font, chunk) for sym, chunk in runs(line)]
    total = sum(pdfmetrics.stringWidth(chunk, f, size) for f, chunk in parts)
    if total > width or len(parts) <= 1:  # one font (or too long): DejaVu alone, fitted
        parts = [(font, _fit(printable(line), font, size, width))]
        total = pdfmetrics.stringWidth(parts[0][1], font, size)
    x = x - total if right else x
    for f, chunk in parts:
        canvas.setFont(f, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, f, size)


def _page_size(canvas: Canvas) -> tuple[float, float]:
    """The size of the page being drawn (landscape pages are wider than the document's A4)."""
    width, height = getattr(canvas, "_pagesize", A4)
    return float(width), float(height)


PAGE_LABEL_WIDTH = 30 * mm
#: Flowables that are not the text of a page (the first real one decides "(continued)").
_FURNITURE = (Spacer, CondPageBreak, RLPageBreak, ActionFlowable, HRFlowable)
FOOTER_Y = 14 * mm


class _KeepWithNext(KeepTogether):
    """Keeps a heading with what follows without pushing a long table or text to a new page.

    reportlab's own grouping moves the heading and everything after it to the next page whenever
    the whole group does not fit, leaving most of a page empty before a long table. Here the
    group moves only if the first piece of what follows cannot fit under the heading.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        me: Any = self  # reportlab's internals, which its stubs do not describe
        content: list[Flowable] = list(me._content)
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and bool(getattr(frame, "_atTop", False))
        if len(content) >= 2 and not at_top:
            used = 0.0
            for flowable in content[:-1]:
                used += (
                    flowable.wrap(aW, aH)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
                )
            last = content[-1]
            rest = aH - used - last.getSpaceBefore()
            if isinstance(last, KeepTogether):  # it would only move itself on: it must fit whole
                # KeepTogether.wrap answers a huge height to force a split; the height of what
                # it holds is left in _H (a draft's unjudged area was put on a page of its own).
                last.wrap(aW, rest)
                needed = float(getattr(last, "_H", float("inf")))
                fits = rest > 0 and needed <= rest
            else:
                # What fits whole fits (a rule, a short line: split() of a flowable that cannot
                # be split answers [] even when it fits, which put each unjudged area of a draft
                # on a page of its own); else the first piece must.
                fits = rest > 0 and (last.wrap(aW, rest)[1] <= rest or bool(last.split(aW, rest)))
            return content if fits else [me.FrameBreak(), *content]
        # At the top of a page already: moving on would not help, so lay out what fits.
        first = content[0]
        if first.wrap(aW, aH)[1] <= aH:
            return content
        return [*first.split(aW, aH), *content[1:]]


class _PagedCanvas(Canvas):
    """A canvas that holds pages back until the end, so each can say "Page N of M".

    Bookmarks made while a page is held are pointed at that page's final number.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        me: Any = self
        me._startPage()

    def bookmarkPage(  # noqa: N802 - reportlab's name
        self,
        key: Any,
        fit: str = "Fit",
        left: Any = None,
        top: Any = None,
        bottom: Any = None,
        right: Any = None,
        zoom: Any = None,
    ) -> Any:
        # The page is not numbered in the file yet: point the bookmark at the number it will get.
        me: Any = self
        doc = me._doc
        real = doc.pageCounter
        doc.pageCounter = len(self._held) + 1
        try:
            return super().bookmarkPage(key, fit, left, top, bottom, right, zoom)
        finally:
            doc.pageCounter = real

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 7.5)
            self.setFillColor(GREY)
            width = _page_size(self)[0]  # this page's own: landscape pages are wider
            self.drawRightString(width - MARGIN_X, FOOTER_Y, f"Page {number} of {total}")
            Canvas.showPage(self)
        Canvas.save(self)


class _Document(BaseDocTemplate):
    """Two page templates (cover, body), bookmarks for headings, progress and cancelling."""

    def __init__(
        self,
        target: IO[bytes],
        report: model.Report,
        *,
        progress: Progress | None,
        cancelled: CancelCheck | None,
        total: int,
    ) -> None:
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=clean(report.title + " - " + report.school_name),
            author=clean(report.partnership_name),
            subject=clean(report.subtitle),
            creator="PeerReview",
            keywords=["peer review", "school improvement"],
            lang="en-GB",
            initialFontName=FONT,
        )
        self.report = report
        self._progress = progress
        self._cancelled = cancelled
        self._total = total
        self._done = 0
        self._outline_level = -1
        #: the chapter (level 1 heading) being laid out, and whether the page has just begun
        self._chapter = ""
        self._fresh = False
        s = _styles()
        # Page furniture has a fixed space: a (mistakenly) long line is shortened to fit it.
        self._footer_para = _para(_clip(report.confidentiality, 250), s.footer)
        self._cover_box = _cover_box(report)
        _, box_height = self._cover_box.wrap(TEXT_WIDTH, FRAME_HEIGHT)
        self._box_height = box_height
        cover_bottom = MARGIN_BOTTOM + box_height + 8 * mm
        cover = Frame(
            MARGIN_X,
            cover_bottom,
            TEXT_WIDTH,
            PAGE_HEIGHT - COVER_BAND - cover_bottom,
            id="cover",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        body = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            TEXT_WIDTH,
            FRAME_HEIGHT,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        wide = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            WIDE_TEXT_WIDTH,
            WIDE_FRAME_HEIGHT,
            id="wide",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.keepTogetherClass = _KeepWithNext
        body_template = PageTemplate("body", [body], onPage=self._draw_body)
        wide_template = PageTemplate("wide", [wide], onPage=self._draw_body, pagesize=landscape(A4))
        if report.compact:  # the first page is a body page with the title block on it
            self.addPageTemplates([body_template, wide_template])
        else:
            self.addPageTemplates(
                [
                    PageTemplate(
                        "cover", [cover], onPage=self._draw_cover, autoNextPageTemplate="body"
                    ),
                    body_template,
                    wide_template,
                ]
            )

    # Page furniture ---------------------------------------------------------------------------

    def _draw_footer(self, canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        page_width = _page_size(canvas)[0]
        canvas.line(MARGIN_X, FOOTER_Y + 10, page_width - MARGIN_X, FOOTER_Y + 10)
        width = page_width - 2 * MARGIN_X - PAGE_LABEL_WIDTH
        _, height = self._footer_para.wrap(width, 40)
        # Top of the footer text sits just below the rule; long lines wrap downwards.
        self._footer_para.drawOn(canvas, MARGIN_X, FOOTER_Y + 7 - height)
        canvas.restoreState()

    def _draw_cover(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.showOutline()  # open the bookmarks pane: the report's table of contents
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, PAGE_HEIGHT - COVER_BAND, PAGE_WIDTH, COVER_BAND, stroke=0, fill=1)
        canvas.setFillColor(WHITE)
        _draw_line(
            canvas,
            MARGIN_X,
            PAGE_HEIGHT - COVER_BAND / 2 - 3.5,
            self.report.partnership_name,
            FONT_BOLD,
            10,
            TEXT_WIDTH,
        )
        if self.report.marking:
            _draw_line(
                canvas,
                PAGE_WIDTH - MARGIN_X,
                PAGE_HEIGHT - COVER_BAND / 2 - 3.5,
                self.report.marking.upper(),
                FONT_BOLD,
                10,
                TEXT_WIDTH / 3,
                right=True,
            )
        canvas.restoreState()
        self._cover_box.drawOn(canvas, MARGIN_X, MARGIN_BOTTOM + 2 * mm)
        self._draw_footer(canvas)

    def _draw_body(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        page_width, page_height = _page_size(canvas)
        top = page_height - 15 * mm
        half = (page_width - 2 * MARGIN_X) / 2 - 6
        canvas.setFillColor(GREY)
        _draw_line(canvas, MARGIN_X, top, self.report.partnership_name, FONT, 7.5, half)
        canvas.setFillColor(ACCENT)
        _draw_line(
            canvas,
            page_width - MARGIN_X,
            top,
            self.report.school_name,
            FONT_BOLD,
            7.5,
            half,
            right=True,
        )
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 5, page_width - MARGIN_X, top - 5)
        if self.report.marking:  # "DRAFT" on every page, above the running header
            canvas.setFillColor(MARKING)
            text = self.report.marking.upper()
            width = pdfmetrics.stringWidth(text, FONT_BOLD, 9)
            _draw_line(
                canvas, (page_width - width) / 2, page_height - 8 * mm, text, FONT_BOLD, 9, width
            )
        canvas.restoreState()
        self._draw_footer(canvas)
        self._fresh = True

    # Bookmarks, progress, cancelling ----------------------------------------------------------

    def _continued(self, flowable: Flowable) -> None:
        """A page that goes on with a chapter begun on an earlier one says so at its top."""
        if not self._fresh or isinstance(flowable, _FURNITURE):
            return
        self._fresh = False
        outline = getattr(flowable, "_pr_outline", None)
        if self._chapter and not (outline is not None and outline[1] == 1):
            page_width, page_height = _page_size(self.canv)
            canvas, y, size = self.canv, page_height - MARGIN_TOP + 9, 9.5
            label = " (continued)"
            bold = bold_font_file()
            room = page_width - 2 * MARGIN_X - width_of(label, bold, size)
            title = _fit(printable(" ".join(clean(self._chapter).split())), FONT_BOLD, size, room)
            canvas.saveState()
            canvas.setFillColor(ACCENT)
            canvas.setFont(FONT_BOLD, size)
            canvas.drawString(MARGIN_X, y, title)
            # The label is layout, not content: drawn as shapes (an artifact), not as words.
            x = MARGIN_X + pdfmetrics.stringWidth(title, FONT_BOLD, size)
            draw_shapes(canvas, label, bold, size, x, y)
            canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        self._continued(flowable)
        outline = getattr(flowable, "_pr_outline", None)
        if outline is not None and outline[1] == 1:
            self._chapter = outline[0]
        if outline is not None:
            text, level, key = outline
            # PDF outlines cannot skip a level (a level 3 straight under a level 1).
            level = min(level - 1, self._outline_level + 1)
            self._outline_level = level
            self.canv.bookmarkPage(key, fit="XYZ", top=None)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        step = getattr(flowable, "_pr_step", None)
        if step is not None:
            if self._cancelled is not None and self._cancelled():
                raise Cancelled()
            if self._progress is not None and step > self._done:
                self._done = step
                self._progress(step, self._total)


def _flowables(
    report: model.Report, progress: Progress | None, cancelled: CancelCheck | None
) -> tuple[list[Flowable], int]:
    builder = _Builder()
    total = 2 * len(report.blocks) + 1
    if report.compact:
        out: list[Flowable] = _title_block(report, builder)
    else:
        out = _cover_flowables(report, builder)
        out += [NextPageTemplate("body"), RLPageBreak()]
    for index, block in enumerate(report.blocks):
        if cancelled is not None and cancelled():
            raise Cancelled()
        flowables = builder.block(block)
        if model.keeps_with_next(report.blocks, index):
            for flowable in flowables:
                flowable.keepWithNext = 1
        if flowables:
            # Reported again when laid out: the second half of the progress bar.
            flowables[-1]._pr_step = len(report.blocks) + index + 1  # type: ignore[attr-defined]
        out.extend(flowables)
        if progress is not None and index % 16 == 0:
            progress(index + 1, total)
    return out, total


def render_pdf(
    report: model.Report,
    path_or_file: PathOrFile,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> None:
    """Write ``report`` as an A4 PDF to a path (replaced only when complete) or a binary file.

    Args:
        report: the report model.
        path_or_file: a file path, or an open binary file to write the PDF bytes to.
        progress: called with (done, total) as blocks are prepared and laid out.
        cancelled: polled now and then; when it returns True, :class:`Cancelled` is raised and
            nothing is written.
    """
    flowables, total = _flowables(report, progress, cancelled)
    buffer = io.BytesIO()
    doc = _Document(buffer, report, progress=progress, cancelled=cancelled, total=total)
    doc.build(flowables, canvasmaker=_PagedCanvas)
    if cancelled is not None and cancelled():
        raise Cancelled()
    write_output(buffer.getvalue(), path_or_file)
    if progress is not None:
        progress(total, total)
