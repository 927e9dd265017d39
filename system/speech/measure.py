"""TTS figures: seconds per message cold (engine + 8 kHz conversion) and
cached. ``await measure(synthesiser)`` returns them (what ``nabat bench``
calls); ``python -m nabat.system.speech.measure [--messages N] [--voice V]``
prints them for the synthesiser the server would choose.

Cold: ``messages`` different notification texts (a counter in each, so none
repeats) through ``speak_for_telephony`` with a fresh ``CachedSynthesiser``,
the engine's share timed apart from the conversion. Cached: the first text
again ``repeats`` times from the memory cache.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass

from nabat.system.protocol import Voice
from nabat.system.speech.cache import CachedSynthesiser
from nabat.system.speech.choice import find_synthesiser
from nabat.system.speech.speak import speak_for_telephony, spoken_text
from nabat.system.speech.synthesiser import Synthesiser
from nabat.system.speech.telephony import read_pcm

TEMPLATE = "Внимание! Учебная тревога номер {n}. Сбор 02.12.2026 в 14:30 у д. 5. Нажмите 1."


@dataclass(frozen=True)
class Figures:
    messages: int
    audio_seconds: float  # mean length of one message at 8 kHz
    cold_seconds: float  # mean wall time of one message, nothing cached
    engine_seconds: float  # of which the engine (the rest: normalising and resampling)
    cached_seconds: float  # mean wall time of a repeated message

    def lines(self) -> list[str]:
        return [
            f"messages: {self.messages}, {self.audio_seconds:.1f} s of audio each",
            f"cold: {self.cold_seconds:.3f} s per message "
            f"(engine {self.engine_seconds:.3f} s, text and 8 kHz conversion "
            f"{self.cold_seconds - self.engine_seconds:.3f} s)",
            f"cached: {self.cached_seconds * 1e6:.1f} µs per message",
        ]


class _Timed:
    """The engine with the time it spends added up."""

    def __init__(self, inner: Synthesiser) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.source = inner.source

    async def voices(self) -> list[Voice]:
        return await self.inner.voices()

    async def synthesise(self, voice: str, text: str, timeout: float) -> bytes:
        start = time.perf_counter()
        try:
            return await self.inner.synthesise(voice, text, timeout)
        finally:
            self.seconds += time.perf_counter() - start


async def measure(
    synthesiser: Synthesiser, messages: int = 3, repeats: int = 1000, voice: str = "ru"
) -> Figures:
    """Figures for ``synthesiser`` (``SynthesisError`` when it cannot speak)."""
    engine = _Timed(synthesiser)
    cached = CachedSynthesiser(engine, max_bytes=256 * 1024 * 1024)
    texts = [TEMPLATE.format(n=n + 1) for n in range(messages)]
    start = time.perf_counter()
    audio = [await speak_for_telephony(cached, text, voice) for text in texts]
    cold = (time.perf_counter() - start) / messages
    start = time.perf_counter()
    for _ in range(repeats):
        await speak_for_telephony(cached, texts[0], voice)
    hot = (time.perf_counter() - start) / repeats
    assert cached.syntheses == messages, spoken_text(texts[0], voice)
    lengths = [len(samples) / rate for samples, rate in map(read_pcm, audio)]
    return Figures(messages, sum(lengths) / messages, cold, engine.seconds / messages, hot)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nabat.system.speech.measure")
    parser.add_argument("--messages", type=int, default=3, help="cold messages (default 3)")
    parser.add_argument("--voice", default="ru")
    args = parser.parse_args(argv)
    synthesiser = find_synthesiser(None)
    if synthesiser is None:
        print("no speech synthesiser installed (espeakng-loader or espeak-ng)", file=sys.stderr)
        return 1
    figures = asyncio.run(measure(synthesiser, max(args.messages, 1), voice=args.voice))
    print(f"synthesiser: {synthesiser.source}")
    print("\n".join(figures.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
