"""Every runtime key, changed with SETCONFIG over a real session, changes the
behaviour where it is used (not just what GETCONFIG echoes); every start-up
key is refused with the reason. A new runtime key fails
``test_every_runtime_key_has_a_test`` until it gets its test here."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from pathlib import Path

import pytest
from nabat.system.protocol import Reply
from nabat.system.server.bootstrap import VERIFIER_THREADS
from nabat.system.server.settings import KEYS, RUNTIME

from tests.server.conftest import FAST_LOGIN, PASSWORDS, Running, Start
from tests.server.test_tts import VOICES
from tests.server.wire import WireClient


def code(reply: Reply) -> str | None:
    return None if reply.error is None else str(reply.error.code)


async def set_config(running: Running, key: str, value: str) -> None:
    admin = await running.client("admin")
    reply = await admin.request("SETCONFIG", key, value)
    assert reply.ok, reply
    await admin.close()


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_welcome(running: Running) -> None:
    await set_config(running, "welcome", "Привет")
    client = await running.client()
    await client.send("LOGIN", "viewer", PASSWORDS["viewer"])
    line = await client.line()
    assert line is not None and line.params == ("OK", "Привет")
    await client.close()


async def test_report_format(running: Running) -> None:
    oper = await running.client("oper")
    lid = (await oper.request("ADDLIST", "list", "")).head[0]
    mid = (await oper.request("ADDMESSAGE", "3", "Тревога", "текст", "", "")).head[0]
    tid = (await oper.request("ADDTASK", "3", "0", "Учения", lid, mid, "0", "", "", "", "", "",
                              "", "")).head[0]  # fmt: skip
    assert (await oper.request("STARTTASK", tid, "1")).ok
    assert (await oper.request("GETREPORT", tid)).head == ("HTML",)
    await set_config(running, "report_format", "xls")
    assert (await oper.request("GETREPORT", tid)).head == ("XLS",)
    assert (await oper.request("GETREPORT", tid, "XLSX")).head == ("XLSX",)  # asked wins
    await oper.close()


async def _failed_login_seconds(running: Running) -> float:
    client = await running.client()
    started = time.monotonic()
    assert code(await client.login("oper", "wrong")) == "ERR_BADLOGIN"
    elapsed = time.monotonic() - started
    await client.close()
    return elapsed


async def test_login_delay(running: Running) -> None:
    await set_config(running, "login_max_delay", "10")
    await set_config(running, "login_delay", "0.8")  # was FAST_LOGIN.delay, 0.01 s
    assert await _failed_login_seconds(running) >= 0.8


async def test_login_max_delay(running: Running) -> None:
    await set_config(running, "login_delay", "600")
    await set_config(running, "login_max_delay", "0.5")  # caps the 600 s delay
    elapsed = await _failed_login_seconds(running)
    assert 0.5 <= elapsed < 60


async def test_login_max_failures(running: Running) -> None:
    await set_config(running, "login_max_failures", "1")  # was 3
    client = await running.client()
    assert code(await client.login("oper", "wrong")) == "ERR_BADLOGIN"
    assert code(await client.login("oper", PASSWORDS["oper"])) == "ERR_BADLOGIN"  # locked
    await client.close()


async def test_login_lockout(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = ManualClock()
    monkeypatch.setattr(running.context.throttle, "_clock", clock)
    await set_config(running, "login_lockout", "1000")  # was FAST_LOGIN.lockout, 0.6 s
    client = await running.client()
    for _ in range(FAST_LOGIN.max_failures):
        assert code(await client.login("oper", "wrong")) == "ERR_BADLOGIN"
    clock.now += FAST_LOGIN.lockout + 1  # the old lockout is over, the new one is not
    assert code(await client.login("oper", PASSWORDS["oper"])) == "ERR_BADLOGIN"
    clock.now += 1000
    assert (await client.login("oper", PASSWORDS["oper"])).ok
    await client.close()


async def test_login_address_max_failures(running: Running) -> None:
    await set_config(running, "login_address_max_failures", "2")  # was 20
    client = await running.client()
    for name in ("nobody-1", "nobody-2"):  # two names, one address
        assert code(await client.login(name, "wrong")) == "ERR_BADLOGIN"
    assert code(await client.login("oper", PASSWORDS["oper"])) == "ERR_BADLOGIN"  # locked
    await client.close()


class BlockedChecks:
    """Password checks of login ``slow`` hold their worker until ``release``."""

    def __init__(self, running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gate = threading.Event()
        self.started = threading.Semaphore(0)
        users = running.context.store.users
        real = users.authenticate

        def authenticate(login: str, password: str) -> object:
            if login.startswith("slow"):
                self.started.release()
                self.gate.wait(30)
            return real(login, password)

        monkeypatch.setattr(users, "authenticate", authenticate)

    async def occupy(self, running: Running, workers: int) -> list[WireClient]:
        clients = [await running.client() for _ in range(workers)]
        for index, client in enumerate(clients):
            await client.send("LOGIN", f"slow{index}", "x")
        for _ in range(workers):
            assert await asyncio.to_thread(self.started.acquire, True, 10)
        return clients

    async def release(self, clients: list[WireClient]) -> None:
        self.gate.set()
        for client in clients:
            await client.close()


async def test_login_queue(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    await set_config(running, "login_queue", "1")  # was 64
    blocked = BlockedChecks(running, monkeypatch)
    held = await blocked.occupy(running, VERIFIER_THREADS)  # every worker busy
    waiting = await running.client()
    await waiting.send("LOGIN", "viewer", PASSWORDS["viewer"])  # the one place in the queue
    await asyncio.sleep(0.2)
    refused = await running.client()
    started = time.monotonic()
    reply = await refused.login("oper", PASSWORDS["oper"])  # the queue is full: at once
    assert code(reply) == "ERR_BADLOGIN" and reply.error is not None
    assert "server busy" in reply.error.text and time.monotonic() - started < 2
    await blocked.release(held)
    assert (await waiting.collect("LOGIN")).ok  # the queued one is served once workers free
    await waiting.close()
    await refused.close()


async def test_login_queue_timeout(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    await set_config(running, "login_queue_timeout", "0.3")  # was 5 s
    blocked = BlockedChecks(running, monkeypatch)
    held = await blocked.occupy(running, VERIFIER_THREADS)
    client = await running.client()
    started = time.monotonic()
    reply = await client.login("oper", PASSWORDS["oper"])
    elapsed = time.monotonic() - started
    assert code(reply) == "ERR_BADLOGIN" and reply.error is not None
    assert "server busy" in reply.error.text and 0.3 <= elapsed < 3
    await blocked.release(held)
    assert (await client.login("oper", PASSWORDS["oper"])).ok
    await client.close()


async def test_idle_timeout(running: Running) -> None:
    await set_config(running, "idle_timeout", "0.3")  # was 300 s
    viewer = await running.client("viewer")
    started = time.monotonic()
    assert await viewer.line(timeout=10) is None  # closed for idleness
    assert time.monotonic() - started < 10
    await viewer.close()


async def test_max_sessions(running: Running) -> None:
    admin = await running.client("admin")
    assert (await admin.request("SETCONFIG", "max_sessions", "1")).ok  # was 1000
    refused = await running.client()
    line = await refused.line()
    assert line is not None and line.params[0] == "ERR_BUSY" and "(1)" in line.params[1]
    await refused.close()
    assert (await admin.request("SETCONFIG", "max_sessions", "2")).ok
    accepted = await running.client()
    assert (await accepted.request("PING")).ok
    await accepted.close()
    await admin.close()


SLOW_ESPEAK = '''#!{python}
"""Behaves like espeak-ng (--voices; -v VOICE --stdout), taking 1.5 s per synthesis."""
import struct, sys, time
if sys.argv[1:] == ["--voices"]:
    sys.stdout.write({voices!r})
    sys.exit(0)
sys.stdin.buffer.read()
time.sleep(1.5)
fmt = struct.pack("<HHIIHH", 1, 1, 22050, 44100, 2, 16)
sys.stdout.buffer.write(b"RIFF" + struct.pack("<I", 36) + b"WAVE" + b"fmt "
                        + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 0))
'''


async def test_tts_timeout(start_server: Start, tmp_path: Path) -> None:
    command = tmp_path / "slow-espeak-ng"
    command.write_text(SLOW_ESPEAK.format(python=sys.executable, voices=VOICES), encoding="utf-8")
    command.chmod(0o755)
    running = await start_server(tts_command=str(command))  # tts_timeout: the default, 20 s
    oper = await running.client("oper")
    assert (await oper.request("TTS", "ru", "раз")).ok
    await set_config(running, "tts_timeout", "0.5")
    reply = await oper.request("TTS", "ru", "два")
    assert code(reply) == "ERR_GETTTS" and reply.error is not None
    assert "longer than 0.5 s" in reply.error.text
    await oper.close()


COVERED = {
    "welcome": test_welcome,
    "login_delay": test_login_delay,
    "login_max_delay": test_login_max_delay,
    "login_max_failures": test_login_max_failures,
    "login_lockout": test_login_lockout,
    "login_address_max_failures": test_login_address_max_failures,
    "login_queue": test_login_queue,
    "login_queue_timeout": test_login_queue_timeout,
    "idle_timeout": test_idle_timeout,
    "max_sessions": test_max_sessions,
    "tts_timeout": test_tts_timeout,
    "report_format": test_report_format,
}


def test_every_runtime_key_has_a_test() -> None:
    assert set(COVERED) == set(RUNTIME)


@pytest.mark.parametrize("key", [name for name in KEYS if name not in RUNTIME])
async def test_startup_keys_are_refused_with_the_reason(running: Running, key: str) -> None:
    admin = await running.client("admin")
    reply = await admin.request("SETCONFIG", key, "1")
    assert code(reply) == "ERR_SETCONFIG" and reply.error is not None
    special = {"channels": "SETCHANINFO", "verification": "[verification] table"}
    expected = special.get(key, f"{key} is a start-up setting")
    assert expected in reply.error.text
    assert running.context.store.runtime_settings.all() == {}
    await admin.close()
