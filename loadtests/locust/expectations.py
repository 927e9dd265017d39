"""Pure validators of the hub's answers: status and X-Error-Bits.

How it works: an ``Expectation`` says which status an answer must have and,
optionally, which error bits. ``read_error_bits`` reads the bits from the
modern header (``X-Error-Bits: 0x...``) or, for "old servers", from the
legacy ones, through the system's header codec (system/wire/ats.py).
``problem`` returns ``None`` for a right answer and otherwise the reason to
record as a Locust failure, e.g. ``expected 404, got 200 (X-Error-Bits
0x00000000)``. No Locust import: the users feed it their responses and the
tests feed it fakes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from nabat.system.wire import ats as wire


class HeaderLookup(Protocol):
    def get(self, name: str, default: None = None, /) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Expectation:
    """``error_bits``: ``None`` = not checked; ``0`` = header absent or zero; else exact."""

    status: int
    error_bits: int | None = 0


_NO_ERROR = "0x00000000"


def read_error_bits(headers: HeaderLookup) -> int | None:
    """The error bits an answer carries; ``None`` when it carries no (readable) header.

    The reading itself is the system's codec (modern, then legacy headers);
    ``headers`` must look names up case-insensitively, as HTTP headers do.
    """
    return wire.read_error_bits(headers.get)


def format_bits(bits: int | None) -> str:
    return "none" if bits is None else f"0x{bits & 0xFFFFFFFF:08x}"


def problem(
    expect: Expectation, status: int | None, headers: HeaderLookup, body: bytes = b""
) -> str | None:
    """Why the answer is wrong, or ``None`` when it is what ``expect`` says."""
    if status is None or status == 0:
        return f"expected {expect.status}, got no HTTP answer"
    if status != expect.status:
        detail = f"X-Error-Bits {format_bits(read_error_bits(headers))}"
        snippet = body[:80].decode("utf-8", "replace").strip()
        if snippet:
            detail += f", body {snippet!r}"
        return f"expected {expect.status}, got {status} ({detail})"
    if expect.error_bits is None:
        return None
    if expect.error_bits == 0 and headers.get("X-Error-Bits") == _NO_ERROR:
        return None  # the common case, decided without parsing
    bits = read_error_bits(headers)
    if expect.error_bits == 0:
        if bits:
            return f"expected no error bits with {status}, got {format_bits(bits)}"
        return None
    if bits is None:
        return f"expected X-Error-Bits {format_bits(expect.error_bits)}, header missing"
    if bits != expect.error_bits:
        return f"expected X-Error-Bits {format_bits(expect.error_bits)}, got {format_bits(bits)}"
    return None


REGISTERED = Expectation(201)
FOUND = Expectation(200)
NOT_FOUND = Expectation(404)
UPDATED = Expectation(200)
PING_OK = Expectation(200, error_bits=None)


class ResultLike(Protocol):
    """What the system's ``VerificationResult`` offers (``outcome`` is an Enum)."""

    @property
    def outcome(self) -> Any: ...

    @property
    def status(self) -> int | None: ...


def outcome_problem(expected: str, result: ResultLike) -> str | None:
    """Why a verification client's result is wrong (by outcome name), or ``None``."""
    got = getattr(result.outcome, "name", str(result.outcome))
    if got == expected:
        return None
    details = [f"status {result.status}"]
    names = getattr(result, "error_names", None)
    if names:
        details.append("errors " + "|".join(names))
    detail = getattr(result, "detail", "")
    if detail:
        details.append(str(detail)[:120])
    return f"expected {expected}, got {got} ({', '.join(details)})"
