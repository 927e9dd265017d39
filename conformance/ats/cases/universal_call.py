"""Cases for the universal method call: its two paths, registration by the
owner of a (201), checking by others (200/404, redirection via c), its error
bits and an unknown client."""

from __future__ import annotations

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import ERROR_ANSWER, expect_error, expect_status
from nabat.conformance.ats.client import CALL_CYRILLIC, CALL_LATIN
from nabat.conformance.ats.steps import check, register
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.ats.wire import CLIENT_ID_SRC_EMPTY, PARAM_A_NOT_FOUND, PARAM_B_NOT_INT
from nabat.conformance.framework.context import CaseContext

PATH_NAMES = {CALL_LATIN: "latin /call", CALL_CYRILLIC: "cyrillic /сall"}


@SUITE.case("ATS-CALL-PATH", "ATS-CALL-BOTH-PATHS", needs={"call"})
def call_paths(ctx: CaseContext, env: AtsEnv) -> None:
    """The method answers at /сall (spec's spelling) and/or /call: a registration by A
    then a check by B, on each path."""
    working: list[str] = []
    for path in (CALL_CYRILLIC, CALL_LATIN):
        a, b = env.number_a(), env.number_b()
        registered = env.a.call([("a", a), ("b", b), ("call_id", env.call_id())], path)
        checked = env.b.call([("a", a), ("b", b), ("call_id", env.call_id())], path)
        if registered.status_code == 201 and checked.status_code == 200:
            working.append(path)
        else:
            ctx.note(f"{PATH_NAMES[path]}: registration {registered.status_code}, "
                     f"check {checked.status_code}")
    if len(working) == 2:
        observed = "both"
    elif working:
        observed = "only " + PATH_NAMES[working[0]]
    else:
        observed = "neither"
    ctx.accept_any("ATS-CALL-PATH", observed,
                   ("both", "only " + PATH_NAMES[CALL_CYRILLIC], "only " + PATH_NAMES[CALL_LATIN]))
    ctx.check("ATS-CALL-BOTH-PATHS", len(working) == 2,
              f"both /call and /сall should work; working: {observed}")


@SUITE.case("ATS-CALL-201-REGISTER", "ATS-CHECK-200-REGISTERED", needs={"call"})
def call_registers_for_owner_of_a(ctx: CaseContext, env: AtsEnv) -> None:
    """call from operator A with A's number registers it: 201, then CheckCall finds it."""
    a, b = env.number_a(), env.number_b()
    path = env.call_path()
    response = env.a.call([("a", a), ("b", b), ("id_dst", env.op_b.id_src)], path)
    expect_status(ctx, "ATS-CALL-201-REGISTER", response, 201, f"call a={a} b={b} from A")
    check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED")


@SUITE.case("ATS-REGISTER-201", "ATS-CALL-200-CHECK", "ATS-CALL-CALLID-OPTIONAL", needs={"call"})
def call_checks_for_other_operator(ctx: CaseContext, env: AtsEnv) -> None:
    """call from operator B about A's number checks it: 200, call_id and id_src optional."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    path = env.call_path()
    response = env.b.call([("a", a), ("b", b), ("call_id", env.call_id())], path)
    expect_status(ctx, "ATS-CALL-200-CHECK", response, 200, f"call a={a} b={b} from B")
    response = env.b.call([("a", a), ("b", b)], path)
    expect_status(ctx, "ATS-CALL-CALLID-OPTIONAL", response, 200,
                  f"call a={a} b={b} from B without call_id and id_src")


@SUITE.case("ATS-CALL-404", needs={"call"})
def call_not_found(ctx: CaseContext, env: AtsEnv) -> None:
    """call from operator B about an unregistered pair: 404."""
    a, b = env.number_a(), env.number_b()
    response = env.b.call([("a", a), ("b", b), ("call_id", env.call_id())], env.call_path())
    expect_status(ctx, "ATS-CALL-404", response, 404, f"call a={a} b={b} (not registered)")


@SUITE.case("ATS-CALL-400-ON-ERROR", "ATS-ERRBITS-COMBINED", "ATS-BIT-A-NOT-FOUND",
            "ATS-BIT-B-NOT-INT", *ERROR_ANSWER, needs={"call"})
def call_error_bits(ctx: CaseContext, env: AtsEnv) -> None:
    """call without a and with b=7x: 400 with both bits at once."""
    response = env.a.call([("b", "7x")], env.call_path())
    expect_error(ctx, response, status_clause="ATS-CALL-400-ON-ERROR",
                 bits=[("ATS-BIT-A-NOT-FOUND", PARAM_A_NOT_FOUND),
                       ("ATS-BIT-B-NOT-INT", PARAM_B_NOT_INT)],
                 combined_clause="ATS-ERRBITS-COMBINED", what="call without a, b=7x")


@SUITE.case("ATS-REGISTER-201", "ATS-CALL-REDIRECT-C", needs={"call"})
def call_checks_redirected_call(ctx: CaseContext, env: AtsEnv) -> None:
    """A registers a call to c, redirected to b: call from B with (a, b, c) is 200."""
    a, c, b = env.number_a(), env.number_b(), env.number_b()
    register(ctx, env, a, c)
    response = env.b.call([("a", a), ("b", b), ("c", c), ("call_id", env.call_id())],
                          env.call_path())
    expect_status(ctx, "ATS-CALL-REDIRECT-C", response, 200,
                  f"call a={a} b={b} c={c} from B ((a, c) registered)")


@SUITE.case("ATS-CALL-400-ON-ERROR", "ATS-BIT-CLIENT-ID-SRC-EMPTY", *ERROR_ANSWER, needs={"call"})
def call_from_unknown_client(ctx: CaseContext, env: AtsEnv) -> None:
    """call from an address of no operator is 400 with CLIENT_ID_SRC_EMPTY."""
    a, b = env.number_a(), env.number_b()
    response = env.stranger.call([("a", a), ("b", b), ("call_id", env.call_id())],
                                 env.call_path())
    expect_error(ctx, response, status_clause="ATS-CALL-400-ON-ERROR",
                 bits=[("ATS-BIT-CLIENT-ID-SRC-EMPTY", CLIENT_ID_SRC_EMPTY)],
                 what=f"call a={a} b={b} from {env.settings.unknown_ip}")


@SUITE.case("ATS-CALL-400-ON-ERROR", "ATS-CHECK-B-OWNER", *ERROR_ANSWER, needs={"call"})
def call_check_by_non_owner_of_b(ctx: CaseContext, env: AtsEnv) -> None:
    """call that is a check (the client does not own a) follows CheckCall's rules: operator
    A checking a call to operator B's number is 400 with error bits."""
    a, b = env.numbers.foreign(), env.number_b()
    response = env.a.call([("a", a), ("b", b), ("call_id", env.call_id())], env.call_path())
    expect_error(ctx, response, status_clause="ATS-CHECK-B-OWNER",
                 what=f"call a={a} b={b} from operator A (B owns b)")
