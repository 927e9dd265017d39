"""Abonent cases: the multi-line ADDABONENT / UPDATEABONENT requests (ruling 5)
with every field, PHONE and EMAIL lines, GETABONENTS, createtime and edittime,
GROUPADDABONENTS, ERR_GETABONENT, the project's GETABONENT, DELABONENTS and
ERR_ADDABONENT, and an interrupted request."""

from __future__ import annotations

import time
from collections.abc import Sequence

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
from nabat.conformance.server.timestamps import is_timestamp
from nabat.conformance.server.wire import encode_line

SECOND = 1.1
PHONES = [("1", "+79001234567", "0"), ("0", "84951234567", "1")]
EMAILS = ["first@example.org", "second@example.org"]
# remote, then priority ... description of a DATA line (after gid and name): all set
FIRST_FIELDS = ["2", "5", "2031-02-03T04:05:06", "2031-02-04T07:08:09", "4321", "10.0.0.7",
                "ООО Ромашка", "Отдел связи", "майор", "начальник смены", "примечание 1"]
SECOND_FIELDS = ["3", "7", "", "", "98765", "10.0.0.8", "АО Лютик", "Дежурная часть",
                 "капитан", "дежурный", "примечание 2"]


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


def _sent_fields(data: Sequence[str]) -> tuple[str | None, ...]:
    """The 16 reply fields a DATA line (13 NEW fields) must come back as, with the
    server-set id, createtime and edittime left as None (not compared)."""
    fields = tuple(data[1:])
    return (None, *fields[:8], None, None, *fields[8:])


def _same(expected: tuple[str | None, ...], got: tuple[str, ...]) -> bool:
    return len(got) == len(expected) and all(
        want is None or want == have for want, have in zip(expected, got, strict=True))


def _phones_first(ctx: CaseContext, reply: Reply, what: str) -> None:
    statuses = [line.status for line in reply.lines]
    late = [i for i, status in enumerate(statuses)
            if status == "PHONE" and "EMAIL" in statuses[:i]
            and "DATA" not in statuses[statuses[:i].index("EMAIL"):i]]  # fmt: skip
    ctx.check("SRV-ABONENT-PHONES-FIRST", not late,
              f"{what}: an abonent's PHONE lines must come before its EMAIL lines, got "
              f"{statuses}")


@SUITE.case("SRV-ADDABONENT-OK", "SRV-UPDATEABONENT-OK", "SRV-GETABONENTS-LISTING",
            "SRV-ABONENT-PHONES-FIRST")
def abonent_add_update(ctx: CaseContext, env: ServerEnv) -> None:
    """ADDABONENT with every field set, two phones and two e-mails; UPDATEABONENT changing
    every field and replacing them; GETABONENTS showing the result, each field as sent."""
    gid, gid2 = steps.group(env), steps.group(env)
    name = env.name("abonent") + " Иванов И.И."
    lines = steps.abonent_lines(gid, name, PHONES, EMAILS)
    lines[1] = ["DATA", gid, *FIRST_FIELDS[:1], name, *FIRST_FIELDS[1:]]
    reply = env.admin.request_multiline("ADDABONENT", lines)
    env.janitor.created(reply, "DELABONENTS")
    added = _abonent_reply(ctx, "SRV-ADDABONENT-OK", reply, "ADDABONENT")
    assert added is not None
    aid = added.fields[0]
    expected = _sent_fields(lines[1])
    ctx.check("SRV-ADDABONENT-OK", _same(expected, added.fields),
              f"ADDABONENT OK must echo every field as sent: {expected!r}, got {added.fields!r}")
    ctx.check("SRV-ADDABONENT-OK", added.phones == tuple(PHONES) and added.emails == tuple(EMAILS),
              f"ADDABONENT must echo phones {PHONES} and e-mails {EMAILS}, "
              f"got {added.phones} / {added.emails}")
    _phones_first(ctx, reply, "ADDABONENT")
    new_name = env.name("abonent") + " Петров"
    lines = steps.abonent_lines(gid2, new_name, PHONES[1:], [], header=("BEGIN", aid))
    lines[1] = ["DATA", gid2, *SECOND_FIELDS[:1], new_name, *SECOND_FIELDS[1:]]
    reply = env.admin.request_multiline("UPDATEABONENT", lines)
    updated = _abonent_reply(ctx, "SRV-UPDATEABONENT-OK", reply, f"UPDATEABONENT {aid}")
    assert updated is not None
    expected = (aid, *_sent_fields(lines[1])[1:])
    ctx.check("SRV-UPDATEABONENT-OK", _same(expected, updated.fields),
              f"UPDATEABONENT OK must show {aid} with every field as sent: {expected!r}, "
              f"got {updated.fields!r}")
    ctx.check("SRV-UPDATEABONENT-OK", updated.phones == (PHONES[1],) and updated.emails == (),
              f"UPDATEABONENT must replace the phones and e-mails, got {updated.phones} / "
              f"{updated.emails}")
    listing = env.admin.request("GETABONENTS", gid2)
    expect_listing(ctx, "SRV-GETABONENTS-LISTING", listing, f"GETABONENTS {gid2}",
                   row_len=16, extra=("PHONE", "EMAIL"))
    entries = {a.fields[0]: a for a in listing.abonents() if a.fields}
    entry = entries.get(aid)
    ctx.check("SRV-GETABONENTS-LISTING", entry is not None and _same(expected, entry.fields)
              and entry.phones == (PHONES[1],),
              f"GETABONENTS {gid2} must list {aid} as updated, with its phone, got {entry!r}")
    steps.abonent(env, gid2, phones=PHONES, emails=EMAILS)
    listing = env.admin.request("GETABONENTS", gid2)
    shapes = [(len(a.phones), len(a.emails)) for a in listing.abonents()]
    ctx.check("SRV-GETABONENTS-LISTING", sorted(shapes) == [(1, 0), (2, 2)],
              f"each DATA line must be followed by its own PHONE/EMAIL lines, got {shapes}")
    _phones_first(ctx, listing, f"GETABONENTS {gid2}")


