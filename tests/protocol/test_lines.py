"""One line: round trips, empty parameters, every kind of malformed line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.system.protocol.escaping import escape
from nabat.system.protocol.exceptions import (
    BadCommandWord,
    BadEscape,
    BareCarriageReturn,
    BareLineFeed,
    EmptyLine,
    LineTooLong,
    ProtocolError,
    UndecodableBytes,
    UnencodableText,
    UnescapedControl,
)
from nabat.system.protocol.lines import (
    MAX_LINE_LENGTH,
    Line,
    decode_line,
    decode_reply_line,
    encode_line,
    encode_lines,
    peek_word,
)

from tests.protocol.strategies import params, words


@given(words, params)
def test_any_line_survives_encode_and_decode(word: str, values: list[str]) -> None:
    data = encode_line(word, values)
    assert data.endswith(b"\r\n") and data.count(b"\n") == 1
    assert decode_line(data) == Line(word, tuple(values))
    assert decode_line(data[:-2]) == Line(word, tuple(values))  # CRLF is optional


@given(words, params)
def test_the_one_pass_encoder_matches_escaping_each_parameter(word: str, values: list[str]) -> None:
    # encode_line escapes a whole line at once when it can; it must be byte
    # for byte what escaping parameter by parameter gives (NULs, spaces, % too)
    expected = b" ".join([word.encode("ascii"), *map(escape, values)]) + b"\r\n"
    assert encode_line(word, values) == expected


@given(words, params)
def test_the_reply_decoder_agrees_on_lines_that_are_not_errors(
    word: str, values: list[str]
) -> None:
    if values and values[0].startswith("ERR_"):
        values[0] = "x" + values[0]
    assert decode_reply_line(encode_line(word, values)) == Line(word, tuple(values))


@given(words, st.from_regex(r"ERR_[A-Z_]{1,20}", fullmatch=True), st.text(max_size=30))
def test_an_error_reply_always_decodes_to_code_and_text(word: str, code: str, text: str) -> None:
    text = text.encode("cp1251", errors="replace").decode("cp1251")
    assert decode_reply_line(encode_line(word, [code, text])) == Line(word, (code, text))


@pytest.mark.parametrize(
    ("wire", "line"),
    [
        (b"PING\r\n", Line("PING")),
        (b"PING \r\n", Line("PING", ("",))),
        (b"CMD a  b\r\n", Line("CMD", ("a", "", "b"))),
        (b"CMD a \r\n", Line("CMD", ("a", ""))),
        (b"CMD  \r\n", Line("CMD", ("", ""))),
        (b"GETABONENTS  5\r\n", Line("GETABONENTS", ("", "5"))),
        (b"LOGIN admin p%20w\r\n", Line("LOGIN", ("admin", "p w"))),
        (b"ADDGROUP \xc3\xf0\xf3\xef\xef\xe0\r\n", Line("ADDGROUP", ("Группа",))),
    ],
)
def test_empty_parameters_are_the_empty_string_between_separators(wire: bytes, line: Line) -> None:
    assert decode_line(wire) == line
    assert encode_line(line.command, line.params) == wire


def test_encode_lines_joins_lines() -> None:
    assert encode_lines([Line("A", ("1",)), Line("B")]) == b"A 1\r\nB\r\n"
    assert Line("A", ("x y",)).encode() == b"A x%20y\r\n"


@pytest.mark.parametrize(
    ("wire", "error", "code"),
    [
        (b"\r\n", EmptyLine, "empty-line"),
        (b"", EmptyLine, "empty-line"),
        (b"login a b\r\n", BadCommandWord, "bad-command"),
        (b"Login\r\n", BadCommandWord, "bad-command"),
        (b"GET_TASK 1\r\n", BadCommandWord, "bad-command"),
        (b"GET1\r\n", BadCommandWord, "bad-command"),
        (b" PING\r\n", BadCommandWord, "bad-command"),
        (b"PING\tx\r\n", BadCommandWord, "bad-command"),
        (b"\xcf\xc8\xcd\xc3\r\n", BadCommandWord, "bad-command"),
        (b"PING\n", BareLineFeed, "bare-lf"),
        (b"PING x\ny\r\n", BareLineFeed, "bare-lf"),
        (b"PING\r", BareCarriageReturn, "bare-cr"),
        (b"PING a\rb\r\n", BareCarriageReturn, "bare-cr"),
        (b"GETTASK %\r\n", BadEscape, "bad-escape"),
        (b"GETTASK 1%\r\n", BadEscape, "bad-escape"),
        (b"GETTASK %zz\r\n", BadEscape, "bad-escape"),
        (b"GETTASK \x98\r\n", UndecodableBytes, "undecodable"),
        (b"GETTASK a\x00b\r\n", UnescapedControl, "raw-control"),
    ],
)
def test_malformed_lines_raise_distinct_errors(
    wire: bytes, error: type[ProtocolError], code: str
) -> None:
    with pytest.raises(error) as info:
        decode_line(wire)
    assert type(info.value) is error
    assert info.value.code == code
    assert info.value.message
    assert info.value.reply_code == "ERR_BADSYNTAX"


def test_lower_case_word_message_says_upper_case() -> None:
    with pytest.raises(BadCommandWord, match="upper-case"):
        decode_line(b"login a b\r\n")


def test_parameter_errors_name_the_parameter_and_keep_the_word() -> None:
    with pytest.raises(BadEscape) as info:
        decode_line(b"LOGIN admin 100%\r\n")
    assert info.value.word == "LOGIN"
    assert info.value.message.startswith("parameter 2:")


def test_maximum_length_counts_the_crlf_and_is_configurable() -> None:
    body = b"PING " + b"x" * (MAX_LINE_LENGTH - 7)
    assert len(body) + 2 == MAX_LINE_LENGTH
    assert decode_line(body + b"\r\n").command == "PING"
    with pytest.raises(LineTooLong) as info:
        decode_line(body + b"x\r\n")
    assert info.value.word == "PING"
    assert decode_line(b"AB c\r\n", max_length=6) == Line("AB", ("c",))
    with pytest.raises(LineTooLong):
        decode_line(b"AB cd\r\n", max_length=6)


def test_encoder_refuses_what_a_decoder_would_reject() -> None:
    for word in ("login", "", "A B", "GET1", "ЛОГИН"):
        with pytest.raises(BadCommandWord):
            encode_line(word)
    with pytest.raises(UnencodableText):
        encode_line("ADDGROUP", ["中文", ""])
    with pytest.raises(LineTooLong):
        encode_line("PING", ["x" * MAX_LINE_LENGTH])
    with pytest.raises(LineTooLong):
        encode_line("PING", [" " * 3], max_length=10)  # escaping triples the size


@pytest.mark.parametrize(
    ("wire", "line"),
    [
        (
            b"GETTASK ERR_GETTASK \xc7\xe0\xe4\xe0\xed\xe8\xe5%20\xed\xe5",
            ("ERR_GETTASK", "Задание не"),
        ),
        (b"GETTASK ERR_GETTASK task not found", ("ERR_GETTASK", "task not found")),
        (b"GETTASK ERR_GETTASK 100% wrong\r\n", ("ERR_GETTASK", "100% wrong")),
        (b"GETTASK ERR_GETTASK two  spaces ", ("ERR_GETTASK", "two  spaces ")),
        (b"GETTASK ERR_GETTASK", ("ERR_GETTASK", "")),
        (b"GETTASK ERR_GETTASK ", ("ERR_GETTASK", "")),
        (b"GETTASK ERR_GETTASK a\tb\x98", ("ERR_GETTASK", "a\tb\ufffd")),
    ],
)
def test_reply_decoder_accepts_unescaped_error_text(wire: bytes, line: tuple[str, str]) -> None:
    assert decode_reply_line(wire) == Line("GETTASK", line)


def test_reply_decoder_is_strict_elsewhere() -> None:
    with pytest.raises(BadEscape):
        decode_reply_line(b"GETTASK OK 100%\r\n")
    with pytest.raises(BadCommandWord):
        decode_reply_line(b"gettask ERR_GETTASK x\r\n")
    with pytest.raises(BareLineFeed):
        decode_reply_line(b"GETTASK ERR_GETTASK x\ny\r\n")


@pytest.mark.parametrize(
    ("data", "complete", "word"),
    [
        (b"LOGIN a b", True, "LOGIN"),
        (b"PING", True, "PING"),
        (b"PING", False, None),
        (b"PING\r\n", True, "PING"),
        (b"GETTASK 1", False, "GETTASK"),
        (b"get 1", True, None),
        (b"", True, None),
    ],
)
def test_peek_word(data: bytes, complete: bool, word: str | None) -> None:
    assert peek_word(data, complete=complete) == word
