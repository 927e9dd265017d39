"""What an HPG answer means for the route: pure classification, no I/O.

How it works: ``read_send_answer(status, body, count)`` turns one SEND
answer into either a request-level verdict or per-message results:

* a request-level error in either profile of the rulings (HTTP 500 whose
  text starts with the code; HTTP 200 whose only line is the code), read by
  the wire codec's ``parse_request_error``: ``error-auth`` -> ``Verdict.AUTH``
  (fatal), ``error-syntax`` -> ``Verdict.SYNTAX`` (our bug: the messages are
  refused, never retried), ``error-system`` -> ``Verdict.RETRY``;
* other HTTP statuses: 429, 502, 503 -> ``RETRY`` (the platform did not take
  the request); 504 and other 5xx without a code -> ``UNCERTAIN`` (a gateway
  may have passed it on); 401, 403, 404 -> ``CONFIG`` (wrong URL or
  credentials: fatal); any other 4xx (414 URI too long, 400) -> ``SYNTAX``;
* HTTP 200 with result lines: one ``code;clientId;providerId`` per message,
  matched by clientId (the message's index in the request). ``ok`` with a
  providerId is accepted; another code refuses that message with the code;
  a message without a line, a line that cannot be read, or ``ok`` without
  a providerId is ``None`` (unknown: the platform may have taken it). The
  common line, ``ok;<clientId>;<providerId>`` with exactly two ``;``, is read
  by one ``split`` (what ``parse_send_line`` gives for it; the tests compare
  both on any line); every other line goes through the codec.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

from nabat.system.wire.hpg import (
    HpgSyntaxError,
    ResponseCode,
    body_lines,
    parse_request_error,
    parse_send_line,
)


class Verdict(enum.Enum):
    LINES = "lines"  # per-message results follow
    RETRY = "retry"  # the platform certainly did not take it: safe to send again
    UNCERTAIN = "uncertain"  # it may have taken it: never resend blindly
    AUTH = "auth"  # error-auth: fatal
    CONFIG = "config"  # 401/403/404: the URL or the credentials are wrong: fatal
    SYNTAX = "syntax"  # error-syntax or a 4xx: a bug on our side, refuse the messages


class MessageAnswer(NamedTuple):  # a tuple: one per message, built cheaply
    code: ResponseCode
    provider_id: str = ""


@dataclass(frozen=True, slots=True)
class SendAnswer:
    verdict: Verdict
    detail: str
    messages: list[MessageAnswer | None]  # per message for LINES; empty otherwise


_REQUEST_VERDICTS = {
    ResponseCode.ERROR_AUTH: Verdict.AUTH,
    ResponseCode.ERROR_SYNTAX: Verdict.SYNTAX,
    ResponseCode.ERROR_SYSTEM: Verdict.RETRY,
}
_NO_FIELDS: list[str] = []  # never changed: "not an ok line"
_RETRY_STATUSES = frozenset({429, 502, 503})
_CONFIG_STATUSES = frozenset({401, 403, 404})


def request_verdict(status: int, body: str) -> tuple[Verdict, str] | None:
    """The request-level verdict of an answer, or None when it carries result lines."""
    code = parse_request_error(status, body) if status in (200, 500) else None
    if code is not None:
        verdict = _REQUEST_VERDICTS.get(code, Verdict.RETRY if status == 500 else Verdict.SYNTAX)
        return verdict, f"HTTP {status}: {_first_line(body) or code.value}"
    if status == 200:
        return None
    text = f"HTTP {status}: {_first_line(body)}".rstrip(": ")
    if status in _RETRY_STATUSES:
        return Verdict.RETRY, text
    if status in _CONFIG_STATUSES:
        return Verdict.CONFIG, text
    if 400 <= status < 500 or status < 200 or 300 <= status < 400:
        return Verdict.SYNTAX, text
    return Verdict.UNCERTAIN, text


def read_send_answer(status: int, body: str, count: int) -> SendAnswer:
    lines = body_lines(body) if status == 200 else []
    # An HTTP 200 carries a request-level code only as its one line, without ";".
    if status != 200 or (len(lines) == 1 and ";" not in lines[0]):
        verdict = request_verdict(status, body)
        if verdict is not None:
            return SendAnswer(verdict[0], verdict[1], [])
    answers: list[MessageAnswer | None] = [None] * count
    ok = ResponseCode.OK
    for line in lines:
        fields = line.split(";") if line.startswith("ok;") else _NO_FIELDS
        if len(fields) == 3:  # the common line: ok;clientId;providerId
            code, client_id, provider_id = ok, fields[1], fields[2]
        else:
            try:
                result = parse_send_line(line)
            except HpgSyntaxError:
                continue
            code, client_id, provider_id = result.code, result.client_id, result.provider_id
        index = _index(client_id, count)
        if index is None or answers[index] is not None:
            continue
        if code is ok and not provider_id:
            continue  # accepted without an id: unknown
        answers[index] = MessageAnswer(code, provider_id)
    return SendAnswer(Verdict.LINES, "", answers)


def _index(client_id: str, count: int) -> int | None:
    if not (client_id.isascii() and client_id.isdigit()):
        return None
    index = int(client_id)
    return index if index < count else None


def _first_line(body: str) -> str:
    lines = body_lines(body)
    return lines[0][:200] if lines else ""
