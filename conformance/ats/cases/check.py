"""Cases for CheckCall: found / not found, the window (probed a few
milliseconds either side of its end on a frozen clock, and counted from the
latest registration), redirection via c and ch, optional parameters, call_id
and id_src rules, ownership of b, the client's address, parameter bits and the
error headers of non-error answers."""

from __future__ import annotations

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import ERROR_ANSWER, expect_error, expect_status
from nabat.conformance.ats.steps import check, register
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.ats.wire import (
    CLIENT_ID_SRC_EMPTY,
    PARAM_A_NOT_FOUND,
    PARAM_A_NOT_INT,
    PARAM_B_HASH_BAD_REGEX,
    PARAM_B_NOT_FOUND,
    PARAM_B_NOT_INT,
    PARAM_C_HASH_BAD_REGEX,
    PARAM_C_NOT_INT,
    PARAM_D_NOT_INT,
    describe_bits,
    number_hash,
    parse_modern_bits,
)
from nabat.conformance.framework.context import CaseContext

STATUS = "ATS-CHECK-400-ON-ERROR"
WINDOW_MARGIN_SECONDS = 1.0  # how far inside and past the window the boundary checks land
FROZEN_MARGIN_SECONDS = 0.05  # the same on a frozen clock: only the suite's advances count


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED")
def check_registered_call(ctx: CaseContext, env: AtsEnv) -> None:
    """Operator A registers (a, b); operator B, owner of b, checks it: 200."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-404-UNREGISTERED")
def check_unregistered_call(ctx: CaseContext, env: AtsEnv) -> None:
    """A pair never registered is 404, also when a or b alone was registered with
    another partner."""
    a, b = env.number_a(), env.number_b()
    check(ctx, env, a, b, 404, clause="ATS-CHECK-404-UNREGISTERED")
    register(ctx, env, a, b)
    check(ctx, env, a, env.number_b(), 404, clause="ATS-CHECK-404-UNREGISTERED")
    check(ctx, env, env.number_a(), b, 404, clause="ATS-CHECK-404-UNREGISTERED")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-CHECK-NOT-CONSUMED")
def check_does_not_consume(ctx: CaseContext, env: AtsEnv) -> None:
    """Checking a registered pair twice is 200 both times."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED")
    check(ctx, env, a, b, 200, clause="ATS-CHECK-NOT-CONSUMED")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-WINDOW", needs={"control"})
def check_window_expiry(ctx: CaseContext, env: AtsEnv) -> None:
    """A registration verifies just before the run's window ends and not just after it:
    50 ms either side on a frozen simulated clock (one second when it cannot be frozen).
    The window is the suite's own (--ats-window, default 60 s), never the target's; the
    clock is advanced through the control API."""
    control = env.require_control()
    with control.frozen_clock() as frozen:
        margin = min(FROZEN_MARGIN_SECONDS if frozen else WINDOW_MARGIN_SECONDS, env.window / 4)
        ctx.note(f"clock {'frozen' if frozen else 'running'}: probing {margin:g} s either "
                 f"side of the {env.window:g} s window")
        a, b = env.number_a(), env.number_b()
        register(ctx, env, a, b)
        control.advance_clock(env.window - margin)
        check(ctx, env, a, b, 200, clause="ATS-CHECK-WINDOW")
        control.advance_clock(2 * margin)
        check(ctx, env, a, b, 404, clause="ATS-CHECK-WINDOW")


@SUITE.case("ATS-REGISTER-201", "ATS-REGISTER-REPEAT-201", "ATS-CHECK-WINDOW-LATEST",
            needs={"control"})
def window_counts_from_latest_registration(ctx: CaseContext, env: AtsEnv) -> None:
    """A pair registered again 0.6 windows after its first registration still verifies
    1.2 windows after the first (0.6 after the repeat), and no longer 1.1 windows after
    the repeat."""
    control = env.require_control()
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    control.advance_clock(0.6 * env.window)
    register(ctx, env, a, b, clause="ATS-REGISTER-REPEAT-201")
    control.advance_clock(0.6 * env.window)
    check(ctx, env, a, b, 200, clause="ATS-CHECK-WINDOW-LATEST")
    control.advance_clock(0.5 * env.window)
    check(ctx, env, a, b, 404, clause="ATS-CHECK-WINDOW-LATEST")


