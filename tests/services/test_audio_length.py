"""The real length of a recording, read from its bytes: real recordings within 0.3 s, a forged
length seen, and any bad byte answered None without an exception."""

from __future__ import annotations

import random

import pytest

from cisp_pwa.services.audio_length import length_ms
from tests.recordings import LENGTH_MS, MP4, RECORDINGS, WEBM, webm_moved_by, webm_padded_to


@pytest.mark.parametrize("mime", sorted(RECORDINGS))
def test_a_real_recording_is_as_long_as_it_was_recorded(mime):
    assert abs(length_ms(mime, RECORDINGS[mime]) - LENGTH_MS[mime]) <= 300


def test_a_live_webm_has_no_duration_the_blocks_say_it():
    # Chromium writes no Duration (EBML id 0x4489) and Clusters of unknown size.
    assert b"\x44\x89" not in WEBM[:200] and b"\x1f\x43\xb6\x75\x01\xff\xff\xff\xff\xff\xff\xff" in WEBM
    real = length_ms("audio/webm", WEBM)
    assert length_ms("audio/webm", webm_moved_by(WEBM, 60_000)) == real + 60_000
    assert length_ms("audio/webm", webm_padded_to(WEBM, 1024 * 1024)) == real  # room after it: nothing


def test_a_fragmented_mp4_is_as_long_as_its_fragments():
    # Its movie header says 0 (mvhd version 1, timescale 1000, duration 0): fragments are counted.
    mvhd = MP4.index(b"mvhd") + 4
    assert MP4[mvhd] == 1 and MP4[mvhd + 20:mvhd + 24] == (1000).to_bytes(4, "big")
    assert MP4[mvhd + 24:mvhd + 32] == bytes(8)
    assert length_ms("audio/mp4", MP4) > 1700
    # Without its last fragment it is shorter (each fragment holds about a second).
    last = MP4.rindex(b"moof") - 4
    assert 0 < length_ms("audio/mp4", MP4[:last]) < length_ms("audio/mp4", MP4) - 500


@pytest.mark.parametrize("mime, data", [
    ("audio/webm", MP4), ("audio/mp4", WEBM), ("audio/ogg", WEBM),  # another type than it says
    ("audio/wav", WEBM), ("", WEBM), ("audio/webm", b""), ("audio/webm", "text"), ("audio/webm", None),
    ("audio/webm", WEBM[:4] + bytes(60)), ("audio/mp4", b"\x00\x00\x00\x08ftyp" * 8),
    ("audio/ogg", b"OggS" + bytes(200)),
])
def test_what_is_not_a_recording_has_no_length(mime, data):
    assert length_ms(mime, data) is None


@pytest.mark.parametrize("mime", sorted(RECORDINGS))
def test_cut_or_garbled_bytes_never_raise(mime):
    """Every cut of a real recording, and a thousand with random bytes changed: a length or None."""
    data, rnd = RECORDINGS[mime], random.Random(17)
    cuts = [data[:n] for n in range(0, len(data), 3)]
    garbled = []
    for _ in range(1000):
        changed = bytearray(data)
        for _ in range(rnd.randint(1, 12)):
            changed[rnd.randrange(len(changed))] = rnd.randrange(256)
        garbled.append(bytes(changed))
    noise = [data[:8] + rnd.randbytes(size) for size in (10, 1000, 1024 * 1024 - 8)]
    answers = [length_ms(mime, sample) for sample in cuts + garbled + noise]
    assert all(answer is None or (type(answer) is int and answer > 0) for answer in answers)
    assert answers[0] is None and any(answer is None for answer in answers[1:])
