"""STATUS of the messages the run sent (no new SMS): indexed providerIds in one
request, one of them an id no platform gave; the line format, section-4
statuses, the dateTime format; then STATUS without a providerId."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.mfms.binding import MfmsEnv
from nabat.conformance.mfms.checks import REQUEST_ERROR, expect_request_error
from nabat.conformance.mfms.preflight import UNKNOWN_ID
from nabat.conformance.mfms.suite import SUITE
from nabat.conformance.mfms.wire import STATUSES, lines, read_status_line


@SUITE.case(
    "MFMS-STATUS-INDEXED",
    "MFMS-STATUS-LINE-FORMAT",
    "MFMS-STATUS-KNOWN-ID",
    "MFMS-STATUS-VALUES",
    "MFMS-STATUS-DATETIME",
    "MFMS-TYPE-DATETIME",
    "MFMS-STATUS-FRESH",
    "MFMS-STATUS-ERROR-EMPTY",
    "MFMS-CODE-PROVIDER-ID-UNKNOWN",
    "MFMS-STATUS-REASON-ONLY-UNDELIVERED",
)
def status_of_sent_messages(ctx: CaseContext, env: MfmsEnv) -> None:
    """providerId[0..2] = two ids the run got and, between them, an id never given:
    one line each, ok with a section-4 status and a yyyy.MM.dd HH:mm:ss time for the
    known ones, error-provider-id-unknown with no status for the other."""
    known = [pid for _, pid in env.state.accepted[:2]]
    if not known:
        ctx.unsupported("no message was accepted earlier in the run (send_two_messages)")
    asked = [known[-1], UNKNOWN_ID, known[0]] if len(known) > 1 else [UNKNOWN_ID, known[0]]
    response = env.hpg.status(asked)
    found = [read_status_line(line) for line in lines(response.text)]
    ctx.check(
        "MFMS-STATUS-INDEXED",
        response.status_code == 200 and len(found) == len(asked),
        f"STATUS of {len(asked)} providerIds: expected HTTP 200 and one line each, got "
        f"HTTP {response.status_code}: {response.text[:300]!r}",
    )
    named = sorted(line.provider_id for line in found)
    ctx.check(
        "MFMS-STATUS-INDEXED",
        named == sorted(asked),
        f"each line names one asked providerId: asked {asked}, lines name {named}",
    )
    for line in found:
        if line.provider_id == UNKNOWN_ID:
            ctx.check(
                "MFMS-CODE-PROVIDER-ID-UNKNOWN",
                line.code == "error-provider-id-unknown",
                f"an id never given: expected error-provider-id-unknown, got {line.raw!r}",
            )
            ctx.check(
                "MFMS-STATUS-ERROR-EMPTY",
                not line.status and not line.date_time,
                f"an error line should carry no status or dateTime: {line.raw!r}",
            )
            continue
        ctx.check(
            "MFMS-STATUS-KNOWN-ID",
            line.code == "ok",
            f"an accepted message's id must be known: {line.raw!r}",
        )
        ctx.check(
            "MFMS-STATUS-LINE-FORMAT",
            line.fields == 5 and not line.problems,
            f"line {line.raw!r}: {'; '.join(line.problems) or 'not 5 fields'}",
        )
        ctx.check(
            "MFMS-STATUS-VALUES",
            line.status in STATUSES,
            f"status {line.status!r} is not one of section 4",
        )
        ctx.check(
            "MFMS-STATUS-DATETIME",
            line.moment is not None,
            f"dateTime {line.date_time!r} is not yyyy.MM.dd HH:mm:ss",
        )
        ctx.check(
            "MFMS-TYPE-DATETIME",
            line.moment is not None,
            f"Datetime {line.date_time!r} is not yyyy.MM.dd HH:mm:ss",
        )
        ctx.check(
            "MFMS-STATUS-FRESH",
            line.status not in ("delayed", "cancelled"),
            f"a message just sent without a send time reads {line.status!r}",
        )
        ctx.check(
            "MFMS-STATUS-REASON-ONLY-UNDELIVERED",
            line.status in ("undelivered", "failed") or not line.reason,
            f"a {line.status} message should carry no reason, got {line.reason!r}",
        )


@SUITE.case("MFMS-STATUS-PROVIDERID-REQUIRED", *REQUEST_ERROR)
def status_without_provider_id(ctx: CaseContext, env: MfmsEnv) -> None:
    """STATUS with the credentials and nothing else: error-syntax."""
    response = env.hpg.raw_status([])
    expect_request_error(
        ctx,
        env,
        response,
        "error-syntax",
        "MFMS-STATUS-PROVIDERID-REQUIRED",
        "STATUS without providerId",
        per_message_ok=True,
    )
