"""An import's pages are sent to the disk as they are written (``storage.writeback``), through
SQLite's own file descriptors, until the outermost transaction has committed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from peerreview.demo import build_demo
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.enrolment import enrol
from peerreview.sync.storage import writeback
from peerreview.sync.store import Store

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc/self/fd"), reason="write-behind is Linux only"
)


def descriptors_on(path: Path) -> int:
    """How many of this process's file descriptors are open on ``path``."""
    return len(
        [
            fd
            for fd in os.listdir("/proc/self/fd")
            if os.path.realpath(f"/proc/self/fd/{fd}") == os.path.realpath(path)
        ]
    )


def recording(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Stand in for libc's sync_file_range: the descriptors it was asked to write back."""
    calls: list[int] = []

    def sync(fd: int, offset: int, count: int, flags: int) -> int:
        assert (offset, count, flags) == (0, 0, 2)  # the whole file, start writing, no wait
        calls.append(fd)
        return 0

    monkeypatch.setattr(writeback, "_SYNC", sync)
    return calls


def test_an_import_writes_its_pages_behind_through_sqlites_descriptors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = recording(monkeypatch)
    with Store.init(tmp_path / "a.db", device_name="A") as store:
        before = descriptors_on(store.path)
        with store.import_batch():
            for i in range(50):
                store.db.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?)", [f"test.{i}", "x" * 4000]
                )
            deadline = time.monotonic() + 5
            while len(set(calls)) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            behind = store._behind
            assert behind is not None and behind.running
            # No descriptor of its own on the database: closing one would drop SQLite's locks.
            assert descriptors_on(store.path) == before
            wanted = writeback.open_descriptors(behind.paths)
        assert set(calls) == set(wanted.values())
        assert len(wanted) == 2  # the database file and its write-ahead log
        assert store._behind is None and not behind.running


def test_in_a_batch_it_runs_until_the_batch_has_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording(monkeypatch)
    with Store.init(tmp_path / "a.db", device_name="A") as store:
        with store.transaction():
            with store.import_batch():
                behind = store._behind
            assert behind is not None and behind.running  # the batch's commit is still to come
            with store.import_batch():
                assert store._behind is behind  # one for the batch
        assert not behind.running and store._behind is None


def test_it_stops_when_the_import_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recording(monkeypatch)
    with Store.init(tmp_path / "a.db", device_name="A") as store:
        with pytest.raises(RuntimeError), store.import_batch():
            behind = store._behind
            raise RuntimeError("refused")
        assert behind is not None and not behind.running and store._behind is None


def test_without_sync_file_range_nothing_is_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writeback, "_SYNC", None)
    with Store.init(tmp_path / "a.db", device_name="A") as store:
        with store.import_batch():
            behind = store._behind
            assert behind is not None and not behind.running


def test_a_real_import_with_the_kernels_call_leaves_the_same_database(tmp_path: Path) -> None:
    """libc's own sync_file_range (not a stand-in) during a real import: it only advises."""
    assert writeback._SYNC is not None
    a = Store.init(tmp_path / "a.db", device_name="Laptop A")
    build_demo(a, "small")
    bundle = tmp_path / "all.prbundle"
    export_bundle(a, bundle, full=True, plain=True)
    with Store.init(tmp_path / "b.db", device_name="B", partnership_id=a.partnership_id) as b:
        enrol(a, b)
        report = import_bundle(b, bundle)
        assert report.new > 0 and b._behind is None
        assert len(b.list("school")) == len(a.list("school"))
    a.close()


def test_a_file_written_whole_goes_to_the_disk_piece_by_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ranges: list[tuple[int, int]] = []

    def sync(fd: int, offset: int, count: int, flags: int) -> int:
        assert flags == 2
        assert os.fstat(fd).st_size >= offset + count  # written before it is sent
        ranges.append((offset, count))
        return 0

    monkeypatch.setattr(writeback, "_SYNC", sync)
    monkeypatch.setattr(writeback, "_PIECE", 1000)
    data = os.urandom(2500)
    with open(tmp_path / "f", "wb") as out:
        out.write(b"head")
        writeback.write_all(out, data)
    assert (tmp_path / "f").read_bytes() == b"head" + data
    assert ranges == [(4, 1000), (1004, 1000), (2004, 500)]
