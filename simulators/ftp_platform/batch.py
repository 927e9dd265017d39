"""The messages an archive asks for: CSV decoding and the two variants' rules.

How it works: ``decode_csv`` decodes a file in the account's encoding (a
UTF-8 BOM is tolerated; undecodable bytes are an error naming the line) and
``csv_rows`` yields its non-empty rows split on ``;`` (``csv`` quoting
allowed) with their line numbers, streaming. ``plan_template`` applies the
template variant (ftp-sms-platform.ru.txt): ``template.csv`` has a header and
exactly one data line ``message;sourceaddress;validity;senddate;localtime``
(message and sourceaddress required; validity in minutes, default 1440;
senddate in either spelling of ruling 1; localtime 1 or 0); each
``contacts.csv`` row (header ``phone;senddate;attr1..attrN``) becomes one
message with ``#column#`` replaced by the row's value (a missing ``#attrN#``
becomes empty), its own senddate before the template's. ``plan_plain``
applies the variant without template: header ``TELRN_LONG;TEXT``, the
account's default sender, validity 24 h, no send date. Column names are
matched case-insensitively. Every problem is an ``ArchiveError`` naming the
file and line; one bad line rejects the whole archive (ruling 3), so a
batch is all or nothing. Times stay naive here (the client's or the
subscriber's local time, ``subscriber_time``); intake.py places them on the
simulated clock.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from nabat.simulators.ftp_platform.accounts import Account, is_valid_sender
from nabat.simulators.ftp_platform.errors import ArchiveError

DEFAULT_VALIDITY_MINUTES = 1440
MAX_VALIDITY_MINUTES = 31 * 1440
MAX_TEXT_CHARS = 10_000
MAX_COLUMNS = 256
SENDDATE_FORMATS = ("%Y%m%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S")

_PHONE = re.compile(r"[0-9]{10,15}", re.ASCII)
_FIELD = re.compile(r"#([A-Za-z0-9_]{1,40})#", re.ASCII)
_ATTR = re.compile(r"attr[0-9]+", re.ASCII)


@dataclass(frozen=True, slots=True)
class PlannedMessage:
    address: str
    text: str
    sender: str
    validity_minutes: int
    send_local: datetime | None  # naive: None = at once
    subscriber_time: bool  # send_local is the subscriber's local time (localtime=1)


@dataclass(frozen=True, slots=True)
class Batch:
    variant: str  # "template" | "plain"
    messages: list[PlannedMessage]


def decode_csv(data: bytes, encoding: str, file: str) -> str:
    if codecs.lookup(encoding).name == "utf-8":
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ArchiveError(
            f"bytes at offset {error.start} are not valid {encoding.removesuffix('-sig')}",
            file,
            line,
        ) from None


def csv_rows(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """Non-empty rows with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ArchiveError(f"not valid CSV: {error}", file, reader.line_num) from None
        line = start
        if len(row) > MAX_COLUMNS:
            raise ArchiveError(f"more than {MAX_COLUMNS} columns", file, line)
        if not row or all(not value.strip() for value in row):
            continue
        yield line, row


def _header(
    rows: Iterator[tuple[int, list[str]]], file: str, required: tuple[str, ...]
) -> list[str]:
    try:
        _, header = next(rows)
    except StopIteration:
        raise ArchiveError("the file is empty: a header line is expected", file, 1) from None
    names = [name.strip().lower() for name in header]
    for name in required:
        if name.lower() not in names:
            raise ArchiveError(f"the header has no {name} column", file, 1)
    if len(set(names)) != len(names):
        raise ArchiveError("the header names a column twice", file, 1)
    return names


