"""The real length of a recording, read from its bytes: real recordings within 0.3 s, a forged
length seen, and any bad byte answered None without an exception."""

from __future__ import annotations

import io
import random

import pytest
from mutagen.ogg import OggPage

from cisp_pwa.services.infra.audio_length import length_ms
from tests.recordings import (FIXTURES, M4A, MP4, OGG, RECORDINGS, WEBM, webm_in_clusters,
                              webm_last_block_in_a_group, webm_moved_by, webm_padded_to)


@pytest.mark.parametrize("name", sorted(RECORDINGS))
def test_a_real_recording_is_as_long_as_it_was_recorded(name):
    mime, recorded_ms = RECORDINGS[name]
    assert abs(length_ms(mime, (FIXTURES / name).read_bytes()) - recorded_ms) <= 300


def test_a_live_webm_has_no_duration_the_blocks_say_it():
    # Chromium writes no Duration (EBML id 0x4489) and Clusters of unknown size.
    assert b"\x44\x89" not in WEBM[:200] and b"\x1f\x43\xb6\x75\x01\xff\xff\xff\xff\xff\xff\xff" in WEBM
    real = length_ms("audio/webm", WEBM)
    assert length_ms("audio/webm", webm_moved_by(WEBM, 60_000)) == real + 60_000
    assert length_ms("audio/webm", webm_padded_to(WEBM, 1024 * 1024)) == real  # room after it: nothing


def test_a_block_group_ends_after_its_duration():
    longer, shorter = (length_ms("audio/webm", webm_last_block_in_a_group(WEBM, ms)) for ms in (5000, 3000))
    assert longer - shorter == 2000 and longer > length_ms("audio/webm", WEBM) + 4000


def test_squeezed_timecodes_do_not_make_the_sound_shorter():
    """A forger who sets a TimecodeScale ten times smaller (1 ms -> 0.1 ms a unit) squeezes the
    timeline of a 2 s recording into 0.2 s; its Opus packets still hold 2 s of sound."""
    one_ms, tenth_ms = b"\x2a\xd7\xb1\x83\x0f\x42\x40", b"\x2a\xd7\xb1\x83\x01\x86\xa0"
    assert WEBM.count(one_ms) == 1
    assert length_ms("audio/webm", WEBM.replace(one_ms, tenth_ms)) == length_ms("audio/webm", WEBM)


def test_a_webm_of_another_codec_than_opus_has_no_length():
    assert length_ms("audio/webm", WEBM.replace(b"A_OPUS", b"A_VORB")) is None


def test_two_minutes_in_hundreds_of_clusters_are_read():
    """Chrome with the recorder's quarter-second timeslice starts a Cluster about every 300 ms:
    some 400 for two minutes, each of unknown size (a library measuring them recursively fails);
    here 600, every 200 ms."""
    long = webm_in_clusters(WEBM, 600, 200)
    assert long.count(b"\x1f\x43\xb6\x75") == WEBM.count(b"\x1f\x43\xb6\x75") + 599
    assert length_ms("audio/webm", long) == length_ms("audio/webm", WEBM) + 599 * 200


def _with_fragment_starts(data: bytes, start_of) -> bytes:
    """The MP4 with each fragment's tfdt (its start, in the track's timescale) changed."""
    out, at = bytearray(data), data.find(b"tfdt")
    while at >= 0:
        width = 8 if data[at + 4] == 1 else 4  # after the name: version, flags, then the start
        start = int.from_bytes(data[at + 8:at + 8 + width], "big")
        out[at + 8:at + 8 + width] = start_of(start).to_bytes(width, "big")
        at = data.find(b"tfdt", at + 4)
    return bytes(out)


