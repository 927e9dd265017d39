"""How ``nabat client`` shows a decoded reply.

The field names come from the command table (``Command.head`` / ``row``):
a listing is an aligned table with those names as column headers, a single
reply is ``field: value`` lines, an abonent is its fields plus ``phone:`` and
``email:`` lines, a file reply is its head fields and the data's size and
first bytes in hex (or the data saved to ``--output``). Coded values show
their name too (``1 (RUNNING)``); control characters show escaped and a
value with leading or trailing spaces is shown in double quotes. An error
goes to stderr as ``WORD ERR_CODE: text`` with the code's meaning. With
``--json`` everything is one JSON object per reply on stdout instead.
``show`` returns the exit code: 0, or 1 for an error reply.
"""

from __future__ import annotations

import base64
import enum
import json
from pathlib import Path
from typing import Any, TextIO

from nabat.system.protocol import (
    Abonent,
    ChannelState,
    ChannelType,
    Command,
    Form,
    MessageType,
    PhoneType,
    RemoteStart,
    Reply,
    ReplyShape,
    Rights,
    TaskStatus,
    TaskSummary,
    TaskType,
    lookup,
    meanings,
)

CODED: dict[str, type[enum.IntEnum]] = {
    "ttype": TaskType, "status": TaskStatus, "mtype": MessageType, "ptype": PhoneType,
    "remote": RemoteStart, "rights": Rights, "ctype": ChannelType, "state": ChannelState,
}  # fmt: skip
HEX_HEAD = 32  # bytes of a file shown when it is not saved
ABONENT_COLUMNS = (*Abonent.fields(Form.FULL), "phones", "emails")


def readable(name: str, value: str) -> str:
    """A wire value for display: names of coded values, control chars escaped."""
    kind = CODED.get(name)
    if kind is not None and value.isdigit():
        try:
            return f"{value} ({kind(int(value)).name})"
        except ValueError:
            return value
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        value = value.encode("unicode_escape").decode("ascii", "replace")
    if value != value.strip():
        return f'"{value}"'  # leading or trailing spaces made visible
    return value


