"""Seeing and printing a review report: pages as pictures, the preview window, printing.

PySide6-Essentials has no QtPdf, so the preview and printing rasterise the PDF with ``pdftoppm``
(poppler) when it is installed, in the worker thread. Without it, the preview opens the PDF in the
laptop's own viewer, and printing lays the report's text out with a QTextDocument.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peerreview.errors import PeerReviewError
from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.reporting import render
from peerreview.reports import model as m


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def page_images(
    report: m.Report,
    folder: Path,
    *,
    dpi: int = 110,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> tuple[Path, list[Path]]:
    """Render the report as a PDF in ``folder`` and, when pdftoppm exists, each page as a PNG.

    Runs in the worker thread (no widgets). Returns the PDF and the page pictures in order.
    """
    folder.mkdir(parents=True, exist_ok=True)
    pdf = render(report, "pdf", folder / "report.pdf", progress=progress, cancelled=cancelled)
    tool = pdftoppm()
    if tool is None:
        return pdf, []
    check_cancelled(cancelled)
    for old in folder.glob("page-*.png"):
        old.unlink()
    try:
        subprocess.run(
            [tool, "-png", "-r", str(dpi), str(pdf), str(folder / "page")],
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise PeerReviewError(
            f"Could not draw the report's pages ({exc}). Save it as a PDF and open that instead."
        ) from None
    return pdf, sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))


def print_pages(printer: QPrinter, pages: list[Path]) -> int:
    """Print page pictures, each scaled to the printable area; returns how many were printed."""
    painter = QPainter()
    if not painter.begin(printer):
        raise PeerReviewError(
            "The printer could not be started. Check it is switched on and "
            "connected, then try again."
        )
    done = 0
    try:
        for n, path in enumerate(pages):
            image = QImage(str(path))
            if image.isNull():
                continue
            if n:
                printer.newPage()
            area = painter.viewport()
            size = image.size()
            size.scale(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(QRect(area.x(), area.y(), size.width(), size.height()))
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
            painter.setWindow(QRect(0, 0, area.width(), area.height()))
            done += 1
    finally:
        painter.end()
    return done


def report_html(report: m.Report) -> str:
    """The report as simple HTML (for printing without pdftoppm); every text is escaped."""

    def esc(text: str) -> str:
        return html.escape(text).replace("\n", "<br>")

    out = [
        f"<h1>{esc(report.title)}</h1>",
        f"<h2>{esc(report.school_name)}</h2>",
        f"<p>{esc(report.subtitle)}</p>",
        f"<p><i>{esc(report.audience)}</i></p>",
        f"<p><b>{esc(report.confidentiality)}</b></p>",
        "<table cellpadding='4'>",
    ]
    out += [f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>" for k, v in report.cover_facts]
    out.append("</table>")
    for block in report.blocks:
        if isinstance(block, m.Heading):
            out.append(f"<h{block.level + 1}>{esc(block.text)}</h{block.level + 1}>")
        elif isinstance(block, m.Paragraph | m.Note):
            out.append(f"<p>{esc(block.text)}</p>")
        elif isinstance(block, m.BulletList):
            out.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, m.KeyValues):
            out.append(
                "<p>" + "<br>".join(f"<b>{esc(k)}:</b> {esc(v)}" for k, v in block.pairs) + "</p>"
            )
        elif isinstance(block, m.Table):
            rows = "".join(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in block.rows
            )
            head = "".join(f"<th>{esc(c)}</th>" for c in block.columns)
            out.append(f"<table border='1' cellpadding='3'><tr>{head}</tr>{rows}</table>")
        elif isinstance(block, m.Judgement):
            out.append(
                f"<p><b>{esc(block.area)}: {esc(block.shown_value)}</b><br>"
                f"{esc(block.rationale)}</p>"
            )
        elif isinstance(block, m.Callout):
            out.append(f"<p><b>{esc(block.title)}</b><br>{esc(block.text)}</p>")
        elif isinstance(block, m.SignOff):
            out += [
                f"<p>{esc(role)}: {esc(name)} &nbsp; Signed ______________ Date ________</p>"
                for name, role in block.lines
            ]
    out.append(
        f"<p><small>{esc(report.partnership_name)}. {esc(report.confidentiality)}</small></p>"
    )
    return "\n".join(out)


def print_text(printer: QPrinter, report: m.Report) -> None:
    doc = QTextDocument()
    doc.setHtml(report_html(report))
    doc.print_(printer)


class ReportPreview(QWidget):
    """A window showing the report's pages as they will print (not modal: keep working)."""

    def __init__(
        self, pdf: Path, pages: list[Path], title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.pdf = pdf
        self.setWindowTitle(f"Preview: {title}")
        self.setAccessibleName("Report preview")
        # An A4 page's shape, as large as the screen allows (a laptop's is 768 pixels high).
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 900, 1000
        if screen is not None:
            height = min(height, screen.height() - 80)
            width = min(width, screen.width() - 40, int(height * 0.9))
        self.resize(width, height)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        count = len(pages)
        top.addWidget(
            QLabel(
                f"{count} page{'s' if count != 1 else ''}. This is a preview; "
                "save or print the report from the Report tab."
            )
        )
        top.addStretch(1)
        open_button = QPushButton("Open in PDF viewer")
        open_button.setAccessibleName("Open in PDF viewer")
        open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf)))
        )
        top.addWidget(open_button)
        close = QPushButton("Close")
        close.setShortcut("Esc")
        close.clicked.connect(self.close)
        top.addWidget(close)
        layout.addLayout(top)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Pages")
        body = QWidget()
        body.setObjectName("previewPages")
        body.setStyleSheet("QWidget#previewPages { background: #6b6f75; }")
        column = QVBoxLayout(body)
        column.setSpacing(18)
        column.setContentsMargins(24, 24, 24, 24)
        self.page_labels: list[QLabel] = []
        self._pixmaps: list[QPixmap] = []
        for n, path in enumerate(pages, start=1):
            page = QLabel()
            self._pixmaps.append(QPixmap(str(path)))
            page.setPixmap(self._pixmaps[-1])
            page.setAccessibleName(f"Page {n}")
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.setStyleSheet("background: white;")
            column.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(page)
        column.addStretch(1)
        scroll.setWidget(body)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages_area = scroll
        layout.addWidget(scroll, 1)
        self._fitted = 0

    def _fit_pages(self) -> None:
        """Each page as wide as the window allows (never wider than it was drawn)."""
        room = self.pages_area.viewport().width() - 48 - 4
        if room <= 0 or room == self._fitted:
            return
        self._fitted = room
        for label, pixmap in zip(self.page_labels, self._pixmaps, strict=True):
            if pixmap.isNull():
                continue
            shown = (
                pixmap
                if pixmap.width() <= room
                else pixmap.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
            )
            label.setPixmap(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_pages()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_pages()
