"""``help`` and ``help WORD`` of ``nabat client``, from the command table.

Every line comes from ``nabat.system.protocol.COMMANDS`` (synopsis, summary,
rights, reply fields, errors), except the friendly forms of the multi-line
requests, which the client builds itself (``client_requests``).
"""

from __future__ import annotations

from nabat.system.cli.client_requests import ABONENT_FIELDS
from nabat.system.protocol import COMMANDS, Command, ProtocolError, ReplyShape, lookup

FRIENDLY = {
    "ADDABONENT": "ADDABONENT <field>... [name=value]... [--phone ENABLED:PHONE:TYPE]... "
    "[--email ADDR]...",
    "UPDATEABONENT": "UPDATEABONENT <id> <field>... [name=value]... [--phone SPEC]... "
    "[--email ADDR]...",
    "SENDRAWFILE": "SENDRAWFILE [filename] --file PATH",
}
WIDTH = 40  # synopses longer than this get their summary on the next line
INDENT = 8
NOTES = {
    "ADDABONENT": [
        f"fields, in order: {' '.join(ABONENT_FIELDS)}",
        "gid and name are required; the others default to empty / 0",
        "--phone: ENABLED:PHONE:TYPE (1:+79001234567:mobile) or just PHONE",
    ],
    "SENDRAWFILE": ["the file name stored defaults to the local file's name"],
}
NOTES["UPDATEABONENT"] = [*NOTES["ADDABONENT"], "replaces the whole abonent, phones included"]


def synopsis(command: Command) -> str:
    return FRIENDLY.get(command.word, command.synopsis)


def overview() -> list[str]:
    """One line per command: synopsis and summary."""
    width = min(max(len(synopsis(c)) for c in COMMANDS.values()), WIDTH)
    lines = ["Commands (type them as WORD param ...; quote parameters with spaces):", ""]
    for command in COMMANDS.values():
        text = synopsis(command)
        if len(text) > width:
            lines += [text, f"{'':{INDENT}}{command.summary}"]
        else:
            lines.append(f"{text:{width}}  {command.summary}")
    lines += [
        "",
        "help WORD shows one command; exit (or EOF, Ctrl-D) leaves; QUIT ends the session.",
    ]
    return lines


def _rights(command: Command) -> str:
    if command.rights is None:
        return "none (allowed before LOGIN)"
    return command.rights.name.lower().replace("_", "-")


def detail(word: str) -> list[str]:
    """Everything the table says about one command."""
    try:
        command = lookup(word.upper())
    except ProtocolError:
        return [f"unknown command {word!r}; 'help' lists the commands"]
    lines = [synopsis(command), f"  {command.summary}"]
    lines += [f"  {note}" for note in NOTES.get(command.word, [])]
    lines.append(f"  rights: {_rights(command)}")
    reply = command.ok_word()
    if command.reply in (ReplyShape.LIST, ReplyShape.FILE, ReplyShape.ABONENT_LIST):
        lines.append(f"  reply: {reply} BEGIN {' '.join(command.head)}".rstrip())
        lines.append(f"         {reply} DATA {' '.join(command.row)}")
    else:
        lines.append(f"  reply: {reply} OK {' '.join(command.head)}".rstrip())
    if command.reply in (ReplyShape.ABONENT, ReplyShape.ABONENT_LIST):
        lines.append(f"         {reply} PHONE enabled phone ptype, {reply} EMAIL email, ...")
    if command.errors:
        lines.append(f"  errors: {' '.join(error.code for error in command.errors)}")
    if command.alias_of:
        lines.append(f"  same as {command.alias_of}")
    return lines
