"""The boundary table: each store error of each command answers the code appendix B
(or the project) gives that command, and the table only names codes the command lists."""

from __future__ import annotations

import pytest
from nabat.system.protocol import COMMANDS, ErrorCode
from nabat.system.protocol.values import TaskStatus
from nabat.system.server.engine import Event, IllegalTransition
from nabat.system.server.error_map import COMMAND_ERRORS, Failure, code_for, text_of
from nabat.system.store import (
    AlreadyExists,
    ConstraintViolated,
    InUse,
    Invalid,
    NotFound,
)

E = ErrorCode
RACE = IllegalTransition(TaskStatus.FINISHED, Event.STOP)


@pytest.mark.parametrize(
    ("word", "failure", "expected"),
    [
        ("USERADD", AlreadyExists("user", "admin"), E.USERALREADY),
        ("USERADD", Invalid("user", "x", "a password is required"), E.USERADD),
        ("USERCHG", NotFound("user", "ghost"), E.USERCHG),
        ("USERCHG", ConstraintViolated("user", "root", "last admin"), E.USERCHG),
        ("USERDEL", ConstraintViolated("user", "root", "last admin"), E.USERDEL),
        ("UPDATEGROUP", NotFound("group", 9), E.UPDATEGROUP),
        ("DELGROUP", InUse("group", 1, by="abonent 2"), E.DELGROUP),
        ("GROUPADDABONENTS", NotFound("abonent", 9), E.GROUPADDABONENTS),
        ("DELLIST", InUse("list", 1, by="task 2"), E.LISTUSE),
        ("DELLIST", NotFound("list", 1), E.DELLIST),
        ("UPDATLIST", NotFound("list", 1), E.UPDATELIST),
        ("LISTDELABONENTS", NotFound("abonent", 9), E.LISTDELABONENTS),
        ("LISTCLEAR", NotFound("list", 9), E.LISTCLEAR),
        ("ADDABONENT", NotFound("group", 9), E.ADDABONENT),
        ("ADDABONENT", ConstraintViolated("abonent"), E.ADDABONENT),
        ("UPDATEABONENT", NotFound("abonent", 9), E.GETABONENT),
        ("UPDATEABONENT", NotFound("group", 9), E.UPDATEABONENT),
        ("DELABONENTS", NotFound("abonent", 9), E.DELABONENTS),
        ("DELMESSAGE", InUse("message", 1, by="task 2"), E.MESSAGEUSE),
        ("UPDATEMESSAGE", NotFound("message", 9), E.UPDATEMESSAGE),
        ("ADDTASK", NotFound("list", 9), E.ADDTASK),
        ("UPDATETASK", NotFound("task", 9), E.GETTASK),
        ("UPDATETASK", NotFound("message", 9), E.UPDATETASK),
        ("DELTASK", NotFound("task", 9), E.GETTASK),
        ("DELTASK", ConstraintViolated("task"), E.DELTASK),
        ("STOPTASK", NotFound("task", 9), E.GETTASK),
        ("STOPTASK", RACE, E.TASKNOTRUNNING),
        ("STARTTASK", NotFound("task", 9), E.GETTASK),
        ("GETTASKINFO", NotFound("task", 9), E.GETTASK),
        ("SETCHANINFO", NotFound("channel", 9), E.GETCHANINFO),
        ("SETCHANINFO", ConstraintViolated("channel"), E.SETCHANINFO),
        ("SETCONFIG", ConstraintViolated("setting"), E.SETCONFIG),
    ],
)
def test_store_errors_map_to_the_commands_codes(
    word: str, failure: Failure, expected: ErrorCode
) -> None:
    assert code_for(word, failure) is expected


def test_a_command_without_an_entry_has_no_code() -> None:
    assert "GETGROUPS" not in COMMAND_ERRORS
    assert code_for("GETGROUPS", NotFound("group", 1)) is None


# STARTTASK has no code of its own in appendix B: a lost race answers UPDATETASK,
# the word of its success reply.
UNLISTED = {("STARTTASK", E.UPDATETASK)}


def test_the_table_names_only_codes_the_command_declares() -> None:
    for word, errors in COMMAND_ERRORS.items():
        declared = set(COMMANDS[word].errors)
        for error in (errors.default, *errors.rules.values()):
            assert error in declared or (word, error) in UNLISTED, (word, error)


def test_texts_name_the_item() -> None:
    assert text_of(NotFound("task", 7)) == "no such task: 7"
    assert text_of(InUse("list", 3, by="task 7")) == "list 3 is used by task 7"
    assert text_of(AlreadyExists("user", "bob")) == "user bob already exists"
    assert text_of(RACE) == "the task is FINISHED: it cannot stop now"
