"""Group cases: ADDGROUP, UPDATEGROUP, DELGROUP, GETGROUPS (also by list),
DELGROUP of a group that still holds abonents, and their appendix-B errors."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import (
    expect_error,
    expect_listing,
    expect_ok,
    rows_by_id,
    unused_id,
)
from nabat.conformance.server.suite import SUITE


@SUITE.case("SRV-ADDGROUP-OK", "SRV-UPDATEGROUP-OK", "SRV-DELGROUP-OK", "SRV-GETGROUPS-LISTING")
def group_lifecycle(ctx: CaseContext, env: ServerEnv) -> None:
    """ADDGROUP, GETGROUPS, UPDATEGROUP and DELGROUP on one group."""
    name = env.name("group")
    reply = env.admin.request("ADDGROUP", name, "первая")
    env.janitor.created(reply, "DELGROUP")
    expect_ok(ctx, "SRV-ADDGROUP-OK", reply, "ADDGROUP", count=3)
    gid = reply.args[0]
    ctx.check("SRV-ADDGROUP-OK", gid.isdigit() and reply.args[1:] == (name, "первая"),
              f"ADDGROUP OK must read <id> {name} первая, got {reply.args!r}")
    listing = env.admin.request("GETGROUPS")
    expect_listing(ctx, "SRV-GETGROUPS-LISTING", listing, "GETGROUPS", row_len=3)
    ctx.check("SRV-GETGROUPS-LISTING", rows_by_id(listing).get(gid) == (gid, name, "первая"),
              f"GETGROUPS must list {gid} {name} первая")
    new_name = env.name("group")
    reply = env.admin.request("UPDATEGROUP", gid, new_name, "вторая")
    expect_ok(ctx, "SRV-UPDATEGROUP-OK", reply, f"UPDATEGROUP {gid}", count=3)
    ctx.check("SRV-UPDATEGROUP-OK", reply.args == (gid, new_name, "вторая"),
              f"UPDATEGROUP OK must read {gid} {new_name} вторая, got {reply.args!r}")
    row = rows_by_id(env.admin.request("GETGROUPS")).get(gid)
    ctx.check("SRV-UPDATEGROUP-OK", row == (gid, new_name, "вторая"),
              f"GETGROUPS must show the update, got {row!r}")
    reply = env.admin.request("DELGROUP", gid)
    expect_ok(ctx, "SRV-DELGROUP-OK", reply, f"DELGROUP {gid}")
    ctx.check("SRV-DELGROUP-OK", reply.args == (gid,), f"DELGROUP OK must echo {gid}")
    env.janitor.forget("DELGROUP", gid)
    ctx.check("SRV-DELGROUP-OK", gid not in rows_by_id(env.admin.request("GETGROUPS")),
              f"group {gid} is still listed after DELGROUP")


@SUITE.case("SRV-ERR-UPDATEGROUP", "SRV-ERR-DELGROUP", "SRV-ERR-ADDGROUP")
def group_errors(ctx: CaseContext, env: ServerEnv) -> None:
    """Unknown group ids and an empty group name are refused."""
    missing = unused_id(env.admin.request("GETGROUPS"))
    expect_error(ctx, "SRV-ERR-UPDATEGROUP",
                 env.admin.request("UPDATEGROUP", missing, env.name("group"), ""),
                 "ERR_UPDATEGROUP", f"UPDATEGROUP {missing} (unknown)")
    expect_error(ctx, "SRV-ERR-DELGROUP", env.admin.request("DELGROUP", missing), "ERR_DELGROUP",
                 f"DELGROUP {missing} (unknown)")
    reply = env.admin.request("ADDGROUP", "", env.name("group"))
    env.janitor.created(reply, "DELGROUP")
    expect_error(ctx, "SRV-ERR-ADDGROUP", reply, ("ERR_ADDGROUP", "ERR_BADSYNTAX"),
                 "ADDGROUP with an empty name")


@SUITE.case("SRV-GETGROUPS-BY-LIST", "SRV-LISTADDGROUPS-OK", "SRV-LISTDELGROUPS-OK")
def groups_of_a_list(ctx: CaseContext, env: ServerEnv) -> None:
    """LISTADDGROUPS puts groups in a list, GETGROUPS <lid> shows them, LISTDELGROUPS
    takes one out."""
    g1, g2 = steps.group(env), steps.group(env)
    steps.group(env)  # a third group, not in the list
    lid = steps.dlist(env)
    ids = f"{g1},{g2}"
    reply = env.admin.request("LISTADDGROUPS", lid, ids)
    expect_ok(ctx, "SRV-LISTADDGROUPS-OK", reply, f"LISTADDGROUPS {lid} {ids}")
    ctx.check("SRV-LISTADDGROUPS-OK", reply.args == (lid, ids),
              f"LISTADDGROUPS OK must echo {lid} {ids}, got {reply.args!r}")
    listing = env.admin.request("GETGROUPS", lid)
    expect_listing(ctx, "SRV-GETGROUPS-BY-LIST", listing, f"GETGROUPS {lid}", row_len=3)
    ctx.check("SRV-GETGROUPS-BY-LIST", set(rows_by_id(listing)) == {g1, g2},
              f"GETGROUPS {lid} must list exactly {g1} and {g2}, got {sorted(rows_by_id(listing))}")
    reply = env.admin.request("LISTDELGROUPS", lid, g1)
    expect_ok(ctx, "SRV-LISTDELGROUPS-OK", reply, f"LISTDELGROUPS {lid} {g1}")
    ctx.check("SRV-LISTDELGROUPS-OK", reply.args == (lid, g1),
              f"LISTDELGROUPS OK must echo {lid} {g1}, got {reply.args!r}")
    left = set(rows_by_id(env.admin.request("GETGROUPS", lid)))
    ctx.check("SRV-LISTDELGROUPS-OK", left == {g2},
              f"after LISTDELGROUPS the list must hold only {g2}, got {sorted(left)}")


@SUITE.case("SRV-DELGROUP-IN-USE")
def delete_group_in_use(ctx: CaseContext, env: ServerEnv) -> None:
    """DELGROUP of a group holding an abonent answers ERR_DELGROUP; the group and the
    abonent stay (nobody is deleted with the group)."""
    gid = steps.group(env)
    aid, _ = steps.abonent(env, gid)
    reply = env.admin.request("DELGROUP", gid)
    if reply.ok:
        env.janitor.forget("DELGROUP", gid)
    expect_error(ctx, "SRV-DELGROUP-IN-USE", reply, "ERR_DELGROUP",
                 f"DELGROUP {gid} while it holds abonent {aid}")
    members = {a.fields[0] for a in env.admin.request("GETABONENTS", gid).abonents() if a.fields}
    ctx.check("SRV-DELGROUP-IN-USE", aid in members,
              f"abonent {aid} must still be in group {gid} after the refused DELGROUP, "
              f"GETABONENTS {gid} lists {sorted(members)}")
    ctx.check("SRV-DELGROUP-IN-USE", gid in rows_by_id(env.admin.request("GETGROUPS")),
              f"group {gid} must still be listed after the refused DELGROUP")
