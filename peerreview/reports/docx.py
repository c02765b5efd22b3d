"""Render a report model to a Word document with python-docx, carrying the same content as the PDF.

The document uses Word's own heading styles (so the navigation pane and a table of contents work),
A4 pages, British English as the proofing language, a cover page without a running header, and a
footer with the confidentiality line and "Page N of M" as live PAGE / NUMPAGES fields. Tables
repeat their header row on each page and never split a row; very long cells are cut into
several rows first (as in the PDF), so no row is taller than a page.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.pdfbase import pdfmetrics

from peerreview.errors import Cancelled
from peerreview.progress import CancelCheck, Progress
from peerreview.reports import model
from peerreview.reports.output import PathOrFile, write_output
from peerreview.reports.text import (
    CELL_PAGE_SHARE,
    ROW_PAGE_SHARE,
    clean,
    fit_widths,
    paragraphs,
    split_row,
    widest_word,
)

FONT = "Arial"  # on every Windows and Mac; LibreOffice uses metric-compatible Liberation Sans
ACCENT = "1D4F6E"
ACCENT_TINT = "E9F0F5"
ACCENT_PALE = "F4F7FA"
INK = "1F2328"
GREY = "5E6770"
LIGHT_GREY = "EEF0F2"
RULE = "CBD3DA"
MARKING = "B4520A"  # "DRAFT" and "CHANGED AFTER AGREEMENT" on every page
WHITE = "FFFFFF"

MARGIN_X_MM = 22
TEXT_WIDTH = Mm(210 - 2 * MARGIN_X_MM)
TEXT_TWIPS = int(TEXT_WIDTH.twips)
# Rows are kept whole unless taller than ROW_PAGE_SHARE of a page, as in the PDF; a line of
# 9-point table text is about 11.5 points, and the page's text is 245 mm (694 points) tall.
PAGE_LINES = 60
ROW_LINES = int(PAGE_LINES * ROW_PAGE_SHARE)
PIECE_LINES = int(PAGE_LINES * CELL_PAGE_SHARE)
#: Landscape pages (for wide grids): 253 mm of text across, 158 mm (about 39 lines) down.
WIDE_TWIPS = int(Mm(297 - 2 * MARGIN_X_MM).twips)
WIDE_PAGE_LINES = 39
#: Sign-off columns: name, role, signature, a gap, date (as in the PDF).
SIGN_OFF_COLUMNS = (0.25, 0.31, 0.25, 0.03, 0.16)
CELL_PAD_TWIPS = 100
TABLE_TEXT_PT = 9.5

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


# ------------------------------------------------------------------------------------ XML bits


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_NSMAP = {"w": _W}


def _el(tag: str, **attrs: str) -> Any:
    """A loose ``w:`` element (python-docx's element class when it has one) with attributes.

    Made straight through python-docx's parser: thousands are made per report, and
    ``OxmlElement`` parses the prefixed tag name on every call.
    """
    element = oxml_parser.makeelement(f"{{{_W}}}{tag[2:]}", nsmap=_W_NSMAP)
    for key, value in attrs.items():
        element.set(f"{{{_W}}}{key}", value)
    return element


# Word refuses a file whose property elements are out of schema order, so children are inserted
# in the order the schema gives (only the elements this module writes are listed).
_ORDER: dict[str, tuple[str, ...]] = {
    "pPr": (
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "widowControl",
        "numPr",
        "pBdr",
        "shd",
        "tabs",
        "spacing",
        "ind",
        "contextualSpacing",
        "jc",
        "outlineLvl",
        "rPr",
    ),
    "tblPr": (
        "tblStyle",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
    ),
    "tcPr": ("tcW", "gridSpan", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "vAlign"),
    "tblBorders": ("top", "left", "bottom", "right", "insideH", "insideV"),
    "tcBorders": ("top", "left", "bottom", "right", "insideH", "insideV"),
    "pBdr": ("top", "left", "bottom", "right", "between", "bar"),
    "tblCellMar": ("top", "left", "bottom", "right"),
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "color", "sz", "szCs", "lang"),
}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(parent: Any, tag: str, **attrs: str) -> Any:
    """The ``tag`` child of ``parent`` (made and put in schema order if missing), with ``attrs``."""
    found = parent.find(qn(tag))
    if found is None:
        found = _el(tag)
        order = _ORDER.get(_local(parent.tag))
        name = tag.split(":", 1)[1]
        if order is None or name not in order:
            parent.append(found)
        else:
            rank = order.index(name)
            for sibling in parent:
                other = _local(sibling.tag)
                if other in order and order.index(other) > rank:
                    sibling.addprevious(found)
                    break
            else:
                parent.append(found)
    for key, value in attrs.items():
        found.set(qn("w:" + key), value)
    return found


def _rgb(hex6: str) -> RGBColor:
    return RGBColor.from_string(hex6)


def _set_fonts(r_pr: Any, font: str = FONT) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn("w:" + attr), font)


def _borders(parent: Any, tag: str, **sides: tuple[str, int, str] | None) -> None:
    """Set the borders of a tblBorders / tcBorders / pBdr element: side=(style, size, colour)."""
    box = _child(parent, tag)
    for side, spec in sorted(sides.items(), key=lambda item: _ORDER["tblBorders"].index(item[0])):
        edge = _child(box, "w:" + side)
        if spec is None:
            edge.set(qn("w:val"), "nil")
        else:
            style, size, colour = spec
            edge.set(qn("w:val"), style)
            edge.set(qn("w:sz"), str(size))
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), colour)


# ---------------------------------------------------------------------------------- the writer


@dataclass(frozen=True)
class _Grid:
    """A table being built, with its column widths in twips."""

    table: DocxTable
    widths: tuple[int, ...]

    @property
    def tbl(self) -> Any:
        return self.table._tbl

    @property
    def last_row(self) -> Any:
        return self.tbl[-1]


class _Writer:
    """Adds blocks to one python-docx Document; styles are looked up once, not per paragraph."""

    def __init__(self, report: model.Report) -> None:
        self.report = report
        self.doc: DocumentObject = Document()
        # python-docx finds a style by scanning every style (hundreds in its template) on each
        # use, so styles are found once here and paragraphs name their style id directly.
        self._styles_el = self.doc.styles.element
        self._by_name = {
            style.find(qn("w:name")).get(qn("w:val")): style
            for style in self._styles_el.iterchildren(qn("w:style"))
        }
        self.style_ids: dict[str, str] = {}
        self._set_up_styles()
        self._set_up_page()
        self._end = self.doc.element.body.find(qn("w:sectPr"))  # new content goes before it
        self._cell_templates: dict[tuple[object, ...], Any] = {}
        self._p_templates: dict[str, Any] = {}
        # The page being written: portrait until a break turns it (a new Word section).
        self.text_twips = TEXT_TWIPS
        self.row_lines, self.piece_lines = ROW_LINES, PIECE_LINES

    # Set-up -----------------------------------------------------------------------------------

    def _builtin(self, name: str, xml_name: str) -> ParagraphStyle:
        element = self._by_name[xml_name]
        self.style_ids[name] = element.get(qn("w:styleId"))
        return ParagraphStyle(element)

    def _set_up_styles(self) -> None:
        styles_el = self._styles_el
        defaults = styles_el.find(qn("w:docDefaults"))
        r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(r_pr)
        lang = _child(r_pr, "w:lang")
        lang.set(qn("w:val"), "en-GB")
        lang.set(qn("w:eastAsia"), "en-GB")
        # Theme fonts and colours win over named ones in Word: name them outright everywhere.
        for fonts in styles_el.iter(qn("w:rFonts")):
            for attr in list(fonts.attrib):
                if attr.lower().endswith("theme"):
                    del fonts.attrib[attr]
            for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
                fonts.set(qn("w:" + attr), FONT)

        normal = self._builtin("Normal", "Normal")
        normal.font.size = Pt(11)  # governors read it on paper: body text 11 pt
        normal.font.color.rgb = _rgb(INK)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.15

        def restyle(
            name: str,
            xml_name: str,
            size: float,
            colour: str,
            *,
            bold: bool = True,
            before: float = 0,
            after: float = 0,
        ) -> ParagraphStyle:
            style = self._builtin(name, xml_name)
            style.font.size = Pt(size)
            style.font.bold = bold
            style.font.italic = False
            style.font.color.rgb = _rgb(colour)
            for colour_el in style.element.iter(qn("w:color")):
                for attr in ("themeColor", "themeShade", "themeTint"):
                    colour_el.attrib.pop(qn("w:" + attr), None)
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(after)
            return style

        for level, size, colour, before, after in (
            (1, 16, ACCENT, 14, 8),
            (2, 13, INK, 12, 4),
            (3, 11.5, ACCENT, 9, 3),
        ):
            heading = restyle(
                f"Heading {level}", f"heading {level}", size, colour, before=before, after=after
            )
            heading.paragraph_format.keep_with_next = True
            if level == 1:
                p_pr = heading.element.get_or_add_pPr()
                _borders(p_pr, "w:pBdr", bottom=("single", 6, ACCENT))
                _child(p_pr, "w:pBdr").find(qn("w:bottom")).set(qn("w:space"), "4")

        title = restyle("Title", "Title", 28, INK, after=6)
        p_pr = title.element.get_or_add_pPr()
        for unwanted in (p_pr.find(qn("w:pBdr")),):
            if unwanted is not None:
                p_pr.remove(unwanted)
        subtitle = restyle("Subtitle", "Subtitle", 13, GREY, bold=False, after=24)
        p_pr = subtitle.element.get_or_add_pPr()
        numbering = p_pr.find(qn("w:numPr"))
        if numbering is not None:
            p_pr.remove(numbering)
        bullet = self._builtin("List Bullet", "List Bullet")
        bullet.paragraph_format.space_after = Pt(3)
        for name in ("Header", "Footer"):
            self._builtin(name, name.lower())

        def add(
            name: str,
            size: float,
            colour: str = INK,
            bold: bool = False,
            after: float = 0,
            before: float = 0,
            align: Any = None,
        ) -> None:
            style_id = name.replace(" ", "")
            element = _el("w:style", type="paragraph", styleId=style_id)
            element.append(_el("w:name", val=name))
            element.append(_el("w:basedOn", val=self.style_ids["Normal"]))
            element.append(_el("w:qFormat"))
            styles_el.append(element)
            style = ParagraphStyle(element)
            style.font.size = Pt(size)
            style.font.bold = bold
            style.font.color.rgb = _rgb(colour)
            style.paragraph_format.space_after = Pt(after)
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.line_spacing = 1.1
            if align is not None:
                style.paragraph_format.alignment = align
            self.style_ids[name] = style_id

        # Tables and notes 9.5 pt at the least (as the PDF).
        add("Report Note", 9.5, GREY, after=6)
        add("Table Text", TABLE_TEXT_PT)
        add("Table List", TABLE_TEXT_PT, before=3)
        add("Table Heading", TABLE_TEXT_PT, WHITE, bold=True)
        add("Table Label", 9.5, GREY, bold=True)
        add("Scale", 9.5, GREY, align=WD_ALIGN_PARAGRAPH.CENTER)
        add("Scale Chosen", 9.5, WHITE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        add("Judgement", 11, INK, bold=True, before=6, after=4)
        add("Callout Title", 11, ACCENT, bold=True, after=2)
        add("Callout Text", 11, after=3)
        add("Cover Band", 10, WHITE, bold=True, after=0)
        add("Cover School", 20, ACCENT, bold=True, after=18)
        add("Cover Label", 9.5, GREY)
        add("Cover Value", 11)
        add("Cover Small", 9.5)
        add("Page Furniture", 8, GREY)
        add("Marking", 9, MARKING, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        add("Running Head", 9.5, ACCENT, bold=True, before=2)
        # A list cell's items: wrapped lines indented under the first (as the PDF)
        item = self._styles_el.find(
            f"{qn('w:style')}[@{qn('w:styleId')}='{self.style_ids['Table List']}']"
        )
        ParagraphStyle(item).paragraph_format.left_indent = Pt(7)
        ParagraphStyle(item).paragraph_format.first_line_indent = Pt(-7)

    def _set_up_page(self) -> None:
        section = self.doc.sections[0]
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        section.left_margin = section.right_margin = Mm(MARGIN_X_MM)
        section.top_margin = Mm(27)
        section.bottom_margin = Mm(25)
        section.header_distance = Mm(12)
        section.footer_distance = Mm(10)
        # The cover has no running header; a compact report has no cover.
        section.different_first_page_header_footer = not self.report.compact

    # Text -------------------------------------------------------------------------------------

    def para(self, text: str, style: str) -> DocxParagraph:
        """One paragraph (newlines become line breaks) at the end of the body."""
        p = _paragraph(self.style_ids[style], clean(text))
        self._end.addprevious(p)
        return DocxParagraph(p, self.doc._body)

    def paras(self, text: str, style: str, *, keep_with_next: bool = False) -> None:
        style_id = self.style_ids[style]
        for part in paragraphs(text):
            p = self._p(style_id, part)
            if keep_with_next:
                _child(p.find(qn("w:pPr")), "w:keepNext")
            self._end.addprevious(p)

    def _p(self, style_id: str, text: str) -> Any:
        """A paragraph in a style, copied from a template made once per style."""
        template = self._p_templates.get(style_id)
        if template is None:
            template = self._p_templates[style_id] = _paragraph(style_id, "")
        p = deepcopy(template)
        _add_text(p, text)
        return p

    # Tables -----------------------------------------------------------------------------------

    def table(
        self,
        fractions: Sequence[float],
        *,
        borders: dict[str, tuple[str, int, str] | None],
        container: Any = None,
        margins: tuple[int, int] = (60, CELL_PAD_TWIPS),
    ) -> _Grid:
        """An empty fixed-layout table of the text width; rows are added with :meth:`row`."""
        target = container if container is not None else self.doc
        table = target.add_table(rows=0, cols=len(fractions))
        tbl = table._tbl
        tbl_pr = tbl.tblPr
        _child(tbl_pr, "w:tblW", w=str(self.text_twips), type="dxa")
        _child(tbl_pr, "w:tblLayout", type="fixed")
        _borders(tbl_pr, "w:tblBorders", **borders)
        cell_margins = _child(tbl_pr, "w:tblCellMar")
        vertical, horizontal = margins
        for side, value in (
            ("top", vertical),
            ("bottom", vertical),
            ("left", horizontal),
            ("right", horizontal),
        ):
            _child(cell_margins, "w:" + side, w=str(value), type="dxa")
        widths = [int(self.text_twips * f) for f in fractions]
        for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            grid_col.set(qn("w:w"), str(width))
        return _Grid(table, tuple(widths))

    def row(
        self,
        table: _Grid,
        cells: Iterable[tuple[str, str]],
        *,
        header: bool = False,
        fills: Sequence[str | None] | None = None,
        height_twips: int | None = None,
        cell_borders: dict[str, tuple[str, int, str] | None] | None = None,
        keep_with_next: bool = False,
    ) -> None:
        """Append one row: (text, paragraph style) per cell; never split across pages.

        ``keep_with_next`` keeps the row on the same page as the next (a header, a box title).
        """
        tr = _el("w:tr")
        tr_pr = _el("w:trPr")
        tr_pr.append(_el("w:cantSplit"))
        if header:
            tr_pr.append(_el("w:tblHeader"))
        if height_twips is not None:
            tr_pr.append(_el("w:trHeight", val=str(height_twips), hRule="atLeast"))
        tr.append(tr_pr)
        table.tbl.append(tr)
        border_key = tuple(sorted(cell_borders.items())) if cell_borders else ()
        for index, (text, style) in enumerate(cells):
            fill = fills[index] if fills is not None else None
            key = (table.widths[index], fill, border_key)
            template = self._cell_templates.get(key)
            if template is None:
                template = _el("w:tc")
                tc_pr = _el("w:tcPr")
                tc_pr.append(_el("w:tcW", w=str(table.widths[index]), type="dxa"))
                if cell_borders:
                    _borders(tc_pr, "w:tcBorders", **cell_borders)
                if fill:
                    tc_pr.append(_el("w:shd", val="clear", color="auto", fill=fill))
                template.append(tc_pr)
                self._cell_templates[key] = template
            tc = deepcopy(template)  # copying in lxml is far quicker than building in Python
            tr.append(tc)
            parts = paragraphs(text) if text else []
            if not parts:
                tc.append(_el("w:p"))  # a cell must hold at least one paragraph
            style_id = self.style_ids[style]
            for part in parts:
                p = self._p(style_id, part)
                if keep_with_next:
                    _child(p.find(qn("w:pPr")), "w:keepNext")
                tc.append(p)

    def data_rows(
        self,
        table: _Grid,
        rows: Sequence[Sequence[str]],
        styles: Sequence[str],
        *,
        zebra: bool = True,
    ) -> None:
        """Rows of cell text; a long cell becomes several rows, drawn as one."""
        widths = table.widths
        cpls = [
            int(
                (width - 2 * CELL_PAD_TWIPS)
                / 20
                / ((9.5 if style != "Cover Value" else 11.0) * 0.55)
            )
            for width, style in zip(widths, styles, strict=True)
        ]
        for number, cells in enumerate(rows):
            pieces = split_row(
                [clean(text).strip() for text in cells], cpls, self.row_lines, self.piece_lines
            )
            count = len(pieces)
            fill = ACCENT_PALE if zebra and number % 2 == 1 else None
            for i, piece in enumerate(pieces):
                border: dict[str, tuple[str, int, str] | None] | None = None
                if count > 1:
                    border = {}
                    if i > 0:
                        border["top"] = None
                    if i < count - 1:
                        border["bottom"] = None
                self.row(
                    table,
                    zip(piece, styles, strict=True),
                    fills=[fill] * len(styles),
                    cell_borders=border,
                )

    # Blocks -----------------------------------------------------------------------------------

    def block(self, block: model.Block, *, keep_with_next: bool = False) -> None:
        if isinstance(block, model.Heading):
            text = " ".join(clean(block.text).split())
            self.para(text, f"Heading {block.level}")
        elif isinstance(block, model.Paragraph):
            self.paras(block.text, "Normal", keep_with_next=keep_with_next)
        elif isinstance(block, model.BulletList):
            for item in block.items:
                parts = paragraphs(item) or [""]
                self.para(parts[0], "List Bullet")
                for part in parts[1:]:
                    p = self.para(part, "Normal")
                    p.paragraph_format.left_indent = Mm(6.3)
        elif isinstance(block, model.KeyValues):
            if block.pairs:
                table = self.table((0.3, 0.7), borders=_LINES)
                self.data_rows(table, block.pairs, ("Table Label", "Table Text"), zebra=False)
                self._gap()
        elif isinstance(block, model.Table):
            self.data_table(block)
        elif isinstance(block, model.Judgement):
            self.judgement(block)
        elif isinstance(block, model.Callout):
            self.callout(block)
        elif isinstance(block, model.PageBreak):
            # Word has no "new page only if little is left": a conditional break is left to the
            # headings, which keep with what follows.
            if block.orientation is not None:
                self._turn(block.orientation == "landscape")
            elif block.if_less_than >= 1:
                self._page_break()
        elif isinstance(block, model.SignOff):
            self.sign_off(block)
        elif isinstance(block, model.Note):
            self.paras(block.text, "Report Note", keep_with_next=keep_with_next)
        elif isinstance(block, model.Chart):
            self.chart(block)
        else:
            raise TypeError(f"not a report block: {type(block).__name__}")

    def chart(self, block: model.Chart) -> None:
        """The chart's title, its picture (the one the PDF and the app show) and its caption."""
        from peerreview.reports.charts import render_png

        title = self.para(block.title, "Heading 3")
        _child(title._p.get_or_add_pPr(), "w:keepNext")
        holder = self.para("", "Normal")
        _child(holder._p.get_or_add_pPr(), "w:keepNext")
        width = TEXT_WIDTH.inches
        run = holder.add_run()
        run.add_picture(io.BytesIO(render_png(block, width=width)), width=TEXT_WIDTH)
        # The caption is the picture's text alternative too (a screen reader reads it).
        for prop in holder._p.iter(qn("wp:docPr")):
            prop.set("descr", clean(block.caption or block.title))
        if block.caption:
            self.paras(block.caption, "Report Note")

    def _turn(self, wide: bool) -> None:
        """A new section on a new page, landscape (wide) or portrait, from here on."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
        long_side, short_side = Mm(297), Mm(210)
        section.page_width = long_side if wide else short_side
        section.page_height = short_side if wide else long_side
        self.text_twips = WIDE_TWIPS if wide else TEXT_TWIPS
        lines = WIDE_PAGE_LINES if wide else PAGE_LINES
        self.row_lines = int(lines * ROW_PAGE_SHARE)
        self.piece_lines = int(lines * CELL_PAGE_SHARE)

    def _page_break(self) -> None:
        p = _el("w:p")
        run = _el("w:r")
        run.append(_el("w:br", type="page"))
        p.append(run)
        self._end.addprevious(p)

    def _gap(self, points: float = 4) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.space_after = Pt(points)
        p.paragraph_format.line_spacing = Pt(points)

    def data_table(self, block: model.Table) -> None:
        table = self.table(self._fitted(block), borders=_LINES)
        self.row(
            table,
            ((c, "Table Heading") for c in block.columns),
            header=block.header_repeat,
            fills=[ACCENT] * len(block.columns),
            keep_with_next=True,
        )
        rows = [
            tuple(t.replace("\n", "\n\n") if n in block.lists else t for n, t in enumerate(row))
            for row in block.rows
        ]
        styles = [
            "Table List" if n in block.lists else "Table Text" for n in range(len(block.columns))
        ]
        self.data_rows(table, rows, styles)
        self._gap()

    def _fitted(self, block: model.Table) -> list[float]:
        """The table's fractions, each column widened to hold its longest word unbroken."""

        # Arial and Liberation Sans share Helvetica's metrics, which reportlab knows.
        def need(texts: list[str], bold: bool) -> float:
            font = "Helvetica-Bold" if bold else "Helvetica"
            widest = widest_word(
                texts, lambda word: pdfmetrics.stringWidth(word, font, TABLE_TEXT_PT) * 20
            )
            # 20 twips (a point) to spare: Word wraps a word that fits exactly.
            return (widest + 2 * CELL_PAD_TWIPS + 20) / self.text_twips

        needs = [
            max(need([row[n] for row in block.rows], False), need([column], True))
            for n, column in enumerate(block.columns)
        ]
        return fit_widths(block.relative_widths(), needs)

    def judgement(self, block: model.Judgement) -> None:
        self.para(block.area, "Heading 3")
        labels = block.scale_labels
        if labels:
            table = self.table(
                [1 / len(labels)] * len(labels),
                borders={"insideV": ("single", 16, WHITE)},
                margins=(110, 60),
            )
            self.row(
                table,
                (
                    (label, "Scale Chosen" if label == block.value_label else "Scale")
                    for label in labels
                ),
                fills=[ACCENT if label == block.value_label else LIGHT_GREY for label in labels],
                keep_with_next=True,
            )
        verdict = (
            ("Agreed: " + block.value_label)
            if block.value_label is not None
            else (model.NOT_JUDGED)
        )
        p = self.para(verdict, "Judgement")
        p.paragraph_format.keep_with_next = bool(block.rationale.strip())
        self.paras(block.rationale, "Normal")

    def callout(self, block: model.Callout) -> None:
        background = {"info": LIGHT_GREY, "strength": ACCENT_TINT, "development": WHITE}[block.tone]
        bar = GREY if block.tone == "info" else ACCENT
        frame = ("single", 4, RULE) if block.tone == "development" else None
        table = self.table(
            (1.0,),
            borders={"left": ("single", 24, bar), "top": frame, "bottom": frame, "right": frame},
            margins=(100, 180),
        )
        chunks = split_row(
            [clean(block.text).strip()],
            [int(self.text_twips / 20 / (9.5 * 0.55))],
            self.row_lines,
            self.piece_lines,
        )
        self.row(table, [(block.title, "Callout Title")], fills=[background], keep_with_next=True)
        for (chunk,) in chunks:
            self.row(table, [(chunk, "Callout Text")], fills=[background])
        self._gap()

    def sign_off(self, block: model.SignOff) -> None:
        table = self.table(SIGN_OFF_COLUMNS, borders={}, margins=(40, 0))
        self.row(
            table,
            ((h, "Table Label") for h in ("Name", "Role", "Signature", "", "Date")),
            header=True,
            cell_borders={"bottom": ("single", 8, ACCENT)},
            keep_with_next=True,
        )
        underline = {"bottom": ("single", 4, GREY)}
        for name, role in block.lines:
            self.row(table, ((name, "Cover Value"), (role, "Table Text")), height_twips=800)
            tr = table.last_row
            for tc in tr.findall(qn("w:tc")):
                _child(tc.find(qn("w:tcPr")), "w:vAlign", val="bottom")
            # The signature and date spaces, each ruled for a pen, with a gap between the rules.
            for column, ruled in ((2, True), (3, False), (4, True)):
                tc = _el("w:tc")
                tc_pr = _el("w:tcPr")
                tc_pr.append(_el("w:tcW", w=str(table.widths[column]), type="dxa"))
                if ruled:
                    _borders(tc_pr, "w:tcBorders", **underline)
                tc.append(tc_pr)
                tc.append(_el("w:p"))
                tr.append(tc)
        self._gap()

    # Cover, header, footer --------------------------------------------------------------------

    def cover(self) -> None:
        report = self.report
        band = self.table((1.0,), borders={}, margins=(0, 160))
        self.row(band, [(report.partnership_name, "Cover Band")], fills=[ACCENT], height_twips=640)
        _child(band.last_row[-1].find(qn("w:tcPr")), "w:vAlign", val="center")
        gap = self.doc.add_paragraph()
        gap.paragraph_format.space_after = Pt(54)
        self.para(report.title, "Title")
        if report.subtitle.strip():
            self.para(report.subtitle, "Subtitle")
        school = self.para(report.school_name, "Cover School")
        _borders(school._p.get_or_add_pPr(), "w:pBdr", bottom=("single", 16, ACCENT))
        if report.cover_facts:
            table = self.table((0.27, 0.73), borders=_LINES_ALL, margins=(90, 0))
            self.data_rows(table, report.cover_facts, ("Cover Label", "Cover Value"), zebra=False)
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_before = Pt(36)
        box = self.table((1.0,), borders={"left": ("single", 24, ACCENT)}, margins=(110, 200))
        self.row(box, [("Who this report is for", "Callout Title")], fills=[ACCENT_TINT])
        self.row(box, [(report.audience, "Cover Small")], fills=[ACCENT_TINT])
        self.row(box, [("Confidentiality", "Callout Title")], fills=[ACCENT_TINT])
        self.row(box, [(report.confidentiality, "Cover Small")], fills=[ACCENT_TINT])
        self.row(
            box,
            [("Generated on " + model.long_date(report.generated_on), "Page Furniture")],
            fills=[ACCENT_TINT],
        )
        self._page_break()

    def title_block(self) -> None:
        """A compact report's head on its first page: title, school, facts, who it is for."""
        report = self.report
        self.para(report.title, "Heading 1")
        school = report.school_name + (f" · {report.subtitle}" if report.subtitle.strip() else "")
        self.para(school, "Heading 3")
        if report.cover_facts:
            table = self.table((0.3, 0.7), borders=_LINES)
            self.data_rows(table, report.cover_facts, ("Table Label", "Table Text"), zebra=False)
            self._gap()
        self.paras(
            f"Who this report is for: {report.audience}. {report.confidentiality} Generated on "
            f"{model.long_date(report.generated_on)}.",
            "Report Note",
        )

    def furniture(self) -> None:
        for number, section in enumerate(self.doc.sections):
            wide = section.orientation == WD_ORIENT.LANDSCAPE
            self._section_furniture(section, WIDE_TWIPS if wide else TEXT_TWIPS, first=number == 0)

    def _section_furniture(self, section: Any, width: int, *, first: bool) -> None:
        """The running header and footer of one section (each its own: widths differ)."""
        report = self.report
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        _child(p._p.get_or_add_pPr(), "w:pStyle", val=self.style_ids["Page Furniture"])
        _child(p._p.get_or_add_pPr(), "w:tabs").append(_el("w:tab", val="right", pos=str(width)))
        _borders(p._p.get_or_add_pPr(), "w:pBdr", bottom=("single", 4, RULE))
        p.add_run(clean(report.partnership_name))
        p.add_run("\t")
        school = p.add_run(clean(report.school_name))
        school.bold = True
        school.font.color.rgb = _rgb(ACCENT)
        if report.marking:  # "DRAFT" on every page, above the running header
            self._marking(header)
        # The chapter the page is in, at its top (Word fills it in: the PDF says "(continued)"
        # where a chapter runs on; Word's pages fall where Word puts them).
        head = header.add_paragraph()
        _child(head._p.get_or_add_pPr(), "w:pStyle", val=self.style_ids["Running Head"])
        head._p.extend(_field('STYLEREF "Heading 1"', ""))
        footers = [section.footer]
        if first:  # the cover: no running header, the same footer
            section.first_page_header.is_linked_to_previous = False
            if report.marking:
                self._marking(section.first_page_header)
            footers.append(section.first_page_footer)
        for footer in footers:
            footer.is_linked_to_previous = False
            self._footer(footer, width)

    def _marking(self, header: Any) -> None:
        """The report's marking ("DRAFT") as the first line of a header."""
        p = header.paragraphs[0]._p
        marking = _paragraph(self.style_ids["Marking"], clean(self.report.marking).upper())
        p.addprevious(marking)

    def _footer(self, footer: Any, width: int = TEXT_TWIPS) -> None:
        table = footer.add_table(rows=0, cols=2, width=Twips(width))
        tbl_pr = table._tbl.tblPr
        _child(tbl_pr, "w:tblW", w=str(width), type="dxa")
        _child(tbl_pr, "w:tblLayout", type="fixed")
        _borders(tbl_pr, "w:tblBorders", top=("single", 4, RULE))
        widths = [width - 1800, 1800]
        for grid_col, width in zip(
            table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True
        ):
            grid_col.set(qn("w:w"), str(width))
        grid = _Grid(table, tuple(widths))
        self.row(grid, [(self.report.confidentiality, "Page Furniture"), ("", "Page Furniture")])
        tc = grid.last_row.findall(qn("w:tc"))[-1]
        p = tc.find(qn("w:p"))
        p_pr = p.get_or_add_pPr()
        _child(p_pr, "w:pStyle", val=self.style_ids["Page Furniture"])
        _child(p_pr, "w:jc", val="right")
        for piece in ("Page ", ("PAGE", "1"), " of ", ("NUMPAGES", "1")):
            if isinstance(piece, str):
                run = _el("w:r")
                t = _el("w:t")
                t.text = piece
                t.set(_XML_SPACE, "preserve")
                run.append(t)
                p.append(run)
            else:
                p.extend(_field(*piece))
        # Word wants a paragraph after a table in a footer story.
        footer.paragraphs[0]._p.getparent().remove(footer.paragraphs[0]._p)
        footer._element.append(_el("w:p"))

    def properties(self) -> None:
        props = self.doc.core_properties
        report = self.report
        props.title = clean(f"{report.title} - {report.school_name}")
        props.author = clean(report.partnership_name)
        props.subject = clean(report.subtitle)
        props.comments = clean(f"{report.audience}. {report.confidentiality}")
        props.keywords = "peer review; school improvement"
        props.language = "en-GB"
        props.last_modified_by = "PeerReview"
        props.revision = 1
        made = datetime.datetime.combine(report.generated_on, datetime.time(0, 0))
        props.created = made
        props.modified = made


def _paragraph(style_id: str, text: str) -> Any:
    """A ``w:p`` in a paragraph style holding ``text``, newlines as line breaks."""
    p = _el("w:p")
    p_pr = _el("w:pPr")
    p_pr.append(_el("w:pStyle", val=style_id))
    p.append(p_pr)
    _add_text(p, text)
    return p


def _add_text(p: Any, text: str) -> None:
    """One run holding ``text`` at the end of paragraph ``p``, newlines as line breaks."""
    if text:
        run = _el("w:r")
        for number, line in enumerate(text.split("\n")):
            if number:
                run.append(_el("w:br"))
            if line:
                t = _el("w:t")
                t.text = line
                if line[0] == " " or line[-1] == " " or "  " in line:
                    t.set(_XML_SPACE, "preserve")
                run.append(t)
        p.append(run)


def _field(code: str, shown: str) -> list[Any]:
    """The runs of a complex field (``PAGE``, ``NUMPAGES``) with a cached result."""

    def run(child: Any) -> Any:
        r = _el("w:r")
        r.append(child)
        return r

    instruction = _el("w:instrText")
    instruction.text = f" {code} "
    instruction.set(_XML_SPACE, "preserve")
    result = _el("w:t")
    result.text = shown
    return [
        run(_el("w:fldChar", fldCharType="begin")),
        run(instruction),
        run(_el("w:fldChar", fldCharType="separate")),
        run(result),
        run(_el("w:fldChar", fldCharType="end")),
    ]


_LINES: dict[str, tuple[str, int, str] | None] = {
    "top": ("single", 4, RULE),
    "bottom": ("single", 4, RULE),
    "insideH": ("single", 4, RULE),
    "left": None,
    "right": None,
    "insideV": None,
}
_LINES_ALL = _LINES


def render_docx(
    report: model.Report,
    path_or_file: PathOrFile,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> None:
    """Write ``report`` as a Word document (.docx) to a path (replaced only when whole) or file.

    Args:
        report: the report model.
        path_or_file: a file path, or an open binary file to write the document to.
        progress: called with (done, total) as blocks are added.
        cancelled: polled between blocks; when it returns True, :class:`Cancelled` is raised and
            nothing is written.
    """
    writer = _Writer(report)
    total = len(report.blocks) + 2
    if report.compact:
        writer.title_block()
    else:
        writer.cover()
    for index, block in enumerate(report.blocks):
        if cancelled is not None and cancelled():
            raise Cancelled()
        writer.block(block, keep_with_next=model.keeps_with_next(report.blocks, index))
        if progress is not None and index % 8 == 0:
            progress(index + 1, total)
    writer.furniture()
    writer.properties()
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    if cancelled is not None and cancelled():
        raise Cancelled()
    write_output(buffer.getvalue(), path_or_file)
    if progress is not None:
        progress(total, total)
