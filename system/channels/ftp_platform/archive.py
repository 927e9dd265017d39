"""Archives for the FTP SMS platform: pure functions from messages to zip bytes and names.

How it works: the platform takes a zip named ``<login>_<YYYYMMDDhhmmss>.zip``
holding a folder ``sms`` with either

* the **template** variant: ``sms/contacts.csv`` (``phone;senddate;attr1..N``)
  and ``sms/template.csv`` (one row: ``message;sourceaddress;validity;
  senddate;localtime``), where ``#attrN#`` in the message is replaced by the
  contact's attribute N; or
* the **plain** variant: one ``sms/<name>.csv`` with a header line and then
  ``TELRN_LONG;TEXT`` per message.

``template_archive`` builds the first from contacts and a template;
``route_template_archive`` maps arbitrary messages onto it: when every text
is the same and holds no ``#`` it becomes the template and contacts carry
only phones, otherwise the template is ``#attr1#`` and each contact's text
is its attr1 (a value is never substituted again, so any text is safe).

CSV dialect (the spec only says "separated by ;"): fields separated by
``;``, lines ended by CR LF, and a field that contains ``;``, ``"``, CR or
LF enclosed in double quotes with inner ``"`` doubled (RFC 4180 with ``;``
instead of ``,``): Python's ``csv`` module with ``delimiter=";"`` reads it
back exactly, newlines inside a text included. Text is encoded in the
route's encoding (UTF-8 by default); a text the encoding cannot hold is a
``ValueError`` naming the message, before anything is uploaded.

``ArchiveNamer`` gives unique names: two archives in the same second (or a
clock that went back) get the next free second, so a name is never reused
by one route; the name may then run a few seconds ahead of the wall clock.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from nabat.system.channels.base import OutgoingSms

SENDDATE_FORMAT = "%Y%m%dT%H:%M:%S"  # the spec's YYYYMMDDThh:mm:ss
NAME_TIME_FORMAT = "%Y%m%d%H%M%S"
PLAIN_HEADER = ("TELRN_LONG", "TEXT")
# "international format: country code + network code + number" (the spec's phone); the
# platform refuses a whole archive for one bad line, so anything else never goes in one
PHONE_DIGITS = range(10, 16)


@dataclass(frozen=True, slots=True)
class Contact:
    phone: str
    attributes: tuple[str, ...] = ()  # attr1, attr2, ...
    senddate: datetime | None = None  # overrides the template's


@dataclass(frozen=True, slots=True)
class Template:
    message: str  # with #attrN# placeholders
    sourceaddress: str
    validity: int | None = None  # minutes
    senddate: datetime | None = None
    localtime: bool = False


@dataclass(frozen=True, slots=True)
class Archive:
    name: str  # <login>_<YYYYMMDDhhmmss>.zip
    data: bytes
    messages: int
    entries: tuple[str, ...] = field(default=())


def _csv_bytes(rows: Sequence[Sequence[str]], encoding: str, what: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quotechar='"', lineterminator="\r\n")
    writer.writerows(rows)
    text = buffer.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        line = text.count("\n", 0, error.start) + 1
        raise ValueError(
            f"{what} line {line}: {text[error.start : error.end]!r} cannot be written in {encoding}"
        ) from None


def _zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if any(ord(char) > 127 for char in name):
                info.flag_bits |= 0x800  # names in UTF-8
            zf.writestr(info, data)
    return buffer.getvalue()


def _senddate(value: datetime | None) -> str:
    return value.strftime(SENDDATE_FORMAT) if value is not None else ""


def template_archive(
    name: str, contacts: Sequence[Contact], template: Template, *, encoding: str = "utf-8"
) -> Archive:
    """The template variant: ``sms/contacts.csv`` and ``sms/template.csv``."""
    if not contacts:
        raise ValueError("an archive needs at least one contact")
    width = max(len(contact.attributes) for contact in contacts)
    header = ["phone", "senddate", *(f"attr{index}" for index in range(1, width + 1))]
    rows: list[Sequence[str]] = [header]
    for contact in contacts:
        _check_phone(contact.phone)
        padding = ("",) * (width - len(contact.attributes))
        rows.append([contact.phone, _senddate(contact.senddate), *contact.attributes, *padding])
    template_rows: list[Sequence[str]] = [
        ["message", "sourceaddress", "validity", "senddate", "localtime"],
        [
            template.message,
            template.sourceaddress,
            "" if template.validity is None else str(template.validity),
            _senddate(template.senddate),
            "1" if template.localtime else "0",
        ],
    ]
    entries = [
        ("sms/contacts.csv", _csv_bytes(rows, encoding, "contacts.csv")),
        ("sms/template.csv", _csv_bytes(template_rows, encoding, "template.csv")),
    ]
    return Archive(name, _zip(entries), len(contacts), tuple(entry for entry, _ in entries))


def route_template_archive(
    name: str,
    messages: Sequence[OutgoingSms],
    *,
    sender: str,
    validity: int | None = None,
    localtime: bool = False,
    encoding: str = "utf-8",
) -> Archive:
    """Arbitrary messages as the template variant (see the module docstring)."""
    texts = {message.text for message in messages}
    if len(texts) == 1 and "#" not in next(iter(texts)):
        contacts = [Contact(message.number) for message in messages]
        body = next(iter(texts))
    else:
        contacts = [Contact(message.number, (message.text,)) for message in messages]
        body = "#attr1#"
    return template_archive(
        name, contacts, Template(body, sender, validity, None, localtime), encoding=encoding
    )


def plain_archive(
    name: str,
    messages: Sequence[OutgoingSms],
    *,
    file_name: str = "messages.csv",
    encoding: str = "utf-8",
) -> Archive:
    """The plain variant: ``sms/<file_name>`` with ``TELRN_LONG;TEXT`` after a header."""
    if not messages:
        raise ValueError("an archive needs at least one message")
    rows: list[Sequence[str]] = [PLAIN_HEADER]
    for message in messages:
        _check_phone(message.number)
        rows.append((message.number, message.text))
    entry = f"sms/{file_name}"
    return Archive(
        name, _zip([(entry, _csv_bytes(rows, encoding, file_name))]), len(messages), (entry,)
    )


def is_international(phone: str) -> bool:
    """10-15 ASCII digits: the country code, the network code and the number."""
    return phone.isascii() and phone.isdigit() and len(phone) in PHONE_DIGITS


def _check_phone(phone: str) -> None:
    if not is_international(phone):
        raise ValueError(
            f"phone {phone!r}: 10-15 digits of an international number such as 79031234567"
        )


def archive_name(login: str, at: datetime) -> str:
    return f"{login}_{at.strftime(NAME_TIME_FORMAT)}.zip"


def temporary_name(name: str) -> str:
    """The name an archive is uploaded under: the platform's poller never takes it."""
    return f".{name}.part"


class ArchiveNamer:
    """Unique ``<login>_<YYYYMMDDhhmmss>.zip`` names from a wall clock (module docstring)."""

    def __init__(self, login: str, wall_clock: Callable[[], datetime] = datetime.now) -> None:
        self._login = login
        self._wall_clock = wall_clock
        self._last: datetime | None = None

    def next_name(self) -> str:
        now = self._wall_clock().replace(microsecond=0, tzinfo=None)
        if self._last is not None and now <= self._last:
            now = self._last + timedelta(seconds=1)
        self._last = now
        return archive_name(self._login, now)
