"""Logins under attack (issue 9): parallel attempts cannot pass the lockout, one
address has one failure budget whatever names it tries, and a flood of bad
logins from one address leaves a real user's LOGIN from another prompt.

The throttle's own rules run on its injected clock; the wire tests use a
realistic scrypt cost (``REALISTIC``: N=2^15, r=8, p=1, about 0.2 s a check
on the reference machine) where the point is the queueing of password
checks, which cheap test hashes would hide.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from nabat.system.protocol import Line
from nabat.system.server import LoginPolicy
from nabat.system.server.throttle import Attempt, LoginThrottle, Refusal
from nabat.system.store import ScryptParams
from nabat.system.tls import client_context

from tests.hostile.sockets import Crowd, Endpoint
from tests.server.conftest import PASSWORDS, Running, Start
from tests.server.wire import WireClient

REALISTIC = ScryptParams(n=2**15, r=8, p=1)


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle(**policy: float) -> tuple[LoginThrottle, ManualClock]:
    clock = ManualClock()
    rules = LoginPolicy(**{"delay": 0.01, "max_delay": 0.05, "lockout": 60.0, **policy})
    return LoginThrottle(lambda: rules, clock), clock


def reserved(result: Attempt | Refusal) -> Attempt:
    assert isinstance(result, Attempt), result
    return result


def test_attempts_in_flight_count_against_the_pair_limit() -> None:
    rules, _ = throttle(max_failures=3)
    key = ("127.0.0.2", "oper")
    in_flight = [reserved(rules.try_reserve(key)) for _ in range(3)]
    assert rules.try_reserve(key) is Refusal.FULL  # a 4th check must wait for an answer
    in_flight[0].failed()
    assert rules.try_reserve(key) is Refusal.FULL  # 1 failure + 2 in flight
    in_flight[1].failed()
    in_flight[2].failed()
    assert rules.try_reserve(key) is Refusal.LOCKED


def test_an_abandoned_attempt_frees_its_slot_and_records_nothing() -> None:
    rules, _ = throttle(max_failures=1)
    key = ("127.0.0.2", "oper")
    reserved(rules.try_reserve(key)).abandoned()
    reserved(rules.try_reserve(key)).succeeded()
    assert not rules.locked(key)


def test_one_address_has_one_budget_whatever_the_names() -> None:
    rules, clock = throttle(max_failures=5, address_max_failures=3)
    for name in ("a", "b", "c"):
        reserved(rules.try_reserve(("127.0.0.2", name))).failed()
    assert rules.try_reserve(("127.0.0.2", "admin")) is Refusal.LOCKED
    reserved(rules.try_reserve(("127.0.0.1", "admin"))).succeeded()  # another address
    clock.now += 60  # the lockout is over
    reserved(rules.try_reserve(("127.0.0.2", "admin"))).succeeded()


def test_an_address_budget_counts_attempts_in_flight_and_old_failures_are_forgotten() -> None:
    rules, clock = throttle(max_failures=5, address_max_failures=3)
    held = [reserved(rules.try_reserve(("127.0.0.2", f"n{i}"))) for i in range(3)]
    assert rules.try_reserve(("127.0.0.2", "n9")) is Refusal.FULL
    assert rules.load("127.0.0.2") == 3 and rules.load("127.0.0.1") == 0
    held[0].failed()
    held[1].abandoned()
    held[2].abandoned()
    clock.now += 60  # a single old failure is forgotten after login_lockout
    assert rules.load("127.0.0.2") == 1
    reserved(rules.try_reserve(("127.0.0.2", "n9"))).abandoned()
    assert rules.load("127.0.0.2") == 0


async def test_reserve_waits_for_an_answer_in_flight() -> None:
    rules, _ = throttle(max_failures=2)
    key = ("127.0.0.2", "oper")
    first, second = reserved(rules.try_reserve(key)), reserved(rules.try_reserve(key))
    waiting = asyncio.create_task(rules.reserve(key, timeout=5))
    await asyncio.sleep(0)
    assert not waiting.done()
    first.succeeded()  # the pair is cleared: the waiting attempt gets its slot
    reserved(await asyncio.wait_for(waiting, 5)).abandoned()
    second.abandoned()
    assert await rules.reserve(key, timeout=0) is not Refusal.FULL


def counting(running: Running) -> list[str]:
    """Every password check the store makes, by login (wraps ``authenticate``)."""
    users = running.context.store.users
    checked: list[str] = []
    real: Callable[[str, str], object] = users.authenticate

    def authenticate(login: str, password: str) -> object:
        checked.append(login)
        return real(login, password)

    users.authenticate = authenticate  # type: ignore[method-assign,assignment]
    return checked


async def test_parallel_attempts_cannot_pass_the_lockout(
    start_server: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = await start_server(password_params=REALISTIC)  # FAST_LOGIN: 3 failures lock
    monkeypatch.setattr(running.context.throttle, "_clock", ManualClock())  # no lockout ends
    checked = counting(running)
    clients = [await running.client() for _ in range(13)]
    for client in clients[:12]:
        await client.send("LOGIN", "oper", "wrong")
    await asyncio.sleep(0.05)  # the wrong ones first, then the right one in the same burst
    await clients[12].send("LOGIN", "oper", PASSWORDS["oper"])
    replies = await asyncio.gather(*(c.collect("LOGIN") for c in clients))
    assert all(reply.error is not None for reply in replies), replies
    assert all(reply.error.code == "ERR_BADLOGIN" for reply in replies if reply.error)
    assert len(checked) <= 3  # no more real checks than the limit allows
    for client in clients:
        await client.close()


async def test_a_flood_of_fresh_names_does_not_starve_a_real_login(start_server: Start) -> None:
    """60 connections from 127.0.0.2 try fresh names at realistic scrypt cost;
    the admin's LOGIN from 127.0.0.1 must be answered within 2 s."""
    policy = LoginPolicy(delay=0.01, max_delay=0.05, max_failures=5, lockout=60,
                         address_max_failures=20)  # fmt: skip
    running = await start_server(password_params=REALISTIC, login=policy)
    endpoint = Endpoint(running.handle.host, running.handle.port,
                        tls=client_context(running.cafile))  # fmt: skip
    stop = asyncio.Event()
    answered = 0

    async def flood(index: int, crowd: Crowd) -> None:
        nonlocal answered
        connection = await crowd.open(endpoint)
        if connection is None:
            return
        attempt = 0
        while not stop.is_set():
            connection.writer.write(Line("LOGIN", (f"x{index}-{attempt}", "no")).encode())
            attempt += 1
            try:
                await asyncio.wait_for(connection.reader.readuntil(b"\r\n"), 10)
            except (TimeoutError, OSError, asyncio.IncompleteReadError):
                return
            answered += 1

    async with Crowd() as crowd:
        flooders = [asyncio.create_task(flood(i, crowd)) for i in range(60)]
        try:
            await asyncio.sleep(0.5)  # the flood is under way: checks queued
            admin = await WireClient.connect(running.handle.host, running.handle.port,
                                             running.cafile)  # fmt: skip
            started = time.monotonic()
            reply = await admin.login("admin", PASSWORDS["admin"])
            latency = time.monotonic() - started
            await admin.close()
        finally:
            stop.set()
            await asyncio.gather(*flooders, return_exceptions=True)
    assert reply.ok, reply
    assert answered > 20  # the attack did run
    assert latency < 2.0, f"the admin's LOGIN took {latency:.2f} s under the flood"
