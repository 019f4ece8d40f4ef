"""Real recordings for the voice tests (tests/fixtures), and longer ones made from them.

- voice-chromium-2s.webm: Chromium's MediaRecorder (audio/webm;codecs=opus), fake microphone,
  about 2 s; written live: no Duration, Segment and Clusters of unknown size.
- voice-chromium-2s.mp4: Chromium's MediaRecorder (audio/mp4): fragmented MP4 with Opus, whose
  moov says a length of 0; the sound is in its fragments.
- voice-ffmpeg-aac-2s.m4a, voice-ffmpeg-aac-2s-fragmented.mp4: AAC in MP4 (Safari's codec),
  whole and in fragments of half a second, as ffmpeg writes them from a 2 s tone.
- voice-opusenc-2s.ogg: Ogg/Opus as opus-tools' opusenc writes it, from a 2 s tone.
"""

from __future__ import annotations

from pathlib import Path

import ebmlite

FIXTURES = Path(__file__).parent / "fixtures"
# file name: (type, how long it was recorded, in ms)
RECORDINGS = {
    "voice-chromium-2s.webm": ("audio/webm", 2000),
    "voice-chromium-2s.mp4": ("audio/mp4", 2000),
    "voice-ffmpeg-aac-2s.m4a": ("audio/mp4", 2000),
    "voice-ffmpeg-aac-2s-fragmented.mp4": ("audio/mp4", 2000),
    "voice-opusenc-2s.ogg": ("audio/ogg", 2000),
}
WEBM = (FIXTURES / "voice-chromium-2s.webm").read_bytes()
MP4 = (FIXTURES / "voice-chromium-2s.mp4").read_bytes()
M4A = (FIXTURES / "voice-ffmpeg-aac-2s.m4a").read_bytes()
OGG = (FIXTURES / "voice-opusenc-2s.ogg").read_bytes()


def webm_moved_by(data: bytes, ms: int) -> bytes:
    """The same WebM with its last Cluster `ms` later: as long as the sound would be if the
    phone had recorded that much more (a forger's way to make a short file play long). A live
    recorder's Clusters have no size, so the Timecode may take more bytes."""
    segment = next(el for el in ebmlite.loadSchema("matroska.xml").loads(data) if el.name == "Segment")
    cluster = [el for el in segment if el.name == "Cluster"][-1]
    timecode = next(el for el in cluster if el.name == "Timecode")
    moved = b"\xe7\x84" + (timecode.value + ms).to_bytes(4, "big")
    return data[:timecode.offset] + moved + data[timecode.payloadOffset + timecode.size:]


def webm_padded_to(data: bytes, size: int) -> bytes:
    """The same WebM made `size` bytes long by an EBML Void element at its end (room a player skips)."""
    room = size - len(data) - 9  # the Void's id (1 byte) and size (8 bytes)
    return data + b"\xec\x01" + room.to_bytes(7, "big") + b"\x00" * room
