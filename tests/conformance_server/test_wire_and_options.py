"""The suite's own codec, evidence redaction and option parsing, without a server."""

from __future__ import annotations

from pathlib import Path

import pytest
from nabat.conformance.server.cases import SUITE
from nabat.conformance.server.evidence import LineExchange
from nabat.conformance.server.options import parse_target, settings_from
from nabat.conformance.server.wire import (
    EncodeError,
    decode_line,
    encode_line,
    escape,
    redacted,
    unescape,
)


def test_escape_only_what_must_be() -> None:
    assert escape("a b%c\td\r\n") == b"a%20b%25c%09d%0D%0A"
    assert escape("Привет") == "Привет".encode("cp1251")
    assert escape("€№") == b"\x88\xb9"
    with pytest.raises(EncodeError):
        escape("中")


def test_unescape_reports_problems() -> None:
    assert unescape(b"%2a%41") == (b"*A", None)
    assert unescape(b"100%")[1] == "stray %"
    assert unescape(b"a\x01")[1] == "raw control byte 0x01"


def test_encode_and_decode_lines() -> None:
    assert encode_line("ADDGROUP", ["a b", ""]) == b"ADDGROUP a%20b \r\n"
    line = decode_line(b"ADDGROUP OK 5 a%20b ")
    assert (line.word, line.status, line.args) == ("ADDGROUP", "OK", ("5", "a b", ""))
    error = decode_line("GETTASK ERR_GETTASK Задание не найдено.".encode("cp1251"))
    assert error.is_error and error.error_text == "Задание не найдено."
    assert decode_line(b"ok x").problem is not None
    assert decode_line(b"X \x98").problem == "bytes undecodable in windows-1251"


def test_passwords_are_redacted_in_evidence() -> None:
    assert redacted("LOGIN", ["admin", "secret"]) == ("admin", "***")
    assert redacted("USERADD", ["u", "secret", "0", "n", "d"])[1] == "***"
    assert redacted("CHECKPASSW", ["u"]) == ("u",)
    exchange = LineExchange("x", (encode_line("LOGIN", redacted("LOGIN", ["a", "s3cr3t"])),),
                            (b"LOGIN OK hi",))
    assert "s3cr3t" not in exchange.render_text() + str(exchange.to_dict())
    assert exchange.to_dict()["request"][0]["text"] == "LOGIN a ***\r\n"


@pytest.mark.parametrize(("target", "expected"), [
    ("127.0.0.1:7021", ("127.0.0.1", 7021)),
    ("localhost:1", ("localhost", 1)),
    ("[::1]:7021", ("::1", 7021)),
])
def test_targets(target: str, expected: tuple[str, int]) -> None:
    assert parse_target(target) == expected


@pytest.mark.parametrize("target", ["http://127.0.0.1:7021", "127.0.0.1", "h:0", "h:70000", ""])
def test_bad_targets(target: str) -> None:
    with pytest.raises(ValueError, match=r"port|HOST:PORT"):
        parse_target(target)


def test_settings_need_login_password_and_one_tls_choice() -> None:
    with pytest.raises(ValueError, match="--login"):
        settings_from("h:1", {"password": "p"})
    with pytest.raises(ValueError, match="either --ca"):
        settings_from("h:1", {"login": "a", "password": "p", "ca": __file__, "insecure": True})
    with pytest.raises(ValueError, match="run-prefix"):
        settings_from("h:1", {"login": "a", "password": "p", "run_prefix": "X"})
    assert settings_from("h:1", {"login": "a", "password": "p", "insecure": True}).port == 1


def test_every_clause_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "conformance.md").read_text("utf-8")
    missing = [clause.id for clause in SUITE.registry if f"`{clause.id}`" not in doc]
    assert missing == []
    assert f"declares {len(SUITE.registry)} clauses" in doc and f"by {len(SUITE)} cases" in doc
