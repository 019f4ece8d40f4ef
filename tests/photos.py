"""Photos of a certificate for the hours tests (tests/fixtures): a PNG and a JPEG as a phone's
camera would send them, made with Pillow, a page with a heading and ruled lines."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
PNG_PHOTO = (FIXTURES / "certificate.png").read_bytes()
JPEG_PHOTO = (FIXTURES / "certificate.jpg").read_bytes()
