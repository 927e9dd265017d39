"""A deterministic in-test speech synthesiser, so the speech cases of the
server suite run (and their failure proofs can fail) on every machine,
whatever synthesiser the machine has or lacks.

``ToneSynthesiser`` meets ``nabat.system.speech.synthesiser.Synthesiser``:
two fixed voices, and for each text a real, small RIFF/WAVE file written
with the standard ``wave`` module (8 kHz mono 16-bit, one short tone per
character whose pitch follows the character), the same bytes every time.
"""

from __future__ import annotations

import io
import math
import struct
import wave

from nabat.system.protocol import Voice
from nabat.system.speech.synthesiser import SynthesisError

RATE = 8000
SAMPLES_PER_CHARACTER = 160  # 20 ms


class ToneSynthesiser:
    source = "test tone synthesiser"
    VOICES = (
        Voice(name="ru", language="ru", description="test tones"),
        Voice(name="en-US", language="en-US", description="test tones"),
    )

    async def voices(self) -> list[Voice]:
        return list(self.VOICES)

    async def synthesise(self, voice: str, text: str, timeout: float) -> bytes:
        if voice not in {known.name for known in self.VOICES}:
            raise SynthesisError(f"no voice {voice!r}")
        samples = bytearray()
        for char in text:
            pitch = 200 + ord(char) % 600
            for n in range(SAMPLES_PER_CHARACTER):
                value = int(8000 * math.sin(2 * math.pi * pitch * n / RATE))
                samples += struct.pack("<h", value)
        out = io.BytesIO()
        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(RATE)
            wav.writeframes(bytes(samples))
        return out.getvalue()
