"""The libespeak-ng backend: the library and voice data of the ``espeakng-loader``
wheel, so TTS works from the pip install alone.

The library has global state, is not thread-safe and could crash, so it never
runs in the server's process: each call starts ``worker`` in a child process
of the current interpreter (``python -P -m nabat.system.speech.worker``),
through ``child.run`` with the same timeout, output cap and kill as the
executable backend. The voice list is cached after the first success; a
result that is not a RIFF/WAVE file is an error: audio is never faked.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from nabat.system.protocol import Voice
from nabat.system.speech.child import run
from nabat.system.speech.synthesiser import MAX_AUDIO, SynthesisError, voice_records
from nabat.system.speech.wav import is_wav

LOADER_PACKAGE = "espeakng_loader"
WORKER_MODULE = "nabat.system.speech.worker"
# -P: the server's working directory is not put on the worker's import path
WORKER_COMMAND = (sys.executable, "-P", "-m", WORKER_MODULE)
MAX_VOICES_OUTPUT = 1024 * 1024
VOICES_TIMEOUT = 10.0


def library_installed() -> bool:
    """Whether the ``espeakng-loader`` wheel is installed with its shared library
    (checked without loading it into this process)."""
    spec = importlib.util.find_spec(LOADER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return False
    folder = Path(next(iter(spec.submodule_search_locations)))
    return any(folder.glob("*espeak-ng*.*")) and (folder / "espeak-ng-data").is_dir()


class LibrarySynthesiser:
    source = "libespeak-ng (espeakng-loader)"

    def __init__(self, max_audio: int = MAX_AUDIO) -> None:
        self.max_audio = max_audio
        self._voices: list[Voice] | None = None

    async def voices(self) -> list[Voice]:
        if self._voices is None:
            out = await run([*WORKER_COMMAND, "voices"], b"", VOICES_TIMEOUT, MAX_VOICES_OUTPUT)
            try:
                entries = [(str(code), str(name)) for code, name in json.loads(out)]
            except (ValueError, TypeError) as exc:
                raise SynthesisError("the synthesiser listed its voices unreadably") from exc
            self._voices = voice_records(entries)
        return list(self._voices)

    async def synthesise(self, voice: str, text: str, timeout: float) -> bytes:
        args = [*WORKER_COMMAND, "speak", voice, str(self.max_audio)]
        audio = await run(args, text.encode("utf-8"), timeout, self.max_audio)
        if not is_wav(audio):
            raise SynthesisError("the synthesiser did not return a WAV file")
        return audio
