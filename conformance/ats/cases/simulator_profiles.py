"""Cases that need the simulator control API to put the target in a state a
real hub is configured into: the legacy ("old servers") header profile, and
plan entries with an empty id_src or no primary UVr. Each restores what it
changed — the profile it read, the plan it read — in a finally block."""

from __future__ import annotations

from typing import Any

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import ERROR_ANSWER, expect_error
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.ats.wire import (
    A_ID_SRC_IS_EMPTY,
    A_UVR_IS_EMPTY_OR_SERVICE,
    parse_messages,
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


@SUITE.case("ATS-REGISTER-400-ON-ERROR", "ATS-BIT-A-ID-SRC-IS-EMPTY", "ATS-BIT-A-UVR-EMPTY",
            *ERROR_ANSWER, needs={"control"})
def plan_entries_without_operator_or_uvr(ctx: CaseContext, env: AtsEnv) -> None:
    """A range with an empty id_src gives A_ID_SRC_IS_EMPTY; a range of operator A with no
    primary UVr gives A_UVR_IS_EMPTY_OR_SERVICE (plan changed, then put back)."""
    control = env.require_control()
    plan = control.numbers()
    first = _free_block(plan, int(env.settings.unknown_number))
    no_operator = {"first": str(first), "last": str(first + 499), "id_src": ""}
    no_uvr = {"first": str(first + 500), "last": str(first + 999), "id_src": env.op_a.id_src,
              "client_ips": env.op_a.ip, "id_uvr_p": ""}
    control.set_numbers([no_operator, no_uvr], {}, replace=False)
    try:
        response = env.a.register([("a", str(first + 7)), ("b", env.number_b())])
        expect_error(ctx, response, status_clause="ATS-REGISTER-400-ON-ERROR",
                     bits=[("ATS-BIT-A-ID-SRC-IS-EMPTY", A_ID_SRC_IS_EMPTY)],
                     what=f"RegisterCall a={first + 7} (range with empty id_src)")
        response = env.a.register([("a", str(first + 507)), ("b", env.number_b())])
        expect_error(ctx, response, status_clause="ATS-REGISTER-400-ON-ERROR",
                     bits=[("ATS-BIT-A-UVR-EMPTY", A_UVR_IS_EMPTY_OR_SERVICE)],
                     what=f"RegisterCall a={first + 507} (range without primary UVr)")
    finally:
        control.set_numbers(plan.get("ranges", []), plan.get("operators", {}), replace=True)
