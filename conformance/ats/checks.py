"""Reusable checks for ATS cases, each attributed to clauses the case declares.

``expect_status`` checks one answer's status; ``expect_error`` checks a 400
with its error bits (which header set carried them, their format, that two
header sets agree, each expected bit, optionally all at once and nothing
spurious) and notes any implementation-specific FREE-range bits — with no
``bits`` it checks a 400 whose bits the spec does not fix; ``expect_no_error``
checks that a non-error answer reports no error; ``note_bits`` only records the
bits of an answer.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import httpx
from nabat.conformance.ats.wire import FREE_MASK, describe_bits, read_error_headers
from nabat.conformance.framework.context import CaseContext

ERROR_VARIANTS = ("modern", "legacy", "mixed")
#: Clauses every case using :func:`expect_error` must declare.
ERROR_ANSWER = ("ATS-ERRBITS-PRESENT-ON-400", "ATS-ERRBITS-FORMAT")


def describe(response: httpx.Response) -> str:
    return f"{response.request.method} {response.request.url.path}"


def expect_status(
    ctx: CaseContext,
    clause_id: str,
    response: httpx.Response,
    expected: int | Collection[int],
    what: str,
) -> bool:
    allowed = {expected} if isinstance(expected, int) else set(expected)
    shown = " or ".join(str(code) for code in sorted(allowed))
    return ctx.check(
        clause_id,
        response.status_code in allowed,
        f"{what}: expected {shown}, got {response.status_code}",
    )


def error_bits(response: httpx.Response) -> int | None:
    return read_error_headers(response.headers).bits


def note_bits(ctx: CaseContext, response: httpx.Response, what: str) -> None:
    info = read_error_headers(response.headers)
    shown = "no error bits" if info.bits is None else describe_bits(info.bits)
    ctx.note(f"{what}: status {response.status_code}, {shown} (bits not fixed by the spec)")


def expect_error(
    ctx: CaseContext,
    response: httpx.Response,
    *,
    status_clause: str,
    bits: Sequence[tuple[str, int]] = (),
    combined_clause: str | None = None,
    exact: bool = False,
    what: str,
) -> int | None:
    """Check a 400 carrying ``bits`` (pairs of clause id and bit). Returns the bits."""
    expect_status(ctx, status_clause, response, 400, what)
    info = read_error_headers(response.headers)
    ctx.accept_any(
        "ATS-ERRBITS-PRESENT-ON-400", info.variant, ERROR_VARIANTS,
        f"{what}: error bits carried by the {info.variant!r} header set",
    )
    if info.modern_raw is not None:
        ctx.check(
            "ATS-ERRBITS-FORMAT", info.bits is not None and not info.problems,
            f"{what}: X-Error-Bits {info.modern_raw!r} must be 0x + 8 hex digits"
            + (f" ({'; '.join(info.problems)})" if info.problems else ""),
        )
    ctx.check(
        "ATS-ERRBITS-PRESENT-ON-400", not info.disagree,
        f"{what}: X-Error-Bits {info.modern_raw!r} and the legacy headers {dict(info.legacy)} "
        "carry different bits",
    )
    seen = info.bits or 0
    expected = 0
    for _, bit in bits:
        expected |= bit
    if combined_clause is not None:
        ctx.check(
            combined_clause, seen & expected == expected,
            f"{what}: expected all of {describe_bits(expected)} at once, got {describe_bits(seen)}",
        )
    for clause_id, bit in bits:
        ctx.check(
            clause_id, seen & bit == bit,
            f"{what}: expected {describe_bits(bit)} set, got {describe_bits(seen)}",
        )
    if exact:
        spurious = seen & ~expected & ~FREE_MASK
        ctx.check(
            "ATS-ERRBITS-NO-SPURIOUS", spurious == 0,
            f"{what}: unexpected bits {describe_bits(spurious)} besides {describe_bits(expected)}",
        )
    if seen & FREE_MASK:
        ctx.note(f"{what}: implementation-specific bits seen: {describe_bits(seen & FREE_MASK)}")
    if info.variant != "none":
        ctx.check(
            "ATS-ERRBITS-PRESENT-ON-400", seen != 0,
            f"{what}: a 400 must set at least one error bit, got {describe_bits(seen)}",
        )
    return info.bits


#: The clause every case using :func:`expect_no_error` must declare.
NO_ERROR = "ATS-ERRBITS-SUCCESS-ZERO"


def expect_no_error(ctx: CaseContext, response: httpx.Response, what: str) -> None:
    """A non-error answer (2xx, 404) sets no error bit in whatever header it sends."""
    info = read_error_headers(response.headers)
    ctx.check(
        NO_ERROR, not info.bits and not info.problems,
        f"{what} (status {response.status_code}): error headers should report no error, got "
        + (f"X-Error-Bits {info.modern_raw!r}" if info.modern_raw is not None
           else str(dict(info.legacy)))
        + (f" = {describe_bits(info.bits)}" if info.bits else ""),
    )
