"""Real recordings for the voice tests (tests/fixtures), and longer ones made from them.

- voice-chromium-2s.webm: Chromium 156's MediaRecorder (audio/webm;codecs=opus, a quarter-second
  timeslice as the app asks, 16 kbit/s to keep it small), fake microphone, about 2 s; written
  live: no Duration, a Segment and 7 Clusters of unknown size.
- voice-chromium-2s.mp4: the same recorder asked for audio/mp4: fragmented MP4 with Opus, whose
  moov says a length of 0; the sound is in its 7 fragments.
- voice-ffmpeg-aac-2s.m4a, voice-ffmpeg-aac-2s-fragmented.mp4: AAC in MP4 (Safari's codec),
  whole and in fragments of half a second, as ffmpeg writes them from a 2 s tone.
- voice-opusenc-2s.ogg: Ogg/Opus as opus-tools' opusenc writes it, from a 2 s tone.
"""

from __future__ import annotations

from pathlib import Path

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


def webm_elements(data: bytes, pos: int):
    """(id, start, payload start, size) of the EBML elements from `pos` to the end of their
    parent; a size of all ones ("unknown", as a live recorder writes) is None."""
    while pos < len(data):
        width = 8 - data[pos].bit_length() + 1  # the id's length is in its first byte
        element_id, at = int.from_bytes(data[pos:pos + width], "big"), pos + width
        width = 8 - data[at].bit_length() + 1
        size = int.from_bytes(data[at:at + width], "big") & ((1 << 7 * width) - 1)
        payload = at + width
        yield element_id, pos, payload, (None if size == (1 << 7 * width) - 1 else size)
        if size == (1 << 7 * width) - 1:
            return
        pos = payload + size


def _last_cluster(data: bytes) -> int:
    """Where the payload of the last Cluster starts (a live recorder's are of unknown size)."""
    start = data.rindex(b"\x1f\x43\xb6\x75")
    return next(webm_elements(data, start))[2]


def webm_moved_by(data: bytes, ms: int) -> bytes:
    """The same WebM with its last Cluster `ms` later: as long as the sound would be if the
    phone had recorded that much more (a forger's way to make a short file play long). A live
    recorder's Clusters have no size, so the Timecode may take more bytes."""
    _, start, payload, size = next(webm_elements(data, _last_cluster(data)))  # its Timecode, first
    moved = b"\xe7\x84" + (int.from_bytes(data[payload:payload + size], "big") + ms).to_bytes(4, "big")
    return data[:start] + moved + data[payload + size:]


def webm_last_block_in_a_group(data: bytes, duration: int) -> bytes:
    """The same WebM with its last SimpleBlock written as a BlockGroup (Block + BlockDuration),
    as a muxer does for a block whose length it knows."""
    *_, (_, start, payload, size) = (el for el in webm_elements(data, _last_cluster(data)) if el[0] == 0xA3)

    def element(eid: bytes, body: bytes) -> bytes:
        return eid + b"\x01" + len(body).to_bytes(7, "big") + body  # an 8-byte EBML size

    block = element(b"\xa1", data[payload:payload + size])
    group = element(b"\xa0", block + b"\x9b\x82" + duration.to_bytes(2, "big"))
    return data[:start] + group + data[payload + size:]


def webm_in_clusters(data: bytes, count: int, every_ms: int) -> bytes:
    """The same WebM whose last Cluster comes `count` times, `every_ms` apart: a long recording
    in many Clusters, as Chrome writes it with a short timeslice."""
    start = data.rindex(b"\x1f\x43\xb6\x75")
    return data[:start] + b"".join(webm_moved_by(data, i * every_ms)[start:] for i in range(count))


def webm_padded_to(data: bytes, size: int) -> bytes:
    """The same WebM made `size` bytes long by an EBML Void element at its end (room a player skips)."""
    room = size - len(data) - 9  # the Void's id (1 byte) and size (8 bytes)
    return data + b"\xec\x01" + room.to_bytes(7, "big") + b"\x00" * room
