"""Text for people: protocol escapes decoded, long text cut at a word.

:func:`decoded` turns every run of ``%XX`` escapes back into characters (as
UTF-8, or cp1251 when the bytes are not UTF-8: the server protocol's
encoding), so a reason reads ``no such group`` rather than ``no%20such%20group``.
:func:`shortened` cuts at the last whole word before the limit and adds an
ellipsis; it never cuts inside a word.
"""

from __future__ import annotations

import re

_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
ELLIPSIS = "…"


def _decode_run(match: re.Match[str]) -> str:
    data = bytes.fromhex(match.group(0).replace("%", ""))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def decoded(text: str) -> str:
    """``text`` with its %XX escapes decoded for display."""
    return _ESCAPES.sub(_decode_run, text)


def shortened(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an
    ellipsis when cut (a single word longer than the limit is cut at the limit)."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS) + 1]
    cut = head.rfind(" ")
    if cut <= 0:
        return text[: limit - len(ELLIPSIS)] + ELLIPSIS
    return head[:cut].rstrip(" ,;:-") + ELLIPSIS
