"""Timestamp cases (ruling 11): every createtime, edittime and exclusion-period
field of the abonents and messages the case creates and lists is
``YYYY-MM-DDTHH:MM:SS`` or empty when unset; an exclusion period set by the
client comes back as sent. Messages are a project command: a server without
ADDMESSAGE has its abonents checked only."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import lacks
from nabat.conformance.server.suite import SUITE
from nabat.conformance.server.timestamps import check_timestamps

CLAUSE = "SRV-TIMESTAMP-FORMAT"
EXCLUSION = ("2031-02-03T04:05:06", "2031-02-03T07:08:09")


def _abonent_with_exclusion(env: ServerEnv, gid: str) -> list[list[str]]:
    lines = steps.abonent_lines(gid, env.name("abonent"))
    data = lines[1]
    data[5], data[6] = EXCLUSION  # DATA gid remote name priority experiodbegin experiodend ...
    return lines


@SUITE.case(CLAUSE)
def timestamp_format(ctx: CaseContext, env: ServerEnv) -> None:
    """Abonents with and without an exclusion period, and a message: every timestamp
    in their OK replies and listings is YYYY-MM-DDTHH:MM:SS or empty."""
    gid = steps.group(env)
    reply = env.admin.request_multiline("ADDABONENT", _abonent_with_exclusion(env, gid))
    env.janitor.created(reply, "DELABONENTS")
    found = reply.abonents()
    excluded = found[0] if found else None
    ctx.check(CLAUSE, excluded is not None and excluded.fields[5:7] == EXCLUSION,
              f"ADDABONENT with the exclusion period {EXCLUSION} must echo it, got "
              f"{reply.describe()}")
    assert excluded is not None
    check_timestamps(ctx, CLAUSE, "abonent", excluded.fields, "ADDABONENT OK (exclusion set)")
    _, plain = steps.abonent(env, gid)
    unset = plain.abonents()[0]
    ctx.check(CLAUSE, unset.fields[5:7] == ("", ""),
              f"an exclusion period never set must be empty, got {unset.fields[5:7]!r}")
    check_timestamps(ctx, CLAUSE, "abonent", unset.fields, "ADDABONENT OK (no exclusion)")
    listing = env.admin.request("GETABONENTS", gid)
    for entry in listing.abonents():
        check_timestamps(ctx, CLAUSE, "abonent", entry.fields,
                         f"GETABONENTS {gid} row {entry.fields[0]}")
    reply = env.admin.request("ADDMESSAGE", steps.SMS_MESSAGE, env.name("message"), "x", "", "")
    if lacks(reply, "ADDMESSAGE"):
        ctx.note("the server has no ADDMESSAGE: message timestamps not checked")
        return
    env.janitor.created(reply, "DELMESSAGE")
    check_timestamps(ctx, CLAUSE, "message", reply.args, "ADDMESSAGE OK")
    mid = reply.args[0] if reply.args else ""
    for row in env.admin.request("MESSAGES").rows:
        if row and row[0] == mid:
            check_timestamps(ctx, CLAUSE, "message", row, f"MESSAGES row {mid}")
