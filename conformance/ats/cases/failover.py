"""Failover cases (intro item 6, ruling 6). They need a reserve URL and the
simulator control API, which injects the fault on the primary; each case
removes exactly the fault it added (by id), whatever happens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urljoin, urlsplit

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import expect_status
from nabat.conformance.ats.client import AtsClient
from nabat.conformance.ats.control import SimControl
from nabat.conformance.ats.steps import register
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.framework.context import CaseContext


@contextmanager
def _fault(ctx: CaseContext, control: SimControl, **fault: Any) -> Iterator[int]:
    fault_id = control.add_fault(**fault)
    ctx.note(f"fault {fault_id} injected on the primary: {fault}")
    try:
        yield fault_id
    finally:
        control.delete_fault(fault_id)
        ctx.note(f"fault {fault_id} removed")


def _reserve(env: AtsEnv) -> tuple[AtsClient, AtsClient]:
    if env.reserve_a is None or env.reserve_b is None:
        env.ctx.unsupported("no --reserve URL given")
    return env.reserve_a, env.reserve_b


@SUITE.case("ATS-REGISTER-201", "ATS-FAILOVER-5XX", "ATS-FAILOVER-SHARED-STATE",
            "ATS-FAILOVER-PING-RECOVERS", needs={"control", "reserve"})
def failover_on_server_error(ctx: CaseContext, env: AtsEnv) -> None:
    """A call registered on the primary before it fails (5xx) verifies on the reserve,
    which keeps serving; the primary's /ping is 200 once the fault is gone, and a call
    registered on the reserve meanwhile verifies on the primary."""
    control = env.require_control()
    reserve_a, reserve_b = _reserve(env)
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    with _fault(ctx, control, kind="status", status=503):
        failed = env.a.register([("a", env.number_a()), ("b", env.number_b())])
        ctx.check("ATS-FAILOVER-5XX", 500 <= failed.status_code <= 599,
                  f"primary RegisterCall during the fault: expected 5xx, got {failed.status_code}")
        response = reserve_b.check([("a", a), ("b", b), ("call_id", env.call_id())])
        expect_status(ctx, "ATS-FAILOVER-SHARED-STATE", response, 200,
                      f"reserve CheckCall a={a} b={b} registered on the primary")
        a2, b2 = env.number_a(), env.number_b()
        response = reserve_a.register([("a", a2), ("b", b2), ("call_id", env.call_id())])
        expect_status(ctx, "ATS-FAILOVER-5XX", response, 201, "reserve RegisterCall")
        response = reserve_b.check([("a", a2), ("b", b2), ("call_id", env.call_id())])
        expect_status(ctx, "ATS-FAILOVER-5XX", response, 200, "reserve CheckCall")
    expect_status(ctx, "ATS-FAILOVER-PING-RECOVERS", env.a.ping("GET"), 200,
                  "primary GET /ping after the fault")
    response = env.b.check([("a", a2), ("b", b2), ("call_id", env.call_id())])
    expect_status(ctx, "ATS-FAILOVER-SHARED-STATE", response, 200,
                  f"primary CheckCall a={a2} b={b2} registered on the reserve during the fault")


@SUITE.case("ATS-FAILOVER-307", "ATS-FAILOVER-307-LOCATION", "ATS-FAILOVER-PING-307",
            "ATS-FAILOVER-5XX", "ATS-FAILOVER-PING-RECOVERS", needs={"control", "reserve"})
def failover_on_redirect(ctx: CaseContext, env: AtsEnv) -> None:
    """A primary under maintenance answers 307 with Location to API methods and to /ping;
    the reserve serves meanwhile; /ping is 200 again when maintenance ends."""
    control = env.require_control()
    reserve_a, _ = _reserve(env)
    with _fault(ctx, control, kind="redirect"):
        for what, response in (
            ("RegisterCall", env.a.register([("a", env.number_a()), ("b", env.number_b())])),
            ("CheckCall", env.b.check([("a", env.number_a()), ("b", env.number_b()),
                                       ("call_id", env.call_id())])),
        ):
            expect_status(ctx, "ATS-FAILOVER-307", response, 307, f"primary {what}")
            location = response.headers.get("Location")
            ctx.check("ATS-FAILOVER-307-LOCATION", bool(location),
                      f"primary {what}: 307 should carry Location, got {location!r}")
            if location:
                primary = urlsplit(str(response.request.url)).netloc
                leads_to = urlsplit(urljoin(str(response.request.url), location)).netloc
                ctx.check("ATS-FAILOVER-307-LOCATION", leads_to != primary,
                          f"primary {what}: Location {location!r} leads back to the "
                          f"redirecting server {primary}")
        expect_status(ctx, "ATS-FAILOVER-PING-307", env.a.ping("GET"), 307,
                      "primary GET /ping during maintenance")
        response = reserve_a.register([("a", env.number_a()), ("b", env.number_b())])
        expect_status(ctx, "ATS-FAILOVER-5XX", response, 201, "reserve RegisterCall")
    expect_status(ctx, "ATS-FAILOVER-PING-RECOVERS", env.a.ping("GET"), 200,
                  "primary GET /ping after maintenance")
