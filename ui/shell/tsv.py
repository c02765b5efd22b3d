"""Blocks of cells as Excel and Word put them on the clipboard: tab-separated text (and HTML).

Excel writes a block as rows ending in CR LF, cells separated by tabs, and a cell holding a tab,
a line break or a leading double quote wrapped in double quotes (with its own quotes doubled).
Word writes a table the same way without the quotes. Both read an HTML table, which keeps line
breaks inside a cell when pasted into Word.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

Block = list[list[str]]


def _quoted(cell: str) -> str:
    if any(ch in cell for ch in "\t\r\n") or cell.startswith('"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def format_tsv(rows: Sequence[Sequence[str]]) -> str:
    """A block as Excel copies it: CR LF after every row, tabs between cells, quotes as needed."""
    return "".join("\t".join(_quoted(cell) for cell in row) + "\r\n" for row in rows)


def parse_tsv(text: str) -> Block:
    """Rows of cells from tab-separated text (Excel's quoting understood; CR LF, LF or CR ends a
    row). A final line break adds no empty row; empty text is no rows."""
    rows: Block = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    at_start = True  # at the start of a cell
    while i < n:
        ch = text[i]
        if at_start and ch == '"':
            end = _closing_quote(text, i + 1)
            if end is not None:
                quoted = text[i + 1 : end].replace('""', '"')
                cell.append(quoted.replace("\r\n", "\n").replace("\r", "\n"))
                i = end + 1
                at_start = False
                continue
        at_start = False
        if ch == "\t":
            row.append("".join(cell))
            cell = []
            at_start = True
        elif ch in "\r\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
            at_start = True
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
        else:
            cell.append(ch)
        i += 1
    if cell or row or not at_start:  # the last row had no line break after it
        row.append("".join(cell))
        rows.append(row)
    return rows


def _closing_quote(text: str, start: int) -> int | None:
    """Where the quoted cell starting at ``start`` ends (its closing quote, followed by a tab, a
    line break or the end), or None when the quote is not closed: then it is an ordinary
    character, as Excel reads it."""
    i, n = start, len(text)
    while i < n:
        if text[i] == '"':
            if i + 1 < n and text[i + 1] == '"':
                i += 2
                continue
            if i + 1 == n or text[i + 1] in "\t\r\n":
                return i
            return None
        i += 1
    return None


def format_html(rows: Sequence[Sequence[str]]) -> str:
    """A block as an HTML table (Word pastes it as a table, line breaks kept)."""
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(cell).replace(chr(10), '<br>')}</td>" for cell in row)
        + "</tr>"
        for row in rows
    )
    return f'<html><body><table border="1">{body}</table></body></html>'
