"""Requests refused as a whole or per message for a missing parameter (error-syntax),
a system error (error-system, through the control API) and both error profiles of
ruling 3 (the suite switches the simulator's profile and puts it back). None of
these requests can send an SMS to a conforming platform."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.mfms.binding import MfmsEnv
from nabat.conformance.mfms.checks import REQUEST_ERROR, expect_request_error
from nabat.conformance.mfms.client import Message
from nabat.conformance.mfms.preflight import UNKNOWN_ID
from nabat.conformance.mfms.suite import SUITE

TEXT = "Nabat conformance: never sent"


@SUITE.case(
    "MFMS-SEND-SUBJECT-REQUIRED",
    "MFMS-SEND-ADDRESS-REQUIRED",
    "MFMS-SEND-TEXT-REQUIRED",
    "MFMS-SEND-INDEX-REQUIRED",
    *REQUEST_ERROR,
)
def send_missing_parameters(ctx: CaseContext, env: MfmsEnv) -> None:
    """A message without subject, without address, without text, and one whose
    parameters carry no [i]: each refused with error-syntax."""
    subject, address = env.settings.subject, env.address(0)
    cases = [
        (
            "MFMS-SEND-SUBJECT-REQUIRED",
            "SEND without subject[0]",
            [("address[0]", address), ("text[0]", TEXT)],
            True,
        ),
        (
            "MFMS-SEND-ADDRESS-REQUIRED",
            "SEND without address[0]",
            [("subject[0]", subject), ("text[0]", TEXT)],
            True,
        ),
        (
            "MFMS-SEND-TEXT-REQUIRED",
            "SEND without text[0]",
            [("subject[0]", subject), ("address[0]", address)],
            True,
        ),
        (
            "MFMS-SEND-INDEX-REQUIRED",
            "SEND with subject, address, text without [i]",
            [("subject", subject), ("address", address), ("text", TEXT)],
            False,
        ),
    ]
    for clause, what, pairs, per_message in cases:
        response = env.hpg.raw_send(pairs)
        expect_request_error(
            ctx, env, response, "error-syntax", clause, what, per_message_ok=per_message
        )


@SUITE.case("MFMS-CODE-SYSTEM", *REQUEST_ERROR, needs={"control"})
def system_error(ctx: CaseContext, env: MfmsEnv) -> None:
    """The control API makes the next request meet a system error: STATUS is answered
    error-system in the run's profile."""
    control = env.require_control()
    control.platform_errors(system=1)
    try:
        response = env.hpg.status([UNKNOWN_ID])
        expect_request_error(
            ctx, env, response, "error-system", "MFMS-CODE-SYSTEM", "STATUS during a system error"
        )
    finally:
        control.platform_errors(system=0)


@SUITE.case("MFMS-STATUS-PROVIDERID-REQUIRED", *REQUEST_ERROR, needs={"control"})
def both_error_profiles(ctx: CaseContext, env: MfmsEnv) -> None:
    """The simulator is switched to each profile in turn: a syntax error is HTTP 500
    naming error-syntax, then HTTP 200 with error-syntax alone; the profile is put back."""
    control = env.require_control()
    before = control.config().get("error_profile")
    try:
        for profile in ("http500", "http200"):
            control.set_config(error_profile=profile)
            response = env.hpg.raw_status([])
            expect_request_error(
                ctx,
                env,
                response,
                "error-syntax",
                "MFMS-STATUS-PROVIDERID-REQUIRED",
                f"STATUS without providerId, profile {profile}",
                profile=profile,
            )
            if profile == "http500":
                ctx.check(
                    "MFMS-ERR-500-NAMES-CODE",
                    "error-syntax" in response.text,
                    "the simulator's HTTP 500 text names the code",
                )
    finally:
        if isinstance(before, str):
            control.set_config(error_profile=before)


FORBIDDEN_PREFIX = "7903555009"


@SUITE.case("MFMS-CODE-ADDRESS-UNKNOWN", needs={"control"})
def forbidden_address(ctx: CaseContext, env: MfmsEnv) -> None:
    """The control API forbids a prefix: a message to a number under it is refused with
    error-address-unknown and no providerId; the forbidden list is put back."""
    control = env.require_control()
    before = control.config().get("blocked")
    control.set_config(blocked=[*(before or []), FORBIDDEN_PREFIX])
    try:
        message = Message(env.settings.subject, FORBIDDEN_PREFIX + "1", TEXT)
        response, found = env.send_lines([message])
        line = found[0] if len(found) == 1 else None
        ctx.check(
            "MFMS-CODE-ADDRESS-UNKNOWN",
            line is not None and line.code == "error-address-unknown" and not line.provider_id,
            f"SEND to a forbidden number: expected error-address-unknown;0; got HTTP "
            f"{response.status_code} {response.text[:200]!r}",
        )
    finally:
        control.set_config(blocked=list(before or []))
