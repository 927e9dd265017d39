"""Cases for callUpdate: a call checked by this operator (by CheckCall or call,
found or not) is found by its CALL_ID for 12 hours — probed a second either
side of the limit on a frozen clock — and can be updated several times;
unknown, foreign or old ones are 404; bad parameters and unknown clients 400."""

from __future__ import annotations

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import (
    ERROR_ANSWER,
    NO_ERROR,
    expect_error,
    expect_no_error,
    expect_status,
)
from nabat.conformance.ats.steps import check, register
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.ats.wire import CLIENT_ID_SRC_EMPTY
from nabat.conformance.framework.context import CaseContext

TWELVE_HOURS = 12 * 3600
FROZEN_MARGIN_SECONDS = 1.0
RUNNING_MARGIN_SECONDS = 30.0
NUMERIC = ("ID_SRC", "ID_DST", "DUR", "RC", "TA")
RC_CYRILLIC = "R\u0421"  # as the spec writes it, with a Cyrillic С


def _update(env: AtsEnv, call_id: str, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("CALL_ID", call_id), ("ID_SRC", env.op_a.id_src), ("ID_DST", env.op_b.id_src),
            *extra]


def _checked_call(ctx: CaseContext, env: AtsEnv) -> str:
    """Operator B checks a registered call with a fresh call_id; returns the call_id."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    call_id = env.call_id()
    check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED", call_id=call_id)
    return call_id


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-UPDATE-200",
            "ATS-UPDATE-REPEATABLE", NO_ERROR, needs={"callupdate"})
def update_checked_call(ctx: CaseContext, env: AtsEnv) -> None:
    """After a CheckCall with call_id, callUpdate with every parameter is 200 (no error
    bits); later updates with the data that come later (DUR, then TA) are 200 too."""
    call_id = _checked_call(ctx, env)
    response = env.b.update(_update(env, call_id, ("DUR", "42"), ("RC", "16"), ("TA", "1")))
    expect_status(ctx, "ATS-UPDATE-200", response, 200, f"callUpdate CALL_ID={call_id}")
    expect_no_error(ctx, response, f"callUpdate CALL_ID={call_id}")
    for extra in (("DUR", "43"), ("TA", "2")):
        response = env.b.update([("CALL_ID", call_id), extra])
        expect_status(ctx, "ATS-UPDATE-REPEATABLE", response, 200,
                      f"callUpdate CALL_ID={call_id} with {extra[0]} only (a later update)")


@SUITE.case("ATS-REGISTER-201", "ATS-CALL-200-CHECK", "ATS-CALL-201-REGISTER",
            "ATS-UPDATE-AFTER-CALL", needs={"callupdate", "call"})
def update_call_made_by_universal_method(ctx: CaseContext, env: AtsEnv) -> None:
    """A call_id given to the universal method call is updatable, on the checking side
    (operator B, 200) and on the registering side (operator A, 201)."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    path = env.call_path()
    call_id = env.call_id()
    response = env.b.call([("a", a), ("b", b), ("call_id", call_id)], path)
    expect_status(ctx, "ATS-CALL-200-CHECK", response, 200, f"call a={a} b={b} from operator B")
    response = env.b.update(_update(env, call_id, ("DUR", "5")))
    expect_status(ctx, "ATS-UPDATE-AFTER-CALL", response, 200,
                  f"callUpdate CALL_ID={call_id} from operator B (its check by call)")
    a2, b2, call_id2 = env.number_a(), env.number_b(), env.call_id()
    response = env.a.call([("a", a2), ("b", b2), ("id_dst", env.op_b.id_src),
                           ("call_id", call_id2)], path)
    expect_status(ctx, "ATS-CALL-201-REGISTER", response, 201,
                  f"call a={a2} b={b2} from operator A")
    response = env.a.update([("CALL_ID", call_id2), ("ID_DST", env.op_b.id_src)])
    expect_status(ctx, "ATS-UPDATE-AFTER-CALL", response, 200,
                  f"callUpdate CALL_ID={call_id2} from operator A (its registration by call)")


