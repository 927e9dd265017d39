"""Session cases: LOGIN and its HASP line, bad logins, a second LOGIN in one
session, QUIT, and rights by level (read-only and operator users the suite
creates for the purpose)."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import expect_error, expect_listing, expect_ok, gate
from nabat.conformance.server.suite import SUITE


@SUITE.case("SRV-LOGIN-OK", "SRV-LOGIN-OK-HASP")
def login_and_hasp(ctx: CaseContext, env: ServerEnv) -> None:
    """LOGIN OK <welcome> (one parameter), then HASP with six fields: flags 0/1 and
    counts."""
    connection = env.connect("login")
    reply = connection.login(env.settings.login, env.settings.password)
    expect_ok(ctx, "SRV-LOGIN-OK", reply, "LOGIN with the given account", count=1)
    hasp = reply.hasp
    ctx.check("SRV-LOGIN-OK-HASP", hasp is not None,
              f"LOGIN OK must be followed by a HASP line, got {reply.describe()}")
    assert hasp is not None
    fields = hasp.params
    ctx.check("SRV-LOGIN-OK-HASP", len(fields) == 6,
              f"HASP must carry 6 fields, got {len(fields)}: {hasp.text()!r}")
    flags = [fields[i] for i in (0, 3, 4, 5)]
    counts = [fields[i] for i in (1, 2)]
    ctx.check("SRV-LOGIN-OK-HASP", all(f in ("0", "1") for f in flags),
              f"haspset, dynamiccts, email and e1 must be 0 or 1: {hasp.text()!r}")
    ctx.check("SRV-LOGIN-OK-HASP", all(c.isdigit() for c in counts),
              f"boards and gsmmodems must be counts: {hasp.text()!r}")
    expect_ok(ctx, "SRV-LOGIN-OK", connection.request("PING"), "PING in the logged-in session")


@SUITE.case("SRV-LOGIN-BADLOGIN")
def bad_login(ctx: CaseContext, env: ServerEnv) -> None:
    """An unknown login answers ERR_BADLOGIN and the session stays logged out."""
    connection = env.connect("bad login")
    reply = connection.login(env.name("nobody"), "wrong-password")
    expect_error(ctx, "SRV-LOGIN-BADLOGIN", reply, "ERR_BADLOGIN", "LOGIN of an unknown login")
    expect_error(ctx, "SRV-LOGIN-BADLOGIN", connection.request("GETTASKS"), "ERR_NOACCESS",
                 "GETTASKS after a failed LOGIN")


@SUITE.case("SRV-QUIT", needs={"extras"})
def quit_closes(ctx: CaseContext, env: ServerEnv) -> None:
    """QUIT answers QUIT OK and the server closes the connection."""
    connection = env.connect("quit")
    expect_ok(ctx, "SRV-QUIT", connection.request("QUIT"), "QUIT", count=0)
    line = connection.read_line()
    ctx.check("SRV-QUIT", line is None and connection.closed,
              f"after QUIT OK the server must close the connection; got "
              f"{'a line ' + repr(line.raw) if line else 'no close within the timeout'}")


@SUITE.case("SRV-RIGHTS-READONLY", needs={"users"})
def read_only_rights(ctx: CaseContext, env: ServerEnv) -> None:
    """A read-only user reads groups and tasks but may not add groups, tasks or users."""
    login, password = steps.user(env, "0")
    viewer = env.session("read-only user", login, password)
    expect_listing(ctx, "SRV-RIGHTS-READONLY", viewer.request("GETGROUPS"),
                   "GETGROUPS as read-only", row_len=3)
    reply = viewer.request("ADDGROUP", env.name("group"), "")
    env.janitor.created(reply, "DELGROUP")
    expect_error(ctx, "SRV-RIGHTS-READONLY", reply, "ERR_NOACCESS", "ADDGROUP as read-only")
    expect_error(ctx, "SRV-RIGHTS-READONLY", viewer.request("DELLIST", "1"), "ERR_NOACCESS",
                 "DELLIST as read-only")
    expect_error(ctx, "SRV-RIGHTS-READONLY", viewer.request("USERS"), "ERR_NOACCESS",
                 "USERS as read-only")


@SUITE.case("SRV-RIGHTS-OPERATOR", needs={"users"})
def operator_rights(ctx: CaseContext, env: ServerEnv) -> None:
    """An operator adds groups but may not list or add users."""
    login, password = steps.user(env, "1")
    operator = env.session("operator user", login, password)
    gid = steps.group(env, conn=operator)
    ctx.check("SRV-RIGHTS-OPERATOR", bool(gid), "ADDGROUP as operator")
    expect_error(ctx, "SRV-RIGHTS-OPERATOR", operator.request("USERS"), "ERR_NOACCESS",
                 "USERS as operator")
    reply = operator.request("USERADD", env.name("user"), "Pw-x-12345678", "2", "x", "x")
    if reply.ok:
        env.janitor.later("USERDEL", reply.args[0])
    expect_error(ctx, "SRV-RIGHTS-OPERATOR", reply, "ERR_NOACCESS", "USERADD as operator")


@SUITE.case("SRV-LOGIN-RELOGIN", "SRV-LOGIN-BADLOGIN", needs={"users"})
def login_again(ctx: CaseContext, env: ServerEnv) -> None:
    """In one session: LOGIN as a read-only user, then as an operator (USER now names the
    operator), then the operator's login with a wrong password: ERR_BADLOGIN, and the
    session is logged out (GETGROUPS answers ERR_NOACCESS). The wrong password is tried
    on a user the suite created, never on the given administrator (a lockout policy
    could lock that one out), and is the run's only wrong password for LOGIN."""
    viewer, viewer_password = steps.user(env, "0")
    operator, operator_password = steps.user(env, "1")
    session = env.session("login twice", viewer, viewer_password)
    reply = session.request("USER")
    gate(ctx, reply, "USER")
    ctx.check("SRV-LOGIN-RELOGIN", reply.ok and reply.args[:1] == (viewer,),
              f"USER after LOGIN {viewer} must name {viewer}, got {reply.describe()}")
    expect_ok(ctx, "SRV-LOGIN-RELOGIN", session.login(operator, operator_password),
              f"a second LOGIN, as {operator}")
    reply = session.request("USER")
    ctx.check("SRV-LOGIN-RELOGIN", reply.ok and reply.args[:2] == (operator, "1"),
              f"after the second LOGIN the session's user must be {operator} (rights 1), got "
              f"{reply.describe()}")
    refused = session.login(operator, "not-the-password")
    expect_error(ctx, "SRV-LOGIN-BADLOGIN", refused, "ERR_BADLOGIN",
                 "a third LOGIN, with a wrong password")
    expect_error(ctx, "SRV-LOGIN-RELOGIN", session.request("GETGROUPS"), "ERR_NOACCESS",
                 "GETGROUPS after the failed LOGIN (the session must be logged out)")
