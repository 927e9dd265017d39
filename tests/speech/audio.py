"""What a test needs to know of a WAV: its format, duration and loudest sample."""

from __future__ import annotations

import io
import sys
import wave
from array import array
from dataclasses import dataclass


@dataclass(frozen=True)
class Audio:
    channels: int
    sample_width: int
    sample_rate: int
    seconds: float
    peak: int  # the largest absolute 16-bit sample


def read_wav(data: bytes) -> Audio:
    """``data`` parsed as a WAV file (``wave.Error`` when it is not one)."""
    with wave.open(io.BytesIO(data), "rb") as reader:
        params = reader.getparams()
        samples = array("h", reader.readframes(params.nframes))
    if sys.byteorder == "big":
        samples.byteswap()
    return Audio(
        channels=params.nchannels,
        sample_width=params.sampwidth,
        sample_rate=params.framerate,
        seconds=params.nframes / params.framerate,
        peak=max((abs(sample) for sample in samples), default=0),
    )
