"""Speech synthesis: GETTTS (voices), TTS (a WAV preview of a text).

Both need a synthesiser (``speech.choice.find_synthesiser``: the
``tts_command`` executable, else libespeak-ng, else espeak-ng on PATH) and a
licence key that allows dynamic synthesis;
otherwise, and for an unknown voice or a failed synthesis, the answer is
``ERR_GETTTS`` with the reason. TTS answers ``TTS BEGIN WAV``, the audio as
hex DATA lines, ``TTS END``; the audio is what the synthesiser produced,
never a placeholder. A Russian voice gets the text with its numbers, dates
and times in words (``speech.speak.spoken_text``), as the voice channels do;
the server's synthesiser is cached (``speech.cache``), so a repeated text is
not synthesised again.
"""

from __future__ import annotations

import logging

from nabat.system.protocol import ErrorCode, Form, Voice, file_listing, listing
from nabat.system.server.context import Call, Handler
from nabat.system.server.errors import CommandFailed
from nabat.system.server.handlers.filedata import data_chunk
from nabat.system.speech.speak import spoken_text
from nabat.system.speech.synthesiser import Synthesiser, SynthesisError, wire_text

log = logging.getLogger("nabat.server.tts")

AUDIO_FORMAT = "WAV"


def _failed(reason: str) -> CommandFailed:
    # the reason may quote the synthesiser's stderr: keep it representable on the wire
    return CommandFailed(ErrorCode.GETTTS, wire_text(f"{ErrorCode.GETTTS.text} ({reason})"))


def _synthesiser(call: Call) -> Synthesiser:
    synthesiser = call.context.synthesiser
    if synthesiser is None:
        raise _failed("no speech synthesiser installed (espeakng-loader, espeak-ng or tts_command)")
    licence = call.context.licence
    reason = licence.key_reason()
    if reason is not None:
        raise _failed(reason)
    if not licence.dynamic_tts:
        raise _failed("the licence does not allow dynamic speech synthesis")
    return synthesiser


async def _voices(synthesiser: Synthesiser) -> list[Voice]:
    try:
        return await synthesiser.voices()
    except SynthesisError as exc:
        log.warning("GETTTS: cannot list voices: %s", exc)
        raise _failed(str(exc)) from None


async def get_tts(call: Call) -> None:
    voices = await _voices(_synthesiser(call))
    if not voices:
        raise _failed("the synthesiser has no voices")
    await call.reply(listing(call.word, (voice.to_params(Form.FULL) for voice in voices)))


async def tts(call: Call) -> None:
    synthesiser = _synthesiser(call)
    voice: str = call.args["voice"]
    text: str = call.args["text"]
    if voice not in {known.name for known in await _voices(synthesiser)}:
        raise _failed(f"no voice {voice!r}; GETTTS lists the voices")
    try:
        spoken = spoken_text(text, voice)
        audio = await synthesiser.synthesise(voice, spoken, call.context.settings.tts_timeout)
    except SynthesisError as exc:
        log.warning("TTS with voice %r failed: %s", voice, exc)
        raise _failed(str(exc)) from None
    log.info("TTS with voice %r: %d characters, %d bytes of WAV", voice, len(text), len(audio))
    await call.reply(file_listing(call.word, audio, (AUDIO_FORMAT,), data_chunk(call)))


HANDLERS: dict[str, Handler] = {
    "GETTTS": get_tts,
    "TTS": tts,
}
