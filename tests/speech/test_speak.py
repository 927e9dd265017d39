"""``speak_for_telephony``: normalised text, one synthesis per message for a
whole task, 8 kHz audio; with the real pip-installed engine, Russian speech
a telephone line can play."""

from __future__ import annotations

import asyncio

import pytest
from nabat.system.speech.cache import CachedSynthesiser
from nabat.system.speech.library import LibrarySynthesiser
from nabat.system.speech.speak import speak_for_telephony

from tests.speech.audio import read_wav
from tests.speech.platforms import LIBRARY_WHEEL_MISSING, library_wheel_exists
from tests.speech.test_cache import FakeEngine, speech

MESSAGE = "Внимание! Учения 02.12.2026 в 14:30."
SPOKEN = (
    "Внимание! Учения второго декабря две тысячи двадцать шестого года"
    " в четырнадцать часов тридцать минут."
)


async def test_a_russian_voice_gets_numbers_in_words() -> None:
    engine = FakeEngine()
    audio = await speak_for_telephony(engine, MESSAGE)
    assert engine.calls == [("ru", SPOKEN)]
    wav = read_wav(audio)
    assert (wav.channels, wav.sample_width, wav.sample_rate) == (1, 2, 8000)
    assert wav.seconds == pytest.approx(read_wav(speech(SPOKEN)).seconds, abs=0.001)
    await speak_for_telephony(engine, MESSAGE, voice="en")
    assert engine.calls[-1] == ("en", MESSAGE)  # another language: the text as written


async def test_a_task_of_many_abonents_synthesises_once() -> None:
    engine = FakeEngine()
    cached = CachedSynthesiser(engine, max_bytes=10**7)
    calls = [speak_for_telephony(cached, MESSAGE, encoding="ulaw") for _ in range(200)]
    results = await asyncio.gather(*calls)
    assert len(engine.calls) == 1 and len(set(results)) == 1
    assert results[0][20:22] == b"\x07\x00"  # WAVE_FORMAT_MULAW


@pytest.mark.skipif(not library_wheel_exists(), reason=LIBRARY_WHEEL_MISSING)
async def test_the_pip_installed_engine_speaks_a_notification_for_the_phone() -> None:
    audio = read_wav(await speak_for_telephony(LibrarySynthesiser(), MESSAGE))
    assert (audio.channels, audio.sample_width, audio.sample_rate) == (1, 2, 8000)
    assert 4.0 < audio.seconds < 20.0, audio  # the date and time read out in full
    assert audio.peak > 2000, audio  # speech, not silence