@SUITE.case("ATS-WINDOW-AS-EXPECTED", needs={"control"})
def control_reports_the_expected_window(ctx: CaseContext, env: AtsEnv) -> None:
    """What the control API says the window is must be the run's window: a hub that
    reports (and so would certify) another window is a finding."""
    reported = env.require_control().config().get("window")
    ctx.check("ATS-WINDOW-AS-EXPECTED",
              isinstance(reported, int | float) and float(reported) == env.window,
              f"the control API reports a window of {reported!r} s; the run expects "
              f"{env.window:g} s (ruling ATS 3; --ats-window to test another)")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-REDIRECT-C", "ATS-CHECK-REDIRECT-NEEDS-C",
            "ATS-CHECK-C-KEEPS-B")
def check_redirected_call_via_c(ctx: CaseContext, env: AtsEnv) -> None:
    """A registers a call to c; it is redirected to b; B checks (a, b, c): 200,
    while (a, b) without c is 404. A registration of (a, b) itself still verifies when
    an unrelated c (or ch) is given."""
    a, c, b = env.number_a(), env.number_b(), env.number_b()
    register(ctx, env, a, c)
    check(ctx, env, a, b, 404, clause="ATS-CHECK-REDIRECT-NEEDS-C")
    check(ctx, env, a, b, 200, clause="ATS-CHECK-REDIRECT-C", extra=(("c", c),))
    a2, b2, unrelated = env.number_a(), env.number_b(), env.number_b()
    register(ctx, env, a2, b2)
    check(ctx, env, a2, b2, 200, clause="ATS-CHECK-C-KEEPS-B", extra=(("c", unrelated),))
    check(ctx, env, a2, b2, 200, clause="ATS-CHECK-C-KEEPS-B",
          extra=(("ch", number_hash(unrelated)),))


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-OPTIONAL-PARAMS")
def check_optional_parameters(ctx: CaseContext, env: AtsEnv) -> None:
    """CheckCall with only a, b and call_id, and with a valid d, id_src and id_dst, gives
    the same verdicts: 200 for a registered pair, 404 for another."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    other = env.number_a()
    extras: list[tuple[str, tuple[tuple[str, str], ...]]] = [
        ("only a, b and call_id", ()),
        ("with d, id_src and id_dst", (("d", env.number_b()), ("id_src", env.op_a.id_src),
                                       ("id_dst", env.op_b.id_src))),
    ]
    for what, extra in extras:
        for caller, expected in ((a, 200), (other, 404)):
            response = env.b.check([("a", caller), ("b", b), ("call_id", env.call_id()),
                                    *extra])
            expect_status(ctx, "ATS-CHECK-OPTIONAL-PARAMS", response, expected,
                          f"CheckCall a={caller} b={b} {what}")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-REDIRECT-CH", "ATS-HASH-CH-OVERRIDES-C")
def check_redirected_call_via_ch(ctx: CaseContext, env: AtsEnv) -> None:
    """The original number may be given as its hash ch; c is then ignored."""
    a, c, b = env.number_a(), env.number_b(), env.number_b()
    register(ctx, env, a, c)
    check(ctx, env, a, b, 200, clause="ATS-CHECK-REDIRECT-CH",
          extra=(("ch", number_hash(c)),))
    check(ctx, env, a, b, 200, clause="ATS-HASH-CH-OVERRIDES-C",
          extra=(("c", "not-a-number"), ("ch", number_hash(c))))


@SUITE.case("ATS-CHECK-CALLID-REQUIRED", *ERROR_ANSWER)
def check_requires_call_id_or_id_src(ctx: CaseContext, env: AtsEnv) -> None:
    """CheckCall with neither call_id nor id_src (absent or empty) is 400 with error bits
    (which bit is not fixed by the spec)."""
    a, b = env.number_a(), env.number_b()
    for params, what in (([], "without call_id and id_src"),
                         ([("call_id", ""), ("id_src", "")], "with call_id= and id_src= empty")):
        response = env.b.check([("a", a), ("b", b), *params])
        expect_error(ctx, response, status_clause="ATS-CHECK-CALLID-REQUIRED",
                     what=f"CheckCall {what}")


@SUITE.case("ATS-CALLID-MAX-100", "ATS-CALLID-OVER-100-REJECTED", *ERROR_ANSWER)
def check_call_id_limits(ctx: CaseContext, env: AtsEnv) -> None:
    """CheckCall takes a 100-character call_id like any other (404 for a pair never
    registered) and refuses a 101-character one with error bits."""
    a, b = env.number_a(), env.number_b()
    longest = (env.call_id() + "-" + "x" * 100)[:100]
    response = env.b.check([("a", a), ("b", b), ("call_id", longest)])
    expect_status(ctx, "ATS-CALLID-MAX-100", response, 404,
                  "CheckCall (never registered) with a 100-character call_id")
    response = env.b.check([("a", a), ("b", b), ("call_id", longest + "y")])
    if expect_status(ctx, "ATS-CALLID-OVER-100-REJECTED", response, 400,
                     "CheckCall with a 101-character call_id"):
        expect_error(ctx, response, status_clause="ATS-CALLID-OVER-100-REJECTED",
                     what="CheckCall with a 101-character call_id")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-ID-SRC-SUFFICES")
def check_with_id_src_instead_of_call_id(ctx: CaseContext, env: AtsEnv) -> None:
    """With id_src, call_id may be left out: 200 for a registered pair, 404 otherwise."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    for pair, expected in (((a, b), 200), ((env.number_a(), b), 404)):
        response = env.b.check([("a", pair[0]), ("b", pair[1]), ("id_src", env.op_a.id_src)])
        expect_status(ctx, "ATS-CHECK-ID-SRC-SUFFICES", response, expected,
                      f"CheckCall a={pair[0]} b={pair[1]} with id_src, without call_id")


