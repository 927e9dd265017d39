"""Building archives for the FTP platform's tests (zipfile, in memory)."""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterable

CONTACTS_HEADER = "phone;senddate;attr1;attr2"
TEMPLATE_HEADER = "message;sourceaddress;validity;senddate;localtime"


def zip_of(entries: Iterable[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def template_zip(
    contacts: Iterable[str],
    template_line: str = "Hello #attr1# #attr2#!;TESTSMS;;;",
    contacts_header: str = CONTACTS_HEADER,
    encoding: str = "utf-8",
) -> bytes:
    contacts_text = "\n".join([contacts_header, *contacts]) + "\n"
    template_text = f"{TEMPLATE_HEADER}\n{template_line}\n"
    return zip_of(
        [
            ("sms/contacts.csv", contacts_text.encode(encoding)),
            ("sms/template.csv", template_text.encode(encoding)),
        ]
    )


def plain_zip(
    rows: Iterable[str], name: str = "sms/list.csv", header: str = "TELRN_LONG;TEXT"
) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return zip_of([(name, text.encode("utf-8"))])


def symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("sms/list.csv")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, b"/etc/passwd")
    return buffer.getvalue()


def encrypted_zip() -> bytes:
    """A zip whose entry says it is encrypted (flag bit 0), as a password-protected zip does."""
    data = bytearray(plain_zip(["79031234567;hi"]))
    # Set bit 0 of the general-purpose flags in the local header and the central directory.
    local = data.find(b"PK\x03\x04")
    data[local + 6] |= 0x01
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x01
    return bytes(data)


def bomb_zip(size: int = 8 << 20) -> bytes:
    """A real zip bomb, small: ``size`` zero bytes deflate to about a thousandth of that."""
    return zip_of([("sms/list.csv", b"TELRN_LONG;TEXT\n" + b"0" * size)])


def lying_zip() -> bytes:
    """An entry whose header declares fewer bytes than it unpacks to."""
    data = bytearray(plain_zip(["79031234567;" + "x" * 5000]))
    central = data.find(b"PK\x01\x02")
    # uncompressed size at offset 24 of the central directory entry
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    data[local + 22 : local + 26] = (100).to_bytes(4, "little")
    return bytes(data)
