"""What ``nabat client`` sends: typed words and options to protocol lines.

A request is typed as ``WORD param param ... [--phone SPEC]... [--email ADDR]...
[--file PATH] [--output PATH]`` (the shell's line after shlex, or the
one-shot command's argv). Single-line commands send their parameters as raw
text (the codec escapes them). The multi-line requests get friendly forms:

* ``ADDABONENT [field...] [name=value...] [--phone SPEC]... [--email ADDR]...``
  and ``UPDATEABONENT <id> ...``: the DATA fields in the protocol's order
  (``gid remote name priority experiodbegin experiodend pin ipaddress
  organization department rank position description``), positionally and/or
  as ``name=value``; fields not given take their defaults. ``SPEC`` is
  ``ENABLED:PHONE:TYPE`` (``1:+79001234567:0``, the type as a number or a name
  like ``mobile``) or just ``PHONE`` (enabled, mobile).
* ``SENDRAWFILE [filename] --file PATH`` (the name defaults to the file's).

``raw_requests`` groups lines already in protocol form (``--stdin``) into
requests: a multi-line command's lines up to its ``END`` form one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nabat.system.protocol import (
    COMMANDS,
    ENCODING,
    Abonent,
    Command,
    Form,
    Line,
    Phone,
    PhoneType,
    ProtocolError,
    abonent_request,
    decode_line,
    file_upload,
    lookup,
)
from nabat.system.protocol.fields import ID, decode_field

ABONENT_FIELDS = Abonent.fields(Form.NEW)
REQUEST_OPTIONS = ("--phone", "--email", "--file", "--output")


class UsageError(Exception):
    """A request the user typed cannot be built (exit code 2, no request sent)."""


@dataclass
class Typed:
    """One typed request: the word, its parameters and the request options."""

    word: str
    params: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    file: Path | None = None
    output: Path | None = None


def parse_words(words: Sequence[str]) -> Typed:
    """``WORD params... options...`` (options anywhere after the word; ``--``
    makes the rest parameters even if they start with ``--``)."""
    if not words:
        raise UsageError("no command given")
    typed = Typed(words[0].upper())
    rest = list(words[1:])
    literal = False
    while rest:
        token = rest.pop(0)
        if not literal and token == "--":
            literal = True
        elif not literal and token in REQUEST_OPTIONS:
            if not rest:
                raise UsageError(f"{token} needs a value")
            _set_option(typed, token, rest.pop(0))
        else:
            typed.params.append(token)
    return typed


def _set_option(typed: Typed, option: str, value: str) -> None:
    if option == "--phone":
        typed.phones.append(value)
    elif option == "--email":
        typed.emails.append(value)
    elif option == "--file":
        typed.file = Path(value)
    else:
        typed.output = Path(value)


def command_of(word: str) -> Command:
    try:
        return lookup(word)
    except ProtocolError:
        raise UsageError(f"unknown command {word!r}; 'help' lists the commands") from None


def build(typed: Typed) -> list[Line]:
    """The line(s) of the request; ``UsageError`` for what cannot be sent."""
    command = command_of(typed.word)
    if (typed.phones or typed.emails) and typed.word not in ("ADDABONENT", "UPDATEABONENT"):
        raise UsageError("--phone and --email belong to ADDABONENT and UPDATEABONENT")
    if typed.file is not None and typed.word != "SENDRAWFILE":
        raise UsageError("--file belongs to SENDRAWFILE")
    try:
        if typed.word in ("ADDABONENT", "UPDATEABONENT"):
            return _abonent_lines(typed)
        if typed.word == "SENDRAWFILE":
            return _file_lines(typed)
    except ProtocolError as exc:
        raise UsageError(f"{typed.word}: {exc.message}") from None
    assert not command.multiline_request
    return [Line(typed.word, tuple(typed.params))]


def parse_phone(spec: str) -> Phone:
    """``ENABLED:PHONE:TYPE`` or ``PHONE``."""
    parts = spec.split(":")
    if len(parts) == 1:
        return Phone(phone=decode_field("phone", Phone.CODECS["phone"], spec))
    if len(parts) != 3:
        raise UsageError(f"--phone {spec!r}: expected ENABLED:PHONE:TYPE or PHONE")
    enabled, number, kind = parts
    if kind.upper() in PhoneType.__members__:
        kind = str(PhoneType[kind.upper()].value)
    return Phone.from_params((enabled, number, kind))


def _abonent_lines(typed: Typed) -> list[Line]:
    params = list(typed.params)
    abonent_id: int | None = None
    if typed.word == "UPDATEABONENT":
        if not params:
            raise UsageError("UPDATEABONENT needs the abonent's id first")
        abonent_id = decode_field("id", ID, params.pop(0))
    values: dict[str, Any] = {}
    positional = True
    for param in params:
        name, sep, value = param.partition("=")
        if sep and name in ABONENT_FIELDS:
            positional = False
            values[name] = value
        elif not positional:
            raise UsageError(f"positional field {param!r} after name=value fields")
        elif len(values) >= len(ABONENT_FIELDS):
            raise UsageError(f"too many fields: the DATA line has {len(ABONENT_FIELDS)}")
        else:
            values[ABONENT_FIELDS[len(values)]] = param
    missing = [name for name in ("gid", "name") if name not in values]
    if missing:
        raise UsageError(f"{typed.word}: {' and '.join(missing)} required "
                         f"(fields: {' '.join(ABONENT_FIELDS)})")  # fmt: skip
    decoded = {name: decode_field(name, Abonent.CODECS[name], raw) for name, raw in values.items()}
    abonent = Abonent(
        id=abonent_id,
        phones=tuple(parse_phone(spec) for spec in typed.phones),
        emails=tuple(typed.emails),
        **decoded,
    )
    return abonent_request(abonent, update=abonent_id is not None)


def _file_lines(typed: Typed) -> list[Line]:
    if typed.file is None:
        raise UsageError("SENDRAWFILE needs --file PATH (and optionally the name to store)")
    if len(typed.params) > 1:
        raise UsageError("SENDRAWFILE takes at most one parameter, the file name to store")
    try:
        data = typed.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {typed.file}: {exc.strerror or exc}") from None
    name = typed.params[0] if typed.params else typed.file.name
    return file_upload(name, data)


def raw_requests(texts: Iterable[str]) -> list[list[Line]]:
    """Lines in protocol form (escaped parameters) grouped into requests;
    blank lines and ``#`` comments are skipped."""
    requests: list[list[Line]] = []
    open_request: list[Line] | None = None
    for number, text in enumerate(texts, 1):
        text = text.rstrip("\r\n")
        if not text.strip() or text.startswith("#"):
            continue
        try:
            line = decode_line(text.encode(ENCODING))
        except UnicodeEncodeError:
            raise UsageError(f"line {number}: not representable in windows-1251") from None
        except ProtocolError as exc:
            raise UsageError(f"line {number}: {exc.message}") from None
        if open_request is not None and line.command == open_request[0].command:
            open_request.append(line)
            if line.params[:1] == ("END",):
                open_request = None
            continue
        if open_request is not None:
            raise UsageError(f"line {number}: {line.command} before {open_request[0].command} END")
        command = COMMANDS.get(line.command)
        if command is None:
            raise UsageError(f"line {number}: unknown command {line.command!r}")
        requests.append([line])
        if command.multiline_request:
            open_request = requests[-1]
    if open_request is not None:
        raise UsageError(f"{open_request[0].command} without its END line")
    return requests
