"""Server reply builders and the client's reply collector, against each other."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.protocol.commands import COMMANDS
from nabat.system.protocol.errors import ErrorCode
from nabat.system.protocol.exceptions import (
    ArgumentCountError,
    InvalidField,
    SequenceError,
    TruncatedRequest,
    UnencodableText,
    UnknownCommand,
)
from nabat.system.protocol.framing import LineSplitter
from nabat.system.protocol.lines import Line, decode_reply_line, encode_lines
from nabat.system.protocol.machine import Event, Phase, advance
from nabat.system.protocol.messages import (
    ERROR_WORD,
    abonent_listing,
    abonent_reply,
    error_reply,
    error_reply_for,
    file_listing,
    listing,
    login_reply,
    ok_line,
    task_status_line,
)
from nabat.system.protocol.records import Abonent, Form, Group, HaspInfo, Phone, Task, TaskSummary
from nabat.system.protocol.replies import GRAMMARS, Reply, ReplyCollector, as_notification
from nabat.system.protocol.values import TaskStatus, TaskType

from tests.protocol.strategies import BY_KIND, records

abonents = st.builds(
    replace,
    records(Abonent, Form.FULL),
    phones=st.lists(records(Phone), max_size=3).map(tuple),
    emails=st.lists(BY_KIND["email"], max_size=3).map(tuple),
)


def collect(word: str, lines: Iterable[Line], params: tuple[str, ...] = ()) -> ReplyCollector:
    collector = ReplyCollector(word, params)
    splitter = LineSplitter()
    splitter.feed(encode_lines(lines))
    bodies = list(splitter)
    for index, body in enumerate(bodies):
        reply = collector.feed(decode_reply_line(body))
        assert (reply is not None) == (index == len(bodies) - 1)
    collector.reply = reply  # type: ignore[attr-defined]
    return collector


def reply_of(word: str, lines: Iterable[Line], params: tuple[str, ...] = ()) -> Reply:
    return collect(word, lines, params).reply  # type: ignore[attr-defined,no-any-return]


@given(st.lists(records(TaskSummary), max_size=20))
def test_gettasks_listing_round_trip(tasks: list[TaskSummary]) -> None:
    lines = listing("GETTASKS", (t.to_params() for t in tasks), head=(str(len(tasks)),))
    reply = reply_of("GETTASKS", lines)
    assert reply.ok and reply.head == (str(len(tasks)),)
    assert reply.records(TaskSummary) == tasks


@settings(max_examples=30, deadline=None)
@given(st.lists(abonents, max_size=6))
def test_getabonents_listing_round_trip(items: list[Abonent]) -> None:
    assert reply_of("GETABONENTS", abonent_listing("GETABONENTS", items)).abonents == tuple(items)


@given(abonents, st.sampled_from(["ADDABONENT", "UPDATEABONENT", "GETABONENT"]))
def test_abonent_reply_round_trip(abonent: Abonent, word: str) -> None:
    reply = reply_of(word, abonent_reply(word, abonent))
    assert reply.abonents == (abonent,)
    assert reply.head == abonent.to_params()


@given(st.binary(max_size=9000), st.sampled_from(["GETREPORT", "TTS"]))
def test_file_reply_round_trip(data: bytes, word: str) -> None:
    reply = reply_of(word, file_listing(word, data, head=("HTML",)))
    assert reply.data() == data and reply.head == ("HTML",)


def test_file_listing_chunks_fit_the_line_limit() -> None:
    lines = list(file_listing("GETRAWFILE", bytes(5000), head=("a.wav", "5000")))
    assert [len(line.params[1]) for line in lines[1:-1]] == [4096, 4096, 1808]
    assert max(len(ln.encode()) for ln in lines) < 8192


def test_login_reply_and_hasp_line() -> None:
    hasp = HaspInfo(haspset=True, boards=2, gsmmodems=4, dynamiccts=True, email=True, e1=False)
    lines = login_reply("Добро пожаловать", hasp)
    assert encode_lines(lines) == (
        b"LOGIN OK " + "Добро%20пожаловать".encode("cp1251") + b"\r\nHASP 1 2 4 1 1 0\r\n"
    )
    reply = reply_of("LOGIN", lines)
    assert reply.hasp == hasp and reply.head == ("Добро пожаловать",)


def test_single_ok_replies_and_the_list_alias() -> None:
    group = Group(id=3, name="Отдел", description="")
    assert (
        reply_of("ADDGROUP", [ok_line("ADDGROUP", group.to_params())]).head_record(Group) == group
    )
    assert reply_of("PING", [ok_line("PING")]).head == ()
    assert reply_of("UPDATLIST", [ok_line("UPDATLIST", ("1", "l", ""))]).word == "UPDATLIST"
    with pytest.raises(SequenceError):  # the alias used must be echoed
        ReplyCollector("UPDATLIST").feed(ok_line("UPDATELIST", ("1", "l", "")))


def test_gettask_reply_carries_the_full_task() -> None:
    task = Task(id=4, ttype=TaskType.CALL, name="Сбор", listid=1, messageid=1, channels="101")
    reply = reply_of("GETTASK", [ok_line("GETTASK", task.to_params())], ("4",))
    assert reply.head_record(Task) == task


SUMMARY = TaskSummary(id=5, name="t", ttype=TaskType.CALL, status=TaskStatus.RUNNING)
OTHER = replace(SUMMARY, id=6, status=TaskStatus.FINISHED)


def test_start_task_replies_with_updatetask_and_sets_notifications_aside() -> None:
    collector = collect(
        "STARTTASK", [task_status_line(OTHER), task_status_line(SUMMARY)], ("5", "0")
    )
    assert collector.reply.word == "UPDATETASK"  # type: ignore[attr-defined]
    assert collector.reply.head_record(TaskSummary) == SUMMARY  # type: ignore[attr-defined]
    assert collector.notifications == [OTHER]


def test_notifications_around_a_multiline_reply_are_set_aside() -> None:
    lines = [task_status_line(OTHER), *listing("GETLISTS", [("1", "l", "")])]
    collector = collect("GETLISTS", lines)
    assert collector.notifications == [OTHER]
    assert as_notification(Line("UPDATETASK", ("OK", *SUMMARY.to_params()))) == SUMMARY
    assert as_notification(Line("GETTASK", ("OK",))) is None


def test_errors_end_a_reply_wherever_they_come() -> None:
    reply = reply_of("GETTASK", [error_reply("GETTASK", ErrorCode.GETTASK)])
    assert not reply.ok and reply.error is not None and reply.error.means(ErrorCode.GETTASK)
    reply = reply_of("STARTTASK", [error_reply("STARTTASK", ErrorCode.NOHASP)], ("1", "0"))
    assert reply.error is not None and reply.error.code == "ERR_NOHASP"
    lines = [*list(listing("GETLISTS", [("1", "l", "")]))[:2], error_reply("GETLISTS", "ERR_X")]
    assert reply_of("GETLISTS", lines).rows == ()
    lines = [Line("LOGIN", ("OK", "hi")), error_reply(ERROR_WORD, ErrorCode.BADSYNTAX)]
    assert reply_of("LOGIN", lines).error is not None


def test_an_unreadable_request_is_answered_with_the_error_word() -> None:
    reply = reply_of("PING", [Line(ERROR_WORD, ("ERR_BADSYNTAX", "line too long"))])
    assert reply.error is not None and reply.error.word == ERROR_WORD


def test_error_reply_for_a_codec_error_uses_the_readable_word() -> None:
    exc = UnknownCommand("unknown command 'FOO'", word="FOO")
    assert error_reply_for(exc) == Line("FOO", ("ERR_BADSYNTAX", "unknown command 'FOO'"))
    exc.word = None
    assert error_reply_for(exc).command == ERROR_WORD
    assert error_reply_for(exc, "PING").command == "PING"
    assert error_reply_for(ArgumentCountError("n")).params[0] == "ERR_BADARGUMENT_COUNT"



def test_an_error_quoting_an_unencodable_character_can_still_be_sent() -> None:
    # the reply "ADDGROUP 中" cannot be encoded; the error saying so must be
    with pytest.raises(UnencodableText) as caught:
        ok_line("ADDGROUP", ("中",)).encode()
    line = error_reply_for(caught.value, "ADDGROUP")
    assert "\\u4e2d" in line.params[1]
    assert decode_reply_line(line.encode()) == line

@pytest.mark.parametrize(
    ("word", "lines", "error"),
    [
        ("GETTASKS", [Line("GETTASKS", ("DATA", "1", "t", "0", "0"))], SequenceError),
        ("GETTASKS", [Line("GETTASK", ("OK",))], SequenceError),
        ("GETTASKS", [Line("GETTASKS", ("BEGIN", "2")), Line("GETTASKS", ("END",))],
         SequenceError),
        ("GETTASKS", [Line("GETTASKS", ("BEGIN",))], ArgumentCountError),
        ("GETLISTS", [Line("GETLISTS", ("BEGIN",)), Line("GETLISTS", ("DATA", "1"))],
         ArgumentCountError),
        ("GETTASK", [Line("GETTASK", ("OK", "1"))], ArgumentCountError),
        ("GETTASK", [Line("GETTASK", ())], SequenceError),
        ("GETTASK", [Line("GETTASK", ("WHAT",))], SequenceError),
        ("GETTASK", [Line("PING", ("ERR_X", "x"))], SequenceError),
        ("LOGIN", [Line("LOGIN", ("OK", "hi")), Line("LOGIN", ("OK", "hi"))], SequenceError),
        ("LOGIN", [Line("LOGIN", ("OK", "hi")), Line("HASP", ("1",))], ArgumentCountError),
        ("GETABONENT", [Line("GETABONENT", ("OK", *Abonent(id=1, gid=1, name="a").to_params())),
                        Line("GETABONENT", ("EMAIL", "a@b")), Line("GETABONENT", ("PHONE",))],
         SequenceError),
        ("GETABONENTS", [Line("GETABONENTS", ("BEGIN",)), Line("GETABONENTS", ("PHONE",))],
         SequenceError),
        ("GETABONENTS", [Line("GETABONENTS", ("BEGIN",)), Line("GETABONENTS", ("DATA", "x"))],
         ArgumentCountError),
    ],
)  # fmt: skip
def test_malformed_replies_raise(word: str, lines: list[Line], error: type[Exception]) -> None:
    collector = ReplyCollector(word, ("1", "0"))
    with pytest.raises(error):
        for line in lines:
            collector.feed(line)


def test_heads_and_rows_are_validated_when_read_as_records() -> None:
    reply = reply_of("STARTTASK", [Line("UPDATETASK", ("OK", "1", "", "0", "0"))], ("1", "0"))
    with pytest.raises(InvalidField) as info:
        reply.head_record(TaskSummary)
    assert info.value.field == "name"


def test_feeding_after_the_end_and_closing_early() -> None:
    collector = ReplyCollector("PING")
    assert collector.feed(ok_line("PING")) is not None
    with pytest.raises(SequenceError):
        collector.feed(ok_line("PING"))
    collector.end_of_stream()
    collector = ReplyCollector("GETLISTS")
    collector.feed(Line("GETLISTS", ("BEGIN",)))
    with pytest.raises(TruncatedRequest):
        collector.end_of_stream()


@pytest.mark.parametrize("shape", list(GRAMMARS))
def test_reply_grammars_reject_every_unlisted_pair(shape: object) -> None:
    grammar = GRAMMARS[shape]  # type: ignore[index]
    for phase in Phase:
        for event in Event:
            if (phase, event) in grammar:
                assert advance(grammar, phase, event, "X") is grammar[(phase, event)]
            else:
                with pytest.raises(SequenceError):
                    advance(grammar, phase, event, "X")
        if phase is not Phase.DONE and any(p is phase for p, _ in grammar):
            assert grammar[(phase, Event.ERROR)] is Phase.DONE


def test_every_command_has_a_reply_grammar() -> None:
    for command in COMMANDS.values():
        assert command.reply in GRAMMARS
        ReplyCollector(command.word)
