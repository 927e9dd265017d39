"""WAV files: the RIFF/WAVE check every backend's result must pass (audio is
never faked), the size fix for a WAV written to a pipe, and 16-bit mono PCM
wrapped into a WAV with the stdlib ``wave`` module."""

from __future__ import annotations

import io
import wave

HEADER_SIZE = 44  # bytes before the samples in the WAV ``wav_file`` writes


def is_wav(data: bytes) -> bool:
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WAVE"


def fix_wav_sizes(data: bytes) -> bytes:
    """Set the RIFF and ``data`` chunk sizes to the real ones: espeak-ng writing to
    a pipe cannot seek back and leaves placeholders (0x7fffffff) there."""
    wav = bytearray(data)
    wav[4:8] = (len(wav) - 8).to_bytes(4, "little")
    at = 12
    while at + 8 <= len(wav):
        size = int.from_bytes(wav[at + 4 : at + 8], "little")
        if wav[at : at + 4] == b"data":
            wav[at + 4 : at + 8] = (len(wav) - at - 8).to_bytes(4, "little")
            break
        at += 8 + size + (size & 1)
    return bytes(wav)


def wav_file(pcm: bytes, sample_rate: int) -> bytes:
    """A mono 16-bit WAV of ``pcm`` (little-endian samples) at ``sample_rate`` Hz."""
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(pcm)
    return out.getvalue()
