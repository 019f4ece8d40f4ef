"""The real length of a recording, read from its own bytes (not the length the phone says).

Each accepted type (voice.MIMES) is read the way a player finds how long it plays:
- WebM/Opus (Chrome's, Firefox's MediaRecorder): written live, so the segment usually has no
  Duration. The length is the end of the last block: its Cluster Timecode plus the block's own
  relative timecode, in TimecodeScale units; for a BlockGroup, plus its BlockDuration; or the
  sound its Opus packets hold, if more. Read by a short EBML walk (below, with why no library).
- MP4 (Safari's AAC, Chrome's Opus): the sample durations the file holds, in the audio track's
  timescale: the sample table (stts) of a whole file, then every fragment (trun, placed by its
  tfdt) of a fragmented one, as recorders write; for AAC, at least 1024 sound frames a sample.
  Not mvhd/mdhd's duration field, which a recorder leaves at 0 in a fragmented file and a
  forger can set to anything. Boxes are walked with `mutagen`.
- Ogg/Opus: `mutagen` (the last page's granule position, less the pre-skip); or the sound its
  Opus packets hold, if more.

`length_ms` never raises: bytes it cannot read give None.
"""

from __future__ import annotations

import io
import struct

from mutagen.mp4 import Atoms
from mutagen.oggopus import OggOpus

_NS_PER_MS = 1_000_000


def length_ms(mime: str, data: bytes) -> int | None:
    """How many milliseconds of sound `data` holds, or None when that cannot be read."""
    reader = _READERS.get(mime)
    if reader is None or not isinstance(data, bytes):
        return None
    try:
        ms = int(reader(data))
    except Exception:  # any bad byte of any kind (each library has its own errors): unreadable
        return None
    return ms if ms > 0 else None


# --- WebM -------------------------------------------------------------------------------------
# A short EBML walk rather than a library: ebmlite reads Cluster timecodes, but it measures each
# Cluster of unknown size by reading on through all the ones after it, recursively (a two-minute
# recording from Chrome has hundreds: RecursionError, and time that grows with their square), and
# its schema leaves out a BlockGroup's children; enzyme stops at such a Segment. This walk goes
# once through the bytes, without recursion: it enters the elements that hold the ones it needs
# (Segment, Cluster, BlockGroup: whether their size is known or not) and steps over all others.

_EBML, _SEGMENT, _INFO, _TIMECODE_SCALE = 0x1A45DFA3, 0x18538067, 0x1549A966, 0x2AD7B1
_TRACKS, _TRACK_ENTRY, _CODEC_ID = 0x1654AE6B, 0xAE, 0x86
_CLUSTER, _TIMECODE, _SIMPLE_BLOCK, _BLOCK_GROUP, _BLOCK, _BLOCK_DURATION = (
    0x1F43B675, 0xE7, 0xA3, 0xA0, 0xA1, 0x9B)
_ENTERED = {_SEGMENT, _TRACKS, _TRACK_ENTRY, _CLUSTER, _BLOCK_GROUP}
# An Opus packet's frame length, in tenths of ms, by its configuration (RFC 6716, 3.1):
# SILK 0-11, Hybrid 12-15, CELT 16-31.
_OPUS_FRAME = [(100, 200, 400, 600)[c % 4] for c in range(12)] + [(100, 200)[c % 2] for c in range(4)] + [
    (25, 50, 100, 200)[c % 4] for c in range(16)]


def _vint(data: bytes, pos: int, keep_marker: bool) -> tuple[int | None, int]:
    """An EBML variable-length integer at `pos`: (value, position after it). Element ids keep
    their length marker bit; sizes drop it, and a size of all ones is "unknown" (None)."""
    if pos >= len(data):
        raise ValueError("cut off")
    first = data[pos]
    width = 1
    while width <= 8 and not first & (0x80 >> (width - 1)):
        width += 1
    if width > 8 or pos + width > len(data):
        raise ValueError("bad EBML number")
    value = int.from_bytes(data[pos:pos + width], "big")
    if keep_marker:
        return value, pos + width
    value &= (1 << (7 * width)) - 1
    return (None if value == (1 << (7 * width)) - 1 else value), pos + width


