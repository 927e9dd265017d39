"""Strict decoding of HTML form bodies into a flat ``{name: value}`` dict.

``application/x-www-form-urlencoded``: pairs split on ``&``, ``+`` is a space,
``%XX`` escapes are decoded and the result must be UTF-8. A ``%`` not followed
by two hex digits, or bytes that are not UTF-8, raise ``FormError`` naming the
problem (the server answers 400 with it) instead of being passed on mangled.
``multipart/form-data``: parts split on the boundary, the field name taken
from Content-Disposition; file parts are read as text too. A repeated name:
the last value wins, as PHP's ``$_POST`` does.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_DISPOSITION_NAME = re.compile(r'\bname="([^"]*)"', re.IGNORECASE)
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


class FormError(ValueError):
    """The body is not a well-formed form of the declared type."""


def parse_form(content_type: str | None, body: bytes) -> dict[str, str]:
    """Decode a POST body according to its Content-Type.

    A missing Content-Type is read as urlencoded; any other type yields no
    parameters (a PHP server would see an empty ``$_POST`` too).
    """
    if not body:
        return {}
    media = (content_type or "application/x-www-form-urlencoded").split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        return parse_urlencoded(body)
    if media == "multipart/form-data":
        return parse_multipart(content_type or "", body)
    return {}


def parse_urlencoded(body: bytes) -> dict[str, str]:
    if b"%" not in body and b"+" not in body and body.isascii():
        # Fast path (the common case on the hot path): nothing to unescape.
        plain: dict[str, str] = {}
        for text_pair in body.decode("ascii").split("&"):
            if text_pair:
                text_name, _, text_value = text_pair.partition("=")
                plain[text_name] = text_value
        return plain
    bad = _BAD_ESCAPE.search(body)
    if bad is not None:
        raise FormError(f"malformed percent-escape at byte {bad.start()} of the form body")
    fields: dict[str, str] = {}
    for pair in body.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        fields[_decode_component(name)] = _decode_component(value)
    return fields


def _decode_component(raw: bytes) -> str:
    if b"+" in raw:
        raw = raw.replace(b"+", b" ")
    if b"%" in raw:
        raw = unquote_to_bytes(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormError(f"form field is not UTF-8 (byte 0x{raw[error.start]:02x})") from None


def parse_multipart(content_type: str, body: bytes) -> dict[str, str]:
    match = _BOUNDARY.search(content_type)
    if match is None:
        raise FormError("multipart/form-data without a boundary")
    delimiter = b"--" + match.group(1).encode("latin-1")
    if delimiter not in body:
        raise FormError("multipart body does not contain its boundary")
    fields: dict[str, str] = {}
    sections = body.split(delimiter)
    closed = False
    for section in sections[1:]:
        if section.startswith(b"--"):
            closed = True
            break
        head, separator, content = section.partition(b"\r\n\r\n")
        if not separator:
            raise FormError("multipart part without a header/body separator")
        name = _part_name(head)
        if content.endswith(b"\r\n"):
            content = content[:-2]
        try:
            fields[name] = content.decode("utf-8")
        except UnicodeDecodeError:
            raise FormError(f"multipart field {name!r} is not UTF-8") from None
    if not closed:
        raise FormError("multipart body is not terminated by its closing boundary")
    return fields


def _part_name(head: bytes) -> str:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        raise FormError("multipart part headers are not UTF-8") from None
    for line in text.split("\r\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() == "content-disposition":
            match = _DISPOSITION_NAME.search(value)
            if match is not None:
                return match.group(1)
    raise FormError("multipart part without a Content-Disposition name")
