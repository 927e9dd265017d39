"""Checks shared by MFMS cases, each attributed to clauses the calling case declares.

:func:`expect_request_error` checks a request refused as a whole (ruling 3: an
HTTP 500 with a description, or an HTTP 200 whose only line is the code, in
the profile the run expects) and that it gave out no providerId; cases using
it declare :data:`REQUEST_ERROR`. :func:`accept_one` sends one message and
returns its providerId once its line says ok. :func:`read_status` asks STATUS
of one providerId and returns its line.
"""

from __future__ import annotations

import httpx
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.mfms.binding import MfmsEnv
from nabat.conformance.mfms.client import Message
from nabat.conformance.mfms.wire import StatusLine, lines, read_status_line, request_error

#: Clauses every case using :func:`expect_request_error` must declare.
REQUEST_ERROR = (
    "MFMS-ERR-PROFILE",
    "MFMS-ERR-200-CODE",
    "MFMS-ERR-500-NAMES-CODE",
    "MFMS-ERR-NOTHING-SENT",
)


def expect_request_error(
    ctx: CaseContext,
    env: MfmsEnv,
    response: httpx.Response,
    code: str,
    clause: str,
    what: str,
    *,
    per_message_ok: bool = False,
    profile: str | None = None,
) -> None:
    """``response`` refuses the request with ``code`` (checked under ``clause``)."""
    found = request_error(response.status_code, response.text)
    body = lines(response.text)
    ctx.check(
        "MFMS-ERR-NOTHING-SENT",
        not any(line.split(";")[0] == "ok" for line in body),
        f"{what}: a refused request must give out no providerId, got {body[:4]!r}",
    )
    if (
        per_message_ok
        and found.profile == "none"
        and response.status_code == 200
        and body
        and all(line.split(";")[0] == code for line in body)
    ):
        ctx.note(f"{what}: refused per message ({body[0]!r}), not as a whole request")
        ctx.check(clause, True, f"{what}: {code} per message")
        return
    expected = profile or env.settings.error_profile
    allowed = ("http500", "http200") if expected == "any" else (expected,)
    ctx.accept_any(
        "MFMS-ERR-PROFILE",
        found.profile,
        allowed,
        f"{what}: answered HTTP {response.status_code} {response.text[:120]!r}, "
        f"read as profile {found.profile!r}; expected {' or '.join(allowed)}",
    )
    if found.profile == "http200":
        ctx.check(
            "MFMS-ERR-200-CODE",
            found.code == code,
            f"{what}: the only line must be {code}, got {found.code!r}",
        )
        ctx.check(clause, found.code == code, f"{what}: expected {code}, got {found.code!r}")
    else:
        ctx.check(
            "MFMS-ERR-500-NAMES-CODE",
            found.code == code,
            f"{what}: the HTTP 500 description should name {code}: {found.description[:120]!r}",
        )
        ctx.check(
            clause,
            found.code in (code, None),
            f"{what}: expected {code}, the description names {found.code!r}",
        )


def accept_one(ctx: CaseContext, env: MfmsEnv, message: Message, clause: str) -> str:
    """Send ``message`` alone; its line must be ok with a providerId (``clause``)."""
    response, found = env.send_lines([message])
    line = found[0] if len(found) == 1 else None
    ok = (
        response.status_code == 200
        and line is not None
        and line.code == "ok"
        and bool(line.provider_id)
    )
    ctx.check(
        clause,
        ok,
        f"SEND to {message.address}: expected one line ok;0;<providerId>, "
        f"got HTTP {response.status_code} {response.text[:200]!r}",
    )
    assert line is not None
    env.remember(line.provider_id, message)
    return line.provider_id


def read_status(ctx: CaseContext, env: MfmsEnv, provider_id: str, clause: str) -> StatusLine:
    """STATUS of ``provider_id``: one well-formed ok line naming it (``clause``)."""
    response = env.hpg.status([provider_id])
    found = [read_status_line(line) for line in lines(response.text)]
    line = found[0] if len(found) == 1 else None
    ok = (
        response.status_code == 200
        and line is not None
        and line.code == "ok"
        and line.provider_id == provider_id
        and not line.problems
    )
    ctx.check(
        clause,
        ok,
        f"STATUS of {provider_id}: expected one well-formed ok line, got "
        f"HTTP {response.status_code} {response.text[:200]!r}"
        + (f" ({'; '.join(line.problems)})" if line is not None and line.problems else ""),
    )
    assert line is not None
    return line
