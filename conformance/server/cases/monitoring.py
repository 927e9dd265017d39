"""MONITORING (ruling 9): a watching session receives unsolicited
UPDATETASK OK lines when another session changes a task's status (here by
UPDATETASK between STOPPED and WAITING, which starts nothing), never inside
a multi-line reply; MONITORING 0 switches them off."""

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


def _wait_for(watcher: Connection, tid: str, status: str) -> Line | None:
    """Poll with listings until the watcher has an UPDATETASK line for ``tid``."""
    deadline = time.monotonic() + WAIT
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
            needs={"monitoring", "messages"})
def monitoring(ctx: CaseContext, env: ServerEnv) -> None:
    """A MONITORING session sees another session's status changes as UPDATETASK OK."""
    tid, name, lid, mid = steps.task_with_list(env)
    watcher = env.session("watcher", env.settings.login, env.settings.password)
    reply = watcher.request("MONITORING", "1")
    gate(ctx, reply, "MONITORING")
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
