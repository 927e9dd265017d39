"""Speech synthesis for the server's TTS and GETTTS commands.

``synthesiser`` holds the interface every backend meets; ``library`` drives
libespeak-ng from the ``espeakng-loader`` wheel in a child process
(``worker`` over the ctypes binding ``libespeak``); ``executable`` runs an
espeak-ng compatible program; ``choice.find_synthesiser`` picks one from the
``tts_command`` setting. ``child`` runs a child process with a timeout and an
output cap for both backends, ``wav`` checks and writes WAV files.
"""
