"""G.711 companding of 16-bit PCM: A-law (European telephony) and µ-law
(North American), the ITU reference algorithm (the same as Sun's ``g711.c``
and the stdlib ``audioop`` that Python 3.13 removed). Each law is a lookup
table of all 65536 sample values built once; encoding is one table look-up
per sample."""

from __future__ import annotations

from array import array
from functools import cache
from typing import Final

A_LAW_SEGMENT_ENDS: Final = (0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)
MU_LAW_SEGMENT_ENDS: Final = (0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)
MU_LAW_BIAS: Final = 0x84
MU_LAW_CLIP: Final = 8159


def _segment(value: int, ends: tuple[int, ...]) -> int:
    for index, end in enumerate(ends):
        if value <= end:
            return index
    return len(ends)


def a_law_sample(sample: int) -> int:
    """The A-law byte of one signed 16-bit sample."""
    value = sample >> 3  # 13 significant bits
    if value >= 0:
        mask = 0xD5
    else:
        mask = 0x55
        value = -value - 1
    segment = _segment(value, A_LAW_SEGMENT_ENDS)
    if segment >= 8:
        return 0x7F ^ mask
    shift = 1 if segment < 2 else segment
    return ((segment << 4) | ((value >> shift) & 0x0F)) ^ mask


def mu_law_sample(sample: int) -> int:
    """The µ-law byte of one signed 16-bit sample."""
    value = sample >> 2  # 14 significant bits
    if value < 0:
        value, mask = -value, 0x7F
    else:
        mask = 0xFF
    value = min(value, MU_LAW_CLIP) + (MU_LAW_BIAS >> 2)
    segment = _segment(value, MU_LAW_SEGMENT_ENDS)
    if segment >= 8:
        return 0x7F ^ mask
    return ((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask


@cache
def _table(law: str) -> bytes:
    """Index: the sample as an unsigned 16-bit number; value: its code."""
    encode = a_law_sample if law == "alaw" else mu_law_sample
    return bytes(encode(unsigned - 65536 if unsigned >= 32768 else unsigned)
                 for unsigned in range(65536))  # fmt: skip


def encode(samples: array[int], law: str) -> bytes:
    """``samples`` (array of signed 16-bit) companded with ``law``: "alaw" or "ulaw"."""
    if law not in ("alaw", "ulaw"):
        raise ValueError(f"unknown G.711 law {law!r}")
    table = _table(law)
    unsigned = array("H", samples.tobytes())
    return bytes(map(table.__getitem__, unsigned))
