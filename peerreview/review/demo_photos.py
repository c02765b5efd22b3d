"""Photos for the demo partnership: scans of observation sheets and pages of pupils' books.

Reviewers photograph what they saw (a page of a Year 4 book, the sheet they filled in on a learning
walk) and attach it to the evidence note. The demo makes small greyscale PNGs of ruled paper with
handwriting-like strokes, each one different (attachments are stored by their SHA-256, so identical
pictures would be one file), with nothing but the standard library.
"""

from __future__ import annotations

import random
import struct
import zlib

from peerreview.progress import CancelCheck, check_cancelled
from peerreview.sync.store import Store

WIDTH, HEIGHT = 360, 480
_PAPER, _RULE, _INK = 0xF4, 0xB8, 0x2C
_CAPTIONS = {
    "Work scrutiny": ("A page of a pupil's book", "Books"),
    "Lesson visit": ("Lesson visit observation sheet", "Sheet"),
    "Learning walk": ("Learning walk notes", "Walk"),
}


def sheet_png(rng: random.Random) -> bytes:
    """A photo of a ruled page with a few lines of writing, as a greyscale PNG."""
    pixels = bytearray([_PAPER]) * (WIDTH * HEIGHT)
    spacing = rng.choice((20, 24, 28))
    margin = rng.randrange(30, 50)
    for y in range(spacing * 2, HEIGHT - 10, spacing):
        pixels[y * WIDTH : (y + 1) * WIDTH] = bytes([_RULE]) * WIDTH
    for x_line in range(0, HEIGHT):  # the margin rule
        pixels[x_line * WIDTH + margin] = _RULE
    lines = rng.randrange(6, (HEIGHT - 40) // spacing)
    for n in range(lines):
        base = spacing * (2 + n) - 3
        x = margin + rng.randrange(6, 16)
        end = WIDTH - rng.randrange(10, 120)
        while x < end:
            word = rng.randrange(8, 40)
            for i in range(min(word, end - x)):
                dy = (i * 7 + rng.randrange(0, 3)) % 9  # a stroke rising and falling
                for y in (base - dy, base - dy - 1):
                    if 0 <= y < HEIGHT:
                        pixels[y * WIDTH + x + i] = _INK
            x += word + rng.randrange(5, 12)
    raw = b"".join(b"\x00" + bytes(pixels[y * WIDTH : (y + 1) * WIDTH]) for y in range(HEIGHT))
    return _png(WIDTH, HEIGHT, zlib.compress(raw, 6))


def _png(width: int, height: int, idat: bytes) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def add_demo_photos(
    store: Store, count: int, rng: random.Random, cancelled: CancelCheck | None = None
) -> int:
    """Attach ``count`` photos to evidence notes of book looks, lesson visits and learning walks."""
    notes = [
        (r.id, r.get("activity"))
        for activity in _CAPTIONS
        for r in store.list("evidence", where={"activity": activity}, order_by="id")
    ]
    if not notes or count <= 0:
        return 0
    chosen = rng.sample(notes, min(count, len(notes)))
    with store.transaction():
        for n, (note, activity) in enumerate(chosen):
            if n % 200 == 0:
                check_cancelled(cancelled)
            caption, stem = _CAPTIONS[str(activity)]
            store.add_attachment(
                note,
                sheet_png(rng),
                filename=f"{stem}-{n + 1:04d}.png",
                media_type="image/png",
                caption=caption,
            )
    return len(chosen)
