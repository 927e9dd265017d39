"""Message cases (project commands, ruling 12): ADDMESSAGE, UPDATEMESSAGE,
MESSAGES, DELMESSAGE and their errors. A server without them makes these
cases unsupported."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import expect_error, expect_listing, expect_ok, gate, unused_id
from nabat.conformance.server.suite import SUITE


@SUITE.case("SRV-ADDMESSAGE-OK", "SRV-UPDATEMESSAGE-OK", "SRV-MESSAGES-LISTING",
            "SRV-DELMESSAGE-OK", needs={"messages"})
def message_lifecycle(ctx: CaseContext, env: ServerEnv) -> None:
    """ADDMESSAGE, MESSAGES, UPDATEMESSAGE and DELMESSAGE on one SMS message."""
    name = env.name("message")
    reply = env.admin.request("ADDMESSAGE", "2", name, "Внимание! Учебная тревога.", "", "")
    gate(ctx, reply, "ADDMESSAGE")
    env.janitor.created(reply, "DELMESSAGE")
    if not expect_ok(ctx, "SRV-ADDMESSAGE-OK", reply, "ADDMESSAGE", count=8):
        return  # no message to go on with
    mid = reply.args[0]
    ctx.check("SRV-ADDMESSAGE-OK", reply.args[1:6] == ("2", name, "Внимание! Учебная тревога.",
                                                       "", ""),
              f"ADDMESSAGE OK must echo the message, got {reply.args!r}")
    listing = env.admin.request("MESSAGES")
    expect_listing(ctx, "SRV-MESSAGES-LISTING", listing, "MESSAGES", row_len=8)
    row = next((r for r in listing.rows if r and r[0] == mid), None)
    ctx.check("SRV-MESSAGES-LISTING", row is not None and row[2] == name,
              f"MESSAGES must list {mid} {name}, got {row!r}")
    reply = env.admin.request("UPDATEMESSAGE", mid, "2", name, "Отбой.", "", "")
    expect_ok(ctx, "SRV-UPDATEMESSAGE-OK", reply, f"UPDATEMESSAGE {mid}", count=8)
    ctx.check("SRV-UPDATEMESSAGE-OK", reply.args[:4] == (mid, "2", name, "Отбой."),
              f"UPDATEMESSAGE OK must show the new text, got {reply.args!r}")
    reply = env.admin.request("DELMESSAGE", mid)
    expect_ok(ctx, "SRV-DELMESSAGE-OK", reply, f"DELMESSAGE {mid}", count=1)
    env.janitor.forget("DELMESSAGE", mid)
    ids = {r[0] for r in env.admin.request("MESSAGES").rows if r}
    ctx.check("SRV-DELMESSAGE-OK", mid not in ids, f"message {mid} still listed after DELMESSAGE")


@SUITE.case("SRV-ERR-UPDATEMESSAGE", "SRV-ERR-DELMESSAGE", "SRV-ERR-ADDMESSAGE",
            needs={"messages"})
def message_errors(ctx: CaseContext, env: ServerEnv) -> None:
    """UPDATEMESSAGE and DELMESSAGE of an unknown message are refused; so is an SMS
    message without text (ADDMESSAGE)."""
    listing = env.admin.request("MESSAGES")
    gate(ctx, listing, "MESSAGES")
    reply = env.admin.request("ADDMESSAGE", "2", env.name("message"), "", "", "")
    env.janitor.created(reply, "DELMESSAGE")
    expect_error(ctx, "SRV-ERR-ADDMESSAGE", reply, "ERR_ADDMESSAGE",
                 "ADDMESSAGE of an SMS message without text")
    missing = unused_id(listing)
    reply = env.admin.request("UPDATEMESSAGE", missing, "2", env.name("message"), "x", "", "")
    expect_error(ctx, "SRV-ERR-UPDATEMESSAGE", reply, "ERR_UPDATEMESSAGE",
                 f"UPDATEMESSAGE {missing} (unknown)")
    expect_error(ctx, "SRV-ERR-DELMESSAGE", env.admin.request("DELMESSAGE", missing),
                 "ERR_DELMESSAGE", f"DELMESSAGE {missing} (unknown)")
