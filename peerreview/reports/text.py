"""Text helpers shared by the renderers: cleaning what people typed, and cutting long text to fit.

Teachers paste from email, Word and phones: control characters, odd line endings, decomposed
accents and text far longer than a table cell can hold on one page. Everything here is pure.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence

# Characters XML 1.0 cannot hold (python-docx would raise), lone surrogates, non-characters, and
# the C1 controls (legal XML, but invisible junk from pasted text).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n|\r|\x85|\u2028")
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")

#: A table row is kept whole unless it is taller than this share of a page; then its long cells
#: are cut into pieces of about CELL_PAGE_SHARE of a page (both renderers use these).
ROW_PAGE_SHARE = 0.45
CELL_PAGE_SHARE = 0.25


def clean(text: str) -> str:
    """Text safe for any renderer: NFC, ``\\n`` line endings, tabs as spaces, no control characters.

    NFC first, so a "w" typed with a combining circumflex becomes the one character the font has.
    """
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        text = text.replace("\u2029", "\n\n")
    if "\r" in text or "\x85" in text or "\u2028" in text:
        text = _NEWLINES.sub("\n", text)
    if "\t" in text:
        text = text.replace("\t", "    ")
    return _ILLEGAL.sub("", text)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of cleaned text: split at blank lines; single newlines stay as line breaks."""
    text = clean(text).strip()
    if not text:
        return []
    if "\n" not in text:
        return [text]
    parts = (part.strip("\n") for part in _BLANK_LINES.split(text))
    return [part.rstrip() for part in parts if part.strip()]


def estimate_lines(text: str, chars_per_line: int) -> int:
    """How many lines ``text`` takes in a column ``chars_per_line`` characters wide (roughly)."""
    return sum(max(1, math.ceil(len(line) / chars_per_line)) for line in text.split("\n"))


def chunk_text(text: str, chars_per_line: int, max_lines: int) -> list[str]:
    """Cut text into pieces of at most about ``max_lines`` lines each, at the gentlest break.

    Breaks at paragraph ends first, then line breaks, then sentence ends, then spaces, and only as
    a last resort inside a word. Used so that no table cell is taller than a page.

    Returns:
        At least one piece; joining them with their original separators gives back the text.
    """
    chars_per_line = max(4, chars_per_line)
    max_lines = max(2, max_lines)
    if len(text) <= chars_per_line * max_lines // 2 and text.count("\n") < max_lines // 2:
        return [text]
    if estimate_lines(text, chars_per_line) <= max_lines:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    lines = 0.0
    for sep, piece in _units(text, chars_per_line, max_lines):
        if sep == " ":
            cost = (len(piece) + 1) / chars_per_line
        else:
            cost = estimate_lines(piece, chars_per_line) + (1 if sep == "\n\n" else 0)
        if current and lines + cost > max_lines:
            chunks.append("".join(current).strip())
            current, lines = [piece], float(estimate_lines(piece, chars_per_line))
        else:
            current.append(sep + piece if current else piece)
            lines += cost
    if current:
        chunks.append("".join(current).strip())
    return [chunk for chunk in chunks if chunk] or [""]


def _units(text: str, cpl: int, max_lines: int) -> Iterator[tuple[str, str]]:
    """(separator before it, piece) pairs, each piece small enough to fit ``max_lines``."""
    levels: tuple[tuple[str, re.Pattern[str] | None], ...] = (
        ("\n\n", _BLANK_LINES),
        ("\n", re.compile("\n")),
        (" ", _SENTENCE_END),
        (" ", re.compile(r"\s+")),
    )

    def split(piece: str, level: int, sep: str) -> Iterator[tuple[str, str]]:
        if estimate_lines(piece, cpl) <= max_lines or level > len(levels):
            yield sep, piece
            return
        if level == len(levels):
            # One word longer than the whole budget: cut it into hard slices.
            size = cpl * max_lines
            for start in range(0, len(piece), size):
                yield (sep if start == 0 else ""), piece[start : start + size]
            return
        inner_sep, pattern = levels[level]
        assert pattern is not None
        parts = [p for p in pattern.split(piece) if p]
        if len(parts) <= 1:
            yield from split(piece, level + 1, sep)
            return
        for i, part in enumerate(parts):
            yield from split(part, level + 1, sep if i == 0 else inner_sep)

    yield from split(text, 0, "")


def split_row(
    cells: Sequence[str], chars_per_line: Sequence[int], row_lines: int, piece_lines: int
) -> list[tuple[str, ...]]:
    """One logical table row as the rows it is drawn as, so that no row is taller than a page.

    A row is kept whole (rows never split inside, as a school expects of a table) unless its
    tallest cell is over ``row_lines`` lines. Then each cell longer than ``piece_lines`` is cut
    into pieces of about that many lines, and the short cells stay whole in the first row.

    Args:
        cells: the cleaned text of each cell.
        chars_per_line: about how many characters fit on a line of each cell.
        row_lines: the tallest a row may be before it is cut (a large share of a page).
        piece_lines: how tall the pieces of a cut cell are.

    Returns:
        One tuple of cell texts per row drawn; empty strings where a cell has no more text.
    """
    chars_per_line = [max(4, cpl) for cpl in chars_per_line]
    if all(
        estimate_lines(text, cpl) <= row_lines
        for text, cpl in zip(cells, chars_per_line, strict=True)
    ):
        return [tuple(cells)]
    pieces = [
        chunk_text(text, cpl, piece_lines) if text else [""]
        for text, cpl in zip(cells, chars_per_line, strict=True)
    ]
    count = max(len(p) for p in pieces)
    return [tuple(p[i] if i < len(p) else "" for p in pieces) for i in range(count)]


#: A token longer than this (a URL, a pasted code) may be broken inside; shorter ones never are.
LONGEST_UNBROKEN = 40


def widest_word(texts: Iterable[str], measure: Callable[[str], float]) -> float:
    """The width of the widest word in ``texts`` that must never be broken (0 for none).

    Overlong tokens (over LONGEST_UNBROKEN characters) do not count: they may break.
    Both renderers size table columns with this, each with its own font's ``measure``.
    """
    return max(
        (
            measure(word)
            for text in texts
            for word in clean(text).split()
            if len(word) <= LONGEST_UNBROKEN
        ),
        default=0.0,
    )


def fit_widths(widths: Sequence[float], needed: Sequence[float]) -> list[float]:
    """Column widths widened to at least ``needed``, the room taken from columns with spare.

    Each column too narrow for its longest word gets that word's width; the columns with room to
    spare (the text columns) give it up in proportion to their spare, so the total is unchanged.
    When even the needs do not fit, they are shrunk together to the total.
    """
    total = float(sum(widths))
    need_total = float(sum(needed))
    if need_total >= total:
        return [total * n / need_total for n in needed] if need_total else list(widths)
    out = [max(w, n) for w, n in zip(widths, needed, strict=True)]
    deficit = sum(out) - total
    if deficit <= 0:
        return out
    spare = [o - n for o, n in zip(out, needed, strict=True)]
    spare_total = sum(spare)  # >= deficit, since the needs fit in the total
    return [o - deficit * s / spare_total for o, s in zip(out, spare, strict=True)]