def _block(payload: bytes) -> tuple[int, int]:
    """(timecode relative to its Cluster, tenths of ms of Opus sound) of a (Simple)Block: its
    track number (an EBML variable-length integer), its timecode (signed 16 bits), flags, then
    one Opus packet, whose first byte says how long its frames are and the second how many."""
    _, pos = _vint(payload, 0, keep_marker=False)
    if pos + 4 > len(payload) or payload[pos + 2] & 0x06:
        raise ValueError("block too short, or laced (recorders write one packet a block)")
    return struct.unpack(">h", payload[pos:pos + 2])[0], _opus_tenths(payload[pos + 3:])


def _opus_tenths(packet: bytes) -> int:
    """How long an Opus packet sounds, in tenths of ms: its first byte says how long its frames
    are and how many (or the second byte says); at most 120 ms (RFC 6716, 3.1 and 3.2.5)."""
    if not packet:
        return 0
    toc = packet[0]
    frames = (1, 2, 2, packet[1] & 0x3F if len(packet) > 1 else 0)[toc & 3]
    return min(1200, frames * _OPUS_FRAME[toc >> 3])


def _webm(data: bytes) -> float:
    element_id, pos = _vint(data, 0, keep_marker=True)
    size, pos = _vint(data, pos, keep_marker=False)
    if element_id != _EBML or size is None:
        raise ValueError("not EBML")
    pos += size
    scale = _NS_PER_MS  # TimecodeScale: nanoseconds per timecode unit (1 ms unless said)
    cluster_time = end = sound = 0  # end and sound in ms
    group_start, group_duration = None, 0
    codecs = []
    # A recording cut off mid-element is as long as the blocks it still holds.
    while pos < len(data):
        try:
            element_id, payload = _vint(data, pos, keep_marker=True)
            size, payload = _vint(data, payload, keep_marker=False)
        except ValueError:
            break
        if element_id in _ENTERED:  # step inside: its children come next
            pos = payload
            if element_id == _CLUSTER:
                cluster_time = 0
            elif element_id == _BLOCK_GROUP:
                group_start, group_duration = None, 0
            continue
        if size is None or payload + size > len(data):
            break  # an element that cannot be stepped over, or cut off: the end of what is there
        value = data[payload:payload + size]
        pos = payload + size
        if element_id == _INFO:  # its TimecodeScale, among its children (none of them entered)
            inner = 0
            while inner < len(value):
                child_id, at = _vint(value, inner, keep_marker=True)
                child_size, at = _vint(value, at, keep_marker=False)
                if child_size is None:
                    break
                if child_id == _TIMECODE_SCALE and 0 < child_size <= 8:
                    scale = int.from_bytes(value[at:at + child_size], "big") or scale
                inner = at + child_size
        elif element_id == _TIMECODE and size <= 8:
            cluster_time = int.from_bytes(value, "big")
        elif element_id == _CODEC_ID:
            codecs.append(value)
        elif element_id in (_SIMPLE_BLOCK, _BLOCK):
            timecode, tenths = _block(value)
            sound += tenths / 10
            start = (cluster_time + timecode) * scale / _NS_PER_MS
            end = max(end, start + tenths / 10)  # a block ends after its own sound
            if element_id == _BLOCK:
                group_start = start
        elif element_id == _BLOCK_DURATION and size <= 8:
            group_duration = int.from_bytes(value, "big") * scale / _NS_PER_MS
        if group_start is not None:  # a BlockGroup may say it lasts longer
            end = max(end, group_start + group_duration)
    if codecs != [b"A_OPUS"]:
        raise ValueError("not one Opus track")  # what browsers record in WebM
    # The end of the last block, or all the sound the packets hold when that is more:
    # timecodes squeezed together by a forger do not make the sound shorter.
    return max(end, sound)


# --- MP4 --------------------------------------------------------------------------------------

def _payload(atom, fileobj, *path: bytes) -> bytes:
    """The bytes of `atom`, or of its child at `path` (KeyError when missing)."""
    ok, data = atom[path].read(fileobj)
    if not ok:
        raise ValueError("atom cut off")
    return data


