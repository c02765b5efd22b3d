"""Reports: a format-free report model, and renderers that lay it out as PDF and Word.

Build a :class:`Report` from blocks, then call :func:`render_pdf` or :func:`render_docx`; both carry
the same content. The renderers are imported on first use, so importing the model stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peerreview.reports.model import (
    NOT_JUDGED,
    Block,
    BulletList,
    Callout,
    Chart,
    Heading,
    Judgement,
    KeyValues,
    Note,
    PageBreak,
    Paragraph,
    Report,
    Series,
    SignOff,
    Table,
    Tone,
    long_date,
)

if TYPE_CHECKING:
    from peerreview.reports.docx import render_docx
    from peerreview.reports.pdf import render_pdf

__all__ = [
    "NOT_JUDGED",
    "Block",
    "BulletList",
    "Callout",
    "Chart",
    "Heading",
    "Judgement",
    "KeyValues",
    "Note",
    "PageBreak",
    "Paragraph",
    "Report",
    "Series",
    "SignOff",
    "Table",
    "Tone",
    "long_date",
    "render_docx",
    "render_pdf",
]


def __getattr__(name: str) -> Any:
    # reportlab and python-docx take a while to import; only pay for the renderer asked for.
    if name == "render_pdf":
        from peerreview.reports.pdf import render_pdf

        return render_pdf
    if name == "render_docx":
        from peerreview.reports.docx import render_docx

        return render_docx
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
