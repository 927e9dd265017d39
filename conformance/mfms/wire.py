"""The suite's own reading of HPG (mfms-hpg.ru.txt, rulings MFMS 1-3): queries out,
answer lines in. Independent of system/wire/hpg.py on purpose.

Queries: :func:`query` percent-encodes values (UTF-8, nothing left bare but
unreserved characters) and leaves ``[`` ``]`` in names as the spec's examples
write them. Answers: :func:`lines` splits a body at LF (a CR before it and the
trailing blanks of the spec's examples are tolerated) and drops empty lines;
:func:`read_send_line` and :func:`read_status_line` split one line at ``;``
and say what is wrong with it (``problems``) instead of raising, so a case
can check each statement separately. :func:`request_error` reads a
request-level error in either profile of ruling 3.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

CODES = (
    "ok",
    "error-auth",
    "error-syntax",
    "error-system",
    "error-provider-id-unknown",
    "error-address-format",
    "error-address-unknown",
    "error-subject-format",
    "error-subject-unknown",
)
STATUSES = ("enqueued", "sent", "delivered", "undelivered", "failed", "delayed", "cancelled")
FINAL_STATUSES = ("delivered", "undelivered", "failed", "cancelled")
REQUEST_LEVEL = ("error-auth", "error-syntax", "error-system")
DATETIME_FORMAT = "%Y.%m.%d %H:%M:%S"
_DATETIME = re.compile(r"^[0-9]{4}\.[0-9]{2}\.[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")


def query(pairs: Iterable[tuple[str, str]]) -> str:
    """``name=value&...`` with every value percent-encoded as UTF-8."""
    return "&".join(f"{quote(name, safe='[]')}={quote(value, safe='')}" for name, value in pairs)


def lines(body: str) -> list[str]:
    """The answer's non-empty lines, without CR or trailing blanks."""
    return [line.rstrip() for line in body.split("\n") if line.strip()]


def read_datetime(text: str) -> datetime | None:
    """A ``yyyy.MM.dd HH:mm:ss`` value (24-hour clock), or None."""
    if not _DATETIME.match(text):
        return None
    try:
        return datetime.strptime(text, DATETIME_FORMAT)
    except ValueError:
        return None


@dataclass(frozen=True)
class SendLine:
    """``code;clientId;providerId`` as read."""

    raw: str
    code: str
    client_id: str
    provider_id: str
    fields: int
    problems: tuple[str, ...] = field(default=())


def read_send_line(raw: str) -> SendLine:
    parts = raw.split(";")
    problems: list[str] = []
    if len(parts) not in (2, 3):
        problems.append(f"{len(parts)} fields separated by ';' (code;clientId;providerId has 3)")
    code = parts[0]
    if code not in CODES:
        problems.append(f"code {code!r} is not one of section 3")
    client_id = parts[1] if len(parts) > 1 else ""
    provider_id = parts[2] if len(parts) > 2 else ""
    if code == "ok" and len(parts) != 3:
        problems.append("an ok line must carry code;clientId;providerId")
    return SendLine(raw, code, client_id, provider_id, len(parts), tuple(problems))


@dataclass(frozen=True)
class StatusLine:
    """``code;providerId;status;dateTime;reason`` as read."""

    raw: str
    code: str
    provider_id: str
    status: str
    date_time: str
    reason: str
    fields: int
    problems: tuple[str, ...] = field(default=())

    @property
    def moment(self) -> datetime | None:
        return read_datetime(self.date_time)


def read_status_line(raw: str) -> StatusLine:
    parts = raw.split(";", 4)
    padded = parts + [""] * (5 - len(parts))
    code, provider_id, status, date_time, reason = padded
    problems: list[str] = []
    if code not in CODES:
        problems.append(f"code {code!r} is not one of section 3")
    if code == "ok":
        if len(parts) != 5:
            problems.append(
                f"{len(parts)} fields separated by ';' (an ok line is "
                "code;providerId;status;dateTime;reason: 5)"
            )
        if status not in STATUSES:
            problems.append(f"status {status!r} is not one of section 4")
        if read_datetime(date_time) is None:
            problems.append(f"dateTime {date_time!r} is not yyyy.MM.dd HH:mm:ss")
    elif len(parts) < 2:
        problems.append("an error line must carry code;providerId")
    return StatusLine(
        raw, code, provider_id, status, date_time, reason, len(parts), tuple(problems)
    )


@dataclass(frozen=True)
class RequestError:
    """A request-level error as answered: its profile and the code it names."""

    profile: str  # "http500" | "http200" | "none" (per-message lines, or nothing known)
    code: str | None  # the section-3 code named, if any
    description: str


_CODE_WORD = re.compile(r"\berror-[a-z-]+\b")


def request_error(status: int, body: str) -> RequestError:
    """Ruling 3: HTTP 500 with a description, or HTTP 200 whose only line is the code."""
    text = body.strip()
    if status == 500:
        named = [word for word in _CODE_WORD.findall(text) if word in CODES]
        return RequestError("http500", named[0] if named else None, text)
    found = lines(body)
    if status == 200 and len(found) == 1 and found[0] in REQUEST_LEVEL:
        return RequestError("http200", found[0], text)
    return RequestError("none", None, text)
