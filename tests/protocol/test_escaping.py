"""Parameter escaping: round trips, what must be escaped, hostile bytes."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.system.protocol.escaping import encode_text, escape, unescape, unescape_lenient
from nabat.system.protocol.exceptions import (
    BadEscape,
    ProtocolError,
    UndecodableBytes,
    UnencodableText,
    UnescapedControl,
)

from tests.protocol.strategies import UNENCODABLE, cp1251_text

# What an escaped parameter may contain: printable non-space ASCII but '%',
# raw bytes >= 0x80, or an upper-case %XX escape.
ESCAPED_FORM = re.compile(rb"(?:[\x21-\x24\x26-\x7e\x80-\xff]|%[0-9A-F]{2})*")


@given(cp1251_text)
def test_any_cp1251_text_survives_escape_and_unescape(text: str) -> None:
    assert unescape(escape(text)) == text


@given(cp1251_text)
def test_escaped_form_has_no_space_percent_or_control_byte(text: str) -> None:
    assert ESCAPED_FORM.fullmatch(escape(text))


@given(cp1251_text)
def test_lower_case_escapes_decode_the_same(text: str) -> None:
    lowered = re.sub(rb"%[0-9A-F]{2}", lambda m: m[0].lower(), escape(text))
    assert unescape(lowered) == text


@given(st.binary(max_size=30))
def test_escaping_every_byte_decodes_back_to_the_byte(raw: bytes) -> None:
    wire = b"".join(b"%%%02x" % b for b in raw)
    if 0x98 in raw:
        with pytest.raises(UndecodableBytes):
            unescape(wire)
    else:
        assert unescape(wire) == raw.decode("cp1251")


@given(st.binary(max_size=40))
def test_unescape_of_arbitrary_bytes_returns_text_or_a_protocol_error(raw: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        assert isinstance(unescape(raw), str)


@pytest.mark.parametrize(
    ("text", "wire"),
    [
        ("a b", b"a%20b"),
        ("100%", b"100%25"),
        ("tab\there", b"tab%09here"),
        ("cr\rlf\n", b"cr%0Dlf%0A"),
        ("\x00\x1f\x7f", b"%00%1F%7F"),
        ("Привет мир", "Привет".encode("cp1251") + b"%20" + "мир".encode("cp1251")),
        ("€", b"\x88"),  # the euro sign is in windows-1251
        ("", b""),
        ("a&b=c", b"a&b=c"),
    ],
)
def test_known_escapes(text: str, wire: bytes) -> None:
    assert escape(text) == wire
    assert unescape(wire) == text


def test_escaped_printable_ascii_is_accepted() -> None:
    assert unescape(b"%41%42c") == "ABc"


@pytest.mark.parametrize("char", UNENCODABLE)
def test_a_character_outside_cp1251_is_an_encode_error_naming_it(char: str) -> None:
    with pytest.raises(UnencodableText) as info:
        escape("ok " + char)
    assert info.value.code == "unencodable"
    assert f"U+{ord(char):04X}" in info.value.message
    assert "position 3" in info.value.message
    with pytest.raises(UnencodableText):
        encode_text(char)


@pytest.mark.parametrize(
    ("wire", "detail"),
    [
        (b"%", "at the end"),
        (b"abc%", "at the end"),
        (b"%4", "at the end"),
        (b"%G1", "followed by 'G1'"),
        (b"50%off", "followed by 'of'"),
        (b"%%41", "followed by '%4'"),
        (b"ok%2", "at the end"),
    ],
)
def test_a_stray_percent_is_a_clear_decode_error(wire: bytes, detail: str) -> None:
    with pytest.raises(BadEscape) as info:
        unescape(wire, "parameter 2")
    assert info.value.code == "bad-escape"
    assert info.value.message.startswith("parameter 2: stray '%'")
    assert detail in info.value.message


@pytest.mark.parametrize("wire", [b"\x98", b"%98", b"ok%98", b"\xc0\x98"])
def test_the_undefined_cp1251_byte_is_an_error_raw_or_escaped(wire: bytes) -> None:
    with pytest.raises(UndecodableBytes) as info:
        unescape(wire)
    assert "0x98" in info.value.message


@pytest.mark.parametrize("wire", [b"a\tb", b"\x00", b"x\x1b[31m", b"del\x7f", b"\r"])
def test_raw_control_bytes_are_rejected(wire: bytes) -> None:
    with pytest.raises(UnescapedControl):
        unescape(wire)


def test_lenient_unescape_keeps_what_strict_rejects() -> None:
    assert unescape_lenient(b"100% sure%20now \x98") == "100% sure now \ufffd"
    assert unescape_lenient(b"%") == "%"
    assert unescape_lenient(b"\xc7\xe0\xe4\xe0\xed\xe8\xe5") == "Задание"
