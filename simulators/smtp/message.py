"""A received message as the control API shows it: headers and bodies, decoded.

``describe(content, max_chars)`` parses the bytes of DATA with the stdlib's
``email`` package (``policy.default``): header values come back decoded
(RFC 2047 encoded-words, RFC 6532 UTF-8 headers), every leaf part of a
multipart tree is listed with its type, charset and transfer encoding, and a
``text/*`` part's body is decoded (base64 or quoted-printable, then its
charset) and kept up to ``max_chars`` characters. Other parts show their
decoded size. Nothing a client sends makes this raise: a part that cannot be
decoded is shown with ``error``, and defects the parser found are listed.
"""

from __future__ import annotations

from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

MAX_HEADERS = 200
MAX_PARTS = 100
MAX_HEADER_CHARS = 4096


def _text_of(part: Message, max_chars: int) -> dict[str, object]:
    payload = part.get_payload(decode=True)
    raw = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        text = raw.decode(charset).replace("\r\n", "\n")
    except (LookupError, UnicodeDecodeError) as error:
        text = raw.decode("utf-8", "replace")
        return {"text": text[:max_chars], "error": f"cannot decode as {charset}: {error}"[:300]}
    if len(text) > max_chars:
        return {"text": text[:max_chars], "truncated": len(text) - max_chars}
    return {"text": text}


def _part(part: Message, max_chars: int) -> dict[str, object]:
    entry: dict[str, object] = {
        "content_type": part.get_content_type(),
        "charset": part.get_content_charset(),
        "transfer_encoding": str(part.get("content-transfer-encoding", "7bit")).lower(),
    }
    filename = part.get_filename()
    if filename:
        entry["filename"] = str(filename)[:MAX_HEADER_CHARS]
    if part.get_content_maintype() == "text":
        entry.update(_text_of(part, max_chars))
    else:
        payload = part.get_payload(decode=True)
        entry["bytes"] = len(payload) if isinstance(payload, bytes) else 0
    return entry


def describe(content: bytes, max_chars: int) -> dict[str, object]:
    """Headers, subject and decoded leaf parts of ``content`` (see the module comment)."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(content)
    except Exception as error:  # the parser is lenient; this is the last guard
        return {"headers": [], "subject": None, "parts": [], "error": str(error)[:300]}
    headers: list[list[str]] = []
    for name, value in message.items()[:MAX_HEADERS]:
        try:
            shown = str(value)
        except Exception:  # a header the policy cannot render
            shown = repr(value)
        headers.append([name, shown[:MAX_HEADER_CHARS]])
    subject: str | None = None
    try:
        raw_subject = message.get("subject")
        subject = None if raw_subject is None else str(raw_subject)[:MAX_HEADER_CHARS]
    except Exception:
        subject = None
    parts: list[dict[str, object]] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        if len(parts) >= MAX_PARTS:
            break
        try:
            parts.append(_part(part, max_chars))
        except Exception as error:
            parts.append({"content_type": "unknown", "error": str(error)[:300]})
    result: dict[str, object] = {"headers": headers, "subject": subject, "parts": parts}
    defects = [type(d).__name__ for d in message.defects][:20]
    if defects:
        result["defects"] = defects
    if isinstance(message, EmailMessage):
        result["message_id"] = str(message.get("message-id", "") or "")[:MAX_HEADER_CHARS]
    return result


def body_text(described: dict[str, object]) -> str:
    """The first text/plain body of a described message ('' if none)."""
    parts = described.get("parts")
    if isinstance(parts, list):
        for part in parts:
            if isinstance(part, dict) and part.get("content_type") == "text/plain":
                return str(part.get("text", ""))
    return ""