@SUITE.case("SRV-GROUPADDABONENTS-OK", "SRV-ERR-GROUPADDABONENTS")
def move_abonents(ctx: CaseContext, env: ServerEnv) -> None:
    """GROUPADDABONENTS moves abonents; an unknown group or abonent answers
    ERR_GROUPADDABONENTS."""
    g1, g2 = steps.group(env), steps.group(env)
    a1, _ = steps.abonent(env, g1)
    a2, _ = steps.abonent(env, g1)
    ids = f"{a1},{a2}"
    reply = env.admin.request("GROUPADDABONENTS", g2, ids)
    expect_ok(ctx, "SRV-GROUPADDABONENTS-OK", reply, f"GROUPADDABONENTS {g2} {ids}")
    ctx.check("SRV-GROUPADDABONENTS-OK", reply.args == (g2, ids),
              f"GROUPADDABONENTS OK must echo {g2} {ids}, got {reply.args!r}")
    moved = {a.fields[0] for a in env.admin.request("GETABONENTS", g2).abonents() if a.fields}
    ctx.check("SRV-GROUPADDABONENTS-OK", moved == {a1, a2},
              f"group {g2} must now hold {a1} and {a2}, got {sorted(moved)}")
    missing = unused_id(env.admin.request("GETGROUPS"))
    expect_error(ctx, "SRV-ERR-GROUPADDABONENTS",
                 env.admin.request("GROUPADDABONENTS", missing, a1), "ERR_GROUPADDABONENTS",
                 f"GROUPADDABONENTS {missing} (unknown group) {a1}")
    nobody = unused_id(env.admin.request("GETABONENTS"))
    expect_error(ctx, "SRV-ERR-GROUPADDABONENTS",
                 env.admin.request("GROUPADDABONENTS", g1, f"{a1},{nobody}"),
                 "ERR_GROUPADDABONENTS", f"GROUPADDABONENTS {g1} {a1},{nobody} (unknown abonent)")


