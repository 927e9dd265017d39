"""Cases for RegisterCall: success, ownership and plan checks, the bit of each
bad or missing parameter alone and several at once, bh instead of b, call_id."""

from __future__ import annotations

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import ERROR_ANSWER, expect_error, expect_status
from nabat.conformance.ats.steps import check, register
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.ats.wire import (
    A_NOT_FOUND_IN_DB,
    CLIENT_ID_SRC_EMPTY,
    NOT_A_OWNER,
    PARAM_A_NOT_FOUND,
    PARAM_A_NOT_INT,
    PARAM_A_NOT_RUS,
    PARAM_B_HASH_BAD_REGEX,
    PARAM_B_NOT_FOUND,
    PARAM_B_NOT_INT,
    number_hash,
)
from nabat.conformance.framework.context import CaseContext

STATUS = "ATS-REGISTER-400-ON-ERROR"


@SUITE.case("ATS-REGISTER-201")
def register_valid_call(ctx: CaseContext, env: AtsEnv) -> None:
    """Operator A registers a call from its own number with id_dst and call_id: 201."""
    register(ctx, env, env.number_a(), env.number_b())


@SUITE.case("ATS-REGISTER-ID-DST-OPTIONAL")
def register_without_optional_params(ctx: CaseContext, env: AtsEnv) -> None:
    """Registration needs only a and b."""
    a, b = env.number_a(), env.number_b()
    response = env.a.register([("a", a), ("b", b)])
    expect_status(ctx, "ATS-REGISTER-ID-DST-OPTIONAL", response, 201,
                  f"RegisterCall a={a} b={b} without id_dst and call_id")


@SUITE.case("ATS-REGISTER-201", "ATS-REGISTER-REPEAT-201", "ATS-CHECK-200-REGISTERED")
def register_repeat(ctx: CaseContext, env: AtsEnv) -> None:
    """Registering the same pair twice is 201 both times and the pair verifies."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    register(ctx, env, a, b, clause="ATS-REGISTER-REPEAT-201")
    check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED")


@SUITE.case("ATS-WIRE-MULTIPART", "ATS-CHECK-200-REGISTERED")
def register_as_multipart(ctx: CaseContext, env: AtsEnv) -> None:
    """A registration sent as multipart/form-data, call_id with a tab in it, is 201 and
    verifies."""
    a, b = env.number_a(), env.number_b()
    response = env.a.post_multipart(
        "/RegisterCall", [("a", a), ("b", b), ("call_id", env.call_id() + "\tmultipart")]
    )
    expect_status(ctx, "ATS-WIRE-MULTIPART", response, 201, "multipart RegisterCall")
    check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED")


@SUITE.case("ATS-REGISTER-ANY-B")
def register_call_to_foreign_number(ctx: CaseContext, env: AtsEnv) -> None:
    """A call from operator A's number to a foreign number registers: 201 (only a must be
    Russian)."""
    a, b = env.number_a(), env.numbers.foreign()
    response = env.a.register([("a", a), ("b", b), ("call_id", env.call_id())])
    expect_status(ctx, "ATS-REGISTER-ANY-B", response, 201,
                  f"RegisterCall a={a} b={b} (a foreign b)")


@SUITE.case("ATS-REGISTER-OWNER-ONLY", "ATS-BIT-NOT-A-OWNER", *ERROR_ANSWER)
def register_by_non_owner(ctx: CaseContext, env: AtsEnv) -> None:
    """Operator B may not register operator A's number: 400 with NOT_A_OWNER."""
    a, b = env.number_a(), env.number_b()
    response = env.b.register([("a", a), ("b", b)])
    expect_error(ctx, response, status_clause="ATS-REGISTER-OWNER-ONLY",
                 bits=[("ATS-BIT-NOT-A-OWNER", NOT_A_OWNER)],
                 what=f"RegisterCall a={a} from operator B")


@SUITE.case("ATS-REGISTER-400-ON-ERROR", "ATS-BIT-CLIENT-ID-SRC-EMPTY", *ERROR_ANSWER)
def register_from_unknown_client(ctx: CaseContext, env: AtsEnv) -> None:
    """A client address of no operator gets 400 with CLIENT_ID_SRC_EMPTY."""
    a, b = env.number_a(), env.number_b()
    response = env.stranger.register([("a", a), ("b", b)])
    expect_error(ctx, response, status_clause=STATUS,
                 bits=[("ATS-BIT-CLIENT-ID-SRC-EMPTY", CLIENT_ID_SRC_EMPTY)],
                 what=f"RegisterCall from {env.settings.unknown_ip}")