@SUITE.case("ATS-UPDATE-404-UNKNOWN", NO_ERROR, needs={"callupdate"})
def update_unknown_call(ctx: CaseContext, env: AtsEnv) -> None:
    """callUpdate with a CALL_ID never used is 404 (no error bits)."""
    call_id = env.call_id()
    response = env.b.update(_update(env, call_id, ("DUR", "1")))
    expect_status(ctx, "ATS-UPDATE-404-UNKNOWN", response, 404,
                  f"callUpdate CALL_ID={call_id} (never used)")
    expect_no_error(ctx, response, f"callUpdate CALL_ID={call_id} (never used)")


@SUITE.case("ATS-UPDATE-AFTER-404-CHECK", needs={"callupdate"})
def update_spoofed_call(ctx: CaseContext, env: AtsEnv) -> None:
    """A call whose CheckCall was 404 (never registered: an incident) can be updated."""
    a, b, call_id = env.number_a(), env.number_b(), env.call_id()
    check(ctx, env, a, b, 404, clause="ATS-UPDATE-AFTER-404-CHECK", call_id=call_id)
    response = env.b.update(_update(env, call_id, ("DUR", "0")))
    expect_status(ctx, "ATS-UPDATE-AFTER-404-CHECK", response, 200,
                  f"callUpdate CALL_ID={call_id} (its CheckCall was 404)")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-UPDATE-404-OTHER-OPERATOR",
            needs={"callupdate"})
def update_other_operators_call(ctx: CaseContext, env: AtsEnv) -> None:
    """Operator A cannot update the call operator B checked: 404."""
    call_id = _checked_call(ctx, env)
    response = env.a.update(_update(env, call_id, ("DUR", "1")))
    expect_status(ctx, "ATS-UPDATE-404-OTHER-OPERATOR", response, 404,
                  f"callUpdate CALL_ID={call_id} from operator A (B's call)")


@SUITE.case("ATS-UPDATE-UNKNOWN-CLIENT", *ERROR_ANSWER, needs={"callupdate"})
def update_from_unknown_client(ctx: CaseContext, env: AtsEnv) -> None:
    """callUpdate from an address of no operator is 400 with CLIENT_ID_SRC_EMPTY."""
    call_id = env.call_id()
    response = env.stranger.update(_update(env, call_id, ("DUR", "1")))
    expect_error(ctx, response, status_clause="ATS-UPDATE-UNKNOWN-CLIENT",
                 bits=[("ATS-UPDATE-UNKNOWN-CLIENT", CLIENT_ID_SRC_EMPTY)],
                 what=f"callUpdate CALL_ID={call_id} from {env.settings.unknown_ip}")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-UPDATE-12H",
            needs={"callupdate", "control"})
def update_after_twelve_hours(ctx: CaseContext, env: AtsEnv) -> None:
    """A call is updatable one second before it is 12 hours old and not one second after
    (on a frozen simulated clock; 30 s either side when it cannot be frozen)."""
    control = env.require_control()
    with control.frozen_clock() as frozen:
        margin = FROZEN_MARGIN_SECONDS if frozen else RUNNING_MARGIN_SECONDS
        call_id = _checked_call(ctx, env)
        control.advance_clock(TWELVE_HOURS - margin)
        response = env.b.update(_update(env, call_id, ("DUR", "1")))
        expect_status(ctx, "ATS-UPDATE-12H", response, 200,
                      f"callUpdate CALL_ID={call_id} {margin:g} s before 12 h")
        control.advance_clock(2 * margin)
        response = env.b.update(_update(env, call_id, ("DUR", "2")))
        expect_status(ctx, "ATS-UPDATE-12H", response, 404,
                      f"callUpdate CALL_ID={call_id} {margin:g} s after 12 h")


