"""The command table against the spec: every command, every arity, every right."""

from __future__ import annotations

import pytest
from nabat.system.protocol.commands import (
    COMMANDS,
    Command,
    authorize,
    check_arity,
    decode_args,
    lookup,
)
from nabat.system.protocol.errors import ErrorCode
from nabat.system.protocol.exceptions import (
    AccessDenied,
    ArgumentCountError,
    InvalidField,
    UnknownCommand,
)
from nabat.system.protocol.messages import ReplyShape, RequestShape
from nabat.system.protocol.records import HaspInfo, Phone
from nabat.system.protocol.values import Rights

from tests.protocol.spec_excerpt import (
    APPENDIX_A,
    SECTIONS,
    SPEC_MISSING,
    SPEC_PATH,
    normalise,
    parse,
)

SECTION_WORDS = sorted(SECTIONS)
ADMIN_ONLY = {
    "USERS", "USERADD", "USERCHG", "USERDEL", "GETCONFIG", "SETCONFIG", "GETCHANINFO",
    "SETCHANINFO", "GETLOG",
}  # fmt: skip


def test_the_table_holds_appendix_a_and_the_sections_spelling() -> None:
    assert len(APPENDIX_A) == 52
    assert set(COMMANDS) == set(APPENDIX_A) | {"UPDATLIST"}
    for word, command in COMMANDS.items():
        assert command.word == word
        assert command.in_appendix_a == (word in APPENDIX_A)


def test_section_commands_and_project_commands_are_marked() -> None:
    assert {w for w, c in COMMANDS.items() if not c.project_defined} == {*SECTIONS, "UPDATELIST"}
    for word in set(APPENDIX_A) - set(SECTIONS) - {"UPDATELIST"}:
        assert COMMANDS[word].project_defined, word
    assert COMMANDS["UPDATELIST"].section == COMMANDS["UPDATLIST"].section


@pytest.mark.skipif(not SPEC_PATH.exists(), reason=SPEC_MISSING)
def test_the_transcription_matches_the_spec_file() -> None:
    spec = normalise(SPEC_PATH.read_text(encoding="utf-8"))
    for word, (requests, replies) in SECTIONS.items():
        for line in requests + replies:
            assert normalise(line) in spec, (word, line)
    appendix = spec[spec.rindex("Приложение А") : spec.rindex("Приложение Б")]
    assert appendix.split()[6:] == APPENDIX_A


# optional parameters the project adds to a spec command (docs/protocol.md, "(project)")
EXTRA_OPTIONAL = {"GETREPORT": 1}  # GETREPORT <id> [format]


@pytest.mark.parametrize("word", SECTION_WORDS)
def test_request_arity_matches_the_spec(word: str) -> None:
    command = COMMANDS[word]
    requests = [parse(line) for line in SECTIONS[word][0]]
    first = requests[0]
    if command.multiline_request:
        assert first.status == "BEGIN"
        by_status = {line.status: line.required for line in requests}
        assert by_status["DATA"] == len(command.row)
        assert by_status["PHONE"] == len(Phone.fields())
        assert by_status["EMAIL"] == 1
    else:
        assert first.status is None
    assert (command.min_params, command.max_params) == (
        first.required,
        first.required + first.optional + EXTRA_OPTIONAL.get(word, 0),
    )


@pytest.mark.parametrize("word", SECTION_WORDS)
def test_reply_shape_and_arity_match_the_spec(word: str) -> None:
    command = COMMANDS[word]
    replies = [parse(line) for line in SECTIONS[word][1]]
    statuses = {line.status for line in replies if line.word == word}
    if not replies:  # STARTTASK, STOPTASK: "UPDATETASK OK ..." (ruling 9)
        assert command.reply is ReplyShape.TASK_STATUS
        assert command.ok_word() == "UPDATETASK"
        assert command.head == COMMANDS["UPDATETASK"].head
        return
    for line in replies:
        if line.word == "HASP":
            assert line.required == len(HaspInfo.fields())
        elif line.status in ("OK", "BEGIN"):
            assert line.required == len(command.head), line
        elif line.status == "DATA":
            assert line.required == len(command.row), line
        elif line.status == "PHONE":
            assert line.required == len(Phone.fields())
    expected = {
        frozenset({"OK"}): {ReplyShape.OK, ReplyShape.LOGIN},
        frozenset({"BEGIN", "DATA", "END"}): {ReplyShape.LIST, ReplyShape.FILE},
        frozenset({"OK", "PHONE", "EMAIL"}): {ReplyShape.ABONENT},
        frozenset({"BEGIN", "DATA", "PHONE", "EMAIL", "END"}): {ReplyShape.ABONENT_LIST},
    }[frozenset(status or "" for status in statuses)]
    assert command.reply in expected


def test_only_gettasks_begin_carries_a_count() -> None:
    for command in COMMANDS.values():
        if command.reply in (ReplyShape.LIST, ReplyShape.ABONENT_LIST):
            assert (command.head == ("count",)) == (command.word == "GETTASKS")


def test_multiline_requests() -> None:
    assert {w for w, c in COMMANDS.items() if c.multiline_request} == {
        "ADDABONENT", "UPDATEABONENT", "SENDRAWFILE",
    }  # fmt: skip
    assert COMMANDS["SENDRAWFILE"].request is RequestShape.FILE
    assert COMMANDS["ADDABONENT"].synopsis == "ADDABONENT BEGIN"
    assert COMMANDS["UPDATEABONENT"].synopsis == "UPDATEABONENT BEGIN <id>"


