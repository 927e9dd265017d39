"""The optional HMAC signature: valid, invalid, missing when required, the CLI."""

from __future__ import annotations

import logging
import tomllib

import pytest
from nabat.system.licence import LicenceError, LicenceFileError, load_licence, sign
from nabat.system.licence.__main__ import main

from tests.licence.conftest import WriteLicence

KEY = {"NABAT_LICENCE_KEY": "s3cret"}


def signed(write_licence: WriteLicence, key: str = "s3cret", **changes: str | None) -> str:
    fields = tomllib.loads(write_licence(**changes).read_text(encoding="utf-8"))
    return '"' + sign(fields, key.encode()) + '"'


def test_valid_signature(write_licence: WriteLicence) -> None:
    path = write_licence(signature=signed(write_licence))
    assert load_licence(path, environ=KEY).boards == 2


def test_signature_ignores_formatting(write_licence: WriteLicence) -> None:
    signature = signed(write_licence)
    path = write_licence(signature=signature)
    path.write_text("# moved\n" + "\n".join(reversed(path.read_text().splitlines())) + "\n")
    assert load_licence(path, environ=KEY).holder == "ООО Пример"


def test_altered_file_is_refused(write_licence: WriteLicence) -> None:
    path = write_licence(signature=signed(write_licence), boards="20")
    with pytest.raises(LicenceFileError, match="does not match") as info:
        load_licence(path, environ=KEY)
    assert info.value.field == "signature"


def test_other_key_is_refused(write_licence: WriteLicence) -> None:
    path = write_licence(signature=signed(write_licence, key="other"))
    with pytest.raises(LicenceFileError, match="does not match"):
        load_licence(path, environ=KEY)


def test_missing_signature_when_key_is_set(write_licence: WriteLicence) -> None:
    with pytest.raises(LicenceFileError, match="must be signed") as info:
        load_licence(write_licence(), environ=KEY)
    assert info.value.field == "signature"


def test_unchecked_signature_without_key(
    write_licence: WriteLicence, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_licence(signature='"' + "0" * 64 + '"')
    with caplog.at_level(logging.WARNING):
        assert load_licence(path, environ={}).dongle
    assert "signature not checked" in caplog.text


def test_empty_key_is_an_error(write_licence: WriteLicence) -> None:
    with pytest.raises(LicenceError, match="set but empty"):
        load_licence(write_licence(), environ={"NABAT_LICENCE_KEY": " "})


def test_cli_sign_and_show(
    write_licence: WriteLicence,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_licence()
    monkeypatch.setenv("NABAT_LICENCE_KEY", "s3cret")
    assert main(["sign", str(path)]) == 0
    line = capsys.readouterr().out.strip()
    assert line == f"signature = {signed(write_licence)}"
    path.write_text(path.read_text() + line + "\n")
    assert main(["show", str(path)]) == 0
    assert "ООО Пример" in capsys.readouterr().out
    monkeypatch.delenv("NABAT_LICENCE_KEY")
    assert main(["sign", str(path)]) == 2
    path.write_text("boards = x\n")
    assert main(["show", str(path)]) == 1
    assert "not valid TOML" in capsys.readouterr().err
