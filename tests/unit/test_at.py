"""AT line codec, both sides (nabat.system.wire.at): the modem's command-line reader and
parser, the terminal's response parser, and the +CME/+CMS error tables.

Byte streams are fed whole and in arbitrary chunks (the events must not depend on where
a read() happened to split them); hostile bytes never raise."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.wire import at
from nabat.system.wire.at import (
    CME_ERRORS,
    CMS_ERRORS,
    AtCommand,
    BodyLineBreak,
    BodyOutcome,
    CommandKind,
    CommandLine,
    CommandLineReader,
    Echo,
    ErrorFamily,
    FinalKind,
    FinalResult,
    InfoLine,
    LineOverflow,
    Overflow,
    ParserState,
    ReaderState,
    ResponseParser,
    SmsBody,
    SmsPrompt,
    Urc,
    classify_final,
    format_error,
    frame_final,
    frame_line,
    lookup_error,
    needs_second_line,
    parse_command_line,
    parse_error_line,
    split_arguments,
)
from nabat.system.wire.at_commands import format_command_line, quote_string


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


def cmd(name: str, kind: CommandKind, *args: str, quoted: tuple[bool, ...] = ()) -> AtCommand:
    return AtCommand(name, kind, tuple(args), quoted or (False,) * len(args))


# ---------------------------------------------------------------- command-line parsing


@pytest.mark.parametrize(
    ("body", "commands"),
    [
        ("", []),
        ("E0V1", [cmd("E", CommandKind.ACTION, "0"), cmd("V", CommandKind.ACTION, "1")]),
        (
            '+CMGF=1;+CSCS="GSM"',
            [cmd("+CMGF", CommandKind.SET, "1"),
             cmd("+CSCS", CommandKind.SET, "GSM", quoted=(True,))],
        ),
        ("e0 +cmgf = 1", [cmd("E", CommandKind.ACTION, "0"), cmd("+CMGF", CommandKind.SET, "1")]),
        ("+CMGF?", [cmd("+CMGF", CommandKind.READ)]),
        ("+CMGF=?", [cmd("+CMGF", CommandKind.TEST)]),
        ("+CLCC", [cmd("+CLCC", CommandKind.ACTION)]),
        ("H", [cmd("H", CommandKind.ACTION)]),
        ("&F&W", [cmd("&F", CommandKind.ACTION), cmd("&W", CommandKind.ACTION)]),
        ("S0=2S7?S3=?", [cmd("S0", CommandKind.SET, "2"), cmd("S7", CommandKind.READ),
                          cmd("S3", CommandKind.TEST)]),
        ("D+79001234567;", [cmd("D", CommandKind.ACTION, "+79001234567;")]),
        ("D 8 900 123;+CLCC", [cmd("D", CommandKind.ACTION, "8900123;"),
                               cmd("+CLCC", CommandKind.ACTION)]),
        ("D*100#", [cmd("D", CommandKind.ACTION, "*100#")]),
        (
            '+CMGS="+79001234567",145',
            [cmd("+CMGS", CommandKind.SET, "+79001234567", "145", quoted=(True, False))],
        ),
        (
            '+CUSD=1,"*100#",15',
            [cmd("+CUSD", CommandKind.SET, "1", "*100#", "15", quoted=(False, True, False))],
        ),
        ('+CPBW=,"a\\22b\\5Cc, d"', [cmd("+CPBW", CommandKind.SET, "", 'a"b\\c, d',
                                        quoted=(False, True))]),
        ("^DDTMFCFG=0,1", [cmd("^DDTMFCFG", CommandKind.SET, "0", "1")]),
        ("+QTONEDET=1", [cmd("+QTONEDET", CommandKind.SET, "1")]),
        ("+CMGL=ALL", [cmd("+CMGL", CommandKind.SET, "ALL")]),
    ],
)  # fmt: skip
def test_command_lines(body: str, commands: list[AtCommand]) -> None:
    parsed = parse_command_line(body)
    assert parsed.error is None
    assert list(parsed.commands) == commands


@pytest.mark.parametrize(
    ("body", "done", "words"),
    [
        ("+CMGF?x", 0, "unexpected 'x'"),
        ("E0+CMGF=?1", 1, "unexpected '1'"),
        ("+", 0, "bad extended command name"),
        ('+CSCS="GSM', 0, "unterminated"),
        ('+CSCS="GSM"x', 0, "after a string constant"),
        ('+CSCS=G"SM', 0, "quote inside"),
        ("S=1", 0, "without a number"),
        ("S0", 0, "needs"),
        ("&", 0, "& without a letter"),
        ("E0?", 1, "unexpected '?'"),
    ],
)
def test_parse_errors_keep_the_commands_before_them(body: str, done: int, words: str) -> None:
    parsed = parse_command_line(body)
    assert parsed.error is not None and words in parsed.error
    assert len(parsed.commands) == done


names = st.from_regex(r"[+^][A-Z][A-Z0-9]{0,7}", fullmatch=True)
bare_values = st.from_regex(r"[A-Za-z0-9+*#.]{0,10}", fullmatch=True)
quoted_values = st.text(alphabet=st.characters(max_codepoint=0xFF), max_size=20)


@st.composite
def commands(draw: st.DrawFn) -> AtCommand:
    kind = draw(st.sampled_from(list(CommandKind)))
    name = draw(names)
    if kind is not CommandKind.SET:
        return AtCommand(name, kind)
    quoted = tuple(draw(st.lists(st.booleans(), min_size=1, max_size=5)))
    args = tuple(draw(quoted_values if q else bare_values) for q in quoted)
    return AtCommand(name, kind, args, quoted)


@given(st.lists(commands(), max_size=5))
def test_formatted_command_lines_parse_back(parsed: list[AtCommand]) -> None:
    line = format_command_line(parsed)
    assert line.startswith("AT")
    result = parse_command_line(line[2:])
    assert result.error is None
    assert list(result.commands) == parsed


@given(st.text(max_size=60))
def test_any_text_parses_or_reports_an_error(body: str) -> None:
    result = parse_command_line(body)
    assert result.error is None or isinstance(result.error, str)


def test_quoting() -> None:
    assert quote_string('a"b\\\r') == '"a\\22b\\5C\\0D"'
    with pytest.raises(ValueError):
        quote_string("Я")
    assert split_arguments('"SM", 3') == (("SM", "3"), (True, False))
    assert split_arguments('"\\41\\4"') == (("A\\4",), (True,))


# ---------------------------------------------------------------- the command-line reader


def test_reader_lines_prefix_editing_and_repeat() -> None:
    reader = CommandLineReader()
    events = reader.feed(b"noise AT+CMGF=1\r\nat+cmg\x08\x08\x08CSQ\rA/junk\r")
    lines = [e for e in events if isinstance(e, CommandLine)]
    assert [(line.text, line.repeated) for line in lines] == [
        ("AT+CMGF=1", False), ("at+CSQ", False), ("at+CSQ", True)
    ]  # fmt: skip
    assert lines[1].parsed.commands == (cmd("+CSQ", CommandKind.ACTION),)
    assert reader.feed(b"hello\r") == []  # no AT prefix: ignored (V.250 §5.2.1)
    assert reader.feed(b"a/")[0] == CommandLine("at+CSQ", "+CSQ", lines[1].parsed, True)


def test_reader_repeat_with_no_previous_line_is_an_empty_command() -> None:
    (event,) = CommandLineReader().feed(b"A/")
    assert isinstance(event, CommandLine) and event.repeated and event.parsed.commands == ()


def test_reader_slash_inside_a_line_is_text() -> None:
    (event,) = CommandLineReader().feed(b'AT+CPBW=1,"A/B"\r')
    assert isinstance(event, CommandLine)
    assert event.parsed.commands[0].args == ("1", "A/B")


def test_reader_s3_and_s5_are_settable() -> None:
    reader = CommandLineReader(s3=ord("!"), s5=ord("~"))
    (event,) = reader.feed(b"ATE1~0!")
    assert isinstance(event, CommandLine) and event.body == "E0"


def test_reader_overflow_then_recovers() -> None:
    reader = CommandLineReader(max_line=16)
    events = reader.feed(b"AT" + b"X" * 40 + b"\rATE0\r")
    assert events[0] == LineOverflow(17)
    assert isinstance(events[1], CommandLine) and events[1].body == "E0"
    assert len(events) == 2


def test_reader_sms_body_send_cancel_and_overflow() -> None:
    reader = CommandLineReader(max_body=8)
    reader.feed(b'AT+CMGS="+7900"\r')
    reader.start_sms_body()
    assert reader.state is ReaderState.BODY
    with pytest.raises(RuntimeError):
        reader.start_sms_body()
    events = reader.feed(b"Hi\rthere\x08e")
    assert events == [BodyLineBreak()]
    assert reader.feed(b"\x1aAT\r")[0] == SmsBody(b"Hi\rthere", BodyOutcome.SEND)
    assert reader.state is ReaderState.COMMAND
    reader.start_sms_body()
    assert reader.feed(b"abc\x1b") == [SmsBody(b"abc", BodyOutcome.CANCEL)]
    reader.start_sms_body()
    assert reader.feed(b"123456789")[0] == SmsBody(b"123456789", BodyOutcome.OVERFLOW)
    assert reader.state is ReaderState.COMMAND


@settings(max_examples=200)
@given(st.binary(max_size=300), st.lists(st.integers(0, 300), max_size=10), st.booleans())
def test_reader_events_do_not_depend_on_chunking(data: bytes, cuts: list[int], body: bool) -> None:
    whole = CommandLineReader(max_line=64, max_body=64)
    split = CommandLineReader(max_line=64, max_body=64)
    if body:
        whole.start_sms_body()
        split.start_sms_body()
    expected = whole.feed(data)
    got = [event for chunk in _chunks(data, cuts) for event in split.feed(chunk)]
    assert got == expected
    assert whole.state is split.state


# ---------------------------------------------------------------- the response parser


def _feed(parser: ResponseParser, data: bytes) -> list[object]:
    return list(parser.feed(data))


def test_simple_command_with_information_lines() -> None:
    parser = ResponseParser()
    parser.command_sent("AT+CSQ")
    assert parser.state is ParserState.AWAITING_RESPONSE
    assert _feed(parser, b"AT+CSQ\r\r\n+CSQ: 20,0\r\n\r\nOK\r\n") == [
        Echo("AT+CSQ"), InfoLine("+CSQ: 20,0"), FinalResult(FinalKind.OK, "OK")
    ]  # fmt: skip
    assert parser.state is ParserState.IDLE


def test_one_command_at_a_time() -> None:
    parser = ResponseParser()
    parser.command_sent("AT")
    with pytest.raises(RuntimeError):
        parser.command_sent("AT")
    parser.abort()
    parser.command_sent("AT")


@pytest.mark.parametrize(
    ("line", "kind", "code"),
    [
        ("OK", FinalKind.OK, None),
        ("ERROR", FinalKind.ERROR, None),
        ("NO CARRIER", FinalKind.NO_CARRIER, None),
        ("BUSY", FinalKind.BUSY, None),
        ("NO ANSWER", FinalKind.NO_ANSWER, None),
        ("NO DIALTONE", FinalKind.NO_DIALTONE, None),
        ("CONNECT", FinalKind.CONNECT, None),
        ("CONNECT 9600", FinalKind.CONNECT, None),
        ("+CME ERROR: 10", FinalKind.CME_ERROR, 10),
        ("+CME ERROR: SIM PIN required", FinalKind.CME_ERROR, 11),
        ("+CMS ERROR: 330", FinalKind.CMS_ERROR, 330),
        ("+CMS ERROR: (U)SIM not inserted", FinalKind.CMS_ERROR, 310),
        ("+CMS ERROR:500", FinalKind.CMS_ERROR, 500),
    ],
)
def test_final_result_codes(line: str, kind: FinalKind, code: int | None) -> None:
    parser = ResponseParser()
    # NO CARRIER / BUSY / NO ANSWER end only the commands that set up a call (D, A)
    parser.command_sent("ATD+79001234567;" if kind in CALL_ENDINGS else "AT+CMGS=20")
    (event,) = parser.feed(b"\r\n" + line.encode() + b"\r\n")
    assert isinstance(event, FinalResult) and event.kind is kind
    assert (event.error.code if event.error else None) == code
    assert event.ok is (kind in (FinalKind.OK, FinalKind.CONNECT))
    assert parser.state is ParserState.IDLE


CALL_ENDINGS = (FinalKind.NO_CARRIER, FinalKind.BUSY, FinalKind.NO_ANSWER)


def test_a_call_ending_while_another_command_waits_is_unsolicited() -> None:
    """AT+CLCC polled while the far end hangs up: NO CARRIER reports the call's end
    and AT+CLCC still waits for its own OK."""
    parser = ResponseParser()
    parser.command_sent("AT+CLCC")
    events = parser.feed(b"\r\nNO CARRIER\r\n")
    assert [type(e).__name__ for e in events] == ["Urc"] and events[0].line == "NO CARRIER"
    assert parser.state is not ParserState.IDLE
    (done,) = parser.feed(b"\r\nOK\r\n")
    assert isinstance(done, FinalResult) and done.kind is FinalKind.OK


def test_huawei_command_not_support_is_an_error_result() -> None:
    parser = ResponseParser()
    parser.command_sent("AT+CLAC")
    (event,) = parser.feed(b"\r\nCOMMAND NOT SUPPORT\r\n")
    assert isinstance(event, FinalResult) and event.kind is FinalKind.ERROR
    assert parser.state is ParserState.IDLE


def test_numeric_result_codes_after_atv0() -> None:
    parser = ResponseParser(verbose=False)
    events: list[object] = []
    for sent, answer in (
        ("ATE0", b"0\r"),
        ("ATD123", b"7\r"),
        ("AT+CPIN?", b"+CPIN: READY\r\n0\r"),
    ):
        parser.command_sent(sent)
        events += parser.feed(answer)
    assert events == [
        FinalResult(FinalKind.OK, "0"), FinalResult(FinalKind.BUSY, "7"),
        InfoLine("+CPIN: READY"), FinalResult(FinalKind.OK, "0"),
    ]  # fmt: skip
    assert parser.feed(b"2\r3\r") == [Urc("RING", "RING"), Urc("NO CARRIER", "NO CARRIER")]
    assert classify_final("4", verbose=False) == FinalResult(FinalKind.ERROR, "4")
    assert classify_final("4") is None
    assert classify_final("RING") is None


def test_sms_prompt_without_line_end() -> None:
    parser = ResponseParser()
    parser.command_sent('AT+CMGS="+79001234567"')
    assert parser.state is ParserState.AWAITING_PROMPT
    assert parser.feed(b"\r\n> ") == [SmsPrompt()]
    assert parser.state is ParserState.AWAITING_RESPONSE
    assert parser.feed(b"\r\n+CMGS: 17\r\n\r\nOK\r\n") == [
        InfoLine("+CMGS: 17"), FinalResult(FinalKind.OK, "OK")
    ]  # fmt: skip
    parser.command_sent("AT+CMGS=23")
    assert parser.feed(b"\r\n>") == [SmsPrompt()]  # '>' alone suffices when a prompt is due
    parser.abort()
    parser.command_sent("AT+CMGS=?")  # a test command prints no prompt
    assert parser.state is ParserState.AWAITING_RESPONSE
    assert parser.feed(b"\r\n+CMGS: \r\n\r\nOK\r\n")[-1] == FinalResult(FinalKind.OK, "OK")


def test_error_instead_of_the_prompt() -> None:
    parser = ResponseParser()
    parser.command_sent("AT+CMGS=23")
    (event,) = parser.feed(b"\r\n+CMS ERROR: 304\r\n")
    assert isinstance(event, FinalResult) and event.error is not None
    assert event.error.name == "INVALID_PDU_MODE_PARAMETER"
    assert parser.state is ParserState.IDLE


def test_urcs_and_their_second_lines() -> None:
    parser = ResponseParser()
    stream = (
        b'\r\n+CMTI: "SM",3\r\n'
        b"\r\n+CMT: ,23\r\n0011000B916407281553F80000AA0AE8329BFD4697D9EC37\r\n"
        b'\r\n+CMT: "+79001234567",,"24/05/01,12:00:00+12"\r\nHello\r\n'
        b"\r\n+CDS: 26\r\n0006D60B911326880736F4111011719551401110117195714000\r\n"
        b'\r\n+CDS: 6,214,"+31628870634",145,"11/01/11,17:59:15+04","11/01/11,17:59:17+04",0\r\n'
        b'\r\nRING\r\n\r\n+CLIP: "+79001234567",145,"",0,"",0\r\n'
        b"\r\n+DTMF: 5\r\n^DDTMF: #\r\n+QTONEDET: 49\r\nRDY\r\n+CPIN: READY\r\n"
        b'\r\nNO CARRIER\r\n\r\n+QIURC: "recv",0\r\n'
    )
    events = parser.feed(stream)
    assert [e.name for e in events if isinstance(e, Urc)] == [
        "+CMTI", "+CMT", "+CMT", "+CDS", "+CDS", "RING", "+CLIP", "+DTMF", "^DDTMF",
        "+QTONEDET", "RDY", "+CPIN", "NO CARRIER", "+QIURC",
    ]  # fmt: skip
    urcs = [e for e in events if isinstance(e, Urc)]
    assert urcs[0].arguments() == ("SM", "3") and urcs[0].value == '"SM",3'
    assert urcs[1].payload == "0011000B916407281553F80000AA0AE8329BFD4697D9EC37"
    assert urcs[2].payload == "Hello" and urcs[2].arguments()[0] == "+79001234567"
    assert urcs[3].payload is not None and urcs[3].payload.startswith("0006D6")
    assert urcs[4].payload is None  # text-mode +CDS is one line
    assert urcs[6].arguments()[0] == "+79001234567"
    assert urcs[-1].known is False and all(u.known for u in urcs[:-1])
    assert len(events) == len(urcs)


def test_a_line_naming_the_pending_command_is_its_response() -> None:
    parser = ResponseParser()
    assert parser.feed(b"\r\n+CREG: 1\r\n") == [Urc("+CREG", "+CREG: 1")]
    parser.command_sent("AT+CREG?")
    assert parser.feed(b"\r\n+CREG: 0,1\r\n\r\n+CMTI: \"SM\",1\r\n\r\nOK\r\n") == [
        InfoLine("+CREG: 0,1"), Urc("+CMTI", '+CMTI: "SM",1'), FinalResult(FinalKind.OK, "OK")
    ]  # fmt: skip
    parser.command_sent("AT+CLCC")
    assert parser.feed(b'\r\n+CLCC: 1,0,0,0,0,"+7900",145\r\n\r\nOK\r\n')[0] == InfoLine(
        '+CLCC: 1,0,0,0,0,"+7900",145'
    )


def test_call_endings_are_final_while_waiting_and_urcs_when_idle() -> None:
    parser = ResponseParser()
    parser.command_sent("ATD+79001234567;")
    assert parser.feed(b"\r\nOK\r\n") == [FinalResult(FinalKind.OK, "OK")]
    assert parser.feed(b"\r\nBUSY\r\n") == [Urc("BUSY", "BUSY")]
    parser.command_sent("ATD+79001234567;")
    assert parser.feed(b"\r\nNO ANSWER\r\n") == [FinalResult(FinalKind.NO_ANSWER, "NO ANSWER")]
    assert parser.feed(b"\r\nOK\r\n") == [Urc("OK", "OK", known=False)]  # stray: not obeyed


def test_stray_cr_bare_lf_and_overflow() -> None:
    parser = ResponseParser(max_line=20)
    parser.command_sent("ATI")
    events = parser.feed(b"\rSIM800 R14.18\n\r\r" + b"x" * 50 + b"\nRevision\r\n\nOK\r")
    assert events == [
        InfoLine("SIM800 R14.18"), Overflow(21), InfoLine("Revision"),
        FinalResult(FinalKind.OK, "OK"),
    ]  # fmt: skip


def test_second_line_rules() -> None:
    assert needs_second_line("+CMT: ,23")
    assert needs_second_line('+CMT: "+7900",,"24/01/01,00:00:00+00"')
    assert needs_second_line("+CDS: 26")
    assert not needs_second_line('+CDS: 6,1,"+7900",145,"a","b",0')
    assert not needs_second_line('+CMTI: "SM",1')
    assert at.URC_TABLE["+CBM"] is at.SecondLine.ALWAYS


hostile_lines = st.lists(
    st.sampled_from([b"OK", b"ERROR", b"+CMT: ,3", b"+CDS: 5", b"> ", b">", b"RING", b"0", b"3",
                     b"+CME ERROR: 3", b"+CREG: 1", b"AT", b"\x00\xff", b"CONNECT 1"])
    | st.binary(max_size=30),
    max_size=20,
).map(lambda parts: b"\r\n".join(parts))  # fmt: skip


@settings(max_examples=200)
@given(hostile_lines, st.lists(st.integers(0, 400), max_size=12), st.booleans(), st.booleans())
def test_parser_events_do_not_depend_on_chunking(
    data: bytes, cuts: list[int], waiting: bool, verbose: bool
) -> None:
    whole = ResponseParser(verbose=verbose, max_line=40)
    split = ResponseParser(verbose=verbose, max_line=40)
    if waiting:
        whole.command_sent("AT+CMGS=5")
        split.command_sent("AT+CMGS=5")
    expected = whole.feed(data)
    got = [event for chunk in _chunks(data, cuts) for event in split.feed(chunk)]
    assert got == expected
    assert whole.state is split.state


info_texts = st.from_regex(r"\+[A-Z]{2,6}: [0-9a-z,\"]{1,20}", fullmatch=True).filter(
    lambda line: at.urc_name(line) not in at.URC_TABLE  # URCs with second lines are tested above
)


@given(
    st.lists(st.tuples(st.lists(info_texts, max_size=3), st.sampled_from(
        ["OK", "ERROR", "BUSY", "NO CARRIER", "+CME ERROR: 10", "+CMS ERROR: 500"]
    )), min_size=1, max_size=4),
    st.booleans(),
)  # fmt: skip
def test_framed_output_parses_back(exchanges: list[tuple[list[str], str]], verbose: bool) -> None:
    parser = ResponseParser(verbose=verbose)
    for infos, final in exchanges:
        parser.command_sent("ATD+79001234567;" if final in ("BUSY", "NO CARRIER") else "AT+XYZ")
        data = b"".join(frame_line(text, verbose=verbose) for text in infos)
        events = parser.feed(data + frame_final(final, verbose=verbose))
        assert [e.line for e in events[:-1] if isinstance(e, (InfoLine, Urc))] == infos
        last = events[-1]
        assert isinstance(last, FinalResult) and last.kind.value == final.split(":")[0]
        assert parser.state is ParserState.IDLE


def test_framing() -> None:
    assert frame_final("OK") == b"\r\nOK\r\n"
    assert frame_final("OK", verbose=False) == b"0\r"
    assert frame_final("NO ANSWER", verbose=False) == b"8\r"
    assert frame_final("+CME ERROR: 10", verbose=False) == b"+CME ERROR: 10\r"
    assert frame_line("+CSQ: 20,0") == b"\r\n+CSQ: 20,0\r\n"
    assert frame_line("+CSQ: 20,0", verbose=False) == b"+CSQ: 20,0\r\n"
    assert at.PROMPT == b"\r\n> "


# ---------------------------------------------------------------- error tables


@pytest.mark.parametrize("family", list(ErrorFamily))
def test_every_error_answers_and_reads_back_in_each_cmee_mode(family: ErrorFamily) -> None:
    table = CME_ERRORS if family is ErrorFamily.CME else CMS_ERRORS
    names = [error.name for error in table.values()]
    assert len(set(names)) == len(names)
    for code, error in table.items():
        assert format_error(family, code, 0) == "ERROR"
        numeric = parse_error_line(format_error(family, code, 1))
        verbose = parse_error_line(format_error(family, code, 2))
        assert numeric == verbose == error
        assert lookup_error(family, str(code)) == error


def test_error_tables_hold_the_spec_codes() -> None:
    assert CME_ERRORS[10].text == "SIM not inserted" and CME_ERRORS[10].name == "SIM_NOT_INSERTED"
    assert CME_ERRORS[3].name == "OPERATION_NOT_ALLOWED"
    assert CMS_ERRORS[330].name == "SMSC_ADDRESS_UNKNOWN"
    assert CMS_ERRORS[304].text == "invalid PDU mode parameter"
    assert {300, 301, 302, 303, 304, 305, 310, 311, 320, 321, 322, 330, 331, 332, 500} <= set(
        CMS_ERRORS
    )
    assert format_error(ErrorFamily.CME, 10, 2) == "+CME ERROR: SIM not inserted"
    assert format_error(ErrorFamily.CMS, 330, 1) == "+CMS ERROR: 330"
    with pytest.raises(ValueError):
        format_error(ErrorFamily.CME, 10, 3)


def test_unknown_errors_still_parse() -> None:
    assert parse_error_line("+CME ERROR: 777") == at.ModemError(
        ErrorFamily.CME, 777, "CME_777", "CME error 777"
    )
    odd = parse_error_line("+CMS ERROR: Vendor specific trouble")
    assert odd is not None and (odd.code, odd.name) == (-1, "CMS_UNKNOWN_TEXT")
    assert parse_error_line("+cme error: sim pin required") == CME_ERRORS[11]
    assert parse_error_line("ERROR") is None and parse_error_line("OK") is None


# ---------------------------------------------------------------- sans-I/O


WIRE = Path(__file__).resolve().parents[2] / "system" / "wire"
GSM_CODECS = ("gsm7", "sms_pdu", "sms_concat", "sms_text_mode", "at", "at_commands",
              "at_responses", "at_errors")  # fmt: skip
IO_MODULES = {"asyncio", "socket", "serial", "threading", "time", "selectors", "os", "io"}


@pytest.mark.parametrize("module", GSM_CODECS)
def test_gsm_codecs_import_no_io(module: str) -> None:
    """Sans-I/O: nothing that does I/O, and of the product only the wire package itself."""
    tree = ast.parse((WIRE / f"{module}.py").read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not {name.split(".")[0] for name in imported} & IO_MODULES
    nabat = {name for name in imported if name.startswith("nabat")}
    assert all(name.startswith("nabat.system.wire") for name in nabat), nabat