def test_rights_follow_ruling_8_and_the_project_mapping() -> None:
    assert {w for w, c in COMMANDS.items() if not c.login_required} == {"LOGIN", "PING", "QUIT"}
    assert {w for w, c in COMMANDS.items() if c.rights is Rights.ADMINISTRATOR} == ADMIN_ONLY
    for word, command in COMMANDS.items():
        changes = word.startswith(("ADD", "UPDAT", "DEL", "LIST", "GROUP", "SET", "START"))
        if changes or word in ("STOPTASK", "SENDRAWFILE", "TTS"):
            assert command.rights is not None and command.rights >= Rights.OPERATOR, word
        elif word not in ADMIN_ONLY and command.login_required:
            assert command.rights is Rights.READ_ONLY, word


def test_the_alias_echoes_the_word_used() -> None:
    old, new = COMMANDS["UPDATLIST"], COMMANDS["UPDATELIST"]
    assert old.alias_of == "UPDATELIST"
    assert (old.params, old.head, old.rights, old.errors) == (
        new.params, new.head, new.rights, new.errors,
    )  # fmt: skip
    assert old.ok_word("UPDATLIST") == "UPDATLIST"
    assert new.ok_word("UPDATELIST") == "UPDATELIST"


def test_every_specific_appendix_b_code_is_used_by_some_command() -> None:
    used = {error for command in COMMANDS.values() for error in command.errors}
    generic = {ErrorCode.BADSYNTAX, ErrorCode.BADARGUMENT_COUNT, ErrorCode.NOACCESS,
               ErrorCode.INTERNAL}  # fmt: skip
    connection = {ErrorCode.BUSY}  # sent as ERROR before any command
    assert set(ErrorCode) - generic - connection == used
    assert ErrorCode.DELTASK in COMMANDS["DELTASK"].errors
    assert ErrorCode.LISTDELGROUPS in COMMANDS["LISTDELGROUPS"].errors


@pytest.mark.parametrize("command", list(COMMANDS.values()), ids=lambda c: c.word)
def test_every_parameter_has_a_codec(command: Command) -> None:
    assert len(command.codecs) == len(command.params)
    assert command.synopsis.startswith(command.word)
    assert command.summary


def test_lookup_of_an_unknown_word() -> None:
    assert lookup("PING").word == "PING"
    with pytest.raises(UnknownCommand) as info:
        lookup("FOO")
    assert info.value.reply_code == "ERR_BADSYNTAX"
    assert info.value.word == "FOO"


@pytest.mark.parametrize(
    ("word", "count", "ok"),
    [
        ("PING", 0, True),
        ("PING", 1, False),
        ("GETGROUPS", 0, True),
        ("GETGROUPS", 1, True),
        ("GETGROUPS", 2, False),
        ("GETABONENTS", 2, True),
        ("GETABONENTS", 3, False),
        ("ADDTASK", 13, True),
        ("ADDTASK", 12, False),
        ("UPDATETASK", 14, True),
        ("MONITORING", 0, True),
        ("MONITORING", 1, True),
        ("STARTTASK", 1, False),
    ],
)
def test_check_arity(word: str, count: int, ok: bool) -> None:
    params = ["1"] * count
    if ok:
        check_arity(COMMANDS[word], params)
        return
    with pytest.raises(ArgumentCountError) as info:
        check_arity(COMMANDS[word], params, word)
    assert info.value.reply_code == "ERR_BADARGUMENT_COUNT"
    assert info.value.word == word


@pytest.mark.parametrize(
    ("word", "rights", "allowed"),
    [
        ("LOGIN", None, True),
        ("PING", None, True),
        ("QUIT", None, True),
        ("GETTASKS", None, False),
        ("GETTASKS", Rights.READ_ONLY, True),
        ("ADDTASK", Rights.READ_ONLY, False),
        ("ADDTASK", Rights.OPERATOR, True),
        ("USERADD", Rights.OPERATOR, False),
        ("USERADD", Rights.ADMINISTRATOR, True),
        ("GETTASKS", Rights.ADMINISTRATOR, True),
    ],
)
def test_authorize(word: str, rights: Rights | None, allowed: bool) -> None:
    if allowed:
        authorize(COMMANDS[word], rights)
        return
    with pytest.raises(AccessDenied) as info:
        authorize(COMMANDS[word], rights)
    assert info.value.reply_code == "ERR_NOACCESS"


def test_decode_args_validates_by_name() -> None:
    assert decode_args(COMMANDS["GETABONENTS"], ["", "5"]) == {"gid": None, "lid": 5}
    assert decode_args(COMMANDS["GETGROUPS"], []) == {"lid": None}
    assert decode_args(COMMANDS["LISTADDGROUPS"], ["2", "3,4"]) == {"lid": 2, "groupids": (3, 4)}
    assert decode_args(COMMANDS["STARTTASK"], ["7", "1"]) == {"id": 7, "restart": True}
    with pytest.raises(InvalidField) as info:
        decode_args(COMMANDS["GETRAWFILE"], ["../../etc/passwd"])
    assert (info.value.field, info.value.word) == ("filename", "GETRAWFILE")
    with pytest.raises(InvalidField):
        decode_args(COMMANDS["LOGIN"], ["", "pw"])
    with pytest.raises(ArgumentCountError):
        decode_args(COMMANDS["DELTASK"], [])
