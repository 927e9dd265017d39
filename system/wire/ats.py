"""Sans-I/O codec of the ATS API's error and warning headers.

``ErrorBit`` is Appendix 1 of the spec and ``SPEC_MESSAGES`` its texts; the
spec defines no warning bits, so a server's own bits (the simulator's, in the
spec's FREE range) are its business: it passes its ``MessageTables`` to the
encoder. ``encode_error_headers`` turns a bit set into response headers in
one of three profiles (modern ``X-Error-Bits``, the legacy "old servers" set,
or both); ``decode_error_headers`` reads any of them back into an
``ErrorReport``, naming bits the spec does not define ``BIT_n``. No sockets,
no asyncio: the system's client, the simulator and the Locust users wrap it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

HASH_REGEX_TEXT = "/^[0-9a-f]{64}$/"
RUS_NUM_REGEX_TEXT = "/^7\\d{10}$/"


class ErrorBit(enum.IntFlag):
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
    # Bits 15..22 are FREE in the spec (a server may use them for its own errors).
    NOT_A_OWNER = 1 << 23
    PARAM_A_NOT_RUS = 1 << 24
    GRFC_DB_ERROR = 1 << 25
    UVR_RESPONSE_TIMEOUT = 1 << 26
    EXCEPTION = 1 << 31


SPEC_ERROR_MESSAGES: Mapping[int, str] = {
    ErrorBit.PARAM_A_NOT_FOUND: 'Required POST parameter "a" not found or empty',
    ErrorBit.PARAM_A_NOT_INT: 'POST parameter "a" can not be converted to int',
    ErrorBit.PARAM_B_NOT_FOUND: 'Required POST parameter "b" not found or empty',
    ErrorBit.PARAM_B_NOT_INT: 'POST parameter "b" can not be converted to int',
    ErrorBit.PARAM_B_HASH_BAD_REGEX: (
        f'The POST parameter "bh" does not match the template: {HASH_REGEX_TEXT}'
    ),
    ErrorBit.PARAM_C_NOT_INT: 'POST parameter "c" can not be converted to int',
    ErrorBit.PARAM_C_HASH_BAD_REGEX: (
        f'The POST parameter "ch" does not match the template: {HASH_REGEX_TEXT}'
    ),
    ErrorBit.PARAM_D_NOT_INT: 'POST parameter "d" can not be converted to int',
    ErrorBit.CLIENT_ID_SRC_EMPTY: "Can't determine client's ID_SRC (by his IP)",
    ErrorBit.A_ID_SRC_IS_EMPTY: 'ID_SRC field of the "a" number is empty',
    ErrorBit.A_NOT_FOUND_IN_DB: 'The "a" number not found in database',
    ErrorBit.A_UVR_IS_EMPTY_OR_SERVICE: (
        'The primary UVr of "a" number is empty or service (<1 OR >16000)'
    ),
    ErrorBit.USER_UVR_NOT_FOUND: (
        'Can not find user UVr settings in "uvr" table. Probably, you requesting wrong server'
    ),
    ErrorBit.USER_HUB_P_NOT_FOUND: 'The users primary hub of primary UVr not found in "hub" table',
    ErrorBit.GRFC_CHECK_UVR_FAILED: 'The request to GRFC\'s "8081/CheckUvr" API failed',
    ErrorBit.NOT_A_OWNER: 'You are not owner of the "a" number',
    ErrorBit.PARAM_A_NOT_RUS: f'The "a" number does not match the template: {RUS_NUM_REGEX_TEXT}',
    ErrorBit.GRFC_DB_ERROR: "GRFC database error",
    ErrorBit.UVR_RESPONSE_TIMEOUT: "The UVr response timeout exceeded",
    ErrorBit.EXCEPTION: "An exception occurred during code execution",
}



@dataclass(frozen=True, slots=True)
class MessageTables:
    """The texts a server writes in ``X-Error-Messages`` / ``X-Warning-Messages``
    (debug mode), by bit; a bit missing from its table reads "Unknown error"."""

    errors: Mapping[int, str]
    warnings: Mapping[int, str]


SPEC_MESSAGES = MessageTables(errors=SPEC_ERROR_MESSAGES, warnings={})


class HeaderProfile(enum.Enum):
    MODERN = "modern"
    LEGACY = "legacy"
    MIXED = "mixed"


@dataclass(frozen=True, slots=True)
class ErrorReport:
    """What a response said about errors and warnings, whichever header set it used."""

    error_bits: int = 0
    warning_bits: int = 0
    messages: str = ""
    legacy: bool = False

    @property
    def error_flags(self) -> ErrorBit:
        return ErrorBit(self.error_bits)

    def error_names(self) -> list[str]:
        return bit_names(self.error_bits, ErrorBit)


def bit_names(bits: int, table: type[enum.IntFlag]) -> list[str]:
    """Names of the set bits, ascending; unknown bits as ``BIT_n``."""
    names: list[str] = []
    for position in range(32):
        mask = 1 << position
        if bits & mask:
            name = table(mask).name  # IntFlag gives unknown single bits no name
            names.append(name if name else f"BIT_{position}")
    return names


def format_bits(bits: int) -> str:
    return f"0x{bits & 0xFFFFFFFF:08x}"


def format_messages(bits: int, texts: Mapping[int, str]) -> str:
    """``[0x00000001] text; [0x00000002] text`` in ascending bit order (ruling 5)."""
    parts = []
    for position in range(32):
        mask = 1 << position
        if bits & mask:
            parts.append(f"[{format_bits(mask)}] {texts.get(mask, 'Unknown error')}")
    return "; ".join(parts)


_NO_ERROR_HEADER = ("X-Error-Bits", "0x00000000")


def encode_error_headers(
    error_bits: int,
    warning_bits: int,
    debug: bool,
    profile: HeaderProfile = HeaderProfile.MODERN,
    messages: MessageTables = SPEC_MESSAGES,
) -> list[tuple[str, str]]:
    """The response headers for these bits; the texts (debug) come from ``messages``."""
    if not error_bits and not warning_bits and profile is HeaderProfile.MODERN:
        return [_NO_ERROR_HEADER]
    headers: list[tuple[str, str]] = []
    if profile is not HeaderProfile.LEGACY:
        headers.append(("X-Error-Bits", format_bits(error_bits)))
        if debug and error_bits:
            headers.append(("X-Error-Messages", format_messages(error_bits, messages.errors)))
        if warning_bits:
            headers.append(("X-Warning-Bits", format_bits(warning_bits)))
            if debug:
                headers.append(
                    ("X-Warning-Messages", format_messages(warning_bits, messages.warnings))
                )
    if profile is not HeaderProfile.MODERN:
        headers.append(("X-Error-Code", str(error_bits)))
        headers.append(("X-errors", str(error_bits)))
        headers.append(("X-errors-hex", f"{error_bits:08x}"))
        if debug and error_bits:
            headers.append(("X-Error-Message", format_messages(error_bits, messages.errors)))
        if warning_bits:
            headers.append(("X-warnings-hex", f"{warning_bits:08x}"))
    return headers


def _parse_int(text: str, base: int) -> int | None:
    text = text.strip()
    if base == 16 and text[:2].lower() == "0x":
        text = text[2:]
    try:
        return int(text, base)
    except ValueError:
        return None


NO_ERRORS = ErrorReport()


def decode_error_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> ErrorReport:
    """Read error/warning bits from modern or legacy headers (names case-insensitive).

    Modern headers win when both are present; among legacy ones the hex form
    wins over the decimal ones. Unparsable values count as absent.
    """
    items = headers.items() if isinstance(headers, Mapping) else headers
    return decode_error_lookup({name.lower(): value for name, value in items}.get)


_LEGACY_ERROR_HEADERS = (("x-errors-hex", 16), ("x-errors", 10), ("x-error-code", 10))


def read_error_bits(get: Callable[[str], str | None]) -> int | None:
    """The error bits an answer carries, modern header first, then the legacy
    ones (hex before decimal); ``None`` when no readable header is present.

    ``get`` looks a header up by its lower-case name (a case-insensitive
    mapping's ``get`` does).
    """
    modern = get("x-error-bits")
    if modern is not None:
        parsed = _parse_int(modern, 16)
        if parsed is not None:
            return parsed
    for name, base in _LEGACY_ERROR_HEADERS:
        value = get(name)
        if value is not None:
            parsed = _parse_int(value, base)
            if parsed is not None:
                return parsed
    return None


def decode_error_lookup(get: Callable[[str], str | None]) -> ErrorReport:
    """The same as ``decode_error_headers``, given a lookup by lower-case name.

    A case-insensitive mapping's ``get`` (aiohttp's response headers) avoids
    copying the headers; the common "no error" answer returns ``NO_ERRORS``.
    """
    modern = get("x-error-bits")
    if modern == "0x00000000" and get("x-warning-bits") is None:
        return NO_ERRORS
    errors = read_error_bits(get)
    legacy = errors is not None and (modern is None or _parse_int(modern, 16) is None)
    warnings: int | None = None
    warning_header = get("x-warning-bits")
    if warning_header is not None:
        warnings = _parse_int(warning_header, 16)
    if warnings is None:
        legacy_warnings = get("x-warnings-hex")
        if legacy_warnings is not None:
            warnings = _parse_int(legacy_warnings, 16)
    messages = get("x-error-messages") or get("x-error-message") or ""
    return ErrorReport(errors or 0, warnings or 0, messages, legacy)


