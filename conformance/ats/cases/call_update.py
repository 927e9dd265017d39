"""Cases for callUpdate: a call checked by this operator (by CheckCall or call)
is found by its CALL_ID for 12 hours; unknown, foreign or old ones are 404."""

from __future__ import annotations

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import expect_status, note_bits
from nabat.conformance.ats.steps import check, register
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.framework.context import CaseContext

TWELVE_HOURS = 12 * 3600


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
            needs={"callupdate"})
def update_checked_call(ctx: CaseContext, env: AtsEnv) -> None:
    """After a CheckCall with call_id, callUpdate with every parameter is 200."""
    call_id = _checked_call(ctx, env)
    response = env.b.update(_update(env, call_id, ("DUR", "42"), ("RC", "16"), ("TA", "1")))
    expect_status(ctx, "ATS-UPDATE-200", response, 200, f"callUpdate CALL_ID={call_id}")
    response = env.b.update([("CALL_ID", call_id), ("DUR", "43")])
    expect_status(ctx, "ATS-UPDATE-200", response, 200,
                  f"callUpdate CALL_ID={call_id} with DUR only (a later update)")


@SUITE.case("ATS-REGISTER-201", "ATS-CALL-200-CHECK", "ATS-UPDATE-AFTER-CALL",
            needs={"callupdate", "call"})
def update_call_made_by_universal_method(ctx: CaseContext, env: AtsEnv) -> None:
    """A call_id given to the universal method call is updatable too."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    call_id = env.call_id()
    response = env.b.call([("a", a), ("b", b), ("call_id", call_id)], env.call_path())
    expect_status(ctx, "ATS-CALL-200-CHECK", response, 200, f"call a={a} b={b} from operator B")
    response = env.b.update(_update(env, call_id, ("DUR", "5")))
    expect_status(ctx, "ATS-UPDATE-AFTER-CALL", response, 200, f"callUpdate CALL_ID={call_id}")


@SUITE.case("ATS-UPDATE-404-UNKNOWN", needs={"callupdate"})
def update_unknown_call(ctx: CaseContext, env: AtsEnv) -> None:
    """callUpdate with a CALL_ID never used is 404."""
    call_id = env.call_id()
    response = env.b.update(_update(env, call_id, ("DUR", "1")))
    expect_status(ctx, "ATS-UPDATE-404-UNKNOWN", response, 404,
                  f"callUpdate CALL_ID={call_id} (never used)")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-UPDATE-404-OTHER-OPERATOR",
            needs={"callupdate"})
def update_other_operators_call(ctx: CaseContext, env: AtsEnv) -> None:
    """Operator A cannot update the call operator B checked: 404."""
    call_id = _checked_call(ctx, env)
    response = env.a.update(_update(env, call_id, ("DUR", "1")))
    expect_status(ctx, "ATS-UPDATE-404-OTHER-OPERATOR", response, 404,
                  f"callUpdate CALL_ID={call_id} from operator A (B's call)")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-UPDATE-200", "ATS-UPDATE-12H",
            needs={"callupdate", "control"})
def update_after_twelve_hours(ctx: CaseContext, env: AtsEnv) -> None:
    """A call is updatable 11 hours later and not after 12 hours (simulated clock)."""
    control = env.require_control()
    call_id = _checked_call(ctx, env)
    control.advance_clock(11 * 3600)
    response = env.b.update(_update(env, call_id, ("DUR", "1")))
    expect_status(ctx, "ATS-UPDATE-200", response, 200, f"callUpdate CALL_ID={call_id} after 11 h")
    control.advance_clock(3600 + 120)
    response = env.b.update(_update(env, call_id, ("DUR", "2")))
    expect_status(ctx, "ATS-UPDATE-12H", response, 404,
                  f"callUpdate CALL_ID={call_id} after 12 h 2 min")


@SUITE.case("ATS-UPDATE-CALLID-REQUIRED", needs={"callupdate"})
def update_requires_call_id(ctx: CaseContext, env: AtsEnv) -> None:
    """callUpdate without CALL_ID is 400 (the bit is not fixed by the spec)."""
    response = env.b.update([("ID_SRC", env.op_a.id_src), ("DUR", "1")])
    expect_status(ctx, "ATS-UPDATE-CALLID-REQUIRED", response, 400, "callUpdate without CALL_ID")
    note_bits(ctx, response, "callUpdate without CALL_ID")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-UPDATE-PARAM-NOT-INT",
            needs={"callupdate"})
def update_rejects_non_numeric_duration(ctx: CaseContext, env: AtsEnv) -> None:
    """DUR is a number: DUR=long is 400 (the bit is not fixed by the spec)."""
    call_id = _checked_call(ctx, env)
    response = env.b.update([("CALL_ID", call_id), ("DUR", "long")])
    expect_status(ctx, "ATS-UPDATE-PARAM-NOT-INT", response, 400,
                  f"callUpdate CALL_ID={call_id} DUR=long")
    note_bits(ctx, response, "callUpdate DUR=long")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-UPDATE-RC-SPELLINGS",
            needs={"callupdate"})
def update_release_code_spellings(ctx: CaseContext, env: AtsEnv) -> None:
    """The release code is accepted as RC (Latin) and as RС (Cyrillic С, as in the spec)."""
    call_id = _checked_call(ctx, env)
    for name in ("RC", "R\u0421"):
        response = env.b.update([("CALL_ID", call_id), (name, "16")])
        expect_status(ctx, "ATS-UPDATE-RC-SPELLINGS", response, 200,
                      f"callUpdate CALL_ID={call_id} {name}=16")
