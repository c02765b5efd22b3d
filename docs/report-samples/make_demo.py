"""Render a real peer review report from the demo partnership: PDF, Word, and PNGs of its pages.

    .venv/bin/python docs/report-samples/make_demo.py

Builds the small demo in a temporary database, takes its agreed Ofsted-framework review of a
two-day visit, and writes here demo-review.pdf, demo-review.docx and, with pdftoppm, PNGs of the
cover (demo-review-1.png), the first framework area (demo-review-2.png) and the first page of the
evidence log (demo-review-evidence.png). Where LibreOffice is installed it also opens the Word
file, converts it to PDF and writes demo-review-docx-1.png and demo-review-docx-evidence.png, to
show that other word processors read it as it was meant.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from peerreview.demo import build_demo  # noqa: E402
from peerreview.reporting import write_report  # noqa: E402
from peerreview.sync.store import Store  # noqa: E402

sys.path.insert(0, str(HERE))
from make import png_page  # noqa: E402

EVIDENCE = "Appendix: evidence log"


def _page_of(pdf: Path, text: str) -> int:
    pages = PdfReader(pdf).pages
    return next(n for n, page in enumerate(pages, start=1) if text in page.extract_text())


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.init(Path(tmp) / "demo.db", device_name="Demo laptop")
        build_demo(store, "small")
        agreed = [
            r
            for r in store.list("review", order_by="start_date")
            if r["status"] == "agreed" and r["framework_id"] == "review-ofsted"
        ]
        review = next((r for r in agreed if r["start_date"] != r["end_date"]), agreed[-1])
        pdf = write_report(store, "review", review.id, "pdf", HERE / "demo-review.pdf")
        docx = write_report(store, "review", review.id, "docx", HERE / "demo-review.docx")
        store.close()
    if not shutil.which("pdftoppm"):
        print(f"wrote {pdf} and {docx}; pdftoppm is not installed, so no PNGs")
        return
    for old in HERE.glob("demo-review-*.png"):
        old.unlink()
    png_page(pdf, 1, "demo-review-1", resolution=70)
    png_page(pdf, 2, "demo-review-2", resolution=70)
    png_page(pdf, _page_of(pdf, EVIDENCE), "demo-review-evidence", resolution=70)
    print(f"wrote {pdf}, {docx} and PNGs of pages 1, 2 and the evidence log")
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        print("LibreOffice is not installed: the Word file was not opened and checked.")
        return
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", folder, str(docx)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        converted = Path(folder) / "demo-review.pdf"
        png_page(converted, 1, "demo-review-docx-1", resolution=70)
        png_page(
            converted,
            _page_of(converted, EVIDENCE),
            "demo-review-docx-evidence",
            resolution=70,
        )
        pages = len(PdfReader(converted).pages)
    print(f"LibreOffice opened the Word file: {pages} pages; PNGs of its cover and evidence log")


if __name__ == "__main__":
    main()
