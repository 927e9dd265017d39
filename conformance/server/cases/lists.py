"""Distribution-list cases: ADDLIST, GETLISTS, UPDATLIST and UPDATELIST (ruling 6),
DELLIST (which never deletes members), membership of abonents and groups,
LISTCLEAR and the appendix-B errors,
including the literal/intended code pairs of ruling 7."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import (
    expect_error,
    expect_listing,
    expect_ok,
    gate,
    rows_by_id,
    unused_id,
)
from nabat.conformance.server.suite import SUITE


@SUITE.case("SRV-ADDLIST-OK", "SRV-GETLISTS-LISTING", "SRV-UPDATLIST-ECHO",
            "SRV-UPDATELIST-ECHO", "SRV-DELLIST-OK")
def list_lifecycle(ctx: CaseContext, env: ServerEnv) -> None:
    """ADDLIST, GETLISTS, both update spellings (each echoed) and DELLIST."""
    name = env.name("list")
    reply = env.admin.request("ADDLIST", name, "список")
    env.janitor.created(reply, "DELLIST")
    expect_ok(ctx, "SRV-ADDLIST-OK", reply, "ADDLIST", count=3)
    lid = reply.args[0]
    ctx.check("SRV-ADDLIST-OK", reply.args[1:] == (name, "список"),
              f"ADDLIST OK must read <id> {name} список, got {reply.args!r}")
    listing = env.admin.request("GETLISTS")
    expect_listing(ctx, "SRV-GETLISTS-LISTING", listing, "GETLISTS", row_len=3)
    ctx.check("SRV-GETLISTS-LISTING", rows_by_id(listing).get(lid) == (lid, name, "список"),
              f"GETLISTS must list {lid} {name} список")
    spellings = (("UPDATLIST", "SRV-UPDATLIST-ECHO"), ("UPDATELIST", "SRV-UPDATELIST-ECHO"))
    for word, clause in spellings:
        new_name = env.name("list")
        reply = env.admin.request(word, lid, new_name, word.lower())
        expect_ok(ctx, clause, reply, f"{word} {lid}", word=word, count=3)
        ctx.check(clause, reply.args == (lid, new_name, word.lower()),
                  f"{word} OK must read {lid} {new_name} {word.lower()}, got {reply.args!r}")
        row = rows_by_id(env.admin.request("GETLISTS")).get(lid)
        ctx.check(clause, row == (lid, new_name, word.lower()),
                  f"GETLISTS must show the {word}, got {row!r}")
    reply = env.admin.request("DELLIST", lid)
    expect_ok(ctx, "SRV-DELLIST-OK", reply, f"DELLIST {lid}")
    ctx.check("SRV-DELLIST-OK", reply.args == (lid,), f"DELLIST OK must echo {lid}")
    env.janitor.forget("DELLIST", lid)
    ctx.check("SRV-DELLIST-OK", lid not in rows_by_id(env.admin.request("GETLISTS")),
              f"list {lid} is still listed after DELLIST")


@SUITE.case("SRV-ERR-UPDATELIST", "SRV-ERR-DELLIST", "SRV-ERR-ADDLIST",
            "SRV-ERR-LISTADDABONENTS", "SRV-ERR-LISTADDGROUPS", "SRV-ERR-LISTDELABONENTS",
            "SRV-ERR-LISTDELGROUPS")
def list_errors(ctx: CaseContext, env: ServerEnv) -> None:
    """Operations on an unknown list, and additions of an unknown abonent or group,
    answer their appendix-B codes (deletions: the literal or the intended code,
    ruling 7)."""
    admin = env.admin
    gid = steps.group(env)
    aid, _ = steps.abonent(env, gid)
    missing = unused_id(admin.request("GETLISTS"))
    expect_error(ctx, "SRV-ERR-UPDATELIST", admin.request("UPDATELIST", missing, env.name("l"), ""),
                 "ERR_UPDATELIST", f"UPDATELIST {missing} (unknown)")
    expect_error(ctx, "SRV-ERR-DELLIST", admin.request("DELLIST", missing), "ERR_DELLIST",
                 f"DELLIST {missing} (unknown)")
    reply = admin.request("ADDLIST", "", env.name("list"))
    env.janitor.created(reply, "DELLIST")
    expect_error(ctx, "SRV-ERR-ADDLIST", reply, ("ERR_ADDLIST", "ERR_BADSYNTAX"),
                 "ADDLIST with an empty name")
    expect_error(ctx, "SRV-ERR-LISTADDABONENTS", admin.request("LISTADDABONENTS", missing, aid),
                 "ERR_LISTADDABONENTS", f"LISTADDABONENTS {missing} (unknown list) {aid}")
    expect_error(ctx, "SRV-ERR-LISTADDGROUPS", admin.request("LISTADDGROUPS", missing, gid),
                 "ERR_LISTADDGROUPS", f"LISTADDGROUPS {missing} (unknown list) {gid}")
    expect_error(ctx, "SRV-ERR-LISTDELABONENTS", admin.request("LISTDELABONENTS", missing, aid),
                 ("ERR_LISTADDABONENTS", "ERR_LISTDELABONENTS"),
                 f"LISTDELABONENTS {missing} (unknown list) {aid}")
    expect_error(ctx, "SRV-ERR-LISTDELGROUPS", admin.request("LISTDELGROUPS", missing, gid),
                 ("ERR_LISTADDGROUPS", "ERR_LISTDELGROUPS"),
                 f"LISTDELGROUPS {missing} (unknown list) {gid}")
    lid = steps.dlist(env)
    nobody = unused_id(admin.request("GETABONENTS"))
    no_group = unused_id(admin.request("GETGROUPS"))
    expect_error(ctx, "SRV-ERR-LISTADDABONENTS",
                 admin.request("LISTADDABONENTS", lid, f"{aid},{nobody}"), "ERR_LISTADDABONENTS",
                 f"LISTADDABONENTS {lid} {aid},{nobody} (unknown abonent)")
    expect_error(ctx, "SRV-ERR-LISTADDGROUPS",
                 admin.request("LISTADDGROUPS", lid, f"{gid},{no_group}"), "ERR_LISTADDGROUPS",
                 f"LISTADDGROUPS {lid} {gid},{no_group} (unknown group)")


def _members(env: ServerEnv, gid: str, lid: str) -> set[str]:
    reply = env.admin.request("GETABONENTS", gid, lid)
    return {abonent.fields[0] for abonent in reply.abonents() if abonent.fields}


@SUITE.case("SRV-LISTADDABONENTS-OK", "SRV-LISTDELABONENTS-OK", "SRV-GETABONENTS-FILTER",
            "SRV-GETABONENTS-LIST-GROUPS")
def list_membership(ctx: CaseContext, env: ServerEnv) -> None:
    """Abonents join and leave a list; GETABONENTS filters by group, by list (empty
    gid) and by both; a group added to the list brings its abonents into it."""
    g1, g2 = steps.group(env), steps.group(env)
    a1, _ = steps.abonent(env, g1)
    a2, _ = steps.abonent(env, g2)
    a3, _ = steps.abonent(env, g2)
    lid = steps.dlist(env)
    reply = env.admin.request("LISTADDABONENTS", lid, f"{a1},{a2}")
    expect_ok(ctx, "SRV-LISTADDABONENTS-OK", reply, f"LISTADDABONENTS {lid} {a1},{a2}")
    ctx.check("SRV-LISTADDABONENTS-OK", reply.args == (lid, f"{a1},{a2}"),
              f"LISTADDABONENTS OK must echo {lid} {a1},{a2}, got {reply.args!r}")
    by_list = _members(env, "", lid)
    ctx.check("SRV-LISTADDABONENTS-OK", by_list == {a1, a2},
              f"GETABONENTS '' {lid} must list {a1} and {a2}, got {sorted(by_list)}")
    by_group = _members(env, g2, "")
    ctx.check("SRV-GETABONENTS-FILTER", by_group == {a2, a3},
              f"GETABONENTS {g2} must list {a2} and {a3}, got {sorted(by_group)}")
    reply = env.admin.request("GETABONENTS", g2)
    by_group = {a.fields[0] for a in reply.abonents() if a.fields}
    ctx.check("SRV-GETABONENTS-FILTER", by_group == {a2, a3},
              f"GETABONENTS {g2} (one parameter) must list {a2} and {a3}")
    both = _members(env, g2, lid)
    ctx.check("SRV-GETABONENTS-FILTER", both == {a2},
              f"GETABONENTS {g2} {lid} must list only {a2}, got {sorted(both)}")
    reply = env.admin.request("LISTDELABONENTS", lid, a1)
    expect_ok(ctx, "SRV-LISTDELABONENTS-OK", reply, f"LISTDELABONENTS {lid} {a1}")
    ctx.check("SRV-LISTDELABONENTS-OK", reply.args == (lid, a1),
              f"LISTDELABONENTS OK must echo {lid} {a1}, got {reply.args!r}")
    left = _members(env, "", lid)
    ctx.check("SRV-LISTDELABONENTS-OK", left == {a2},
              f"after LISTDELABONENTS the list must hold only {a2}, got {sorted(left)}")
    expect_ok(ctx, "SRV-GETABONENTS-LIST-GROUPS", env.admin.request("LISTADDGROUPS", lid, g1),
              f"LISTADDGROUPS {lid} {g1}")
    with_group = _members(env, "", lid)
    ctx.check("SRV-GETABONENTS-LIST-GROUPS", with_group == {a1, a2},
              f"with group {g1} in the list, GETABONENTS '' {lid} should list {a1} (of the "
              f"group) and {a2}, got {sorted(with_group)}")
    env.admin.request("LISTADDGROUPS", lid, g2)  # a2 is now in the list twice over
    listed = [a.fields[0] for a in env.admin.request("GETABONENTS", "", lid).abonents()
              if a.fields]
    ctx.check("SRV-GETABONENTS-LIST-GROUPS", sorted(listed) == sorted({a1, a2, a3}),
              f"GETABONENTS '' {lid} should list {a1}, {a2} and {a3} once each ({a2} is in "
              f"the list directly and through group {g2}), got {listed}")


@SUITE.case("SRV-DELLIST-KEEPS-MEMBERS")
def delete_list_keeps_members(ctx: CaseContext, env: ServerEnv) -> None:
    """DELLIST of a list holding an abonent and a group deletes the list only: the
    abonent, the group and the group's abonent stay."""
    g1, g2 = steps.group(env), steps.group(env)
    a1, _ = steps.abonent(env, g1)
    a2, _ = steps.abonent(env, g2)
    lid = steps.dlist(env)
    env.admin.request("LISTADDABONENTS", lid, a1)
    env.admin.request("LISTADDGROUPS", lid, g2)
    reply = env.admin.request("DELLIST", lid)
    expect_ok(ctx, "SRV-DELLIST-KEEPS-MEMBERS", reply, f"DELLIST {lid} (holding {a1} and {g2})")
    if reply.ok:
        env.janitor.forget("DELLIST", lid)
    left = {a.fields[0] for a in env.admin.request("GETABONENTS").abonents() if a.fields}
    ctx.check("SRV-DELLIST-KEEPS-MEMBERS", {a1, a2} <= left,
              f"abonents {a1} (in the list) and {a2} (of its group) must survive DELLIST, "
              f"missing: {sorted({a1, a2} - left)}")
    ctx.check("SRV-DELLIST-KEEPS-MEMBERS", g2 in rows_by_id(env.admin.request("GETGROUPS")),
              f"group {g2} (in the list) must survive DELLIST")


@SUITE.case("SRV-LISTCLEAR", needs={"extras"})
def list_clear(ctx: CaseContext, env: ServerEnv) -> None:
    """LISTCLEAR empties a list; an unknown list answers ERR_LISTCLEAR."""
    gid = steps.group(env)
    aid, _ = steps.abonent(env, gid)
    lid = steps.dlist(env)
    env.admin.request("LISTADDABONENTS", lid, aid)
    env.admin.request("LISTADDGROUPS", lid, gid)
    reply = env.admin.request("LISTCLEAR", lid)
    gate(ctx, reply, "LISTCLEAR")
    expect_ok(ctx, "SRV-LISTCLEAR", reply, f"LISTCLEAR {lid}", count=1)
    ctx.check("SRV-LISTCLEAR", not _members(env, "", lid)
              and not env.admin.request("GETGROUPS", lid).rows,
              f"list {lid} must be empty after LISTCLEAR")
    missing = unused_id(env.admin.request("GETLISTS"))
    expect_error(ctx, "SRV-LISTCLEAR", env.admin.request("LISTCLEAR", missing), "ERR_LISTCLEAR",
                 f"LISTCLEAR {missing} (unknown)")
