"""Strict decoding of an HPG query string (or form body) into ordered pairs.

Unlike ``simulators/http/forms.py`` (a dict, the last value wins) the HPG
codec needs every pair in order to refuse duplicates. Pairs split on ``&``,
``+`` is a space, ``%XX`` escapes are decoded and the result must be UTF-8; a
``%`` not followed by two hex digits or bytes that are not UTF-8 raise
``QueryError`` (the simulator answers error-syntax). The number of pairs is
bounded by the caller's URL or body limit, so the work is bounded too.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


class QueryError(ValueError):
    """The query is not well-formed percent-encoded UTF-8."""


def _component(raw: str) -> str:
    if "+" in raw:
        raw = raw.replace("+", " ")
    if "%" not in raw and raw.isascii():
        return raw
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError("a parameter is not UTF-8 after percent-decoding") from None


def decode_pairs(query: str) -> list[tuple[str, str]]:
    """``query`` as received (latin-1 text of the raw bytes) -> ``[(name, value)]``."""
    if not query:
        return []
    bad = _BAD_ESCAPE.search(query)
    if bad is not None:
        raise QueryError(f"malformed percent-escape at character {bad.start()}")
    pairs: list[tuple[str, str]] = []
    for item in query.split("&"):
        if item:
            name, _, value = item.partition("=")
            pairs.append((_component(name), _component(value)))
    return pairs
