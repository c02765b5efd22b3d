"""The demo's photos: real PNGs, each different, attached to evidence notes, and they travel."""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

from peerreview.demo import build_demo
from peerreview.review.demo import SIZES
from peerreview.review.demo_photos import HEIGHT, WIDTH, sheet_png
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.store import Store


def test_a_sheet_is_a_valid_greyscale_png() -> None:
    data = sheet_png(random.Random(3))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, tag = struct.unpack(">I4s", data[8:16])
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (tag, width, height, depth, colour) == (b"IHDR", WIDTH, HEIGHT, 8, 0)
    (idat_len,) = struct.unpack(">I", data[33:37])
    assert data[37:41] == b"IDAT"
    raw = zlib.decompress(data[41 : 41 + idat_len])
    assert len(raw) == HEIGHT * (WIDTH + 1)
    assert data.endswith(b"IEND\xaeB`\x82")


def test_the_small_demo_attaches_photos_to_evidence_and_they_travel(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "demo.db", device_name="Demo laptop")
    counts = build_demo(store, "small")
    assert counts["attachment"] == SIZES["small"].photos
    photos = store.list("attachment", order_by="id")
    assert len(photos) == SIZES["small"].photos
    assert len({p["sha256"] for p in photos}) == len(photos)  # every picture is its own file
    for p in photos:
        assert store.get(p["owner"]).kind == "evidence"
        assert p["media_type"] == "image/png" and p["caption"]
        assert (store.blob(p["sha256"]) or b"")[:4] == b"\x89PNG"

    bundle = tmp_path / "demo.prbundle"
    assert export_bundle(store, bundle, full=True, plain=True).attachments == len(photos)
    other = Store.init(tmp_path / "other.db", device_name="Coordinator")
    import_bundle(other, bundle)
    assert all(other.blob(p["sha256"]) == store.blob(p["sha256"]) for p in photos)
