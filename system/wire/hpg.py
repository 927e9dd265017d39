"""Sans-I/O codec of MFMS HPG, the HTTP-GET protocol of the MFMS SMS platform.

One module for both sides: the system's MFMS channel builds queries with
``build_send_query``/``build_status_query`` and reads answers with
``parse_send_line``/``parse_status_line``/``parse_request_error``; the
simulator reads queries with ``parse_send_records``/``parse_status_records``
and writes answers with ``format_send_line``/``format_status_line``.

Indexed parameters (``subject[0]``, ``address[0]``, ``text[0]``,
``clientId[0]``; ``providerId[0]``...) become one record per index. Indexes are
canonical decimal (``0``, ``1``... no sign, no leading zero) and run 0..n-1
without a gap; a duplicate name, an unknown indexed name, a missing or empty
required field, or a bad index raises ``HpgSyntaxError`` (the platform's
``error-syntax``), naming the parameter.

``startTime[i]`` (an extension: the spec names the delayed status, "a
deferred send time given in the request", but no parameter for it) is an
optional Datetime in the platform's local time; the caller checks its value.

clientId: optional; absent, the record's index stands for it (the spec's
answer ``ok;0;1001`` to a request without clientIds). clientIds are unique in
one request. Escaping: the spec defines none, so none is invented. A clientId
holding ``;``, CR or LF could not travel in a result line and is refused at the
input (``HpgSyntaxError``); the writers refuse such fields too. Readers are
tolerant: a send line splits at its first and last ``;`` (a clientId with
``;`` from someone else's platform survives), a status line at its first four
(the reason keeps any ``;``), and missing trailing optional fields read as
empty. Error lines keep every field: ``error-address-format;7;`` and
``error-provider-id-unknown;1003;;;``.

Bodies: lines joined by LF, one LF after the last; readers also accept CRLF
and the trailing blanks of the spec's examples. Request-level errors come in
two profiles (ruling 3): HTTP 500 whose text starts with the code
(``error-auth: ...``), or HTTP 200 whose only line is the code.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from urllib.parse import quote

DATETIME_FORMAT = "%Y.%m.%d %H:%M:%S"
"""The spec's ``yyyy.MM.dd hh:mm:ss`` (24-hour clock, as its examples show)."""

_DATETIME_SHAPE = re.compile(r"[0-9]{4}\.[0-9]{2}\.[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")
_INDEX = re.compile(r"0|[1-9][0-9]{0,5}")
_SUBJECT_NAME = re.compile(r"[A-Za-z0-9 ._-]{0,11}")
_SUBJECT_DIGITS = re.compile(r"[0-9]{1,15}")

SEND_FIELDS = frozenset({"subject", "address", "text", "clientId", "startTime"})
SEND_REQUIRED = ("subject", "address", "text")
STATUS_FIELDS = frozenset({"providerId", "clientId"})
STATUS_REQUIRED = ("providerId",)


class ResponseCode(enum.Enum):
    """Section 3: the platform's answer codes."""

    OK = "ok"
    ERROR_AUTH = "error-auth"
    ERROR_SYNTAX = "error-syntax"
    ERROR_SYSTEM = "error-system"
    ERROR_PROVIDER_ID_UNKNOWN = "error-provider-id-unknown"
    ERROR_ADDRESS_FORMAT = "error-address-format"
    ERROR_ADDRESS_UNKNOWN = "error-address-unknown"
    ERROR_SUBJECT_FORMAT = "error-subject-format"
    ERROR_SUBJECT_UNKNOWN = "error-subject-unknown"


REQUEST_LEVEL_CODES: frozenset[ResponseCode] = frozenset(
    {ResponseCode.ERROR_AUTH, ResponseCode.ERROR_SYNTAX, ResponseCode.ERROR_SYSTEM}
)

REQUEST_ERROR_DESCRIPTIONS = {
    ResponseCode.ERROR_AUTH: "wrong login or password",
    ResponseCode.ERROR_SYNTAX: "bad request syntax or a required parameter is missing",
    ResponseCode.ERROR_SYSTEM: "system error while processing the request",
}


