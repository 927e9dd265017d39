"""MONITORING (ruling 9): a watching session receives unsolicited
UPDATETASK OK lines when another session changes a task's status (by
UPDATETASK between STOPPED and WAITING, which starts nothing, and where the
target may run tasks by STARTTASK and STOPTASK), never inside a multi-line
reply; after MONITORING 0 a further change sends nothing."""

from __future__ import annotations

import time

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import expect_ok, gate
from nabat.conformance.server.client import Connection
from nabat.conformance.server.suite import SUITE
from nabat.conformance.server.wire import Line

WAIT = 3.0
LICENCE_CODES = ("ERR_NOHASP", "ERR_NOHASPFORSTART", "ERR_NOGSM")
QUIET = 1.0  # how long a switched-off watcher is watched for lines it must not get


def _wait_for(watcher: Connection, tid: str, status: str, wait: float = WAIT) -> Line | None:
    """Poll with listings until the watcher has an UPDATETASK line for ``tid``."""
    deadline = time.monotonic() + wait
    while True:
        for line in watcher.unsolicited:
            if line.args[:1] == (tid,) and line.args[3:4] == (status,):
                return line
        if time.monotonic() > deadline:
            return None
        watcher.request("GETGROUPS")
        watcher.request("GETTASKS")
        time.sleep(0.05)


@SUITE.case("SRV-MONITORING-OK", "SRV-MONITORING-UNSOLICITED", "SRV-MONITORING-BETWEEN-REPLIES",
            "SRV-MONITORING-OFF", needs={"monitoring", "messages"})
def monitoring(ctx: CaseContext, env: ServerEnv) -> None:
    """A MONITORING session sees another session's status changes as UPDATETASK OK, and
    after MONITORING 0 no longer does."""
    tid, name, lid, mid = steps.task_with_list(env)
    watcher = env.session("watcher", env.settings.login, env.settings.password)
    reply = watcher.request("MONITORING")
    gate(ctx, reply, "MONITORING")
    expect_ok(ctx, "SRV-MONITORING-OK", reply, "MONITORING (no parameter: on)", count=1)
    ctx.check("SRV-MONITORING-OK", reply.args == ("1",),
              f"MONITORING without a parameter switches on: OK 1, got {reply.describe()}")
    reply = watcher.request("MONITORING", "1")
    expect_ok(ctx, "SRV-MONITORING-OK", reply, "MONITORING 1", count=1)
    ctx.check("SRV-MONITORING-OK", reply.args == ("1",), "MONITORING OK must echo 1")
    update = [tid, "3", "2", name, lid, mid, "1", "", "", "", "", "", "", ""]
    expect_ok(ctx, "SRV-MONITORING-UNSOLICITED", env.admin.request("UPDATETASK", *update),
              f"UPDATETASK {tid} to WAITING (from the admin session)")
    line = _wait_for(watcher, tid, "2")
    ctx.check("SRV-MONITORING-UNSOLICITED",
              line is not None and line.args == (tid, name, "3", "2"),
              f"the watcher must receive UPDATETASK OK {tid} {name} 3 2 within {WAIT} s; "
              f"it set aside {[u.text() for u in watcher.unsolicited]!r}")
    interleaved = [line.text() for line in watcher.unsolicited_inside]
    ctx.check("SRV-MONITORING-BETWEEN-REPLIES", not interleaved,
              f"unsolicited lines arrived inside multi-line replies: {interleaved!r}")
    reply = watcher.request("MONITORING", "0")
    expect_ok(ctx, "SRV-MONITORING-OK", reply, "MONITORING 0", count=1)
    ctx.check("SRV-MONITORING-OK", reply.args == ("0",), "MONITORING OK must echo 0")
    update[2] = "0"
    expect_ok(ctx, "SRV-MONITORING-OFF", env.admin.request("UPDATETASK", *update),
              f"UPDATETASK {tid} back to STOPPED (from the admin session)")
    late = _wait_for(watcher, tid, "0", QUIET)
    shown = late.text() if late is not None else ""
    ctx.check("SRV-MONITORING-OFF", late is None,
              f"after MONITORING 0 the watcher must receive nothing, got {shown!r}")


@SUITE.case("SRV-MONITORING-UNSOLICITED", needs={"monitoring", "messages", "start"})
def monitoring_start_stop(ctx: CaseContext, env: ServerEnv) -> None:
    """A MONITORING session sees another session's STARTTASK and STOPTASK as UPDATETASK OK
    lines carrying the new statuses (ruling 9: whenever a task's status changes)."""
    tid, name, _, _ = steps.task_with_list(env)
    watcher = env.session("watcher", env.settings.login, env.settings.password)
    gate(ctx, watcher.request("MONITORING", "1"), "MONITORING")
    started = env.admin.request("STARTTASK", tid, "1")
    if started.code in LICENCE_CODES:
        ctx.unsupported(f"the licence refuses to start an e-mail task: {started.code}")
    status = started.args[3] if started.ok and len(started.args) == 4 else "1"
    line = _wait_for(watcher, tid, status)
    ctx.check("SRV-MONITORING-UNSOLICITED",
              line is not None and line.args == (tid, name, "3", status),
              f"after STARTTASK {tid} the watcher must receive UPDATETASK OK {tid} {name} 3 "
              f"{status} within {WAIT} s; it set aside "
              f"{[u.text() for u in watcher.unsolicited]!r}")
    if status not in ("1", "2"):
        ctx.note(f"the task ended at once (status {status}); STOPTASK not watched")
        return
    env.admin.request("STOPTASK", tid)
    line = _wait_for(watcher, tid, "0")
    ctx.check("SRV-MONITORING-UNSOLICITED",
              line is not None and line.args == (tid, name, "3", "0"),
              f"after STOPTASK {tid} the watcher must receive UPDATETASK OK {tid} {name} 3 0 "
              f"within {WAIT} s; it set aside {[u.text() for u in watcher.unsolicited]!r}")
