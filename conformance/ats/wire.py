"""ATS wire knowledge the suite needs, written from the spec (not shared with
the simulator): Appendix-1 error bits and texts, the X-Error-Bits /
X-Error-Messages formats (and the legacy header set of "old servers"), and the
SHA-256 number hash used by ``bh``/``ch``.

Pure functions over header values; the HTTP client is elsewhere.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

HASH_REGEX = "/^[0-9a-f]{64}$/"
RUS_NUM_REGEX = r"/^7\d{10}$/"

PARAM_A_NOT_FOUND = 1 << 0
PARAM_B_NOT_FOUND = 1 << 1
PARAM_A_NOT_INT = 1 << 2
PARAM_B_NOT_INT = 1 << 3
PARAM_B_HASH_BAD_REGEX = 1 << 4
PARAM_C_NOT_INT = 1 << 5
PARAM_C_HASH_BAD_REGEX = 1 << 6
PARAM_D_NOT_INT = 1 << 7
CLIENT_ID_SRC_EMPTY = 1 << 8
A_ID_SRC_IS_EMPTY = 1 << 9
A_NOT_FOUND_IN_DB = 1 << 10
A_UVR_IS_EMPTY_OR_SERVICE = 1 << 11
USER_UVR_NOT_FOUND = 1 << 12
USER_HUB_P_NOT_FOUND = 1 << 13
GRFC_CHECK_UVR_FAILED = 1 << 14
NOT_A_OWNER = 1 << 23
PARAM_A_NOT_RUS = 1 << 24
GRFC_DB_ERROR = 1 << 25
UVR_RESPONSE_TIMEOUT = 1 << 26
EXCEPTION = 1 << 31

#: Bits Appendix 1 leaves FREE (15-22, 27-30): an implementation may use them
#: for its own purposes, so the suite never requires nor forbids them.
FREE_MASK = sum(1 << n for n in (*range(15, 23), *range(27, 31)))

BIT_NAMES: Mapping[int, str] = {
    PARAM_A_NOT_FOUND: "PARAM_A_NOT_FOUND",
    PARAM_B_NOT_FOUND: "PARAM_B_NOT_FOUND",
    PARAM_A_NOT_INT: "PARAM_A_NOT_INT",
    PARAM_B_NOT_INT: "PARAM_B_NOT_INT",
    PARAM_B_HASH_BAD_REGEX: "PARAM_B_HASH_BAD_REGEX",
    PARAM_C_NOT_INT: "PARAM_C_NOT_INT",
    PARAM_C_HASH_BAD_REGEX: "PARAM_C_HASH_BAD_REGEX",
    PARAM_D_NOT_INT: "PARAM_D_NOT_INT",
    CLIENT_ID_SRC_EMPTY: "CLIENT_ID_SRC_EMPTY",
    A_ID_SRC_IS_EMPTY: "A_ID_SRC_IS_EMPTY",
    A_NOT_FOUND_IN_DB: "A_NOT_FOUND_IN_DB",
    A_UVR_IS_EMPTY_OR_SERVICE: "A_UVR_IS_EMPTY_OR_SERVICE",
    USER_UVR_NOT_FOUND: "USER_UVR_NOT_FOUND",
    USER_HUB_P_NOT_FOUND: "USER_HUB_P_NOT_FOUND",
    GRFC_CHECK_UVR_FAILED: "GRFC_CHECK_UVR_FAILED",
    NOT_A_OWNER: "NOT_A_OWNER",
    PARAM_A_NOT_RUS: "PARAM_A_NOT_RUS",
    GRFC_DB_ERROR: "GRFC_DB_ERROR",
    UVR_RESPONSE_TIMEOUT: "UVR_RESPONSE_TIMEOUT",
    EXCEPTION: "EXCEPTION",
}

#: Appendix 1 ``MESSAGES`` (PHP string concatenations resolved).
BIT_TEXTS: Mapping[int, str] = {
    PARAM_A_NOT_FOUND: 'Required POST parameter "a" not found or empty',
    PARAM_A_NOT_INT: 'POST parameter "a" can not be converted to int',
    PARAM_B_NOT_FOUND: 'Required POST parameter "b" not found or empty',
    PARAM_B_NOT_INT: 'POST parameter "b" can not be converted to int',
    PARAM_B_HASH_BAD_REGEX: 'The POST parameter "bh" does not match the template: ' + HASH_REGEX,
    PARAM_C_NOT_INT: 'POST parameter "c" can not be converted to int',
    PARAM_C_HASH_BAD_REGEX: 'The POST parameter "ch" does not match the template: ' + HASH_REGEX,
    PARAM_D_NOT_INT: 'POST parameter "d" can not be converted to int',
    CLIENT_ID_SRC_EMPTY: "Can't determine client's ID_SRC (by his IP)",
    A_ID_SRC_IS_EMPTY: 'ID_SRC field of the "a" number is empty',
    A_NOT_FOUND_IN_DB: 'The "a" number not found in database',
    A_UVR_IS_EMPTY_OR_SERVICE: 'The primary UVr of "a" number is empty or service (<1 OR >16000)',
    USER_UVR_NOT_FOUND: (
        'Can not find user UVr settings in "uvr" table. Probably, you requesting wrong server'
    ),
    USER_HUB_P_NOT_FOUND: 'The users primary hub of primary UVr not found in "hub" table',
    GRFC_CHECK_UVR_FAILED: "The request to GRFC's \"8081/CheckUvr\" API failed",
    NOT_A_OWNER: 'You are not owner of the "a" number',
    PARAM_A_NOT_RUS: 'The "a" number does not match the template: ' + RUS_NUM_REGEX,
    UVR_RESPONSE_TIMEOUT: "The UVr response timeout exceeded",
    EXCEPTION: "An exception occurred during code execution",
}

_MODERN_BITS = re.compile(r"^0x[0-9a-fA-F]{8}$")
_LEGACY_HEX = re.compile(r"^[0-9a-fA-F]{8}$")
_DECIMAL = re.compile(r"^[0-9]{1,10}$")
_MESSAGE_ITEM = re.compile(r"\[0x([0-9a-fA-F]{8})\] (.*?)(?=; \[0x[0-9a-fA-F]{8}\] |$)", re.S)

LEGACY_HEADERS = ("X-Error-Code", "X-errors", "X-errors-hex")


def number_hash(number: str) -> str:
    """``bh``/``ch``: lowercase hex SHA-256 of the number's digits (ruling 2)."""
    return hashlib.sha256(number.encode("ascii")).hexdigest()


