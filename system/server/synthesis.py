"""Speech synthesis for TTS and GETTTS: the ``Synthesiser`` interface and espeak-ng.

``EspeakSynthesiser`` runs an espeak-ng compatible executable: ``<cmd>
--voices`` lists the voices (parsed from its table: the language column is
the voice name, the name column the description), cached after the first
success; ``<cmd> -v <voice> --stdout`` with the text (UTF-8) on stdin
returns the WAV on stdout. Each run is an asyncio subprocess with a timeout
and an output cap; the process is killed when either is exceeded. Anything
but a RIFF/WAVE result is an error: audio is never faked.
``find_synthesiser`` picks the executable: the ``tts_command`` setting, else
``espeak-ng`` on PATH; None when there is none.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import unicodedata
from contextlib import suppress
from typing import Protocol

from nabat.system.protocol import Voice

log = logging.getLogger("nabat.server.tts")

DEFAULT_COMMAND = "espeak-ng"
MAX_AUDIO = 32 * 1024 * 1024  # bytes of WAV one TTS may produce
MAX_VOICES_OUTPUT = 1024 * 1024
VOICES_TIMEOUT = 10.0


class SynthesisError(Exception):
    """Synthesis failed; the message says why (no secrets, no text)."""


class Synthesiser(Protocol):
    async def voices(self) -> list[Voice]: ...

    async def synthesise(self, voice: str, text: str, timeout: float) -> bytes:
        """The WAV file of ``text`` spoken with ``voice``; ``SynthesisError``."""
        ...


def _language(code: str) -> str:
    """``en-us`` -> ``en-US``: the region part in upper case, as the protocol shows it."""
    head, sep, tail = code.partition("-")
    if sep and len(tail) == 2:
        return f"{head}-{tail.upper()}"
    return code


def wire_text(text: str) -> str:
    """``text`` with what windows-1251 cannot carry made representable: accents
    dropped (``Māori`` -> ``Maori``), anything else ``?``."""
    out: list[str] = []
    for char in text:
        try:
            char.encode("cp1251")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", char)
                       if not unicodedata.combining(c))  # fmt: skip
        out.append(base.encode("cp1251", "replace").decode("cp1251") if base else "?")
    return "".join(out)


def parse_voices(text: str) -> list[Voice]:
    """The table of ``espeak-ng --voices``: ``Pty Language Age/Gender VoiceName File ...``."""
    voices: list[Voice] = []
    seen: set[str] = set()
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) < 4 or not parts[0].isdigit():
            continue
        code, name = parts[1], parts[3]
        if code in seen or wire_text(code) != code:
            continue
        seen.add(code)
        description = wire_text(name.replace("_", " "))
        voices.append(Voice(name=code, language=_language(code), description=description))
    return voices


def is_wav(data: bytes) -> bool:
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WAVE"


def fix_wav_sizes(data: bytes) -> bytes:
    """Set the RIFF and ``data`` chunk sizes to the real ones: espeak-ng writing to
    a pipe cannot seek back and leaves placeholders (0x7fffffff) there."""
    wav = bytearray(data)
    wav[4:8] = (len(wav) - 8).to_bytes(4, "little")
    at = 12
    while at + 8 <= len(wav):
        size = int.from_bytes(wav[at + 4 : at + 8], "little")
        if wav[at : at + 4] == b"data":
            wav[at + 4 : at + 8] = (len(wav) - at - 8).to_bytes(4, "little")
            break
        at += 8 + size + (size & 1)
    return bytes(wav)


async def run(args: list[str], stdin: bytes, timeout: float, limit: int) -> bytes:
    """stdout of ``args`` fed ``stdin``; ``SynthesisError`` on a timeout, more
    than ``limit`` bytes of output, or a non-zero exit."""
    try:
        process = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except OSError as exc:
        raise SynthesisError(f"cannot run {args[0]}: {exc.strerror or exc}") from exc
    assert process.stdin is not None and process.stdout is not None
    assert process.stderr is not None
    stdin_pipe, stdout_pipe, stderr_pipe = process.stdin, process.stdout, process.stderr

    async def feed() -> None:
        with suppress(ConnectionError, BrokenPipeError):
            stdin_pipe.write(stdin)
            await stdin_pipe.drain()
            stdin_pipe.close()

    async def collect() -> bytes:
        out = bytearray()
        while chunk := await stdout_pipe.read(65536):
            out += chunk
            if len(out) > limit:
                raise SynthesisError(f"the synthesiser produced more than {limit} bytes")
        return bytes(out)

    async def whole() -> tuple[bytes, bytes, int]:
        _, out, err = await asyncio.gather(feed(), collect(), stderr_pipe.read(4096))
        return out, err, await process.wait()

    try:
        out, err, code = await asyncio.wait_for(whole(), timeout)
    except TimeoutError:
        raise SynthesisError(f"the synthesiser took longer than {timeout:g} s") from None
    finally:
        if process.returncode is None:
            with suppress(ProcessLookupError):
                process.kill()
            await process.wait()
    if code != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        raise SynthesisError(
            f"the synthesiser failed (exit {code}){': ' + detail[0][:200] if detail else ''}"
        )
    return out


class EspeakSynthesiser:
    def __init__(self, command: str, max_audio: int = MAX_AUDIO) -> None:
        self.command = command
        self.max_audio = max_audio
        self._voices: list[Voice] | None = None

    async def voices(self) -> list[Voice]:
        if self._voices is None:
            out = await run([self.command, "--voices"], b"", VOICES_TIMEOUT, MAX_VOICES_OUTPUT)
            self._voices = parse_voices(out.decode("utf-8", "replace"))
        return list(self._voices)

    async def synthesise(self, voice: str, text: str, timeout: float) -> bytes:
        args = [self.command, "-v", voice, "--stdout"]
        audio = await run(args, text.encode("utf-8"), timeout, self.max_audio)
        if not is_wav(audio):
            raise SynthesisError("the synthesiser did not return a WAV file")
        return fix_wav_sizes(audio)


def find_synthesiser(command: str | None) -> EspeakSynthesiser | None:
    """The synthesiser to use: ``command`` ("" means none), else espeak-ng on PATH."""
    if command == "":
        return None
    path = shutil.which(command or DEFAULT_COMMAND)
    if path is None or not os.access(path, os.X_OK):
        if command:
            log.warning("tts_command %r is not an executable; TTS is unavailable", command)
        return None
    return EspeakSynthesiser(path)
