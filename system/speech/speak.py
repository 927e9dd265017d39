"""What a voice channel calls to get a message's audio:
``await speak_for_telephony(synthesiser, text, voice="ru")`` normalises the
text (Russian voices: ``normalise``), synthesises it (once per text when the
synthesiser is a ``CachedSynthesiser``) and returns an 8 kHz mono WAV,
16-bit PCM by default (the Oktell upload path), or G.711 A-law / µ-law.
The conversion runs in a worker thread; failures are ``SynthesisError``."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Final

from nabat.system.speech.cache import CachedSynthesiser
from nabat.system.speech.normalise import normalise
from nabat.system.speech.synthesiser import Synthesiser
from nabat.system.speech.telephony import Encoding, to_telephony

DEFAULT_TIMEOUT: Final = 20.0


@lru_cache(maxsize=1024)  # a task speaks one text to every abonent
def spoken_text(text: str, voice: str) -> str:
    """``text`` as the engine should get it: numbers in words for a Russian voice."""
    return normalise(text) if voice.lower().startswith("ru") else text


async def speak_for_telephony(
    synthesiser: Synthesiser,
    text: str,
    voice: str = "ru",
    *,
    timeout: float = DEFAULT_TIMEOUT,
    encoding: Encoding = "pcm",
) -> bytes:
    """``text`` spoken with ``voice`` as an 8 kHz mono WAV in ``encoding``."""
    spoken = spoken_text(text, voice)
    if isinstance(synthesiser, CachedSynthesiser):
        return await synthesiser.audio(voice, spoken, timeout, encoding)
    wav = await synthesiser.synthesise(voice, spoken, timeout)
    return await asyncio.to_thread(to_telephony, wav, encoding)
