"""The child process that runs libespeak-ng for ``library.LibrarySynthesiser``:
``python -m nabat.system.speech.worker voices`` prints the voices as JSON
(``[[language code, voice name], ...]``); ``... speak VOICE MAX_BYTES`` reads
UTF-8 text on stdin and writes one WAV file (``wave`` module, at the rate
``espeak_Initialize`` returned) on stdout. The voice must be one the library
lists. A failure is one line on stderr and exit status 1 (2 for a bad voice);
a crash of the library ends only this process.
"""

from __future__ import annotations

import argparse
import json
import sys

from nabat.system.speech.libespeak import EspeakError, Libespeak, OutputTooLarge, library_files
from nabat.system.speech.wav import HEADER_SIZE, wav_file

EXIT_FAILED = 1
EXIT_BAD_VOICE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nabat.system.speech.worker")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("voices")
    speak = commands.add_parser("speak")
    speak.add_argument("voice")
    speak.add_argument("max_bytes", type=int)
    return parser


def _speak(library: Libespeak, voice: str, max_bytes: int) -> int:
    if voice not in {code for code, _ in library.voices()}:
        sys.stderr.write(f"no voice {voice!r}\n")
        return EXIT_BAD_VOICE
    text = sys.stdin.buffer.read().decode("utf-8", "replace")
    try:
        pcm = library.speak(voice, text, max_bytes - HEADER_SIZE)
    except OutputTooLarge:
        sys.stderr.write(f"the synthesiser produced more than {max_bytes} bytes\n")
        return EXIT_FAILED
    sys.stdout.buffer.write(wav_file(pcm, library.sample_rate))
    sys.stdout.buffer.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        library = Libespeak(*library_files())
    except (OSError, RuntimeError, ImportError, EspeakError) as exc:
        sys.stderr.write(f"cannot load libespeak-ng: {exc}\n")
        return EXIT_FAILED
    try:
        if args.command == "voices":
            sys.stdout.write(json.dumps(library.voices(), ensure_ascii=False))
            return 0
        return _speak(library, args.voice, args.max_bytes)
    except EspeakError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_FAILED
    finally:
        library.close()


if __name__ == "__main__":
    sys.exit(main())
