"""Writing reports to files: pick the builder for the record's kind, the renderer for the format."""

from __future__ import annotations

import os
from pathlib import Path

from peerreview.errors import PeerReviewError, RecordNotFound, ValidationError
from peerreview.form_library import library as form_library
from peerreview.forms import FormLibrary
from peerreview.progress import CancelCheck, Progress
from peerreview.reports.model import Report
from peerreview.sync.store import Store

FORMATS = ("pdf", "docx")
KINDS = ("review",)


def build_report(
    store: Store, kind: str, record_id: str, *, library: FormLibrary | None = None
) -> Report:
    """The report model of a record."""
    if kind not in KINDS:
        raise ValidationError(f"There is no {kind} report. Choose one of: {', '.join(KINDS)}.")
    if not store.exists(record_id):
        raise RecordNotFound(
            f"There is no {kind} with id {record_id}. List them in the app or with dump."
        )
    rec = store.get(record_id)
    if rec.kind != kind:
        raise ValidationError(f"{record_id} is a {rec.kind}, not a {kind}.")
    lib = library or form_library()
    from peerreview.review.report import build_review_report

    return build_review_report(store, lib, record_id)


def render(
    report: Report,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Render a report model to a file in ``fmt`` (pdf or docx)."""
    if fmt not in FORMATS:
        raise ValidationError(f"Reports can be written as {' or '.join(FORMATS)}, not {fmt}.")
    path = Path(out)
    try:
        if fmt == "pdf":
            from peerreview.reports.pdf import render_pdf

            render_pdf(report, path, progress=progress, cancelled=cancelled)
        else:
            from peerreview.reports.docx import render_docx

            render_docx(report, path, progress=progress, cancelled=cancelled)
    except OSError as exc:
        raise PeerReviewError(
            f"Could not write {path.name} ({exc.strerror or exc}). "
            "Check the folder exists, there is space and the file is not open in another program."
        ) from None
    return path


def write_report(
    store: Store,
    kind: str,
    record_id: str,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    library: FormLibrary | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Build and render one report."""
    return render(
        build_report(store, kind, record_id, library=library),
        fmt,
        out,
        progress=progress,
        cancelled=cancelled,
    )
