"""Draw the app icons (PNG, no image library needed): a teal tile with a rising path.

Usage: .venv/bin/python scripts/make_icons.py   (writes assets/icon-192.png, icon-512.png,
icon-maskable-512.png). The maskable one keeps its drawing inside the central safe zone.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
TEAL, WHITE, AMBER = (17, 94, 89), (255, 255, 255), (252, 211, 77)


def _segment_distance(px, py, ax, ay, bx, by) -> float:
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def draw(size: int, inset: float) -> bytes:
    """inset: share of the side kept free around the drawing (0.2 for maskable icons)."""
    def at(u: float, v: float) -> tuple[float, float]:
        return (inset + u * (1 - 2 * inset)) * size, (inset + v * (1 - 2 * inset)) * size

    path = [at(0.12, 0.78), at(0.40, 0.50), at(0.58, 0.66), at(0.86, 0.28)]
    dot = at(0.86, 0.28)
    width = 0.07 * size * (1 - 2 * inset)
    radius = 0.09 * size * (1 - 2 * inset)
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            colour = TEAL
            if min(_segment_distance(x, y, *path[i], *path[i + 1]) for i in range(3)) <= width:
                colour = WHITE
            if ((x - dot[0]) ** 2 + (y - dot[1]) ** 2) ** 0.5 <= radius:
                colour = AMBER
            row += bytes(colour)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


if __name__ == "__main__":
    (ASSETS / "icon-192.png").write_bytes(draw(192, 0.08))
    (ASSETS / "icon-512.png").write_bytes(draw(512, 0.08))
    (ASSETS / "icon-maskable-512.png").write_bytes(draw(512, 0.2))
    print("icons written")
