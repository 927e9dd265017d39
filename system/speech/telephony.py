"""Audio for telephone lines: ``to_telephony(wav)`` turns whatever WAV an
engine produced (espeak-ng: 22050 Hz, 16-bit, mono) into an 8 kHz mono WAV,
16-bit PCM by default (what the Oktell upload path takes), or G.711 A-law /
µ-law (``encoding="alaw"`` / ``"ulaw"``: WAVE_FORMAT_ALAW 6 / MULAW 7 with
the ``fact`` chunk non-PCM WAVs carry) for PBXes that want them.

The input is read with the stdlib ``wave`` module (PCM of 8, 16, 24 or 32
bits, any channel count, mixed down to mono), resampled by ``resample``
(low-pass before decimation) and written back. A file that is not a PCM WAV
is a ``SynthesisError``: audio is never faked.
"""

from __future__ import annotations

import io
import struct
import sys
import wave
from array import array
from typing import Final, Literal

from nabat.system.speech.g711 import encode
from nabat.system.speech.resample import resample
from nabat.system.speech.synthesiser import SynthesisError
from nabat.system.speech.wav import wav_file

TELEPHONY_RATE: Final = 8000
Encoding = Literal["pcm", "alaw", "ulaw"]
ENCODINGS: Final[tuple[Encoding, ...]] = ("pcm", "alaw", "ulaw")
FORMAT_TAGS: Final = {"alaw": 6, "ulaw": 7}  # WAVE_FORMAT_ALAW, WAVE_FORMAT_MULAW


def _to_16_bits(frames: bytes, width: int) -> array[int]:
    """Signed 16-bit samples of little-endian PCM samples ``width`` bytes wide."""
    if width == 2:
        samples = array("h", frames)
        if sys.byteorder == "big":
            samples.byteswap()
        return samples
    if width == 1:  # unsigned 8-bit
        return array("h", ((byte - 128) << 8 for byte in frames))
    if width in (3, 4):
        top = range(width - 2, len(frames) - len(frames) % width, width)  # the two high bytes
        high = (int.from_bytes(frames[at : at + 2], "little", signed=True) for at in top)
        return array("h", high)
    raise SynthesisError(f"the audio has {width}-byte samples")


def _mono(samples: array[int], channels: int) -> array[int]:
    if channels == 1:
        return samples
    frames = len(samples) // channels
    return array("h", (sum(samples[at * channels : (at + 1) * channels]) // channels
                       for at in range(frames)))  # fmt: skip


def read_pcm(wav: bytes) -> tuple[array[int], int]:
    """(mono signed 16-bit samples, sample rate) of a PCM WAV file."""
    try:
        with wave.open(io.BytesIO(wav), "rb") as reader:
            params = reader.getparams()
            frames = reader.readframes(params.nframes)
    except (wave.Error, EOFError, struct.error) as exc:
        raise SynthesisError(f"the audio is not a PCM WAV file: {exc}") from None
    if params.framerate <= 0 or params.nchannels <= 0:
        raise SynthesisError("the audio has no sample rate or no channels")
    return _mono(_to_16_bits(frames, params.sampwidth), params.nchannels), params.framerate


def g711_wav(codes: bytes, encoding: Literal["alaw", "ulaw"], sample_rate: int) -> bytes:
    """A mono WAV of G.711 ``codes``: fmt (18 bytes, cbSize 0), fact, data."""
    fmt = struct.pack("<HHIIHHH", FORMAT_TAGS[encoding], 1, sample_rate, sample_rate, 1, 8, 0)
    fact = struct.pack("<I", len(codes))
    pad = b"\0" if len(codes) % 2 else b""
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"fact" + struct.pack("<I", 4)
            + fact + b"data" + struct.pack("<I", len(codes)) + codes + pad)  # fmt: skip
    return b"RIFF" + struct.pack("<I", len(body)) + body


def to_telephony(wav: bytes, encoding: Encoding = "pcm") -> bytes:
    """``wav`` as an 8 kHz mono WAV: 16-bit PCM, or G.711 A-law / µ-law."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown telephony encoding {encoding!r}")
    samples, rate = read_pcm(wav)
    narrow = resample(samples, rate, TELEPHONY_RATE)
    if encoding == "pcm":
        if sys.byteorder == "big":
            narrow.byteswap()
        return wav_file(narrow.tobytes(), TELEPHONY_RATE)
    return g711_wav(encode(narrow, encoding), encoding, TELEPHONY_RATE)
