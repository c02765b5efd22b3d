"""Render a real peer review report from the demo partnership: PDF, Word, and PNGs of its pages.

    .venv/bin/python docs/report-samples/make_demo.py

Writes demo-review.pdf, demo-review.docx and demo-review-N.png (pages 1-3, via pdftoppm) here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from peerreview.demo import build_demo  # noqa: E402
from peerreview.reporting import write_report  # noqa: E402
from peerreview.store import Store  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.init(Path(tmp) / "demo.db", device_name="Demo laptop")
        build_demo(store, "small")
        review = next(
            r for r in store.list("review")
            if r["status"] == "agreed" and r["framework_id"] == "review-ofsted"
        )
        pdf = write_report(store, "review", review.id, "pdf", HERE / "demo-review.pdf")
        write_report(store, "review", review.id, "docx", HERE / "demo-review.docx")
        store.close()
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(HERE / "demo-review")],
            check=True,
        )
    print(f"wrote {pdf} and its pages")


if __name__ == "__main__":
    main()
