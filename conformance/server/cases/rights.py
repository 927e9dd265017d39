"""Rights, table-driven: a read-only user and an operator (users the suite
creates) send every command of the suite's own table above their level, and
each must answer ERR_NOACCESS; the read-only user also runs every command that
only reads, none of which may answer ERR_NOACCESS. A project command the server lacks (it answers
ERR_BADSYNTAX to the limited user, and to the administrator when sent with a
wrong parameter count, which a known word would answer ERR_BADARGUMENT_COUNT)
is noted and skipped."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import NOT_IMPLEMENTED, expect_error, lacks
from nabat.conformance.server.client import Connection
from nabat.conformance.server.commands import (
    MULTILINE_HEADS,
    OPERATOR,
    READ_ONLY,
    READS,
    Command,
    above,
)
from nabat.conformance.server.suite import SUITE

CLAUSE = "SRV-RIGHTS-EVERY-COMMAND"
LEVELS = ((READ_ONLY, "read-only"), (OPERATOR, "operator"))


def _server_lacks(env: ServerEnv, command: Command) -> bool:
    """Does the server not know the word? Asked as the administrator with one parameter
    too many: a known word is refused for the count and runs nothing."""
    probe = env.admin.request(command.word, *command.request(env.name("probe")), "x")
    return lacks(probe, command.word)


def _denied(ctx: CaseContext, env: ServerEnv, user: Connection, label: str,
            command: Command) -> None:
    name = env.name("rights")
    reply = user.request(command.word, *command.request(name))
    if command.undo == "USERDEL" and reply.ok:
        env.janitor.later("USERDEL", name)
    elif command.undo is not None:
        env.janitor.created(reply, command.undo)
    if command.project and reply.code == NOT_IMPLEMENTED and _server_lacks(env, command):
        ctx.note(f"{command.word}: not implemented by the server, not probed")
        return
    expect_error(ctx, CLAUSE, reply, "ERR_NOACCESS",
                 f"{command.word} as {label} (needs rights {command.rights})")


@SUITE.case(CLAUSE, needs={"users"})
def rights_for_every_command(ctx: CaseContext, env: ServerEnv) -> None:
    """Every command above a user's level answers ERR_NOACCESS: a read-only user is
    refused every change (the first line of each multi-line request too), an operator
    every administration command."""
    for rights, label in LEVELS:
        login, password = steps.user(env, rights)
        user = env.session(f"{label} user", login, password)
        for command in above(rights):
            _denied(ctx, env, user, label, command)
        if rights != READ_ONLY:
            continue
        for head in MULTILINE_HEADS:
            reply = user.request(head.word, *head.request(env.name("rights")))
            if reply.code != "ERR_NOACCESS":
                user.sync()  # a request wrongly begun: end it before the next check
            if head.project and reply.code == NOT_IMPLEMENTED:
                continue
            expect_error(ctx, CLAUSE, reply, "ERR_NOACCESS",
                         f"{head.word} {head.params[0]} as {label} (needs rights {head.rights})")


@SUITE.case("SRV-RIGHTS-READS", needs={"users"})
def reads_for_read_only(ctx: CaseContext, env: ServerEnv) -> None:
    """A read-only user runs every command that only reads: none answers ERR_NOACCESS
    (unknown ids answer their own codes, a project command the server lacks
    ERR_BADSYNTAX)."""
    login, password = steps.user(env, READ_ONLY)
    viewer = env.session("read-only user", login, password)
    for command in READS:
        reply = viewer.request(command.word, *command.request(env.name("read")))
        ctx.check("SRV-RIGHTS-READS", reply.code != "ERR_NOACCESS" and bool(reply.lines),
                  f"{command.word} as read-only must be allowed, got {reply.describe()}")
