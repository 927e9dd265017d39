"""What a handler's failure answers over the wire: a bug is ERR_INTERNAL (never the
"unsupported" ERR_BADSYNTAX) with an incident id in the log; a lost race with a task's
state is the command's own code; store errors are mapped by the command's table."""

from __future__ import annotations

import logging
import re

import pytest
from nabat.system.protocol import Abonent, Group, Phone, TaskStatus
from nabat.system.server import dispatch
from nabat.system.server.context import Call
from nabat.system.server.engine import IllegalTransition
from nabat.system.store import NotFound

from tests.server.conftest import Running

SECRET = "hunter2-in-a-connection-string"


def code(reply: object) -> str | None:
    error = getattr(reply, "error", None)
    return None if error is None else str(error.code)


async def _crash(call: Call) -> None:
    raise RuntimeError(f"database password {SECRET}")


async def test_a_crashing_handler_answers_internal_and_the_session_goes_on(
    running: Running, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(dispatch, "HANDLERS", {**dispatch.HANDLERS, "GETGROUPS": _crash})
    oper = await running.client("oper")
    with caplog.at_level(logging.ERROR, logger="nabat.server.dispatch"):
        reply = await oper.request("GETGROUPS")
    assert reply.error is not None and reply.error.code == "ERR_INTERNAL", reply
    assert reply.error.word == "GETGROUPS"
    assert SECRET not in reply.error.text  # the exception's message stays in the log
    found = re.search(r"incident ([0-9a-f]{8})", reply.error.text)
    assert found is not None, reply.error.text
    (record,) = [r for r in caplog.records if found.group(1) in r.getMessage()]
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError  # the traceback
    assert "_crash" in caplog.text and "Traceback" in caplog.text
    assert (await oper.request("PING")).ok  # the session is still usable
    assert (await oper.request("ADDGROUP", "g", "")).ok
    await oper.close()


async def test_an_unexpected_store_error_of_a_command_without_codes_is_internal(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def lost(call: Call) -> None:
        raise NotFound("group", 1)  # GETGROUPS has no store failure the protocol names

    monkeypatch.setattr(dispatch, "HANDLERS", {**dispatch.HANDLERS, "GETGROUPS": lost})
    oper = await running.client("oper")
    assert code(await oper.request("GETGROUPS")) == "ERR_INTERNAL"
    await oper.close()


async def test_stoptask_racing_the_end_of_the_task_is_tasknotrunning(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    oper = await running.client("oper")
    lid = (await oper.request("ADDLIST", "l", "")).head[0]
    mid = (await oper.request("ADDMESSAGE", "1", "m", "t", "", "")).head[0]
    tail = ("0", "", "", "", "", "", "", "")
    tid = (await oper.request("ADDTASK", "0", "0", "t", lid, mid, *tail)).head[0]
    store = running.context.store  # one abonent no channel can reach: the task stays RUNNING
    gid = store.groups.add(Group(name="g")).id
    assert gid is not None
    abonent = store.abonents.add(Abonent(gid=gid, name="a", phones=(Phone(phone="79000000001"),)))
    assert abonent.id is not None
    store.lists.add_abonents(int(lid), (abonent.id,))
    assert (await oper.request("STARTTASK", tid, "1")).ok
    engine = running.context.engine
    stop = engine.stop
    raised: list[BaseException] = []

    async def finishes_first(task_id: int) -> object:
        # the task finishes between the handler's status check and the engine's stop
        running.context.store.tasks.transition(task_id, TaskStatus.FINISHED, starts_run=False)
        try:
            return await stop(task_id)
        except IllegalTransition as exc:
            raised.append(exc)
            raise

    monkeypatch.setattr(engine, "stop", finishes_first)
    reply = await oper.request("STOPTASK", tid)
    assert raised, "the race did not happen"
    assert reply.error is not None and reply.error.code == "ERR_TASKNOTRUNNING", reply
    assert "FINISHED" in reply.error.text
    assert (await oper.request("GETTASK", tid)).ok
    await oper.close()


async def test_store_errors_answer_the_commands_codes(running: Running) -> None:
    admin = await running.client("admin")
    assert code(await admin.request("USERADD", "admin", "x", "2", "", "")) == "ERR_USERALREADY"
    assert code(await admin.request("DELTASK", "999")) == "ERR_GETTASK"
    assert code(await admin.request("GETCHANINFO", "999")) == "ERR_GETCHANINFO"
    reply = await admin.request("UPDATEGROUP", "999", "g", "")
    assert reply.error is not None and reply.error.code == "ERR_UPDATEGROUP"
    assert reply.error.text == "no such group: 999"  # which item; no SQL
    await admin.close()