class DeliveryStatus(enum.Enum):
    """Section 4: delivery statuses of a message."""

    ENQUEUED = "enqueued"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    DELAYED = "delayed"
    CANCELLED = "cancelled"

    @property
    def final(self) -> bool:
        return self in _FINAL_STATUSES


_FINAL_STATUSES = frozenset(
    {
        DeliveryStatus.DELIVERED,
        DeliveryStatus.UNDELIVERED,
        DeliveryStatus.FAILED,
        DeliveryStatus.CANCELLED,
    }
)
_CODES = {code.value: code for code in ResponseCode}
_STATUSES = {status.value: status for status in DeliveryStatus}


class HpgSyntaxError(ValueError):
    """A request or an answer that does not follow HPG (``error-syntax``)."""


# --- Datetime ---------------------------------------------------------------


def format_datetime(moment: datetime) -> str:
    return moment.strftime(DATETIME_FORMAT)


def parse_datetime(text: str) -> datetime:
    if _DATETIME_SHAPE.fullmatch(text) is None:
        raise HpgSyntaxError(f"not a yyyy.MM.dd HH:mm:ss date-time: {text!r}")
    try:
        return datetime.strptime(text, DATETIME_FORMAT)
    except ValueError:
        raise HpgSyntaxError(f"no such date-time: {text!r}") from None


# --- Field rules --------------------------------------------------------------


def is_address(text: str) -> bool:
    """A phone number in international format: 10 to 15 digits, no ``+``, no leading 0.

    ``[1-9][0-9]{9,14}`` with ASCII digits only (``str.isdigit`` alone takes
    Arabic-Indic and full-width digits), in str methods: it runs per message."""
    return 10 <= len(text) <= 15 and text.isascii() and text.isdigit() and text[0] != "0"


def is_subject(text: str) -> bool:
    """A sender name: 1-11 Latin letters, digits, space, ``.``, ``_``, ``-`` with a
    letter among them, or 1-15 digits (a number)."""
    if _SUBJECT_DIGITS.fullmatch(text) is not None:
        return True
    return (
        0 < len(text) <= 11
        and _SUBJECT_NAME.fullmatch(text) is not None
        and any(char.isalpha() for char in text)
    )


def is_safe_field(text: str) -> bool:
    """A value that can travel in a result line (no ``;``, CR or LF)."""
    return ";" not in text and "\r" not in text and "\n" not in text


# --- Requests -----------------------------------------------------------------


class SendRecord(NamedTuple):  # a tuple: one per message, built cheaply
    """One message of a SEND request."""

    subject: str
    address: str
    text: str
    client_id: str
    start_time: str = ""  # extension: a deferred send, Datetime in the platform's time


class StatusRecord(NamedTuple):
    """One providerId of a STATUS request."""

    provider_id: str
    client_id: str


@functools.lru_cache(maxsize=8192)  # the same names (text[17]) come in every request
def _indexed_name(name: str) -> tuple[str, int]:
    """``text[17]`` -> ``("text", 17)``; raises ``HpgSyntaxError`` (not cached) when malformed."""
    base, bracket, index_text = name[:-1].partition("[")
    if not bracket or not name.endswith("]") or "[" in index_text or "]" in index_text:
        raise HpgSyntaxError(f"malformed indexed parameter {name!r}")
    if _INDEX.fullmatch(index_text) is None:
        raise HpgSyntaxError(
            f"index of {name!r} is not a canonical non-negative integer below 1000000"
        )
    return base, int(index_text)


