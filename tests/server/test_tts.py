"""GETTTS and TTS through a real server session: the default synthesiser (the
libespeak-ng of the pip-installed ``espeakng-loader``) speaking Russian, a
fake espeak-ng executable written into tmp_path for the process handling of
the executable backend, and the Debian espeak-ng as an extra when installed."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from nabat.system.licence import Licence
from nabat.system.protocol import Reply
from nabat.system.speech.cache import TTS_CACHE_DIR, CachedSynthesiser
from nabat.system.speech.executable import ExecutableSynthesiser, parse_voices
from nabat.system.speech.library import LibrarySynthesiser
from nabat.system.speech.synthesiser import SynthesisError
from nabat.system.speech.wav import fix_wav_sizes

from tests.server.conftest import Start
from tests.speech.audio import read_wav
from tests.speech.platforms import LIBRARY_WHEEL_MISSING, library_wheel_exists

VOICES = """\
Pty Language       Age/Gender VoiceName          File                 Other Languages
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  ru              --/M      Russian            zle/ru
"""

FAKE = '''#!{python}
"""Behaves like espeak-ng: --voices, or -v VOICE --stdout with the text on stdin."""
import struct, sys, time
args = sys.argv[1:]
if args == ["--voices"]:
    sys.stdout.write({voices!r})
    sys.exit(0)
assert args[0] == "-v" and args[2] == "--stdout", args
text = sys.stdin.buffer.read()
if text == b"SLEEP":
    time.sleep(30)
if text == b"FAIL":
    sys.stderr.write("Error: something broke \u4e2d\\n")
    sys.exit(3)
if text == b"NOTWAV":
    sys.stdout.buffer.write(b"just some bytes")
    sys.exit(0)
if text == b"HUGE":
    sys.stdout.buffer.write(b"RIFF" + b"\\0" * 200_000)
    sys.exit(0)
pcm = args[1].encode() + b":" + text
fmt = struct.pack("<HHIIHH", 1, 1, 22050, 44100, 2, 16)
sys.stdout.buffer.write(b"RIFF" + struct.pack("<I", 0x7FFFFFFF) + b"WAVE"
                        + b"fmt " + struct.pack("<I", 16) + fmt
                        + b"data" + struct.pack("<I", 0x7FFFFFFF) + pcm)
'''


def code(reply: Reply) -> str | None:
    return None if reply.error is None else str(reply.error.code)


@pytest.fixture
def fake_espeak(tmp_path: Path) -> str:
    path = tmp_path / "fake-espeak-ng"
    path.write_text(FAKE.format(python=sys.executable, voices=VOICES), encoding="utf-8")
    path.chmod(0o755)
    return str(path)


async def test_getttts_lists_voices(start_server: Start, fake_espeak: str) -> None:
    server = await start_server(tts_command=fake_espeak)
    viewer = await server.client("viewer")
    reply = await viewer.request("GETTTS")
    assert reply.ok, reply
    assert reply.rows == (("en-us", "en-US", "English (America)"), ("ru", "ru", "Russian"))
    await viewer.close()


async def test_tts_returns_the_synthesisers_wav(start_server: Start, fake_espeak: str) -> None:
    server = await start_server(tts_command=fake_espeak)
    oper = await server.client("oper")
    text = "Внимание! Учебная тревога, 100%"
    reply = await oper.request("TTS", "ru", text)
    assert reply.ok and reply.head == ("WAV",), reply
    audio = reply.data()
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"
    spoken = "Внимание! Учебная тревога, сто процентов"  # numbers in words for a Russian voice
    assert audio.endswith(b"ru:" + spoken.encode("utf-8"))  # the text reached stdin as UTF-8
    assert int.from_bytes(audio[4:8], "little") == len(audio) - 8  # placeholder sizes fixed
    assert int.from_bytes(audio[40:44], "little") == len(audio) - 44
    await oper.close()


async def test_a_repeated_text_is_synthesised_once(start_server: Start, fake_espeak: str) -> None:
    server = await start_server(tts_command=fake_espeak)
    cached = server.context.synthesiser
    assert isinstance(cached, CachedSynthesiser)
    oper = await server.client("oper")
    first = await oper.request("TTS", "ru", "Сбор в 14:30")
    second = await oper.request("TTS", "ru", "Сбор в 14:30")
    assert first.ok and second.ok and first.data() == second.data()
    assert first.data().endswith("ru:Сбор в четырнадцать часов тридцать минут".encode())
    assert cached.syntheses == 1
    assert len(list((server.context.data_dir / TTS_CACHE_DIR).glob("*.wav"))) == 1  # on disk too
    assert (await oper.request("TTS", "en-us", "Сбор в 14:30")).ok  # another voice: another key
    assert cached.syntheses == 2
    await oper.close()


async def test_tts_errors(start_server: Start, fake_espeak: str) -> None:
    server = await start_server(tts_command=fake_espeak, tts_timeout=0.5)
    oper = await server.client("oper")
    reply = await oper.request("TTS", "xx", "hello")
    assert code(reply) == "ERR_GETTTS" and reply.error is not None
    assert "no voice 'xx'" in reply.error.text
    reply = await oper.request("TTS", "ru", "SLEEP")
    assert code(reply) == "ERR_GETTTS" and reply.error is not None
    assert "longer than 0.5 s" in reply.error.text
    reply = await oper.request("TTS", "ru", "FAIL")
    assert reply.error is not None and "exit 3" in reply.error.text
    assert "something broke ?" in reply.error.text  # not cp1251: '?', the session goes on
    reply = await oper.request("TTS", "ru", "NOTWAV")
    assert reply.error is not None and "did not return a WAV" in reply.error.text
    cached = server.context.synthesiser
    assert isinstance(cached, CachedSynthesiser)
    synthesiser = cached.inner
    assert isinstance(synthesiser, ExecutableSynthesiser)
    synthesiser.max_audio = 100_000
    reply = await oper.request("TTS", "ru", "HUGE")
    assert reply.error is not None and "more than 100000 bytes" in reply.error.text
    assert (await oper.request("TTS", "ru", "still works")).ok
    assert code(await oper.request("TTS", "ru")) == "ERR_BADARGUMENT_COUNT"
    assert code(await oper.request("TTS", "", "x")) == "ERR_BADSYNTAX"
    await oper.close()


async def test_rights(start_server: Start, fake_espeak: str) -> None:
    server = await start_server(tts_command=fake_espeak)
    viewer = await server.client("viewer")
    assert code(await viewer.request("TTS", "ru", "x")) == "ERR_NOACCESS"
    assert (await viewer.request("GETTTS")).ok
    await viewer.close()


async def test_no_synthesiser(start_server: Start, tmp_path: Path) -> None:
    for command in ("", str(tmp_path / "missing")):
        server = await start_server(tts_command=command)
        assert server.context.synthesiser is None
        oper = await server.client("oper")
        for reply in (await oper.request("GETTTS"), await oper.request("TTS", "ru", "x")):
            assert code(reply) == "ERR_GETTTS" and reply.error is not None
            assert "no speech synthesiser" in reply.error.text
        await oper.close()


@pytest.mark.parametrize(
    ("licence", "reason"),
    [
        (Licence(source="t", gsm_modems=1, dynamic_tts=False), "does not allow dynamic"),
        (Licence.no_dongle("test"), "no licence key"),
    ],
)
async def test_licence_without_dynamic_tts(
    start_server: Start, fake_espeak: str, licence: Licence, reason: str
) -> None:
    server = await start_server(licence, tts_command=fake_espeak)
    oper = await server.client("oper")
    for reply in (await oper.request("GETTTS"), await oper.request("TTS", "ru", "x")):
        assert code(reply) == "ERR_GETTTS" and reply.error is not None
        assert reason in reply.error.text
    await oper.close()


def test_parse_voices_and_wav_sizes() -> None:
    voices = parse_voices(VOICES + "garbage line\n 5  mi  --/M  Māori_中  poz/mi\n")
    names = [(v.name, v.language) for v in voices]
    assert names == [("en-us", "en-US"), ("ru", "ru"), ("mi", "mi")]
    assert voices[-1].description == "Maori ?"  # representable in windows-1251
    wav = b"RIFF\xff\xff\xff\x7fWAVEfmt \x02\x00\x00\x00abdata\xff\xff\xff\x7fPCM"
    fixed = fix_wav_sizes(wav)
    assert fixed[4:8] == (len(wav) - 8).to_bytes(4, "little") and fixed.endswith(b"\x03\0\0\0PCM")


async def test_unrunnable_command(tmp_path: Path) -> None:
    synthesiser = ExecutableSynthesiser(str(tmp_path / "gone"))
    with pytest.raises(SynthesisError, match="cannot run"):
        await synthesiser.voices()


@pytest.mark.skipif(not library_wheel_exists(), reason=LIBRARY_WHEEL_MISSING)
async def test_by_default_the_pip_installed_library_speaks_russian(start_server: Start) -> None:
    server = await start_server()  # tts_command unset: whatever is on PATH does not matter
    cached = server.context.synthesiser
    assert isinstance(cached, CachedSynthesiser) and isinstance(cached.inner, LibrarySynthesiser)
    oper = await server.client("oper")
    voices = {row[0]: row for row in (await oper.request("GETTTS")).rows}
    assert voices["ru"] == ("ru", "ru", "Russian") and voices["en-us"][1] == "en-US"
    reply = await oper.request("TTS", "ru", "Внимание, учебная тревога")
    assert reply.ok and reply.head == ("WAV",), reply
    audio = read_wav(reply.data())
    assert (audio.channels, audio.sample_width, audio.sample_rate) == (1, 2, 22050)
    assert 0.8 < audio.seconds < 8.0 and audio.peak > 2000, audio  # speech, not silence
    await oper.close()
    admin = await server.client("admin")
    config = {row[0]: row[1] for row in (await admin.request("GETCONFIG")).rows}
    assert config["tts_command"] == LibrarySynthesiser.source  # the synthesiser in use
    await admin.close()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="extra: espeak-ng is not installed")
async def test_real_espeak_ng_executable(start_server: Start) -> None:
    command = shutil.which("espeak-ng")
    assert command is not None
    server = await start_server(tts_command=command)
    assert isinstance(server.context.synthesiser, ExecutableSynthesiser)
    oper = await server.client("oper")
    voices = {row[0]: row for row in (await oper.request("GETTTS")).rows}
    assert "ru" in voices and "en-us" in voices
    reply = await oper.request("TTS", "ru", "Внимание, учебная тревога")
    assert reply.ok and reply.head == ("WAV",), reply
    audio = reply.data()
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE" and len(audio) > 10_000
    assert int.from_bytes(audio[4:8], "little") == len(audio) - 8
    await oper.close()