@SUITE.case("ATS-REGISTER-400-ON-ERROR", "ATS-CHECK-400-ON-ERROR", "ATS-BIT-CLIENT-ID-SRC-EMPTY",
            "ATS-ERRBITS-COMBINED-CLIENT", *ERROR_ANSWER)
def unknown_client_reports_parameter_bits_too(ctx: CaseContext, env: AtsEnv) -> None:
    """From an address of no operator, bad parameters are reported together with
    CLIENT_ID_SRC_EMPTY (RegisterCall without a; CheckCall with b=7x)."""
    response = env.stranger.register([("b", env.number_b())])
    expect_error(ctx, response, status_clause=STATUS,
                 bits=[("ATS-BIT-CLIENT-ID-SRC-EMPTY", CLIENT_ID_SRC_EMPTY),
                       ("ATS-ERRBITS-COMBINED-CLIENT", PARAM_A_NOT_FOUND)],
                 what=f"RegisterCall without a from {env.settings.unknown_ip}")
    response = env.stranger.check([("a", env.number_a()), ("b", "7x"),
                                   ("call_id", env.call_id())])
    expect_error(ctx, response, status_clause="ATS-CHECK-400-ON-ERROR",
                 bits=[("ATS-BIT-CLIENT-ID-SRC-EMPTY", CLIENT_ID_SRC_EMPTY),
                       ("ATS-ERRBITS-COMBINED-CLIENT", PARAM_B_NOT_INT)],
                 what=f"CheckCall b=7x from {env.settings.unknown_ip}")


@SUITE.case("ATS-REGISTER-400-ON-ERROR", "ATS-BIT-A-NOT-FOUND-IN-DB", *ERROR_ANSWER)
def register_number_not_in_plan(ctx: CaseContext, env: AtsEnv) -> None:
    """Registering a Russian number in no range: 400 with A_NOT_FOUND_IN_DB."""
    a = env.settings.unknown_number
    response = env.a.register([("a", a), ("b", env.number_b())])
    expect_error(ctx, response, status_clause=STATUS,
                 bits=[("ATS-BIT-A-NOT-FOUND-IN-DB", A_NOT_FOUND_IN_DB)],
                 what=f"RegisterCall a={a} (in no range)")


@SUITE.case("ATS-REGISTER-RUSSIAN-A", "ATS-BIT-A-NOT-RUS", *ERROR_ANSWER)
def register_foreign_number(ctx: CaseContext, env: AtsEnv) -> None:
    """Registering an a that is a number but not Russian (/^7\\d{10}$/) is 400 with
    PARAM_A_NOT_RUS: a foreign number, and the boundaries — 10 and 12 digits starting
    with 7, 11 digits starting with 8."""
    own = env.number_a()
    probes = [
        (env.numbers.foreign(), "a foreign number"),
        (own[:10], "10 digits starting with 7"),
        (own + "0", "12 digits starting with 7"),
        ("8" + own[1:], "11 digits starting with 8"),
    ]
    for a, what in probes:
        response = env.a.register([("a", a), ("b", env.number_b())])
        expect_error(ctx, response, status_clause="ATS-REGISTER-RUSSIAN-A",
                     bits=[("ATS-BIT-A-NOT-RUS", PARAM_A_NOT_RUS)],
                     what=f"RegisterCall a={a} ({what}, not Russian)")


def _single(ctx: CaseContext, env: AtsEnv, params: list[tuple[str, str]], clause: str,
            bit: int, what: str) -> None:
    response = env.a.register(params)
    expect_error(ctx, response, status_clause=STATUS, bits=[(clause, bit)], exact=True,
                 what=what)


@SUITE.case(STATUS, "ATS-BIT-A-NOT-FOUND", "ATS-ERRBITS-NO-SPURIOUS", *ERROR_ANSWER)
def register_missing_a(ctx: CaseContext, env: AtsEnv) -> None:
    """RegisterCall without a: exactly PARAM_A_NOT_FOUND."""
    _single(ctx, env, [("b", env.number_b())], "ATS-BIT-A-NOT-FOUND", PARAM_A_NOT_FOUND,
            "RegisterCall without a")


