"""Is this upload a WAV file the media server can play?

Pure: bytes (or a seekable binary stream) in, a :class:`WavInfo` or :class:`InvalidWav` out. The
RIFF container is walked chunk by chunk and every size is checked against the bytes actually
present; the RIFF header's own length is never trusted (tools write it wrong, forgers lie in it).

Accepted: uncompressed PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM sub-format), 1 or 2
channels, 8 000 to 48 000 samples a second, 8 or 16 bits a sample, and a non-empty ``data`` chunk
after the ``fmt `` chunk holding whole sample frames. What telephony wants is 8 kHz mono 16-bit.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["InvalidWav", "WavInfo", "inspect_wav", "is_valid_wav", "recording_format"]

WAVE_FORMAT_PCM = 0x0001
WAVE_FORMAT_EXTENSIBLE = 0xFFFE
# KSDATAFORMAT_SUBTYPE_PCM: the format tag in the first two bytes, then this fixed GUID tail.
_PCM_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"

MIN_SAMPLE_RATE = 8_000
MAX_SAMPLE_RATE = 48_000
BITS_PER_SAMPLE = (8, 16)
# Real files carry a handful of chunks (fmt, data, LIST, fact…); thousands mean a crafted file.
MAX_CHUNKS = 64


class InvalidWav(ValueError):
    """The bytes are not a WAV file we accept; the message says why (for logs and errors)."""


@dataclass(frozen=True)
class WavInfo:
    channels: int
    sample_rate: int
    bits_per_sample: int
    data_bytes: int

    @property
    def frames(self) -> int:
        return self.data_bytes // (self.channels * self.bits_per_sample // 8)

    @property
    def duration_seconds(self) -> float:
        return self.frames / self.sample_rate


@dataclass(frozen=True)
class _Format:
    channels: int
    sample_rate: int
    bits_per_sample: int
    block_align: int


def _parse_fmt(payload: bytes) -> _Format:
    if len(payload) < 16:
        raise InvalidWav("fmt chunk too short")
    tag, channels, rate, byte_rate, block_align, bits = struct.unpack("<HHIIHH", payload[:16])
    if tag == WAVE_FORMAT_EXTENSIBLE:
        # cbSize(2) validBits(2) channelMask(4) subFormat GUID(16)
        if len(payload) < 40:
            raise InvalidWav("WAVE_FORMAT_EXTENSIBLE fmt chunk too short")
        sub_format = payload[24:40]
        if struct.unpack("<H", sub_format[:2])[0] != WAVE_FORMAT_PCM or (
            sub_format[2:] != _PCM_GUID_TAIL
        ):
            raise InvalidWav("not PCM audio (extensible sub-format)")
    elif tag != WAVE_FORMAT_PCM:
        raise InvalidWav(f"not PCM audio (format tag {tag:#06x})")
    if channels not in (1, 2):
        raise InvalidWav(f"{channels} channels (1 or 2 accepted)")
    if not MIN_SAMPLE_RATE <= rate <= MAX_SAMPLE_RATE:
        raise InvalidWav(f"sample rate {rate} Hz outside {MIN_SAMPLE_RATE}-{MAX_SAMPLE_RATE}")
    if bits not in BITS_PER_SAMPLE:
        raise InvalidWav(f"{bits} bits per sample (8 or 16 accepted)")
    expected_align = channels * bits // 8
    if block_align != expected_align or byte_rate != rate * expected_align:
        raise InvalidWav("inconsistent fmt chunk (block align or byte rate)")
    return _Format(channels, rate, bits, block_align)


def inspect_wav(source: bytes | bytearray | memoryview | BinaryIO) -> WavInfo:
    """Describe the WAV in ``source`` or raise :class:`InvalidWav`.

    A stream is read from its start and left wherever parsing stopped; only the chunk headers
    and the ``fmt `` chunk are read into memory, sample data is skipped by seeking.
    """
    stream: BinaryIO = (
        io.BytesIO(bytes(source)) if isinstance(source, bytes | bytearray | memoryview) else source
    )
    try:
        stream.seek(0, io.SEEK_END)
        total = stream.tell()
        stream.seek(0)
        header = stream.read(12)
    except (OSError, ValueError) as exc:
        raise InvalidWav(f"unreadable: {exc}") from None
    if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
        raise InvalidWav("not a RIFF/WAVE file")

    fmt: _Format | None = None
    data_bytes: int | None = None
    position = 12
    chunks = 0
    while position < total:
        chunks += 1
        if chunks > MAX_CHUNKS:
            raise InvalidWav("too many chunks")
        if total - position < 8:
            raise InvalidWav("truncated chunk header")
        stream.seek(position)
        chunk_header = stream.read(8)
        if len(chunk_header) < 8:
            raise InvalidWav("truncated chunk header")
        chunk_id = chunk_header[:4]
        (size,) = struct.unpack("<I", chunk_header[4:])
        body_start = position + 8
        available = total - body_start
        if size > available:
            raise InvalidWav(f"chunk {chunk_id!r} claims {size} bytes, {available} present")
        if chunk_id == b"fmt ":
            if fmt is not None:
                raise InvalidWav("more than one fmt chunk")
            if size > 1024:
                raise InvalidWav("fmt chunk too large")
            fmt = _parse_fmt(stream.read(size))
        elif chunk_id == b"data":
            if fmt is None:
                raise InvalidWav("data chunk before the fmt chunk")
            if data_bytes is not None:
                raise InvalidWav("more than one data chunk")
            if size == 0 or size % fmt.block_align:
                raise InvalidWav("data chunk does not hold whole sample frames")
            data_bytes = size
        # Chunks are padded to an even size; a missing final pad byte is tolerated.
        position = min(body_start + size + (size & 1), total)

    if fmt is None:
        raise InvalidWav("no fmt chunk")
    if data_bytes is None:
        raise InvalidWav("no data chunk")
    return WavInfo(fmt.channels, fmt.sample_rate, fmt.bits_per_sample, data_bytes)


def is_valid_wav(source: bytes | bytearray | memoryview | BinaryIO) -> bool:
    try:
        inspect_wav(source)
    except InvalidWav:
        return False
    return True


def _is_mp3(data: bytes) -> bool:
    """An ID3-tagged MP3, or one starting on an MPEG audio frame header (sync, a known version
    and layer, a bit-rate index that is neither free nor bad, a known sample rate)."""
    if data[:3] == b"ID3" and len(data) > 10:
        return True
    if len(data) < 4 or data[0] != 0xFF or (data[1] & 0xE0) != 0xE0:
        return False
    version, layer = (data[1] >> 3) & 0x3, (data[1] >> 1) & 0x3
    bitrate, rate = data[2] >> 4, (data[2] >> 2) & 0x3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3


def recording_format(data: bytes) -> str:
    """``"wav"`` or ``"mp3"`` for a platform's recording (Restcomm records PCM WAV; Twilio serves
    WAV, or MP3 with the ``.mp3`` suffix); :class:`InvalidWav` naming why for anything else."""
    if data[:4] == b"RIFF":
        inspect_wav(data)
        return "wav"
    if _is_mp3(data):
        return "mp3"
    raise InvalidWav("neither a PCM WAV nor an MP3 file")
