"""User cases (project commands): USER, USERS, USERADD, USERCHG, USERDEL and
CHECKPASSW, with the appendix-B user errors. The suite's users are named
with the run prefix and deleted when the case ends."""

from __future__ import annotations

import secrets

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import expect_error, expect_listing, expect_ok, gate
from nabat.conformance.server.suite import SUITE


@SUITE.case("SRV-USER", needs={"users"})
def whoami(ctx: CaseContext, env: ServerEnv) -> None:
    """USER answers the session's own account, with administrator rights (2)."""
    reply = env.admin.request("USER")
    gate(ctx, reply, "USER")
    expect_ok(ctx, "SRV-USER", reply, "USER", count=4)
    ctx.check("SRV-USER", reply.args[:2] == (env.settings.login, "2"),
              f"USER must read {env.settings.login} 2 ..., got {reply.args!r}")


@SUITE.case("SRV-USERADD-OK", "SRV-USERS-LISTING", "SRV-USERCHG-OK", "SRV-USERDEL-OK",
            "SRV-CHECKPASSW-OK", "SRV-ERR-CHECKPASSW", "SRV-CHECKPASSW-SESSION",
            "SRV-USERCHG-KEEP-PASSWORD", needs={"users"})
def user_lifecycle(ctx: CaseContext, env: ServerEnv) -> None:
    """USERADD, USERS, CHECKPASSW (a wrong password leaves the session as it was),
    USERCHG (a new password; then an empty one, which keeps it), USERDEL."""
    login = env.name("user")
    password = "Pw-" + secrets.token_urlsafe(12)
    reply = env.admin.request("USERADD", login, password, "0", "Иван Петров", "проверка")
    gate(ctx, reply, "USERADD")
    env.janitor.later("USERDEL", login)
    expect_ok(ctx, "SRV-USERADD-OK", reply, "USERADD", count=4)
    ctx.check("SRV-USERADD-OK", reply.args == (login, "0", "Иван Петров", "проверка"),
              f"USERADD OK must read {login} 0 'Иван Петров' проверка, got {reply.args!r}")
    ctx.check("SRV-USERADD-OK", all(password not in line.text() for line in reply.lines),
              "USERADD OK must not echo the password")
    listing = env.admin.request("USERS")
    expect_listing(ctx, "SRV-USERS-LISTING", listing, "USERS", row_len=4)
    ctx.check("SRV-USERS-LISTING", any(r[:2] == (login, "0") for r in listing.rows),
              f"USERS must list {login} with rights 0")
    reply = env.admin.request("CHECKPASSW", login, password)
    expect_ok(ctx, "SRV-CHECKPASSW-OK", reply, f"CHECKPASSW {login}")
    ctx.check("SRV-CHECKPASSW-OK", reply.args == (login,), f"CHECKPASSW OK must echo {login}")
    expect_error(ctx, "SRV-ERR-CHECKPASSW", env.admin.request("CHECKPASSW", login, "wrong"),
                 "ERR_CHECKPASSW", f"CHECKPASSW {login} with a wrong password")
    reply = env.admin.request("USER")
    ctx.check("SRV-CHECKPASSW-SESSION", reply.ok and reply.args[:1] == (env.settings.login,),
              f"after a failed CHECKPASSW the session must still be {env.settings.login}'s, "
              f"USER answered {reply.describe()}")
    new_password = "Pw-" + secrets.token_urlsafe(12)
    reply = env.admin.request("USERCHG", login, new_password, "1", "Иван Петров", "оператор")
    expect_ok(ctx, "SRV-USERCHG-OK", reply, f"USERCHG {login}", count=4)
    ctx.check("SRV-USERCHG-OK", reply.args == (login, "1", "Иван Петров", "оператор"),
              f"USERCHG OK must show the new rights and description, got {reply.args!r}")
    relog = env.connect("changed user").login(login, new_password)
    expect_ok(ctx, "SRV-USERCHG-OK", relog, "LOGIN with the changed password")
    reply = env.admin.request("USERCHG", login, "", "1", "Иван Петров", "тот же пароль")
    expect_ok(ctx, "SRV-USERCHG-KEEP-PASSWORD", reply, f"USERCHG {login} with an empty password",
              count=4)
    relog = env.connect("password kept").login(login, new_password)
    expect_ok(ctx, "SRV-USERCHG-KEEP-PASSWORD", relog,
              "LOGIN with the password in force before USERCHG with an empty one")
    reply = env.admin.request("USERDEL", login)
    expect_ok(ctx, "SRV-USERDEL-OK", reply, f"USERDEL {login}", count=1)
    env.janitor.forget("USERDEL", login)
    logins = {r[0] for r in env.admin.request("USERS").rows if r}
    ctx.check("SRV-USERDEL-OK", login not in logins, f"{login} still listed after USERDEL")


@SUITE.case("SRV-ERR-USERALREADY", "SRV-ERR-USERCHG", "SRV-ERR-USERDEL", "SRV-ERR-USERADD",
            needs={"users"})
def user_errors(ctx: CaseContext, env: ServerEnv) -> None:
    """A taken login, a new user without a password, and changing or deleting an
    unknown login, are refused."""
    login, _ = steps.user(env, "0")
    reply = env.admin.request("USERADD", login, "Pw-another-1234", "0", "x", "x")
    expect_error(ctx, "SRV-ERR-USERALREADY", reply, "ERR_USERALREADY", f"USERADD {login} again")
    missing = env.name("nobody")
    expect_error(ctx, "SRV-ERR-USERCHG",
                 env.admin.request("USERCHG", missing, "Pw-x-12345678", "0", "x", "x"),
                 "ERR_USERCHG", f"USERCHG {missing} (unknown)")
    expect_error(ctx, "SRV-ERR-USERDEL", env.admin.request("USERDEL", missing), "ERR_USERDEL",
                 f"USERDEL {missing} (unknown)")
    nameless = env.name("user")
    reply = env.admin.request("USERADD", nameless, "", "0", "x", "x")
    if reply.ok:
        env.janitor.later("USERDEL", nameless)
    expect_error(ctx, "SRV-ERR-USERADD", reply, "ERR_USERADD",
                 f"USERADD {nameless} with an empty password")
