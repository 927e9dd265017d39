"""SEND: two messages in one request (the run's first accepted SMS, reused by later
cases), then one request mixing a good message with refused ones, each refused
for one reason of section 3. Three SMS are accepted in all."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.mfms.binding import MfmsEnv
from nabat.conformance.mfms.client import Message
from nabat.conformance.mfms.suite import SUITE
from nabat.conformance.mfms.wire import request_error

LATIN_TEXT = "Hey, you"  # the spec's example (sent as Hey%2C%20you)
CYRILLIC_TEXT = "Проверка связи: ёлка №1 «Набат»"
TOO_LONG_SUBJECT = "NABAT-TOO-LONG-SENDER-NAME"
UNKNOWN_SUBJECT = "QZXNABATTST"  # well formed (11 Latin letters), registered nowhere
BAD_ADDRESS = "12345abc"


@SUITE.case(
    "MFMS-HTTP-GET",
    "MFMS-URL-PATHS",
    "MFMS-HTTP-200",
    "MFMS-AUTH-PARAMS",
    "MFMS-SEND-INDEXED",
    "MFMS-SEND-LINE-FORMAT",
    "MFMS-SEND-CLIENTID-INDEX",
    "MFMS-SEND-PROVIDERID-IFF-OK",
    "MFMS-SEND-PROVIDERID-UNIQUE",
    "MFMS-CODE-OK",
    "MFMS-TYPE-STRING-UTF8",
)
def send_two_messages(ctx: CaseContext, env: MfmsEnv) -> None:
    """GET BASE_URL/send with subject[0..1], address[0..1], text[0..1] (Latin with
    a comma and a space, and Cyrillic): two lines ok;0;<id> and ok;1;<id>, two new ids."""
    messages = [
        Message(env.settings.subject, env.address(0), LATIN_TEXT),
        Message(env.settings.subject, env.address(1), CYRILLIC_TEXT),
    ]
    response, found = env.send_lines(messages)
    what = "SEND of two messages"
    ctx.check(
        "MFMS-HTTP-200",
        response.status_code == 200,
        f"{what}: expected HTTP 200, got {response.status_code}",
    )
    refused = request_error(response.status_code, response.text)
    ctx.check(
        "MFMS-AUTH-PARAMS",
        refused.code != "error-auth",
        f"{what}: the right credentials were refused: {response.text[:200]!r}",
    )
    ctx.check(
        "MFMS-URL-PATHS",
        refused.profile == "none" and bool(found),
        f"{what}: GET {response.request.url.path} must be served, got {response.text[:200]!r}",
    )
    ctx.check("MFMS-HTTP-GET", response.request.method == "GET", "the request was a GET")
    ctx.check(
        "MFMS-SEND-LINE-FORMAT",
        len(found) == 2,
        f"{what}: expected one line per message (2), got {len(found)}: {response.text[:300]!r}",
    )
    for line in found:
        ctx.check(
            "MFMS-SEND-LINE-FORMAT",
            not line.problems,
            f"line {line.raw!r}: {'; '.join(line.problems)}",
        )
    ctx.check(
        "MFMS-SEND-CLIENTID-INDEX",
        sorted(line.client_id for line in found) == ["0", "1"],
        f"{what}: without clientId parameters the clientIds must be the indexes 0 and "
        f"1, got {[line.client_id for line in found]}",
    )
    by_index = {line.client_id: line for line in found}
    ctx.check(
        "MFMS-CODE-OK",
        by_index["0"].code == "ok",
        f"{what}: message 0 must be accepted (ok), got {by_index['0'].raw!r}",
    )
    ctx.check(
        "MFMS-TYPE-STRING-UTF8",
        by_index["1"].code == "ok",
        f"{what}: message 1 (Cyrillic UTF-8 text) must be accepted, got {by_index['1'].raw!r}",
    )
    ctx.check(
        "MFMS-SEND-INDEXED",
        all(line.code == "ok" for line in found),
        f"{what}: both indexed messages must be accepted",
    )
    for line in found:
        ctx.check(
            "MFMS-SEND-PROVIDERID-IFF-OK",
            bool(line.provider_id),
            f"accepted line {line.raw!r} must carry a providerId",
        )
    ids = [line.provider_id for line in found]
    ctx.check(
        "MFMS-SEND-PROVIDERID-UNIQUE",
        len(set(ids)) == len(ids),
        f"{what}: the two messages got the same providerId {ids}",
    )
    for index, message in enumerate(messages):
        earlier = env.remember(by_index[str(index)].provider_id, message)
        ctx.check(
            "MFMS-SEND-PROVIDERID-UNIQUE",
            earlier is None,
            f"providerId {by_index[str(index)].provider_id} was given before (case {earlier})",
        )


@SUITE.case(
    "MFMS-SEND-PER-MESSAGE",
    "MFMS-SEND-CLIENTID-ECHO",
    "MFMS-SEND-LINE-FORMAT",
    "MFMS-SEND-PROVIDERID-IFF-OK",
    "MFMS-SEND-PROVIDERID-UNIQUE",
    "MFMS-CODE-ADDRESS-FORMAT",
    "MFMS-CODE-SUBJECT-FORMAT",
    "MFMS-CODE-SUBJECT-UNKNOWN",
)
def send_mixed_request(ctx: CaseContext, env: MfmsEnv) -> None:
    """One request, four messages with clientIds: a good one (ok with a new providerId),
    a bad address (error-address-format), a sender too long (error-subject-format) and a
    well-formed sender nobody registered (error-subject-unknown); no providerId but the
    good one's."""
    subject, address = env.settings.subject, env.address(0)
    plan = [
        ("nabat-ok", Message(subject, address, "Nabat conformance: mixed request"), "ok"),
        ("nabat-addr", Message(subject, BAD_ADDRESS, "bad address"), "error-address-format"),
        (
            "nabat-subj-format",
            Message(TOO_LONG_SUBJECT, address, "bad sender"),
            "error-subject-format",
        ),
        (
            "nabat-subj-unknown",
            Message(UNKNOWN_SUBJECT, address, "unknown sender"),
            "error-subject-unknown",
        ),
    ]
    messages = [Message(m.subject, m.address, m.text, (("clientId", cid),)) for cid, m, _ in plan]
    response, found = env.send_lines(messages)
    ctx.check(
        "MFMS-SEND-LINE-FORMAT",
        response.status_code == 200 and len(found) == 4,
        f"expected HTTP 200 and one line per message (4), got HTTP "
        f"{response.status_code}: {response.text[:300]!r}",
    )
    for line in found:
        ctx.check(
            "MFMS-SEND-LINE-FORMAT",
            not line.problems,
            f"line {line.raw!r}: {'; '.join(line.problems)}",
        )
    by_id = {line.client_id: line for line in found}
    echoed = all(cid in by_id for cid, _, _ in plan)
    ctx.check(
        "MFMS-SEND-CLIENTID-ECHO",
        echoed,
        f"the clientIds given should come back, got {sorted(by_id)}",
    )
    if not echoed:
        by_id = {
            cid: by_id[str(index)] for index, (cid, _, _) in enumerate(plan) if str(index) in by_id
        }
    clauses = {
        "ok": "MFMS-SEND-PER-MESSAGE",
        "error-address-format": "MFMS-CODE-ADDRESS-FORMAT",
        "error-subject-format": "MFMS-CODE-SUBJECT-FORMAT",
        "error-subject-unknown": "MFMS-CODE-SUBJECT-UNKNOWN",
    }
    for cid, message, code in plan:
        found_line = by_id.get(cid)
        ctx.check(
            clauses[code],
            found_line is not None and found_line.code == code,
            f"message {cid} ({message.subject!r} to {message.address!r}): expected "
            f"{code}, got {found_line.raw if found_line else 'no line'!r}",
        )
        assert found_line is not None
        line = found_line
        ctx.check(
            "MFMS-SEND-PROVIDERID-IFF-OK",
            bool(line.provider_id) == (code == "ok"),
            f"line {line.raw!r}: a providerId when, and only when, accepted",
        )
        if code == "ok":
            earlier = env.remember(line.provider_id, message)
            ctx.check(
                "MFMS-SEND-PROVIDERID-UNIQUE",
                earlier is None,
                f"providerId {line.provider_id} was given before (case {earlier})",
            )
    ctx.check(
        "MFMS-SEND-PER-MESSAGE",
        by_id["nabat-ok"].code == "ok",
        "the good message is accepted beside the refused ones",
    )
