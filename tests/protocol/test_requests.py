"""Multi-line requests: assembly round trips and every illegal transition."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.system.protocol.exceptions import (
    ArgumentCountError,
    InterruptedRequest,
    InvalidField,
    LimitExceeded,
    ProtocolError,
    SequenceError,
    TruncatedRequest,
)
from nabat.system.protocol.framing import LineSplitter
from nabat.system.protocol.lines import Line, decode_line, encode_lines
from nabat.system.protocol.machine import Event, Phase
from nabat.system.protocol.records import Abonent, Form, Phone
from nabat.system.protocol.requests import (
    ABONENT_REQUEST,
    FILE_REQUEST,
    AbonentRequest,
    FileUpload,
    MultilineRequest,
    RequestAssembler,
    RequestLimits,
    abonent_request,
    file_upload,
)

from tests.protocol.strategies import BY_KIND, records

abonents = st.builds(
    replace,
    records(Abonent, Form.NEW),
    phones=st.lists(records(Phone), max_size=5).map(tuple),
    emails=st.lists(BY_KIND["email"], max_size=5).map(tuple),
)


def assemble(lines: list[Line], assembler: RequestAssembler | None = None) -> MultilineRequest:
    """Through the wire and the splitter, as a server would see them."""
    assembler = assembler or RequestAssembler()
    splitter = LineSplitter()
    splitter.feed(encode_lines(lines))
    results = [assembler.feed(decode_line(body)) for body in splitter]
    assert results[:-1] == [None] * (len(results) - 1)
    assert results[-1] is not None
    assert not assembler.busy
    return results[-1]


@given(abonents)
def test_add_abonent_round_trip(abonent: Abonent) -> None:
    assert assemble(abonent_request(abonent)) == AbonentRequest("ADDABONENT", abonent)


@given(abonents, st.integers(1, 2**31 - 1))
def test_update_abonent_round_trip(abonent: Abonent, abonent_id: int) -> None:
    abonent = replace(abonent, id=abonent_id)
    assert assemble(abonent_request(abonent, update=True)) == AbonentRequest(
        "UPDATEABONENT", abonent
    )


@given(st.binary(max_size=5000), st.integers(1, 3000))
def test_file_upload_round_trip(data: bytes, chunk: int) -> None:
    request = assemble(file_upload("запись.wav", data, chunk))
    assert request == FileUpload("SENDRAWFILE", "запись.wav", data)


def test_the_wire_form_of_an_add_abonent() -> None:
    abonent = Abonent(gid=2, name="Пётр", phones=(Phone(phone="79001234567"),), emails=("p@x.ru",))
    assert encode_lines(abonent_request(abonent)) == (
        b"ADDABONENT BEGIN\r\n"
        b"ADDABONENT DATA 2 0 " + "Пётр".encode("cp1251") + b" 0" + b" " * 9 + b"\r\n"
        b"ADDABONENT PHONE 1 79001234567 0\r\n"
        b"ADDABONENT EMAIL p@x.ru\r\n"
        b"ADDABONENT END\r\n"
    )
    with pytest.raises(ValueError):
        abonent_request(abonent, update=True)  # no id


# --- every illegal transition ------------------------------------------------

DATA_PARAMS = Abonent(gid=1, name="x").to_params(Form.NEW)
ABONENT_LINES = {
    Event.BEGIN: ("BEGIN",),
    Event.DATA: ("DATA", *DATA_PARAMS),
    Event.PHONE: ("PHONE", "1", "79000000000", "0"),
    Event.EMAIL: ("EMAIL", "a@b.c"),
    Event.END: ("END",),
    Event.OK: ("OK",),
    Event.ERROR: ("ERR_BADSYNTAX", "x"),
    Event.HASP: ("HASP",),
}
ABONENT_PATHS = {  # lines that lead from IDLE to each phase
    Phase.IDLE: [],
    Phase.HEAD: [Event.BEGIN],
    Phase.RECORD: [Event.BEGIN, Event.DATA],
    Phase.PHONES: [Event.BEGIN, Event.DATA, Event.PHONE],
    Phase.EMAILS: [Event.BEGIN, Event.DATA, Event.EMAIL],
}
FILE_LINES = {
    **ABONENT_LINES,
    Event.BEGIN: ("BEGIN", "f.wav", "2"),
    Event.DATA: ("DATA", "00"),
}
FILE_PATHS = {Phase.IDLE: [], Phase.ROWS: [Event.BEGIN]}


def illegal(
    grammar: dict[tuple[Phase, Event], Phase], paths: dict[Phase, list[Event]]
) -> list[tuple[Phase, Event]]:
    return [(phase, event) for phase in paths for event in Event if (phase, event) not in grammar]


def drive(word: str, lines: dict[Event, tuple[str, ...]], path: list[Event]) -> RequestAssembler:
    assembler = RequestAssembler()
    for event in path:
        assert assembler.feed(Line(word, lines[event])) is None
    return assembler


@pytest.mark.parametrize("word", ["ADDABONENT", "UPDATEABONENT"])
@pytest.mark.parametrize(("phase", "event"), illegal(dict(ABONENT_REQUEST), ABONENT_PATHS))
def test_every_illegal_abonent_transition_raises_and_drops_the_request(
    word: str, phase: Phase, event: Event
) -> None:
    lines = dict(ABONENT_LINES)
    if word == "UPDATEABONENT":
        lines[Event.BEGIN] = ("BEGIN", "9")
    assembler = drive(word, lines, ABONENT_PATHS[phase])
    with pytest.raises(SequenceError) as info:
        assembler.feed(Line(word, lines[event]))
    assert info.value.word == word
    assert not assembler.busy


@pytest.mark.parametrize(("phase", "event"), illegal(dict(FILE_REQUEST), FILE_PATHS))
def test_every_illegal_file_transition_raises(phase: Phase, event: Event) -> None:
    assembler = drive("SENDRAWFILE", FILE_LINES, FILE_PATHS[phase])
    with pytest.raises(SequenceError):
        assembler.feed(Line("SENDRAWFILE", FILE_LINES[event]))
    assert not assembler.busy


def test_every_legal_transition_is_reachable() -> None:
    for (phase, event), _ in ABONENT_REQUEST.items():
        assembler = drive("ADDABONENT", ABONENT_LINES, ABONENT_PATHS[phase])
        assembler.feed(Line("ADDABONENT", ABONENT_LINES[event]))
    for (phase, event), _ in FILE_REQUEST.items():
        lines = {**FILE_LINES, Event.BEGIN: ("BEGIN", "f.wav", "0")}
        assembler = drive("SENDRAWFILE", lines, FILE_PATHS[phase])
        if event is not Event.DATA:
            assembler.feed(Line("SENDRAWFILE", lines[event]))


def test_an_unknown_status_word_is_a_sequence_error() -> None:
    assembler = drive("ADDABONENT", ABONENT_LINES, [Event.BEGIN])
    for params in [("FOO",), ()]:
        with pytest.raises(SequenceError):
            assembler.feed(Line("ADDABONENT", params))


# --- truncation, interruption, limits, arity ----------------------------------


def test_a_truncated_add_abonent_is_detected_at_end_of_stream() -> None:
    assembler = drive("ADDABONENT", ABONENT_LINES, [Event.BEGIN, Event.DATA, Event.PHONE])
    assert assembler.busy and assembler.word == "ADDABONENT"
    with pytest.raises(TruncatedRequest) as info:
        assembler.end_of_stream()
    assert info.value.word == "ADDABONENT"
    assert not assembler.busy
    assembler.end_of_stream()  # nothing open any more


def test_another_command_interrupts_and_is_left_for_the_caller() -> None:
    assembler = drive("ADDABONENT", ABONENT_LINES, [Event.BEGIN, Event.DATA])
    ping = Line("PING")
    assert assembler.accepts(ping)
    with pytest.raises(InterruptedRequest) as info:
        assembler.feed(ping)
    assert info.value.word == "ADDABONENT"
    assert not assembler.busy
    assert not assembler.accepts(ping)
    with pytest.raises(ValueError):
        assembler.feed(ping)  # not a multi-line command: the server handles it itself


def test_an_update_interrupting_an_add_is_an_interruption_too() -> None:
    assembler = drive("ADDABONENT", ABONENT_LINES, [Event.BEGIN])
    with pytest.raises(InterruptedRequest):
        assembler.feed(Line("UPDATEABONENT", ("BEGIN", "1")))


@pytest.mark.parametrize(
    ("path", "line", "error"),
    [
        ([], ("BEGIN", "extra"), ArgumentCountError),
        ([Event.BEGIN], ("DATA", *DATA_PARAMS[:-1]), ArgumentCountError),
        ([Event.BEGIN, Event.DATA], ("PHONE", "1", "7900"), ArgumentCountError),
        ([Event.BEGIN, Event.DATA], ("EMAIL",), ArgumentCountError),
        ([Event.BEGIN, Event.DATA], ("END", "x"), ArgumentCountError),
        ([Event.BEGIN, Event.DATA], ("PHONE", "2", "7900", "0"), InvalidField),
        ([Event.BEGIN, Event.DATA], ("EMAIL", "nobody"), InvalidField),
        ([Event.BEGIN], ("DATA", "x", *DATA_PARAMS[1:]), InvalidField),
    ],
)
def test_bad_lines_inside_an_abonent_request(
    path: list[Event], line: tuple[str, ...], error: type[ProtocolError]
) -> None:
    assembler = drive("ADDABONENT", ABONENT_LINES, path)
    with pytest.raises(error) as info:
        assembler.feed(Line("ADDABONENT", line))
    assert info.value.word == "ADDABONENT"
    assert not assembler.busy


def test_update_abonent_begin_needs_a_valid_id() -> None:
    with pytest.raises(ArgumentCountError):
        RequestAssembler().feed(Line("UPDATEABONENT", ("BEGIN",)))
    with pytest.raises(InvalidField):
        RequestAssembler().feed(Line("UPDATEABONENT", ("BEGIN", "0")))


def test_phone_and_email_counts_are_bounded() -> None:
    limits = RequestLimits(max_phones=2, max_emails=1)
    assembler = RequestAssembler(limits)
    for line in [("BEGIN",), ABONENT_LINES[Event.DATA], *[ABONENT_LINES[Event.PHONE]] * 2]:
        assembler.feed(Line("ADDABONENT", line))
    with pytest.raises(LimitExceeded):
        assembler.feed(Line("ADDABONENT", ABONENT_LINES[Event.PHONE]))
    assert not assembler.busy
    for line in [("BEGIN",), ABONENT_LINES[Event.DATA], ABONENT_LINES[Event.EMAIL]]:
        assembler.feed(Line("ADDABONENT", line))
    with pytest.raises(LimitExceeded):
        assembler.feed(Line("ADDABONENT", ABONENT_LINES[Event.EMAIL]))


def test_file_size_is_bounded_and_checked() -> None:
    small = RequestAssembler(RequestLimits(max_file_size=10))
    with pytest.raises(LimitExceeded):
        small.feed(Line("SENDRAWFILE", ("BEGIN", "a.wav", "11")))
    assembler = RequestAssembler()
    assembler.feed(Line("SENDRAWFILE", ("BEGIN", "a.wav", "2")))
    with pytest.raises(LimitExceeded):
        assembler.feed(Line("SENDRAWFILE", ("DATA", "000102")))  # more than declared
    assembler.feed(Line("SENDRAWFILE", ("BEGIN", "a.wav", "2")))
    assembler.feed(Line("SENDRAWFILE", ("DATA", "ab")))
    with pytest.raises(SequenceError, match="1 of the 2 bytes"):
        assembler.feed(Line("SENDRAWFILE", ("END",)))
    for bad in [("BEGIN", "../a.wav", "2"), ("BEGIN", "a.wav", "-2")]:
        with pytest.raises(InvalidField):
            assembler.feed(Line("SENDRAWFILE", bad))
    assembler.feed(Line("SENDRAWFILE", ("BEGIN", "a.wav", "1")))
    with pytest.raises(InvalidField):
        assembler.feed(Line("SENDRAWFILE", ("DATA", "0")))
    with pytest.raises(InvalidField):
        file_upload("a/b", b"")
