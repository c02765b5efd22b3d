"""The fonts embedded in PDF reports, and turning typed text into what reportlab can draw.

DejaVu Sans (shipped in ``resources/fonts``) covers Latin, Welsh, Greek, Cyrillic and many symbols.
Symbola (a monochrome symbol font, cut down to its symbol and emoji blocks) draws the emoji
teachers type ("Great lesson 👍"): :func:`markup` switches to it for each run of characters
DejaVu lacks or that are emoji. What neither can draw (CJK, Arabic) is shown as a visible
placeholder rather than a blank or a crash.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from peerreview.paths import package_data
from peerreview.reports.text import clean

FONT = "PeerReviewSans"
FONT_BOLD = "PeerReviewSans-Bold"
SYMBOLS = "PeerReviewSymbols"
#: Shown in place of a character no embedded font has a glyph for (CJK, Arabic, new emoji).
PLACEHOLDER = "\u25a1"

_FIVE_HEX = re.compile(r"<([0-9A-Fa-f]{2})> <([0-9A-Fa-f]{5,6})>")


def _utf16_hex(match: re.Match[str]) -> str:
    code = int(match[2], 16) - 0x10000
    high, low = 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)
    return f"<{match[1]}> <{high:04X}{low:04X}>"


class _TTFont(TTFont):
    """reportlab's TrueType font, with a text map that is right beyond U+FFFF.

    reportlab writes the ToUnicode entry of a character outside the Basic Multilingual Plane as
    five hex digits (``<1F44D>``); a PDF wants its UTF-16 code units (``<D83DDC4D>``), and viewers
    that meet the odd length drop the whole map, which makes the PDF's text unsearchable. Only
    our fonts' maps are corrected (no process-wide patch of reportlab).
    """

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's name
        before = set(doc.idToObject)
        super().addObjects(doc)
        for name in set(doc.idToObject) - before:
            if name.startswith("toUnicodeCMap:"):
                stream = doc.idToObject[name]
                stream.content = _FIVE_HEX.sub(_utf16_hex, stream.content)


def bold_font_file() -> Path:
    """The bold face's TrueType file (page furniture drawn as its glyphs' shapes)."""
    return package_data("resources") / "fonts" / "DejaVuSans-Bold.ttf"


@functools.cache
def register_fonts() -> frozenset[int]:
    """Register DejaVu Sans (regular, bold; italics map to them) once per process.

    Returns:
        The code points both faces can draw.
    """
    folder = package_data("resources") / "fonts"
    regular = _TTFont(FONT, str(folder / "DejaVuSans.ttf"))
    bold = _TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    # DejaVu Sans ships no italic: <i> must not fail, so italic maps to the upright faces.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    covered = frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)
    return covered | {0x0A}


@functools.cache
def register_symbols() -> frozenset[int]:
    """Register Symbola the first time a report needs it (it is 1.5 MB to read).

    Returns:
        The code points it can draw (its zero-width joiners and selectors included).
    """
    font = _TTFont(SYMBOLS, str(package_data("resources") / "fonts" / "Symbola.ttf"))
    pdfmetrics.registerFont(font)
    # One face only: bold and italic text draws its emoji upright and regular.
    pdfmetrics.registerFontFamily(
        SYMBOLS, normal=SYMBOLS, bold=SYMBOLS, italic=SYMBOLS, boldItalic=SYMBOLS
    )
    return frozenset(font.face.charToGlyph)


def _is_emoji(code: int) -> bool:
    # From Symbola even where DejaVu has a glyph (its emoticons), so all emoji look alike.
    return 0x1F000 <= code <= 0x1FAFF


# Characters that only modify the one before them. The invisible ones (joiner, variation
# selectors, keycap) stay in a Symbola run so the text reads back as typed; skin tones (a visible
# swatch in Symbola) and tag characters are dropped; after a placeholder all of them are dropped
# with the character they modify, so a joined emoji sequence is one placeholder, not five.
_INVISIBLE = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3})


def _is_modifier(code: int) -> bool:
    return code in _INVISIBLE or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F


def runs(text: str, *, symbols: bool = True) -> list[tuple[bool, str]]:
    """Cleaned text as (in the symbol font?, text) runs; what no font draws is a placeholder.

    With ``symbols=False`` everything DejaVu lacks is a placeholder (for page furniture, drawn
    in one font).
    """
    text = clean(text)
    if text.isascii():
        return [(False, text)] if text else []
    covered = register_fonts()
    out: list[tuple[bool, list[str]]] = []

    def put(in_symbols: bool, char: str) -> None:
        if out and out[-1][0] == in_symbols:
            out[-1][1].append(char)
        else:
            out.append((in_symbols, [char]))

    previous = ""  # how the last character was drawn: "font", "symbols" or "missing"
    joining = False
    for char in text:
        code = ord(char)
        if previous and _is_modifier(code):
            if previous == "symbols" and code in _INVISIBLE:
                put(True, char)
            elif previous == "font" and code in covered:
                put(False, char)
            joining = code == 0x200D and previous == "missing"
            continue
        if joining:  # the next part of a joined sequence no font draws: one placeholder for all
            joining = False
            continue
        if code in covered and not (symbols and _is_emoji(code)):
            put(False, char)
            previous = "font"
        elif symbols and code in register_symbols():
            put(True, char)
            previous = "symbols"
        elif code in covered:
            put(False, char)
            previous = "font"
        else:
            put(False, PLACEHOLDER)
            previous = "missing"
    return [(in_symbols, "".join(chars)) for in_symbols, chars in out]


def printable(text: str) -> str:
    """Cleaned text as drawn in DejaVu alone: each character it lacks is a placeholder.

    For what is drawn in one font (the running header, the footer) and for metadata.
    """
    return "".join(chunk for _, chunk in runs(text, symbols=False))


def markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, emoji in Symbola, newlines as breaks."""
    parts = []
    for in_symbols, chunk in runs(text):
        body = escape(chunk).replace("\n", "<br/>")
        parts.append(f'<font name="{SYMBOLS}">{body}</font>' if in_symbols else body)
    return "".join(parts)