@SUITE.case("ATS-CHECK-B-OWNER", *ERROR_ANSWER)
def check_by_non_owner_of_b(ctx: CaseContext, env: AtsEnv) -> None:
    """Operator A may not check a plain b of operator B: 400 with error bits (which bit
    is not fixed by the spec)."""
    a, b = env.number_a(), env.number_b()
    response = env.a.check([("a", a), ("b", b), ("call_id", env.call_id())])
    expect_error(ctx, response, status_clause="ATS-CHECK-B-OWNER",
                 what=f"CheckCall b={b} from operator A (B owns b)")


@SUITE.case("ATS-REGISTER-201", STATUS, "ATS-BIT-CLIENT-ID-SRC-EMPTY", *ERROR_ANSWER)
def check_from_unknown_client(ctx: CaseContext, env: AtsEnv) -> None:
    """CheckCall from an address of no operator is 400 with CLIENT_ID_SRC_EMPTY, for a
    registered pair too."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    response = env.stranger.check([("a", a), ("b", b), ("call_id", env.call_id())])
    expect_error(ctx, response, status_clause=STATUS,
                 bits=[("ATS-BIT-CLIENT-ID-SRC-EMPTY", CLIENT_ID_SRC_EMPTY)],
                 what=f"CheckCall a={a} b={b} from {env.settings.unknown_ip}")


@SUITE.case("ATS-CHECK-A-ANY-NUMBER")
def check_foreign_caller(ctx: CaseContext, env: AtsEnv) -> None:
    """Any calling number is checked like any other, not registered, so 404: a foreign
    one, a Russian one in no range of the plan, one of 15 digits."""
    for a in (env.numbers.foreign(), env.settings.unknown_number, "4" + "2" * 14):
        check(ctx, env, a, env.number_b(), 404, clause="ATS-CHECK-A-ANY-NUMBER")


@SUITE.case(STATUS, "ATS-BIT-A-NOT-FOUND", "ATS-BIT-B-NOT-FOUND", "ATS-BIT-A-NOT-INT",
            "ATS-BIT-B-NOT-INT", "ATS-BIT-BH-BAD-REGEX", "ATS-BIT-C-NOT-INT",
            "ATS-BIT-CH-BAD-REGEX", "ATS-BIT-D-NOT-INT", "ATS-ERRBITS-NO-SPURIOUS",
            *ERROR_ANSWER)
def check_bit_of_each_parameter(ctx: CaseContext, env: AtsEnv) -> None:
    """Each missing or malformed CheckCall parameter alone sets exactly its bit."""
    a, b = env.number_a(), env.number_b()
    base = {"a": a, "b": b}
    probes = [
        ("a missing", {"b": b}, "ATS-BIT-A-NOT-FOUND", PARAM_A_NOT_FOUND),
        ("b missing", {"a": a}, "ATS-BIT-B-NOT-FOUND", PARAM_B_NOT_FOUND),
        ("a=7x", {**base, "a": "7x"}, "ATS-BIT-A-NOT-INT", PARAM_A_NOT_INT),
        ("b=7x", {**base, "b": "7x"}, "ATS-BIT-B-NOT-INT", PARAM_B_NOT_INT),
        ("bh=xyz", {"a": a, "bh": "xyz"}, "ATS-BIT-BH-BAD-REGEX", PARAM_B_HASH_BAD_REGEX),
        ("c=7x", {**base, "c": "7x"}, "ATS-BIT-C-NOT-INT", PARAM_C_NOT_INT),
        ("ch=xyz", {**base, "ch": "xyz"}, "ATS-BIT-CH-BAD-REGEX", PARAM_C_HASH_BAD_REGEX),
        ("ch=xyz beside a valid c", {**base, "c": env.number_b(), "ch": "xyz"},
         "ATS-BIT-CH-BAD-REGEX", PARAM_C_HASH_BAD_REGEX),
        ("d=7x", {**base, "d": "7x"}, "ATS-BIT-D-NOT-INT", PARAM_D_NOT_INT),
    ]
    for what, params, clause, bit in probes:
        response = env.b.check([*params.items(), ("call_id", env.call_id())])
        expect_error(ctx, response, status_clause=STATUS, bits=[(clause, bit)], exact=True,
                     what=f"CheckCall {what}")


@SUITE.case(STATUS, "ATS-ERRBITS-COMBINED", "ATS-BIT-BH-BAD-REGEX", "ATS-BIT-C-NOT-INT",
            "ATS-BIT-D-NOT-INT", "ATS-BIT-A-NOT-FOUND", "ATS-BIT-B-NOT-INT", *ERROR_ANSWER)
def check_several_errors_at_once(ctx: CaseContext, env: AtsEnv) -> None:
    """A CheckCall with a bad bh, c and d reports all three bits in one answer; one
    without a and with a bad b and c reports those three."""
    response = env.b.check([("a", env.number_a()), ("bh", "XYZ"), ("c", "7x"), ("d", "7y"),
                            ("call_id", env.call_id())])
    expect_error(ctx, response, status_clause=STATUS,
                 bits=[("ATS-BIT-BH-BAD-REGEX", PARAM_B_HASH_BAD_REGEX),
                       ("ATS-BIT-C-NOT-INT", PARAM_C_NOT_INT),
                       ("ATS-BIT-D-NOT-INT", PARAM_D_NOT_INT)],
                 combined_clause="ATS-ERRBITS-COMBINED", what="CheckCall bh=XYZ c=7x d=7y")
    response = env.b.check([("b", "7x"), ("c", "7y"), ("call_id", env.call_id())])
    expect_error(ctx, response, status_clause=STATUS,
                 bits=[("ATS-BIT-A-NOT-FOUND", PARAM_A_NOT_FOUND),
                       ("ATS-BIT-B-NOT-INT", PARAM_B_NOT_INT),
                       ("ATS-BIT-C-NOT-INT", PARAM_C_NOT_INT)],
                 combined_clause="ATS-ERRBITS-COMBINED", what="CheckCall without a, b=7x c=7y")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-CHECK-DUPLICATE-CALLID",
            "ATS-WARN-FORMAT")
def check_reused_call_id(ctx: CaseContext, env: AtsEnv) -> None:
    """A call_id reused by the same operator is still answered normally; any warning
    header is well-formed."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    call_id = env.call_id()
    check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED", call_id=call_id)
    response = check(ctx, env, a, b, 200, clause="ATS-CHECK-DUPLICATE-CALLID", call_id=call_id)
    warning = response.headers.get("X-Warning-Bits")
    if warning is not None:
        ctx.check("ATS-WARN-FORMAT", parse_modern_bits(warning) is not None,
                  f"X-Warning-Bits {warning!r} should be 0x + 8 hex digits")
        ctx.note(f"the target warned about the reused call_id: {warning}")
    else:
        ctx.note("the target sent no warning for the reused call_id")


@SUITE.case("ATS-REGISTER-201", "ATS-ERRBITS-SUCCESS-ZERO", "ATS-ERRBITS-ON-SUCCESS")
def success_answers_carry_no_error(ctx: CaseContext, env: AtsEnv) -> None:
    """201, 200 and 404 answers carry no error bits (0x00000000 when the header is sent)."""
    a, b = env.number_a(), env.number_b()
    answers = [
        ("RegisterCall 201", register(ctx, env, a, b)),
        ("CheckCall 200", env.b.check([("a", a), ("b", b), ("call_id", env.call_id())])),
        ("CheckCall 404", env.b.check([("a", env.number_a()), ("b", b),
                                       ("call_id", env.call_id())])),
    ]
    for what, response in answers:
        raw = response.headers.get("X-Error-Bits")
        ctx.check("ATS-ERRBITS-ON-SUCCESS", raw is not None, f"{what}: X-Error-Bits sent")
        if raw is not None:
            bits = parse_modern_bits(raw)
            ctx.check("ATS-ERRBITS-SUCCESS-ZERO", bits == 0,
                      f"{what} (status {response.status_code}): X-Error-Bits should be "
                      f"0x00000000, got {raw!r}"
                      + (f" = {describe_bits(bits)}" if bits else ""))
