"""Abonent cases: the multi-line ADDABONENT / UPDATEABONENT requests (ruling 5)
with PHONE and EMAIL lines, GETABONENTS, GROUPADDABONENTS, ERR_GETABONENT,
the project's GETABONENT and DELABONENTS, and an interrupted request."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import (
    expect_error,
    expect_listing,
    expect_ok,
    gate,
    lacks,
    unused_id,
)
from nabat.conformance.server.client import Abonent, Reply
from nabat.conformance.server.suite import SUITE
from nabat.conformance.server.wire import encode_line

PHONES = [("1", "+79001234567", "0"), ("0", "84951234567", "1")]
EMAILS = ["first@example.org", "second@example.org"]


def _abonent_reply(ctx: CaseContext, clause: str, reply: Reply, what: str) -> Abonent | None:
    word = reply.word
    lines = reply.lines
    statuses = [line.status for line in lines]
    good = (bool(lines) and statuses[0] == "OK" and statuses[-1] == "END"
            and all(line.word == word for line in lines)
            and all(s in ("PHONE", "EMAIL") for s in statuses[1:-1])
            and len(lines[0].args) == 16)
    ctx.check(clause, good, f"{what}: expected {word} OK <16 fields>, PHONE/EMAIL lines, "
                            f"{word} END; got {reply.describe()}")
    found = reply.abonents()
    return found[0] if found else None


@SUITE.case("SRV-ADDABONENT-OK", "SRV-UPDATEABONENT-OK", "SRV-GETABONENTS-LISTING")
def abonent_add_update(ctx: CaseContext, env: ServerEnv) -> None:
    """ADDABONENT with two phones and two e-mails, UPDATEABONENT replacing them,
    and GETABONENTS showing the result."""
    gid = steps.group(env)
    name = env.name("abonent") + " Иванов И.И."
    lines = steps.abonent_lines(gid, name, PHONES, EMAILS, organization="ООО Ромашка")
    reply = env.admin.request_lines("ADDABONENT", lines)
    env.janitor.created(reply, "DELABONENTS")
    added = _abonent_reply(ctx, "SRV-ADDABONENT-OK", reply, "ADDABONENT")
    assert added is not None
    aid = added.fields[0]
    ctx.check("SRV-ADDABONENT-OK", added.fields[1:4] == (gid, "0", name)
              and added.fields[11] == "ООО Ромашка",
              f"ADDABONENT OK must echo gid {gid}, remote 0, name {name!r} and the "
              f"organization, got {added.fields!r}")
    ctx.check("SRV-ADDABONENT-OK", added.phones == tuple(PHONES) and added.emails == tuple(EMAILS),
              f"ADDABONENT must echo phones {PHONES} and e-mails {EMAILS}, "
              f"got {added.phones} / {added.emails}")
    new_name = env.name("abonent") + " Петров"
    lines = steps.abonent_lines(gid, new_name, PHONES[1:], [], header=("BEGIN", aid))
    reply = env.admin.request_lines("UPDATEABONENT", lines)
    updated = _abonent_reply(ctx, "SRV-UPDATEABONENT-OK", reply, f"UPDATEABONENT {aid}")
    assert updated is not None
    ctx.check("SRV-UPDATEABONENT-OK", updated.fields[0] == aid and updated.fields[3] == new_name,
              f"UPDATEABONENT OK must show {aid} named {new_name!r}, got {updated.fields!r}")
    ctx.check("SRV-UPDATEABONENT-OK", updated.phones == (PHONES[1],) and updated.emails == (),
              f"UPDATEABONENT must replace the phones and e-mails, got {updated.phones} / "
              f"{updated.emails}")
    listing = env.admin.request("GETABONENTS", gid)
    expect_listing(ctx, "SRV-GETABONENTS-LISTING", listing, f"GETABONENTS {gid}",
                   row_len=16, extra=("PHONE", "EMAIL"))
    entries = {a.fields[0]: a for a in listing.abonents() if a.fields}
    entry = entries.get(aid)
    ctx.check("SRV-GETABONENTS-LISTING", entry is not None and entry.fields[3] == new_name
              and entry.phones == (PHONES[1],),
              f"GETABONENTS {gid} must list {aid} with its phone, got {entry!r}")
    steps.abonent(env, gid, phones=PHONES, emails=EMAILS)
    listing = env.admin.request("GETABONENTS", gid)
    shapes = [(len(a.phones), len(a.emails)) for a in listing.abonents()]
    ctx.check("SRV-GETABONENTS-LISTING", sorted(shapes) == [(1, 0), (2, 2)],
              f"each DATA line must be followed by its own PHONE/EMAIL lines, got {shapes}")


@SUITE.case("SRV-GROUPADDABONENTS-OK", "SRV-ERR-GROUPADDABONENTS")
def move_abonents(ctx: CaseContext, env: ServerEnv) -> None:
    """GROUPADDABONENTS moves abonents; an unknown group answers ERR_GROUPADDABONENTS."""
    g1, g2 = steps.group(env), steps.group(env)
    a1, _ = steps.abonent(env, g1)
    a2, _ = steps.abonent(env, g1)
    ids = f"{a1},{a2}"
    reply = env.admin.request("GROUPADDABONENTS", g2, ids)
    expect_ok(ctx, "SRV-GROUPADDABONENTS-OK", reply, f"GROUPADDABONENTS {g2} {ids}")
    ctx.check("SRV-GROUPADDABONENTS-OK", reply.args == (g2, ids),
              f"GROUPADDABONENTS OK must echo {g2} {ids}, got {reply.args!r}")
    moved = {a.fields[0] for a in env.admin.request("GETABONENTS", g2).abonents()}
    ctx.check("SRV-GROUPADDABONENTS-OK", moved == {a1, a2},
              f"group {g2} must now hold {a1} and {a2}, got {sorted(moved)}")
    missing = unused_id(env.admin.request("GETGROUPS"))
    expect_error(ctx, "SRV-ERR-GROUPADDABONENTS",
                 env.admin.request("GROUPADDABONENTS", missing, a1), "ERR_GROUPADDABONENTS",
                 f"GROUPADDABONENTS {missing} (unknown group) {a1}")


@SUITE.case("SRV-ERR-GETABONENT")
def unknown_abonent(ctx: CaseContext, env: ServerEnv) -> None:
    """UPDATEABONENT of an unknown abonent answers ERR_GETABONENT (GETABONENT too,
    where the server has it)."""
    gid = steps.group(env)
    missing = unused_id(env.admin.request("GETABONENTS"))
    lines = steps.abonent_lines(gid, env.name("abonent"), header=("BEGIN", missing))
    expect_error(ctx, "SRV-ERR-GETABONENT", env.admin.request_lines("UPDATEABONENT", lines),
                 "ERR_GETABONENT", f"UPDATEABONENT {missing} (unknown)")
    reply = env.admin.request("GETABONENT", missing)
    if lacks(reply, "GETABONENT"):
        ctx.note("GETABONENT is not implemented (project command)")
        return
    expect_error(ctx, "SRV-ERR-GETABONENT", reply, "ERR_GETABONENT",
                 f"GETABONENT {missing} (unknown)")


@SUITE.case("SRV-GETABONENT", needs={"extras"})
def get_abonent(ctx: CaseContext, env: ServerEnv) -> None:
    """GETABONENT answers in ADDABONENT's reply shape with the same data."""
    gid = steps.group(env)
    aid, added = steps.abonent(env, gid, PHONES, EMAILS)
    reply = env.admin.request("GETABONENT", aid)
    gate(ctx, reply, "GETABONENT")
    got = _abonent_reply(ctx, "SRV-GETABONENT", reply, f"GETABONENT {aid}")
    ctx.check("SRV-GETABONENT", got == added.abonents()[0],
              f"GETABONENT must show what ADDABONENT answered, got {got!r}")