def table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    cells = [[readable(name, value) for name, value in zip(columns, row, strict=False)]
             for row in rows]  # fmt: skip
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(columns)]
    lines = ["  ".join(name.ljust(w) for name, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
              for row in cells]  # fmt: skip
    if not rows:
        lines.append("(none)")
    return lines


def fields(names: tuple[str, ...], values: tuple[str, ...]) -> list[str]:
    return pairs([(name, readable(name, value)) for name, value in zip(names, values, strict=True)])


def pairs(items: list[tuple[str, str]]) -> list[str]:
    """``name  value`` lines, the values aligned."""
    width = max((len(name) for name, _ in items), default=0)
    return [f"{name.ljust(width)}  {value}".rstrip() for name, value in items]


def _phone_text(abonent: Abonent) -> str:
    return ",".join(":".join(phone.to_params()) for phone in abonent.phones)


def abonent_row(abonent: Abonent) -> tuple[str, ...]:
    return (*abonent.to_params(Form.FULL), _phone_text(abonent), ",".join(abonent.emails))


def abonent_fields(abonent: Abonent) -> list[str]:
    names, values = Abonent.fields(Form.FULL), abonent.to_params(Form.FULL)
    items = [(name, readable(name, value)) for name, value in zip(names, values, strict=True)]
    for phone in abonent.phones:
        enabled, number, ptype = phone.to_params()
        items.append(("phone", f"{enabled} {number} {readable('ptype', ptype)}"))
    items += [("email", email) for email in abonent.emails]
    return pairs(items)


class Printer:
    """Writes replies to ``out`` (errors to ``err``) as text or JSON."""

    def __init__(self, out: TextIO, err: TextIO, *, as_json: bool = False) -> None:
        self.out = out
        self.err = err
        self.as_json = as_json

    def show(self, reply: Reply, output: Path | None = None) -> int:
        command = lookup(reply.request)
        if reply.error is not None:
            return self._error(reply)
        if self.as_json:
            self._print(json.dumps(self._json(command, reply, output), ensure_ascii=False))
        else:
            for line in self._text(command, reply, output):
                self._print(line)
        return 0

    def notification(self, note: TaskSummary) -> None:
        if self.as_json:
            self._print(json.dumps({"notification": dict(zip(TaskSummary.fields(),
                                                              note.to_params(), strict=True))},
                                   ensure_ascii=False))  # fmt: skip
            return
        values = note.to_params()
        shown = " ".join(readable(n, v) for n, v in zip(TaskSummary.fields(), values, strict=True))
        self._print(f"* UPDATETASK {shown}")

    def problem(self, message: str) -> None:
        print(f"nabat client: {message}", file=self.err, flush=True)

    # --- internals ----------------------------------------------------------

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _error(self, reply: Reply) -> int:
        error = reply.error
        assert error is not None
        if self.as_json:
            body = {
                "command": reply.request,
                "ok": False,
                "error": {"word": error.word, "code": error.code, "text": error.text},
            }
            self._print(json.dumps(body, ensure_ascii=False))  # fmt: skip
        known = meanings(error.code)
        meaning = f" [{known[0].meaning}]" if known else ""
        print(f"{error.word} {error.code}: {error.text}{meaning}", file=self.err, flush=True)
        return 1

    def _text(self, command: Command, reply: Reply, output: Path | None) -> list[str]:
        shape = command.reply
        if shape is ReplyShape.LOGIN:
            assert reply.hasp is not None
            return fields(
                (*command.head, *reply.hasp.fields()), (*reply.head, *reply.hasp.to_params())
            )
        if shape is ReplyShape.ABONENT:
            return abonent_fields(reply.abonents[0])
        if shape is ReplyShape.ABONENT_LIST:
            return table(ABONENT_COLUMNS, [abonent_row(a) for a in reply.abonents])
        if shape is ReplyShape.FILE:
            items = list(zip(command.head, reply.head, strict=True))
            return self._file(items, reply.data(), output)
        if shape is ReplyShape.LIST:
            return table(command.row, list(reply.rows))
        if not command.head:
            return [f"{reply.word} OK"]
        return fields(command.head, reply.head)

    def _file(self, head: list[tuple[str, str]], data: bytes, output: Path | None) -> list[str]:
        head.append(("received", f"{len(data)} bytes"))
        if output is not None:
            output.write_bytes(data)
            head.append(("saved", str(output)))
        else:
            more = " ..." if len(data) > HEX_HEAD else ""
            head.append(("data", f"{data[:HEX_HEAD].hex(' ').upper()}{more}"))
        return pairs(head)

    def _json(self, command: Command, reply: Reply, output: Path | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "command": reply.request,
            "ok": True,
            "reply": reply.word,
            "head": dict(zip(command.head, reply.head, strict=False)),
        }
        if reply.hasp is not None:
            body["hasp"] = dict(zip(reply.hasp.fields(), reply.hasp.to_params(), strict=True))
        if command.reply is ReplyShape.LIST:
            body["rows"] = [dict(zip(command.row, row, strict=False)) for row in reply.rows]
        elif command.reply is ReplyShape.FILE:
            data = reply.data()
            body["size"] = len(data)
            if output is not None:
                output.write_bytes(data)
                body["saved"] = str(output)
            else:
                body["data_base64"] = base64.b64encode(data).decode("ascii")
        elif reply.abonents:
            body["abonents"] = [_abonent_json(a) for a in reply.abonents]
        return body  # fmt: skip


def _abonent_json(abonent: Abonent) -> dict[str, Any]:
    body: dict[str, Any] = dict(
        zip(Abonent.fields(Form.FULL), abonent.to_params(Form.FULL), strict=True)
    )
    body["phones"] = [dict(zip(p.fields(), p.to_params(), strict=True)) for p in abonent.phones]
    body["emails"] = list(abonent.emails)
    return body
