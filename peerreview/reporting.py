"""Writing reports to files: the feature's builder makes the model, a renderer writes the format."""

from __future__ import annotations

import os
from pathlib import Path

from peerreview.errors import PeerReviewError, RecordNotFound, ValidationError
from peerreview.forms import FormLibrary
from peerreview.progress import CancelCheck, Progress
from peerreview.reports.model import Report
from peerreview.sync.registry import ReportRequest
from peerreview.sync.store import Store

FORMATS = ("pdf", "docx")


def build_report(
    store: Store,
    kind: str,
    record_id: str | None = None,
    *,
    library: FormLibrary | None = None,
    request: ReportRequest | None = None,
) -> Report:
    """The report model called ``kind`` (one a feature offers) of a record, a school or a year."""
    builder = store.registry.report(kind)
    request = request or ReportRequest(record_id=record_id)
    if builder.record_kind is not None:
        rid = request.record_id
        if rid is None:
            raise ValidationError(f"Say which {store.registry.label(builder.record_kind)} (--id).")
        if not store.exists(rid):
            raise RecordNotFound(
                f"There is no {kind} with id {rid}. List them in the app or with dump."
            )
        rec = store.get(rid)
        if rec.kind != builder.record_kind:
            raise ValidationError(f"{rid} is a {rec.kind}, not a {builder.record_kind}.")
    if library is None:
        from peerreview.form_library import library as form_library

        library = form_library()
    return builder.build(store, library, request)


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
    record_id: str | None,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    library: FormLibrary | None = None,
    request: ReportRequest | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Build and render one report."""
    return render(
        build_report(store, kind, record_id, library=library, request=request),
        fmt,
        out,
        progress=progress,
        cancelled=cancelled,
    )
