"""The suite's own archive builder: zip files of both variants, good and bad.

Independent of any platform's code: ``csv_text`` writes ';'-separated lines
(quoting only when a value needs it), ``zip_bytes`` packs named entries with
``zipfile`` (deflated), and the helpers build the spec's layouts:
``template_archive`` (``sms/contacts.csv`` + ``sms/template.csv``) and
``plain_archive`` (one ``sms/<name>.csv`` or ``.txt`` with the header
``TELRN_LONG;TEXT``). ``encrypted`` marks every entry as encrypted (general
purpose flag bit 0, in the local and central headers) the way a
password-protected zip does; ``bomb`` is a small archive whose entry unpacks
to many megabytes of one byte. ``archive_name`` is the spec's
``<login>_<YYYYMMDDhhmmss>.zip``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import zipfile
from collections.abc import Mapping, Sequence

LOCAL_HEADER = b"PK\x03\x04"
CENTRAL_HEADER = b"PK\x01\x02"


def archive_name(login: str, stamp: dt.datetime) -> str:
    return f"{login}_{stamp:%Y%m%d%H%M%S}.zip"


def csv_text(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return out.getvalue()


def zip_bytes(entries: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def template_files(
    contacts: Sequence[Sequence[str]], template: Sequence[Sequence[str]], folder: str = "sms/"
) -> dict[str, bytes]:
    return {
        f"{folder}contacts.csv": csv_text(contacts).encode("utf-8"),
        f"{folder}template.csv": csv_text(template).encode("utf-8"),
    }


def template_archive(contacts: Sequence[Sequence[str]], template: Sequence[Sequence[str]]) -> bytes:
    """The template variant: ``contacts`` and ``template`` are rows, headers first."""
    return zip_bytes(template_files(contacts, template))


def template_rows(message: str, sender: str, **extra: str) -> list[list[str]]:
    """template.csv with message, sourceaddress and the given optional columns."""
    names = ["message", "sourceaddress", *extra]
    return [names, [message, sender, *extra.values()]]


def plain_archive(rows: Sequence[Sequence[str]], name: str = "sms/messages.csv") -> bytes:
    """The variant without template: ``rows`` are (TELRN_LONG, TEXT) after the header."""
    return zip_bytes({name: csv_text([["TELRN_LONG", "TEXT"], *rows]).encode("utf-8")})


def encrypted(data: bytes) -> bytes:
    """``data`` (a zip) with every entry flagged encrypted, as a password-protected zip."""
    patched = bytearray(data)
    for signature, flag_at in ((LOCAL_HEADER, 6), (CENTRAL_HEADER, 8)):
        start = 0
        while (found := patched.find(signature, start)) >= 0:
            (flags,) = struct.unpack_from("<H", patched, found + flag_at)
            struct.pack_into("<H", patched, found + flag_at, flags | 0x1)
            start = found + 4
    return bytes(patched)


def bomb(template: Sequence[Sequence[str]], megabytes: int = 24) -> bytes:
    """A template archive whose contacts.csv unpacks to ``megabytes`` MiB of '0'
    (a few kilobytes packed): too large when unpacked, and never a valid contact."""
    contacts = b"phone\r\n" + b"0" * (megabytes << 20)
    return zip_bytes(
        {"sms/contacts.csv": contacts, "sms/template.csv": csv_text(template).encode("utf-8")}
    )
