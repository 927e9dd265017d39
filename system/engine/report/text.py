"""Text as every report format can hold it: no forbidden characters, no over-long cells.

How it works: ``clean_text`` replaces what XML 1.0 forbids (C0 controls other
than tab, line feed and carriage return; lone surrogates; U+FFFE, U+FFFF)
with U+FFFD, so an abonent name or a channel's detail can never make the
XLSX writer raise or the HTML page malformed. ``bmp_only`` also replaces
characters beyond U+FFFF, which XLS needs (xlwt splits their UTF-16 surrogate
pairs across BIFF records, and readers then reject the file). ``truncate``
cuts a text to a cell's limit, counted in UTF-16 units as Excel counts them,
ending it with ``TRUNCATED_MARK``.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
TRUNCATED_MARK = "…[обрезано]"

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def clean_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD and line breaks
    made ``\n`` (an XML reader would turn a bare CR into LF anyway; every format agrees)."""
    return _FORBIDDEN.sub(REPLACEMENT, text.replace("\r\n", "\n").replace("\r", "\n"))


def bmp_only(text: str) -> str:
    """``text`` with every character beyond the Basic Multilingual Plane replaced by U+FFFD."""
    return _ASTRAL.sub(REPLACEMENT, text)


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def truncate(text: str, limit: int) -> str:
    """``text`` if it fits ``limit`` UTF-16 units, else its head and ``TRUNCATED_MARK``."""
    if len(text) <= limit // 2 or utf16_length(text) <= limit:
        return text
    room = limit - len(TRUNCATED_MARK)
    if room < 0:
        raise ValueError(f"a cell limit of {limit} cannot hold the truncation mark")
    head: list[str] = []
    used = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > room:
            break
        head.append(char)
        used += width
    return "".join(head) + TRUNCATED_MARK
