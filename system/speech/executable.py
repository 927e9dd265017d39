"""The espeak-ng executable backend (the Debian ``espeak-ng`` or a compatible program).

``<cmd> --voices`` lists the voices (parsed from its table: the language
column is the voice name, the name column the description), cached after the
first success; ``<cmd> -v <voice> --stdout`` with the text (UTF-8) on stdin
returns the WAV on stdout, its placeholder sizes fixed. Each run goes through
``child.run`` (timeout, output cap, kill); anything but a RIFF/WAVE result is
an error: audio is never faked.
"""

from __future__ import annotations

from nabat.system.protocol import Voice
from nabat.system.speech.child import run
from nabat.system.speech.synthesiser import MAX_AUDIO, SynthesisError, voice_records
from nabat.system.speech.wav import fix_wav_sizes, is_wav

DEFAULT_COMMAND = "espeak-ng"
MAX_VOICES_OUTPUT = 1024 * 1024
VOICES_TIMEOUT = 10.0


def parse_voices(text: str) -> list[Voice]:
    """The table of ``espeak-ng --voices``: ``Pty Language Age/Gender VoiceName File ...``
    (the voice name with ``_`` for its spaces)."""
    entries: list[tuple[str, str]] = []
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 4 and parts[0].isdigit():
            entries.append((parts[1], parts[3].replace("_", " ")))
    return voice_records(entries)


class ExecutableSynthesiser:
    def __init__(self, command: str, max_audio: int = MAX_AUDIO) -> None:
        self.command = command
        self.max_audio = max_audio
        self._voices: list[Voice] | None = None

    @property
    def source(self) -> str:
        return self.command

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