def _mp4(data: bytes) -> float:
    fileobj = io.BytesIO(data)
    atoms = Atoms(fileobj)
    # The audio track: its id (tkhd), its timescale (mdhd) and the samples of a whole file (stts).
    for trak in atoms[b"moov"].findall(b"trak"):
        if _payload(trak, fileobj, b"mdia", b"hdlr")[8:12] == b"soun":
            break
    else:
        raise ValueError("no audio track")
    # Version 1 boxes have 64-bit creation and modification times before these fields.
    tkhd = _payload(trak, fileobj, b"tkhd")
    track_id = struct.unpack(">I", tkhd[20:24] if tkhd[0] == 1 else tkhd[12:16])[0]
    mdhd = _payload(trak, fileobj, b"mdia", b"mdhd")
    timescale = struct.unpack(">I", mdhd[20:24] if mdhd[0] == 1 else mdhd[12:16])[0]
    if not timescale:
        raise ValueError("no timescale")
    units = samples = 0
    stts = _payload(trak, fileobj, b"mdia", b"minf", b"stbl", b"stts")
    for i in range(struct.unpack(">I", stts[4:8])[0]):
        count, delta = struct.unpack(">II", stts[8 + 8 * i:16 + 8 * i])
        units += count * delta
        samples += count
    # Fragments: each starts where its tfdt says (Chrome's samples fill a little less than the
    # gap to the next one), or where the one before ended. The longer of that timeline and the
    # plain sum of the samples: the longest a player could make of it.
    default = _trex_default_duration(atoms, fileobj, track_id)
    total = timeline = units
    for moof in atoms.atoms:
        if moof.name == b"moof":
            for traf in moof.findall(b"traf"):
                if _track_of(traf, fileobj) == track_id:
                    fragment_units, start, count = _fragment(traf, fileobj, default)
                    total += fragment_units
                    samples += count
                    timeline = max(timeline, (start if start is not None else timeline) + fragment_units)
    # AAC (Safari): each sample is 1024 sound frames at the rate its decoder is told, whatever
    # durations a forger writes in the tables: the least length the samples make.
    rate = _aac_rate(_payload(trak, fileobj, b"mdia", b"minf", b"stbl", b"stsd"))
    least = samples * 1024 * 1000 / rate if rate else 0
    return max(total * 1000 / timescale, timeline * 1000 / timescale, least)


# The sampling rates an AAC AudioSpecificConfig names by index (ISO 14496-3, 1.6.3.4).
_AAC_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350)


def _aac_rate(stsd: bytes) -> int:
    """The sampling rate of an AAC track's decoder config (stsd > mp4a > esds), 0 for another
    codec. mutagen does not open these boxes: they are read here."""
    size, kind = struct.unpack(">I4s", stsd[8:16])  # the first sample entry
    if kind != b"mp4a":
        return 0
    entry, pos = stsd[8:8 + size], 36  # an audio sample entry's own fields take 28 bytes
    while pos + 8 <= len(entry):
        box_size, name = struct.unpack(">I4s", entry[pos:pos + 8])
        if box_size < 8:
            break
        if name == b"esds":
            config = _decoder_specific_info(entry[pos + 12:pos + box_size])  # after version, flags
            index = ((config[0] & 0x07) << 1) | (config[1] >> 7)
            if config[0] >> 3 == 31 or index >= len(_AAC_RATES):  # rare forms recorders never write
                raise ValueError("AAC config not understood")
            return _AAC_RATES[index]
        pos += box_size
    raise ValueError("AAC without its config")


