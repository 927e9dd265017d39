"""A synthesis cache: ``CachedSynthesiser(inner, max_bytes, directory=None)``
is a ``Synthesiser`` that speaks each (voice, text, format) once, so a task
calling 10,000 abonents with one message synthesises it once.

``audio(voice, text, timeout, fmt)`` is the cached call: ``fmt`` is ``"wav"``
(what the engine produced; ``synthesise`` is this) or a telephony encoding of
``telephony.to_telephony`` (``"pcm"``, ``"alaw"``, ``"ulaw"``: 8 kHz, made
from the cached engine WAV in a worker thread). Results live in memory in an
LRU bounded by ``max_bytes`` (a result bigger than the bound is not kept) and,
with ``directory``, in files named by the SHA-256 of the key, bounded by
``max_disk_bytes`` (least recently used files removed first; written to a
temporary file and renamed, so a reader never sees half a file; an unreadable
file, or one that is not a WAV, is synthesised again). Concurrent requests for one key share one
synthesis (single flight); it runs as its own task, so a requester that is
cancelled does not cancel the others. Failures are not cached.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import tempfile
from collections import OrderedDict
from collections.abc import Awaitable
from pathlib import Path
from typing import Final

from nabat.system.protocol import Voice
from nabat.system.speech.synthesiser import Synthesiser
from nabat.system.speech.telephony import ENCODINGS, to_telephony
from nabat.system.speech.wav import is_wav

log = logging.getLogger("nabat.server.tts")

DEFAULT_MEMORY_BYTES: Final = 64 * 1024 * 1024
DEFAULT_DISK_BYTES: Final = 512 * 1024 * 1024
FORMATS: Final = ("wav", *ENCODINGS)
SUFFIX: Final = ".wav"
TTS_CACHE_DIR: Final = "tts-cache"  # the server's disk cache, under its data directory

Key = tuple[str, str, str]  # voice, text, format


class MemoryCache:
    """Bytes by key, least recently used dropped first past ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[Key, bytes] = OrderedDict()

    def get(self, key: Key) -> bytes | None:
        data = self._entries.get(key)
        if data is not None:
            self._entries.move_to_end(key)
        return data

    def put(self, key: Key, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return
        old = self._entries.pop(key, None)
        self.size -= 0 if old is None else len(old)
        self._entries[key] = data
        self.size += len(data)
        while self.size > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.size -= len(dropped)

    def __len__(self) -> int:
        return len(self._entries)


class DiskCache:
    """Files in ``directory`` by key hash, oldest access removed first past ``max_bytes``.
    Blocking: called in a worker thread."""

    def __init__(self, directory: Path, max_bytes: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes

    def path(self, key: Key) -> Path:
        digest = hashlib.sha256("\0".join(key).encode("utf-8", "surrogatepass")).hexdigest()
        return self.directory / f"{digest}.{key[2]}{SUFFIX}"

    def get(self, key: Key) -> bytes | None:
        path = self.path(key)
        try:
            data = path.read_bytes()
            os.utime(path)  # the access time the eviction goes by
        except OSError:
            return None
        return data if is_wav(data) else None  # a damaged file is made again

    def put(self, key: Key, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, self.path(key))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            self._evict()
        except OSError as exc:
            log.warning("cannot keep synthesised audio in %s: %s", self.directory, exc)

    def _evict(self) -> None:
        files: list[tuple[float, int, Path]] = []
        for path in self.directory.glob(f"*{SUFFIX}"):
            try:
                stat = path.stat()
            except OSError:
                continue
            files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files, key=lambda item: item[0]):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size


class CachedSynthesiser:
    """``inner`` with its results cached; the same interface, plus ``audio``."""

    def __init__(
        self,
        inner: Synthesiser,
        max_bytes: int = DEFAULT_MEMORY_BYTES,
        directory: Path | None = None,
        max_disk_bytes: int = DEFAULT_DISK_BYTES,
    ) -> None:
        self.inner = inner
        self.memory = MemoryCache(max_bytes)
        self.disk = None if directory is None else DiskCache(directory, max_disk_bytes)
        self.syntheses = 0  # engine runs, for tests and figures
        self._flights: dict[Key, asyncio.Task[bytes]] = {}

    @property
    def source(self) -> str:
        return self.inner.source

    async def voices(self) -> list[Voice]:
        return await self.inner.voices()

    async def synthesise(self, voice: str, text: str, timeout: float) -> bytes:
        return await self.audio(voice, text, timeout, "wav")

    async def audio(self, voice: str, text: str, timeout: float, fmt: str = "wav") -> bytes:
        """``text`` spoken with ``voice`` as ``fmt`` (see the module); ``SynthesisError``."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown audio format {fmt!r}; one of {', '.join(FORMATS)}")
        key = (voice, text, fmt)
        found = self.memory.get(key)
        if found is not None:
            return found
        flight = self._flights.get(key)
        if flight is None:
            flight = asyncio.ensure_future(self._produce(key, timeout))
            self._flights[key] = flight
            flight.add_done_callback(lambda _: self._flights.pop(key, None))
        return await asyncio.shield(flight)

    async def _produce(self, key: Key, timeout: float) -> bytes:
        if self.disk is not None:
            found = await asyncio.to_thread(self.disk.get, key)
            if found is not None:
                self.memory.put(key, found)
                return found
        data = await self._make(key, timeout)
        self.memory.put(key, data)
        if self.disk is not None:
            await asyncio.to_thread(self.disk.put, key, data)
        return data

    def _make(self, key: Key, timeout: float) -> Awaitable[bytes]:
        voice, text, fmt = key
        if fmt == "wav":
            return self._synthesise(voice, text, timeout)
        return self._convert(voice, text, timeout, fmt)

    async def _synthesise(self, voice: str, text: str, timeout: float) -> bytes:
        self.syntheses += 1
        return await self.inner.synthesise(voice, text, timeout)

    async def _convert(self, voice: str, text: str, timeout: float, fmt: str) -> bytes:
        encoding = next(known for known in ENCODINGS if known == fmt)
        wav = await self.audio(voice, text, timeout, "wav")
        return await asyncio.to_thread(to_telephony, wav, encoding)


def with_cache(synthesiser: Synthesiser | None, directory: Path | None) -> Synthesiser | None:
    """The server's synthesiser behind a cache (memory, and disk in ``directory``)."""
    return None if synthesiser is None else CachedSynthesiser(synthesiser, directory=directory)
