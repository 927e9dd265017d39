"""A ctypes binding of the few libespeak-ng calls speech synthesis needs
(``speak_lib.h``, API revision 12), loaded from the ``espeakng-loader`` wheel.

``Libespeak`` initialises the library in AUDIO_OUTPUT_SYNCHRONOUS mode with
the wheel's ``espeak-ng-data`` (``espeak_Initialize`` returns the sample
rate), lists the voices (``espeak_ListVoices``: each voice's first language
and its name), and speaks UTF-8 text (``espeak_SetVoiceByName``, then
``espeak_Synth``, which returns once the synth callback has been handed
every buffer of 16-bit samples). The library has global state and is not
thread-safe: only the worker process (``worker``) loads it, one per process.
"""

from __future__ import annotations

import ctypes
import sys
from array import array
from typing import Final

AUDIO_OUTPUT_SYNCHRONOUS: Final = 2  # espeak_AUDIO_OUTPUT
POS_CHARACTER: Final = 1  # espeak_POSITION_TYPE
EE_OK: Final = 0  # espeak_ERROR
EE_NOT_FOUND: Final = 2
ESPEAK_CHARS_UTF8: Final = 1  # espeak_Synth flags
ESPEAK_ENDPAUSE: Final = 0x1000
CALLBACK_CONTINUE: Final = 0  # what the synth callback returns
CALLBACK_ABORT: Final = 1
BUFFER_MS: Final = 0  # 0: the library's default buffer length (60 ms)
SAMPLE_BYTES: Final = 2


class EspeakVoice(ctypes.Structure):
    """``espeak_VOICE``; ``languages`` is a list of (priority byte, zero-terminated
    name) pairs ended by an empty name, so it stays a raw pointer here."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


# int SynthCallback(short *wav, int numsamples, espeak_EVENT *events)
SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class EspeakError(Exception):
    """A libespeak-ng call failed; the message says which and why."""


class OutputTooLarge(EspeakError):
    """The samples exceeded the byte limit; synthesis was aborted."""


def library_files() -> tuple[str, str]:
    """(shared library, espeak-ng-data directory) of the ``espeakng-loader`` wheel."""
    import espeakng_loader  # here: an ImportError on a platform without the wheel is reported

    return str(espeakng_loader.get_library_path()), str(espeakng_loader.get_data_path())


class Libespeak:
    def __init__(self, library_path: str, data_path: str) -> None:
        self._lib = ctypes.CDLL(library_path)
        self._declare()
        rate = self._lib.espeak_Initialize(
            AUDIO_OUTPUT_SYNCHRONOUS, BUFFER_MS, data_path.encode(), 0
        )
        if rate <= 0:
            raise EspeakError(f"espeak_Initialize failed with the data at {data_path}")
        self.sample_rate: int = rate
        self._pcm = bytearray()
        self._limit = 0
        # kept referenced for as long as the library may call it
        self._callback = SYNTH_CALLBACK(self._collect)
        self._lib.espeak_SetSynthCallback(self._callback)

    def _declare(self) -> None:
        lib = self._lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [SYNTH_CALLBACK]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(EspeakVoice))
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,  # text
            ctypes.c_size_t,  # size
            ctypes.c_uint,  # position
            ctypes.c_int,  # position_type
            ctypes.c_uint,  # end_position
            ctypes.c_uint,  # flags
            ctypes.POINTER(ctypes.c_uint),  # unique_identifier
            ctypes.c_void_p,  # user_data
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Terminate.argtypes = []
        lib.espeak_Terminate.restype = ctypes.c_int

    def voices(self) -> list[tuple[str, str]]:
        """(first language code, voice name) of every voice the data holds."""
        listed = self._lib.espeak_ListVoices(None)
        out: list[tuple[str, str]] = []
        index = 0
        while listed[index]:
            voice = listed[index].contents
            index += 1
            if not voice.languages:
                continue
            language = ctypes.string_at(voice.languages + 1)  # after the priority byte
            name = voice.name or b""
            out.append((language.decode("utf-8", "replace"), name.decode("utf-8", "replace")))
        return out

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int) -> int:
        if wav and count > 0:
            self._pcm += ctypes.string_at(wav, count * SAMPLE_BYTES)
            if len(self._pcm) > self._limit:
                return CALLBACK_ABORT
        return CALLBACK_CONTINUE

    def speak(self, voice: str, text: str, limit: int) -> bytes:
        """16-bit little-endian mono samples of ``text``; ``OutputTooLarge`` past
        ``limit`` bytes, ``EspeakError`` for an unknown voice or a failed synthesis."""
        status = self._lib.espeak_SetVoiceByName(voice.encode("utf-8"))
        if status != EE_OK:
            raise EspeakError(f"no voice {voice!r}" if status == EE_NOT_FOUND else
                              f"espeak_SetVoiceByName failed ({status})")  # fmt: skip
        self._pcm = bytearray()
        self._limit = limit
        data = text.encode("utf-8")
        flags = ESPEAK_CHARS_UTF8 | ESPEAK_ENDPAUSE
        status = self._lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, flags, None, None)
        if len(self._pcm) > limit:
            raise OutputTooLarge(f"more than {limit} bytes of samples")
        if status != EE_OK:
            raise EspeakError(f"espeak_Synth failed ({status})")
        return _little_endian(bytes(self._pcm))

    def close(self) -> None:
        self._lib.espeak_Terminate()


def _little_endian(pcm: bytes) -> bytes:
    if sys.byteorder == "little":
        return pcm
    samples = array("h", pcm)
    samples.byteswap()
    return samples.tobytes()
