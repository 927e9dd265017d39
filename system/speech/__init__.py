"""Speech synthesis for the server's TTS and GETTTS commands.

``synthesiser`` holds the interface every backend meets; ``library`` drives
libespeak-ng from the ``espeakng-loader`` wheel in a child process
(``worker`` over the ctypes binding ``libespeak``); ``executable`` runs an
espeak-ng compatible program; ``choice.find_synthesiser`` picks one from the
``tts_command`` setting. ``child`` runs a child process with a timeout and an
output cap for both backends, ``wav`` checks and writes WAV files.

On top of the engines, for the voice channels (docs/speech.md):
``normalise`` puts Russian numbers, dates and times into words;
``telephony.to_telephony`` makes 8 kHz WAVs (PCM, A-law, µ-law) with
``resample`` and ``g711``; ``cache.CachedSynthesiser`` synthesises each
(voice, text, format) once; ``speak.speak_for_telephony`` is all three in
one call; ``measure`` prints the TTS figures.
"""
