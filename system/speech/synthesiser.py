"""The ``Synthesiser`` interface of every speech backend, its error, and the
Voice records both espeak-ng backends build from (language code, voice name)
pairs: one record per language code, the region in upper case (``en-us`` ->
``en-US``), text the windows-1251 wire cannot carry made representable."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Protocol

from nabat.system.protocol import Voice

MAX_AUDIO = 32 * 1024 * 1024  # bytes of WAV one TTS may produce


class SynthesisError(Exception):
    """Synthesis failed; the message says why (no secrets, no text)."""


class Synthesiser(Protocol):
    @property
    def source(self) -> str:
        """What synthesises: an executable's path or the library's name (GETCONFIG)."""
        ...

    async def voices(self) -> list[Voice]: ...

    async def synthesise(self, voice: str, text: str, timeout: float) -> bytes:
        """The WAV file of ``text`` spoken with ``voice``; ``SynthesisError``."""
        ...


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


def _language(code: str) -> str:
    """``en-us`` -> ``en-US``: the region part in upper case, as the protocol shows it."""
    head, sep, tail = code.partition("-")
    if sep and len(tail) == 2:
        return f"{head}-{tail.upper()}"
    return code


def voice_records(entries: Iterable[tuple[str, str]]) -> list[Voice]:
    """Voices from ``(language code, voice name)`` pairs, first of each code kept;
    a code the wire cannot carry is left out (it could not be asked for)."""
    voices: list[Voice] = []
    seen: set[str] = set()
    for code, name in entries:
        if not code or code in seen or wire_text(code) != code:
            continue
        seen.add(code)
        voices.append(Voice(name=code, language=_language(code), description=wire_text(name)))
    return voices
