"""Session behaviour: login, access, syntax errors, idle timeout, concurrency."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from nabat.system.protocol import ok_line
from nabat.system.server import NOT_IMPLEMENTED, dispatch
from nabat.system.server.context import Call
from nabat.system.server.throttle import Attempt

from tests.server.conftest import FAST_LOGIN, PASSWORDS, Running, Start


async def test_login_ok_sends_welcome_and_hasp(running: Running) -> None:
    client = await running.client()
    await client.send("LOGIN", "admin", PASSWORDS["admin"])
    first, second = await client.line(), await client.line()
    assert first is not None and first.params[0] == "OK"
    assert second is not None and second.command == "HASP"
    assert second.params == ("1", "4", "4", "1", "1", "1")
    await client.close()


async def test_bad_password_and_unknown_login_look_the_same(running: Running) -> None:
    client = await running.client()
    wrong = await client.login("admin", "nope")
    unknown = await client.login("nobody", "nope")
    assert wrong.error is not None and unknown.error is not None
    assert wrong.error.code == unknown.error.code == "ERR_BADLOGIN"
    assert wrong.error.text == unknown.error.text
    await client.close()


async def test_failed_login_logs_the_session_out(running: Running) -> None:
    client = await running.client("viewer")
    assert (await client.request("GETLISTS")).ok
    assert not (await client.login("viewer", "wrong")).ok
    reply = await client.request("GETLISTS")
    assert reply.error is not None and reply.error.code == "ERR_NOACCESS"
    await client.close()


class ManualClock:
    """A monotonic clock that moves only when the test advances it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_repeated_bad_logins_are_slowed_then_locked_out(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = ManualClock()
    monkeypatch.setattr(running.context.throttle, "_clock", clock)  # the throttle's injected clock
    client = await running.client()
    for _ in range(3):  # FAST_LOGIN: locked after 3 failures
        assert not (await client.login("oper", "bad")).ok
    locked = await client.login("oper", PASSWORDS["oper"])
    assert locked.error is not None and locked.error.code == "ERR_BADLOGIN"
    other = await running.client("viewer")  # other logins are not affected
    locked_at = clock.now
    clock.now = locked_at + FAST_LOGIN.lockout - 0.01
    still = await client.login("oper", PASSWORDS["oper"])  # the right password, still locked
    assert still.error is not None and still.error.code == "ERR_BADLOGIN"
    clock.now = locked_at + FAST_LOGIN.lockout  # lockout over
    assert (await client.login("oper", PASSWORDS["oper"])).ok
    await client.close()
    await other.close()


async def test_failure_delay_grows(running: Running) -> None:
    throttle = running.context.throttle
    delays = []
    for _ in range(3):
        attempt = throttle.try_reserve(("1.2.3.4", "x"))
        assert isinstance(attempt, Attempt)
        delays.append(attempt.failed())
    assert delays == sorted(delays) and delays[0] < delays[-1]


async def test_password_never_logged(running: Running, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = await running.client()
    await client.login("admin", "very-secret-guess")
    await client.login("admin", PASSWORDS["admin"])
    await client.close()
    assert "very-secret-guess" not in caplog.text
    assert PASSWORDS["admin"] not in caplog.text


async def test_before_login_only_login_ping_quit(running: Running) -> None:
    client = await running.client()
    assert (await client.request("PING")).ok
    reply = await client.request("GETGROUPS")
    assert reply.error is not None and reply.error.code == "ERR_NOACCESS"
    assert (await client.request("QUIT")).ok
    assert await client.line() is None  # the server closed
    await client.close()


async def test_rights_are_checked(running: Running) -> None:
    viewer = await running.client("viewer")
    reply = await viewer.request("ADDGROUP", "g", "")
    assert reply.error is not None and reply.error.code == "ERR_NOACCESS"
    reply = await viewer.request("USERS")
    assert reply.error is not None and reply.error.code == "ERR_NOACCESS"
    await viewer.close()


async def test_unknown_command_bad_arity_bad_line_then_goes_on(running: Running) -> None:
    client = await running.client("admin")
    await client.send_raw(b"FROBNICATE 1\r\n")
    line = await client.line()
    assert line is not None and line.command == "FROBNICATE"
    assert line.params[0] == "ERR_BADSYNTAX"
    reply = await client.request("GETGROUPS", "1", "2")
    assert reply.error is not None and reply.error.code == "ERR_BADARGUMENT_COUNT"
    await client.send_raw(b"ping\r\n")
    line = await client.line()
    assert line is not None and line.command == "ERROR" and line.params[0] == "ERR_BADSYNTAX"
    await client.send_raw(b"PING 100%\r\n")
    line = await client.line()
    assert line is not None and line.params[0] == "ERR_BADSYNTAX"
    await client.send_raw(b"PING\n")  # bare LF
    line = await client.line()
    assert line is not None and line.params[0] == "ERR_BADSYNTAX"
    reply = await client.request("GETTASK", "abc")
    assert reply.error is not None and reply.error.code == "ERR_BADSYNTAX"
    assert (await client.request("PING")).ok
    await client.close()


async def test_overlong_line_is_refused_and_session_goes_on(running: Running) -> None:
    client = await running.client("admin")
    await client.send_raw(b"PING " + b"x" * 9000 + b"\r\n")
    line = await client.line()
    assert line is not None and line.params[0] == "ERR_BADSYNTAX"
    assert (await client.request("PING")).ok
    await client.close()


async def test_not_implemented_command_answers_clearly(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert NOT_IMPLEMENTED == ()  # every command of the table has a handler
    monkeypatch.delitem(dispatch.HANDLERS, "GETCONFIG")
    client = await running.client("admin")
    reply = await client.request("GETCONFIG")
    assert reply.error is not None and reply.error.code == "ERR_BADSYNTAX"
    assert "not implemented" in reply.error.text
    await client.close()


async def test_a_reply_that_cannot_be_encoded_costs_an_error_not_the_session(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unencodable(call: Call) -> None:
        await call.reply([ok_line(call.word, ("中",))])  # not windows-1251

    monkeypatch.setitem(dispatch.HANDLERS, "USER", unencodable)
    client = await running.client("viewer")
    reply = await client.request("USER")
    assert reply.error is not None and "\\u4e2d" in reply.error.text
    assert (await client.request("PING")).ok  # the session goes on
    await client.close()


async def test_idle_timeout_closes(start_server: Start) -> None:
    server = await start_server(idle_timeout=0.3)
    client = await server.client("viewer")
    started = time.monotonic()
    assert await client.line(timeout=5) is None
    assert time.monotonic() - started < 3
    await client.close()


async def test_concurrent_sessions(running: Running) -> None:
    async def one(index: int) -> None:
        client = await running.client("oper")
        reply = await client.request("ADDGROUP", f"group {index}", "")
        assert reply.ok, reply
        for _ in range(5):
            assert (await client.request("PING")).ok
        await client.close()

    await asyncio.gather(*(one(i) for i in range(20)))
    viewer = await running.client("viewer")
    assert len((await viewer.request("GETGROUPS")).rows) == 20
    await viewer.close()
