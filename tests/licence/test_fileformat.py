"""The licence file: a valid file, each field's errors, the development licence."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from nabat.system.licence import FORMAT_VERSION, Licence, LicenceFileError, load_licence

from tests.licence.conftest import WriteLicence

NO_KEY: dict[str, str] = {}


def test_valid_file(write_licence: WriteLicence) -> None:
    licence = load_licence(write_licence(), environ=NO_KEY)
    assert licence == Licence(
        source=f"licence file {write_licence()}",
        holder="ООО Пример",
        expires=date(2030, 12, 31),
        boards=2,
        gsm_modems=1,
        dynamic_tts=True,
        email=True,
        e1=False,
    )
    assert not licence.development
    assert FORMAT_VERSION == 1


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("format", "2", "must be 1"),
        ("format", '"1"', "must be 1"),
        ("format", None, "missing"),
        ("holder", '""', "non-empty text"),
        ("holder", "   3", "non-empty text"),
        ("holder", '"a\\tb"', "control characters"),
        ("holder", None, "missing"),
        ("expires", '"2030-12-31"', "bare TOML date"),
        ("expires", "2030-12-31T00:00:00", "bare TOML date"),
        ("expires", None, "missing"),
        ("boards", "-1", "integer 0..1000"),
        ("boards", "1001", "integer 0..1000"),
        ("boards", "2.0", "integer 0..1000"),
        ("boards", "true", "integer 0..1000"),
        ("boards", None, "missing"),
        ("gsm_modems", '"4"', "integer 0..1000"),
        ("gsm_modems", None, "missing"),
        ("dynamic_tts", "1", "true or false"),
        ("dynamic_tts", None, "missing"),
        ("email", '"yes"', "true or false"),
        ("email", None, "missing"),
        ("e1", "0", "true or false"),
        ("e1", None, "missing"),
        ("dongle", "1", "true or false"),
        ("signature", '"abc"', "64 hex digits"),
        ("gsm_modem", "1", "unknown field"),
    ],
)
def test_field_errors(
    write_licence: WriteLicence, field: str, value: str | None, problem: str
) -> None:
    path = write_licence(**{field: value})
    with pytest.raises(LicenceFileError) as info:
        load_licence(path, environ=NO_KEY)
    assert info.value.field == field
    assert info.value.path == path
    assert problem in str(info.value)
    assert str(path) in str(info.value) and repr(field) in str(info.value)


def test_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(LicenceFileError, match="no such file"):
        load_licence(missing, environ=NO_KEY)
    bad = tmp_path / "bad.toml"
    bad.write_text("boards = = 3\n")
    with pytest.raises(LicenceFileError, match="not valid TOML") as info:
        load_licence(bad, environ=NO_KEY)
    assert info.value.field is None
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b'holder = "\xff"\n')
    with pytest.raises(LicenceFileError, match="not UTF-8"):
        load_licence(binary, environ=NO_KEY)


def test_no_dongle_file(tmp_path: Path) -> None:
    path = tmp_path / "none.toml"
    path.write_text('format = 1\ndongle = false\nholder = "x"\n')
    licence = load_licence(path, environ=NO_KEY)
    assert not licence.dongle
    assert licence.key_reason() is not None
    path.write_text("format = 1\ndongle = false\nboards = 3\n")
    with pytest.raises(LicenceFileError, match="not allowed when dongle = false") as info:
        load_licence(path, environ=NO_KEY)
    assert info.value.field == "boards"


def test_development_licence_is_loud(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        licence = load_licence(None, environ=NO_KEY)
    assert licence.development
    assert licence.expires is None
    assert all([licence.boards, licence.gsm_modems, licence.dynamic_tts, licence.email])
    assert licence.e1
    assert "DEVELOPMENT LICENCE" in licence.describe()
    assert "DEVELOPMENT LICENCE" in caplog.text


def test_no_file_with_key_means_no_licence(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        licence = load_licence(None, environ={"NABAT_LICENCE_KEY": "secret"})
    assert not licence.dongle and not licence.development
    assert "NO LICENCE KEY" in caplog.text


def test_describe_names_the_terms(write_licence: WriteLicence) -> None:
    text = load_licence(write_licence(), environ=NO_KEY).describe()
    assert "ООО Пример" in text and "2030-12-31" in text
    assert "2 boards" in text and "1 GSM modems" in text and "email" in text
