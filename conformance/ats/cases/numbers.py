"""Cases for what ruling 1 and the numbering plan fix about numbers: a number
is E.164 without '+' (1 to 15 digits, so '+' or a 16th digit make a value "not
a number"), and the first and the last number of an operator's range are that
operator's like any other (probed at both ends of operator A's and operator
B's ranges as given by the run's options)."""

from __future__ import annotations

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import ERROR_ANSWER, expect_error, expect_status
from nabat.conformance.ats.steps import check
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.ats.wire import PARAM_A_NOT_INT, PARAM_B_NOT_INT
from nabat.conformance.framework.context import CaseContext

E164 = "ATS-NUMBER-E164"
EDGES = "ATS-PLAN-RANGE-EDGES"


@SUITE.case(E164, *ERROR_ANSWER)
def numbers_are_e164_without_plus(ctx: CaseContext, env: AtsEnv) -> None:
    """CheckCall with a or b written with '+' or with 16 digits is 400 with the
    parameter's NOT_INT bit; an a of 15 digits is a number (404: never registered)."""
    a, b = env.number_a(), env.number_b()
    probes = [
        ("a with '+'", [("a", "+" + a), ("b", b)], PARAM_A_NOT_INT),
        ("a of 16 digits", [("a", a + "12345"), ("b", b)], PARAM_A_NOT_INT),
        ("b with '+'", [("a", a), ("b", "+" + b)], PARAM_B_NOT_INT),
        ("b of 16 digits", [("a", a), ("b", b + "12345")], PARAM_B_NOT_INT),
    ]
    for what, params, bit in probes:
        response = env.b.check([*params, ("call_id", env.call_id())])
        expect_error(ctx, response, status_clause=E164, bits=[(E164, bit)],
                     what=f"CheckCall {what}")
    longest = "4" + a[1:] + "1234"
    response = env.b.check([("a", longest), ("b", b), ("call_id", env.call_id())])
    expect_status(ctx, E164, response, 404,
                  f"CheckCall a={longest} (15 digits: a number, never registered)")


@SUITE.case(EDGES)
def range_edges_belong_to_their_operator(ctx: CaseContext, env: AtsEnv) -> None:
    """Operator A registers the first and the last number of its range (201) and B
    verifies them (200); B checks calls to the first and the last number of its own
    range (200 once registered)."""
    for edge in (env.op_a.first, env.op_a.last):
        a, b = str(edge), env.number_b()
        response = env.a.register([("a", a), ("b", b), ("call_id", env.call_id())])
        expect_status(ctx, EDGES, response, 201,
                      f"RegisterCall a={a} (an end of operator A's range) from operator A")
        check(ctx, env, a, b, 200, clause=EDGES)
    for edge in (env.op_b.first, env.op_b.last):
        a, b = env.number_a(), str(edge)
        response = env.a.register([("a", a), ("b", b), ("call_id", env.call_id())])
        expect_status(ctx, EDGES, response, 201, f"RegisterCall a={a} b={b} from operator A")
        check(ctx, env, a, b, 200, clause=EDGES)
