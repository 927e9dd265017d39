"""Appendix B as a table: literal codes, intended codes, reply lines."""

from __future__ import annotations

import re

import pytest
from nabat.system.protocol.errors import (
    APPENDIX_B,
    PROJECT_CODES,
    ErrorCode,
    ErrorReply,
    error_for,
    error_line,
    meanings,
    parse_error,
)
from nabat.system.protocol.exceptions import (
    AccessDenied,
    ArgumentCountError,
    BadEscape,
    InvalidField,
    LineTooLong,
    UnknownCommand,
)
from nabat.system.protocol.lines import Line, decode_reply_line, encode_line

from tests.protocol.spec_excerpt import SPEC_MISSING, SPEC_PATH, normalise


@pytest.mark.skipif(not SPEC_PATH.exists(), reason=SPEC_MISSING)
def test_appendix_b_is_transcribed_in_order_and_verbatim() -> None:
    spec = SPEC_PATH.read_text(encoding="utf-8")
    appendix = spec[spec.rindex("Приложение Б") :]
    entries = re.findall(r"^(ERR_[A-Z_]+) (.+)$", appendix, re.MULTILINE)
    assert [(e.code, normalise(e.text)) for e in APPENDIX_B] == [
        (code, normalise(text)) for code, text in entries
    ]


def test_reused_codes_keep_the_literal_and_record_the_intended_one() -> None:
    reused = {e.name: (e.code, e.intended) for e in APPENDIX_B if e.code != e.intended}
    assert reused == {
        "LISTDELABONENTS": ("ERR_LISTADDABONENTS", "ERR_LISTDELABONENTS"),
        "LISTDELGROUPS": ("ERR_LISTADDGROUPS", "ERR_LISTDELGROUPS"),
        "DELTASK": ("ERR_ADDTASK", "ERR_DELTASK"),
    }
    assert ErrorCode.DELTASK.accepted == {"ERR_ADDTASK", "ERR_DELTASK"}
    assert ErrorCode.GETTASK.accepted == {"ERR_GETTASK"}
    assert set(meanings("ERR_ADDTASK")) == {ErrorCode.ADDTASK, ErrorCode.DELTASK}
    assert meanings("ERR_DELTASK") == (ErrorCode.DELTASK,)
    assert meanings("ERR_UNHEARD_OF") == ()


def test_project_codes_are_few_marked_and_not_in_the_spec() -> None:
    assert {e.code for e in PROJECT_CODES} == {
        "ERR_ADDABONENT", "ERR_UPDATEABONENT", "ERR_GETCHANINFO", "ERR_SETCHANINFO",
        "ERR_SETCONFIG", "ERR_SENDRAWFILE", "ERR_BUSY", "ERR_INTERNAL",
    }  # fmt: skip
    appendix_codes = {e.code for e in APPENDIX_B} | {e.intended for e in APPENDIX_B}
    assert not appendix_codes & {e.code for e in PROJECT_CODES}
    for error in ErrorCode:
        assert error.code.startswith("ERR_") and error.text and error.meaning
        assert error.text.encode("cp1251")


def test_error_lines_round_trip_with_the_default_or_a_given_text() -> None:
    line = error_line("GETTASK", ErrorCode.GETTASK)
    assert line == Line("GETTASK", ("ERR_GETTASK", "Задание не найдено."))
    wire = encode_line(line.command, line.params)
    assert wire == b"GETTASK ERR_GETTASK " + "Задание%20не%20найдено.".encode("cp1251") + b"\r\n"
    reply = parse_error(decode_reply_line(wire))
    assert reply == ErrorReply("GETTASK", "ERR_GETTASK", "Задание не найдено.")
    assert reply.means(ErrorCode.GETTASK)
    assert error_line("DELTASK", ErrorCode.DELTASK, "busy").params == ("ERR_ADDTASK", "busy")
    assert error_line("X", "ERR_NOHASP").params[1] == ErrorCode.NOHASP.text
    assert error_line("X", "ERR_OTHER").params == ("ERR_OTHER", "")


def test_a_suite_accepts_either_code_of_a_reused_meaning() -> None:
    literal = parse_error(Line("DELTASK", ("ERR_ADDTASK", "x")))
    intended = parse_error(Line("DELTASK", ("ERR_DELTASK", "x")))
    assert literal.means(ErrorCode.DELTASK) and intended.means(ErrorCode.DELTASK)
    assert not intended.means(ErrorCode.ADDTASK)
    assert ErrorCode.DELTASK in literal.meanings


def test_parse_error_joins_text_a_strict_decoder_split() -> None:
    assert parse_error(Line("X", ("ERR_A", "no", "such", "", "task"))).text == "no such  task"
    assert parse_error(Line("X", ("ERR_A",))).text == ""
    with pytest.raises(ValueError):
        parse_error(Line("X", ("OK",)))


@pytest.mark.parametrize(
    ("exc", "error"),
    [
        (BadEscape("x"), ErrorCode.BADSYNTAX),
        (LineTooLong("x"), ErrorCode.BADSYNTAX),
        (UnknownCommand("x"), ErrorCode.BADSYNTAX),
        (InvalidField("id", "x"), ErrorCode.BADSYNTAX),
        (ArgumentCountError("x"), ErrorCode.BADARGUMENT_COUNT),
        (AccessDenied("x"), ErrorCode.NOACCESS),
    ],
)
def test_codec_errors_map_to_appendix_b(exc: Exception, error: ErrorCode) -> None:
    assert error_for(exc) is error  # type: ignore[arg-type]
