"""docs/protocol.md documents every row of the codec's tables, as the codec has it."""

from __future__ import annotations

import enum
import re
from pathlib import Path

import pytest
from nabat.system.protocol import values
from nabat.system.protocol.commands import COMMANDS, Command
from nabat.system.protocol.errors import ErrorCode
from nabat.system.protocol.messages import ReplyShape
from nabat.system.protocol.records import Abonent, Form

DOC = (Path(__file__).parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")


def section(word: str) -> str:
    match = re.search(rf"^### `{word}`\n(.*?)(?=^##)", DOC, re.MULTILINE | re.DOTALL)
    assert match, f"docs/protocol.md has no section for {word}"
    return match[1]


def reply_lines(command: Command) -> list[str]:
    word = command.ok_word(command.word)
    head = " ".join(f"<{name}>" for name in command.head)
    row = " ".join(f"<{name}>" for name in command.row)
    if command.reply in (ReplyShape.OK, ReplyShape.TASK_STATUS, ReplyShape.ABONENT):
        first = [f"{word} OK {head}".rstrip()]
    elif command.reply is ReplyShape.LOGIN:
        first = [f"LOGIN OK {head}"]
    elif command.reply is ReplyShape.ABONENT_LIST:
        first = [f"{word} BEGIN", f"{word} DATA {row}"]
    else:
        first = [f"{word} BEGIN {head}".rstrip(), f"{word} DATA {row}"]
    if command.multiline_request:
        first += [f"{command.word} DATA {row}"]
    return first


@pytest.mark.parametrize("command", list(COMMANDS.values()), ids=lambda c: c.word)
def test_every_command_is_documented_as_the_table_has_it(command: Command) -> None:
    text = section(command.word)
    assert command.synopsis in text.splitlines()
    lines = text.splitlines()
    for line in reply_lines(command):
        if command.word == "UPDATEABONENT" and line.startswith("UPDATEABONENT OK"):
            continue  # "as ADDABONENT's"
        assert line in lines, line
    for error in command.errors:
        assert f"`{error.code}`" in text
    if command.project_defined:
        assert "**(project)**" in text


def test_every_error_code_is_documented() -> None:
    for error in ErrorCode:
        row = f"| `{error.code}` | {error.text} |"
        assert row in DOC, row


@pytest.mark.parametrize(
    "enum_type",
    [values.TaskType, values.TaskStatus, values.Rights, values.PhoneType, values.RemoteStart,
     values.MessageType, values.ChannelType, values.ChannelState],
)  # fmt: skip
def test_every_code_table_value_is_documented(enum_type: type[enum.IntEnum]) -> None:
    for member in enum_type:
        assert f"| {member.value} | `{member.name}` |" in DOC, member


def test_the_record_field_lists_are_documented() -> None:
    assert " ".join(Abonent.fields(Form.FULL)) in DOC
    assert " ".join(Abonent.fields(Form.NEW)) in DOC
