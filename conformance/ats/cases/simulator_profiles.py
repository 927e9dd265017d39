"""Cases that need the simulator control API to put the target in a state a
real hub is configured into: the legacy ("old servers") header profile and the
mixed one sending both sets, and plan entries with an empty id_src, no primary
UVr or one at each side of the "<1 OR >16000" bounds. Each restores what it
changed — the profile it read, the plan it read — in a finally block."""

from __future__ import annotations

from typing import Any

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import ERROR_ANSWER, expect_error, expect_status
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.ats.wire import (
    A_ID_SRC_IS_EMPTY,
    A_UVR_IS_EMPTY_OR_SERVICE,
    parse_messages,
    parse_modern_bits,
)
from nabat.conformance.framework.context import CaseContext


@SUITE.case("ATS-LEGACY-HEADERS", needs={"control"})
def legacy_header_profile(ctx: CaseContext, env: AtsEnv) -> None:
    """In the legacy profile the error bits travel in X-Error-Code, X-errors (decimal) and
    X-errors-hex; X-Error-Message only with dbg=1."""
    control = env.require_control()
    original = control.config().get("profile", "modern")
    control.set_config(profile="legacy")
    try:
        for dbg in ("1", ""):
            params = [("dbg", dbg)] if dbg else []
            response = env.a.register(params)
            what = f"legacy profile, RegisterCall without a and b, dbg={dbg or 'absent'}"
            headers = response.headers
            ctx.check("ATS-LEGACY-HEADERS", response.status_code == 400,
                      f"{what}: expected 400, got {response.status_code}")
            expected = {"X-Error-Code": "3", "X-errors": "3", "X-errors-hex": "00000003"}
            for name, value in expected.items():
                ctx.check("ATS-LEGACY-HEADERS", headers.get(name) == value,
                          f"{what}: {name} should be {value!r}, got {headers.get(name)!r}")
            message = headers.get("X-Error-Message")
            if dbg:
                items = parse_messages(message or "")
                ctx.check("ATS-LEGACY-HEADERS",
                          items is not None and [bit for bit, _ in items] == [1, 2],
                          f"{what}: X-Error-Message should list 0x1 and 0x2, got {message!r}")
            else:
                ctx.check("ATS-LEGACY-HEADERS", message is None,
                          f"{what}: X-Error-Message must be absent, got {message!r}")
            ctx.check("ATS-LEGACY-HEADERS", "X-Error-Bits" not in headers,
                      f"{what}: the legacy profile should not send X-Error-Bits")
        control.set_config(profile="mixed")
        response = env.a.register([("b", "7x")])
        what = "mixed profile, RegisterCall without a, b=7x"
        seen = {name: response.headers.get(name)
                for name in ("X-Error-Bits", "X-Error-Code", "X-errors", "X-errors-hex")}
        modern = parse_modern_bits(seen["X-Error-Bits"] or "")
        ctx.check("ATS-LEGACY-HEADERS",
                  modern == 0x9 and seen["X-Error-Code"] == "9" and seen["X-errors"] == "9"
                  and seen["X-errors-hex"] == "00000009",
                  f"{what}: both header sets should carry 0x00000009, got {seen}")
    finally:
        control.set_config(profile=original)


def _free_block(plan: dict[str, Any], avoid: int) -> int:
    """First number of a 1000-number block (7998xxxxxxx) outside every range of the plan."""
    ranges = [(int(r["first"]), int(r["last"])) for r in plan.get("ranges", [])]
    for first in range(79_980_000_000, 79_990_000_000, 1000):
        last = first + 999
        if first <= avoid <= last:
            continue
        if all(last < low or first > high for low, high in ranges):
            return first
    raise RuntimeError("no free 1000-number block in 7998xxxxxxx")


def _range_of_a(env: AtsEnv, first: int, uvr: str) -> dict[str, str]:
    return {"first": str(first), "last": str(first + 99), "id_src": env.op_a.id_src,
            "client_ips": env.op_a.ip, "id_uvr_p": uvr}


@SUITE.case("ATS-REGISTER-400-ON-ERROR", "ATS-BIT-A-ID-SRC-IS-EMPTY", "ATS-BIT-A-UVR-EMPTY",
            "ATS-BIT-A-UVR-SERVICE", *ERROR_ANSWER, needs={"control"})
def plan_entries_without_operator_or_uvr(ctx: CaseContext, env: AtsEnv) -> None:
    """A range with an empty id_src gives A_ID_SRC_IS_EMPTY; a range of operator A with no
    primary UVr, or one of 0 or 16001, gives A_UVR_IS_EMPTY_OR_SERVICE, while UVr 1 and
    16000 register (plan changed, then put back)."""
    control = env.require_control()
    plan = control.numbers()
    first = _free_block(plan, int(env.settings.unknown_number))
    no_operator = {"first": str(first), "last": str(first + 99), "id_src": ""}
    uvrs = ("", "0", "1", "16000", "16001")
    ranges = [no_operator, *(_range_of_a(env, first + 100 * (i + 1), uvr)
                             for i, uvr in enumerate(uvrs))]
    control.set_numbers(ranges, {}, replace=False)
    try:
        response = env.a.register([("a", str(first + 7)), ("b", env.number_b())])
        expect_error(ctx, response, status_clause="ATS-REGISTER-400-ON-ERROR",
                     bits=[("ATS-BIT-A-ID-SRC-IS-EMPTY", A_ID_SRC_IS_EMPTY)],
                     what=f"RegisterCall a={first + 7} (range with empty id_src)")
        for i, uvr in enumerate(uvrs):
            a = str(first + 100 * (i + 1) + 7)
            response = env.a.register([("a", a), ("b", env.number_b())])
            what = f"RegisterCall a={a} (range with primary UVr {uvr or 'empty'})"
            if uvr in ("1", "16000"):
                expect_status(ctx, "ATS-BIT-A-UVR-SERVICE", response, 201, what)
                continue
            clause = "ATS-BIT-A-UVR-EMPTY" if uvr == "" else "ATS-BIT-A-UVR-SERVICE"
            expect_error(ctx, response, status_clause="ATS-REGISTER-400-ON-ERROR",
                         bits=[(clause, A_UVR_IS_EMPTY_OR_SERVICE)], what=what)
    finally:
        control.set_numbers(plan.get("ranges", []), plan.get("operators", {}), replace=True)
