"""Which synthesiser the server uses, from the ``tts_command`` setting:
``""`` means none; a command means that espeak-ng compatible executable
(looked up on PATH; None with a warning when it is not one); unset means the
libespeak-ng library of the ``espeakng-loader`` wheel when installed, else
``espeak-ng`` on PATH, else none."""

from __future__ import annotations

import logging
import os
import shutil

from nabat.system.speech.executable import DEFAULT_COMMAND, ExecutableSynthesiser
from nabat.system.speech.library import LibrarySynthesiser, library_installed
from nabat.system.speech.synthesiser import Synthesiser

log = logging.getLogger("nabat.server.tts")


def _executable(command: str) -> str | None:
    path = shutil.which(command)
    return path if path is not None and os.access(path, os.X_OK) else None


def find_synthesiser(command: str | None) -> Synthesiser | None:
    """The synthesiser for the ``tts_command`` setting ``command`` (None: unset)."""
    if command == "":
        return None
    if command:
        path = _executable(command)
        if path is None:
            log.warning("tts_command %r is not an executable; TTS is unavailable", command)
            return None
        return ExecutableSynthesiser(path)
    if library_installed():
        return LibrarySynthesiser()
    path = _executable(DEFAULT_COMMAND)
    return None if path is None else ExecutableSynthesiser(path)