def test_fragments_are_placed_where_their_start_says():
    """Chrome's fragments start 300 ms apart and hold a little less sound each: the player puts
    each at its start. Moved a minute later, the last one makes it a minute longer; all put at
    0 by a forger, every sample still counts."""
    whole, starts = length_ms("audio/mp4", MP4), []
    _with_fragment_starts(MP4, lambda start: starts.append(start) or start)
    assert len(starts) == 7 and starts == sorted(starts)
    minute_later = _with_fragment_starts(
        MP4, lambda start: start + 60 * 48_000 if start == starts[-1] else start)  # timescale 48 kHz
    assert length_ms("audio/mp4", minute_later) == whole + 60_000
    stacked = length_ms("audio/mp4", _with_fragment_starts(MP4, lambda start: 0))
    assert 1500 < stacked < whole - 150


def test_aac_sample_durations_squeezed_by_a_forger_do_not_make_it_shorter():
    """Each AAC sample is 1024 sound frames at its decoder's rate (16 kHz here, from its esds),
    whatever the sample table says: written ten times shorter, the 2 s are still 2 s."""
    at = M4A.index(b"stts")  # its name, version and flags, entry count, then (count, duration)s
    squeezed = bytearray(M4A)
    for i in range(int.from_bytes(M4A[at + 8:at + 12], "big")):
        entry = at + 12 + 8 * i
        duration = int.from_bytes(M4A[entry + 4:entry + 8], "big")
        squeezed[entry + 4:entry + 8] = (duration // 10).to_bytes(4, "big")
    assert abs(length_ms("audio/mp4", bytes(squeezed)) - 2000) <= 300
    assert length_ms("audio/mp4", bytes(squeezed)) >= length_ms("audio/mp4", M4A) - 100


def test_an_ogg_granule_lowered_by_a_forger_does_not_make_it_shorter():
    """The last page's granule position (48 kHz samples) written as 0.1 s, checksum made anew:
    its Opus packets still hold 2 s of sound."""
    stream, pages = io.BytesIO(OGG), []
    while stream.tell() < len(OGG):
        pages.append(OggPage(stream))
    pages[-1].position = 4800
    forged = b"".join(page.write() for page in pages)
    assert forged != OGG and abs(length_ms("audio/ogg", forged) - 2000) <= 300


@pytest.mark.parametrize("name", ["voice-chromium-2s.mp4", "voice-ffmpeg-aac-2s-fragmented.mp4"])
def test_a_fragmented_mp4_is_as_long_as_its_fragments(name):
    """Its movie header says 0: the fragments' samples are counted (Chromium gives each sample its
    duration; ffmpeg gives one for the whole fragment)."""
    data = (FIXTURES / name).read_bytes()
    mvhd = data.index(b"mvhd") + 4
    duration = data[mvhd + 24:mvhd + 32] if data[mvhd] == 1 else data[mvhd + 16:mvhd + 20]
    assert not any(duration)
    # Cut before its first fragment it has no sound; after it, the first second or half second.
    first = data.index(b"moof") - 4
    second = data.index(b"moof", first + 8) - 4
    assert length_ms("audio/mp4", data[:first]) is None
    assert 0 < length_ms("audio/mp4", data[:second]) < length_ms("audio/mp4", data) - 400


@pytest.mark.parametrize("mime, data", [
    ("audio/webm", MP4), ("audio/mp4", WEBM), ("audio/ogg", WEBM),  # another type than it says
    ("audio/wav", WEBM), ("", WEBM), ("audio/webm", b""), ("audio/webm", "text"), ("audio/webm", None),
    ("audio/webm", WEBM[:4] + bytes(60)), ("audio/mp4", b"\x00\x00\x00\x08ftyp" * 8),
    ("audio/ogg", b"OggS" + bytes(200)),
])
def test_what_is_not_a_recording_has_no_length(mime, data):
    assert length_ms(mime, data) is None


@pytest.mark.parametrize("name", sorted(RECORDINGS))
def test_cut_or_garbled_bytes_never_raise(name):
    """Every cut of a real recording, and a thousand with random bytes changed: a length or None."""
    mime, _ = RECORDINGS[name]
    data, rnd = (FIXTURES / name).read_bytes(), random.Random(17)
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
