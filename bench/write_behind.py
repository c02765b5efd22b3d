"""How long the kernel's work after one big write runs at a stretch, with and without asking for
the pages to be written as they are made (``peerreview/sync/storage/writeback.py``, issue 13 (d)).

    perf record -a -e workqueue:workqueue_execute_start -e workqueue:workqueue_execute_end \
        -o wq.data -- python bench/write_behind.py [plain|behind] [GB] [interval seconds]
    perf script -i wq.data   # ext4_end_io_rsv_work: each start/end pair is one piece of it

Writes GB gigabytes (default 2) in 1 MB pieces to a file beside this script, then fsyncs it;
``behind`` calls sync_file_range(SYNC_FILE_RANGE_WRITE) on a read-only descriptor every interval
(default 0.02 s) while writing, as an import does. Linux only.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peerreview.sync.storage import writeback  # noqa: E402


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "behind"
    size = int(float(sys.argv[2] if len(sys.argv) > 2 else 2) * 2**30)
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else writeback.INTERVAL_S
    sync = writeback._SYNC
    if sync is None:
        print("no sync_file_range here (not Linux)")
        return 1
    path = Path(__file__).with_name("write-behind.tmp")
    out = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC)
    ro = os.open(path, os.O_RDONLY)
    stop = threading.Event()

    def behind() -> None:
        while not stop.wait(interval):
            sync(ro, 0, 0, 2)

    thread = threading.Thread(target=behind)
    if mode == "behind":
        thread.start()
    piece = os.urandom(4096) * 256
    started = time.perf_counter()
    try:
        for offset in range(0, size, len(piece)):
            os.pwrite(out, piece, offset)
        written = time.perf_counter() - started
        stop.set()
        if thread.is_alive():
            thread.join()
        os.fsync(out)
        print(f"{mode}: written {written:.2f} s, durable {time.perf_counter() - started:.2f} s")
    finally:
        os.close(ro)
        os.close(out)
        path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
