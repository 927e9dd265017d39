"""Cases for how parameters travel: application/x-www-form-urlencoded decoded
as that format says (``%XX`` in either case of hex, ``+`` for a space), the
same call_id reaching the hub alike in every encoding (multipart included), a
repeated parameter, and a body that is not valid percent-encoding.

Bodies are written by hand here (``AtsClient.post_raw``), so the case of each
escape is the one the case chose, not the HTTP library's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import ERROR_ANSWER, expect_error, expect_status
from nabat.conformance.ats.steps import check, register
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.framework.context import CaseContext

URLENCODED = "ATS-WIRE-URLENCODED"
FORM = "application/x-www-form-urlencoded"
_ESCAPE = re.compile(r"%[0-9A-F]{2}")


def escaped(text: str, case: Callable[[str], str] = str.upper, space: str = "%20") -> str:
    """``text`` percent-encoded byte by byte (UTF-8), hex digits in ``case``, spaces as
    ``space``."""
    quoted = quote(text, safe="")
    return _ESCAPE.sub(lambda m: case(m.group(0)), quoted).replace("%20", space)


def escaped_digits(number: str) -> str:
    """Every digit of a number as an escape (``7`` -> ``%37``)."""
    return "".join(f"%{ord(digit):02X}" for digit in number)


@SUITE.case("ATS-REGISTER-201", URLENCODED, "ATS-CHECK-200-REGISTERED")
def percent_escapes_in_either_case(ctx: CaseContext, env: AtsEnv) -> None:
    """RegisterCall bodies whose escapes use lower-case hex, then upper-case hex (a call_id
    with '/', ':', 'é' and a Cyrillic letter; a written as escaped digits) are 201 and the
    pair verifies; the second one's Content-Type carries "; charset=UTF-8"."""
    for name, case, media in (("lower", str.lower, FORM),
                              ("upper", str.upper, FORM + "; charset=UTF-8")):
        a, b = env.number_a(), env.number_b()
        call_id = env.call_id() + "/é:ж"
        body = f"a={escaped_digits(a)}&b={b}&call_id={escaped(call_id, case)}"
        response = env.a.post_raw("/RegisterCall", body.encode("ascii"), media)
        expect_status(ctx, URLENCODED, response, 201,
                      f"RegisterCall ({media}) with {name}-case escapes: {body}")
        check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", URLENCODED, "ATS-WIRE-MULTIPART",
            needs={"callupdate"})
def one_call_id_in_every_encoding(ctx: CaseContext, env: AtsEnv) -> None:
    """A call_id with a space, '/' and 'é' is the same value however it is sent: CheckCall
    sends it with lower-case escapes and '+' for the space; callUpdate finds the call with
    upper-case escapes and %20, and as multipart/form-data."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    call_id = env.call_id() + " x/é"
    body = f"a={a}&b={b}&call_id={escaped(call_id, str.lower, '+')}"
    response = env.b.post_raw("/CheckCall", body.encode("ascii"))
    expect_status(ctx, "ATS-CHECK-200-REGISTERED", response, 200, f"CheckCall {body}")
    body = f"CALL_ID={escaped(call_id)}&DUR=3"
    response = env.b.post_raw("/callUpdate", body.encode("ascii"))
    expect_status(ctx, URLENCODED, response, 200,
                  f"callUpdate {body} (the call_id CheckCall sent as lower-case escapes and '+')")
    response = env.b.post_multipart("/callUpdate", [("CALL_ID", call_id), ("DUR", "4")])
    expect_status(ctx, "ATS-WIRE-MULTIPART", response, 200,
                  "callUpdate as multipart/form-data with the same call_id")


@SUITE.case("ATS-REGISTER-201", "ATS-WIRE-REPEATED-LAST", "ATS-CHECK-200-REGISTERED")
def repeated_parameter_takes_the_last_value(ctx: CaseContext, env: AtsEnv) -> None:
    """a given twice, first not a number and then valid, registers the valid one (201,
    and the pair verifies); once in a body with escapes in it, once without."""
    for call_id in ("", "&call_id=" + escaped(env.call_id() + " +")):
        a, b = env.number_a(), env.number_b()
        body = f"a=not-a-number&b={b}&a={a}{call_id}"
        response = env.a.post_raw("/RegisterCall", body.encode("ascii"))
        expect_status(ctx, "ATS-WIRE-REPEATED-LAST", response, 201, f"RegisterCall {body}")
        check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED")


@SUITE.case("ATS-WIRE-MALFORMED-400", *ERROR_ANSWER)
def malformed_body_is_a_client_error(ctx: CaseContext, env: AtsEnv) -> None:
    """A RegisterCall body with a broken escape (%zz) is 400 with error bits: a client
    error, neither accepted nor a server failure (5xx sends clients to the reserve)."""
    body = f"a=%zz{env.number_a()}&b={env.number_b()}"
    response = env.a.post_raw("/RegisterCall", body.encode("ascii"))
    expect_error(ctx, response, status_clause="ATS-WIRE-MALFORMED-400",
                 what=f"RegisterCall {body}")
