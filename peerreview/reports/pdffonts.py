"""The font embedded in PDF reports, and turning typed text into what reportlab can draw.

DejaVu Sans (shipped in ``resources/fonts``) covers Latin, Welsh, Greek, Cyrillic and many symbols.
What it cannot draw is shown as a visible placeholder rather than a blank or a crash.
"""

from __future__ import annotations

import functools
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from peerreview.paths import package_data
from peerreview.reports.text import clean

FONT = "PeerReviewSans"
FONT_BOLD = "PeerReviewSans-Bold"
#: Shown in place of a character the embedded font has no glyph for (most emoji, CJK).
PLACEHOLDER = "\u25a1"


@functools.cache
def register_fonts() -> frozenset[int]:
    """Register DejaVu Sans (regular, bold; italics map to them) once per process.

    Returns:
        The code points both faces can draw.
    """
    folder = package_data("resources") / "fonts"
    regular = TTFont(FONT, str(folder / "DejaVuSans.ttf"))
    bold = TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    # DejaVu Sans ships no italic: <i> must not fail, so italic maps to the upright faces.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    covered = frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)
    return covered | {0x0A}


# Characters that only modify the one before them (emoji joiners, variation selectors, skin
# tones, tag characters): after a placeholder they are dropped with the character they modify.
def _is_modifier(code: int) -> bool:
    return (
        code in (0x200D, 0xFE0E, 0xFE0F, 0x20E3)
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def printable(text: str) -> str:
    """Cleaned text with every character the embedded font cannot draw shown as a placeholder."""
    text = clean(text)
    if text.isascii():
        return text
    covered = register_fonts()
    out: list[str] = []
    after_missing = False
    joining = False
    for char in text:
        code = ord(char)
        if after_missing and _is_modifier(code):
            joining = code == 0x200D
            continue
        # Outside the Basic Multilingual Plane (emoji) reportlab writes a broken ToUnicode map,
        # which would make the PDF's text unsearchable: draw those as the placeholder too.
        if code in covered and code <= 0xFFFF:
            out.append(char)
            after_missing = joining = False
        elif joining:  # the next part of a joined emoji sequence: one placeholder for all
            joining = False
        else:
            out.append(PLACEHOLDER)
            after_missing = True
    return "".join(out)


def markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, newlines as line breaks."""
    return escape(printable(text)).replace("\n", "<br/>")
