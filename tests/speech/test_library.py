"""The libespeak-ng backend with nothing but the pip-installed ``espeakng-loader``:
real Russian synthesis in the worker process, and the worker's failures
(timeout, bad voice, oversized output, a crash) as ``SynthesisError``."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any

import pytest
from nabat.system.protocol import Voice
from nabat.system.speech import child, library
from nabat.system.speech.library import LibrarySynthesiser, library_installed
from nabat.system.speech.synthesiser import SynthesisError

from tests.speech.audio import read_wav
from tests.speech.platforms import LIBRARY_WHEEL_MISSING, library_wheel_exists

pytestmark = pytest.mark.skipif(not library_wheel_exists(), reason=LIBRARY_WHEEL_MISSING)

ALARM = "Внимание! Учебная тревога. Всем сотрудникам покинуть здание."


def test_the_dependency_is_installed_with_its_library_and_data() -> None:
    assert library_installed()


async def test_voices_include_russian_as_the_protocol_shows_them() -> None:
    voices = await LibrarySynthesiser().voices()
    by_name = {voice.name: voice for voice in voices}
    assert by_name["ru"] == Voice(name="ru", language="ru", description="Russian")
    assert by_name["en-us"].language == "en-US"
    assert len(by_name) == len(voices) > 50  # one record per language code


async def test_russian_synthesis_is_real_speech() -> None:
    audio = await LibrarySynthesiser().synthesise("ru", ALARM, timeout=20)
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"
    assert int.from_bytes(audio[4:8], "little") == len(audio) - 8
    wav = read_wav(audio)
    assert (wav.channels, wav.sample_width, wav.sample_rate) == (1, 2, 22050)
    assert 2.0 < wav.seconds < 15.0, wav  # eight words at espeak's 175 words a minute
    assert wav.peak > 2000, wav  # not silence
    shorter = read_wav(await LibrarySynthesiser().synthesise("ru", "Внимание", timeout=20))
    assert shorter.seconds < wav.seconds / 2  # the duration follows the text


async def test_a_bad_voice_is_a_synthesis_error() -> None:
    with pytest.raises(SynthesisError, match="no voice 'xx'"):
        await LibrarySynthesiser().synthesise("xx", "text", timeout=20)


async def test_oversized_output_is_refused() -> None:
    synthesiser = LibrarySynthesiser(max_audio=20_000)  # under half a second of audio
    with pytest.raises(SynthesisError, match="more than 20000 bytes"):
        await synthesiser.synthesise("ru", ALARM, timeout=20)


async def test_a_timeout_kills_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[asyncio.subprocess.Process] = []
    real_start = asyncio.create_subprocess_exec

    async def start(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        process = await real_start(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(child.asyncio, "create_subprocess_exec", start)
    with pytest.raises(SynthesisError, match=r"longer than 0\.01 s"):
        await LibrarySynthesiser().synthesise("ru", ALARM * 20, timeout=0.01)
    assert [p.returncode for p in started] == [-signal.SIGKILL]  # killed, and reaped


async def test_a_crashing_worker_is_a_synthesis_error(monkeypatch: pytest.MonkeyPatch) -> None:
    crash = "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"
    monkeypatch.setattr(library, "WORKER_COMMAND", (sys.executable, "-c", crash))
    with pytest.raises(SynthesisError, match=f"exit {-signal.SIGSEGV}"):
        await LibrarySynthesiser().synthesise("ru", "text", timeout=20)
    with pytest.raises(SynthesisError, match=f"exit {-signal.SIGSEGV}"):
        await LibrarySynthesiser().voices()


async def test_a_worker_that_answers_no_wav_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    liar = "import sys; sys.stdout.write('[[1]]' if sys.argv[1:] == ['voices'] else 'noise')"
    monkeypatch.setattr(library, "WORKER_COMMAND", (sys.executable, "-c", liar))
    with pytest.raises(SynthesisError, match="did not return a WAV"):
        await LibrarySynthesiser().synthesise("ru", "text", timeout=20)
    with pytest.raises(SynthesisError, match="voices unreadably"):
        await LibrarySynthesiser().voices()
