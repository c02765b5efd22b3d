"""Page furniture drawn as shapes rather than text: "(continued)" at the top of a page.

What a page says about its own layout is not the report's content: PDF/UA asks that it be an
artifact, skipped by screen readers and by copying text; drawn as the glyphs' outlines it is one,
and the PDF's words stay exactly the report's words (the Word file, laid out by Word, cannot know
where its pages break, so it has no such line). The outlines are read from the report's own
TrueType font (DejaVu: every glyph of the label is a simple one, no composites).
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFontFile
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

Point = tuple[float, float, bool]  # x, y, on the curve


@functools.cache
def _font(path: str) -> TTFontFile:
    return TTFontFile(path)


def _contours(font: TTFontFile, glyph: int) -> list[list[Point]]:
    """A simple glyph's contours in font units (a composite or empty glyph: none)."""
    positions = font.glyphPos
    start, end = positions[glyph], positions[glyph + 1]
    if end <= start:
        return []
    table: bytes = font.get_table("glyf")  # type: ignore[no-untyped-call]
    data = table[start:end]
    (count,) = struct.unpack(">h", data[:2])
    if count <= 0:
        return []
    at = 10
    ends = struct.unpack(f">{count}H", data[at : at + 2 * count])
    at += 2 * count
    (skip,) = struct.unpack(">H", data[at : at + 2])
    at += 2 + skip
    total = ends[-1] + 1
    flags: list[int] = []
    while len(flags) < total:
        flag = data[at]
        at += 1
        flags.append(flag)
        if flag & 8:  # repeated
            flags += [flag] * data[at]
            at += 1
    coords: list[list[int]] = [[], []]
    for axis, (short, same) in enumerate(((2, 16), (4, 32))):
        value = 0
        for flag in flags[:total]:
            if flag & short:
                delta = data[at]
                at += 1
                value += delta if flag & same else -delta
            elif not flag & same:
                (delta,) = struct.unpack(">h", data[at : at + 2])
                at += 2
                value += delta
            coords[axis].append(value)
    points = [(float(x), float(y), bool(f & 1)) for x, y, f in zip(*coords, flags, strict=False)]
    out, first = [], 0
    for last in ends:
        out.append(points[first : last + 1])
        first = last + 1
    return out


def width_of(text: str, font_path: Path, size: float) -> float:
    font = _font(str(font_path))
    advances = sum(_advance(font, font.charToGlyph.get(ord(ch), 0)) for ch in text)
    return float(advances * size / font.unitsPerEm)


def _advance(font: TTFontFile, glyph: int) -> float:
    metrics = font.hmetrics
    return float(metrics[glyph][0] if glyph < len(metrics) else font.defaultWidth)


def draw_shapes(
    canvas: Canvas, text: str, font_path: Path, size: float, x: float, y: float
) -> float:
    """Draw ``text`` at (x, y) as filled outlines in the canvas's fill colour; its width."""
    font = _font(str(font_path))
    scale = size / font.unitsPerEm
    path = canvas.beginPath()
    pen: float = 0.0
    for ch in text:
        glyph = font.charToGlyph.get(ord(ch), 0)
        for contour in _contours(font, glyph):
            _trace(path, contour, x + pen * scale, y, scale)
        pen += _advance(font, glyph)
    canvas.drawPath(path, stroke=0, fill=1)
    return float(pen * scale)


Place = Callable[[tuple[float, float]], tuple[float, float]]


def _trace(p: PDFPathObject, contour: list[Point], ox: float, oy: float, scale: float) -> None:
    """One closed contour of quadratic B-splines, as moves, lines and cubic curves."""

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return ox + point[0] * scale, oy + point[1] * scale

    if not contour:
        return
    n = len(contour)
    start = next((i for i, pt in enumerate(contour) if pt[2]), None)
    if start is None:  # every point off the curve: begin between the first two
        a, b = contour[0], contour[1 % n]
        first: tuple[float, float] = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        start = 0
    else:
        first = contour[start][:2]
    p.moveTo(*at(first))
    current = first
    control: tuple[float, float] | None = None
    for step in range(1, n + 1):
        x, y, on = contour[(start + step) % n]
        if on:
            if control is None:
                p.lineTo(*at((x, y)))
            else:
                _quad(p, current, control, (x, y), at)
                control = None
            current = (x, y)
        else:
            if control is not None:
                middle = ((control[0] + x) / 2, (control[1] + y) / 2)
                _quad(p, current, control, middle, at)
                current = middle
            control = (x, y)
    if control is not None:
        _quad(p, current, control, first, at)
    p.close()


def _quad(
    path: PDFPathObject,
    p0: tuple[float, float],
    c: tuple[float, float],
    p1: tuple[float, float],
    at: Place,
) -> None:
    """A quadratic curve as the cubic that draws it."""
    c1 = (p0[0] + 2 / 3 * (c[0] - p0[0]), p0[1] + 2 / 3 * (c[1] - p0[1]))
    c2 = (p1[0] + 2 / 3 * (c[0] - p1[0]), p1[1] + 2 / 3 * (c[1] - p1[1]))
    path.curveTo(*at(c1), *at(c2), *at(p1))
