"""The message audio an Oktell line uploads: 8 kHz 16-bit mono PCM WAV.

How it works: ``message_audio(message, synthesiser, voice)`` turns what the
engine hands a call into WAV bytes and their length in seconds: WAV bytes
are checked (RIFF/WAVE, 8000 Hz, 16-bit, mono, at least one frame: what the
PBX plays on a telephone line), a text is spoken with
``speak_for_telephony`` (normalised Russian, cached by the synthesiser),
None is no audio. A WAV of the wrong shape is ``BadMessageAudio`` (a
``ValueError``: the caller's mistake, nothing was attempted).
"""

from __future__ import annotations

import io
import wave

from nabat.system.channels.base import ChannelError
from nabat.system.speech.speak import speak_for_telephony
from nabat.system.speech.synthesiser import Synthesiser
from nabat.system.speech.wav import is_wav

SAMPLE_RATE = 8000
SAMPLE_WIDTH = 2

Message = bytes | str | None
"""WAV bytes, a text to synthesise, or no message."""


class BadMessageAudio(ValueError):
    """The WAV is not 8 kHz 16-bit mono PCM."""


class NoSynthesiser(ChannelError):
    """A text message, but no speech synthesis is installed."""


def wav_seconds(data: bytes) -> float:
    """The length of an 8 kHz 16-bit mono WAV; ``BadMessageAudio`` for anything else."""
    if not is_wav(data):
        raise BadMessageAudio("the message audio is not a RIFF/WAVE file")
    try:
        with wave.open(io.BytesIO(data), "rb") as reader:
            shape = (reader.getframerate(), reader.getsampwidth(), reader.getnchannels())
            frames = reader.getnframes()
    except (wave.Error, EOFError) as error:
        raise BadMessageAudio(f"the message audio is not a PCM WAV: {error}") from None
    if shape != (SAMPLE_RATE, SAMPLE_WIDTH, 1):
        rate, width, channels = shape
        raise BadMessageAudio(
            f"the message audio is {rate} Hz {8 * width}-bit {channels}-channel; "
            "the PBX needs 8000 Hz 16-bit mono"
        )
    if frames < 1:
        raise BadMessageAudio("the message audio holds no samples")
    return frames / SAMPLE_RATE


async def message_audio(
    message: Message, synthesiser: Synthesiser | None, voice: str
) -> tuple[bytes, float] | None:
    """(WAV bytes, seconds) of the message, or None without a message."""
    if message is None:
        return None
    if isinstance(message, str):
        if synthesiser is None:
            raise NoSynthesiser("a text message needs speech synthesis, and none is installed")
        spoken: bytes = await speak_for_telephony(synthesiser, message, voice)
        return spoken, wav_seconds(spoken)
    return message, wav_seconds(message)
