"""Multi-request steps shared by ATS cases (register a pair, check a pair),
each check attributed to the clause the calling case names."""

from __future__ import annotations

import httpx
from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import expect_status
from nabat.conformance.framework.context import CaseContext


def register(
    ctx: CaseContext,
    env: AtsEnv,
    a: str,
    b: str,
    *,
    clause: str = "ATS-REGISTER-201",
    extra: tuple[tuple[str, str], ...] = (),
) -> httpx.Response:
    """Operator A registers (a, b) with a call_id; expects 201."""
    params = [("a", a), ("b", b), ("id_dst", env.op_b.id_src), ("call_id", env.call_id())]
    response = env.a.register(params + list(extra))
    expect_status(ctx, clause, response, 201, f"RegisterCall a={a} b={b} from operator A")
    return response


def check(
    ctx: CaseContext,
    env: AtsEnv,
    a: str,
    b: str,
    expected: int,
    *,
    clause: str,
    extra: tuple[tuple[str, str], ...] = (),
    call_id: str | None = None,
) -> httpx.Response:
    """Operator B (owner of b) checks (a, b) with a call_id; expects ``expected``."""
    params = [("a", a), ("b", b), ("id_dst", env.op_b.id_src),
              ("call_id", call_id or env.call_id())]
    response = env.b.check(params + list(extra))
    expect_status(ctx, clause, response, expected, f"CheckCall a={a} b={b} from operator B")
    return response