def describe_bits(bits: int) -> str:
    names = [BIT_NAMES.get(1 << n, f"bit{n}") for n in range(32) if bits & (1 << n)]
    return f"0x{bits:08x}" + (f" ({', '.join(names)})" if names else "")


def parse_modern_bits(value: str) -> int | None:
    """``0x`` followed by exactly 8 hex digits, else None."""
    value = value.strip()
    return int(value, 16) if _MODERN_BITS.match(value) else None


@dataclass(frozen=True)
class ErrorHeaders:
    """What a response says about errors. ``variant`` is ``modern`` (X-Error-Bits),
    ``legacy`` (only the old-server set), ``mixed`` (both) or ``none``."""

    variant: str
    bits: int | None
    modern_raw: str | None
    legacy: Mapping[str, str]
    problems: tuple[str, ...] = ()
    disagree: bool = False  # both header sets sent, with different bits


def read_error_headers(headers: Mapping[str, str]) -> ErrorHeaders:
    lowered = {key.lower(): value for key, value in headers.items()}
    modern_raw = lowered.get("x-error-bits")
    legacy = {name: lowered[name.lower()] for name in LEGACY_HEADERS if name.lower() in lowered}
    problems: list[str] = []
    bits: int | None = None
    if modern_raw is not None:
        bits = parse_modern_bits(modern_raw)
        if bits is None:
            problems.append(f"X-Error-Bits {modern_raw!r} is not 0x + 8 hex digits")
    legacy_values: list[int] = []
    for name, value in legacy.items():
        value = value.strip()
        pattern = _LEGACY_HEX if name == "X-errors-hex" else _DECIMAL
        if not pattern.match(value):
            problems.append(f"{name} {value!r} is malformed")
            continue
        legacy_values.append(int(value, 16 if name == "X-errors-hex" else 10))
    if len(set(legacy_values)) > 1:
        problems.append(f"legacy headers disagree: {legacy}")
    disagree = bits is not None and any(value != bits for value in legacy_values)
    if bits is None and legacy_values:
        bits = legacy_values[0]
    if modern_raw is not None and legacy:
        variant = "mixed"
    elif modern_raw is not None:
        variant = "modern"
    elif legacy:
        variant = "legacy"
    else:
        variant = "none"
    return ErrorHeaders(variant, bits, modern_raw, legacy, tuple(problems), disagree)


def parse_messages(value: str) -> list[tuple[int, str]] | None:
    """Split ``[0x00000001] text; [0x00000002] text`` into (bit, text) pairs;
    None when the value does not follow that format exactly."""
    items: list[tuple[int, str]] = []
    position = 0
    value = value.strip()
    for match in _MESSAGE_ITEM.finditer(value):
        if match.start() != position:
            return None
        items.append((int(match.group(1), 16), match.group(2)))
        position = match.end()
        if value.startswith("; ", position):
            position += 2
    if not items or position != len(value):
        return None
    return items