def _decoder_specific_info(esds: bytes) -> bytes:
    """The AudioSpecificConfig in an esds: ES descriptor (tag 3) > DecoderConfig (4) >
    DecoderSpecificInfo (5)."""
    pos = 0
    while pos < len(esds):
        tag, pos = esds[pos], pos + 1
        length = 0
        for _ in range(4):  # up to four bytes of 7 bits, the high bit saying "more"
            byte, pos = esds[pos], pos + 1
            length = (length << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        if tag == 3:  # ES_ID, flags, then optional fields the flags announce
            flags = esds[pos + 2]
            pos += 3 + (2 if flags & 0x80 else 0) + (1 + esds[pos + 3] if flags & 0x40 else 0) + (
                2 if flags & 0x20 else 0)
        elif tag == 4:
            pos += 13  # object type, stream type, buffer size, max and average bit rates
        elif tag == 5:
            if length < 2 or pos + length > len(esds):
                raise ValueError("AAC config cut off")
            return esds[pos:pos + length]
        else:
            pos += length
    raise ValueError("no AAC config")


def _trex_default_duration(atoms, fileobj, track_id: int) -> int:
    """moov/mvex/trex: the sample duration a fragment uses when it says none (mutagen does not
    open mvex, so its two kinds of child are read here)."""
    for mvex in atoms[b"moov"].findall(b"mvex"):
        body, pos = _payload(mvex, fileobj), 0
        while pos + 8 <= len(body):
            size, name = struct.unpack(">I4s", body[pos:pos + 8])
            if size < 8:
                break
            if name == b"trex" and struct.unpack(">I", body[pos + 12:pos + 16])[0] == track_id:
                return struct.unpack(">I", body[pos + 20:pos + 24])[0]
            pos += size
    return 0


def _track_of(traf, fileobj) -> int:
    return struct.unpack(">I", _payload(traf, fileobj, b"tfhd")[4:8])[0]


def _fragment(traf, fileobj, default: int) -> tuple[int, int | None, int]:
    """(sum of the sample durations, start from tfdt if it has one, number of samples) of one
    track fragment."""
    start = None
    if any(child.name == b"tfdt" for child in traf.children):
        tfdt = _payload(traf, fileobj, b"tfdt")
        start = int.from_bytes(tfdt[4:12] if tfdt[0] == 1 else tfdt[4:8], "big")
    tfhd = _payload(traf, fileobj, b"tfhd")
    flags = int.from_bytes(tfhd[1:4], "big")
    pos = 8
    for flag, width in ((0x01, 8), (0x02, 4)):  # base-data-offset, sample-description-index
        pos += width if flags & flag else 0
    if flags & 0x08:  # default-sample-duration
        default = struct.unpack(">I", tfhd[pos:pos + 4])[0]
    units = samples = 0
    for trun in traf.findall(b"trun"):
        body = _payload(trun, fileobj)
        flags = int.from_bytes(body[1:4], "big")
        count = struct.unpack(">I", body[4:8])[0]
        samples += count
        pos = 8 + (4 if flags & 0x01 else 0) + (4 if flags & 0x04 else 0)  # data offset, first flags
        if not flags & 0x100:  # no duration per sample: all have the default one
            units += count * default
            continue
        stride = 4 * sum(1 for flag in (0x100, 0x200, 0x400, 0x800) if flags & flag)
        if pos + count * stride > len(body):
            raise ValueError("trun cut off")
        units += sum(struct.unpack(">I", body[p:p + 4])[0] for p in range(pos, pos + count * stride, stride))
    return units, start, samples


# --- Ogg --------------------------------------------------------------------------------------

def _ogg(data: bytes) -> float:
    # The last granule position, or all the sound the Opus packets hold when that is more (a
    # forger's smaller granule does not make the sound shorter).
    return max(OggOpus(io.BytesIO(data)).info.length * 1000, _ogg_opus_sound_ms(data))


def _ogg_opus_sound_ms(data: bytes) -> float:
    """The Opus packets of the pages (a packet ends on a lacing value under 255), less the two
    header packets (OpusHead, OpusTags)."""
    tenths = packets = pos = 0
    packet = bytearray()
    while pos + 27 <= len(data) and data[pos:pos + 4] == b"OggS":
        count = data[pos + 26]
        body = pos + 27 + count
        for lacing in data[pos + 27:body]:
            packet += data[body:body + lacing]
            body += lacing
            if lacing < 255:
                packets += 1
                if packets > 2:
                    tenths += _opus_tenths(bytes(packet))
                packet.clear()
        pos = body
    return tenths / 10


_READERS = {"audio/webm": _webm, "audio/mp4": _mp4, "audio/ogg": _ogg}