@SUITE.case("SRV-DELABONENTS", needs={"extras"})
def delete_abonents(ctx: CaseContext, env: ServerEnv) -> None:
    """DELABONENTS deletes the abonents; unknown ids answer ERR_DELABONENTS."""
    gid = steps.group(env)
    a1, _ = steps.abonent(env, gid)
    a2, _ = steps.abonent(env, gid)
    reply = env.admin.request("DELABONENTS", f"{a1},{a2}")
    gate(ctx, reply, "DELABONENTS")
    expect_ok(ctx, "SRV-DELABONENTS", reply, f"DELABONENTS {a1},{a2}", count=1)
    for aid in (a1, a2):
        env.janitor.forget("DELABONENTS", aid)
    left = {a.fields[0] for a in env.admin.request("GETABONENTS", gid).abonents()}
    ctx.check("SRV-DELABONENTS", not left & {a1, a2}, f"abonents still listed: {sorted(left)}")
    missing = unused_id(env.admin.request("GETABONENTS"))
    expect_error(ctx, "SRV-DELABONENTS", env.admin.request("DELABONENTS", missing),
                 "ERR_DELABONENTS", f"DELABONENTS {missing} (unknown)")


@SUITE.case("SRV-MULTILINE-INTERRUPTED")
def interrupted_request(ctx: CaseContext, env: ServerEnv) -> None:
    """A PING inside an unfinished ADDABONENT drops it (ADDABONENT ERR_BADSYNTAX) and
    is itself answered; no abonent is created."""
    gid = steps.group(env)
    name = env.name("abonent")
    head = steps.abonent_lines(gid, name)[:2]
    data = b"".join(encode_line("ADDABONENT", params) for params in head) + encode_line("PING")
    reply = env.admin.send_raw(data, "ADDABONENT")
    expect_error(ctx, "SRV-MULTILINE-INTERRUPTED", reply, "ERR_BADSYNTAX",
                 "ADDABONENT BEGIN, DATA, then PING")
    ping = env.admin.receive("PING")
    ctx.check("SRV-MULTILINE-INTERRUPTED", ping.ok and ping.first is not None
              and ping.first.word == "PING",
              f"the interrupting PING must be answered PING OK, got {ping.describe()}")
    names = [a.fields[3] for a in env.admin.request("GETABONENTS", gid).abonents()]
    ctx.check("SRV-MULTILINE-INTERRUPTED", name not in names,
              f"the dropped ADDABONENT must not create {name!r}")
