"""Rights, table-driven: a read-only user and an operator (users the suite
creates) send every command of the suite's own table above their level, and
each must answer ERR_NOACCESS. A project command the server lacks (it answers
ERR_BADSYNTAX to the limited user, and to the administrator when sent with a
wrong parameter count, which a known word would answer ERR_BADARGUMENT_COUNT)
is noted and skipped."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import NOT_IMPLEMENTED, expect_error, lacks
from nabat.conformance.server.client import Connection
from nabat.conformance.server.commands import OPERATOR, READ_ONLY, Command, above
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
    refused every change, an operator every administration command."""
    for rights, label in LEVELS:
        login, password = steps.user(env, rights)
        user = env.session(f"{label} user", login, password)
        for command in above(rights):
            _denied(ctx, env, user, label, command)