@SUITE.case(STATUS, "ATS-BIT-B-NOT-FOUND", "ATS-ERRBITS-NO-SPURIOUS", *ERROR_ANSWER)
def register_missing_b(ctx: CaseContext, env: AtsEnv) -> None:
    """RegisterCall without b or bh: exactly PARAM_B_NOT_FOUND."""
    _single(ctx, env, [("a", env.number_a())], "ATS-BIT-B-NOT-FOUND", PARAM_B_NOT_FOUND,
            "RegisterCall without b")


@SUITE.case(STATUS, "ATS-BIT-A-NOT-INT", "ATS-ERRBITS-NO-SPURIOUS", *ERROR_ANSWER)
def register_a_not_a_number(ctx: CaseContext, env: AtsEnv) -> None:
    """RegisterCall with a=7900abc: exactly PARAM_A_NOT_INT."""
    _single(ctx, env, [("a", "7900abc"), ("b", env.number_b())], "ATS-BIT-A-NOT-INT",
            PARAM_A_NOT_INT, "RegisterCall a=7900abc")


@SUITE.case(STATUS, "ATS-BIT-B-NOT-INT", "ATS-ERRBITS-NO-SPURIOUS", *ERROR_ANSWER)
def register_b_not_a_number(ctx: CaseContext, env: AtsEnv) -> None:
    """RegisterCall with b=79x1: exactly PARAM_B_NOT_INT."""
    _single(ctx, env, [("a", env.number_a()), ("b", "79x1")], "ATS-BIT-B-NOT-INT",
            PARAM_B_NOT_INT, "RegisterCall b=79x1")


@SUITE.case(STATUS, "ATS-BIT-BH-BAD-REGEX", "ATS-ERRBITS-NO-SPURIOUS", *ERROR_ANSWER)
def register_bad_bh(ctx: CaseContext, env: AtsEnv) -> None:
    """A bh that is not /^[0-9a-f]{64}$/ sets exactly PARAM_B_HASH_BAD_REGEX: upper-case
    hex, 63 and 65 digits, a non-hex letter — also when a valid b is given beside it (bh
    is used when present, b ignored)."""
    b = env.number_b()
    good = number_hash(b)
    probes = [
        (good.upper(), "the hash in upper case", ()),
        (good[:63], "63 hex digits", ()),
        (good + "0", "65 hex digits", ()),
        ("g" + good[1:], "a non-hex letter", ()),
        (good.upper(), "the hash in upper case, beside a valid b", (("b", b),)),
    ]
    for bad, what, extra in probes:
        _single(ctx, env, [("a", env.number_a()), ("bh", bad), *extra], "ATS-BIT-BH-BAD-REGEX",
                PARAM_B_HASH_BAD_REGEX, f"RegisterCall bh=<{what}>")


@SUITE.case(STATUS, "ATS-WIRE-EMPTY-IS-MISSING", "ATS-ERRBITS-NO-SPURIOUS", *ERROR_ANSWER)
def register_empty_params_are_missing(ctx: CaseContext, env: AtsEnv) -> None:
    """a= and b= present but empty count as missing (not as "not a number")."""
    _single(ctx, env, [("a", ""), ("b", env.number_b())], "ATS-WIRE-EMPTY-IS-MISSING",
            PARAM_A_NOT_FOUND, "RegisterCall a=<empty>")
    _single(ctx, env, [("a", env.number_a()), ("b", "")], "ATS-WIRE-EMPTY-IS-MISSING",
            PARAM_B_NOT_FOUND, "RegisterCall b=<empty>")


@SUITE.case(STATUS, "ATS-ERRBITS-COMBINED", "ATS-BIT-A-NOT-FOUND", "ATS-BIT-B-NOT-INT",
            "ATS-BIT-A-NOT-INT", "ATS-BIT-BH-BAD-REGEX", *ERROR_ANSWER)
def register_several_errors_at_once(ctx: CaseContext, env: AtsEnv) -> None:
    """Several bad parameters in one RegisterCall are all reported in one answer."""
    response = env.a.register([("b", "79x1")])
    expect_error(ctx, response, status_clause=STATUS,
                 bits=[("ATS-BIT-A-NOT-FOUND", PARAM_A_NOT_FOUND),
                       ("ATS-BIT-B-NOT-INT", PARAM_B_NOT_INT)],
                 combined_clause="ATS-ERRBITS-COMBINED", what="RegisterCall without a, b=79x1")
    response = env.a.register([("a", "x"), ("bh", "short")])
    expect_error(ctx, response, status_clause=STATUS,
                 bits=[("ATS-BIT-A-NOT-INT", PARAM_A_NOT_INT),
                       ("ATS-BIT-BH-BAD-REGEX", PARAM_B_HASH_BAD_REGEX)],
                 combined_clause="ATS-ERRBITS-COMBINED", what="RegisterCall a=x, bh=short")


