"""The bytes of one e-mail as the server's extensions allow.

How it works: ``compose`` builds an ``EmailMessage`` (From, To, Subject,
Date, Message-ID, a UTF-8 text/plain body) and serialises it for what the
server announced in EHLO: with SMTPUTF8 the headers go as raw UTF-8 (RFC
6532) under ``policy.SMTPUTF8``; without it, non-ASCII header text becomes
RFC 2047 encoded-words (``policy.SMTP``). The body goes ``8bit`` when the
server has 8BITMIME, else ``base64`` (Cyrillic in quoted-printable would be
three times its size). Lines end in CRLF. ``mail_options`` are the MAIL
FROM parameters to match (SMTPUTF8, BODY=8BITMIME, SIZE).

Text that cannot go on the wire as given is made safe, never refused: a
subject is one line, so each control character in it (line breaks, NUL, C1)
becomes a space and surrounding white space goes (a header parser drops
it); in the body CRLF and a bare CR become a line break and the
other control characters but TAB become a space (RFC 5322 forbids NUL and
bare CR/LF; servers reject them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

SUBJECT_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
BODY_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but TAB and LF


def safe_subject(subject: str) -> str:
    return SUBJECT_CONTROLS.sub(" ", subject).strip()


def safe_body(body: str) -> str:
    return BODY_CONTROLS.sub(" ", body.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True, slots=True)
class Composed:
    data: bytes
    mail_options: tuple[str, ...]


def needs_smtputf8(*addresses: str) -> bool:
    return any(not address.isascii() for address in addresses)


def compose(
    *,
    sender: str,
    recipients: tuple[str, ...],
    subject: str,
    body: str,
    smtputf8: bool,
    eightbit: bool,
    size_offered: bool,
    domain: str,
) -> Composed:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = safe_subject(subject)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=domain)
    text = safe_body(body)
    text = text if text.endswith("\n") else text + "\n"
    cte = "8bit" if eightbit and not text.isascii() else ("7bit" if text.isascii() else "base64")
    message.set_content(text, charset="utf-8", cte=cte)
    data = message.as_bytes(policy=policy.SMTPUTF8 if smtputf8 else policy.SMTP)
    options: list[str] = []
    if smtputf8:
        options.append("SMTPUTF8")
    if cte == "8bit":
        options.append("BODY=8BITMIME")
    if size_offered:
        options.append(f"SIZE={len(data)}")
    return Composed(data, tuple(options))