@SUITE.case("ATS-UPDATE-CALLID-REQUIRED", *ERROR_ANSWER, needs={"callupdate"})
def update_requires_call_id(ctx: CaseContext, env: AtsEnv) -> None:
    """callUpdate without CALL_ID, or with it empty, is 400 with error bits (which bit is
    not fixed by the spec)."""
    for params, what in (([], "without CALL_ID"), ([("CALL_ID", "")], "with CALL_ID= empty")):
        response = env.b.update([*params, ("ID_SRC", env.op_a.id_src), ("DUR", "1")])
        expect_error(ctx, response, status_clause="ATS-UPDATE-CALLID-REQUIRED",
                     what=f"callUpdate {what}")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-UPDATE-PARAM-NOT-INT",
            *ERROR_ANSWER, needs={"callupdate"})
def update_rejects_non_numeric_parameters(ctx: CaseContext, env: AtsEnv) -> None:
    """ID_SRC, ID_DST, DUR, RC and TA are numbers: each one alone non-numeric is 400 with
    error bits (which bit is not fixed by the spec)."""
    call_id = _checked_call(ctx, env)
    for name in NUMERIC:
        response = env.b.update([("CALL_ID", call_id), (name, "long")])
        if expect_status(ctx, "ATS-UPDATE-PARAM-NOT-INT", response, 400,
                         f"callUpdate CALL_ID={call_id} {name}=long"):
            expect_error(ctx, response, status_clause="ATS-UPDATE-PARAM-NOT-INT",
                         what=f"callUpdate {name}=long")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-UPDATE-RC-SPELLINGS",
            needs={"callupdate"})
def update_release_code_spellings(ctx: CaseContext, env: AtsEnv) -> None:
    """The release code is read as RC (Latin) and as RС (Cyrillic С, as in the spec):
    16 is accepted under each name, and "x" refused under each (so the name is read,
    not ignored)."""
    call_id = _checked_call(ctx, env)
    for name in ("RC", RC_CYRILLIC):
        response = env.b.update([("CALL_ID", call_id), (name, "16")])
        expect_status(ctx, "ATS-UPDATE-RC-SPELLINGS", response, 200,
                      f"callUpdate CALL_ID={call_id} {name}=16")
        response = env.b.update([("CALL_ID", call_id), (name, "x")])
        expect_status(ctx, "ATS-UPDATE-RC-SPELLINGS", response, 400,
                      f"callUpdate CALL_ID={call_id} {name}=x (a number parameter)")


@SUITE.case("ATS-CALLID-OVER-100-REJECTED", *ERROR_ANSWER, needs={"callupdate"})
def update_call_id_too_long(ctx: CaseContext, env: AtsEnv) -> None:
    """callUpdate with a 101-character CALL_ID is 400 with error bits."""
    call_id = (env.call_id() + "-" + "x" * 101)[:101]
    response = env.b.update([("CALL_ID", call_id), ("DUR", "1")])
    if expect_status(ctx, "ATS-CALLID-OVER-100-REJECTED", response, 400,
                     "callUpdate with a 101-character CALL_ID"):
        expect_error(ctx, response, status_clause="ATS-CALLID-OVER-100-REJECTED",
                     what="callUpdate with a 101-character CALL_ID")


@SUITE.case("ATS-WIRE-405-WRONG-METHOD", "ATS-WIRE-405-ALLOW", needs={"callupdate"})
def update_is_post_only(ctx: CaseContext, env: AtsEnv) -> None:
    """GET /callUpdate is 405 with an Allow header listing POST."""
    response = env.a.send("GET", "/callUpdate")
    expect_status(ctx, "ATS-WIRE-405-WRONG-METHOD", response, 405, "GET /callUpdate")
    allow = response.headers.get("Allow", "")
    ctx.check("ATS-WIRE-405-ALLOW", "POST" in allow.upper(),
              f"GET /callUpdate: Allow should list POST, got {allow!r}")
