"""The synthesis cache: one synthesis per (voice, text, format) however many
ask at once, bounded memory and disk, files written whole, failures and
cancelled requesters not poisoning the cache."""

from __future__ import annotations

import asyncio
import math
import os
from array import array
from pathlib import Path

import pytest
from nabat.system.protocol import Voice
from nabat.system.speech.cache import CachedSynthesiser
from nabat.system.speech.synthesiser import SynthesisError
from nabat.system.speech.telephony import read_pcm
from nabat.system.speech.wav import wav_file


def speech(text: str) -> bytes:
    """A WAV at espeak's rate whose length follows the text (100 samples a character)."""
    count = 100 * max(len(text), 1)
    return wav_file(array("h", (round(8000 * math.sin(i / 5)) for i in range(count))).tobytes(),
                    22050)  # fmt: skip


class FakeEngine:
    source = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.failures = 0

    async def voices(self) -> list[Voice]:
        return [Voice(name="ru", language="ru", description="Russian")]

    async def synthesise(self, voice: str, text: str, timeout: float) -> bytes:
        self.calls.append((voice, text))
        await self.gate.wait()
        if self.failures:
            self.failures -= 1
            raise SynthesisError("engine broke")
        return speech(text)


async def test_concurrent_requests_for_one_text_synthesise_once() -> None:
    engine = FakeEngine()
    engine.gate.clear()
    cached = CachedSynthesiser(engine, max_bytes=10**6)
    waiting = [asyncio.create_task(cached.synthesise("ru", "Тревога", 5)) for _ in range(50)]
    await asyncio.sleep(0)
    engine.gate.set()
    results = await asyncio.gather(*waiting)
    assert engine.calls == [("ru", "Тревога")] and cached.syntheses == 1
    assert all(result == speech("Тревога") for result in results)
    assert await cached.synthesise("ru", "Тревога", 5) == results[0]
    await cached.synthesise("en", "Тревога", 5)  # the voice is part of the key
    assert len(engine.calls) == 2


async def test_a_failure_is_not_cached_and_reaches_every_waiter() -> None:
    engine = FakeEngine()
    engine.failures, engine.gate = 1, asyncio.Event()
    cached = CachedSynthesiser(engine, max_bytes=10**6)
    waiting = [asyncio.create_task(cached.synthesise("ru", "x", 5)) for _ in range(3)]
    await asyncio.sleep(0)
    engine.gate.set()
    outcomes = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(isinstance(outcome, SynthesisError) for outcome in outcomes)
    assert await cached.synthesise("ru", "x", 5) == speech("x")  # tried again
    assert len(engine.calls) == 2


async def test_a_cancelled_requester_does_not_cancel_the_others() -> None:
    engine = FakeEngine()
    engine.gate.clear()
    cached = CachedSynthesiser(engine, max_bytes=10**6)
    first = asyncio.create_task(cached.synthesise("ru", "x", 5))
    second = asyncio.create_task(cached.synthesise("ru", "x", 5))
    await asyncio.sleep(0)
    first.cancel()
    engine.gate.set()
    assert await second == speech("x")
    assert first.cancelled() and len(engine.calls) == 1


async def test_memory_is_bounded_least_recently_used_first() -> None:
    engine = FakeEngine()
    size = len(speech("aa"))
    cached = CachedSynthesiser(engine, max_bytes=2 * size + 10)
    for text in ("aa", "bb", "aa", "cc"):  # "aa" used again: "bb" is the oldest
        await cached.synthesise("ru", text, 5)
    assert cached.memory.size <= 2 * size + 10 and len(cached.memory) == 2
    await cached.synthesise("ru", "aa", 5)
    assert len(engine.calls) == 3
    await cached.synthesise("ru", "bb", 5)
    assert len(engine.calls) == 4
    await cached.synthesise("ru", "x" * 100, 5)  # bigger than the whole bound: not kept
    await cached.synthesise("ru", "x" * 100, 5)
    assert len(engine.calls) == 6 and cached.memory.size <= 2 * size + 10


async def test_telephony_formats_are_made_from_the_cached_synthesis() -> None:
    engine = FakeEngine()
    cached = CachedSynthesiser(engine, max_bytes=10**6)
    pcm = await cached.audio("ru", "Тревога", 5, "pcm")
    alaw = await cached.audio("ru", "Тревога", 5, "alaw")
    wav = await cached.synthesise("ru", "Тревога", 5)
    assert read_pcm(pcm)[1] == 8000 and alaw[20:22] == b"\x06\x00" and wav == speech("Тревога")
    assert await cached.audio("ru", "Тревога", 5, "pcm") is pcm
    assert len(engine.calls) == 1
    with pytest.raises(ValueError, match="unknown audio format"):
        await cached.audio("ru", "Тревога", 5, "mp3")
    assert cached.source == "fake" and (await cached.voices())[0].name == "ru"


async def test_the_disk_cache_survives_a_restart(tmp_path: Path) -> None:
    engine = FakeEngine()
    await CachedSynthesiser(engine, max_bytes=10**6, directory=tmp_path).synthesise("ru", "x", 5)
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and files[0].suffix == ".wav"  # written whole: no temporary left
    again = CachedSynthesiser(engine, max_bytes=10**6, directory=tmp_path)
    assert await again.synthesise("ru", "x", 5) == speech("x")
    assert len(engine.calls) == 1
    files[0].write_bytes(b"damaged")  # not a WAV: made again
    third = CachedSynthesiser(engine, max_bytes=10**6, directory=tmp_path)
    assert await third.synthesise("ru", "x", 5) == speech("x")
    assert len(engine.calls) == 2 and files[0].read_bytes() == speech("x")


async def test_the_disk_cache_is_bounded_oldest_access_first(tmp_path: Path) -> None:
    engine = FakeEngine()
    size = len(speech("aa"))
    cached = CachedSynthesiser(engine, max_bytes=1, directory=tmp_path, max_disk_bytes=2 * size)
    assert cached.disk is not None
    paths = {text: cached.disk.path(("ru", text, "wav")) for text in ("aa", "bb", "cc")}
    await cached.synthesise("ru", "aa", 5)
    await cached.synthesise("ru", "bb", 5)
    os.utime(paths["bb"], ns=(1, 1))  # "bb" last used long ago, "aa" now
    await cached.synthesise("ru", "cc", 5)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        (paths["aa"].name, paths["cc"].name)
    )
    await cached.synthesise("ru", "aa", 5)  # memory holds nothing (1 byte): read from disk
    assert len(engine.calls) == 3


async def test_an_unwritable_directory_only_loses_the_disk_copy(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    cached = CachedSynthesiser(FakeEngine(), max_bytes=10**6, directory=blocker / "cache")
    assert await cached.synthesise("ru", "x", 5) == speech("x")
