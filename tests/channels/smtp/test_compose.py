"""compose(): any Unicode subject and body survive the e-mail parser, for every
combination of the server's extensions (SMTPUTF8, 8BITMIME)."""

from __future__ import annotations

import unicodedata
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.channels.smtp.compose import compose, needs_smtputf8

TEXT = st.text(st.characters(codec="utf-8"), max_size=300)  # any character but surrogates
LINES = st.lists(TEXT, max_size=8).map("\n".join)


def expected_subject(subject: str) -> str:
    """Each control character a space (a subject is one line), no surrounding space."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in subject).strip()


def expected_body(body: str) -> str:
    """CRLF and CR a line break, other controls but TAB a space, a final line break."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(" " if unicodedata.category(c) == "Cc" and c not in "\t\n" else c for c in lines)
    return text if text.endswith("\n") else text + "\n"


def parsed(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


@settings(max_examples=100, deadline=None)
@given(subject=TEXT, body=LINES, smtputf8=st.booleans(), eightbit=st.booleans())
def test_subject_and_body_round_trip(
    subject: str, body: str, smtputf8: bool, eightbit: bool
) -> None:
    composed = compose(
        sender="nabat@example.net",
        recipients=("a@example.org", "b@example.org"),
        subject=subject,
        body=body,
        smtputf8=smtputf8,
        eightbit=eightbit,
        size_offered=True,
        domain="nabat.test",
    )
    message = parsed(composed.data)
    assert str(message["subject"]) == expected_subject(subject)
    text = message.get_content().replace("\r\n", "\n")
    assert text == expected_body(body)
    head = composed.data.split(b"\r\n\r\n", 1)[0]
    assert head.isascii() or smtputf8  # raw UTF-8 headers only under SMTPUTF8
    assert composed.data.isascii() or smtputf8 or eightbit  # 8-bit body only with 8BITMIME
    assert all(len(line) <= 998 for line in composed.data.split(b"\r\n"))
    assert b"\n" not in composed.data.replace(b"\r\n", b"")  # CRLF line ends only
    assert f"SIZE={len(composed.data)}" in composed.mail_options
    eight_bit_body = eightbit and not expected_body(body).isascii()
    assert ("BODY=8BITMIME" in composed.mail_options) == eight_bit_body


def test_needs_smtputf8_only_for_non_ascii_addresses() -> None:
    assert not needs_smtputf8("a@example.org", "b@example.net")
    assert needs_smtputf8("a@example.org", "иван@пример.рф")