@SUITE.case("SRV-ERR-GETABONENT", "SRV-ERR-ADDABONENT")
def unknown_abonent(ctx: CaseContext, env: ServerEnv) -> None:
    """UPDATEABONENT of an unknown abonent answers ERR_GETABONENT (GETABONENT too,
    where the server has it); ADDABONENT into an unknown group ERR_ADDABONENT."""
    gid = steps.group(env)
    missing_group = unused_id(env.admin.request("GETGROUPS"))
    lines = steps.abonent_lines(missing_group, env.name("abonent"))
    reply = env.admin.request_multiline("ADDABONENT", lines)
    env.janitor.created(reply, "DELABONENTS")
    expect_error(ctx, "SRV-ERR-ADDABONENT", reply, "ERR_ADDABONENT",
                 f"ADDABONENT into group {missing_group} (unknown)")
    missing = unused_id(env.admin.request("GETABONENTS"))
    lines = steps.abonent_lines(gid, env.name("abonent"), header=("BEGIN", missing))
    expect_error(ctx, "SRV-ERR-GETABONENT", env.admin.request_multiline("UPDATEABONENT", lines),
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
    """DELABONENTS deletes the abonents; unknown ids answer ERR_DELABONENTS, and a request
    with one unknown id deletes none."""
    gid = steps.group(env)
    a1, _ = steps.abonent(env, gid)
    a2, _ = steps.abonent(env, gid)
    reply = env.admin.request("DELABONENTS", f"{a1},{a2}")
    gate(ctx, reply, "DELABONENTS")
    expect_ok(ctx, "SRV-DELABONENTS", reply, f"DELABONENTS {a1},{a2}", count=1)
    for aid in (a1, a2):
        env.janitor.forget("DELABONENTS", aid)
    left = {a.fields[0] for a in env.admin.request("GETABONENTS", gid).abonents() if a.fields}
    ctx.check("SRV-DELABONENTS", not left & {a1, a2}, f"abonents still listed: {sorted(left)}")
    missing = unused_id(env.admin.request("GETABONENTS"))
    expect_error(ctx, "SRV-DELABONENTS", env.admin.request("DELABONENTS", missing),
                 "ERR_DELABONENTS", f"DELABONENTS {missing} (unknown)")
    a3, _ = steps.abonent(env, gid)
    reply = env.admin.request("DELABONENTS", f"{a3},{missing}")
    expect_error(ctx, "SRV-DELABONENTS", reply, "ERR_DELABONENTS",
                 f"DELABONENTS {a3},{missing} (one unknown: all or none)")
    left = {a.fields[0] for a in env.admin.request("GETABONENTS", gid).abonents() if a.fields}
    ctx.check("SRV-DELABONENTS", a3 in left,
              f"a refused DELABONENTS must delete none: {a3} is gone")


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
    names = [a.fields[3] for a in env.admin.request("GETABONENTS", gid).abonents()
             if len(a.fields) > 3]
    ctx.check("SRV-MULTILINE-INTERRUPTED", name not in names,
              f"the dropped ADDABONENT must not create {name!r}")


@SUITE.case("SRV-ABONENT-TIMES")
def abonent_times(ctx: CaseContext, env: ServerEnv) -> None:
    """createtime and edittime: set on ADDABONENT (edittime not before createtime); an
    UPDATEABONENT more than a second later keeps createtime and moves edittime on;
    GETABONENTS shows the same."""
    gid = steps.group(env)
    aid, reply = steps.abonent(env, gid)
    first = reply.abonents()[0].fields
    ctx.check("SRV-ABONENT-TIMES", len(first) == 16,
              f"ADDABONENT OK must carry 16 fields, got {first!r}")
    created, edited = first[9], first[10]
    ctx.check("SRV-ABONENT-TIMES", is_timestamp(created) and created != ""
              and is_timestamp(edited) and edited >= created,
              f"a new abonent needs createtime and an edittime not before it, got "
              f"{created!r} / {edited!r}")
    time.sleep(SECOND)  # timestamps have seconds precision: let one pass on the server
    lines = steps.abonent_lines(gid, env.name("abonent"), header=("BEGIN", aid))
    reply = env.admin.request_multiline("UPDATEABONENT", lines)
    found = reply.abonents()
    after = found[0].fields if found else ()
    ctx.check("SRV-ABONENT-TIMES", len(after) == 16 and after[9] == created,
              f"UPDATEABONENT must keep createtime {created!r}, got {reply.describe()}")
    ctx.check("SRV-ABONENT-TIMES", len(after) == 16 and is_timestamp(after[10])
              and after[10] > edited,
              f"UPDATEABONENT {SECOND} s later must move edittime on from {edited!r}, got "
              f"{after[10] if len(after) == 16 else reply.describe()!r}")
    listed = {a.fields[0]: a.fields for a in env.admin.request("GETABONENTS", gid).abonents()
              if a.fields}
    row = listed.get(aid, ())
    ctx.check("SRV-ABONENT-TIMES", len(after) == 16 and row[9:11] == after[9:11],
              f"GETABONENTS must show the same createtime/edittime as UPDATEABONENT "
              f"{after[9:11]!r}, got {row[9:11]!r}")


# (what, the lines between DATA and END; DATA_AGAIN stands for the DATA line again)
BROKEN_SEQUENCES: tuple[tuple[str, list[list[str]]], ...] = (
    ("PHONE after EMAIL", [["EMAIL", "a@example.org"], ["PHONE", "1", "79001234567", "0"]]),
    ("a second DATA line", [["DATA_AGAIN"]]),
    ("END without DATA", []),
)


@SUITE.case("SRV-MULTILINE-SEQUENCE")
def broken_sequences(ctx: CaseContext, env: ServerEnv) -> None:
    """ADDABONENT with PHONE after EMAIL, with two DATA lines, and with END right after
    BEGIN: each is answered ERR_BADSYNTAX and creates nothing."""
    gid = steps.group(env)
    names = []
    for what, middle in BROKEN_SEQUENCES:
        name = env.name("abonent")
        names.append(name)
        full = steps.abonent_lines(gid, name)
        data = full[1]
        body = [data if line == ["DATA_AGAIN"] else line for line in middle]
        lines = [full[0], *([] if what == "END without DATA" else [data]), *body, full[-1]]
        reply = env.admin.request_multiline("ADDABONENT", lines)
        env.janitor.created(reply, "DELABONENTS")
        expect_error(ctx, "SRV-MULTILINE-SEQUENCE", reply, "ERR_BADSYNTAX",
                     f"ADDABONENT with {what}")
    listed = {a.fields[3] for a in env.admin.request("GETABONENTS", gid).abonents()
              if len(a.fields) > 3}
    ctx.check("SRV-MULTILINE-SEQUENCE", not listed & set(names),
              f"broken ADDABONENT requests must create nothing, stored: {sorted(listed)}")
