"""Telephony audio: the resampler keeps a tone's frequency and level in the
telephone band and removes what would alias above 4 kHz; G.711 matches the
ITU reference (``audioop`` where Python still has it); the WAV files are the
formats a PBX expects; anything that is not a PCM WAV is refused."""

from __future__ import annotations

import io
import itertools
import math
import struct
import wave
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.speech.g711 import a_law_sample, encode, mu_law_sample
from nabat.system.speech.resample import resample
from nabat.system.speech.synthesiser import SynthesisError
from nabat.system.speech.telephony import read_pcm, to_telephony
from nabat.system.speech.wav import wav_file

ESPEAK_RATE = 22050
AMPLITUDE = 10000


def tone(frequency: float, rate: int = ESPEAK_RATE, seconds: float = 0.2) -> array[int]:
    count = int(rate * seconds)
    return array("h", (round(AMPLITUDE * math.sin(2 * math.pi * frequency * i / rate))
                       for i in range(count)))  # fmt: skip


def level_db(samples: array[int]) -> float:
    """RMS relative to the test tone's, the filter's edges left out."""
    middle = samples[100:-100]
    rms = math.sqrt(sum(sample * sample for sample in middle) / len(middle))
    return 20 * math.log10(max(rms, 1e-3) / (AMPLITUDE / math.sqrt(2)))


def frequency(samples: array[int], rate: int) -> float:
    middle = samples[100:-100]
    crossings = sum(1 for a, b in itertools.pairwise(middle) if a < 0 <= b)
    return crossings * rate / len(middle)


@pytest.mark.parametrize("hertz", [300, 1000, 2500, 3300])
def test_the_telephone_band_keeps_its_frequency_and_level(hertz: int) -> None:
    out = resample(tone(hertz), ESPEAK_RATE, 8000)
    assert len(out) == math.ceil(len(tone(hertz)) * 8000 / ESPEAK_RATE)
    assert frequency(out, 8000) == pytest.approx(hertz, rel=0.03)
    assert abs(level_db(out)) < 0.5


@pytest.mark.parametrize("hertz", [4400, 5000, 7000, 10000])
def test_what_would_alias_above_4_khz_is_removed(hertz: int) -> None:
    # decimated naively, 5000 Hz would come back as a loud 3000 Hz tone
    assert level_db(resample(tone(hertz), ESPEAK_RATE, 8000)) < -55


def test_naive_decimation_would_alias_which_is_what_the_filter_prevents() -> None:
    naive = tone(5000)[::3]  # 22050 / 3 = 7350 Hz, no low-pass
    assert level_db(naive) > -3  # the alias is as loud as the tone


def test_other_rates_and_the_same_rate() -> None:
    assert resample(tone(1000, 8000), 8000, 8000) == tone(1000, 8000)
    up = resample(tone(1000, 8000), 8000, 16000)
    assert frequency(up, 16000) == pytest.approx(1000, rel=0.03)
    down = resample(tone(1000, 48000), 48000, 8000)
    assert frequency(down, 8000) == pytest.approx(1000, rel=0.03)
    with pytest.raises(ValueError, match="positive"):
        resample([1, 2], 0, 8000)


@given(st.lists(st.integers(-32768, 32767), max_size=300))
@settings(max_examples=50, deadline=None)
def test_any_samples_resample_within_16_bits(samples: list[int]) -> None:
    out = resample(samples, ESPEAK_RATE, 8000)
    assert abs(len(out) - len(samples) * 8000 / ESPEAK_RATE) <= 1  # the duration is kept
    assert out.typecode == "h"


def test_g711_reference_values() -> None:
    # ITU G.711 / Sun g711.c: silence, full scale and the sign bit
    assert (a_law_sample(0), a_law_sample(-1), a_law_sample(32767), a_law_sample(-32768)) == (
        0xD5, 0x55, 0xAA, 0x2A)  # fmt: skip
    assert (mu_law_sample(0), mu_law_sample(-1), mu_law_sample(32767), mu_law_sample(-32768)) == (
        0xFF, 0x7E, 0x80, 0x00)  # fmt: skip


def test_g711_matches_audioop_where_python_has_it() -> None:
    audioop = pytest.importorskip("audioop")  # removed in Python 3.13
    samples = array("h", range(-32768, 32768, 3))
    assert encode(samples, "alaw") == audioop.lin2alaw(samples.tobytes(), 2)
    assert encode(samples, "ulaw") == audioop.lin2ulaw(samples.tobytes(), 2)


def test_to_telephony_gives_8_khz_16_bit_mono_pcm() -> None:
    wav = to_telephony(wav_file(tone(1000).tobytes(), ESPEAK_RATE))
    with wave.open(io.BytesIO(wav), "rb") as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, 8000)
        assert reader.getnframes() == 1600
    samples, rate = read_pcm(wav)
    assert rate == 8000 and frequency(samples, rate) == pytest.approx(1000, rel=0.03)


def test_stereo_and_8_bit_input_are_mixed_down() -> None:
    stereo = array("h", (s for sample in tone(1000) for s in (sample, sample)))
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(ESPEAK_RATE)
        writer.writeframes(stereo.tobytes())
    samples, rate = read_pcm(to_telephony(out.getvalue()))
    assert rate == 8000 and abs(level_db(samples)) < 0.5
    eight = bytes((sample >> 8) + 128 for sample in tone(1000))
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(1)
        writer.setframerate(ESPEAK_RATE)
        writer.writeframes(eight)
    samples, _ = read_pcm(to_telephony(out.getvalue()))
    assert frequency(samples, 8000) == pytest.approx(1000, rel=0.03)


@pytest.mark.parametrize(("encoding", "tag"), [("alaw", 6), ("ulaw", 7)])
def test_g711_wav_layout(encoding: str, tag: int) -> None:
    samples = tone(1000)
    wav = to_telephony(wav_file(samples.tobytes(), ESPEAK_RATE), encoding)  # type: ignore[arg-type]
    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE"
    assert struct.unpack("<I", wav[4:8])[0] == len(wav) - 8
    assert wav[12:16] == b"fmt " and struct.unpack("<I", wav[16:20])[0] == 18
    assert struct.unpack("<HHIIHHH", wav[20:38]) == (tag, 1, 8000, 8000, 1, 8, 0)
    assert wav[38:42] == b"fact" and struct.unpack("<I", wav[46:50])[0] == 1600
    assert wav[50:54] == b"data" and struct.unpack("<I", wav[54:58])[0] == 1600
    narrow = resample(samples, ESPEAK_RATE, 8000)
    assert wav[58:] == encode(narrow, encoding)


@pytest.mark.parametrize("data", [b"", b"noise", b"RIFF\0\0\0\0WAVEjunk", b"RIFF" + b"\xff" * 60])
def test_what_is_not_a_pcm_wav_is_refused(data: bytes) -> None:
    with pytest.raises(SynthesisError, match="not a PCM WAV"):
        to_telephony(data)


def test_g711_input_and_unknown_encodings_are_refused() -> None:
    alaw = to_telephony(wav_file(tone(1000).tobytes(), ESPEAK_RATE), "alaw")
    with pytest.raises(SynthesisError, match="not a PCM WAV"):
        to_telephony(alaw)  # A-law in, not PCM
    with pytest.raises(ValueError, match="unknown telephony encoding"):
        to_telephony(alaw, "gsm")  # type: ignore[arg-type]