@SUITE.case("ATS-REGISTER-201", "ATS-HASH-BH-MATCHES-B")
def register_hash_and_plain_interchange(ctx: CaseContext, env: AtsEnv) -> None:
    """A registration with bh verifies by b, and one with b verifies by bh."""
    a, b = env.number_a(), env.number_b()
    response = env.a.register([("a", a), ("bh", number_hash(b)), ("call_id", env.call_id())])
    expect_status(ctx, "ATS-REGISTER-201", response, 201, f"RegisterCall a={a} bh=sha256({b})")
    response = env.b.check([("a", a), ("b", b), ("call_id", env.call_id())])
    expect_status(ctx, "ATS-HASH-BH-MATCHES-B", response, 200,
                  f"CheckCall a={a} b={b} after a registration by bh")
    a2, b2 = env.number_a(), env.number_b()
    register(ctx, env, a2, b2)
    response = env.b.check([("a", a2), ("bh", number_hash(b2)), ("call_id", env.call_id())])
    expect_status(ctx, "ATS-HASH-BH-MATCHES-B", response, 200,
                  f"CheckCall a={a2} bh=sha256({b2}) after a registration by b")


@SUITE.case("ATS-HASH-BH-OVERRIDES-B", "ATS-CHECK-200-REGISTERED")
def register_bh_overrides_b(ctx: CaseContext, env: AtsEnv) -> None:
    """With bh present, b is ignored: a registration with an invalid b and a good bh is
    201 and the hashed number verifies; a check with b naming another number and bh
    naming the registered one is 200."""
    a, b = env.number_a(), env.number_b()
    response = env.a.register([("a", a), ("b", "not-a-number"), ("bh", number_hash(b))])
    expect_status(ctx, "ATS-HASH-BH-OVERRIDES-B", response, 201,
                  f"RegisterCall a={a} b=not-a-number bh=sha256({b})")
    check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED")
    response = env.b.check([("a", a), ("b", env.number_b()), ("bh", number_hash(b)),
                            ("call_id", env.call_id())])
    expect_status(ctx, "ATS-HASH-BH-OVERRIDES-B", response, 200,
                  f"CheckCall a={a} b=<another number of B> bh=sha256({b})")


@SUITE.case("ATS-CALLID-MAX-100", "ATS-CALLID-OVER-100-REJECTED", "ATS-CALLID-UTF8",
            *ERROR_ANSWER)
def register_call_id_limits(ctx: CaseContext, env: AtsEnv) -> None:
    """call_id: 100 characters accepted (also 100 mostly Cyrillic ones, 180 bytes), 101
    rejected with error bits, UTF-8 accepted (four-byte characters too: utf8mb4)."""
    prefix = env.call_id() + "-"
    a, b = env.number_a(), env.number_b()
    for filler, what in (("x", "ASCII"), ("ж", "mostly Cyrillic")):
        longest = (prefix + filler * 100)[:100]
        response = env.a.register([("a", a), ("b", b), ("call_id", longest)])
        expect_status(ctx, "ATS-CALLID-MAX-100", response, 201,
                      f"RegisterCall with a 100-character {what} call_id "
                      f"({len(longest.encode())} bytes)")
    longest = (prefix + "x" * 100)[:100]
    response = env.a.register([("a", a), ("b", b), ("call_id", longest + "y")])
    if expect_status(ctx, "ATS-CALLID-OVER-100-REJECTED", response, 400,
                     "RegisterCall with a 101-char call_id"):
        expect_error(ctx, response, status_clause="ATS-CALLID-OVER-100-REJECTED",
                     what="RegisterCall with a 101-char call_id")
    for text, what in (("звонок-№1", "a Cyrillic call_id"),
                       ("\U0001f4de-call", "a call_id with a four-byte character")):
        response = env.a.register([("a", a), ("b", b), ("call_id", prefix + text)])
        expect_status(ctx, "ATS-CALLID-UTF8", response, 201, f"RegisterCall with {what}")
