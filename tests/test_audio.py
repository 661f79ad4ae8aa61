"""The WAV check, without a database: real files pass, forged ones fail, nothing crashes it."""

from __future__ import annotations

import io
import struct
import wave

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autoattendant.audio import InvalidWav, WavInfo, inspect_wav, is_valid_wav


def make_wav(*, rate=8000, channels=1, width=2, frames=800) -> bytes:
    """A real WAV as the stdlib writes it (a short sine-ish ramp)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(bytes((i * 7) % 256 for i in range(frames * channels * width)))
    return buffer.getvalue()


def chunk(chunk_id: bytes, payload: bytes, size: int | None = None) -> bytes:
    pad = b"\x00" if len(payload) % 2 else b""
    return chunk_id + struct.pack("<I", len(payload) if size is None else size) + payload + pad


def fmt_payload(tag=1, channels=1, rate=8000, bits=16, extra=b"") -> bytes:
    align = channels * bits // 8
    return struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits) + extra


def riff(*chunks: bytes, riff_size: int | None = None) -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body) if riff_size is None else riff_size) + body


PCM_GUID = struct.pack("<H", 1) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


def extensible(sub_format: bytes) -> bytes:
    # cbSize=22, valid bits, channel mask, sub-format GUID
    return fmt_payload(tag=0xFFFE, extra=struct.pack("<HHI", 22, 16, 4) + sub_format)


@pytest.mark.parametrize(
    ("rate", "channels", "width"),
    [(8000, 1, 2), (16000, 1, 2), (44100, 2, 2), (48000, 2, 1), (8000, 1, 1)],
)
def test_real_wavs_pass(rate, channels, width):
    data = make_wav(rate=rate, channels=channels, width=width)
    info = inspect_wav(data)
    assert (info.sample_rate, info.channels, info.bits_per_sample) == (rate, channels, width * 8)
    assert info.frames == 800
    assert info.duration_seconds == pytest.approx(800 / rate)


def test_it_reads_a_stream_too():
    assert inspect_wav(io.BytesIO(make_wav())).data_bytes == 1600


def test_extra_chunks_and_a_lying_riff_length_are_fine():
    data = chunk(b"data", b"\x00\x01" * 10)
    wav = riff(
        chunk(b"LIST", b"INFOISFT\x03\x00\x00\x00ab\x00"), chunk(b"fmt ", fmt_payload()), data
    )
    assert inspect_wav(wav).data_bytes == 20
    # The RIFF length is never trusted: too big, too small, or the streaming 0xFFFFFFFF.
    for size in (0, 4, 0xFFFFFFFF):
        body = riff(chunk(b"fmt ", fmt_payload()), data, riff_size=size)
        assert is_valid_wav(body)


def test_extensible_pcm_passes_and_extensible_float_fails():
    data = chunk(b"data", b"\x00" * 32)
    assert is_valid_wav(riff(chunk(b"fmt ", extensible(PCM_GUID)), data))
    float_guid = struct.pack("<H", 3) + PCM_GUID[2:]
    with pytest.raises(InvalidWav, match="sub-format"):
        inspect_wav(riff(chunk(b"fmt ", extensible(float_guid)), data))


def test_a_missing_final_pad_byte_is_tolerated():
    wav = riff(chunk(b"fmt ", fmt_payload(bits=8)), chunk(b"data", b"\x80" * 3))
    assert inspect_wav(wav[:-1]).data_bytes == 3


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "RIFF/WAVE"),
        (b"ID3\x03" + b"\x00" * 100, "RIFF/WAVE"),  # an MP3
        (b"RIFF\x10\x00\x00\x00AVI LIST", "RIFF/WAVE"),
        (b"RIFX" + make_wav()[4:], "RIFF/WAVE"),
        (make_wav()[:30], "claims"),  # truncated inside the fmt chunk
        (make_wav()[:-100], "claims"),  # truncated samples: data size now a lie
        (make_wav() + b"abc", "truncated chunk header"),
        (riff(chunk(b"data", b"\x00" * 8), chunk(b"fmt ", fmt_payload())), "before the fmt"),
        (riff(chunk(b"fmt ", fmt_payload())), "no data chunk"),
        (riff(chunk(b"data", b"")), "before the fmt"),
        (riff(chunk(b"LIST", b"xxxx")), "no fmt chunk"),
        (riff(chunk(b"fmt ", fmt_payload()), chunk(b"data", b"")), "whole sample frames"),
        (riff(chunk(b"fmt ", fmt_payload()), chunk(b"data", b"\x00" * 3)), "whole sample frames"),
        (riff(chunk(b"fmt ", fmt_payload(tag=3, bits=16))), "not PCM"),  # IEEE float
        (riff(chunk(b"fmt ", fmt_payload(tag=0x55))), "not PCM"),  # MP3 in WAV
        (riff(chunk(b"fmt ", fmt_payload(tag=7, bits=8))), "not PCM"),  # mu-law
        (riff(chunk(b"fmt ", fmt_payload(channels=6))), "channels"),
        (riff(chunk(b"fmt ", fmt_payload(rate=96000))), "sample rate"),
        (riff(chunk(b"fmt ", fmt_payload(rate=4000))), "sample rate"),
        (riff(chunk(b"fmt ", fmt_payload(bits=24))), "bits per sample"),
        (riff(chunk(b"fmt ", fmt_payload()[:12])), "too short"),
        (riff(chunk(b"fmt ", fmt_payload(tag=0xFFFE))), "EXTENSIBLE"),
        (riff(chunk(b"fmt ", fmt_payload()), chunk(b"fmt ", fmt_payload())), "more than one"),
        (riff(chunk(b"fmt ", b"\x00" * 2000)), "too large"),
        (riff(*[chunk(b"junk", b"")] * 100), "too many chunks"),
    ],
)
def test_forged_files_fail(data, reason):
    with pytest.raises(InvalidWav, match=reason):
        inspect_wav(data)
    assert not is_valid_wav(data)


def test_a_lying_data_size_fails():
    """The data chunk claims more samples than the file holds."""
    wav = riff(chunk(b"fmt ", fmt_payload()), chunk(b"data", b"\x00" * 100, size=10_000))
    with pytest.raises(InvalidWav, match="claims 10000 bytes, 100 present"):
        inspect_wav(wav)


def test_an_inconsistent_fmt_chunk_fails():
    payload = struct.pack("<HHIIHH", 1, 1, 8000, 8000 * 4, 2, 16)  # byte rate of stereo
    with pytest.raises(InvalidWav, match="inconsistent"):
        inspect_wav(riff(chunk(b"fmt ", payload), chunk(b"data", b"\x00" * 4)))


def check_outcome(data: bytes) -> None:
    """Any bytes give InvalidWav or a description the bytes can back up, nothing else."""
    try:
        info = inspect_wav(data)
    except InvalidWav:
        return
    assert isinstance(info, WavInfo)
    assert 0 < info.data_bytes <= len(data) - 44  # RIFF 12 + fmt 24 + data header 8
    assert info.frames > 0


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=512))
def test_random_bytes_never_crash_it(data):
    check_outcome(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=200))
def test_random_chunks_after_a_real_header_never_crash_it(tail, cut):
    check_outcome(make_wav(frames=20)[:cut] + tail)