def split_indexed(
    pairs: Iterable[tuple[str, str]], fields: frozenset[str]
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Group ``name[i]=value`` pairs into records by index; other pairs stay plain.

    Raises ``HpgSyntaxError`` for a bad index, an unknown indexed name, a
    duplicate (indexed or plain) or a gap in the indexes.
    """
    by_index: dict[int, dict[str, str]] = {}
    plain: dict[str, str] = {}
    for name, value in pairs:
        if "[" not in name and "]" not in name:
            if name in plain:
                raise HpgSyntaxError(f"parameter {name!r} given twice")
            plain[name] = value
            continue
        base, index = _indexed_name(name)
        if base not in fields:
            raise HpgSyntaxError(f"unknown indexed parameter {name!r}")
        record = by_index.get(index)
        if record is None:
            record = by_index[index] = {}
        if base in record:
            raise HpgSyntaxError(f"parameter {name!r} given twice")
        record[base] = value
    count = len(by_index)
    if count and max(by_index) != count - 1:
        missing = next(index for index in range(count) if index not in by_index)
        raise HpgSyntaxError(f"indexes must run from 0 without a gap: index {missing} is missing")
    return [by_index[index] for index in range(count)], plain


def _client_ids(records: list[dict[str, str]]) -> list[str]:
    client_ids: list[str] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        client_id = record.get("clientId")
        if client_id is None:
            client_id = str(index)
        elif client_id == "" or not is_safe_field(client_id):
            raise HpgSyntaxError(f"clientId[{index}] is empty or holds ';', CR or LF")
        if client_id in seen:
            raise HpgSyntaxError(f"clientId {client_id!r} is not unique in the request")
        seen.add(client_id)
        client_ids.append(client_id)
    return client_ids


def _require(records: list[dict[str, str]], required: Sequence[str]) -> None:
    if not records:
        raise HpgSyntaxError(f"no message: {required[0]}[0] is missing")
    for index, record in enumerate(records):
        for name in required:
            if not record.get(name):
                raise HpgSyntaxError(f"required parameter {name}[{index}] is missing or empty")


def parse_send_records(
    pairs: Iterable[tuple[str, str]],
) -> tuple[list[SendRecord], dict[str, str]]:
    """The messages of a SEND request and its plain parameters (login, password...)."""
    records, plain = split_indexed(pairs, SEND_FIELDS)
    _require(records, SEND_REQUIRED)
    client_ids = _client_ids(records)
    return [
        SendRecord(
            record["subject"],
            record["address"],
            record["text"],
            client_id,
            record.get("startTime", ""),
        )
        for record, client_id in zip(records, client_ids, strict=True)
    ], plain


def parse_status_records(
    pairs: Iterable[tuple[str, str]],
) -> tuple[list[StatusRecord], dict[str, str]]:
    """The providerIds of a STATUS request and its plain parameters."""
    records, plain = split_indexed(pairs, STATUS_FIELDS)
    _require(records, STATUS_REQUIRED)
    client_ids = _client_ids(records)
    return [
        StatusRecord(record["providerId"], client_id)
        for record, client_id in zip(records, client_ids, strict=True)
    ], plain


def _query(pairs: Iterable[tuple[str, str]]) -> str:
    return "&".join(f"{quote(name, safe='[]')}={quote(value, safe='')}" for name, value in pairs)


@dataclass(frozen=True, slots=True)
class Credentials:
    """A connector's login and password with the names of their parameters."""

    login: str
    password: str
    login_param: str = "login"
    password_param: str = "password"

    def pairs(self) -> list[tuple[str, str]]:
        return [(self.login_param, self.login), (self.password_param, self.password)]


def build_send_query(credentials: Credentials, messages: Sequence[SendRecord]) -> str:
    """The query string (without ``?``) of a SEND request, clientIds included."""
    pairs = credentials.pairs()
    for index, message in enumerate(messages):
        if not is_safe_field(message.client_id):
            raise HpgSyntaxError(f"clientId {message.client_id!r} holds ';', CR or LF")
        pairs += [
            (f"subject[{index}]", message.subject),
            (f"address[{index}]", message.address),
            (f"text[{index}]", message.text),
            (f"clientId[{index}]", message.client_id),
        ]
        if message.start_time:
            pairs.append((f"startTime[{index}]", message.start_time))
    return _query(pairs)


def build_status_query(credentials: Credentials, provider_ids: Sequence[str]) -> str:
    """The query string (without ``?``) of a STATUS request."""
    pairs = credentials.pairs()
    pairs += [(f"providerId[{index}]", value) for index, value in enumerate(provider_ids)]
    return _query(pairs)


# --- Answers ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SendResult:
    """``code;clientId;providerId``: providerId is empty unless the code is ok."""

    code: ResponseCode
    client_id: str
    provider_id: str = ""


@dataclass(frozen=True, slots=True)
class StatusResult:
    """``code;providerId;status;dateTime;reason``: only ok lines carry a status."""

    code: ResponseCode
    provider_id: str
    status: DeliveryStatus | None = None
    moment: datetime | None = None
    reason: str = ""


def _checked(*fields: str) -> None:
    for field in fields:
        if not is_safe_field(field):
            raise ValueError(f"field {field!r} holds ';', CR or LF and cannot be written")


def format_send_line(result: SendResult) -> str:
    _checked(result.client_id, result.provider_id)
    return f"{result.code.value};{result.client_id};{result.provider_id}"


def format_status_line(result: StatusResult) -> str:
    _checked(result.provider_id, result.reason)
    status = result.status.value if result.status is not None else ""
    moment = format_datetime(result.moment) if result.moment is not None else ""
    return f"{result.code.value};{result.provider_id};{status};{moment};{result.reason}"


def format_body(lines: Iterable[str]) -> str:
    return "".join(f"{line}\n" for line in lines)


def _code(text: str) -> ResponseCode:
    code = _CODES.get(text)
    if code is None:
        raise HpgSyntaxError(f"unknown response code {text!r}")
    return code


def parse_send_line(line: str) -> SendResult:
    line = line.rstrip()
    first = line.find(";")
    if first < 0:
        raise HpgSyntaxError(f"not a code;clientId;providerId line: {line!r}")
    last = line.rfind(";")
    code = _code(line[:first])
    if last == first:
        return SendResult(code, line[first + 1 :])
    return SendResult(code, line[first + 1 : last], line[last + 1 :])


def parse_status_line(line: str) -> StatusResult:
    fields = line.rstrip().split(";", 4)
    if len(fields) < 2:
        raise HpgSyntaxError(f"not a code;providerId;status;dateTime;reason line: {line!r}")
    fields += [""] * (5 - len(fields))
    code_text, provider_id, status_text, moment_text, reason = fields
    status = None
    if status_text:
        status = _STATUSES.get(status_text)
        if status is None:
            raise HpgSyntaxError(f"unknown delivery status {status_text!r}")
    moment = parse_datetime(moment_text) if moment_text else None
    return StatusResult(_code(code_text), provider_id, status, moment, reason)


def body_lines(body: str) -> list[str]:
    """The non-blank lines of an answer, trailing blanks and CR removed."""
    return [stripped for line in body.splitlines() if (stripped := line.rstrip())]


def format_request_error(code: ResponseCode, *, http500: bool) -> tuple[int, str]:
    """HTTP status and body of a request-level error in one of the two profiles."""
    if http500:
        return 500, f"{code.value}: {REQUEST_ERROR_DESCRIPTIONS.get(code, code.value)}\n"
    return 200, f"{code.value}\n"


def parse_request_error(http_status: int, body: str) -> ResponseCode | None:
    """The request-level error an answer carries, or None for per-message lines.

    HTTP 500: the code the description starts with, error-system if none.
    HTTP 200: a body whose only line is a code without ``;``.
    """
    lines = body_lines(body)
    if http_status >= 500:
        head = re.match(r"[a-z-]+", lines[0]) if lines else None
        found = _CODES.get(head.group(0)) if head is not None else None
        return found if found is not None else ResponseCode.ERROR_SYSTEM
    if len(lines) == 1 and ";" not in lines[0]:
        found = _CODES.get(lines[0])
        if found is not None and found is not ResponseCode.OK:
            return found
    return None