def _value(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _phone(value: str, file: str, line: int) -> str:
    if not _PHONE.fullmatch(value):
        raise ArchiveError(
            f"phone {value[:40]!r} is not an international number of 10-15 digits", file, line
        )
    return value


def parse_senddate(value: str, file: str, line: int) -> datetime | None:
    if not value:
        return None
    for pattern in SENDDATE_FORMATS:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise ArchiveError(
        f"senddate {value[:40]!r} is not YYYYMMDDThh:mm:ss or YYYY-MM-DDThh:mm:ss", file, line
    )


def _width(row: list[str], names: list[str], file: str, line: int) -> None:
    if len(row) > len(names) and any(value.strip() for value in row[len(names) :]):
        raise ArchiveError(
            f"{len(row)} fields, more than the header's {len(names)} columns", file, line
        )


@dataclass(frozen=True, slots=True)
class _Template:
    message: str
    sender: str
    validity: int
    senddate: datetime | None
    localtime: bool


def _template(text: str, account: Account, file: str) -> _Template:
    rows = csv_rows(text, file)
    names = _header(rows, file, ("message", "sourceaddress"))
    data = list(rows)
    if len(data) != 1:
        line = data[1][0] if len(data) > 1 else 2
        raise ArchiveError(f"exactly one data line is expected, found {len(data)}", file, line)
    line, row = data[0]
    _width(row, names, file, line)
    field = {name: _value(row, index) for index, name in enumerate(names)}
    message = row[names.index("message")] if names.index("message") < len(row) else ""
    if not message.strip():
        raise ArchiveError("message is empty", file, line)
    if len(message) > MAX_TEXT_CHARS:
        raise ArchiveError(f"message is longer than {MAX_TEXT_CHARS} characters", file, line)
    sender = field["sourceaddress"]
    if not is_valid_sender(sender):
        raise ArchiveError(
            f"sourceaddress {sender[:40]!r} is not up to 11 Latin letters or up to 15 digits",
            file,
            line,
        )
    if sender not in account.senders:
        raise ArchiveError(
            f"sourceaddress {sender!r} is not registered for {account.login} (case matters)",
            file,
            line,
        )
    raw_validity = field.get("validity", "")
    validity = DEFAULT_VALIDITY_MINUTES
    if raw_validity:
        if not (raw_validity.isascii() and raw_validity.isdigit()) or not (
            1 <= int(raw_validity[:9]) <= MAX_VALIDITY_MINUTES
        ):
            raise ArchiveError(
                f"validity {raw_validity[:20]!r} is not a whole number of minutes "
                f"from 1 to {MAX_VALIDITY_MINUTES}",
                file,
                line,
            )
        validity = int(raw_validity)
    localtime = field.get("localtime", "")
    if localtime not in ("", "0", "1"):
        raise ArchiveError(f"localtime {localtime[:20]!r} is not 1 or 0", file, line)
    senddate = parse_senddate(field.get("senddate", ""), file, line)
    return _Template(message, sender, validity, senddate, localtime == "1")


def plan_template(contacts: bytes, template: bytes, account: Account) -> Batch:
    template_file, contacts_file = "sms/template.csv", "sms/contacts.csv"
    shape = _template(decode_csv(template, account.encoding, template_file), account, template_file)
    rows = csv_rows(decode_csv(contacts, account.encoding, contacts_file), contacts_file)
    names = _header(rows, contacts_file, ("phone",))
    phone_at = names.index("phone")
    date_at = names.index("senddate") if "senddate" in names else None
    columns = {name: index for index, name in enumerate(names)}
    fields = _FIELD.findall(shape.message)
    pieces = _FIELD.split(shape.message)  # text, name, text, name, ..., text
    wanted = [columns.get(name.lower(), -1) for name in fields]
    blank = [
        index < 0 and bool(_ATTR.fullmatch(name.lower()))
        for name, index in zip(fields, wanted, strict=True)
    ]
    for slot, name in enumerate(fields):
        if wanted[slot] < 0:
            # A missing #attrN# becomes empty; any other #word# stays as written.
            pieces[2 * slot + 1] = "" if blank[slot] else f"#{name}#"
    messages: list[PlannedMessage] = []
    append = messages.append
    for line, row in rows:
        _width(row, names, contacts_file, line)
        phone = _phone(_value(row, phone_at), contacts_file, line)
        senddate = shape.senddate
        if date_at is not None:
            own = parse_senddate(_value(row, date_at), contacts_file, line)
            if own is not None:
                senddate = own
        if fields:
            for slot, index in enumerate(wanted):
                if index >= 0:
                    pieces[2 * slot + 1] = row[index] if index < len(row) else ""
            text = "".join(pieces)
        else:
            text = shape.message
        if len(text) > MAX_TEXT_CHARS:
            raise ArchiveError(
                f"the message for {phone} is longer than {MAX_TEXT_CHARS} characters",
                contacts_file,
                line,
            )
        append(
            PlannedMessage(
                phone,
                text,
                shape.sender,
                shape.validity,
                senddate,
                shape.localtime and senddate is not None,
            )
        )
    if not messages:
        raise ArchiveError("no contacts after the header", contacts_file, 2)
    return Batch("template", messages)


def plan_plain(data: bytes, file: str, account: Account) -> Batch:
    rows = csv_rows(decode_csv(data, account.encoding, file), file)
    names = _header(rows, file, ("TELRN_LONG", "TEXT"))
    phone_at, text_at = names.index("telrn_long"), names.index("text")
    messages: list[PlannedMessage] = []
    append = messages.append
    sender = account.default_sender
    for line, row in rows:
        _width(row, names, file, line)
        phone = _phone(_value(row, phone_at), file, line)
        text = row[text_at] if text_at < len(row) else ""
        if not text.strip():
            raise ArchiveError(f"TEXT is empty for {phone}", file, line)
        if len(text) > MAX_TEXT_CHARS:
            raise ArchiveError(f"TEXT is longer than {MAX_TEXT_CHARS} characters", file, line)
        append(PlannedMessage(phone, text, sender, DEFAULT_VALIDITY_MINUTES, None, False))
    if not messages:
        raise ArchiveError("no messages after the header", file, 2)
    return Batch("plain", messages)
